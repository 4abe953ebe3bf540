//! Listings 20-4 and 20-8 are HTML files, not programs. Their bins explain
//! that instead of leaving a reader with a silent `cargo run`.

use std::path::Path;

use crate::steps::{self, Files};

/// The repository root, where `hello.html` and `404.html` live.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Text that says which file the HTML listing `step` is, where it lives and
/// which steps read it, followed by the file itself.
pub fn explain(step: &str, cwd: &Path) -> String {
    let step = steps::find(step).expect("the HTML listings are registered steps");
    let Files::Html(file) = step.files else {
        panic!("{} is not an HTML listing", step.name);
    };
    let (contents, first_reader) = match file {
        "hello.html" => (include_str!("../hello.html"), "listing-20-05"),
        "404.html" => (include_str!("../404.html"), "listing-20-07"),
        other => panic!("no HTML listing called {other}"),
    };
    let path = Path::new(ROOT).join(file);
    let mut text = format!(
        "{} is not a program: it is the HTML file `{file}`, at {}.\n\
         The servers from {first_reader} on read it from the directory you start them in.\n",
        step.label(),
        path.display(),
    );
    if !cwd.join(file).is_file() {
        text.push_str(&format!(
            "There is no {file} in {}: start the servers from {ROOT} so that they find it.\n",
            cwd.display()
        ));
    }
    text.push_str(&format!("\n{contents}"));
    text
}

/// The whole `main` of an HTML listing's bin.
pub fn main(step: &str) {
    let cwd = std::env::current_dir().unwrap_or_default();
    print!("{}", explain(step, &cwd));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_and_prints_it() {
        let text = explain("listing-20-04", Path::new(ROOT));
        assert!(text.starts_with("Listing 20-4 is not a program: it is the HTML file `hello.html`"));
        assert!(text.ends_with(include_str!("../hello.html")));
        assert!(!text.contains("There is no"));
    }

    #[test]
    fn warns_when_started_away_from_the_files() {
        let text = explain("listing-20-08", Path::new("/"));
        assert!(text.contains("There is no 404.html in /: start the servers from"));
        assert!(text.ends_with(include_str!("../404.html")));
    }
}
