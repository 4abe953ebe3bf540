mod check;
mod cli;
mod list;
mod next;
mod progress;
mod run;
mod show;
mod start;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C stops every server the tour started before the tour goes, on
    // every OS (a terminal's ctrl-C reaches them too, but a signal sent to
    // the tour alone would not).
    let _ = ctrlc::set_handler(|| {
        companion::server::stop_all();
        // Not eprintln!, which panics where stderr is gone (the terminal of
        // a `watch` closed under it): the exit below must come.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\ninterrupted: every server the tour started is stopped\n",
        );
        std::process::exit(130);
    });
    let result = match cli.command {
        None => next::where_you_are(true),
        Some(Command::List) => list::list(),
        Some(Command::Show { step, plain }) => show::show(&step, plain),
        Some(Command::Run { step }) => run::run(&step),
        Some(Command::Check {
            step_or_path,
            path,
            format,
        }) => match path {
            Some(path) => check::check(&step_or_path, &path, format),
            None => check::check_found(std::path::Path::new(&step_or_path), format),
        },
        Some(Command::Next) => next::where_you_are(false),
        Some(Command::Start { step, dir, force }) => start::start(&step, &dir, force),
        Some(Command::Watch { path }) => watch::watch(&path),
    };
    // Interrupted: what the command made of its server being stopped under
    // it is beside the point, and the handler is about to exit with 130.
    while companion::server::stopping() {
        std::thread::park();
    }
    match result {
        Ok(code) => code,
        Err(error) => {
            // The compiler's output, where the error is a build's, then one
            // sentence (with its causes), never a backtrace.
            if let Some(output) = error
                .downcast_ref::<companion::Error>()
                .and_then(companion::Error::compiler_output)
            {
                anstream::eprint!("{output}");
            }
            anstream::eprintln!("{}error:{} {error:#}", ERROR.render(), ERROR.render_reset());
            ExitCode::FAILURE
        }
    }
}

/// The step a reader typed, or the one-sentence reason it is not a step.
fn step(input: &str) -> anyhow::Result<&'static companion::registry::Step> {
    Ok(companion::registry::resolve(input)?)
}

const ERROR: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();
const GOOD: anstyle::Style = anstyle::AnsiColor::Green.on_default();
const BAD: anstyle::Style = anstyle::AnsiColor::Red.on_default();
const NOTE: anstyle::Style = anstyle::AnsiColor::Cyan.on_default();
const DIM: anstyle::Style = anstyle::Style::new().dimmed();
const BOLD: anstyle::Style = anstyle::Style::new().bold();
