//! What the compiler says about each step, read from cargo's JSON
//! diagnostics: the steps that should build do, the seven that should not
//! fail with exactly the book's error codes, and every position the book
//! prints in a compiler message is a position in our stage files.

use kit::facts::{BuildFacts, StepFacts};

use std::collections::BTreeSet;

use companion::registry::STEPS;
use kit::stages as report;

#[test]
fn every_step_that_should_compile_builds_an_executable() {
    for step in STEPS.iter().filter(|s| !s.fails_to_compile()) {
        let errors: Vec<_> = report()
            .for_target(step.name)
            .filter(|d| d.is_error)
            .collect();
        assert!(
            errors.is_empty(),
            "{} should compile but rustc said:\n{errors:#?}",
            step.name
        );
        let exe = report()
            .executable(step.name)
            .unwrap_or_else(|| panic!("{} built no executable", step.name));
        assert!(exe.is_file(), "{}: {} is missing", step.name, exe.display());
    }
}

#[test]
fn every_failing_step_fails_with_exactly_the_books_error_codes() {
    for step in STEPS.iter().filter(|s| s.fails_to_compile()) {
        let expected: BTreeSet<String> = step
            .expected_errors()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            report().error_codes(step.name),
            expected,
            "error codes of {}",
            step.name
        );
        let uncoded: Vec<_> = report()
            .for_target(step.name)
            .filter(|d| d.is_error && d.code.is_none())
            .map(|d| &d.message)
            .collect();
        assert!(
            uncoded.is_empty(),
            "{}: errors without a code: {uncoded:?}",
            step.name
        );
        assert!(
            report().executable(step.name).is_none(),
            "{} must not build",
            step.name
        );
    }
}

#[test]
fn every_step_warns_with_exactly_its_registered_lints_and_the_others_are_clean() {
    for step in STEPS.iter().filter(|s| !s.fails_to_compile()) {
        let warned: BTreeSet<String> = report()
            .for_target(step.name)
            .filter(|d| d.is_warning)
            .map(|d| d.code.clone().unwrap_or_else(|| d.message.clone()))
            .collect();
        let expected: BTreeSet<String> = step
            .expected_warnings()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(warned, expected, "lints rustc warns about in {}", step.name);
    }
}

#[test]
fn every_position_the_book_prints_is_the_same_in_our_stage_files() {
    let mut checked = 0;
    for step in STEPS {
        for book in step.book_messages {
            let found = report().for_target(step.name).any(|d| {
                d.code.as_deref() == Some(book.code)
                    && d.spans.iter().any(|s| {
                        s.file == book.file
                            && s.line == book.line
                            && s.column == book.column
                            && (s.primary || !book.primary)
                    })
            });
            assert!(
                found,
                "{}: the book prints {} at src/{}:{}:{}{}, but rustc said:\n{}",
                step.name,
                book.code,
                book.file,
                book.line,
                book.column,
                if book.primary {
                    " (as the message's main position)"
                } else {
                    ""
                },
                report()
                    .for_target(step.name)
                    .map(|d| d.rendered.as_str())
                    .collect::<String>()
            );
            checked += 1;
        }
    }
    // Print edition: E0433, 2 x E0599, E0382 and its label, 3 x dead_code,
    // E0507, E0599 + E0308; 2018 printing: E0507, E0599 + E0308; today's
    // edition: E0433, 2 x E0599, E0382 and its note, E0507.
    assert_eq!(checked, 20, "positions the book prints");
}

/// The book prints the compiler's output for each listing as its
/// `tools/update-rustc.sh` makes it: with
/// `RUSTFLAGS="-A unused_variables -A dead_code"`. Built so, no-listing-03
/// (both editions) has no warning, as the book shows it; a plain build has
/// two, `size` and `f` unused (pinned in its `.warnings.snap`). rustc is run
/// on the stage's `main.rs` as cargo runs it, warnings and all, but
/// emitting metadata only.
#[test]
fn no_listing_03_warns_twice_plainly_and_not_at_all_with_the_books_a_unused_variables_a_dead_code()
{
    let out = tempfile::tempdir().unwrap();
    for (step, edition) in [
        ("no-listing-03-define-execute", "2021"),
        ("no-listing-03-define-execute-2024", "2024"),
    ] {
        let warnings = |flags: &[&str]| {
            let built =
                std::process::Command::new(std::env::var_os("RUSTC").unwrap_or("rustc".into()))
                    .current_dir(companion::compile::root())
                    .args([
                        "--edition",
                        edition,
                        "--crate-type",
                        "bin",
                        "--emit=metadata",
                    ])
                    .args(["--crate-name", "hello", "--out-dir"])
                    .arg(out.path())
                    .args(flags)
                    .arg(format!("stages/{step}/main.rs"))
                    .output()
                    .expect("running rustc");
            assert!(built.status.success(), "{step}");
            let stderr = String::from_utf8_lossy(&built.stderr).into_owned();
            stderr
                .lines()
                .filter(|l| l.starts_with("warning: ") && !l.ends_with("emitted"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            warnings(&[]),
            [
                "warning: unused variable: `size`",
                "warning: unused variable: `f`"
            ],
            "{step}: a plain build has two warnings"
        );
        assert_eq!(
            warnings(&["-A", "unused_variables", "-A", "dead_code"]),
            Vec::<String>::new(),
            "{step}: with the book's -A unused_variables -A dead_code, no warning at all, \
             as the book shows it"
        );
    }
}
