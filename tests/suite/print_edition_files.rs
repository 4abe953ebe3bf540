//! The print edition's own listing files (tests/book/print-edition-listings/:
//! the book's repository at the commit whose text is the print edition):
//! every main-line stage is the book's file for its step, cleaned as the
//! book cleans it before compiling it, to the character, except where
//! `FILE_DIFFERENCES` (src/registry/differences.rs) says why not; there the difference is
//! exactly the one it names.

use kit::{function, main_fn};

use companion::registry::{BookFileHas, Files, Kind, Step, Track, FILE_DIFFERENCES, STEPS};

const LISTINGS: &str = "print-edition-listings/ch20-web-server";

/// A stage's file as the book's would be: without the scaffold at the end
/// of a `main.rs` whose step has a `lib.rs`.
fn stage_file(step: &Step, file: &str) -> String {
    let text = kit::read_repo(&format!("{}/{file}", step.dir()));
    if file == "main.rs" && step.files == Files::MainAndModule {
        text.strip_suffix(kit::SCAFFOLD)
            .unwrap_or_else(|| panic!("{} ends with the scaffold", step.main_rs()))
            .to_string()
    } else {
        text
    }
}

#[test]
fn main_fn_is_the_function_and_nothing_around_it() {
    let file = "use std::net::TcpListener;\n\nfn main() {\n    let x = 1;\n    {\n    }\n}\n\nfn other() {}\n";
    assert_eq!(
        main_fn(file),
        "fn main() {\n    let x = 1;\n    {\n    }\n}\n"
    );
}

#[test]
fn every_main_line_stage_is_the_print_editions_own_file_or_says_why_not() {
    let shared = kit::book_data::book_dir();
    let mut identical = 0;
    let mut explained = 0;
    for step in STEPS.iter().filter(|s| s.track == Track::Print2021) {
        let folder = shared.join(format!("{LISTINGS}/{}", step.name));
        if let Kind::Page(file) = step.kind() {
            // The HTML listings are the files at our root; every folder of
            // the book that has one has the same.
            let ours = kit::read_repo(file);
            for entry in std::fs::read_dir(shared.join(LISTINGS)).unwrap().flatten() {
                if let Ok(theirs) = std::fs::read_to_string(entry.path().join(file)) {
                    assert_eq!(theirs, ours, "{}", entry.path().display());
                }
            }
            assert!(!folder.exists(), "{}", step.name);
            continue;
        }
        let files: &[&str] = match step.files {
            Files::MainAndModule => &["main.rs", "lib.rs"],
            _ => &["main.rs"],
        };
        for &file in files {
            let theirs = std::fs::read_to_string(folder.join("src").join(file))
                .unwrap_or_else(|e| panic!("{}/src/{file}: {e}", folder.display()));
            let theirs = kit::clean(&theirs, file == "lib.rs");
            let ours = stage_file(step, file);
            let difference = FILE_DIFFERENCES
                .iter()
                .find(|d| d.step == step.name && file == "main.rs");
            match difference.map(|d| d.book_has) {
                None => {
                    assert_eq!(ours, theirs, "{}/{file}", step.dir());
                    identical += 1;
                }
                Some(BookFileHas::MainOf(later)) => {
                    let later = companion::registry::find(later).unwrap();
                    assert!(
                        later.index() > step.index(),
                        "{}: the book's file runs ahead of its text, to {}",
                        step.name,
                        later.name
                    );
                    let later_main = stage_file(later, "main.rs");
                    assert_ne!(ours, theirs, "{}: no longer differs", step.name);
                    assert_eq!(
                        ours.replace(main_fn(&ours), main_fn(&later_main)),
                        theirs,
                        "{}/{file}: the book's file is the stage with {}'s main",
                        step.dir(),
                        later.name,
                    );
                    explained += 1;
                }
                Some(BookFileHas::FileOf(other)) => {
                    let other = stage_file(companion::registry::find(other).unwrap(), "main.rs");
                    assert_ne!(ours, theirs, "{}: no longer differs", step.name);
                    assert_eq!(other, theirs, "{}/{file}", step.dir());
                    assert_eq!(main_fn(&ours), main_fn(&theirs), "{}: main", step.name);
                    explained += 1;
                }
            }
        }
    }
    // 25 main.rs and 19 lib.rs files are the book's; four main.rs are not.
    assert_eq!((identical, explained), (44, 4));
}

/// The book makes the outputs it prints from each listing's `output.txt`,
/// taken with `-A unused_variables -A dead_code`: none has either lint,
/// even for steps where a plain build warns with them (no-listing-03, whose
/// `size` and `f` are unused, has no warning at all). The output printed
/// under listing 20-20, which has no `output.txt`, shows `dead_code`.
#[test]
fn the_books_output_files_leave_out_two_lints_that_its_listing_20_20_output_shows() {
    let shared = kit::book_data::book_dir();
    kit::facts::book_outputs_leave_out_unused_and_dead_code(
        STEPS
            .iter()
            .filter(|s| s.track == Track::Print2021)
            .map(|step| {
                (
                    step,
                    shared.join(format!("{LISTINGS}/{}/output.txt", step.name)),
                )
            }),
    );
    let text = kit::read_book(Track::Print2021.seed());
    assert!(text.contains("warning: field is never read: `workers`"));
}

/// Where the book's file lags behind its text: the `handle_connection` of
/// its file for listing 20-25 is the 2018 printing's (a 1024-byte buffer,
/// `starts_with`), with `write_all` for that printing's `write`, not the
/// `BufReader` one the print edition has its reader write from listing
/// 20-2 on.
#[test]
fn the_books_file_for_listing_20_25_keeps_the_2018_printings_handle_connection() {
    let book = companion::registry::find("listing-20-25")
        .and_then(|s| FILE_DIFFERENCES.iter().find(|d| d.step == s.name))
        .map(|d| d.book_has);
    let Some(BookFileHas::FileOf(other)) = book else {
        panic!("listing 20-25's stage is no longer another step's file: {book:?}");
    };
    let theirs = stage_file(companion::registry::find(other).unwrap(), "main.rs");
    let older = stage_file(
        companion::registry::find("listing-20-25-2018").unwrap(),
        "main.rs",
    );
    let older = function(&older, "handle_connection");
    assert!(older.contains("[0; 1024]") && older.contains("starts_with"));
    assert_eq!(
        function(&theirs, "handle_connection"),
        older.replace("stream.write(", "stream.write_all("),
        "the book's file for listing 20-25 has the 2018 printing's handle_connection"
    );
    for step in ["listing-20-02", "listing-20-24", "listing-20-25"] {
        let text = stage_file(companion::registry::find(step).unwrap(), "main.rs");
        assert!(
            function(&text, "handle_connection").contains("BufReader::new"),
            "{step}: the print edition's reader reads through a BufReader"
        );
    }
}
