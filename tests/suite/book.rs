//! book/ is built from the files the tests check: every step has a page,
//! every include resolves, and every step, snapshot or code block a page
//! names exists. Nothing on a step page is pasted by hand. Its prose is
//! held to the same: what it says of the registry as a whole is written
//! from the registry, and what it says a step does names its proof (see
//! the comments above each part below).

use kit::facts::StepFacts;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use companion::compile::root;
use companion::registry::{Files, Kind, Outcome, STEPS};
use regex::Regex;

fn book_src() -> PathBuf {
    root().join("book/src")
}

/// Every `.md` file of the book, with its text.
pub(crate) fn pages() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![book_src()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

/// The `{{#include path[:...]}}` directives of a page: (path as written,
/// what follows the path).
fn includes(text: &str) -> Vec<(String, String)> {
    static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{\{#(?:include|rustdoc_include) ([^:}]+)((?::[^}]*)?)\}\}").unwrap()
    });
    INCLUDE
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

#[test]
fn every_step_has_a_page_listed_in_the_summary() {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    for step in STEPS {
        let page = format!("steps/{}.md", step.name);
        assert!(
            book_src().join(&page).is_file(),
            "{} has no page {page}",
            step.name
        );
        assert!(
            summary.contains(&format!("]({page})")),
            "SUMMARY.md does not list {page}"
        );
    }
    for page in ["introduction.md", "next.md"] {
        assert!(
            summary.contains(&format!("]({page})")),
            "SUMMARY.md does not list {page}"
        );
    }
}

/// A part title of the summary heads pages: two titles in a row would
/// leave the first one empty in the book's sidebar.
#[test]
fn every_part_title_of_the_summary_heads_at_least_one_page() {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let lines: Vec<&str> = summary
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# Summary"))
        .collect();
    for pair in lines.windows(2) {
        assert!(
            !(pair[0].starts_with("# ") && pair[1].starts_with("# ")),
            "SUMMARY.md: the part {:?} has no pages before {:?}",
            pair[0],
            pair[1]
        );
    }
    assert!(
        !lines.last().is_some_and(|l| l.starts_with("# ")),
        "SUMMARY.md ends with a part title"
    );
}

#[test]
fn every_include_points_at_an_existing_file_and_range() {
    let mut count = 0;
    for (page, text) in pages() {
        for (path, rest) in includes(&text) {
            let file = page.parent().unwrap().join(&path);
            let body = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{}: include of missing {path}", page.display()));
            let lines: Vec<&str> = body.lines().collect();
            let spec = rest.trim_start_matches(':');
            if spec.is_empty() {
            } else if let Some((from, _)) = spec.split_once(':') {
                let from: usize = from.parse().expect("a line number");
                assert!(
                    from <= lines.len(),
                    "{}: {path} has no line {from}",
                    page.display()
                );
                if path.ends_with(".snap") {
                    // A snapshot's text starts right after its header.
                    assert_eq!(
                        lines[from - 2],
                        "---",
                        "{}: {path}:{from} is not where the snapshot starts",
                        page.display()
                    );
                }
            } else {
                let anchor = format!("ANCHOR: {spec}");
                assert!(
                    body.contains(&anchor),
                    "{}: {path} has no anchor {spec}",
                    page.display()
                );
            }
            count += 1;
        }
    }
    assert!(count >= 100, "only {count} includes");
}

#[test]
fn every_step_or_snapshot_a_page_names_exists() {
    let step_name = Regex::new(
        r"\b(no-listing-0\d-[a-z]+(?:-[a-z]+)*(?:-2018|-2024)?|listing-2[01]-\d\d(?:-2018)?)\b",
    )
    .unwrap();
    let snapshot = Regex::new(r"snapshots/([A-Za-z0-9_.-]+\.snap)").unwrap();
    for (page, text) in pages() {
        for name in step_name.captures_iter(&text) {
            assert!(
                companion::registry::find(&name[1]).is_some(),
                "{} names a step that does not exist: {}",
                page.display(),
                &name[1]
            );
        }
        for snap in snapshot.captures_iter(&text) {
            assert!(
                root().join("snapshots").join(&snap[1]).is_file(),
                "{} names a snapshot that does not exist: {}",
                page.display(),
                &snap[1]
            );
        }
    }
}

#[test]
fn step_pages_show_their_code_diff_and_output_from_the_tested_files() {
    for step in STEPS {
        let text =
            std::fs::read_to_string(book_src().join(format!("steps/{}.md", step.name))).unwrap();
        let included: Vec<String> = includes(&text).into_iter().map(|(p, _)| p).collect();
        let has = |file: &str| included.iter().any(|p| Path::new(p).ends_with(file));
        let mut expected: Vec<String> = step.listing_files();
        // A module in another step's folder is shown on that step's page.
        if step.module_path_line().is_some() {
            expected.retain(|f| Some(f.as_str()) != step.module);
        }
        if !matches!(step.kind(), Kind::Page(_)) {
            expected.push(format!("snapshots/{}.diff.snap", step.name));
        }
        match step.outcome() {
            Outcome::FailsWith(_) => expected.push(format!("snapshots/{}.errors.snap", step.name)),
            Outcome::Warns(_) => expected.push(format!("snapshots/{}.warnings.snap", step.name)),
            Outcome::Compiles => {}
        }
        if step.is_server() {
            expected.push(format!("snapshots/{}.session.snap", step.name));
        }
        for file in &expected {
            assert!(has(file), "{}'s page does not include {file}", step.name);
        }
        let command = if step.fails_to_compile() {
            format!("cargo run --features compile-fail --bin {}", step.name)
        } else {
            format!("cargo run --bin {}", step.name)
        };
        assert!(
            text.contains(&command),
            "{}'s page does not say how to run it",
            step.name
        );
    }
}

#[test]
fn code_and_output_blocks_on_step_pages_are_includes_only() {
    let fence = Regex::new(r"(?ms)^```(rust|diff|text|html)\n(.*?)^```").unwrap();
    for step in STEPS {
        let text =
            std::fs::read_to_string(book_src().join(format!("steps/{}.md", step.name))).unwrap();
        for block in fence.captures_iter(&text) {
            for line in block[2].lines() {
                assert!(
                    line.starts_with("{{#include "),
                    "{}: a {} block has a line that is not an include: {line:?}",
                    step.name,
                    &block[1]
                );
            }
        }
    }
}

/// The page on the benchmark quotes figures of the run committed beside it
/// (`book/src/bench/`), and only as that run gives them: the median of its
/// runs with their range, `13,111 [12,070–13,902]`, `1.26× [1.10–1.40×]`,
/// `4.1 [3.9–4.5] µs`, each written so in that run's `results.md`, so that
/// a refreshed run cannot leave the prose quoting the old one unnoticed. A
/// figure without its range is refused, and so is a sentence that calls one
/// server faster or slower than another without two ranges that do not
/// overlap.
#[test]
fn the_benchmark_page_quotes_the_committed_run() {
    let page = std::fs::read_to_string(book_src().join("what-the-pool-buys.md")).unwrap();
    let results = std::fs::read_to_string(book_src().join("bench/results.md")).unwrap();
    // The prose only: the included results and the commands are not quotes.
    let prose: String = prose_blocks(&page)
        .into_iter()
        .map(|(_, block)| block + "\n")
        .collect();
    let ranged = Regex::new(r"\b\d[\d,]*(?:\.\d+)?×? \[[\d.,]+–[\d.,]+×?\]").unwrap();
    let mut quoted = 0;
    for figure in ranged.find_iter(&prose) {
        assert!(
            results.contains(figure.as_str()),
            "what-the-pool-buys.md quotes {}, which the committed run \
             (book/src/bench/results.md) does not have",
            figure.as_str()
        );
        quoted += 1;
    }
    assert!(quoted >= 15, "only {quoted} figures with their range");
    // What is left once every figure with its range is taken out: no ratio,
    // no rate of thousands, no time in µs may stand alone.
    let rest = ranged.replace_all(&prose, "FIGURE");
    let bares = [
        r"\b\d+\.\d+×",
        r"\b\d+(?:\.\d+)? times\b",
        r"\b\d{1,3}(?:,\d{3})+\b",
        r"\b\d+(?:\.\d+)? µs",
    ]
    .map(|bare| Regex::new(bare).unwrap());
    for bare in &bares {
        if let Some(found) = bare.find(&rest) {
            panic!(
                "what-the-pool-buys.md quotes {} without its range over the runs",
                found.as_str()
            );
        }
    }
    // "Faster" (and the like) only between ratios whose ranges do not
    // overlap, or by a ratio of the two servers whose range leaves out 1.
    let range = Regex::new(r"\[([\d.,]+)–([\d.,]+)×\]").unwrap();
    let number = |s: &str| s.replace(',', "").parse::<f64>().unwrap();
    let comparison = Regex::new(r"(?i)\b(faster|slower|outperform\w*|beats?)\b").unwrap();
    for sentence in prose.split(". ") {
        if !comparison.is_match(sentence) {
            continue;
        }
        let ranges: Vec<(f64, f64)> = range
            .captures_iter(sentence)
            .map(|c| (number(&c[1]), number(&c[2])))
            .collect();
        let apart = ranges
            .iter()
            .any(|a| a.1 < 1.0 || a.0 > 1.0 || ranges.iter().any(|b| a.1 < b.0 || b.1 < a.0));
        assert!(
            apart,
            "what-the-pool-buys.md compares without two ranges apart: {sentence}"
        );
    }
    // Every request rate of 1,000 or more, on the page and in the run's
    // own text, is a rate of the run's CSV, rounded as the table rounds it:
    // within half a request of it, give or take the CSV's own rounding to
    // a tenth (53710.7 is 53,711 wherever it is written, never 53,710).
    let csv = std::fs::read_to_string(book_src().join("bench/results.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (rps, good) = (column("requests_per_sec"), column("good_per_sec"));
    let rates: Vec<f64> = lines
        .flat_map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            [rps, good]
                .into_iter()
                .filter_map(move |c| fields.get(c)?.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    let thousands = Regex::new(r"\b(\d{1,3}(?:,\d{3})+)\b").unwrap();
    for (name, text) in [
        ("what-the-pool-buys.md", &prose),
        ("bench/results.md", &results),
    ] {
        for figure in thousands.captures_iter(text) {
            let value: f64 = figure[1].replace(',', "").parse().unwrap();
            assert!(
                rates.iter().any(|rate| (rate - value).abs() <= 0.55),
                "{name} writes {}, which is no rate of results.csv rounded",
                &figure[1]
            );
        }
    }
}

// What the pages say of the registry as a whole (how many steps fail to
// compile and on which tracks, what each track covers, which stages are not
// the book's file, which steps have no counterpart) is written from the
// registry by kit::book into snapshots/book.registry.snap, pinned below,
// and included by the pages, so no such count or list is typed. Chosen
// over an mdBook preprocessor, which would have every `mdbook build` and
// `mdbook serve` compile and run our code (and follow mdBook's
// preprocessor protocol from version to version), and over typed counts
// that a test compares with the registry, which would have each new step
// edit prose: the facts are one more pinned file the pages include, as
// they include every code block and output, and a new step changes it
// through `cargo insta review` like its other snapshots.

/// A page's prose, block by block: each paragraph, list item and table
/// row outside fenced code, headings left out; with the line it starts on.
pub(crate) fn prose_blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let starts_item =
            trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with('|');
        let ends = fenced
            || trimmed.is_empty()
            || trimmed.starts_with("```")
            || trimmed.starts_with('#')
            || starts_item;
        if ends {
            blocks.extend(current.take());
        }
        if trimmed.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match &mut current {
            Some((_, block)) => {
                block.push(' ');
                block.push_str(trimmed);
            }
            None => current = Some((i + 1, trimmed.to_string())),
        }
    }
    blocks.extend(current);
    blocks
}

/// The registry's facts as the pages say them (how many steps fail, on
/// which tracks, what each track covers, which stages are not the book's
/// file, which steps have no counterpart), pinned in
/// `snapshots/book.registry.snap`, which the pages include: a change to
/// the registry fails here until the file, and so the pages, follow it.
#[test]
fn the_registry_facts_the_pages_include_are_the_registrys() {
    let facts = kit::book::registry_facts();
    kit::assert_pinned(
        "book.registry",
        "what the walkthrough says of the registry (kit::book::registry_facts), \
         included by its pages",
        &facts,
    );
    let included: Vec<String> = pages()
        .iter()
        .flat_map(|(_, text)| includes(text))
        .filter(|(path, _)| path.ends_with("snapshots/book.registry.snap"))
        .map(|(_, anchor)| anchor.trim_start_matches(':').to_string())
        .collect();
    for anchor in facts.lines().filter_map(|l| l.strip_prefix("ANCHOR: ")) {
        assert!(
            included.iter().any(|a| a == anchor),
            "no page includes the fact {anchor} of book.registry.snap"
        );
    }
}

/// A count of steps typed in prose goes stale when a step is added: the
/// counts come from the registry's facts instead.
#[test]
fn no_page_types_a_count_of_steps() {
    let count = Regex::new(
        r"(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|\d+)(-[a-z]+)? (steps|listings|exercises|stages|printings|tracks)\b",
    )
    .unwrap();
    for (page, text) in pages() {
        for (line, block) in prose_blocks(&text) {
            if let Some(typed) = count.find(&block) {
                panic!(
                    "{}:{line} types \"{}\": a count of steps comes from the registry \
                     (an anchor of snapshots/book.registry.snap, see kit::book)",
                    page.display(),
                    typed.as_str()
                );
            }
        }
    }
}

/// The book covers every track (both chapters, the other printings, the
/// exercises): its title names no single chapter when the registry has
/// more than one, and its introduction lists every track.
#[test]
fn the_title_and_the_introduction_cover_every_track() {
    let chapters: std::collections::BTreeSet<u32> =
        STEPS.iter().map(|s| s.track.chapter()).collect();
    let toml = kit::read_repo("book/book.toml");
    let title = toml
        .lines()
        .find_map(|l| l.strip_prefix("title = "))
        .expect("book.toml has a title");
    if chapters.len() > 1 {
        for chapter in &chapters {
            assert!(
                !title.to_lowercase().contains(&format!("chapter {chapter}")),
                "the title {title} names chapter {chapter} alone, but the book covers \
                 chapters {chapters:?}"
            );
        }
    }
    let introduction = std::fs::read_to_string(book_src().join("introduction.md")).unwrap();
    assert!(
        introduction.contains("{{#include ../../snapshots/book.registry.snap:tracks}}"),
        "the introduction lists what the book covers from the registry"
    );
}

// Every paragraph that says what a step does, prints or how it ends names
// the test or the snapshot that proves it, in a form a test can check:
//
// - a test as the path `cargo test` takes, in backticks:
//   `claims::a_connection_closed_without_a_request_makes_the_final_server_exit_101_listing_20_25`
//   (a module of tests/suite/ and the test), or, on a worked exercise's
//   page, `compared::...` (a test module of that step's own files);
// - a snapshot and what it says, quoted:
//   (`listing-20-25.session.snap`: `exited with status 0`), each quote a
//   piece of the snapshot's text.
//
// A test that is gone, or a snapshot that no longer says what the page
// quotes, fails the tests below; a test that no longer holds fails itself.
// A test reads the pages because the proof is the reader's too: the name
// on the page is the test to run.

/// The pages of prose that make claims: every page but the summary and
/// the benchmark's (whose figures `the_benchmark_page_quotes_the_committed_run`
/// checks against the committed run), with their text.
pub(crate) fn prose_pages() -> Vec<(PathBuf, String)> {
    pages()
        .into_iter()
        .filter(|(path, _)| {
            !["SUMMARY.md", "what-the-pool-buys.md", "results.md"]
                .iter()
                .any(|name| path.ends_with(name))
        })
        .collect()
}

/// The modules of the test suite (`tests/suite/<module>.rs`).
fn suite_modules() -> Vec<String> {
    std::fs::read_dir(root().join("tests/suite"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".rs")
                .filter(|m| *m != "main")
                .map(str::to_string)
        })
        .collect()
}

/// Whether `source` has a `#[test]` function called `name`.
fn has_test(source: &str, name: &str) -> bool {
    static TEST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"#\[test\]\s*(?:#\[[^\]]*\]\s*)*fn ([A-Za-z0-9_]+)\s*\(").unwrap()
    });
    TEST.captures_iter(source).any(|c| &c[1] == name)
}

/// The source files of a step page's step: its own, and the library it
/// runs on.
pub(crate) fn step_sources(page: &Path) -> Vec<String> {
    let Some(step) = page
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(companion::registry::find)
    else {
        return Vec::new();
    };
    let mut files = step.listing_files();
    files.extend(step.library_step().and_then(|s| s.lib_rs()));
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(root().join(f)).ok())
        .collect()
}

/// The tests a block cites: each backticked `module::test` path, with
/// whether it names a test of the suite or of the page's step (`Ok`), or
/// what is wrong with it (`Err`). A path counts as a citation when its
/// first part is a module of the suite or a test module of the step, or
/// when its last part reads like a test's name (three underscores or
/// more); Rust paths such as `thread::spawn` are neither.
pub(crate) fn cited_tests(block: &str, page: &Path) -> Vec<Result<String, String>> {
    static SPAN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"`([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)+)`").unwrap());
    let mut out = Vec::new();
    if !SPAN.is_match(block) {
        return out;
    }
    let modules = suite_modules();
    let sources = step_sources(page);
    for path in SPAN.captures_iter(block) {
        let path = &path[1];
        let parts: Vec<&str> = path.split("::").collect();
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        let step_module = sources
            .iter()
            .any(|s| s.contains(&format!("mod {first} {{")) && s.contains("#[test]"));
        let suite = modules.iter().any(|m| m == first);
        if !suite && !step_module && last.matches('_').count() < 3 {
            continue;
        }
        let found = if suite {
            parts.len() == 2 && has_test(&kit::read_repo(&format!("tests/suite/{first}.rs")), last)
        } else {
            sources.iter().any(|s| {
                s.find(&format!("mod {first} {{"))
                    .is_some_and(|at| has_test(&s[at..], last))
            })
        };
        out.push(if found {
            Ok(path.to_string())
        } else {
            Err(path.to_string())
        });
    }
    out
}

/// The snapshot quotes of a block: (`x.snap`: `quote`, `quote`) gives
/// the snapshot's file name and each quote.
pub(crate) fn snapshot_quotes(block: &str) -> Vec<(String, Vec<String>)> {
    static CITED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"`(?:snapshots/)?([A-Za-z0-9_.-]+\.snap)`:((?:(?:,| and)? `[^`]+`)+)").unwrap()
    });
    static QUOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`([^`]+)`").unwrap());
    CITED
        .captures_iter(block)
        .map(|c| {
            let quotes = QUOTE
                .captures_iter(&c[2])
                .map(|q| q[1].to_string())
                .collect();
            (c[1].to_string(), quotes)
        })
        .collect()
}

#[test]
fn every_test_a_page_cites_is_a_test_of_the_suite_or_of_its_step() {
    let mut cited = 0;
    for (page, text) in prose_pages() {
        for (line, block) in prose_blocks(&text) {
            for citation in cited_tests(&block, &page) {
                match citation {
                    Ok(_) => cited += 1,
                    Err(path) => panic!(
                        "{}:{line} cites `{path}`, which is no test: a test of the suite is \
                         `module::test` (tests/suite/module.rs), one of a worked exercise \
                         `module::test` of a test module in its own files",
                        page.display()
                    ),
                }
            }
        }
    }
    assert!(cited >= 40, "only {cited} tests cited");
}

#[test]
fn every_snapshot_a_page_quotes_says_what_it_quotes() {
    let mut quoted = 0;
    for (page, text) in prose_pages() {
        for (line, block) in prose_blocks(&text) {
            for (snapshot, quotes) in snapshot_quotes(&block) {
                let path = root().join("snapshots").join(&snapshot);
                let file = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                    panic!(
                        "{}:{line} quotes {snapshot}, which does not exist",
                        page.display()
                    )
                });
                let (_, body) = kit::split_snapshot(&file);
                for quote in quotes {
                    assert!(
                        body.contains(&quote),
                        "{}:{line} quotes `{quote}` from {snapshot}, which does not say it",
                        page.display()
                    );
                    quoted += 1;
                }
            }
        }
    }
    assert!(quoted >= 40, "only {quoted} quotes");
}

/// The words of a claim about what a step does when it runs: what it
/// prints, whether it answers, panics, waits, blocks, and how it ends. A
/// test cannot read English; it holds every paragraph with one of these
/// words to naming its proof. A paragraph that ends with a colon is the
/// caption of the output shown right below it, and is its own proof.
const CLAIM_WORDS: &str = r"(?i)\b(panic(s|ked)?|exit(s|ed)?|status \d+|prints|refused|abort(s|ed)?|blocks forever|blocked|hangs?|never (finishes|returns|ends)|waits?|without (a response|an answer|a reply|a word)|no (response|reply|answer)|clos(e|es|ed) (the|their|each|its|those) connections?|connections? (close|closed)|still running|shuts? down|stops? after)\b";

#[test]
fn every_paragraph_about_what_a_step_does_names_its_proof() {
    let claim = Regex::new(CLAIM_WORDS).unwrap();
    let mut unproven = Vec::new();
    let mut claims = 0;
    for (page, text) in prose_pages() {
        for (line, block) in prose_blocks(&text) {
            let Some(word) = claim.find(&block) else {
                continue;
            };
            if block.ends_with(':') {
                continue;
            }
            claims += 1;
            let proven = cited_tests(&block, &page).iter().any(Result::is_ok)
                || snapshot_quotes(&block).iter().any(|(_, q)| !q.is_empty());
            if !proven {
                unproven.push(format!(
                    "{}:{line} says \"{}\" and names no test, nor quotes a snapshot",
                    page.strip_prefix(book_src()).unwrap_or(&page).display(),
                    word.as_str()
                ));
            }
        }
    }
    assert!(
        unproven.is_empty(),
        "paragraphs that say what a step does without naming the proof (cite a \
         test as `module::test`, or quote a snapshot as (`x.snap`: `what it says`)):\n{}",
        unproven.join("\n")
    );
    assert!(claims >= 60, "only {claims} claims found");
}

/// How a step page captions the step's `main.rs`: the book's file, or, where
/// the stage is not the book's file for its step (`FILE_DIFFERENCES`, and
/// the 2018 printing's steps before its listing 20-25, which never show
/// `main`), the file a reader has at that step; with the scaffold lines
/// named as ours.
fn main_rs_caption(step: &companion::registry::Step) -> Option<String> {
    use companion::registry::{Track, FILE_DIFFERENCES};
    // The 2018 printing keeps `main` in src/bin/main.rs, and prints it only
    // from its listing 20-25 on, the first to say `Shutting down.`.
    let (file, printed) = match step.track {
        Track::Exercises => return None,
        Track::Print2018 => (
            "src/bin/main.rs",
            kit::read_repo(&step.main_rs()).contains("Shutting down."),
        ),
        _ => ("src/main.rs", true),
    };
    let differs = FILE_DIFFERENCES.iter().any(|d| d.step == step.name);
    let whose = if differs || !printed {
        format!("your `{file}` at this step")
    } else {
        format!("the book's `{file}`")
    };
    let ours = if step.files == Files::MainAndModule {
        " (the last two lines are ours)"
    } else {
        ""
    };
    Some(format!("`{}`, {whose}{ours}:", step.main_rs()))
}

#[test]
fn main_rs_captions_say_whose_file_it_is() {
    for step in STEPS {
        if matches!(step.kind(), Kind::Page(_)) {
            continue;
        }
        let text =
            std::fs::read_to_string(book_src().join(format!("steps/{}.md", step.name))).unwrap();
        let caption = text
            .lines()
            .find(|l| l.starts_with(&format!("`{}`", step.main_rs())))
            .unwrap_or_else(|| panic!("{}'s page has no caption for main.rs", step.name));
        match main_rs_caption(step) {
            Some(expected) => assert_eq!(caption, expected, "{}", step.name),
            None => assert!(
                !caption.contains("the book's") && !caption.contains("your `"),
                "{}: a worked exercise is our code: {caption}",
                step.name
            ),
        }
    }
}
