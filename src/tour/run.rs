//! `run <step>`: build a step and show what it does: a server gets the
//! chapter's requests, a command runs, a page is printed, and a step that
//! must not compile shows its error.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use companion::compile::{build_stage, failing_stage_build, root};
use companion::registry::Kind;
use companion::server::ServerCommand;
use companion::session::{self, Action, Event, Observer};
use indicatif::ProgressBar;

use super::{progress, step, BOLD};

/// Shows a spinner while the session waits on something slow.
#[derive(Default)]
pub(super) struct Spinner(Option<ProgressBar>);

impl Observer for Spinner {
    fn before(&mut self, action: &Action) {
        let message = match action {
            Action::Get("/sleep") => "GET /sleep: the chapter's slow request, about 5 s",
            Action::AwaitExit => "waiting for the server to shut down by itself",
            Action::Get(_) => return,
        };
        let bar = ProgressBar::new_spinner().with_message(message);
        bar.enable_steady_tick(Duration::from_millis(100));
        self.0 = Some(bar);
    }

    fn after(&mut self, _: &Event) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

pub(super) fn run(input: &str) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    anstream::println!("{BOLD}{}: {}{BOLD:#}\n", step.label(), step.title);
    match step.kind() {
        // Not a server: a page's bin says which file it is and prints it,
        // from where you are; a command runs once from the repository
        // root, with the arguments the registry gives it.
        Kind::Page(_) | Kind::Command(_) => {
            let exe = build_stage(step)?;
            let mut command = std::process::Command::new(&exe);
            if let Kind::Command(args) = step.kind() {
                println!("$ cargo run --bin {} -- {}\n", step.name, args.join(" "));
                command.args(args).current_dir(root());
            }
            let status = command
                .status()
                .with_context(|| format!("could not run {}", exe.display()))?;
            if !status.success() {
                bail!("{} failed ({status})", step.name);
            }
        }
        Kind::Failing(codes) => {
            println!("$ cargo build --features compile-fail --bin {}", step.name);
            let status = failing_stage_build(step)
                .status()
                .context("could not run cargo")?;
            if status.success() {
                return Err(companion::Error::StageCompiled(step).into());
            }
            println!(
                "\n{} does not compile, on purpose ({}): the chapter reads this error and \
                 fixes it in the next step.",
                step.name,
                codes.join(" and ")
            );
        }
        Kind::Server(_) => {
            let exe = build_stage(step)?;
            println!(
                "Starting {} on 127.0.0.1:7878 and making the chapter's requests, one \
                 connection each:\n",
                step.name
            );
            let server = ServerCommand::new(exe).current_dir(root()).start()?;
            let transcript = session::run(
                step,
                server,
                session::Bounds::GENEROUS,
                &mut Spinner::default(),
            );
            print!("{}", session::render(&transcript));
        }
    }
    progress::record("ran", step);
    Ok(ExitCode::SUCCESS)
}
