//! `next` (and plain `cargo run`): where the reader is, and what to do next.

use std::process::ExitCode;

use super::{progress, BOLD};

pub fn where_you_are(with_commands: bool) -> anyhow::Result<ExitCode> {
    match progress::furthest() {
        None => println!("You have not started yet."),
        Some((step, what)) => println!(
            "You are at {} ({}), which you {what}.",
            step.name,
            step.label()
        ),
    }
    match progress::up_next() {
        None => println!(
            "That was the last step of the chapter. book/src/next.md has ideas for what to do next."
        ),
        Some(step) => {
            anstream::println!("Next: {BOLD}{}{BOLD:#}: {}", step.name, step.title);
            let short = step.short_name();
            println!("  cargo run -- show {short}              its code, and what changed");
            println!("  cargo run -- run {short}               run it and see what it does");
            println!("  cargo run -- check {short} ../hello    check your own project against it");
        }
    }
    if with_commands {
        println!(
            "\n`cargo run -- list` lists every step; `cargo run -- help` explains the commands."
        );
    }
    Ok(ExitCode::SUCCESS)
}
