//! Normalisation of what cargo and rustc print, so that a pinned output is
//! the same on every machine and every run. Each rule is named, does one
//! thing, and has a test below holding a real line it applies to: when a new
//! cargo or rustc breaks a rule, one small test says which.
//!
//! The rules change only what differs between machines or runs; everything
//! else (messages, line numbers, labels, cargo's summary lines) stays.

use std::path::Path;

/// One named rewrite of a whole output.
pub struct Rule {
    pub name: &'static str,
    pub why: &'static str,
    apply: fn(&str, &Context) -> String,
}

/// What the rules need to know about this machine.
pub struct Context<'a> {
    /// The repository root as it appears in absolute paths.
    pub root: &'a Path,
}

/// The rules for cargo's and rustc's human output, in the order they apply.
pub static CARGO_RULES: &[Rule] = &[
    Rule {
        name: "drop-progress-lines",
        why: "whether cargo prints `Compiling`, `Fresh` or `Blocking waiting for file lock` \
              depends on what an earlier build left in the target directory",
        apply: drop_progress_lines,
    },
    Rule {
        name: "finished-time",
        why: "build times differ on every run",
        apply: finished_time,
    },
    Rule {
        name: "rustc-source-paths",
        why: "std's sources are named by the commit of the rustc that built them",
        apply: rustc_source_paths,
    },
    Rule {
        name: "repository-root",
        why: "the clone lives in a different folder on every machine",
        apply: repository_root,
    },
    Rule {
        name: "windows-path-separators",
        why: "on Windows, rustc and a panic name files as `stages\\listing-20-22\\lib.rs`",
        apply: windows_path_separators,
    },
];

/// The rules for what a server prints on stderr.
pub static SERVER_RULES: &[Rule] = &[
    Rule {
        name: "panic-thread-id",
        why: "a panic message names the thread's OS id, which differs on every run",
        apply: panic_thread_id,
    },
    Rule {
        name: "windows-path-separators",
        why: "on Windows, a panic names its file as `stages\\listing-20-19\\lib.rs`",
        apply: windows_path_separators,
    },
];

/// Normalise what a server printed on stderr.
pub fn server_stderr(text: &str) -> String {
    normalize(
        text,
        SERVER_RULES,
        &Context {
            root: crate::compile::root(),
        },
    )
}

/// Apply every rule of `rules` to `text`, in order.
pub fn normalize(text: &str, rules: &[Rule], cx: &Context) -> String {
    rules
        .iter()
        .fold(text.to_string(), |text, rule| (rule.apply)(&text, cx))
}

/// Normalise cargo's human output for this repository.
pub fn cargo_output(text: &str) -> String {
    normalize(
        text,
        CARGO_RULES,
        &Context {
            root: crate::compile::root(),
        },
    )
}

fn drop_progress_lines(text: &str, _: &Context) -> String {
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

fn finished_time(text: &str, _: &Context) -> String {
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

fn rustc_source_paths(text: &str, _: &Context) -> String {
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

fn panic_thread_id(text: &str, _: &Context) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let Some(rest) = line.strip_prefix("thread '") else {
                return line.to_string();
            };
            let Some((name, after)) = rest.split_once("' (") else {
                return line.to_string();
            };
            match after.split_once(") panicked at ") {
                Some((id, tail)) if id.chars().all(|c| c.is_ascii_digit()) => {
                    format!("thread '{name}' ([TID]) panicked at {tail}")
                }
                _ => line.to_string(),
            }
        })
        .collect()
}

fn repository_root(text: &str, cx: &Context) -> String {
    let root = cx.root.display().to_string();
    text.replace(&format!("{root}/"), "[ROOT]/")
        .replace(&format!("{root}\\"), "[ROOT]/")
        .replace(&format!("({root})"), "([ROOT])")
}

/// Where a file's path starts in a compiler message or a panic.
const PATH_MARKERS: &[&str] = &["--> ", "::: ", "panicked at ", "[ROOT]/"];

fn windows_path_separators(text: &str, _: &Context) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let mut out = String::new();
            let mut rest = line;
            while let Some((at, marker)) = PATH_MARKERS
                .iter()
                .filter_map(|m| rest.find(m).map(|at| (at, m)))
                .min_by_key(|(at, _)| *at)
            {
                let start = at + marker.len();
                let end = rest[start..]
                    .find(char::is_whitespace)
                    .map_or(rest.len(), |e| start + e);
                out.push_str(&rest[..start]);
                out.push_str(&rest[start..end].replace('\\', "/"));
                rest = &rest[end..];
            }
            out.push_str(rest);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        Context {
            root: Path::new("/home/reader/ch20"),
        }
    }

    fn rule(name: &str) -> &'static Rule {
        CARGO_RULES.iter().find(|r| r.name == name).unwrap()
    }

    #[test]
    fn drop_progress_lines_keeps_messages_and_summaries() {
        let real = "   Compiling hello v0.1.0 (/work/main/stages)\n\
                    error[E0433]: cannot find type `ThreadPool` in this scope\n\
                    warning: `hello` (bin \"listing-20-20\") generated 2 warnings\n\
                    \x20   Blocking waiting for file lock on build directory\n";
        assert_eq!(
            (rule("drop-progress-lines").apply)(real, &cx()),
            "error[E0433]: cannot find type `ThreadPool` in this scope\n\
             warning: `hello` (bin \"listing-20-20\") generated 2 warnings\n"
        );
    }

    #[test]
    fn finished_time_hides_only_the_duration() {
        let real = "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 1.18s\n";
        assert_eq!(
            (rule("finished-time").apply)(real, &cx()),
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in [TIME]\n"
        );
    }

    #[test]
    fn rustc_source_paths_hide_the_commit_only() {
        let real = "  --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/thread/join_handle.rs:149:16\n";
        assert_eq!(
            (rule("rustc-source-paths").apply)(real, &cx()),
            "  --> /rustc/[RUSTC_COMMIT]/library/std/src/thread/join_handle.rs:149:16\n"
        );
        let not_a_hash = "see /rustc/abc/x";
        assert_eq!(
            (rule("rustc-source-paths").apply)(not_a_hash, &cx()),
            not_a_hash
        );
    }

    #[test]
    fn repository_root_becomes_a_placeholder() {
        let real = "   Compiling rust-book-ch20 v0.1.0 (/home/reader/ch20)\n\
                    thread 'main' panicked at /home/reader/ch20/stages/x/main.rs:4:5\n";
        assert_eq!(
            (rule("repository-root").apply)(real, &cx()),
            "   Compiling rust-book-ch20 v0.1.0 ([ROOT])\n\
             thread 'main' panicked at [ROOT]/stages/x/main.rs:4:5\n"
        );
    }

    #[test]
    fn repository_root_with_windows_separators_becomes_a_placeholder() {
        let windows = Context {
            root: Path::new(r"C:\Users\reader\ch20"),
        };
        let real = "   Compiling hello v0.1.0 (C:\\Users\\reader\\ch20\\stages)\n\
                    thread 'main' panicked at C:\\Users\\reader\\ch20\\stages\\x\\main.rs:4:5\n";
        let rooted = (rule("repository-root").apply)(real, &windows);
        assert_eq!(
            (rule("windows-path-separators").apply)(&rooted, &windows),
            "   Compiling hello v0.1.0 ([ROOT]/stages)\n\
             thread 'main' panicked at [ROOT]/stages/x/main.rs:4:5\n"
        );
    }

    #[test]
    fn windows_path_separators_turn_only_paths_around() {
        let real = "error[E0507]: cannot move out of `worker.thread`\n\
                    \x20 --> stages\\listing-20-22\\lib.rs:52:13\n\
                    \x20   ::: C:\\rust\\library\\std\\src\\thread\\mod.rs:1:1\n\
                    thread 'main' ([TID]) panicked at stages\\listing-20-19\\lib.rs:43:31:\n\
                    a message with a \\ stays as it is\n";
        let want = "error[E0507]: cannot move out of `worker.thread`\n\
                    \x20 --> stages/listing-20-22/lib.rs:52:13\n\
                    \x20   ::: C:/rust/library/std/src/thread/mod.rs:1:1\n\
                    thread 'main' ([TID]) panicked at stages/listing-20-19/lib.rs:43:31:\n\
                    a message with a \\ stays as it is\n";
        assert_eq!((rule("windows-path-separators").apply)(real, &cx()), want);
        let server = SERVER_RULES
            .iter()
            .find(|r| r.name == "windows-path-separators")
            .unwrap();
        assert_eq!((server.apply)(real, &cx()), want);
        // Unix output has nothing to turn around.
        let unix = "  --> stages/listing-20-22/lib.rs:52:13\n";
        assert_eq!((rule("windows-path-separators").apply)(unix, &cx()), unix);
    }

    #[test]
    fn panic_thread_id_hides_the_os_thread_id_only() {
        let rule = &SERVER_RULES[0];
        let real = "\nthread 'main' (28011) panicked at stages/listing-20-19/lib.rs:43:31:\n\
                    called `Result::unwrap()` on an `Err` value: SendError { .. }\n";
        assert_eq!(
            (rule.apply)(real, &cx()),
            "\nthread 'main' ([TID]) panicked at stages/listing-20-19/lib.rs:43:31:\n\
             called `Result::unwrap()` on an `Err` value: SendError { .. }\n"
        );
    }

    #[test]
    fn every_rule_says_why_it_exists() {
        for rule in CARGO_RULES.iter().chain(SERVER_RULES) {
            assert!(!rule.why.is_empty(), "{}", rule.name);
        }
    }
}
