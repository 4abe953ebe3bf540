//! The change from each step to the next, pinned: the chapter once changed
//! code silently between two listings, and a pinned diff makes any such
//! change, ours or the book's, show up in review.

use companion::diff;
use companion::registry::STEPS;

#[test]
fn every_step_changes_only_what_its_pinned_diff_shows() {
    let mut pinned = 0;
    for step in STEPS {
        let Some(text) = diff::from_previous(step).unwrap() else {
            continue;
        };
        let since = step.diff_base().map(|p| p.name).unwrap_or("nothing");
        kit::assert_pinned(
            &format!("{}.diff", step.name),
            &format!("what changed from {since} to {}", step.name),
            &text,
        );
        pinned += 1;
    }
    let html = STEPS
        .iter()
        .filter(|s| matches!(s.kind(), companion::registry::Kind::Page(_)))
        .count();
    assert_eq!(html, 4, "listings 20-4, 20-8, 21-4 and 21-8 are HTML files");
    assert_eq!(pinned, STEPS.len() - html, "every code step has a diff");
}

#[test]
fn every_step_of_both_editions_pins_what_changed_between_them() {
    // Today's edition's step against its chapter-20 counterpart: the
    // edition, the book's 80 columns, `BufReader::new(&stream)`, and where
    // the shutdown section took another road.
    let mut pinned = 0;
    for step in STEPS {
        let Some(before) = step.counterpart() else {
            continue;
        };
        kit::assert_pinned(
            &format!("{}.editions", step.name),
            &format!(
                "what changed from {} (chapter 20) to {} (chapter 21)",
                before.name, step.name
            ),
            &diff::between(Some(before), step).unwrap(),
        );
        pinned += 1;
    }
    // 25 listings less the two HTML files, three unnumbered steps and the
    // final code.
    assert_eq!(pinned, 23 + 3 + 1);
}
