//! `cargo run -p kit --bin extract-book [SHARED] [OUT]`: make
//! `tests/book/` (or OUT) anew from the team's `../shared/` (or SHARED):
//! the book's listing files as they are, and of its texts only the facts
//! the tests read (`kit::book_data`).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let root = companion::compile::root();
    let shared = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(kit::book_data::book_dir);
    match kit::book_data::extract(&shared, &out) {
        Ok(()) => {
            println!("{} made from {}", out.display(), shared.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: could not make {} from {}: {e}",
                out.display(),
                shared.display()
            );
            ExitCode::FAILURE
        }
    }
}
