//! `watch <dir>`: follow the reader's project as they type. On every save,
//! build it, find the step it is at, check it against that step, and show
//! one screen: the step, each behaviour with ✓ or ✗, and what the next step
//! changes. On a terminal the screen is redrawn in place and keys work
//! (`n` the next step's diff, `c` check again, `q` quit); elsewhere (a pipe,
//! a log, a test) each check prints one report.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::Context;
use companion::steps::{Step, STEPS};
use console::Key;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use super::check::{self, FoundStep};
use super::{BOLD, DIM};

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
    let project = check::project_dir(path)?;
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
        let mut seen = fingerprint(&project);
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
                    let now = fingerprint(&project);
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

/// Whether a change to `path` is one to the reader's code (not to the
/// build's own files).
fn matters(project: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(project) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    // The folder itself changes when cargo makes its target/ and
    // Cargo.lock in it.
    !matches!(
        first.as_deref(),
        None | Some("target" | ".git" | "Cargo.lock")
    )
}

type Fingerprint = Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)>;

/// What the project's own files are now: each one's path, size and time of
/// last change (not target/, .git or Cargo.lock).
fn fingerprint(project: &Path) -> Fingerprint {
    let mut files = Vec::new();
    let mut dirs = vec![project.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !matters(project, &path) {
                continue;
            }
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => dirs.push(path),
                Ok(meta) => files.push((path, meta.len(), meta.modified().ok())),
                Err(_) => {}
            }
        }
    }
    files.sort();
    files
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
        // `show`, run as its own command so that its output can be drawn
        // like the rest (the terminal is in raw mode while a key is read).
        let shown = std::process::Command::new(
            std::env::current_exe().context("where is the tour's own program?")?,
        )
        .args(["show", next.name])
        .output()
        .context("could not run the tour's show")?;
        self.print(&format!(
            "\x1b[2J\x1b[H{}\n{DIM}any key: back to your project · q: quit{DIM:#}\n",
            String::from_utf8_lossy(&shown.stdout)
        ));
        loop {
            match rx.recv() {
                Ok(Wake::Changed) if fingerprint(project) == *seen => {}
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
    let found = check::find_step(project)?;
    let step = found.found.step;
    let mut out = found.report().join("\n") + "\n\n";
    if found.compiler_output.is_empty() || found.found.builds_as_the_step == Some(true) {
        match check::evaluate(step, project) {
            Ok(verdicts) => out.push_str(&check::verdict_lines(step, &verdicts)),
            Err(error) => out.push_str(&format!("✗ {error:#}\n")),
        }
    } else {
        out.push_str(&compiler_output(&found));
    }
    let next = next_step(step);
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

/// The compiler's output, as the reader's `cargo build` shows it.
fn compiler_output(found: &FoundStep) -> String {
    let mut out = String::from("Your project does not build. The compiler says:\n\n");
    out.push_str(&found.compiler_output);
    out
}

/// The step after `step` in its printing.
fn next_step(step: &Step) -> Option<&'static Step> {
    let at = STEPS.iter().position(|s| s == step)?;
    STEPS[at + 1..].iter().find(|s| s.printing == step.printing)
}
