//! Listings 20-4 and 20-8 are HTML files, not programs. Their bins (ours, not
//! the book's) explain that instead of leaving a reader with a silent
//! `cargo run`.

use std::path::{Path, PathBuf};

/// One of the chapter's HTML listings.
pub struct Listing {
    /// "Listing 20-4".
    pub label: &'static str,
    /// The file's name at the repository root.
    pub file: &'static str,
    /// The file as it is in the repository.
    pub contents: &'static str,
    /// The first step that reads the file.
    pub first_reader: &'static str,
}

/// The repository root, where `hello.html` and `404.html` live: the folder
/// above the stages' package that pins the toolchain.
fn root() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package
        .ancestors()
        .find(|dir| dir.join("rust-toolchain.toml").is_file())
        .unwrap_or(package)
        .to_path_buf()
}

/// Say which file the listing is, where it lives and which steps read it;
/// warn when started away from it; then print the file.
pub fn main(listing: Listing) {
    let Listing {
        label,
        file,
        contents,
        first_reader,
    } = listing;
    let root = root();
    println!(
        "{label} is not a program: it is the HTML file `{file}`, at {}.",
        root.join(file).display()
    );
    println!("The servers from {first_reader} on read it from the directory you start them in.");
    let cwd = std::env::current_dir().unwrap_or_default();
    if !cwd.join(file).is_file() {
        println!(
            "There is no {file} in {}: start the servers from {} so that they find it.",
            cwd.display(),
            root.display()
        );
    }
    print!("\n{contents}");
}
