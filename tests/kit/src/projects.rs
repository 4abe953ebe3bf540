//! Readers' projects for the tests of the check and the tour, laid out as a
//! reader's `hello` project is, in folders of their own under
//! `target/tour-tests/`. Files are written only when they differ, so that a
//! warm run does not rebuild the project.

use std::path::PathBuf;

use companion::compile::root;
use companion::reader::scaffold;
use companion::registry::find;

/// A reader's project that is the step `step` as `start` writes it (without
/// hello.html and 404.html when `pages` is false).
pub fn project_from(step: &str, pages: bool) -> PathBuf {
    let dir = root().join(format!(
        "target/tour-tests/projects/{step}{}",
        if pages { "" } else { "-no-html" }
    ));
    let step = find(step).expect("a step");
    scaffold::write(step, &dir).unwrap();
    if !pages {
        for file in ["hello.html", "404.html"] {
            let _ = std::fs::remove_file(dir.join(file));
        }
    }
    dir
}

/// A project at `step` in a folder named `test`, with `edit` made to each
/// of its `files` (the edit must change each of them).
pub fn edited_project(
    test: &str,
    step: &str,
    files: &[&str],
    edit: impl Fn(&str) -> String,
) -> PathBuf {
    let dir = root().join("target/tour-tests/edited").join(test);
    let step = find(step).unwrap();
    // Each file written only where it differs from what is there, so that
    // a warm run does not build the project again.
    let edited = scaffold::files(step)
        .unwrap()
        .into_iter()
        .map(|(rel, text)| {
            if !files.contains(&rel) {
                return (rel, text);
            }
            let edited = edit(&text);
            assert_ne!(edited, text, "{test}: the edit of {rel} took");
            (rel, edited)
        })
        .collect();
    scaffold::write_files(&dir, edited).unwrap();
    dir
}

/// A folder of the test `test`'s own, not there yet.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = root().join("target/tour-tests/started").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A reader's project in `target/tour-tests/mistakes/<name>`: the files
/// of `step` (as `start` writes them), each passed through `edit` with its
/// path (which returns it changed or not), then each `(from, to)` of
/// `moves` made (a page put in `src/`). Written only where it differs, so
/// that a warm run does not rebuild it.
pub fn reader_project(
    name: &str,
    step: &str,
    edit: impl Fn(&str, String) -> String,
    moves: &[(&'static str, &'static str)],
) -> PathBuf {
    let dir = root().join("target/tour-tests/mistakes").join(name);
    let step = find(step).unwrap_or_else(|| panic!("{name}: no step {step}"));
    let files = scaffold::files(step)
        .unwrap()
        .into_iter()
        .map(|(rel, text)| {
            let rel = moves
                .iter()
                .find(|(from, _)| *from == rel)
                .map_or(rel, |(_, to)| *to);
            let text = edit(rel, text);
            (rel, text)
        })
        .collect();
    for (from, _) in moves {
        let _ = std::fs::remove_file(dir.join(from));
    }
    scaffold::write_files(&dir, files).unwrap();
    dir
}
