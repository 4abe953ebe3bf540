//! Where the reader's own edition of the chapter deals with what a
//! verdict is about.

use crate::registry::Step;

use crate::check::verdict::Place;

/// Where the chapter deals with listing `number`: on the reader's own
/// track.
pub(super) fn place(step: &Step, number: u32) -> Option<Place> {
    Place::listing(step.track, number)
}

/// The listing that made the chapter's reply to `path` what it is at
/// `step`: 21-3 answered every request, 21-5 sent the page, 21-6 left
/// other paths unanswered, 21-7 gave them 404, 21-10 added `/sleep`.
pub(super) fn reply_place(step: &Step, path: &str) -> Option<Place> {
    let at = step.listing_number()?;
    let changes: &[u32] = match path {
        "/" => &[3, 5],
        "/sleep" => &[10],
        _ => &[3, 5, 6, 7],
    };
    let number = changes.iter().rev().find(|&&n| n <= at).copied()?;
    place(step, number)
}

#[cfg(test)]
mod tests {

    use crate::check::judge::compare_waiting;
    use crate::check::judge::testing::*;
    use crate::registry::find;

    #[test]
    fn the_places_are_the_readers_own_chapter() {
        let hint = |name: &str| {
            compare_waiting(
                find(name).unwrap(),
                &waited(0, None, &[]),
                &waited(5, Some(5), &[]),
            )
            .see
            .unwrap()
            .listing
            .name
        };
        assert_eq!(hint("listing-21-20"), "listing-21-21");
        assert_eq!(hint("listing-20-20"), "listing-20-21");
        assert_eq!(hint("listing-21-10"), "listing-21-11");
        assert_eq!(hint("beyond-06-pool-from-crates-io"), "listing-21-11");
    }
}
