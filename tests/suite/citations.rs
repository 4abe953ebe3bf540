//! A citation proves its sentence, not only that a test of that name
//! exists (`book::every_test_a_page_cites_is_a_test_of_the_suite_or_of_its_step`
//! checks that much). Each citation on a page is read with the words it is
//! cited for: the part of the sentence right before it (up to the previous
//! citation, or the sentence's start). From those words come its key terms:
//! the words of a claim about running code (`panics`, `exits`, `refused`,
//! `waits`, ...; see `CLAIMS`) and the numbers (`101`, `four`, `fifteen`).
//! A cited test is read as its name, the string literals of its body (its
//! assertion messages) and those of the functions of its file that it calls,
//! three calls deep. Then:
//!
//! - every key term is in a cited test's words or in a quoted piece of a
//!   snapshot (`listing-20-25.session.snap`: `exited with status 0`);
//! - every cited test has at least one key term of its words, when there
//!   are any: a test cited for a claim its assertions do not touch fails;
//! - a cited test that names steps names the page's step or one its
//!   paragraph names: a test of listing 20-4 proves nothing of 21-4.
//!
//! A test cannot read English: a citation whose words have no key term is
//! held only to exist. The rule is meant to catch the citation that drifts,
//! a test renamed, moved or reused for a sentence it never checked, and
//! `a_test_cited_for_a_claim_its_assertions_do_not_touch_is_caught` below
//! is that mutation.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use companion::compile::root;
use regex::Regex;

use crate::book::{cited_tests, prose_blocks, prose_pages, snapshot_quotes};

/// The words of a claim about what running code does, each with the
/// stems that name it in a test's words.
const CLAIMS: &[(&str, &[&str])] = &[
    (r"panic(s|ked)?", &["panic"]),
    (r"exit(s|ed)?", &["exit", "status"]),
    (r"refused", &["refus"]),
    (r"abort(s|ed)?", &["abort"]),
    (
        r"blocks forever|blocked|blocks",
        &["block", "wait", "behind"],
    ),
    (r"hangs?", &["hang", "wait", "never"]),
    (
        r"never (finishes|returns|ends|answers)",
        &["never", "no reply", "no answer", "unanswered", "without"],
    ),
    (r"waits?|waiting", &["wait", "behind", "queue", "after"]),
    (
        r"without (a response|an answer|a reply|a word)|no (response|reply|answer)|unanswered",
        &[
            "no reply",
            "no answer",
            "unanswered",
            "without",
            "nothing",
            "never",
            "no response",
        ],
    ),
    (r"clos(e|es|ed)", &["clos"]),
    (r"still running", &["running", "stopped", "still"]),
    (r"shuts? down|shutting down", &["shut"]),
    (r"stops? after", &["stop", "after", "take"]),
];

/// The number words a claim may use, two to twenty, as the pages write
/// them (`kit::book::number`); "one" is left out, it is more often an
/// article than a count.
fn number_words() -> &'static [String] {
    static WORDS: LazyLock<Vec<String>> =
        LazyLock::new(|| (2..=20).map(kit::book::number).collect());
    &WORDS
}

/// A key term of a claim: what it says, and the spellings that find it in
/// a test's words.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Term {
    said: String,
    spellings: Vec<String>,
}

/// The key terms of the words a citation is cited for.
pub(crate) fn key_terms(words: &str) -> BTreeSet<Term> {
    static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").unwrap());
    // What reads like a number but names something: a listing, a chapter,
    // an RFC, a version, a section, a port, a size.
    static NAMES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(listings?|chapters?|rfc|rustc|http/|edition|section|§|port|figure|rust|utf-|beyond-) ?[0-9][0-9.-]*(?:(?:,| and| or) [0-9][0-9-]*)*|\b\d+(\.\d+)+\b|\b\d+-\d+\b|:\d+\b|\b(\d+|a|one|two|three|four|five|ten) ?(kib|mib|kb|mb|bytes?|columns|seconds?|s|ms|µs|minutes?)\b|\b(19|20)\d\d\b",
        )
        .unwrap()
    });
    static CLAIM: LazyLock<Vec<(Regex, &[&str])>> = LazyLock::new(|| {
        CLAIMS
            .iter()
            .map(|(pattern, stems)| {
                (
                    Regex::new(&format!(r"(?i)\b({pattern})\b")).unwrap(),
                    *stems,
                )
            })
            .collect()
    });
    static DIGITS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b").unwrap());
    let words = CODE.replace_all(words, " ");
    let words = NAMES.replace_all(&words, " ");
    let mut terms = BTreeSet::new();
    for (claim, stems) in CLAIM.iter() {
        if let Some(found) = claim.find(&words) {
            terms.insert(Term {
                said: found.as_str().to_lowercase(),
                spellings: stems.iter().map(|s| s.to_string()).collect(),
            });
        }
    }
    let lower = words.to_lowercase();
    for (i, word) in number_words().iter().enumerate() {
        if has_word(&lower, word) {
            terms.insert(Term {
                said: word.to_string(),
                spellings: vec![word.to_string(), (i + 2).to_string()],
            });
        }
    }
    for digits in DIGITS.find_iter(&lower) {
        let digits = digits.as_str().replace(',', "");
        let n: usize = digits.parse().unwrap_or(usize::MAX);
        let mut spellings = vec![digits.clone()];
        if (2..=20).contains(&n) {
            spellings.push(number_words()[n - 2].clone());
        }
        terms.insert(Term {
            said: digits,
            spellings,
        });
    }
    terms
}

/// Whether `text` (lower case, `_` and `-` read as spaces) has the term:
/// a number as a whole word (`4` is not in `404`), a stem anywhere.
fn has_term(text: &str, term: &Term) -> bool {
    term.spellings.iter().any(|s| {
        if s.chars().all(|c| c.is_ascii_digit()) || number_words().contains(s) {
            has_word(text, s)
        } else {
            text.contains(s.as_str())
        }
    })
}

/// Whether `word` stands in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

/// The functions of a Rust source file: name, and body from its `{` to the
/// matching `}`, read past strings, chars and comments.
fn functions(source: &str) -> HashMap<String, String> {
    static FN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bfn ([A-Za-z0-9_]+)\s*(?:<[^>{]*>)?\(").unwrap());
    let mut out = HashMap::new();
    for found in FN.captures_iter(source) {
        let start = found.get(0).unwrap().end();
        let Some(open) = source[start..].find('{').map(|i| start + i) else {
            continue;
        };
        if source[start..open].contains(';') {
            continue;
        }
        if let Some(end) = matching_brace(source, open) {
            out.entry(found[1].to_string())
                .or_insert_with(|| source[open..=end].to_string());
        }
    }
    out
}

/// Where the `}` that closes the `{` at `open` is.
fn matching_brace(source: &str, open: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' => i = string_end(source, i)?,
            b'r' if source[i..].starts_with("r#\"") || source[i..].starts_with("r\"") => {
                let hashes = source[i + 1..].chars().take_while(|c| *c == '#').count();
                let close = format!("\"{}", "#".repeat(hashes));
                i = i + 2 + hashes + source[i + 2 + hashes..].find(&close)? + close.len() - 1;
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += source[i + 1..].find('\'')? + 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => i += source[i..].find('\n')?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where the `"` that closes the string opened at `open` is.
fn string_end(source: &str, open: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The string literals of a body, in order.
fn literals(body: &str) -> Vec<String> {
    static LITERAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r##"r#"((?s:.)*?)"#|"((?:[^"\\]|\\(?s:.))*)""##).unwrap());
    LITERAL
        .captures_iter(body)
        .map(|c| c.get(1).or(c.get(2)).unwrap().as_str().to_string())
        .collect()
}

/// A test's words: its name, the string literals of its body and of the
/// functions of its file it calls, three calls deep; lower case, with `_`
/// and `-` read as spaces.
pub(crate) fn test_words(source: &str, test: &str) -> String {
    static CALL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b([a-z_][a-z0-9_]*)\s*\(").unwrap());
    let functions = functions(source);
    let mut words = Vec::new();
    let mut seen = BTreeSet::new();
    let mut next = vec![test.to_string()];
    for _ in 0..4 {
        let mut called = Vec::new();
        for name in next {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(body) = functions.get(&name) else {
                continue;
            };
            words.push(name.clone());
            words.extend(literals(body));
            called.extend(
                CALL.captures_iter(body)
                    .map(|c| c[1].to_string())
                    .filter(|f| functions.contains_key(f)),
            );
        }
        next = called;
    }
    words.join(" ").to_lowercase().replace(['_', '-'], " ")
}

/// The steps a text names, as `listing 20 25` or `no listing 03` (the
/// printing's suffix and a no-listing's words left out), however written:
/// `listing-20-25`, `listing_20_25`, `listing 20-25`, `listing 20-4`.
fn steps_named(text: &str) -> BTreeSet<String> {
    static STEP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(no[ _-])?listing[ _-](?:(0\d)|(2[01])[ _-](\d\d?))\b").unwrap()
    });
    STEP.captures_iter(&text.to_lowercase())
        .map(|c| match (c.get(2), c.get(3), c.get(4)) {
            (Some(n), ..) if c.get(1).is_some() => format!("no listing {}", n.as_str()),
            (_, Some(chapter), Some(n)) if c.get(1).is_none() => {
                format!("listing {} {:0>2}", chapter.as_str(), n.as_str())
            }
            _ => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// One citation group: the words it is cited for, the tests it cites
/// (module::test) and the snapshot pieces it quotes.
#[derive(Debug)]
pub(crate) struct Citation {
    pub(crate) words: String,
    pub(crate) tests: Vec<String>,
    pub(crate) quotes: Vec<String>,
}

/// The citations of a block, each with the words it is cited for: the
/// text before its parenthesis (or before it, where it stands in the
/// sentence), back to the previous citation or the start of the sentence.
pub(crate) fn citations(block: &str, page: &Path) -> Vec<Citation> {
    static GROUP: LazyLock<Regex> = LazyLock::new(|| {
        // A parenthesis with a backticked path or snapshot in it, or a
        // backticked test path standing in the sentence.
        Regex::new(r"\(([^()]*`[^`]*(?:::|\.snap)[^`]*`[^()]*)\)|`[a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)+`").unwrap()
    });
    let mut out: Vec<Citation> = Vec::new();
    let mut from = 0;
    for group in GROUP.find_iter(block) {
        let inside = group.as_str();
        let tests: Vec<String> = cited_tests(inside, page)
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        let quotes: Vec<String> = snapshot_quotes(inside)
            .into_iter()
            .flat_map(|(_, q)| q)
            .collect();
        if tests.is_empty() && quotes.is_empty() {
            continue;
        }
        let before = &block[from..group.start()];
        let sentence = sentence_start(before);
        out.push(Citation {
            words: before[sentence..].to_string(),
            tests,
            quotes,
        });
        from = group.end();
    }
    out
}

/// Where the last sentence of `text` starts.
fn sentence_start(text: &str) -> usize {
    static END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.!?] +[A-Z(`*]|[:;] +").unwrap());
    END.find_iter(text).last().map_or(0, |m| m.start() + 1)
}

/// The source file a cited test lives in: tests/suite/<module>.rs, or the
/// page's step files that have `mod <module> {`.
fn test_source(test: &str, page: &Path) -> String {
    let module = test.split("::").next().unwrap();
    let suite = root().join(format!("tests/suite/{module}.rs"));
    if let Ok(source) = std::fs::read_to_string(suite) {
        return source;
    }
    crate::book::step_sources(page)
        .into_iter()
        .filter_map(|s| {
            let at = s.find(&format!("mod {module} {{"))?;
            Some(s[at..].to_string())
        })
        .collect()
}

/// What is wrong with a block's citations, one sentence each.
pub(crate) fn faults(block: &str, page: &Path) -> Vec<String> {
    let page_step: BTreeSet<String> = page
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| companion::registry::find(s).is_some())
        .map(steps_named)
        .unwrap_or_default();
    let block_steps = steps_named(block);
    let mut out = Vec::new();
    for citation in citations(block, page) {
        let terms = key_terms(&citation.words);
        let words: Vec<(String, String)> = citation
            .tests
            .iter()
            .map(|t| {
                (
                    t.clone(),
                    test_words(&test_source(t, page), t.rsplit("::").next().unwrap()),
                )
            })
            .collect();
        let quotes = citation
            .quotes
            .join(" ")
            .to_lowercase()
            .replace(['_', '-'], " ");
        for term in &terms {
            let proven = words.iter().any(|(_, w)| has_term(w, term)) || has_term(&quotes, term);
            if !proven {
                out.push(format!(
                    "\"{}\" is cited for \"{}\", which no cited test's name or messages, \
                     nor a quoted snapshot, say",
                    citation.words.trim(),
                    term.said
                ));
            }
        }
        for (test, words) in &words {
            if !terms.is_empty() && !terms.iter().any(|t| has_term(words, t)) {
                out.push(format!(
                    "`{test}` is cited for \"{}\", but its name and messages say none of {:?}",
                    citation.words.trim(),
                    terms.iter().map(|t| t.said.as_str()).collect::<Vec<_>>()
                ));
            }
            let named = steps_named(words);
            if !named.is_empty()
                && (!page_step.is_empty() || !block_steps.is_empty())
                && named.is_disjoint(&page_step)
                && named.is_disjoint(&block_steps)
            {
                out.push(format!(
                    "`{test}` is about {named:?}, not this page's step nor one its paragraph names"
                ));
            }
        }
    }
    out
}

#[test]
fn every_citation_on_a_page_is_a_test_or_snapshot_that_says_its_claim() {
    let mut faulty = Vec::new();
    let mut checked = 0;
    for (page, text) in prose_pages() {
        for (line, block) in prose_blocks(&text) {
            checked += citations(&block, &page).len();
            for fault in faults(&block, &page) {
                faulty.push(format!(
                    "{}:{line}: {fault}",
                    page.strip_prefix(root().join("book/src"))
                        .unwrap_or(&page)
                        .display()
                ));
            }
        }
    }
    assert!(
        faulty.is_empty(),
        "citations that do not prove their words ({} of {checked}):\n{}",
        faulty.len(),
        faulty.join("\n")
    );
    assert!(checked >= 100, "only {checked} citations read");
}

/// The mutation the rule is for: a test that exists, cited for a claim its
/// assertions do not touch.
#[test]
fn a_test_cited_for_a_claim_its_assertions_do_not_touch_is_caught() {
    let page = root().join("book/src/steps/listing-20-20.md");
    let test =
        "claims::the_pool_never_has_more_than_four_workers_however_many_connections_listing_20_20";
    let right = format!("The pool never has more than four workers (`{test}`).");
    assert_eq!(faults(&right, &page), Vec::<String>::new());
    let wrong = format!("The server panics on its first request (`{test}`).");
    let found = faults(&wrong, &page);
    assert!(
        found.iter().any(|f| f.contains("\"panics\"")),
        "a thread-count test cited for a panic passed: {found:?}"
    );
    // Its number, too: it counts four workers, not fifteen requests.
    let wrong = format!("It serves fifteen requests at once (`{test}`).");
    assert!(!faults(&wrong, &page).is_empty());
    // And its step: a test of listing 20-20 proves nothing of 21-20.
    let other = root().join("book/src/steps/listing-21-20.md");
    assert!(
        faults(&right, &other)
            .iter()
            .any(|f| f.contains("not this page's step")),
        "a test of listing 20-20 was taken for listing 21-20's"
    );
}

#[test]
fn a_test_is_read_as_its_name_and_its_messages_two_calls_deep() {
    let source = r#"
        #[test]
        fn a_case_listing_20_20() { helper("listing-20-20"); }
        fn helper(step: &str) { inner(step); assert!(true, "the {step} server panics"); }
        fn inner(_: &str) { let _ = "{ not a brace"; assert_eq!(1, 1, "exits with 101"); }
    "#;
    let words = test_words(source, "a_case_listing_20_20");
    for expected in ["a case listing 20 20", "panics", "exits with 101"] {
        assert!(words.contains(expected), "{expected:?} not in {words:?}");
    }
    let terms: Vec<String> =
        key_terms("listing 20-25 exits with status 101 after two requests (`x`)")
            .into_iter()
            .map(|t| t.said)
            .collect();
    assert_eq!(terms, ["101", "exits", "two"]);
}
