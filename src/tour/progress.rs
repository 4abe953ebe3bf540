//! The reader's progress: which steps they have run or checked, kept in a
//! small file under `target/` (or where `CH20_PROGRESS` says).

use std::io::Write;
use std::path::PathBuf;

use companion::registry::{Step, STEPS};

fn file() -> PathBuf {
    std::env::var_os("CH20_PROGRESS")
        .map(PathBuf::from)
        .unwrap_or_else(|| companion::compile::root().join("target/tour-progress.txt"))
}

/// Remember that the reader did `what` (`ran`, `checked`) with `step`.
/// Progress is a convenience: failing to save it is not an error.
pub fn record(what: &str, step: &Step) {
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

/// The furthest step the reader has run or checked, and what they did
/// with it last.
pub fn furthest() -> Option<(&'static Step, String)> {
    let text = std::fs::read_to_string(file()).ok()?;
    let mut best: Option<(&'static Step, String)> = None;
    for line in text.lines() {
        let Some((what, name)) = line.split_once(' ') else {
            continue;
        };
        let Some(step) = companion::registry::find(name) else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| step.index() >= b.index()) {
            best = Some((step, what.to_string()));
        }
    }
    best
}

/// The step to do next: the one after the furthest on its track, or the
/// first.
pub fn up_next() -> Option<&'static Step> {
    match furthest() {
        None => STEPS.first(),
        Some((step, _)) => step.next(),
    }
}
