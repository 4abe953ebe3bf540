//! `start <step> <dir>`: write a reader's project at a step, for a reader
//! who joins mid-chapter or wants to start a step over.

use std::path::Path;
use std::process::ExitCode;

use companion::reader::scaffold::{self, Replaced};

use super::{step, BOLD};

pub(super) fn start(input: &str, dir: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    let started = scaffold::start(step, dir, force)?;
    if !started.replaced.is_empty() {
        println!("Replacing in {}:", dir.display());
        for (rel, what) in &started.replaced {
            match what {
                Replaced::Rewritten => println!("  {rel}"),
                Replaced::Removed => println!("  {rel} (removed: {} has none)", step.name),
            }
        }
    }
    anstream::println!(
        "{BOLD}Your project in {} is at {}: {}{BOLD:#}",
        dir.display(),
        step.label(),
        step.title
    );
    println!("It has {}.", started.written.join(", "));
    let commands = [
        (format!("(cd {} && cargo run)", dir.display()), "run it"),
        (
            format!("cargo run -- check {}", dir.display()),
            "check it against the step it is at",
        ),
        (
            format!("cargo run -- watch {}", dir.display()),
            "check it again on every save",
        ),
    ];
    let width = commands.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    println!();
    for (command, what) in commands {
        println!("  {command:<width$}   # {what}");
    }
    Ok(ExitCode::SUCCESS)
}
