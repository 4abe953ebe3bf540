//! The book's data the tests compare our stages with, carried in this
//! repository (`tests/book/`), so that every clone runs every proof: the
//! book's listing files (its code, MIT or Apache-2.0 like our stages) as
//! they are, and of its chapters' texts only what the tests read of them,
//! at the line numbers they read it: code blocks, the code that follows a
//! `Filename:` line, headings, listing numbers, the book's own build notes
//! (`<!-- manual-regeneration ... -->`), its include lines, and of figure
//! 21-1 the address it shows. Every other line of a text becomes `…` (an
//! empty one stays empty), so that no paragraph of the chapter's prose is
//! carried and every line number stays the text's.
//!
//! [`extract`] makes `tests/book/` from the team's `../shared/` (run it as
//! `cargo run -p kit --bin extract-book`); the suite's
//! `seeds::the_book_data_is_what_the_extractor_makes_of_shared` (on demand)
//! checks that what is committed is what it makes.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// `tests/book/`: the book's data, laid out as `../shared/` lays it out.
pub fn book_dir() -> PathBuf {
    companion::compile::root().join("tests/book")
}

/// The texts, whose facts alone are carried.
pub const TEXTS: &[&str] = &[
    "seeds/000_140cad0c53e4a0f6.txt",
    "seeds/001_8b2b6d0908183201.txt",
    "seeds/002_d978aaf36225f741.txt",
    "current-edition/nostarch-chapter21.md",
];

/// The folder of the online chapter 21's text, whose `ch21-*.md` pages'
/// facts are carried.
pub const ONLINE_TEXT: &str = "current-edition/src";

/// The folders of listing files, carried as they are (their `.rs` files,
/// `Cargo.toml`, `output.txt` and pages).
pub const LISTINGS: &[&str] = &[
    "print-edition-listings/ch20-web-server",
    "current-edition/listings/ch21-web-server",
];

/// Files carried whole: the book's licence, and the team's map of the
/// steps (`STAGES.md`, our own words).
pub const WHOLE: &[(&str, &str)] = &[
    ("current-edition/COPYRIGHT", "COPYRIGHT"),
    ("current-edition/LICENSE-MIT", "LICENSE-MIT"),
    ("current-edition/LICENSE-APACHE", "LICENSE-APACHE"),
    ("STAGES.md", "STAGES.md"),
];

/// Make `out` (`tests/book/`, or a scratch folder to compare with it) from
/// `shared` (`../shared/`). Leaves `out`'s README.md alone.
pub fn extract(shared: &Path, out: &Path) -> io::Result<()> {
    let write = |rel: &str, text: &[u8]| -> io::Result<()> {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))?;
        std::fs::write(path, text)
    };
    for rel in TEXTS {
        write(
            rel,
            facts_of(&std::fs::read_to_string(shared.join(rel))?).as_bytes(),
        )?;
    }
    for entry in std::fs::read_dir(shared.join(ONLINE_TEXT))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("ch21-") && name.ends_with(".md") {
            let text = std::fs::read_to_string(entry.path())?;
            write(&format!("{ONLINE_TEXT}/{name}"), facts_of(&text).as_bytes())?;
        }
    }
    for listings in LISTINGS {
        for step in std::fs::read_dir(shared.join(listings))? {
            let step = step?.path();
            for rel in [
                "src/main.rs",
                "src/lib.rs",
                "Cargo.toml",
                "output.txt",
                "hello.html",
                "404.html",
            ] {
                if let Ok(bytes) = std::fs::read(step.join(rel)) {
                    let name = step.file_name().expect("a folder").to_string_lossy();
                    write(&format!("{listings}/{name}/{rel}"), &bytes)?;
                }
            }
        }
    }
    for (from, to) in WHOLE {
        write(to, &std::fs::read(shared.join(from))?)?;
    }
    Ok(())
}

/// The lines of a chapter's text that the tests read, each at its own line
/// number; every other line empty.
pub fn facts_of(text: &str) -> String {
    // A file's name on a line of its own, as the third print edition's
    // text names the file of a listing.
    static FILE_NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\w./-]+\.(rs|html|toml)$").unwrap());
    static CAPTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(Listing \d+-\d+):( |$)").unwrap());
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<Option<String>> = vec![None; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("```") {
            // A fenced block, whole, its fences included.
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].starts_with("```"))
                .unwrap_or(lines.len() - 1);
            for j in i..=end {
                kept[j] = Some(lines[j].to_string());
            }
            i = end + 1;
            continue;
        }
        if line.starts_with("<!--") {
            // The book's notes to itself (how an output is regenerated).
            let end = (i..lines.len())
                .find(|&j| lines[j].contains("-->"))
                .unwrap_or(i);
            for j in i..=end {
                kept[j] = Some(lines[j].to_string());
            }
            i = end + 1;
            continue;
        }
        if line.starts_with("Filename: ") {
            kept[i] = Some(line.to_string());
            let next = lines.get(i + 1).copied().unwrap_or("```");
            if !next.starts_with("```") && !lines.get(i + 2).is_some_and(|l| l.starts_with("```")) {
                let end = if next.is_empty() {
                    online_code_end(&lines, i + 2)
                } else {
                    code_2018_end(&lines, i + 1)
                };
                for j in i + 1..end {
                    kept[j] = Some(lines[j].to_string());
                }
                i = end.max(i + 1);
                continue;
            }
        } else if line.starts_with('#') || line.starts_with("{{#") || FILE_NAME.is_match(line) {
            kept[i] = Some(line.to_string());
        } else if let Some(caption) = CAPTION.captures(line) {
            // The listing's number; its caption's words stay in the book.
            kept[i] = Some(format!("{}: …", &caption[1]));
        } else if line.starts_with("<img") {
            kept[i] = Some(figure(line));
        }
        i += 1;
    }
    // A line of prose becomes `…`: where the code a test reads ends is
    // still told by the line after it, as in the text.
    let mut out: String = kept
        .into_iter()
        .zip(&lines)
        .map(|(kept, line)| match kept {
            Some(kept) => kept + "\n",
            None if line.trim().is_empty() => "\n".to_string(),
            None => "…\n".to_string(),
        })
        .collect();
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// Where the code that starts at line `from` (0-based) ends, in a text that
/// prints it unfenced after a `Filename:` line and a blank one (the online
/// edition of seed 001): at a blank line before a line that does not start
/// as code does.
pub fn online_code_end(lines: &[&str], from: usize) -> usize {
    static CODE_START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(use |pub |impl |struct |type |fn |mod |#|\}|//|\s|$)").unwrap()
    });
    let mut j = from;
    while j < lines.len()
        && !(lines[j].is_empty() && j + 1 < lines.len() && !CODE_START.is_match(lines[j + 1]))
    {
        j += 1;
    }
    j
}

/// Where the code that starts at line `from` (0-based) ends, in the 2018
/// printing (seed 000), which prints it right under its `Filename:` line,
/// unindented and without blank lines: at the first line outside every
/// brace that does not start an item.
pub fn code_2018_end(lines: &[&str], from: usize) -> usize {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(use .*;|pub (struct|fn|enum) .*|type \w+ = .*;|enum \w+ \{|struct \w+ \{|impl\b.*\{|fn \w+.*\{|// .*|#\[.*)$",
        )
        .unwrap()
    });
    let mut depth = 0i32;
    for (j, line) in lines.iter().enumerate().skip(from) {
        if depth == 0 && !ITEM.is_match(line) {
            return j;
        }
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
    }
    lines.len()
}

/// A figure's `<img>` line as the tests read it: its picture, and its
/// description up to the first address it names (figure 21-1's port).
fn figure(line: &str) -> String {
    static ADDRESS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+\.\d+\.\d+\.\d+:\d+").unwrap());
    let attr = |name: &str| {
        let start = line.find(&format!("{name}=\""))? + name.len() + 2;
        let len = line[start..].find('"')?;
        Some(&line[start..start + len])
    };
    let src = attr("src").unwrap_or_default();
    let alt = attr("alt")
        .and_then(|alt| ADDRESS.find(alt).map(|m| &alt[..m.end()]))
        .map(|alt| format!("{alt} …"))
        .unwrap_or_default();
    format!("<img alt=\"{alt}\" src=\"{src}\" />")
}
