//! The notes a check adds where the chapter has their cause.

use super::{place, Waited};
use crate::registry::Step;
use crate::session::NO_WAIT_UNDER;

use crate::check::verdict::{Behaviour, Verdict};

/// The notes for a reader whose server does what the step does, where the
/// chapter's readers get stuck and the check can tell: at a last listing,
/// that ctrl-C ends the process without running `Drop`; where `/sleep` is
/// probed, that a browser's two tabs of it look serial whatever the pool
/// does.
pub(crate) fn notes(step: &Step, chapters_wait: Option<&Waited>) -> Vec<Verdict> {
    let mut notes = Vec::new();
    let serves = step.server();
    // Where the chapter's `/` does not wait, a reader who tries it in a
    // browser may think theirs does.
    if chapters_wait.is_some_and(|w| w.elapsed < NO_WAIT_UNDER) {
        notes.push(Verdict::note(Behaviour::BrowserTabsLookSerial, None).see(place(step, 10)));
    }
    if serves.is_some_and(|s| s.stops_after.is_some()) {
        notes.push(Verdict::note(Behaviour::CtrlCSkipsDrop, None).see(place(step, 22)));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::judge::testing::*;
    use crate::registry::find;

    #[test]
    fn the_notes_are_where_the_chapter_has_their_cause() {
        let behaviours = |name: &str, secs| -> Vec<Behaviour> {
            let step = find(name).unwrap();
            let wait = waited(secs, None, &[]);
            let wait = step.server().unwrap().sleep_route.then_some(&wait);
            notes(step, wait).into_iter().map(|v| v.behaviour).collect()
        };
        assert_eq!(
            behaviours("listing-21-25", 0),
            [Behaviour::BrowserTabsLookSerial, Behaviour::CtrlCSkipsDrop]
        );
        assert_eq!(
            behaviours("listing-20-20", 0),
            [Behaviour::BrowserTabsLookSerial]
        );
        // Mutation: where the chapter's `/` waits (20-10), no note on tabs.
        assert_eq!(behaviours("listing-20-10", 5), []);
        assert_eq!(behaviours("listing-20-05", 0), []);
    }
}
