//! `list`: every step, with what building it does.

use std::process::ExitCode;

use companion::registry::{Kind, Outcome, Step, Track, UpNext, STEPS};

use super::{progress, BOLD, DIM};

pub(super) fn list() -> anyhow::Result<ExitCode> {
    // Before anything is done, both chapters' first steps are next.
    let next = |step: &Step| match progress::up_next() {
        Some(UpNext::Step(next)) => next == step,
        Some(_) => false,
        None => {
            step.previous().is_none() && matches!(step.track, Track::Print2021 | Track::Edition2024)
        }
    };
    let mut section = None;
    for (i, step) in STEPS.iter().enumerate() {
        let title = step.section.heading(step.track);
        let heading = match step.track {
            Track::Print2021 => title.to_string(),
            other => format!("{}: {title}", other.name()),
        };
        if section.as_ref() != Some(&heading) {
            anstream::println!("\n{BOLD}{heading}{BOLD:#}");
            section = Some(heading);
        }
        let outcome = match (step.kind(), step.outcome()) {
            (Kind::Page(_), _) => "an HTML file".to_string(),
            (Kind::Failing(codes), _) => format!("fails by design ({})", codes.join(", ")),
            (_, Outcome::Warns(_)) => "warns".to_string(),
            _ => "compiles".to_string(),
        };
        let marker = if next(step) { "→" } else { " " };
        anstream::println!(
            "{marker} {:>2}  {:<44} {:<26} {DIM}{}{DIM:#}",
            i + 1,
            step.name,
            outcome,
            step.title
        );
    }
    println!(
        "\n`cargo run -- show <step>` shows a step's code; `cargo run -- run <step>` runs it."
    );
    Ok(ExitCode::SUCCESS)
}
