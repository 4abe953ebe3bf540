//! A reader's project at a step: the files `cargo new hello` and the
//! chapter give them by that point, as the tour's `start` writes them, and
//! as [`super::detect`] compares a reader's project with each step.

use std::path::Path;

use crate::compile::root;
use crate::registry::{Step, SCAFFOLD};
use crate::{Error, Result};

/// Every file `start` may write, whatever the step (`src/lib.rs` only from
/// the pool on): the files it may replace and may remove.
pub(crate) const TOUR_FILES: &[&str] = &[
    "Cargo.toml",
    "src/main.rs",
    "src/lib.rs",
    "src/http.rs",
    "hello.html",
    "404.html",
];

/// The files of a reader's project at `step`, relative to its folder, with
/// their contents, in the order they are written: the code of the step (or,
/// for a listing that is a page, of the code step before it) without our
/// scaffold line, its library, a manifest, and both pages.
pub fn files(step: &'static Step) -> Result<Vec<(&'static str, String)>> {
    let code = step.code_step();
    let read = |rel: &str| std::fs::read_to_string(root().join(rel)).map_err(Error::read(rel));
    let main = read(&code.main_rs())?;
    // The blank line before the scaffold goes with it (it is its first
    // `\n`).
    let main = match main.strip_suffix(SCAFFOLD) {
        Some(book) => book.to_string(),
        None => main,
    };
    // A module in another step's folder is the project's own `src/`.
    let main = match code.module_path_line() {
        Some(line) => main.replacen(&line, "", 1),
        None => main,
    };
    let mut files = vec![("Cargo.toml", manifest(code)), ("src/main.rs", main)];
    if let Some(lib) = code.library_step().and_then(|s| s.lib_rs()) {
        files.push(("src/lib.rs", read(&lib)?));
    }
    if let Some(module) = code.module {
        files.push(("src/http.rs", read(module)?));
    }
    files.push(("hello.html", read("hello.html")?));
    files.push(("404.html", read("404.html")?));
    Ok(files)
}

/// `Cargo.toml` for a package named `hello`, as `cargo new hello` writes it,
/// at the step's edition, with the crates its code uses.
fn manifest(step: &Step) -> String {
    let mut manifest = format!(
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"{}\"\n\n[dependencies]\n",
        step.track.edition()
    );
    for krate in step.crates {
        manifest.push_str(krate.manifest_line);
        manifest.push('\n');
    }
    // The module's helpers for properties and fuzz targets are compiled
    // under `cfg(fuzzing)` (cargo fuzz's), which cargo would warn of.
    if step.module.is_some() {
        manifest.push_str(
            "\n[lints.rust]\nunexpected_cfgs = { level = \"warn\", check-cfg = [\"cfg(fuzzing)\"] }\n",
        );
    }
    manifest
}

/// What `start` did: the files it wrote, and those it replaced (with
/// whether it removed one the step has none of).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    pub written: Vec<&'static str>,
    pub replaced: Vec<(&'static str, Replaced)>,
}

/// What became of a file `start` found in the folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaced {
    Rewritten,
    /// Removed: the step has none (`src/lib.rs` before the pool).
    Removed,
}

/// `start`: write the project of `step` into `dir`, never over a project
/// or a folder with files of its own unless `force`, and then only the
/// tour's files.
pub fn start(step: &'static Step, dir: &Path, force: bool) -> Result<Started> {
    if dir.is_file() {
        return Err(Error::NotAFolderToWrite(dir.to_path_buf()));
    }
    let present: Vec<&'static str> = TOUR_FILES
        .iter()
        .copied()
        .filter(|rel| dir.join(rel).exists())
        .collect();
    let others = dir.is_dir()
        && std::fs::read_dir(dir)
            .map_err(Error::read(dir))?
            .flatten()
            .any(|e| {
                let name = e.file_name();
                let name = name.to_str().unwrap_or("");
                !matches!(name, "src" | "target" | "Cargo.lock") && !TOUR_FILES.contains(&name)
            });
    if !force && (!present.is_empty() || others) {
        return Err(Error::ProjectExists {
            dir: dir.to_path_buf(),
            what: if present.is_empty() {
                "files of its own".to_string()
            } else {
                present.join(", ")
            },
        });
    }
    let written: Vec<&'static str> = files(step)?.into_iter().map(|(rel, _)| rel).collect();
    write(step, dir)?;
    let replaced = present
        .into_iter()
        .map(|rel| {
            let what = if written.contains(&rel) {
                Replaced::Rewritten
            } else {
                Replaced::Removed
            };
            (rel, what)
        })
        .collect();
    Ok(Started { written, replaced })
}

/// Write the project of `step` into `dir` (made if missing), replacing the
/// tour's files there and removing a `src/lib.rs` the step does not have.
/// Files that already hold what they should are left alone (so that cargo
/// does not rebuild them).
pub fn write(step: &'static Step, dir: &Path) -> Result<()> {
    write_files(dir, files(step)?)
}

/// Write `files` (as [`files`] gives them, edited perhaps) as a project in
/// `dir`, as [`write`](fn@write) does.
pub fn write_files(dir: &Path, mut files: Vec<(&'static str, String)>) -> Result<()> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(Error::write(&src))?;
    if inside_a_workspace(dir)? {
        // cargo would take the project for a member of the workspace around
        // it (this repository's, if it is written in here) and refuse to
        // build it: an empty [workspace] makes it a workspace of its own.
        files[0].1.push_str("\n[workspace]\n");
    }
    for (rel, contents) in &files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_ref() != Some(contents) {
            // Written whole, then renamed over the old file: a build that
            // reads it meanwhile sees the old file or the new one.
            static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let partial = dir.join(format!(
                ".{}.{}-{n}.partial",
                rel.replace('/', "-"),
                std::process::id()
            ));
            std::fs::write(&partial, contents).map_err(Error::write(&partial))?;
            std::fs::rename(&partial, &path).map_err(Error::write(&path))?;
        }
    }
    let lib = dir.join("src/lib.rs");
    if !files.iter().any(|(rel, _)| *rel == "src/lib.rs") && lib.exists() {
        std::fs::remove_file(&lib).map_err(Error::write(&lib))?;
    }
    Ok(())
}

/// Whether a folder above `dir` has a `Cargo.toml` with a `[workspace]`.
fn inside_a_workspace(dir: &Path) -> Result<bool> {
    let dir = dir.canonicalize().map_err(Error::read(dir))?;
    Ok(dir.ancestors().skip(1).any(|above| {
        std::fs::read_to_string(above.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;

    fn files_of(name: &str) -> Vec<(&'static str, String)> {
        files(find(name).unwrap()).unwrap()
    }

    #[test]
    fn a_project_is_the_stage_without_the_scaffold() {
        let files = files_of("listing-20-20");
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "Cargo.toml",
                "src/main.rs",
                "src/lib.rs",
                "hello.html",
                "404.html"
            ]
        );
        let main = &files[1].1;
        assert!(main.starts_with("use hello::ThreadPool;\n"));
        assert!(main.ends_with("    stream.write_all(response.as_bytes()).unwrap();\n}\n"));
        assert!(!main.contains("#[path"));
        assert!(files[0].1.contains("name = \"hello\"\n"));
        assert!(files[0].1.contains("edition = \"2021\"\n"));
    }

    #[test]
    fn a_page_listing_gives_the_code_before_it() {
        let page = files_of("listing-20-04");
        let before = files_of("listing-20-03");
        assert_eq!(page, before);
    }

    #[test]
    fn the_exercises_after_beyond_02_get_its_library() {
        let files = files_of("beyond-04-shutdown-on-signal");
        let lib = files.iter().find(|(rel, _)| *rel == "src/lib.rs");
        let expected =
            std::fs::read_to_string(root().join("stages/beyond-02-documented-and-tested/lib.rs"))
                .unwrap();
        assert_eq!(lib.map(|(_, text)| text), Some(&expected));
    }

    #[test]
    fn the_strict_steps_get_beyond_07s_module_as_src_http_rs() {
        let module =
            std::fs::read_to_string(root().join("stages/beyond-07-strict-requests/http.rs"))
                .unwrap();
        for step in [
            "beyond-07-strict-requests",
            "beyond-08-async-single-threaded",
            "beyond-09-async-multithreaded",
        ] {
            let files = files_of(step);
            let http = files.iter().find(|(rel, _)| *rel == "src/http.rs");
            assert_eq!(http.map(|(_, text)| text), Some(&module), "{step}");
            // `mod http;` finds src/http.rs: no #[path] to our folders.
            let main = &files[1].1;
            assert!(main.contains("\nmod http;\n"), "{step}");
            assert!(!main.contains("#[path"), "{step}");
            // Its `cfg(fuzzing)` is one cargo expects.
            assert!(
                files[0].1.contains("check-cfg = [\"cfg(fuzzing)\"]"),
                "{step}"
            );
        }
        // Before them, no module.
        let files = files_of("beyond-06-pool-from-crates-io");
        assert!(files.iter().all(|(rel, _)| *rel != "src/http.rs"));
        assert!(!files[0].1.contains("[lints.rust]"));
    }

    #[test]
    fn the_exercises_get_their_edition_and_crates() {
        let manifest = &files_of("beyond-06-pool-from-crates-io")[0].1;
        assert!(manifest.contains("edition = \"2024\""), "{manifest}");
        assert!(manifest.contains("ctrlc = "), "{manifest}");
        assert!(manifest.contains("rayon = \"1\""), "{manifest}");
        let manifest = &files_of("listing-21-25")[0].1;
        assert!(manifest.ends_with("[dependencies]\n"), "{manifest}");
    }

    #[test]
    fn start_never_writes_over_a_project_unless_forced_and_then_says_what() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("hello");
        let pool = find("listing-20-20").unwrap();
        let started = start(pool, &dir, false).unwrap();
        assert_eq!(started.replaced, []);
        assert!(started.written.contains(&"src/lib.rs"));
        let again = start(find("listing-20-10").unwrap(), &dir, false).unwrap_err();
        assert!(
            again
                .to_string()
                .contains("already has a project (Cargo.toml, src/main.rs"),
            "{again}"
        );
        let forced = start(find("listing-20-10").unwrap(), &dir, true).unwrap();
        assert!(forced.replaced.contains(&("src/lib.rs", Replaced::Removed)));
        assert!(forced
            .replaced
            .contains(&("src/main.rs", Replaced::Rewritten)));
        assert!(!dir.join("src/lib.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
        // A folder with files of its own is not written over either.
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let own = start(pool, &dir, false).unwrap_err();
        assert!(own.to_string().contains("(files of its own)"), "{own}");
    }
}
