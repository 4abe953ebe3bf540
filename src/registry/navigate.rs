//! Moving along a track: the step before and after, where a reader goes
//! next, the step a diff is taken from and the step whose library a
//! project has.

use super::{find, Files, Kind, Step, Track, STEPS};

// Moving through the registry: every other module moves with these.
impl Step {
    /// The number of its listing (`5` for listing 21-5), or, for an
    /// unnumbered step, of the last listing before it (the exercises come
    /// after listing 21-25).
    pub fn listing_number(&self) -> Option<u32> {
        let number = |s: &Step| {
            s.listing
                .and_then(|l| l.split_once('-'))
                .and_then(|(_, n)| n.parse().ok())
        };
        STEPS[..=self.index()].iter().rev().find_map(|s| {
            (s.track == self.track || s.track.chapter() == self.track.chapter())
                .then(|| number(s))
                .flatten()
        })
    }

    /// Where the step is in [`STEPS`].
    pub fn index(&self) -> usize {
        STEPS
            .iter()
            .position(|s| s.name == self.name)
            .expect("every step is a step of STEPS")
    }

    /// The step before this one on its track.
    pub fn previous(&self) -> Option<&'static Step> {
        let at = self.index();
        STEPS[..at].last().filter(|s| s.track == self.track)
    }

    /// The step after this one on its track that a reader types: the
    /// chapter's full code, printed at its end, is no one's next step.
    pub fn next(&self) -> Option<&'static Step> {
        STEPS[self.index() + 1..]
            .iter()
            .take_while(|s| s.track == self.track)
            .find(|s| !s.full_code)
    }

    /// Where a reader who has finished the chapter at this step goes on:
    /// the first of the worked exercises, for the last step of a printing
    /// (`None` for any other step, and for the exercises' own last).
    pub fn after_the_chapter(&self) -> Option<&'static Step> {
        match self.track {
            Track::Exercises => None,
            _ if self.next().is_some() => None,
            _ => STEPS.iter().find(|s| s.track == Track::Exercises),
        }
    }

    /// The step whose code a reader has at this step: this one, or, for a
    /// listing that is a page (20-4, 20-8), the code step before it.
    pub fn code_step(&self) -> &'static Step {
        let mut step = &STEPS[self.index()];
        while let Kind::Page(_) = step.kind() {
            step = step.previous().expect("every track starts with code");
        }
        step
    }

    /// The code step this one's diff is taken from: its registered
    /// [`Step::diff_from`] (the first step of a track other than the main
    /// line), or else the code step before it on its track.
    pub fn diff_base(&self) -> Option<&'static Step> {
        match self.diff_from {
            Some(name) => find(name),
            None => self.previous().map(Step::code_step),
        }
    }

    /// The chapter-20 step that today's edition's step is the counterpart
    /// of (listing 21-N of listing 20-N, an unnumbered step of the step of
    /// the same name and purpose), if there is one. The drain-based
    /// `no-listing-04-update-drop-definition` has none: chapter 20 took
    /// another road there.
    #[cfg(feature = "_kit")]
    pub fn counterpart(&self) -> Option<&'static Step> {
        if self.track != Track::Edition2024 || matches!(self.kind(), Kind::Page(_)) {
            return None;
        }
        let name = match self.name.strip_suffix("-2024") {
            Some(unnumbered) => unnumbered.to_string(),
            None => self.name.replace("listing-21-", "listing-20-"),
        };
        find(&name)
    }

    /// The step whose `lib.rs` a reader's project at this step has: its own,
    /// or, for a step on a package library of an earlier step (the
    /// exercises after beyond-02), that step's.
    pub fn library_step(&self) -> Option<&'static Step> {
        let this = &STEPS[self.index()];
        match self.files {
            Files::MainAndModule | Files::MainAndPackageLib => Some(this),
            Files::MainOnPackageLib => {
                let mut step = this;
                while step.files != Files::MainAndPackageLib {
                    step = step.previous()?;
                }
                Some(step)
            }
            Files::Main => None,
        }
    }
}

/// What a reader at a step does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpNext {
    /// This step.
    Step(&'static Step),
    /// Nothing more in the chapter: they have finished it, and the worked
    /// exercises, which start at this step, come after it.
    Finished { exercises: &'static Step },
    /// Nothing more: that was the last of the worked exercises.
    Done,
}

/// What a reader at `step` does next: the next step on the track, past
/// the pages the reader already has (`has_page`: a reader who has
/// written `hello.html` is past listing 20-4); at the end of the chapter,
/// the exercises.
pub fn up_next(step: &Step, has_page: impl Fn(&str) -> bool) -> UpNext {
    let mut next = step.next();
    while let Some(Kind::Page(file)) = next.map(Step::kind) {
        if !has_page(file) {
            break;
        }
        next = next.and_then(Step::next);
    }
    match (next, step.code_step().after_the_chapter()) {
        (Some(next), _) => UpNext::Step(next),
        (None, Some(exercises)) => UpNext::Finished { exercises },
        (None, None) => UpNext::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;

    fn named(name: &str) -> &'static Step {
        find(name).unwrap_or_else(|| panic!("{name} is a step"))
    }

    #[test]
    fn next_and_previous_stay_on_the_track() {
        assert_eq!(named("listing-20-01").previous(), None);
        assert_eq!(named("listing-20-01").next(), Some(named("listing-20-02")));
        assert_eq!(
            named("listing-20-02").previous(),
            Some(named("listing-20-01"))
        );
        // The main line ends at 20-25; the 2018 printing follows it in the
        // list, but not on the track.
        assert_eq!(named("listing-20-25").next(), None);
        assert_eq!(named("listing-20-22-2018").previous(), None);
        assert_eq!(named("listing-21-24").next(), Some(named("listing-21-25")));
        assert_eq!(named("beyond-01-build-returns-result").previous(), None);
    }

    #[test]
    fn the_end_of_a_printing_leads_to_the_exercises_past_its_full_code() {
        let beyond_01 = named("beyond-01-build-returns-result");
        // The full code printed at the chapter's end is no one's next step.
        assert_eq!(named("listing-21-25").next(), None);
        assert_eq!(named("listing-21-25").after_the_chapter(), Some(beyond_01));
        assert_eq!(named("listing-20-25").after_the_chapter(), Some(beyond_01));
        let full = named("no-listing-07-final-code-2024");
        assert_eq!(
            (full.next(), full.after_the_chapter()),
            (None, Some(beyond_01))
        );
        assert_eq!(named("listing-20-25-2018").next(), None);
        assert_eq!(named("listing-21-24").after_the_chapter(), None);
        assert_eq!(
            named("beyond-06-pool-from-crates-io").after_the_chapter(),
            None
        );
    }

    #[test]
    fn up_next_skips_the_pages_a_reader_has_and_ends_at_the_exercises() {
        let at_3 = named("listing-21-03");
        assert_eq!(
            up_next(at_3, |_| false),
            UpNext::Step(named("listing-21-04"))
        );
        assert_eq!(
            up_next(at_3, |page| page == "hello.html"),
            UpNext::Step(named("listing-21-05"))
        );
        assert_eq!(
            up_next(named("listing-20-07"), |_| true),
            UpNext::Step(named("listing-20-09"))
        );
        let exercises = named("beyond-01-build-returns-result");
        assert_eq!(
            up_next(named("listing-21-25"), |_| true),
            UpNext::Finished { exercises }
        );
        assert_eq!(
            up_next(named("listing-21-24"), |_| true),
            UpNext::Step(named("listing-21-25"))
        );
        let last = STEPS
            .iter()
            .rev()
            .find(|s| s.track == Track::Exercises)
            .unwrap();
        assert_eq!(up_next(last, |_| true), UpNext::Done);
    }

    #[test]
    fn pages_give_the_code_step_before_them() {
        assert_eq!(named("listing-20-04").code_step().name, "listing-20-03");
        assert_eq!(named("listing-21-08").code_step().name, "listing-21-07");
        assert_eq!(named("listing-20-05").code_step().name, "listing-20-05");
    }

    #[test]
    fn a_diff_is_taken_from_the_code_step_before_or_the_registered_one() {
        assert_eq!(
            named("listing-20-05").diff_base(),
            Some(named("listing-20-03"))
        );
        assert_eq!(named("listing-20-01").diff_base(), None);
        assert_eq!(
            named("listing-20-22-2018").diff_base(),
            Some(named("listing-20-22"))
        );
        assert_eq!(
            named("no-listing-07-final-code").diff_base(),
            Some(named("listing-20-25"))
        );
        assert_eq!(
            named("beyond-06-pool-from-crates-io").diff_base(),
            Some(named("beyond-04-shutdown-on-signal"))
        );
    }

    #[test]
    fn chapter_21_steps_pair_with_chapter_20_steps_of_the_same_name() {
        let pair = |name: &str| named(name).counterpart().map(|s| s.name);
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
    fn the_exercises_after_beyond_02_are_on_its_library() {
        let beyond_02 = named("beyond-02-documented-and-tested");
        for name in [
            "beyond-03-no-unwrap",
            "beyond-04-shutdown-on-signal",
            "beyond-05-pool-for-other-work",
        ] {
            assert_eq!(named(name).library_step(), Some(beyond_02), "{name}");
        }
        assert_eq!(named("beyond-06-pool-from-crates-io").library_step(), None);
        assert_eq!(
            named("listing-20-20").library_step(),
            Some(named("listing-20-20"))
        );
        assert_eq!(named("listing-20-10").library_step(), None);
    }
}
