//! Which step a reader's own project is at: its code compared, token by
//! token, with every step of every printing, after setting aside what a
//! reader may type differently without changing the program: comments,
//! layout, the names of their own variables, and their crate's name.

use std::collections::HashMap;

use super::{scaffold, Project};
use crate::registry::{Outcome, Step, STEPS};
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
    pub fn is_as(&self, step: &Step) -> bool {
        match (self, step.outcome) {
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
pub fn closest(project: &Project, built: Option<&Built>) -> Result<Found> {
    let own = crate_name(&project.package);
    let theirs = tokens(&source(&project.main, project.lib.as_deref()), &own);
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
    for step in STEPS {
        let files: HashMap<&str, String> = scaffold::files(step)?.into_iter().collect();
        let source = source(
            &files["src/main.rs"],
            files.get("src/lib.rs").map(|l| l.as_str()),
        );
        all.push((step, tokens(&source, "hello")));
    }
    Ok(TOKENS.get_or_init(|| all))
}

fn source(main: &str, lib: Option<&str>) -> String {
    match lib {
        Some(lib) => format!("{main}\n/* lib.rs */\n{lib}"),
        None => main.to_string(),
    }
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
/// `v0`, `v1`, ... in the order they first appear.
pub fn tokens(source: &str, own_crate: &str) -> Vec<String> {
    let raw = lex(source);
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

/// Split Rust source into tokens: names and numbers, string and character
/// literals whole, every other character on its own; comments and
/// whitespace dropped.
fn lex(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(chars.get(i + 1), Some('"' | '#'))
            && raw_string_at(&chars, i)
        {
            let start = i;
            i += 1;
            let mut hashes = 0;
            while chars[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            tokens.push(chars[start..i.min(chars.len())].iter().collect());
        } else if c == '"' || (c == 'b' && chars.get(i + 1) == Some(&'"')) {
            let start = i;
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            tokens.push(chars[start..i.min(chars.len())].iter().collect());
        } else if c == '\'' {
            // A character literal ('a', '\n') or a lifetime ('a).
            let end = if chars.get(i + 1) == Some(&'\\') {
                chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|p| i + 3 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    tokens.push(chars[i..end].iter().collect());
                    i = end;
                }
                None => {
                    tokens.push("'".to_string());
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    tokens
}

/// Whether `r` at `i` starts a raw string (`r"..."`, `r#"..."#`), not a
/// name that ends in r before a `#`.
fn raw_string_at(chars: &[char], i: usize) -> bool {
    let starts_name = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    !starts_name && chars.get(j) == Some(&'"')
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
            let built = match step.outcome {
                Outcome::FailsWith(codes) => {
                    Built::FailsWith(codes.iter().map(|c| c.to_string()).collect())
                }
                _ => Built::Builds,
            };
            let found = closest(&project, Some(&built)).unwrap();
            assert_eq!(found.alike, 1.0, "{}", step.name);
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
        Project {
            dir: std::path::PathBuf::new(),
            main: files["src/main.rs"].clone(),
            lib: files.get("src/lib.rs").cloned(),
            package: "hello".into(),
            edition: step.track.edition().into(),
        }
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
}
