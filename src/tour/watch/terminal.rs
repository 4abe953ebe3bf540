//! The terminal of a watch: keys in, and the screens out (redrawn in place
//! on a terminal, one report per check elsewhere).

use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use companion::registry::{Step, UpNext};
use companion::watch::{self, Checked, Fingerprint};
use console::Key;

use super::Wake;
use crate::tour::{check, show, BOLD, DIM};

/// Read keys until the watch ends (the channel is closed). console reads
/// each key with the terminal in raw mode for just that read, and turns a
/// ctrl-C into the SIGINT the tour's handler takes (it stops every server
/// and exits 130). A terminal that has gone away (its window closed) ends
/// the watch, whether it fails the read or answers at once, over and over,
/// with nothing.
pub(super) fn keys(tx: mpsc::Sender<Wake>) {
    let terminal = console::Term::stdout();
    let mut nothing_at_once = 0;
    loop {
        let asked = std::time::Instant::now();
        let wake = match terminal.read_key() {
            Ok(Key::Char(c)) => Wake::Key(c.to_ascii_lowercase()),
            // Paging through the next step's diff.
            Ok(Key::ArrowDown | Key::PageDown) => Wake::Key(' '),
            Ok(Key::ArrowUp | Key::PageUp) => Wake::Key('b'),
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

pub(super) struct Screen {
    interactive: bool,
    count: usize,
    /// The last screen drawn, to draw again.
    last: String,
}

impl Screen {
    pub(super) fn new(interactive: bool) -> Screen {
        Screen {
            interactive,
            count: 0,
            last: String::new(),
        }
    }

    /// Check the project and show the result; return what its files were
    /// when it was checked, and the step to show with `n`, if any. A result
    /// the project changed under is not shown: it is checked again.
    pub(super) fn check(&mut self, project: &Path) -> (Fingerprint, Option<&'static Step>) {
        self.count += 1;
        if self.interactive {
            self.print(&format!(
                "{BOLD}watching {}{BOLD:#}  {DIM}checking...{DIM:#}\n",
                project.display()
            ));
        }
        let (seen, (text, next)) = loop {
            let seen = Fingerprint::of(project);
            let done = match report(project) {
                Ok(done) => done,
                Err(error) => (format!("error: {error:#}\n"), None),
            };
            if Fingerprint::of(project) == seen {
                break (seen, done);
            }
        };
        let mut screen = if self.interactive {
            format!("{BOLD}watching {}{BOLD:#}\n\n", project.display())
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
        self.last = screen;
        (seen, next)
    }

    /// The last screen, drawn again (back from the next step's diff).
    pub(super) fn redraw(&self) {
        self.print(&self.last);
    }

    /// The next step's code and diff, a screen at a time from its top
    /// (space or ↓ the next screen, `b` or ↑ the one before), until
    /// another key or a change to the project (`seen` is what it was);
    /// returns what ended it.
    pub(super) fn show_next(
        &mut self,
        next: &'static Step,
        rx: &Receiver<Wake>,
        project: &Path,
        seen: &Fingerprint,
    ) -> anyhow::Result<Wake> {
        let (rows, columns) = console::Term::stdout().size();
        let pages = watch::pages(
            &show::render(next, false)?,
            usize::from(columns).max(20),
            usize::from(rows).saturating_sub(2).max(5),
        );
        let mut at = 0;
        loop {
            let more = if pages.len() > 1 {
                format!(
                    "screen {} of {} · space: the next · b: the one before · ",
                    at + 1,
                    pages.len()
                )
            } else {
                String::new()
            };
            self.print(&format!(
                "{}{DIM}{more}any other key: back to your project · q: quit{DIM:#}\n",
                pages[at]
            ));
            let wake = loop {
                match rx.recv() {
                    Ok(Wake::Changed) if Fingerprint::of(project) == *seen => {}
                    Ok(wake) => break wake,
                    Err(_) => return Ok(Wake::Quit),
                }
            };
            match wake {
                Wake::Key(' ' | 'f' | 'j') if at + 1 < pages.len() => at += 1,
                Wake::Key('b' | 'k') if at > 0 => at -= 1,
                // At the last screen, space goes back to the project.
                Wake::Key(' ' | 'f' | 'j' | 'b' | 'k')
                    if pages.len() > 1 && at + 1 < pages.len() => {}
                wake => return Ok(wake),
            }
        }
    }

    /// Show `text`: on a terminal, as the whole screen.
    fn print(&self, text: &str) {
        // On a terminal: lines wrapped at its width, between words; and
        // while a key is being read, the terminal is in raw mode, where a
        // newline does not return the cursor to the start of the line.
        let text = if self.interactive {
            let _ = console::Term::stdout().clear_screen();
            let (_, columns) = console::Term::stdout().size();
            companion::watch::wrap(text, usize::from(columns).max(20)).replace('\n', "\r\n")
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
    let next = match report.up_next {
        UpNext::Step(next) => {
            out.push_str(&format!("\nNext: {}: {}\n", next.label(), next.title));
            Some(next)
        }
        UpNext::Finished { exercises } if report.finished() => {
            out.push_str(&format!(
                "\nYou have finished the chapter. What comes after it: its closing exercises, \
                 worked, from {}: {}\n",
                exercises.name, exercises.title
            ));
            Some(exercises)
        }
        UpNext::Finished { exercises } => {
            out.push_str(&format!(
                "\nThis is the chapter's last step: once every behaviour above holds, you have \
                 finished it. After it come its closing exercises, worked, from {}: {}\n",
                exercises.name, exercises.title
            ));
            Some(exercises)
        }
        UpNext::Done => {
            out.push_str("\nThat was the last of the worked exercises.\n");
            None
        }
    };
    if let Some(next) = next {
        out.push_str(&format!(
            "  cargo run -- show {}    # its code, and what it changes\n",
            next.name
        ));
    }
    Ok((out, next))
}
