//! `start <step> <dir>`: write a reader's project at a step, for a reader
//! who joins mid-chapter or wants to start a step over.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use companion::reader::scaffold::{self, TOUR_FILES};

use super::{step, BOLD};

pub fn start(input: &str, dir: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    if dir.is_file() {
        bail!("{} is a file: give a folder for the project", dir.display());
    }
    let present: Vec<&str> = TOUR_FILES
        .iter()
        .copied()
        .filter(|rel| dir.join(rel).exists())
        .collect();
    let other = dir.is_dir()
        && std::fs::read_dir(dir)
            .with_context(|| format!("could not read {}", dir.display()))?
            .flatten()
            .any(|e| {
                !matches!(
                    e.file_name().to_str(),
                    Some("src" | "target" | "Cargo.lock")
                ) && !TOUR_FILES.contains(&e.file_name().to_str().unwrap_or(""))
            });
    if !force && (!present.is_empty() || other) {
        bail!(
            "{} already has a project ({}): `start` never overwrites one; add --force to \
             replace the tour's files in it (Cargo.toml, src/main.rs, src/lib.rs, \
             hello.html, 404.html) and nothing else",
            dir.display(),
            if present.is_empty() {
                "files of its own".to_string()
            } else {
                present.join(", ")
            }
        );
    }
    let writes: Vec<&str> = scaffold::files(step)?
        .into_iter()
        .map(|(rel, _)| rel)
        .collect();
    if force && !present.is_empty() {
        println!("Replacing in {}:", dir.display());
        for rel in &present {
            if writes.contains(rel) {
                println!("  {rel}");
            } else {
                println!("  {rel} (removed: {} has none)", step.name);
            }
        }
    }
    scaffold::write(step, dir)
        .with_context(|| format!("could not write into {}", dir.display()))?;
    anstream::println!(
        "{BOLD}Your project in {} is at {}: {}{BOLD:#}",
        dir.display(),
        step.label(),
        step.title
    );
    println!("It has {}.", writes.join(", "));
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
