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

pub(super) fn watch(path: &Path) -> anyhow::Result<ExitCode> {
    let project = Project::open(path)?.dir;
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let (tx, rx) = mpsc::channel();

    let _watching = files::watch(&project, tx.clone())?;
    if interactive {
        std::thread::spawn(move || terminal::keys(tx));
    }
    let mut screen = Screen::new(interactive);
    // Check, then wait: a change checks again, `n` shows the next step's
    // diff and, back from it, the same screen is drawn again.
    let (mut seen, mut next) = screen.check(&project);
    loop {
        // Wait for the next change or key; several changes in a row are
        // one. The file system also reports files being read (the check
        // reads them): only a change to what the files hold, their size or
        // their time counts.
        let wake = loop {
            match rx.recv() {
                Ok(Wake::Changed) => {
                    if let Some(key) = files::drain(&rx) {
                        break Some(key);
                    }
                    if Fingerprint::of(&project) != seen {
                        break Some(Wake::Changed);
                    }
                }
                Ok(wake) => break Some(wake),
                Err(_) => break None,
            }
        };
        if companion::server::stopping() {
            break;
        }
        match wake {
            None | Some(Wake::Key('q') | Wake::Quit) => break,
            Some(Wake::Changed | Wake::Key('c')) => (seen, next) = screen.check(&project),
            Some(Wake::Key('n')) => {
                let Some(step) = next else { continue };
                match screen.show_next(step, &rx, &project, &seen)? {
                    Wake::Quit | Wake::Key('q') => break,
                    Wake::Changed => (seen, next) = screen.check(&project),
                    _ => screen.redraw(),
                }
            }
            Some(Wake::Key(_)) => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}
