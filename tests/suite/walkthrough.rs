//! The chapter is taught through compiler messages. This pins every one of
//! them as the reader sees it: the errors of the seven steps that do not
//! compile, and the warnings of the steps that compile with warnings, each
//! from the very command a reader types, normalised only where machines and
//! runs differ (src/normalize.rs).

use kit::facts::StepFacts;

use crate::records;

use companion::compile::{cargo, root, stages_target_dir};
use companion::registry::STEPS;

/// `cargo build <args>` as a reader runs it from the repository root, in the
/// checks' own build directory (run again only when something it reads has
/// changed: see `records`).
fn cargo_build(args: &[&str]) -> records::Output {
    let mut command = cargo();
    command
        .current_dir(root())
        .args(["build", "--locked", "--color", "never"])
        .args(args)
        .arg("--target-dir")
        .arg(stages_target_dir());
    records::run(&format!("cargo build {}", args.join(" ")), command, |_| {
        true
    })
}

#[test]
fn every_failing_step_shows_the_pinned_compiler_errors() {
    for step in STEPS.iter().filter(|s| s.fails_to_compile()) {
        let args = ["--features", "compile-fail", "--bin", step.name];
        let out = cargo_build(&args);
        assert!(!out.success, "{} must not compile", step.name);
        let shown = kit::normalize::cargo_output(&out.stderr);
        kit::assert_pinned(
            &format!("{}.errors", step.name),
            &format!("cargo build {}", args.join(" ")),
            &shown,
        );
    }
}

#[test]
fn every_step_that_warns_shows_the_pinned_warnings() {
    for step in STEPS.iter().filter(|s| !s.expected_warnings().is_empty()) {
        let args = ["--bin", step.name];
        let out = cargo_build(&args);
        assert!(out.success, "{} must compile", step.name);
        let shown = kit::normalize::cargo_output(&out.stderr);
        assert!(shown.starts_with("warning: "), "{}:\n{shown}", step.name);
        kit::assert_pinned(
            &format!("{}.warnings", step.name),
            &format!("cargo build {}", args.join(" ")),
            &shown,
        );
    }
}
