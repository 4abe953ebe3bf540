use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A guide through chapter 20 of The Rust Programming Language, "Building a
/// Multithreaded Web Server": what each step does, and whether yours does it.
///
/// Steps can be named `20-22`, `22`, `listing-20-22` or `no-listing-04`.
#[derive(Parser)]
#[command(name = "cargo run --", version)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How `check` writes its verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    /// In words, one line each, for a reader.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Every step: its number, title, and whether it compiles, warns, or fails by design.
    List,
    /// A step's code, with the diff from the step before.
    Show {
        step: String,
        /// No colours in the diff.
        #[arg(long)]
        plain: bool,
    },
    /// Build a step, make the chapter's requests to it, and show what came back and what it printed.
    Run { step: String },
    /// Build your own project and check it against what the step does;
    /// without a step, find the step your project is at first.
    #[command(override_usage = "cargo run -- check [--format json] [STEP] <PATH>")]
    Check {
        /// The step (`20-10`); leave it out to have the tour find it (then
        /// this is your project's folder).
        #[arg(value_name = "STEP")]
        step_or_path: String,
        /// Your cargo project (the folder with its Cargo.toml).
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
        /// `json`: one JSON document on stdout, for an editor or a script
        /// (its shape is in README.md).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Where you are in the chapter, and what to do next.
    Next,
    /// Follow your project as you type: on every save, build it, find its
    /// step, check it, and show what the next step changes.
    Watch {
        /// Your cargo project (the folder with its Cargo.toml).
        path: PathBuf,
    },
    /// Write a project at a step (Cargo.toml, src/, hello.html, 404.html),
    /// to join the chapter there or start a step over.
    Start {
        step: String,
        /// The folder to write it in (made if missing).
        dir: PathBuf,
        /// Replace the tour's files in a folder that has a project already.
        #[arg(long)]
        force: bool,
    },
}
