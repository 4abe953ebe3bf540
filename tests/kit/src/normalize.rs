//! The rules for cargo's and rustc's human output, in the order they
//! apply: what the pinned compiler outputs (`snapshots/*.errors.snap`,
//! `*.warnings.snap`) are normalised with. Built on the library's
//! `normalize` (its `Rule`, and the path rule it shares with a server's
//! stderr); each rule's test is in `tests/suite/normalize.rs`.

use companion::normalize::{normalize, windows_path_separators, Context, Rule};

/// The rules for cargo's and rustc's human output, in the order they apply.
pub static CARGO_RULES: &[Rule] = &[
    // Why: whether cargo prints `Compiling`, `Fresh` or `Blocking waiting for
    // file lock` depends on what an earlier build left in the target directory
    Rule {
        name: "drop-progress-lines",
        apply: drop_progress_lines,
    },
    // Why: build times differ on every run
    Rule {
        name: "finished-time",
        apply: finished_time,
    },
    // Why: std's sources are named by the commit of the rustc that built them
    Rule {
        name: "rustc-source-paths",
        apply: rustc_source_paths,
    },
    // Why: the clone lives in a different folder on every machine
    Rule {
        name: "repository-root",
        apply: repository_root,
    },
    // Why: on Windows, rustc and a panic name files as
    // `stages\listing-20-22\lib.rs`
    Rule {
        name: "windows-path-separators",
        apply: windows_path_separators,
    },
];

/// Normalise cargo's human output for this repository.
pub fn cargo_output(text: &str) -> String {
    normalize(
        text,
        CARGO_RULES,
        &Context {
            root: companion::compile::root(),
        },
    )
}

pub fn drop_progress_lines(text: &str, _: &Context) -> String {
    const PROGRESS: &[&str] = &["Compiling ", "Fresh ", "Blocking ", "Checking ", "Locking "];
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let is_progress = line.starts_with(' ') && PROGRESS.iter().any(|p| trimmed.starts_with(p));
        if !is_progress {
            out.push_str(line);
        }
    }
    out
}

pub fn finished_time(text: &str, _: &Context) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            match (
                line.trim_start().starts_with("Finished "),
                line.rfind(" in "),
            ) {
                (true, Some(at)) => {
                    let end = if line.ends_with('\n') { "\n" } else { "" };
                    format!("{} in [TIME]{end}", &line[..at])
                }
                _ => line.to_string(),
            }
        })
        .collect()
}

pub fn rustc_source_paths(text: &str, _: &Context) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("/rustc/") {
        let (before, after) = rest.split_at(at + "/rustc/".len());
        out.push_str(before);
        let hash_len = after.chars().take_while(|c| c.is_ascii_hexdigit()).count();
        if hash_len == 40 && after[40..].starts_with('/') {
            out.push_str("[RUSTC_COMMIT]");
            rest = &after[40..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

pub fn repository_root(text: &str, cx: &Context) -> String {
    let root = cx.root.display().to_string();
    text.replace(&format!("{root}/"), "[ROOT]/")
        .replace(&format!("{root}\\"), "[ROOT]/")
        .replace(&format!("({root})"), "([ROOT])")
}
