//! `check <step> <path>` and `check <path>`: the library's check of the
//! reader's project, shown (or, with `--format json`, written as one JSON
//! document).

use std::path::Path;
use std::process::ExitCode;

use companion::check::{self, Status, Verdict};
use companion::reader::Project;
use companion::registry::{Kind, Step};

use super::cli::Format;
use super::{progress, step, BAD, BOLD, GOOD, NOTE};

pub(super) fn check(input: &str, path: &Path, format: Format) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    let project = Project::open(path)?;
    check_at(step, &project, None, format)
}

/// `check <path>`: find the step the reader's project is at, say which and
/// why, then check it against that step.
pub(super) fn check_found(path: &Path, format: Format) -> anyhow::Result<ExitCode> {
    let project = Project::open(path)?;
    let located = check::locate(&project)?;
    if format == Format::Text {
        anstream::println!("{}\n", why(&located));
    }
    check_at(located.step(), &project, Some(located.why()), format)
}

fn check_at(
    step: &'static Step,
    project: &Project,
    located: Option<Vec<String>>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    if format == Format::Json {
        return json(step, project, located);
    }
    anstream::println!(
        "{BOLD}Checking {} against {}: {}{BOLD:#}\n",
        project.dir.display(),
        step.label(),
        step.title
    );
    if let Kind::Server(_) = step.kind() {
        println!(
            "Running the chapter's requests against {} and against your server...",
            step.name
        );
    }
    let verdicts = check::evaluate(step, project)?;
    for shown in verdicts
        .iter()
        .filter_map(|v| v.finding.as_ref()?.compiler_output())
    {
        anstream::eprint!("{shown}");
    }
    anstream::print!("{}", verdict_lines(step, &verdicts));
    if check::passes(&verdicts) {
        progress::record("checked", step);
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// The check as one JSON document on stdout, its error included: the exit
/// code is 0 where every behaviour holds, 1 otherwise.
fn json(
    step: &'static Step,
    project: &Project,
    located: Option<Vec<String>>,
) -> anyhow::Result<ExitCode> {
    let evaluated = check::evaluate(step, project);
    let outcome = match &evaluated {
        Ok(verdicts) => Ok(&verdicts[..]),
        Err(error) => Err((sentence(error), error.compiler_output())),
    };
    let passed = matches!(&evaluated, Ok(v) if check::passes(v));
    let doc = check::document(step, &project.dir, located, outcome);
    println!("{}", serde_json::to_string_pretty(&doc)?);
    if passed {
        progress::record("checked", step);
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// An error's sentence with its causes, as the tour prints it.
fn sentence(error: &companion::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Which step a project is at and why: the headline in bold.
pub(super) fn why(located: &check::Located) -> String {
    let mut lines = located.why();
    lines[0] = format!("{BOLD}{}{BOLD:#}", lines[0]);
    lines.join("\n")
}

/// Each verdict as a ✓, ✗ or ⓘ line, with its evidence, the command that
/// shows it and where the chapter deals with it under it; then the sum of
/// them.
pub(super) fn verdict_lines(step: &Step, verdicts: &[Verdict]) -> String {
    let mut out = String::new();
    for verdict in verdicts {
        let style = match verdict.status {
            Status::Holds => GOOD,
            Status::Fails => BAD,
            Status::Note => NOTE,
        };
        out.push_str(&format!(
            "{style}{}{style:#} {}\n",
            check::mark(verdict.status),
            verdict.words(step)
        ));
        for line in verdict.details() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", check::summary(step, verdicts)));
    out
}
