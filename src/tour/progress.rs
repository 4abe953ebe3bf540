//! The reader's progress: which steps they have run or checked, kept in a
//! small file under `target/` (or where `CH20_PROGRESS` says).

use std::io::Write;
use std::path::PathBuf;

use companion::registry::{Step, UpNext};

fn file() -> PathBuf {
    std::env::var_os("CH20_PROGRESS")
        .map(PathBuf::from)
        .unwrap_or_else(|| companion::compile::root().join("target/tour-progress.txt"))
}

/// Remember that the reader did `what` (`ran`, `checked`) with `step`.
/// Progress is a convenience: failing to save it is not an error.
pub(super) fn record(what: &str, step: &Step) {
    let path = file();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // Appending one short line under a lock: two tours at once (or the
    // tests' many) never lose each other's lines.
    let line = format!("{what} {}\n", step.name);
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| {
            file.lock()?;
            file.write_all(line.as_bytes())
        });
}

/// The furthest step the reader has run or checked on the track they
/// follow (that of the step they did something with last), and what they
/// did with it last.
pub(super) fn furthest() -> Option<(&'static Step, String)> {
    let text = std::fs::read_to_string(file()).ok()?;
    let done: Vec<(&'static Step, &str)> = text
        .lines()
        .filter_map(|line| {
            let (what, name) = line.split_once(' ')?;
            Some((companion::registry::find(name)?, what))
        })
        .collect();
    let track = done.last()?.0.track;
    done.into_iter()
        .filter(|(step, _)| step.track == track)
        .max_by_key(|(step, _)| step.index())
        .map(|(step, what)| (step, what.to_string()))
}

/// What the reader does next, from the furthest step they have done;
/// `None` before they have done any.
pub(super) fn up_next() -> Option<UpNext> {
    furthest().map(|(step, _)| companion::registry::up_next(step, |_| false))
}
