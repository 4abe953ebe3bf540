//! `show <step>`: a step's code, and the diff from the step before (also
//! what `watch` shows for the next step).

use std::process::ExitCode;

use anyhow::Context;
use companion::compile::root;
use companion::diff;
use companion::registry::{self, Step};

use super::{step, BOLD};

pub(super) fn show(input: &str, plain: bool) -> anyhow::Result<ExitCode> {
    anstream::print!("{}", render(step(input)?, plain)?);
    Ok(ExitCode::SUCCESS)
}

/// The step's files, then what changed since the step its diff is from.
pub(super) fn render(step: &Step, plain: bool) -> anyhow::Result<String> {
    let bold = if plain { anstyle::Style::new() } else { BOLD };
    let mut out = format!("{bold}{}: {}{bold:#}\n", step.label(), step.title);
    for file in step.listing_files() {
        let text = std::fs::read_to_string(root().join(&file))
            .with_context(|| format!("could not read {file}"))?;
        out.push_str(&format!("\n{bold}── {file} ──{bold:#}\n{text}"));
    }
    for note in registry::differences_of(step.name) {
        out.push_str(&format!(
            "\n{bold}── where this differs from the book ──{bold:#}\n{}\n",
            textwrap::fill(note, 78)
        ));
    }
    let Some(diff) = diff::from_previous(step)? else {
        return Ok(out);
    };
    let since = step.diff_base().map(|p| p.name).unwrap_or("nothing");
    out.push_str(&format!(
        "\n{bold}── what changed since {since} ──{bold:#}\n"
    ));
    for line in diff.lines() {
        let style = match line.as_bytes().first() {
            _ if plain => anstyle::Style::new(),
            Some(b'+') if line.starts_with("+++") => BOLD,
            Some(b'-') if line.starts_with("---") => BOLD,
            Some(b'+') => anstyle::AnsiColor::Green.on_default(),
            Some(b'-') => anstyle::AnsiColor::Red.on_default(),
            Some(b'@') => anstyle::AnsiColor::Cyan.on_default(),
            _ => anstyle::Style::new(),
        };
        out.push_str(&format!("{style}{line}{style:#}\n"));
    }
    Ok(out)
}
