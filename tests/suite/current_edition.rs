//! Today's edition (chapter 21, Rust 2024) against the book's own files,
//! carried in tests/book/current-edition/ (`kit::book_data`): each stage is
//! the book's listing file, cleaned as the book cleans it before compiling
//! it; the text shows exactly the steps we have; and every position and code the book's `output.txt`
//! prints is what rustc says of our stage.

use kit::facts::{BuildFacts, StepFacts};
use std::collections::BTreeSet;
use std::path::Path;

use companion::registry::{find, BookFileHas, Kind, Step, Track, FILE_DIFFERENCES, STEPS};

/// The book's listing folders for the chapter, in tests/book/.
const LISTINGS: &str = "current-edition/listings/ch21-web-server";

fn edition_2024() -> impl Iterator<Item = &'static Step> {
    STEPS.iter().filter(|s| s.track == Track::Edition2024)
}

/// The book's folder for a code step: its name without our `-2024`.
fn book_folder(step: &Step) -> &'static str {
    step.name.strip_suffix("-2024").unwrap_or(step.name)
}

#[test]
fn clean_drops_anchor_and_snip_lines_and_keeps_the_blank_lines_around_them() {
    let listing = "pub struct ThreadPool;\n\n// ANCHOR: here\nimpl ThreadPool {\n    // --snip--\n    // ANCHOR_END: here\n    pub fn new() {}\n}\n";
    assert_eq!(
        kit::clean(listing, true),
        "pub struct ThreadPool;\n\nimpl ThreadPool {\n    pub fn new() {}\n}\n"
    );
    assert_eq!(kit::clean("fn main() {}\n", true), "");
    assert_eq!(kit::clean("fn main() {}\n", false), "fn main() {}\n");
    // A comment that only looks like an anchor stays.
    let prose = "// ANCHOR: two words\n";
    assert_eq!(kit::clean(prose, false), prose);
}

#[test]
fn every_chapter_21_stage_is_the_books_listing_file_cleaned_character_for_character() {
    let shared = kit::book_data::book_dir();
    let (mut compared, mut explained) = (0, 0);
    for step in edition_2024() {
        if let Kind::Page(file) = step.kind() {
            // The HTML listings are the files at our root; every folder of
            // the book that has one has the same.
            let ours = kit::read_repo(file);
            for entry in std::fs::read_dir(shared.join(LISTINGS)).unwrap().flatten() {
                if let Ok(theirs) = std::fs::read_to_string(entry.path().join(file)) {
                    assert_eq!(theirs, ours, "{}", entry.path().display());
                    compared += 1;
                }
            }
            continue;
        }
        let folder = format!("{LISTINGS}/{}/src", book_folder(step));
        let main = kit::read_repo(&step.main_rs());
        let main = match step.lib_rs() {
            Some(lib) => {
                let theirs = kit::read_book(&format!("{folder}/lib.rs"));
                assert_eq!(kit::read_repo(&lib), kit::clean(&theirs, true), "{lib}");
                compared += 1;
                main.strip_suffix(kit::SCAFFOLD)
                    .unwrap_or_else(|| panic!("{} ends with the scaffold", step.main_rs()))
                    .to_string()
            }
            None => main,
        };
        let theirs = kit::clean(&kit::read_book(&format!("{folder}/main.rs")), false);
        // Where the book's file runs ahead of the text, the difference is
        // exactly the one the registry names.
        match FILE_DIFFERENCES.iter().find(|d| d.step == step.name) {
            None => assert_eq!(main, theirs, "{}", step.main_rs()),
            Some(difference) => {
                let BookFileHas::MainOf(later) = difference.book_has else {
                    panic!("{}: chapter 21 has only later mains", step.name);
                };
                let later_main = kit::read_repo(&find(later).unwrap().main_rs());
                assert_ne!(main, theirs, "{}: no longer differs", step.name);
                assert_eq!(
                    main.replace(kit::main_fn(&main), kit::main_fn(&later_main)),
                    theirs,
                    "{}: the book's file is the stage with {later}'s main",
                    step.main_rs()
                );
                explained += 1;
            }
        }
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} files compared");
    // Listings 21-23 and 21-24: the book's files have 21-25's main.
    assert_eq!(explained, 2);
}

/// The listing folders the chapter's online text includes code or output
/// from, in tests/book/current-edition/src/ch21-*.md.
fn folders_the_text_shows(shared: &Path) -> BTreeSet<String> {
    let include =
        regex::Regex::new(r"\{\{#(?:rustdoc_)?include \.\./listings/ch21-web-server/([^/]+)/")
            .unwrap();
    let mut folders = BTreeSet::new();
    for entry in std::fs::read_dir(shared.join("current-edition/src"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for c in include.captures_iter(&text) {
            folders.insert(c[1].to_string());
        }
    }
    folders
}

#[test]
fn the_chapter_21_steps_are_the_folders_its_text_shows_and_no_others() {
    let shared = kit::book_data::book_dir();
    let shown = folders_the_text_shows(&shared);
    let ours: BTreeSet<String> = edition_2024()
        .filter(|s| !matches!(s.kind(), Kind::Page(_)))
        .map(|s| book_folder(s).to_string())
        .collect();
    assert_eq!(ours, shown);
    // The book's repository keeps two steps of an older road that its text
    // no longer shows: not steps here (README.md says so).
    let all: BTreeSet<String> = std::fs::read_dir(shared.join(LISTINGS))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let left_behind: Vec<&String> = all.difference(&shown).collect();
    assert_eq!(
        left_behind,
        [
            "no-listing-05-fix-worker-new",
            "no-listing-06-fix-threadpool-drop"
        ]
    );
}

/// What a book's `output.txt` says rustc reported: each `error[CODE]` or
/// `warning` headline's code (or lint) with the `-->` positions in
/// `src/main.rs` or `src/lib.rs` under it, and whether the build finished.
struct BookOutput {
    positions: Vec<(String, String, u32, u32)>,
    codes: BTreeSet<String>,
    finished: bool,
}

fn read_output(text: &str) -> BookOutput {
    let mut out = BookOutput {
        positions: Vec::new(),
        codes: BTreeSet::new(),
        finished: false,
    };
    let mut code = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("error[") {
            let c = rest.split(']').next().unwrap().to_string();
            out.codes.insert(c.clone());
            code = Some(c);
        } else if line.starts_with("warning: ") && !line.contains(" generated ") {
            code = None;
            out.codes.insert(line.to_string());
        } else if let Some(at) = line.trim_start().strip_prefix("--> src/") {
            let mut parts = at.split(':');
            let (file, l, c) = (parts.next(), parts.next(), parts.next());
            if let (Some(code), Some(file), Some(l), Some(c)) = (&code, file, l, c) {
                out.positions.push((
                    code.clone(),
                    file.to_string(),
                    l.parse().unwrap(),
                    c.parse().unwrap(),
                ));
            }
        } else if line.trim_start().starts_with("Finished ") {
            out.finished = true;
        }
    }
    out
}

#[test]
fn every_output_txt_of_the_book_is_what_rustc_says_of_our_stage() {
    let shared = kit::book_data::book_dir();
    let mut outputs = 0;
    let mut positions = 0;
    for step in edition_2024() {
        let path = shared.join(format!("{LISTINGS}/{}/output.txt", book_folder(step)));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        outputs += 1;
        let book = read_output(&text);
        let report = kit::stages();
        if book.finished {
            // The book builds with `-A unused_variables -A dead_code`: no
            // other warning, and no error, may appear.
            assert!(
                !step.fails_to_compile(),
                "{}: the book's build finished",
                step.name
            );
            let others: Vec<_> = report
                .for_target(step.name)
                .filter(|d| {
                    d.is_error
                        || !matches!(d.code.as_deref(), Some("unused_variables" | "dead_code"))
                })
                .map(|d| d.rendered.as_str())
                .collect();
            assert!(others.is_empty(), "{}: {others:?}", step.name);
        } else {
            let codes: BTreeSet<String> = step
                .expected_errors()
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert_eq!(book.codes, codes, "{}: the codes of output.txt", step.name);
            assert_eq!(report.error_codes(step.name), codes, "{}", step.name);
        }
        for (code, file, line, column) in &book.positions {
            let found = report.for_target(step.name).any(|d| {
                d.code.as_deref() == Some(code.as_str())
                    && d.spans
                        .iter()
                        .any(|s| &s.file == file && s.line == *line && s.column == *column)
            });
            assert!(
                found,
                "{}: output.txt prints {code} at src/{file}:{line}:{column}, rustc does not",
                step.name
            );
            // The registry has the same positions, for the tour and the book.
            assert!(
                step.book_messages.iter().any(|m| m.code == code
                    && m.file == file
                    && m.line == *line
                    && m.column == *column),
                "{}: the registry lacks {code} at {file}:{line}:{column}",
                step.name
            );
            positions += 1;
        }
        assert_eq!(
            book.positions.len(),
            step.book_messages.len(),
            "{}: the registry's positions are output.txt's",
            step.name
        );
    }
    // 21-12, nl-01, nl-02, nl-03, 21-17, 21-22, nl-04; E0433, 2 x E0599,
    // E0382 and its note, E0507.
    assert_eq!((outputs, positions), (7, 6));
}

#[test]
fn the_full_code_printed_at_the_end_keeps_the_option_worker_that_listing_21_25_left_behind() {
    // The chapter's road: 21-22's E0507 is fixed by joining through
    // `drain(..)`, so `Worker::thread` never becomes an `Option`. The full
    // code printed at the end of the chapter is still the older road's.
    let listing_25 = kit::read_repo("stages/listing-21-25/lib.rs");
    let final_code = kit::read_repo("stages/no-listing-07-final-code-2024/lib.rs");
    assert!(listing_25.contains("for worker in self.workers.drain(..) {"));
    assert!(!listing_25.contains("thread: Option<thread::JoinHandle<()>>"));
    assert!(final_code.contains("thread: Option<thread::JoinHandle<()>>"));
    assert!(final_code.contains("if let Some(thread) = worker.thread.take() {"));
    assert!(!final_code.contains("drain(..)"));
    // The two main.rs are the same: only the pool differs.
    assert_eq!(
        kit::read_repo("stages/listing-21-25/main.rs"),
        kit::read_repo("stages/no-listing-07-final-code-2024/main.rs")
    );
}

#[test]
fn figure_21_1_shows_port_8080_while_every_listing_binds_7878() {
    let intro = kit::read_book("current-edition/src/ch21-00-final-project-a-web-server.md");
    let alt = intro
        .lines()
        .find(|l| l.contains("trpl21-01.png"))
        .expect("Figure 21-1");
    assert!(alt.contains("visiting the address 127.0.0.1:8080"), "{alt}");
    for step in edition_2024().filter(|s| s.is_server()) {
        let main = kit::read_repo(&step.main_rs());
        assert!(
            main.contains("TcpListener::bind(\"127.0.0.1:7878\")"),
            "{} binds 7878",
            step.name
        );
        assert!(!main.contains("8080"), "{}", step.name);
    }
}

#[test]
fn no_listing_04_compiles_without_any_warnings_as_the_text_says_2024() {
    // The book takes its outputs with `-A unused_variables -A dead_code`;
    // here the claim holds without them.
    let step = "no-listing-04-update-drop-definition-2024";
    let said: Vec<&str> = kit::stages()
        .for_target(step)
        .map(|d| d.rendered.as_str())
        .collect();
    assert!(said.is_empty(), "{said:?}");
    assert!(kit::stages().executable(step).is_some());
}

/// The headline lines of a compiler output: `error[E0599]: ...` and
/// `warning: ...`, without cargo's summaries.
fn headlines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning: "))
        .filter(|l| !l.contains(" generated ") && !l.starts_with("warning: unused manifest key"))
        .collect()
}

#[test]
fn our_compiler_headlines_against_the_books_taken_with_a_newer_rustc() {
    // The book's output.txt files were taken with rustc 1.97 and with
    // `-A unused_variables -A dead_code`; ours with the pinned rustc and no
    // such flags. Pin how many of the book's headlines we reproduce word for
    // word, and what differs, as the reader sees it on the editions page.
    let shared = kit::book_data::book_dir();
    let mut report = String::new();
    let (mut same, mut total) = (0, 0);
    for step in edition_2024() {
        let path = shared.join(format!("{LISTINGS}/{}/output.txt", book_folder(step)));
        let Ok(book) = std::fs::read_to_string(&path) else {
            continue;
        };
        let kind = if step.fails_to_compile() {
            "errors"
        } else {
            "warnings"
        };
        let ours = std::fs::read_to_string(
            companion::compile::root().join(format!("snapshots/{}.{kind}.snap", step.name)),
        )
        .unwrap_or_default();
        let ours = kit::split_snapshot(&ours).1;
        let (book, ours) = (headlines(&book), headlines(ours));
        report.push_str(&format!("{}:\n", step.name));
        if book.is_empty() && ours.is_empty() {
            report.push_str("  no message, as in the book\n");
        }
        for line in &book {
            total += 1;
            if ours.contains(line) {
                same += 1;
                report.push_str(&format!("  same:  {line}\n"));
            } else {
                report.push_str(&format!("  book:  {line}\n"));
            }
        }
        for line in ours.iter().filter(|l| !book.contains(l)) {
            // unused_variables and dead_code, the two lints the book allows.
            let allowed_by_the_book =
                line.starts_with("warning: unused variable") || line.contains(" is never ");
            let lint = if allowed_by_the_book {
                " (a warning the book's build allows: -A unused_variables -A dead_code)"
            } else {
                ""
            };
            report.push_str(&format!("  ours:  {line}{lint}\n"));
        }
    }
    report.push_str(&format!(
        "\n{same} of the book's {total} headlines are ours word for word\n"
    ));
    kit::assert_pinned(
        "chapter-21.headlines",
        "the book's output.txt headlines (rustc 1.97) against ours",
        &report,
    );
    assert_eq!((same, total), (4, 5));
}

/// The book's `output.txt` files are taken with `-A unused_variables -A
/// dead_code` and have neither lint, even where a plain build warns with
/// them (no-listing-03-define-execute-2024 has no warning at all). The
/// output under listing 21-20, which the book regenerates by hand (it needs
/// requests) and has no `output.txt`, shows `dead_code` warnings.
#[test]
fn the_books_output_files_leave_out_two_lints_that_its_listing_21_20_output_shows() {
    let shared = kit::book_data::book_dir();
    kit::facts::book_outputs_leave_out_unused_and_dead_code(edition_2024().map(|step| {
        (
            step,
            shared.join(format!("{LISTINGS}/{}/output.txt", book_folder(step))),
        )
    }));
    let text = kit::read_book(Track::Edition2024.seed());
    let by_hand = text
        .split("<!-- manual-regeneration\ncd listings/ch21-web-server/listing-21-20\n")
        .nth(1)
        .expect("listing 21-20's output is regenerated by hand");
    let output = by_hand.split("\n```\n").nth(1).expect("the output's block");
    assert!(
        output.contains("warning: field `workers` is never read"),
        "{output}"
    );
    assert!(!shared
        .join(format!("{LISTINGS}/listing-21-20/output.txt"))
        .exists());
}
