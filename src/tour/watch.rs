//! `watch <dir>`: follow the reader's project as they type. On every save,
//! the library's `watch::report` builds it, finds the step it is at and
//! checks it; this shows one screen: the step, each behaviour with ✓ or ✗,
//! and what the next step changes. On a terminal the screen is redrawn in
//! place and keys work (`n` the next step's diff, `c` check again, `q`
//! quit); elsewhere (a pipe, a log, a test) each check prints one report.
//! This module owns the events (file changes, keys) and the terminal; the
//! library owns what counts as a change and what a check finds.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::Context;
use companion::reader::Project;
use companion::registry::Step;
use companion::watch::{self, matters, Checked, Fingerprint};
use console::Key;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use super::{check, show, BOLD, DIM};

/// How long the project must be quiet after a change before it is checked:
/// an editor's save is often several writes.
const SETTLE: Duration = Duration::from_millis(300);

/// What wakes the watch.
enum Wake {
    /// A file of the project changed.
    Changed,
    /// A key on the terminal.
    Key(char),
    /// The end: ctrl-C read as a key, or a terminal that has gone away.
    Quit,
}

pub fn watch(path: &Path) -> anyhow::Result<ExitCode> {
    let project = Project::open(path)?.dir;
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let (tx, rx) = mpsc::channel();

    let changes = tx.clone();
    let watched = project.clone();
    let mut debouncer = new_debouncer(SETTLE, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            if events.iter().any(|e| matters(&watched, &e.path)) {
                let _ = changes.send(Wake::Changed);
            }
        }
    })
    .context("could not watch the project's files")?;
    debouncer
        .watcher()
        .watch(&project, RecursiveMode::Recursive)
        .with_context(|| format!("could not watch {}", project.display()))?;

    if interactive {
        std::thread::spawn(move || keys(tx));
    }
    let mut screen = Screen {
        interactive,
        count: 0,
    };
    loop {
        let mut seen = Fingerprint::of(&project);
        let next = screen.check(&project);
        // Wait for the next change or key; several changes in a row are one.
        // The file system also reports files being read (the check reads
        // them): only a change to what the files hold, their size or their
        // time counts.
        let wake = loop {
            match rx.recv() {
                Ok(Wake::Changed) => {
                    if let Some(key) = drain(&rx) {
                        break Some(key);
                    }
                    let now = Fingerprint::of(&project);
                    if now != seen {
                        seen = now;
                        break Some(Wake::Changed);
                    }
                }
                Ok(wake) => break Some(wake),
                Err(_) => break None,
            }
        };
        let Some(wake) = wake else {
            break;
        };
        match wake {
            Wake::Changed | Wake::Key('c') => {}
            Wake::Key('n') => {
                if let Some(next) = next {
                    if let Wake::Quit | Wake::Key('q') =
                        screen.show_next(next, &rx, &project, &seen)?
                    {
                        break;
                    }
                }
            }
            Wake::Key('q') | Wake::Quit => break,
            Wake::Key(_) => {}
        }
        if companion::server::stopping() {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Take every change already queued (a save is often several); a key
/// among them is returned.
fn drain(rx: &Receiver<Wake>) -> Option<Wake> {
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Wake::Changed) => {}
            Ok(key) => return Some(key),
            Err(_) => return None,
        }
    }
}

/// Read keys until the watch ends (the channel is closed). console reads
/// each key with the terminal in raw mode for just that read, and turns a
/// ctrl-C into the SIGINT the tour's handler takes (it stops every server
/// and exits 130). A terminal that has gone away (its window closed) ends
/// the watch, whether it fails the read or answers at once, over and over,
/// with nothing.
fn keys(tx: mpsc::Sender<Wake>) {
    let terminal = console::Term::stdout();
    let mut nothing_at_once = 0;
    loop {
        let asked = std::time::Instant::now();
        let wake = match terminal.read_key() {
            Ok(Key::Char(c)) => Wake::Key(c.to_ascii_lowercase()),
            Ok(Key::CtrlC) => Wake::Quit,
            Ok(_) if asked.elapsed() < Duration::from_millis(1) => {
                nothing_at_once += 1;
                if nothing_at_once > 1000 {
                    let _ = tx.send(Wake::Quit);
                    return;
                }
                continue;
            }
            Ok(_) => continue,
            Err(_) => {
                let _ = tx.send(Wake::Quit);
                return;
            }
        };
        nothing_at_once = 0;
        if tx.send(wake).is_err() {
            return;
        }
    }
}

struct Screen {
    interactive: bool,
    count: usize,
}

impl Screen {
    /// Check the project and show the result; return the next step, if any.
    fn check(&mut self, project: &Path) -> Option<&'static Step> {
        self.count += 1;
        if self.interactive {
            self.print(&format!(
                "\x1b[2J\x1b[H{BOLD}watching {}{BOLD:#}  {DIM}checking...{DIM:#}\n",
                project.display()
            ));
        }
        let (text, next) = match report(project) {
            Ok(done) => done,
            Err(error) => (format!("error: {error:#}\n"), None),
        };
        let mut screen = if self.interactive {
            format!(
                "\x1b[2J\x1b[H{BOLD}watching {}{BOLD:#}\n\n",
                project.display()
            )
        } else {
            format!("=== check {} of {} ===\n", self.count, project.display())
        };
        screen.push_str(&text);
        if self.interactive {
            screen.push_str(&format!(
                "\n{DIM}saving a file checks again · n: the next step's diff · c: check now · q: quit{DIM:#}\n"
            ));
        } else {
            screen.push_str("=== end of check ===\n");
        }
        self.print(&screen);
        next
    }

    /// The next step's code and diff, until a key or a change to the
    /// project (`seen` is what it was); returns what ended it.
    fn show_next(
        &mut self,
        next: &'static Step,
        rx: &Receiver<Wake>,
        project: &Path,
        seen: &Fingerprint,
    ) -> anyhow::Result<Wake> {
        self.print(&format!(
            "\x1b[2J\x1b[H{}\n{DIM}any key: back to your project · q: quit{DIM:#}\n",
            show::render(next, false)?
        ));
        loop {
            match rx.recv() {
                Ok(Wake::Changed) if Fingerprint::of(project) == *seen => {}
                Ok(wake) => return Ok(wake),
                Err(_) => return Ok(Wake::Quit),
            }
        }
    }

    fn print(&self, text: &str) {
        // While a key is being read, the terminal is in raw mode, where a
        // newline does not return the cursor to the start of the line.
        let text = if self.interactive {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        anstream::print!("{text}");
        let _ = std::io::stdout().flush();
    }
}

/// One report on the project: the step it is at and why, each behaviour of
/// that step with ✓ or ✗ (or the compiler's output, where it does not build
/// as the step does), and what the next step changes.
fn report(project: &Path) -> anyhow::Result<(String, Option<&'static Step>)> {
    let report = watch::report(project)?;
    let step = report.located.step();
    let mut out = check::why(&report.located) + "\n\n";
    match &report.checked {
        Checked::Verdicts(verdicts) => out.push_str(&check::verdict_lines(step, verdicts)),
        Checked::Failed(why) => out.push_str(&format!("✗ {why}\n")),
        Checked::DoesNotBuild => {
            out.push_str("Your project does not build. The compiler says:\n\n");
            out.push_str(
                report
                    .located
                    .compiler_output
                    .as_deref()
                    .unwrap_or_default(),
            );
        }
    }
    let next = report.located.step().next();
    match next {
        Some(next) => out.push_str(&format!(
            "\nNext: {}: {}\n  cargo run -- show {}    # its code, and what it changes\n",
            next.label(),
            next.title,
            next.name
        )),
        None => out.push_str("\nThis is the last step of its printing.\n"),
    }
    Ok((out, next))
}
