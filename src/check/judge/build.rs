//! A step's build and run outside the sessions: errors the chapter shows,
//! a server that does not start, a command's output.

use super::{panic_in, place};
use crate::compile::BuildReport;
use crate::registry::{Step, STEPS};
use crate::server::StartError;

use crate::check::verdict::{Behaviour, Finding, Place, Verdict};

/// A reader's server that did not start, as a verdict: it listens
/// elsewhere, exits before it listens, or runs and never listens.
pub(crate) fn does_not_start(step: &Step, error: &StartError) -> Verdict {
    let finding = match error {
        StartError::NeverListened(within) => Finding::NeverListened { within: *within },
        StartError::ExitedEarly { status, stderr } => Finding::ExitedEarly {
            status: status.to_string(),
            said: stderr
                .lines()
                .filter(|l| !l.is_empty())
                .take(4)
                .map(str::to_string)
                .collect(),
            panic: panic_in(stderr),
        },
        StartError::ListensElsewhere { port } => Finding::ListensElsewhere { port: *port },
        other => Finding::DidNotStart {
            why: other.to_string(),
        },
    };
    Verdict::fails(Behaviour::Listens, finding).see(place(step, 1))
}

/// A step that must not compile: whether the reader's build failed with
/// the same error codes. Where it did not, the compiler's output goes with
/// the verdict.
pub(crate) fn fails_like(step: &'static Step, built: &BuildReport) -> Verdict {
    let codes: Vec<String> = built.all_error_codes().into_iter().collect();
    let expected = step.expected_errors();
    let behaviour = Behaviour::FailsToCompile { codes: expected };
    if codes == expected {
        return Verdict::holds(behaviour);
    }
    let finding = if built.success {
        Finding::Compiles {
            compiler_output: built.human_output(),
        }
    } else {
        Finding::OtherErrors {
            shown_at: shown_at(&codes, step),
            codes,
            compiler_output: built.human_output(),
        }
    };
    Verdict::fails(behaviour, finding).see(Place::of_step(step))
}

/// The steps of `step`'s track that the chapter shows failing with exactly
/// the errors `codes`.
pub(crate) fn shown_at(codes: &[String], step: &Step) -> Vec<&'static str> {
    STEPS
        .iter()
        .filter(|s| s.track == step.track && !codes.is_empty() && s.expected_errors() == codes)
        .map(|s| s.name)
        .collect()
}

/// What a command printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ran {
    pub stdout: Vec<u8>,
    /// Its exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// How it ended, as the OS words it (`exit status: 0`).
    pub status: String,
}

/// A command step: whether the reader's program printed what the step's
/// prints and ended as it does.
pub(crate) fn runs_like(
    step: &'static Step,
    args: &'static [&'static str],
    want: &Ran,
    got: &Ran,
) -> Vec<Verdict> {
    let see = Place::of_step(step);
    vec![
        Verdict::either(
            Behaviour::CommandPrints { args },
            want.stdout == got.stdout,
            || Finding::PrintsOtherwise {
                expected: String::from_utf8_lossy(&want.stdout).into_owned(),
                yours: String::from_utf8_lossy(&got.stdout).into_owned(),
            },
        ),
        Verdict::either(
            Behaviour::CommandEnds {
                status: want.status.clone(),
            },
            want.code == got.code,
            || Finding::EndsOtherwise {
                status: got.status.clone(),
            },
        ),
    ]
    .into_iter()
    .map(|v| if v.is_failure() { v.see(see) } else { v })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::Status;
    use crate::registry::find;

    fn report(success: bool, codes: &[&str]) -> BuildReport {
        BuildReport {
            diagnostics: codes
                .iter()
                .map(|c| crate::compile::Diagnostic {
                    target: "hello".into(),
                    is_error: true,
                    is_warning: false,
                    code: Some(c.to_string()),
                    message: String::new(),
                    spans: vec![],
                    rendered: format!("error[{c}]: ...\n"),
                })
                .collect(),
            executables: vec![],
            success,
            cargo_stderr: String::new(),
        }
    }

    #[test]
    fn a_failing_step_wants_the_same_errors_and_names_where_others_are_shown() {
        let step = find("listing-20-22").unwrap();
        assert_eq!(
            fails_like(step, &report(false, &["E0507"])).status,
            Status::Holds
        );
        let other = fails_like(step, &report(false, &["E0599"]));
        assert_eq!(
            other.finding,
            Some(Finding::OtherErrors {
                codes: vec!["E0599".into()],
                shown_at: vec![
                    "no-listing-01-define-threadpool-struct",
                    "no-listing-02-impl-threadpool-new",
                    "no-listing-05-fix-worker-new"
                ],
                compiler_output: "error[E0599]: ...\n".into()
            })
        );
        let typo = fails_like(step, &report(false, &["E0425"]));
        assert!(matches!(
            typo.finding,
            Some(Finding::OtherErrors { ref shown_at, .. }) if shown_at.is_empty()
        ));
        assert!(matches!(
            fails_like(step, &report(true, &[])).finding,
            Some(Finding::Compiles { .. })
        ));
    }

    #[test]
    fn a_command_prints_and_ends_as_the_steps() {
        let step = find("beyond-05-pool-for-other-work").unwrap();
        let ran = |out: &str, code| Ran {
            stdout: out.as_bytes().to_vec(),
            code: Some(code),
            status: format!("exit status: {code}"),
        };
        let same = runs_like(
            step,
            &["stages"],
            &ran("7 files\n", 0),
            &ran("7 files\n", 0),
        );
        assert!(same.iter().all(|v| v.status == Status::Holds), "{same:?}");
        let other = runs_like(
            step,
            &["stages"],
            &ran("7 files\n", 0),
            &ran("6 files\n", 1),
        );
        assert!(other.iter().all(|v| v.status == Status::Fails), "{other:?}");
        assert_eq!(
            other[1].finding,
            Some(Finding::EndsOtherwise {
                status: "exit status: 1".into()
            })
        );
    }
}
