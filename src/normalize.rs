//! Normalisation of what a server prints (and, in the test kit, of what
//! cargo and rustc print), so that a pinned output is the same on every
//! machine and every run. Each rule is named, does one thing, and has a test
//! holding a real line it applies to: when a new cargo or rustc breaks a
//! rule, one small test says which.
//!
//! The rules change only what differs between machines or runs; everything
//! else (messages, line numbers, labels, cargo's summary lines) stays.

use std::path::Path;

/// One named rewrite of a whole output.
pub struct Rule {
    pub name: &'static str,
    pub apply: fn(&str, &Context) -> String,
}

/// What the rules need to know about this machine.
pub struct Context<'a> {
    /// The repository root as it appears in absolute paths.
    pub root: &'a Path,
}

/// The rules for what a server prints on stderr.
pub(crate) static SERVER_RULES: &[Rule] = &[
    // Why: a panic message names the thread's OS id, which differs on every run
    Rule {
        name: "panic-thread-id",
        apply: panic_thread_id,
    },
    // Why: on Windows, a panic names its file as `stages\listing-20-19\lib.rs`
    Rule {
        name: "windows-path-separators",
        apply: windows_path_separators,
    },
];

/// Normalise what a server printed on stderr.
pub(crate) fn server_stderr(text: &str) -> String {
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

/// Where a file's path starts in a compiler message or a panic.
const PATH_MARKERS: &[&str] = &["--> ", "::: ", "panicked at ", "[ROOT]/"];

/// Paths in compiler messages and panics with `/`, as on Unix.
pub fn windows_path_separators(text: &str, _: &Context) -> String {
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
        SERVER_RULES.iter().find(|r| r.name == name).unwrap()
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
        // Unix output has nothing to turn around.
        let unix = "  --> stages/listing-20-22/lib.rs:52:13\n";
        assert_eq!((rule("windows-path-separators").apply)(unix, &cx()), unix);
    }

    #[test]
    fn panic_thread_id_hides_the_os_thread_id_only() {
        let real = "\nthread 'main' (28011) panicked at stages/listing-20-19/lib.rs:43:31:\n\
                    called `Result::unwrap()` on an `Err` value: SendError { .. }\n";
        assert_eq!(
            (rule("panic-thread-id").apply)(real, &cx()),
            "\nthread 'main' ([TID]) panicked at stages/listing-20-19/lib.rs:43:31:\n\
             called `Result::unwrap()` on an `Err` value: SendError { .. }\n"
        );
    }

    /// Each rule has a test here that applies it, by name, to a real
    /// line (the module's promise): a rule added without one fails this.
    #[test]
    fn every_rule_is_tried_on_a_real_line() {
        let tests = include_str!("normalize.rs")
            .split_once("mod tests {")
            .expect("this module's tests")
            .1;
        for rule in SERVER_RULES {
            assert!(
                tests.contains(&format!("(rule(\"{}\").apply)", rule.name)),
                "no test applies the rule {}",
                rule.name
            );
        }
    }
}
