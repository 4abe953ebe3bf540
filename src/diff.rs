//! What changed from one step to the next, as a unified diff of the stage
//! files. The book shows these diffs and the tests pin them, so that an
//! unintended change between two steps shows up in review.

use similar::TextDiff;

use crate::compile::root;
use crate::steps::{Files, Step, STEPS};

/// The code step `step` is compared with: its registered counterpart (the
/// first step of another printing), or else the code step before it in the
/// chapter (the HTML listings are not code and are skipped).
pub fn previous_code_step(step: &Step) -> Option<&'static Step> {
    if let Some(name) = step.diff_from {
        return crate::steps::find(name);
    }
    let at = STEPS.iter().position(|s| s.name == step.name)?;
    STEPS[..at]
        .iter()
        .rev()
        .find(|s| !matches!(s.files, Files::Html(_)))
}

/// The source files of a code step, as (file name, path from the root).
fn sources(step: &Step) -> Vec<(&'static str, String)> {
    let mut files = vec![("main.rs", step.main_rs())];
    if let Some(lib) = step.lib_rs() {
        files.push(("lib.rs", lib));
    }
    files
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_default()
}

/// The unified diff from the previous code step to `step`, file by file
/// (`main.rs`, then `lib.rs`); a file that is new shows against
/// `/dev/null`. `None` for the HTML listings, which are not code.
pub fn from_previous(step: &Step) -> Option<String> {
    if matches!(step.files, Files::Html(_)) {
        return None;
    }
    Some(between(previous_code_step(step), step))
}

/// The chapter-20 step that today's edition's `step` is the counterpart of
/// (listing 21-N of listing 20-N, an unnumbered step of the step of the
/// same name and purpose), if there is one. The drain-based
/// `no-listing-04-update-drop-definition` has none: chapter 20 took
/// another road there.
pub fn chapter_20_counterpart(step: &Step) -> Option<&'static Step> {
    if step.printing != crate::steps::Printing::Edition2024 || matches!(step.files, Files::Html(_))
    {
        return None;
    }
    let name = match step.name.strip_suffix("-2024") {
        Some(unnumbered) => unnumbered.to_string(),
        None => step.name.replace("listing-21-", "listing-20-"),
    };
    crate::steps::find(&name)
}

/// The unified diff from `before` (or nothing) to `step`, file by file.
pub fn between(before: Option<&Step>, step: &Step) -> String {
    let mut out = String::new();
    for (name, path) in sources(step) {
        let old_path = before.map(|b| format!("{}/{name}", b.dir()));
        let old = old_path.as_deref().map(read).unwrap_or_default();
        let old_label = match &old_path {
            Some(p) if !old.is_empty() => p.clone(),
            _ => "/dev/null".to_string(),
        };
        let new = read(&path);
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::find;

    #[test]
    fn chapter_21_steps_pair_with_chapter_20_steps_of_the_same_name() {
        let pair = |name: &str| chapter_20_counterpart(find(name).unwrap()).map(|s| s.name);
        assert_eq!(pair("listing-21-22"), Some("listing-20-22"));
        assert_eq!(
            pair("no-listing-03-define-execute-2024"),
            Some("no-listing-03-define-execute")
        );
        assert_eq!(
            pair("no-listing-07-final-code-2024"),
            Some("no-listing-07-final-code")
        );
        assert_eq!(pair("no-listing-04-update-drop-definition-2024"), None);
        assert_eq!(pair("listing-21-04"), None);
        assert_eq!(pair("listing-20-22"), None);
    }

    #[test]
    fn html_listings_are_skipped_as_previous_steps() {
        let step = find("listing-20-05").unwrap();
        assert_eq!(previous_code_step(step).unwrap().name, "listing-20-03");
        assert_eq!(previous_code_step(find("listing-20-01").unwrap()), None);
    }

    #[test]
    fn another_printing_starts_from_its_counterpart_in_the_main_line() {
        let first_2018 = find("listing-20-22-2018").unwrap();
        assert_eq!(
            previous_code_step(first_2018).unwrap().name,
            "listing-20-22"
        );
        let online = find("no-listing-07-final-code").unwrap();
        assert_eq!(previous_code_step(online).unwrap().name, "listing-20-25");
    }

    #[test]
    fn a_new_lib_rs_is_diffed_against_nothing() {
        let diff = from_previous(find("no-listing-01-define-threadpool-struct").unwrap()).unwrap();
        assert!(diff
            .contains("--- /dev/null\n+++ stages/no-listing-01-define-threadpool-struct/lib.rs"));
        assert!(diff.contains("+pub struct ThreadPool;"));
    }
}
