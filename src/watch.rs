//! What a watch of a reader's project keeps and computes: which changes to
//! its folder count ([`Fingerprint`]), and the report each check makes
//! ([`report`]). The tour's `watch` owns the terminal and the file events,
//! and shows what this computes.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::check::{self, Located, Verdict};
use crate::reader::Project;
use crate::registry::{self, UpNext};
use crate::Result;

/// Whether a change to `path` is one to the reader's code, not to the
/// build's own files (`target/`, `.git`, `Cargo.lock`).
pub fn matters(project: &Path, path: &Path) -> bool {
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

/// What the project's own files are now: each one's path, size and time of
/// last change (not target/, .git or Cargo.lock). The file system also
/// reports files being read (a check reads them): only a change to this
/// counts as a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint(Vec<(PathBuf, u64, Option<SystemTime>)>);

impl Fingerprint {
    pub fn of(project: &Path) -> Fingerprint {
        let mut files: Vec<_> = crate::reader::own_files(project)
            .into_iter()
            .map(|(path, meta)| (path, meta.len(), meta.modified().ok()))
            .collect();
        files.sort();
        Fingerprint(files)
    }
}

/// One check of the project, as a watch shows it.
#[derive(Debug)]
pub struct Report {
    /// The step it is at, and why.
    pub located: Located,
    /// What the check found.
    pub checked: Checked,
    /// What the reader does next (past the pages they already have).
    pub up_next: UpNext,
}

impl Report {
    /// Whether the reader has finished the chapter: their project is at its
    /// last step, and every behaviour of that step holds.
    pub fn finished(&self) -> bool {
        matches!(self.up_next, UpNext::Finished { .. })
            && matches!(&self.checked, Checked::Verdicts(v) if check::passes(v))
    }
}

/// What a watch's check found at the project's step.
#[derive(Debug)]
pub enum Checked {
    /// Each behaviour of the step, and whether it holds.
    Verdicts(Vec<Verdict>),
    /// It does not build as its step does: the compiler's output (in
    /// [`Located::compiler_output`]) is the report.
    DoesNotBuild,
    /// The check could not be made (a page missing, a server that did not
    /// start): why, in one sentence.
    Failed(String),
}

/// Read the project in `dir`, find its step and check it.
pub fn report(dir: &Path) -> Result<Report> {
    let project = Project::open(dir)?;
    let located = check::locate(&project)?;
    let checked = if located.checkable() {
        match check::evaluate(located.step(), &project) {
            Ok(verdicts) => Checked::Verdicts(verdicts),
            Err(error) => Checked::Failed(format!("{:#}", anyhow_like(&error))),
        }
    } else {
        Checked::DoesNotBuild
    };
    let up_next = registry::up_next(located.step(), |page| project.dir.join(page).is_file());
    Ok(Report {
        located,
        checked,
        up_next,
    })
}

/// An error and its causes, as one line: `a: b: c`.
fn anyhow_like(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `text` with every line wider than `width` columns broken between words
/// (a terminal breaks it wherever the edge falls, mid-name); continuation
/// lines start where the line's own words do, past its indentation and a
/// verdict's mark (`✓ `, `✗ `, `ⓘ `). Terminal escapes take no columns;
/// a word wider than the line stays whole.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (line, newline) = match line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (line, ""),
        };
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let marked = ["✓ ", "✗ ", "ⓘ "]
            .iter()
            .any(|mark| console::strip_ansi_codes(&line[spaces..]).starts_with(mark));
        let indent = " ".repeat(spaces + if marked { 2 } else { 0 });
        let options = textwrap::Options::new(width)
            .initial_indent(&line[..spaces])
            .subsequent_indent(&indent)
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .word_separator(textwrap::WordSeparator::AsciiSpace);
        out.push_str(&textwrap::fill(&line[spaces..], options));
        out.push_str(newline);
    }
    out
}

/// `text` as screens of at most `rows` lines each, its lines first wrapped
/// at `width` columns (as [`wrap`] does): what a watch shows a page at a
/// time, from the top, of a diff longer than the terminal.
pub fn pages(text: &str, width: usize, rows: usize) -> Vec<String> {
    let wrapped = wrap(text, width);
    let lines: Vec<&str> = wrapped.lines().collect();
    if lines.is_empty() {
        return vec![String::new()];
    }
    lines
        .chunks(rows.max(1))
        .map(|page| page.iter().map(|l| format!("{l}\n")).collect())
        .collect()
}

/// How many columns `text` takes on a terminal: its characters, less the
/// escape sequences that colour them or move the cursor.
#[cfg(test)]
fn columns(text: &str) -> usize {
    console::measure_text_width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_readers_own_files_matter() {
        let project = Path::new("/p");
        assert!(matters(project, Path::new("/p/src/main.rs")));
        assert!(matters(project, Path::new("/p/hello.html")));
        for build in [
            "/p/target/debug/hello",
            "/p/Cargo.lock",
            "/p/.git/index",
            "/p",
            "/q/x",
        ] {
            assert!(!matters(project, Path::new(build)), "{build}");
        }
    }

    #[test]
    fn a_fingerprint_changes_with_a_file_and_not_with_the_build() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("target")).unwrap();
        std::fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
        let before = Fingerprint::of(dir);
        std::fs::write(dir.join("target/out"), "built").unwrap();
        std::fs::write(dir.join("Cargo.lock"), "# lock").unwrap();
        assert_eq!(Fingerprint::of(dir), before);
        std::fs::write(dir.join("src/main.rs"), "fn main() { }\n").unwrap();
        assert_ne!(Fingerprint::of(dir), before);
    }

    #[test]
    fn a_long_text_is_paged_from_its_top() {
        let text: String = (1..=50).map(|n| format!("line {n}\n")).collect();
        let paged = pages(&text, 80, 20);
        assert_eq!(paged.len(), 3);
        assert!(paged[0].starts_with("line 1\nline 2\n"));
        assert_eq!(paged[0].lines().count(), 20);
        assert!(paged[2].starts_with("line 41\n") && paged[2].ends_with("line 50\n"));
        // A line wider than the terminal takes the rows it wraps to.
        let wide = format!("{}\nend\n", "word ".repeat(20).trim_end());
        assert_eq!(pages(&wide, 30, 3), ["word word word word word word\nword word word word word word\nword word word word word word\n", "word word\nend\n"]);
    }

    #[test]
    fn long_lines_wrap_between_words_under_their_own_text() {
        let verdict = "✗ `/` still waits behind `/sleep`: your pool serialises jobs\n";
        assert_eq!(
            wrap(verdict, 30),
            "✗ `/` still waits behind\n  `/sleep`: your pool\n  serialises jobs\n"
        );
        assert_eq!(
            wrap("  its code is 99% like\n", 14),
            "  its code is\n  99% like\n"
        );
        // Short lines, and escapes, are left as they are.
        let styled = "\x1b[1mwatching /p\x1b[0m\n";
        assert_eq!(wrap(styled, 11), styled);
        assert_eq!(columns(styled), 12);
        // A coloured mark is a mark.
        assert_eq!(
            wrap("\x1b[32m✓\x1b[0m one two three\n", 9),
            "\x1b[32m✓\x1b[0m one two\n  three\n"
        );
        // A word wider than the line stays whole.
        assert_eq!(
            wrap("a stages/listing-20-20/lib.rs b", 10),
            "a\nstages/listing-20-20/lib.rs\nb"
        );
    }
}
