//! The rules that make pinned compiler outputs the same on every machine
//! (`kit::normalize`), each on a real line it applies to.

use std::path::Path;

use companion::normalize::Context;
use kit::normalize::CARGO_RULES;

fn cx() -> Context<'static> {
    Context {
        root: Path::new("/home/reader/ch20"),
    }
}

fn rule(name: &str) -> &'static companion::normalize::Rule {
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
    let real = "   Compiling companion v0.1.0 (/home/reader/ch20)\n\
                thread 'main' panicked at /home/reader/ch20/stages/x/main.rs:4:5\n";
    assert_eq!(
        (rule("repository-root").apply)(real, &cx()),
        "   Compiling companion v0.1.0 ([ROOT])\n\
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

/// Each rule has a test here that applies it, by name, to a real line: a
/// rule added to the kit without one fails this.
#[test]
fn every_rule_is_tried_on_a_real_line() {
    let tests = include_str!("normalize.rs");
    for rule in CARGO_RULES {
        assert!(
            tests.contains(&format!("(rule(\"{}\").apply)", rule.name)),
            "no test applies the rule {}",
            rule.name
        );
    }
}
