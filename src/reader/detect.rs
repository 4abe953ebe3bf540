//! Which step a reader's own project is at: its code compared, token by
//! token, with every step of every printing, after setting aside what a
//! reader may type differently without changing the program: comments,
//! layout, the names of their own variables, and their crate's name.

use std::collections::HashMap;
use std::str::FromStr;

use super::{scaffold, Project};
use crate::registry::{Kind, Outcome, Step, STEPS};
use crate::Result;

/// How a project built, where that is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Built {
    /// It built (with or without warnings).
    Builds,
    /// It failed with these error codes (sorted).
    FailsWith(Vec<String>),
}

impl Built {
    /// Whether `step` builds this way.
    pub(crate) fn is_as(&self, step: &Step) -> bool {
        match (self, step.outcome()) {
            (Built::Builds, Outcome::Compiles | Outcome::Warns(_)) => true,
            (Built::FailsWith(codes), Outcome::FailsWith(expected)) => codes == expected,
            _ => false,
        }
    }
}

/// The step a project is at, and why.
#[derive(Clone, Debug)]
pub struct Found {
    pub step: &'static Step,
    /// How alike the code is, from 0 to 1 (1: the same program).
    pub alike: f64,
    /// Other steps whose code is the very same as `step`'s, once set aside
    /// what `tokens` sets aside: no project can tell them apart.
    pub twins: Vec<&'static Step>,
    /// The closest step with other code, and how alike it is (not looked
    /// for when the project is a step's very code).
    pub runner_up: Option<(&'static Step, f64)>,
    /// Whether the project builds as the step does, where that is known.
    pub builds_as_the_step: Option<bool>,
}

/// The step `project` is at. `built` (where the project has been built)
/// breaks ties: a project that fails with E0599 is at a step that does.
pub(crate) fn closest(project: &Project, built: Option<&Built>) -> Result<Found> {
    let own = crate_name(&project.package);
    let theirs = project_tokens(&project.main, project.lib.as_deref(), &own);
    let steps = step_tokens()?;
    // Steps with the very same code are one candidate.
    let mut codes: Vec<(&Vec<String>, Vec<&'static Step>)> = Vec::new();
    for (step, toks) in steps {
        match codes.iter_mut().find(|(t, _)| *t == toks) {
            Some((_, same)) => same.push(step),
            None => codes.push((toks, vec![step])),
        }
    }
    // How alike each code is, most alike first. A diff is slow, and the
    // ratio can be no higher than the two lengths allow, so codes are
    // tried from the highest such bound down, and only until no code left
    // can beat the second best.
    let bound = |toks: &Vec<String>| {
        2.0 * toks.len().min(theirs.len()) as f64 / (toks.len() + theirs.len()).max(1) as f64
    };
    let mut order: Vec<usize> = (0..codes.len()).collect();
    order.sort_by(|&a, &b| bound(codes[b].0).total_cmp(&bound(codes[a].0)));
    let mut scored: Vec<(usize, f64)> = Vec::new();
    // The same program as a step's: nothing else to weigh.
    if let Some(i) = codes.iter().position(|(toks, _)| **toks == theirs) {
        scored.push((i, 1.0));
        order.clear();
    }
    for i in order {
        let second = scored.get(1).map_or(0.0, |s| s.1);
        if bound(codes[i].0) < second {
            break;
        }
        let toks = codes[i].0;
        let alike = if *toks == theirs {
            1.0
        } else {
            let ops = similar::capture_diff_slices(similar::Algorithm::Myers, toks, &theirs);
            similar::get_diff_ratio(&ops, toks.len(), theirs.len()) as f64
        };
        scored.push((i, alike));
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    // Among steps of the same code, and codes as alike: the one that
    // builds as the project does first, then the one of the project's
    // edition, then the chapter's order (the main line first).
    let rank = |step: &Step| {
        (
            built.is_some_and(|b| b.is_as(step)),
            step.track.edition() == project.edition,
        )
    };
    // Each code's steps in that order, once (the sort is stable, so the
    // chapter's order stays among equals).
    let mut ranked: Vec<(Vec<&'static Step>, f64)> = scored
        .into_iter()
        .map(|(i, alike)| {
            let mut same = codes[i].1.clone();
            same.sort_by_key(|s| std::cmp::Reverse(rank(s)));
            (same, alike)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| rank(b.0[0]).cmp(&rank(a.0[0])))
    });
    let runner_up = ranked.get(1).map(|(same, a)| (same[0], *a));
    let (mut same, alike) = ranked.swap_remove(0);
    let step = same.remove(0);
    let twins = same;
    Ok(Found {
        step,
        alike,
        twins,
        runner_up,
        builds_as_the_step: built.map(|b| b.is_as(step)),
    })
}

/// Every step's tokens, as a reader's project at that step has them (for
/// the pages' listings, the code step's before them), computed once.
fn step_tokens() -> Result<&'static Vec<(&'static Step, Vec<String>)>> {
    static TOKENS: std::sync::OnceLock<Vec<(&'static Step, Vec<String>)>> =
        std::sync::OnceLock::new();
    if let Some(tokens) = TOKENS.get() {
        return Ok(tokens);
    }
    let mut all = Vec::with_capacity(STEPS.len());
    // A page's listing is no code: a project with that page is at the code
    // step before it, and up_next sends it past the page.
    for step in STEPS.iter().filter(|s| !matches!(s.kind(), Kind::Page(_))) {
        let files: HashMap<&str, String> = scaffold::files(step)?.into_iter().collect();
        let main = &files["src/main.rs"];
        let lib = files.get("src/lib.rs").map(|l| l.as_str());
        all.push((step, project_tokens(main, lib, "hello")));
    }
    Ok(TOKENS.get_or_init(|| all))
}

/// [`tokens`] of a project's `main.rs` then its `lib.rs`, each file lexed
/// on its own: a string a reader has not ended yet in one does not run on
/// into the other.
fn project_tokens(main: &str, lib: Option<&str>, own_crate: &str) -> Vec<String> {
    let mut raw = lex(main);
    raw.extend(lib.map(lex).unwrap_or_default());
    renamed(&raw, own_crate)
}

/// The name a package's library is `use`d by (`my-server` → `my_server`).
fn crate_name(package: &str) -> String {
    package.replace('-', "_")
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// The program's tokens, without comments and layout; the package's own
/// crate name read as `hello`; and every name a reader chooses freely (a
/// lowercase name that is not a keyword, not called, not a path and not
/// reached with `.`: their variables, parameters and bindings) renamed
/// `v0`, `v1`, ... in the order they first appear. A lifetime (`'a`,
/// `'static`) is one token, not a name, and stays as it is.
#[cfg(test)]
fn tokens(source: &str, own_crate: &str) -> Vec<String> {
    renamed(&lex(source), own_crate)
}

/// `raw`, as [`lex`] splits a source, with its names as [`tokens`] has them.
fn renamed(raw: &[String], own_crate: &str) -> Vec<String> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, token) in raw.iter().enumerate() {
        let next = raw.get(i + 1).map(String::as_str);
        let after = raw.get(i + 2).map(String::as_str);
        let before = i.checked_sub(1).map(|j| raw[j].as_str());
        if token == own_crate && next == Some(":") && after == Some(":") {
            out.push("hello".to_string());
            continue;
        }
        let free = token.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && token != "_"
            && !KEYWORDS.contains(&token.as_str())
            && !matches!(next, Some("(" | "!"))
            && !(next == Some(":") && after == Some(":"))
            && before != Some(".")
            && !(before == Some(":") && i >= 2 && raw[i - 2] == ":");
        if free {
            let n = names.len();
            out.push(
                names
                    .entry(token.clone())
                    .or_insert_with(|| format!("v{n}"))
                    .clone(),
            );
        } else if token.ends_with('"') {
            // A format string names variables too: `{contents}`.
            out.push(rename_in_format(token, &mut names));
        } else {
            out.push(token.clone());
        }
    }
    out
}

/// `token`, a string literal, with each variable it names in braces
/// (`{contents}`, `{size:?}`) renamed as [`tokens`] renames it.
fn rename_in_format(token: &str, names: &mut HashMap<String, String>) -> String {
    let mut out = String::with_capacity(token.len());
    let mut rest = token;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let closes = rest[end..].starts_with(['}', ':']);
        if closes
            && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && !KEYWORDS.contains(&name)
        {
            let n = names.len();
            out.push_str(
                names
                    .entry(name.to_string())
                    .or_insert_with(|| format!("v{n}")),
            );
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Split Rust source into tokens as the compiler does (proc-macro2's
/// lexer): names whole, literals whole as written (strings, raw strings,
/// byte strings, characters, numbers), a lifetime (`'a`) one token, every
/// other character on its own, a group's delimiters among them; comments,
/// doc comments included, and whitespace dropped.
///
/// A file being edited often does not lex: a `{` not closed yet, a string
/// not ended. Where proc-macro2 stops at a delimiter (a `{` never closed, a
/// `}` that closes nothing) or at a character that starts no token, that
/// character is a token of its own, and the text before it and the text
/// after it are each lexed in the same way: whatever lexes is tokenised as
/// in a file that lexes, and, groups being flattened, a file with a brace
/// missing has every token it would have with the brace, but the brace.
/// Where it stops at a string not ended, that string is taken for one being
/// typed: the rest of its line is one token, and lexing starts again on
/// the next line. The compiler reads a string not ended on to the next `"`,
/// so that strings start where code was down to the end of the file, where
/// a last `"` is never closed: so in a file that does not lex, a string
/// spanning lines (no step has one) is taken for a string not ended too.
fn lex(source: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    // Whether `source` lexes, as far as is known.
    let mut lexes = true;
    // The parts of `source` still to read, the first last, each with
    // whether it is to be lexed or is one token as it is.
    let mut parts = vec![(0..source.len(), true)];
    // What is left of `source` from `at` on: the rest of the line one
    // token, lexing again from the next.
    let from_string_not_ended = |at: usize| {
        let end = source[at..].find('\n').map_or(source.len(), |n| at + n);
        vec![(end..source.len(), true), (at..end, false)]
    };
    while let Some((part, to_lex)) = parts.pop() {
        let text = &source[part.clone()];
        if !to_lex {
            tokens.push(text.to_string());
            continue;
        }
        match proc_macro2::TokenStream::from_str(text) {
            Ok(stream) => {
                if let Some(at) = flatten(stream, text, &mut tokens, lexes) {
                    parts = from_string_not_ended(part.start + at);
                }
            }
            Err(error) => {
                lexes = false;
                let at = part.start + error.span().byte_range().start;
                if let Some(c) = source[at..part.end].chars().next() {
                    if c == '"' {
                        parts = from_string_not_ended(at);
                    } else {
                        let after = at + c.len_utf8();
                        parts.extend([(after..part.end, true), (at..after, false)]);
                    }
                    parts.push((part.start..at, true));
                }
            }
        }
        // proc-macro2 keeps on this thread every text it lexed, for its
        // spans; none is used any more.
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    tokens
}

/// `stream`'s tokens (lexed from `source`) onto `tokens`, as [`lex`] has
/// them; unless `strings_span_lines`, only up to a string literal that
/// spans lines, whose start it returns.
fn flatten(
    stream: proc_macro2::TokenStream,
    source: &str,
    tokens: &mut Vec<String>,
    strings_span_lines: bool,
) -> Option<usize> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut trees = stream.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                if open == "[" && !written(group.span(), open, source) {
                    // A doc comment's `[doc = "..."]`.
                    continue;
                }
                if !open.is_empty() {
                    tokens.push(open.to_string());
                }
                // The group's tokens taken from it, not copied.
                let stream = group.stream();
                drop(group);
                let stopped = flatten(stream, source, tokens, strings_span_lines);
                if stopped.is_some() {
                    return stopped;
                }
                if !close.is_empty() {
                    tokens.push(close.to_string());
                }
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char().to_string();
                if matches!(punct.as_char(), '#' | '!') && !written(punct.span(), &c, source) {
                    // A doc comment's `#` or `#!`.
                    continue;
                }
                match trees.peek() {
                    Some(TokenTree::Ident(name)) if c == "'" => {
                        tokens.push(format!("'{name}"));
                        trees.next();
                    }
                    _ => tokens.push(c),
                }
            }
            TokenTree::Ident(ident) => tokens.push(ident.to_string()),
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if !strings_span_lines && text.contains('\n') {
                    return Some(literal.span().byte_range().start);
                }
                tokens.push(text);
            }
        }
    }
    None
}

/// Whether a token of `span` is in `source` as `text` begins: proc-macro2
/// reads a doc comment (`/// x`, `//! x`, `/** x */`) as the attribute it
/// stands for (`#[doc = " x"]`, `#![doc = " x"]`), each of its tokens
/// spanning the comment, so that they are not. An attribute written as one,
/// `#[doc = "..."]`, is, and is kept as the code it is.
fn written(span: proc_macro2::Span, text: &str, source: &str) -> bool {
    source
        .get(span.byte_range().start..)
        .is_some_and(|rest| rest.starts_with(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_layout_and_chosen_names_are_set_aside() {
        let book = "fn main() {\n    let listener = TcpListener::bind(\"127.0.0.1:7878\").unwrap();\n    for stream in listener.incoming() {\n        let stream = stream.unwrap();\n        handle_connection(stream);\n    }\n}\n";
        let typed = "// my server\nfn main() {\n\n    let l = TcpListener::bind(\"127.0.0.1:7878\")\n        .unwrap(); /* bound */\n    for s in l.incoming() { let s = s.unwrap(); handle_connection(s); }\n}\n";
        assert_eq!(tokens(book, "hello"), tokens(typed, "hello"));
        // What the program does is not set aside.
        let other_port = typed.replace("7878", "8080");
        assert_ne!(tokens(book, "hello"), tokens(&other_port, "hello"));
        let other_call = typed.replace(".incoming()", ".accept()");
        assert_ne!(tokens(book, "hello"), tokens(&other_call, "hello"));
    }

    #[test]
    fn the_crate_name_is_the_package_s() {
        assert_eq!(
            tokens("use hello::ThreadPool;", "hello"),
            tokens("use my_server::ThreadPool;", &crate_name("my-server"))
        );
        assert_ne!(
            tokens("use hello::ThreadPool;", "hello"),
            tokens("use rayon::ThreadPool;", "my_server")
        );
    }

    /// The project `start` writes for every step is found as that step,
    /// or as a step with the very same code, named as its twin.
    #[test]
    fn every_step_s_project_is_found_as_that_step() {
        for step in STEPS {
            let project = project_at(step.name);
            let built = match step.outcome() {
                Outcome::FailsWith(codes) => {
                    Built::FailsWith(codes.iter().map(|c| c.to_string()).collect())
                }
                _ => Built::Builds,
            };
            let found = closest(&project, Some(&built)).unwrap();
            assert_eq!(found.alike, 1.0, "{}", step.name);
            // A page's listing is found as the code step before it.
            let step = step.code_step();
            assert!(
                found.step == step || found.twins.contains(&step),
                "{} was found as {} (twins: {:?})",
                step.name,
                found.step.name,
                found.twins.iter().map(|s| s.name).collect::<Vec<_>>()
            );
            assert_eq!(found.builds_as_the_step, Some(true), "{}", step.name);
        }
    }

    /// A project as `start` writes it for `name`.
    fn project_at(name: &str) -> Project {
        let step = crate::registry::find(name).unwrap();
        let files: HashMap<&str, String> = scaffold::files(step).unwrap().into_iter().collect();
        Project::of_sources(
            "hello",
            step.track.edition(),
            files["src/main.rs"].clone(),
            files.get("src/lib.rs").cloned(),
        )
    }

    /// What a reader typing along changes without changing the program:
    /// comments of their own, blank lines, other names for their variables.
    fn retyped(source: &str) -> String {
        let mut out = String::from("// typed along with the book\n\n");
        for line in source.lines() {
            out.push_str(line);
            if line.trim_start().starts_with("let ") {
                out.push_str(" // mine");
            }
            out.push('\n');
            if line.ends_with('{') {
                out.push('\n');
            }
        }
        for (book, mine) in [("listener", "l"), ("stream", "conn"), ("contents", "body")] {
            out = regex::Regex::new(&format!(r"\b{book}\b"))
                .unwrap()
                .replace_all(&out, mine)
                .into_owned();
        }
        out
    }

    #[test]
    fn projects_typed_by_hand_are_found_as_their_step() {
        for name in [
            "listing-20-10",
            "listing-20-20",
            "no-listing-04-update-worker-definition",
            "listing-21-20",
            "beyond-06-pool-from-crates-io",
        ] {
            let mut project = project_at(name);
            project.main = retyped(&project.main);
            project.lib = project.lib.as_deref().map(retyped);
            assert!(
                project.main.contains("// mine"),
                "{name}: the variation took"
            );
            let found = closest(&project, None).unwrap();
            assert_eq!((found.step.name, found.alike), (name, 1.0), "{name}");

            // Their own crate name, and Rust 2024 for a Rust 2021 step.
            project.package = "my-server".into();
            project.main = project.main.replace("use hello::", "use my_server::");
            project.edition = "2024".into();
            let found = closest(&project, None).unwrap();
            assert_eq!(
                (found.step.name, found.alike),
                (name, 1.0),
                "{name}, renamed crate"
            );
        }
    }

    #[test]
    fn a_project_half_way_to_a_step_is_found_close_to_it() {
        let mut project = project_at("listing-20-20");
        let lib = project.lib.take().unwrap();
        // The worker's loop not typed yet.
        let half = lib.replace("job();", "");
        project.lib = Some(half);
        let found = closest(&project, None).unwrap();
        assert_eq!(found.step.name, "listing-20-20");
        assert!(found.alike > 0.95 && found.alike < 1.0, "{}", found.alike);
        assert!(found.runner_up.is_some_and(|(_, a)| a <= found.alike));
    }

    #[test]
    fn literals_are_whole_tokens() {
        assert_eq!(
            lex(r#"b"GET / HTTP/1.1\r\n" '\n' 'a' r"x" x.len()"#),
            [
                r#"b"GET / HTTP/1.1\r\n""#,
                r"'\n'",
                "'a'",
                r#"r"x""#,
                "x",
                ".",
                "len",
                "(",
                ")"
            ]
        );
    }

    #[test]
    fn raw_strings_end_at_their_own_quote_and_hashes() {
        assert_eq!(
            lex(r###"let s = r#"a "b" c"#; r##"x"#y"##.len()"###),
            [
                "let",
                "s",
                "=",
                r##"r#"a "b" c"#"##,
                ";",
                r###"r##"x"#y"##"###,
                ".",
                "len",
                "(",
                ")"
            ]
        );
        // A name ending in r before a `#` is a name.
        assert_eq!(lex("bar#x"), ["bar", "#", "x"]);
    }

    #[test]
    fn block_comments_nest() {
        assert_eq!(lex("a /* a /* b */ c */ b /**/ c"), ["a", "b", "c"]);
        assert_eq!(lex("a /* /* */ */ */ b"), ["a", "*", "/", "b"]);
    }

    #[test]
    fn characters_are_literals_and_lifetimes_one_token() {
        assert_eq!(
            lex(r"'a' '\'' '\\' '\u{7f}' 'a 'static '_"),
            ["'a'", r"'\''", r"'\\'", r"'\u{7f}'", "'a", "'static", "'_"]
        );
        assert_eq!(
            lex("fn f<'a>(x: &'a str) -> char { 'a' }"),
            [
                "fn", "f", "<", "'a", ">", "(", "x", ":", "&", "'a", "str", ")", "-", ">", "char",
                "{", "'a'", "}"
            ]
        );
        // A lifetime is not a name a reader chose for a variable: `'a`
        // stays as it is, and the parameter `a` is renamed on its own.
        assert_eq!(
            tokens(
                "fn f<'a>(a: &'a str) -> Box<dyn Fn() + 'static> {}",
                "hello"
            ),
            [
                "fn", "v0", "<", "'a", ">", "(", "v1", ":", "&", "'a", "v2", ")", "-", ">", "Box",
                "<", "dyn", "Fn", "(", ")", "+", "'static", ">", "{", "}"
            ]
        );
    }

    #[test]
    fn doc_comments_are_set_aside_like_comments() {
        let documented = "//! The pool.\n\n/// A pool.\npub struct ThreadPool;\n/** New. */\n#[inline]\nfn new() { /*! Inner. */ }\n";
        assert_eq!(
            lex(documented),
            [
                "pub",
                "struct",
                "ThreadPool",
                ";",
                "#",
                "[",
                "inline",
                "]",
                "fn",
                "new",
                "(",
                ")",
                "{",
                "}"
            ]
        );
        assert_eq!(
            tokens(documented, "hello"),
            tokens("pub struct ThreadPool; #[inline] fn new() {}", "hello")
        );
        // Four slashes are an ordinary comment; an attribute written as one
        // is code, and kept.
        assert_eq!(
            lex("//// x\n#![doc = \"y\"]\n#[doc = \"z\"]"),
            ["#", "!", "[", "doc", "=", "\"y\"", "]", "#", "[", "doc", "=", "\"z\"", "]"]
        );
    }

    #[test]
    fn byte_strings_and_byte_characters_are_whole() {
        assert_eq!(
            lex(r###"b"GET / HTTP/1.1\r\n" b'a' b'\'' br#"a "b""# b"\"""###),
            [
                r#"b"GET / HTTP/1.1\r\n""#,
                "b'a'",
                r"b'\''",
                r###"br#"a "b""#"###,
                r#"b"\"""#
            ]
        );
    }

    #[test]
    fn comment_marks_in_strings_are_the_string_s() {
        assert_eq!(
            lex(r#"f("http://x", "/* y", '/') // z"#),
            ["f", "(", r#""http://x""#, ",", r#""/* y""#, ",", "'/'", ")"]
        );
    }

    #[test]
    fn what_does_not_lex_is_lexed_around() {
        // A brace not closed, one that closes nothing, a parenthesis that
        // closes a bracket: the same tokens as the delimiters would have.
        assert_eq!(
            lex("fn main() { let x = (1;"),
            ["fn", "main", "(", ")", "{", "let", "x", "=", "(", "1", ";"]
        );
        assert_eq!(lex("a) } b"), ["a", ")", "}", "b"]);
        assert_eq!(lex("f([1)]"), ["f", "(", "[", "1", ")", "]"]);
        // A string not ended: the rest of its line, and the next lines
        // read as code.
        assert_eq!(
            lex("let s = \"abc\nlet t = 1;"),
            ["let", "s", "=", "\"abc", "let", "t", "=", "1", ";"]
        );
        // Not where the compiler would end it, at the next quote.
        assert_eq!(
            lex("let a = \"x;\nlet b = \"y\";\nlet c = 1;"),
            ["let", "a", "=", "\"x;", "let", "b", "=", "\"y\"", ";", "let", "c", "=", "1", ";"]
        );
        // In a file that lexes, a string spanning lines is one.
        assert_eq!(lex("let s = \"a\nb\";"), ["let", "s", "=", "\"a\nb\"", ";"]);
        // A block comment not ended, and characters that start no token.
        assert_eq!(lex("a /* b"), ["a", "/", "*", "b"]);
        assert_eq!(lex("a \\ ` € b"), ["a", "\\", "`", "€", "b"]);
    }

    /// A file being edited, which does not lex yet, is found close to its
    /// step.
    #[test]
    fn a_project_being_edited_is_found_close_to_its_step() {
        type Edit = fn(&mut Project);
        let edits: [(&str, Edit); 5] = [
            ("a closure not closed yet", |p| {
                p.main = p.main.replacen("        });\n", "", 1);
            }),
            ("the last `}` of lib.rs missing", |p| {
                let lib = p.lib.as_mut().unwrap();
                lib.truncate(lib.trim_end().len() - 1);
            }),
            ("a string being typed at the end of a line", |p| {
                p.main = p
                    .main
                    .replacen("{length}\\r\\n\\r\\n{contents}\");", "{length}", 1);
            }),
            ("a line being typed in main.rs", |p| {
                p.main = p.main.replacen(
                    "stream.unwrap();\n",
                    "stream.unwrap();\n        println!(\"Connection\n",
                    1,
                );
            }),
            ("a line being typed in lib.rs", |p| {
                let lib = p.lib.as_mut().unwrap();
                *lib = lib.replacen(
                    "Box::new(f);\n",
                    "Box::new(f);\n        println!(\"Job\n",
                    1,
                );
            }),
        ];
        for (what, edit) in edits {
            let mut project = project_at("listing-20-20");
            edit(&mut project);
            let lexes = |file: &str| proc_macro2::TokenStream::from_str(file).is_ok();
            assert!(
                !lexes(&project.main) || !lexes(project.lib.as_deref().unwrap()),
                "{what}: a file does not lex"
            );
            let found = closest(&project, None).unwrap();
            assert_eq!(found.step.name, "listing-20-20", "{what}");
            assert!(
                found.alike > 0.99 && found.alike < 1.0,
                "{what}: {}",
                found.alike
            );
        }
    }
}
