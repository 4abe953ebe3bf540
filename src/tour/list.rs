use std::process::ExitCode;

use companion::steps::{Files, Outcome, Printing, STEPS};

use super::{progress, BOLD, DIM};

pub fn list() -> anyhow::Result<ExitCode> {
    let next = progress::next_step();
    let mut section = None;
    for (i, step) in STEPS.iter().enumerate() {
        let title = step.section.heading(step.printing);
        let heading = match step.printing {
            Printing::Print2021 => title.to_string(),
            other => format!("{}: {title}", other.name()),
        };
        if section.as_ref() != Some(&heading) {
            anstream::println!("\n{BOLD}{heading}{BOLD:#}");
            section = Some(heading);
        }
        let outcome = match step.outcome {
            Outcome::Compiles if matches!(step.files, Files::Html(_)) => "an HTML file".to_string(),
            Outcome::Compiles => "compiles".to_string(),
            Outcome::Warns(_) => "warns".to_string(),
            Outcome::FailsWith(codes) => format!("fails by design ({})", codes.join(", ")),
        };
        let marker = if next.map(|n| n.name) == Some(step.name) {
            "→"
        } else {
            " "
        };
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
