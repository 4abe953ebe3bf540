use std::process::ExitCode;

use companion::compile::root;
use companion::diff;
use companion::steps::Files;

use super::{step, BOLD};

pub fn show(input: &str, plain: bool) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    let bold = if plain { anstyle::Style::new() } else { BOLD };
    anstream::println!("{bold}{}: {}{bold:#}", step.label(), step.title);
    for file in step.listing_files() {
        let text = std::fs::read_to_string(root().join(&file))?;
        anstream::println!("\n{bold}── {file} ──{bold:#}");
        print!("{text}");
    }
    if let Files::Html(_) = step.files {
        return Ok(ExitCode::SUCCESS);
    }
    let since = diff::previous_code_step(step)
        .map(|p| p.name)
        .unwrap_or("nothing");
    anstream::println!("\n{bold}── what changed since {since} ──{bold:#}");
    for line in diff::from_previous(step).unwrap_or_default().lines() {
        let style = match line.as_bytes().first() {
            _ if plain => anstyle::Style::new(),
            Some(b'+') if line.starts_with("+++") => BOLD,
            Some(b'-') if line.starts_with("---") => BOLD,
            Some(b'+') => anstyle::AnsiColor::Green.on_default(),
            Some(b'-') => anstyle::AnsiColor::Red.on_default(),
            Some(b'@') => anstyle::AnsiColor::Cyan.on_default(),
            _ => anstyle::Style::new(),
        };
        anstream::println!("{style}{line}{style:#}");
    }
    Ok(ExitCode::SUCCESS)
}
