//! The file events of a watch: a change to the reader's own files, after
//! the project has been quiet for a moment.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use anyhow::Context;
use companion::watch::matters;
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use super::Wake;

/// How long the project must be quiet after a change before it is checked:
/// an editor's save is often several writes.
const SETTLE: Duration = Duration::from_millis(300);

/// Send [`Wake::Changed`] on `tx` after each change to the project's own
/// files, for as long as the returned watcher lives.
pub(super) fn watch(
    project: &Path,
    tx: Sender<Wake>,
) -> anyhow::Result<Debouncer<RecommendedWatcher>> {
    let watched = project.to_path_buf();
    let mut debouncer = new_debouncer(SETTLE, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            if events.iter().any(|e| matters(&watched, &e.path)) {
                let _ = tx.send(Wake::Changed);
            }
        }
    })
    .context("could not watch the project's files")?;
    debouncer
        .watcher()
        .watch(project, RecursiveMode::Recursive)
        .with_context(|| format!("could not watch {}", project.display()))?;
    Ok(debouncer)
}

/// Take every change already queued (a save is often several); a key
/// among them is returned.
pub(super) fn drain(rx: &Receiver<Wake>) -> Option<Wake> {
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Wake::Changed) => {}
            Ok(key) => return Some(key),
            Err(_) => return None,
        }
    }
}
