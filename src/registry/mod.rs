//! The step registry: the one list of the chapter's steps ([`STEPS`], in
//! `steps.rs`), what each one is, and the one way to move through it.
//!
//! Everything else (the harness, the check, the tour, the tests, the book)
//! reads this list; nothing else names steps, and nothing else searches a
//! stage's source for what it does: what a server does (its `/sleep`
//! route, the pages it reads, whether it stops by itself) is data here,
//! and `tests/suite/registry.rs` checks it against the stage's code, as
//! rustlings' `dev check` checks its `info.toml`.
//!
//! A step is written with `const fn` builders (`step.rs`), whose defaults
//! leave each step a few lines: the registry stays `&'static` data that
//! the compiler checks, with no file to parse at run time and no parse
//! error to handle.

mod differences;
mod lookup;
mod navigate;
mod step;
mod steps;
mod track;

pub use differences::{
    differences_of, BookFileHas, FileDifference, PrintDifference, FILE_DIFFERENCES,
    PRINT_DIFFERENCES,
};
pub use lookup::{find, listing_on, page_listing, resolve, UnknownStep};
pub use navigate::{up_next, UpNext};
pub use step::{
    at, label_at, listing, unnumbered, BookMessage, Crate, Files, Kind, Outcome, Serves, Step,
    SCAFFOLD,
};
pub use steps::STEPS;
pub use track::{heading, Section, Track, HEADINGS_20, HEADINGS_21};
