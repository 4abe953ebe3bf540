//! `check <step> <path>` and `check <path>`: the library's check of the
//! reader's project, shown.

use std::path::Path;
use std::process::ExitCode;

use companion::check::{self, Verdict};
use companion::reader::Project;
use companion::registry::{Kind, Step};

use super::{progress, step, BAD, BOLD, GOOD, NOTE};

pub fn check(input: &str, path: &Path) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    let project = Project::open(path)?;
    check_at(step, &project)
}

/// `check <path>`: find the step the reader's project is at, say which and
/// why, then check it against that step.
pub fn check_found(path: &Path) -> anyhow::Result<ExitCode> {
    let project = Project::open(path)?;
    let located = check::locate(&project)?;
    anstream::println!("{}\n", why(&located));
    check_at(located.step(), &project)
}

fn check_at(step: &'static Step, project: &Project) -> anyhow::Result<ExitCode> {
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
    for shown in verdicts.iter().filter_map(|v| v.shown.as_deref()) {
        anstream::eprint!("{shown}");
    }
    anstream::print!("{}", verdict_lines(step, &verdicts));
    if verdicts.iter().all(|v| v.holds) {
        progress::record("checked", step);
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Which step a project is at and why: the headline in bold.
pub fn why(located: &check::Located) -> String {
    let mut lines = located.why();
    lines[0] = format!("{BOLD}{}{BOLD:#}", lines[0]);
    lines.join("\n")
}

/// Each verdict as a ✓ or ✗ line, then the sum of them.
pub fn verdict_lines(step: &Step, verdicts: &[Verdict]) -> String {
    let mut out: String = verdicts.iter().map(|v| line(v) + "\n").collect();
    out.push_str(&format!("\n{}\n", check::summary(step, verdicts)));
    out
}

/// `✓ text`, `✗ text` or `ⓘ text`, coloured.
fn line(verdict: &Verdict) -> String {
    if verdict.note {
        format!("{NOTE}ⓘ{NOTE:#} {}", verdict.text)
    } else if verdict.holds {
        format!("{GOOD}✓{GOOD:#} {}", verdict.text)
    } else {
        format!("{BAD}✗{BAD:#} {}", verdict.text)
    }
}
