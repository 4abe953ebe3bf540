//! Where the book's text and its files disagree, as data: each difference
//! has its reason in our words, which `cargo run -- show <step>` gives the
//! reader; never silently fixed.

/// A place where the print edition's text of a listing differs from the
/// listing file the book compiled. The stage follows the file; the
/// difference is shown to the reader, never silently fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintDifference {
    /// The step whose printed code differs.
    pub step: &'static str,
    /// The text as printed (seed 002).
    pub printed: &'static str,
    /// The same text in the listing file (and our stage).
    pub file: &'static str,
    /// What the difference does, in our words.
    pub note: &'static str,
}

/// Every known difference between the printed listings and their files.
pub static PRINT_DIFFERENCES: &[PrintDifference] = &[
    PrintDifference {
        step: "listing-20-07",
        printed: "\"{status_line}\\r\\n\\\n         Content-Length: {length}\\r\\n\\r\\n\n         {contents}\"",
        file: "\"{status_line}\\r\\nContent-Length: {length}\\r\\n\\r\\n{contents}\"",
        note: "The printed 404 branch lost the `\\` that continues its format! string \
               on the next line, so typed from the page the body starts with a newline \
               and the next line's indentation, which Content-Length does not count.",
    },
    PrintDifference {
        step: "listing-20-24",
        printed: "\"Worker {id} shutting down.\"",
        file: "\"Worker {id} disconnected; shutting down.\"",
        note: "The printed listing says `Worker {id} shutting down.`; the listing file, \
               and the sample output under listing 20-25, say \
               `Worker {id} disconnected; shutting down.`",
    },
];

/// Where a stage is not the book's own listing file for its step (the
/// book's repository at the commit of that text, the print edition's or
/// today's, cleaned as the book cleans a file before compiling it): the
/// book's file carries code its text introduces only later. The stage is
/// what a reader following the text has at that step; the difference is
/// shown to the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileDifference {
    /// The step whose stage differs from the book's file.
    pub step: &'static str,
    /// What the book's `src/main.rs` has instead of the stage's.
    pub book_has: BookFileHas,
    /// What the difference is, in our words.
    pub note: &'static str,
}

/// What the book's file of a step has, where it is not the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookFileHas {
    /// The stage, but with the `main` function of this later step.
    MainOf(&'static str),
    /// This other step's file, whole; its `main` is the stage's.
    FileOf(&'static str),
}

/// Where chapter 21's book files carry listing 21-25's `main` early.
macro_rules! ahead_of_the_text_21 {
    () => {
        "The book's src/main.rs for this step already has listing 21-25's `main`, which \
         takes two connections (`.take(2)`) and then says `Shutting down.`. The text shows \
         only src/lib.rs here and brings that `main` in at listing 21-25, so the stage keeps \
         the `main` a reader has (listing 21-22's), which serves until it is stopped."
    };
}

/// Every stage that is not the book's own file for its step.
pub static FILE_DIFFERENCES: &[FileDifference] = &[
    FileDifference {
        step: "listing-20-23",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "listing-20-24",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "no-listing-06-fix-threadpool-drop",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "listing-21-23",
        book_has: BookFileHas::MainOf("listing-21-25"),
        note: concat!(
            ahead_of_the_text_21!(),
            " The book's file would also shut down badly: its workers still unwrap the \
             `recv` that fails once the sender is dropped (listing 21-24 fixes that), so \
             after two connections they panic, and so does `main`, on the first join."
        ),
    },
    FileDifference {
        step: "listing-21-24",
        book_has: BookFileHas::MainOf("listing-21-25"),
        note: ahead_of_the_text_21!(),
    },
    FileDifference {
        step: "listing-20-25",
        book_has: BookFileHas::FileOf("no-listing-07-final-code"),
        note: "The book's src/main.rs for listing 20-25 puts the new `main` above \
               an older handle_connection, the 2018 printing's (a 1024-byte buffer \
               compared with `starts_with`), which the full code at the chapter's end \
               still shows. The text prints only `main`, so the stage keeps the \
               handle_connection a reader has by then (listing 20-10's, which reads \
               the request line through a `BufReader`). The book's own file is the \
               step no-listing-07-final-code, to the character.",
    },
];

/// Why the stage `step` is not what the book prints or what its file has,
/// in our words: one note per difference (none for most steps).
pub fn differences_of(step: &str) -> impl Iterator<Item = &'static str> + '_ {
    let printed = PRINT_DIFFERENCES
        .iter()
        .filter(move |d| d.step == step)
        .map(|d| d.note);
    let files = FILE_DIFFERENCES
        .iter()
        .filter(move |d| d.step == step)
        .map(|d| d.note);
    printed.chain(files)
}

const AHEAD_OF_THE_TEXT: &str = "The book's src/main.rs for this step already has \
    listing 20-25's `main`, which takes two connections (`.take(2)`) and then says \
    `Shutting down.`. The text shows only src/lib.rs here and brings that `main` in \
    at listing 20-25, so the stage keeps the `main` a reader has (listing 20-21's), \
    which serves until it is stopped.";
