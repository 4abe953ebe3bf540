//! What changed from one step to the next, as a unified diff of the stage
//! files. The book shows these diffs and the tests pin them, so that an
//! unintended change between two steps shows up in review.

use similar::TextDiff;

use crate::compile::root;
use crate::registry::{Kind, Step};
use crate::{Error, Result};

/// The source files of a code step, as (file name, path from the root).
fn sources(step: &Step) -> Vec<(&'static str, String)> {
    let mut files = vec![("main.rs", step.main_rs())];
    if let Some(lib) = step.lib_rs() {
        files.push(("lib.rs", lib));
    }
    files
}

fn read(path: &str) -> Result<String> {
    std::fs::read_to_string(root().join(path)).map_err(Error::read(path))
}

/// The unified diff from the step's [`Step::diff_base`] to the step, file
/// by file (`main.rs`, then `lib.rs`); a file that is new shows against
/// `/dev/null`. `None` for a listing that is a page, not code.
pub fn from_previous(step: &Step) -> Result<Option<String>> {
    if matches!(step.kind(), Kind::Page(_)) {
        return Ok(None);
    }
    between(step.diff_base(), step).map(Some)
}

/// The unified diff from `before` (or nothing) to `step`, file by file.
pub fn between(before: Option<&Step>, step: &Step) -> Result<String> {
    let mut out = String::new();
    for (name, path) in sources(step) {
        let old_path = before.map(|b| format!("{}/{name}", b.dir()));
        // A file the step before has not got (the first lib.rs) is new.
        let old = match &old_path {
            Some(p) if root().join(p).is_file() => read(p)?,
            _ => String::new(),
        };
        let old_label = match &old_path {
            Some(p) if !old.is_empty() => p.clone(),
            _ => "/dev/null".to_string(),
        };
        let new = read(&path)?;
        let diff = TextDiff::from_lines(&old, &new);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&old_label, &path)
            .to_string();
        out.push_str(&text);
    }
    if out.is_empty() {
        out.push_str("(no change in the code)\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;

    #[test]
    fn a_new_lib_rs_is_diffed_against_nothing() {
        let step = find("no-listing-01-define-threadpool-struct").unwrap();
        let diff = from_previous(step).unwrap().unwrap();
        assert!(diff
            .contains("--- /dev/null\n+++ stages/no-listing-01-define-threadpool-struct/lib.rs"));
        assert!(diff.contains("+pub struct ThreadPool;"));
    }

    #[test]
    fn a_page_has_no_diff() {
        assert_eq!(from_previous(find("listing-20-04").unwrap()).unwrap(), None);
    }
}
