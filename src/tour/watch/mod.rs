//! `watch <dir>`: follow the reader's project as they type. On every save,
//! the library's `watch::report` builds it, finds the step it is at and
//! checks it; this shows one screen: the step, each behaviour with ✓ or ✗,
//! and what the next step changes. On a terminal the screen is redrawn in
//! place and keys work (`n` the next step's diff, `c` check again, `q`
//! quit); elsewhere (a pipe, a log, a test) each check prints one report.
//! The library (`companion::watch`) owns what counts as a change and what
//! a check finds; here, `files` brings the file events in, `terminal` the
//! keys in and the screens out, and this module joins them.

mod files;
mod terminal;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;

use companion::reader::Project;
use companion::watch::Fingerprint;

use terminal::Screen;

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

    let _watching = files::watch(&project, tx.clone())?;
    if interactive {
        std::thread::spawn(move || terminal::keys(tx));
    }
    let mut screen = Screen::new(interactive);
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
                    if let Some(key) = files::drain(&rx) {
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
