//! The change from each step to the next, pinned: the chapter once changed
//! code silently between two listings, and a pinned diff makes any such
//! change, ours or the book's, show up in review.

use crate::common;

use companion::diff;
use companion::steps::STEPS;

#[test]
fn every_step_changes_only_what_its_pinned_diff_shows() {
    let mut pinned = 0;
    for step in STEPS {
        let Some(text) = diff::from_previous(step) else {
            continue;
        };
        let since = diff::previous_code_step(step)
            .map(|p| p.name)
            .unwrap_or("nothing");
        common::assert_pinned(
            &format!("{}.diff", step.name),
            &format!("what changed from {since} to {}", step.name),
            &text,
        );
        pinned += 1;
    }
    assert_eq!(pinned, STEPS.len() - 2, "every code step has a diff");
}
