//! A reader's project at a step: the files `cargo new hello` and the
//! chapter give them by that point, as the tour's `start` writes them and
//! as its `check` reads a reader's project back.

use std::path::Path;

use crate::compile::root;
use crate::steps::{Files, Printing, Step, STEPS};

/// The two lines a stage with a `lib.rs` ends with, after the book's code,
/// so that `use hello::ThreadPool;` finds it (a reader's `src/lib.rs` is
/// found by cargo), with the blank line before them.
pub const SCAFFOLD: &str = "\n#[path = \"lib.rs\"]\nmod hello;\n";

/// The files of a reader's project at `step`, relative to its folder, with
/// their contents, in the order they are written.
pub fn files(step: &Step) -> Vec<(&'static str, String)> {
    let code = code_step(step);
    let read = |rel: &str| {
        std::fs::read_to_string(root().join(rel))
            .unwrap_or_else(|e| panic!("the repository's {rel}: {e}"))
    };
    let main = read(&code.main_rs());
    // The blank line before the scaffold goes with it (it is its first
    // `\n`).
    let main = match main.strip_suffix(SCAFFOLD) {
        Some(book) => book.to_string(),
        None => main,
    };
    let lib = library(code, &main);
    let mut files = vec![("Cargo.toml", manifest(code, &main)), ("src/main.rs", main)];
    if let Some(lib) = lib {
        files.push(("src/lib.rs", read(&lib)));
    }
    files.push(("hello.html", read("hello.html")));
    files.push(("404.html", read("404.html")));
    files
}

/// The `lib.rs` a project at `step` has: the step's own, or, for the
/// exercises after beyond-02 (whose `main.rs` uses the pool the package's
/// library is, `use hello::ThreadPool;`), the last one before it.
fn library(step: &Step, main: &str) -> Option<String> {
    if let Some(lib) = step.lib_rs() {
        return Some(lib);
    }
    if !main.contains("use hello::") {
        return None;
    }
    let at = STEPS.iter().position(|s| s == step)?;
    STEPS[..at]
        .iter()
        .rev()
        .filter(|s| s.printing == step.printing)
        .find_map(|s| s.lib_rs())
}

/// Every file `start` may write, whatever the step (`src/lib.rs` only from
/// the pool on): the files it may replace and may remove.
pub const TOUR_FILES: &[&str] = &[
    "Cargo.toml",
    "src/main.rs",
    "src/lib.rs",
    "hello.html",
    "404.html",
];

/// The step whose code a reader has at `step`: the step itself, or, for
/// listings that are an HTML file (20-4, 20-8), the code step before it.
pub fn code_step(step: &Step) -> &'static Step {
    let at = STEPS
        .iter()
        .position(|s| s == step)
        .expect("a step of STEPS");
    STEPS[..=at]
        .iter()
        .rev()
        .find(|s| s.printing == step.printing && !matches!(s.files, Files::Html(_)))
        .expect("every printing starts with code")
}

/// `Cargo.toml` for a package named `hello`, as `cargo new hello` writes it,
/// at the step's edition, with the crates the exercises' steps use.
fn manifest(step: &Step, main: &str) -> String {
    let mut manifest = format!(
        "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"{}\"\n\n[dependencies]\n",
        step.printing.edition()
    );
    if step.printing == Printing::Exercises {
        if main.contains("ctrlc::") {
            manifest.push_str("ctrlc = { version = \"3.5.3\", features = [\"termination\"] }\n");
        }
        if main.contains("rayon::") {
            manifest.push_str("rayon = \"1\"\n");
        }
    }
    manifest
}

/// Write the project of `step` into `dir` (made if missing), replacing the
/// tour's files there and removing a `src/lib.rs` the step does not have.
/// Files that already hold what they should are left alone (so that cargo
/// does not rebuild them).
pub fn write(step: &Step, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let mut files = files(step);
    if inside_a_workspace(dir)? {
        // cargo would take the project for a member of the workspace around
        // it (this repository's, if it is written in here) and refuse to
        // build it: an empty [workspace] makes it a workspace of its own.
        files[0].1.push_str("\n[workspace]\n");
    }
    for (rel, contents) in &files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_ref() != Some(contents) {
            std::fs::write(path, contents)?;
        }
    }
    let lib = dir.join("src/lib.rs");
    if !files.iter().any(|(rel, _)| *rel == "src/lib.rs") && lib.exists() {
        std::fs::remove_file(lib)?;
    }
    Ok(())
}

/// Whether a folder above `dir` has a `Cargo.toml` with a `[workspace]`.
fn inside_a_workspace(dir: &Path) -> std::io::Result<bool> {
    let dir = dir.canonicalize()?;
    Ok(dir.ancestors().skip(1).any(|above| {
        std::fs::read_to_string(above.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::find;

    #[test]
    fn a_project_is_the_stage_without_the_scaffold() {
        let step = find("listing-20-20").unwrap();
        let files = files(step);
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
    fn html_listings_give_the_code_before_them() {
        assert_eq!(
            code_step(find("listing-20-04").unwrap()).name,
            "listing-20-03"
        );
        assert_eq!(
            code_step(find("listing-21-08").unwrap()).name,
            "listing-21-07"
        );
        assert_eq!(
            code_step(find("listing-20-05").unwrap()).name,
            "listing-20-05"
        );
    }

    #[test]
    fn the_exercises_after_beyond_02_get_its_library() {
        let files = files(find("beyond-04-shutdown-on-signal").unwrap());
        let lib = files.iter().find(|(rel, _)| *rel == "src/lib.rs");
        let expected =
            std::fs::read_to_string(root().join("stages/beyond-02-documented-and-tested/lib.rs"))
                .unwrap();
        assert_eq!(lib.map(|(_, text)| text), Some(&expected));
    }

    #[test]
    fn the_exercises_get_their_edition_and_crates() {
        let manifest = &files(find("beyond-06-pool-from-crates-io").unwrap())[0].1;
        assert!(manifest.contains("edition = \"2024\""), "{manifest}");
        assert!(manifest.contains("ctrlc = "), "{manifest}");
        assert!(manifest.contains("rayon = \"1\""), "{manifest}");
        let manifest = &files(find("listing-21-25").unwrap())[0].1;
        assert!(manifest.ends_with("[dependencies]\n"), "{manifest}");
    }
}
