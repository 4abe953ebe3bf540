//! `next` (and plain `cargo run`): where the reader is, and what to do next.

use std::process::ExitCode;

use companion::registry::{self, Step, Track, UpNext};

use super::{progress, BOLD};

pub(super) fn where_you_are(with_commands: bool) -> anyhow::Result<ExitCode> {
    match progress::furthest() {
        None => {
            println!("You have not started yet. Start where your book does:\n");
            for (track, which) in [
                (
                    Track::Edition2024,
                    "today's edition, chapter 21 (online, and the third print edition)",
                ),
                (Track::Print2021, "the second print edition, chapter 20"),
            ] {
                let first = registry::STEPS
                    .iter()
                    .find(|s| s.track == track)
                    .expect("every track has steps");
                println!("In {which}:");
                commands(first);
            }
        }
        Some((step, what)) => {
            println!(
                "You are at {} ({}), which you {what}.",
                step.name,
                step.label()
            );
            match progress::up_next() {
                Some(UpNext::Step(next)) => commands(next),
                Some(UpNext::Finished { exercises }) => {
                    println!(
                        "You have finished the chapter. What comes after it: its closing \
                         exercises, worked, one step each, from {}:",
                        exercises.name
                    );
                    commands(exercises);
                }
                Some(UpNext::Done) | None => println!(
                    "That was the last of the worked exercises. book/src/next.md has ideas for \
                     what to do next."
                ),
            }
        }
    }
    if with_commands {
        println!(
            "\n`cargo run -- list` lists every step; `cargo run -- help` explains the commands."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The step to do next, and the three commands that go with it.
fn commands(step: &Step) {
    anstream::println!("Next: {BOLD}{}{BOLD:#}: {}", step.name, step.title);
    let short = step.short_name();
    println!("  cargo run -- show {short}              its code, and what changed");
    println!("  cargo run -- run {short}               run it and see what it does");
    println!("  cargo run -- check {short} ../hello    check your own project against it");
}
