//! Finding a step from what a reader types or a file names.

use super::{Kind, Step, Track, STEPS};

/// The step called `name` (its bin name), if there is one.
pub fn find(name: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.name == name)
}

/// The page listing that is `file` (listing 20-4 for `hello.html`) on
/// `track`, or on the main line where the track has none.
pub fn page_listing(file: &str, track: Track) -> Option<&'static Step> {
    let is_it = |s: &&Step| matches!(s.kind(), Kind::Page(f) if f == file);
    STEPS
        .iter()
        .filter(is_it)
        .find(|s| s.track == track)
        .or_else(|| STEPS.iter().find(is_it))
}

/// Listing `number` of the chapter `track` follows (`20-21`, or `21-21`
/// for a reader of today's edition or of the exercises): the track's own
/// where it has one, else the main line's of that chapter.
pub fn listing_on(track: Track, number: u32) -> Option<&'static Step> {
    let listing = format!("{}-{number}", track.chapter());
    let numbered = |s: &&Step| s.listing == Some(listing.as_str());
    STEPS
        .iter()
        .filter(numbered)
        .find(|s| s.track == track)
        .or_else(|| STEPS.iter().find(numbered))
}

/// A name no step answers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownStep(pub String);

impl std::fmt::Display for UnknownStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "there is no step `{}`: steps are named like `20-22`, `listing-20-22`, \
             `21-22`, `no-listing-04` or `beyond-01` (`cargo run -- list` shows them all)",
            self.0
        )
    }
}

impl std::error::Error for UnknownStep {}

/// The step a reader means by `input`, in any of the forms readers type:
/// the bin name (`listing-20-22`, `no-listing-04-update-worker-definition`),
/// a listing number (`20-22`, `22`, `listing-20-2`), or the start of an
/// unnumbered step's name (`no-listing-04`).
pub fn resolve(input: &str) -> Result<&'static Step, UnknownStep> {
    let input = input.trim();
    if let Some(step) = find(input) {
        return Ok(step);
    }
    // A listing number: `22` and `20-22` are chapter 20's (the main line),
    // `21-22` today's edition's.
    let number = input.strip_prefix("listing-").unwrap_or(input);
    let (chapter, number) = match number.split_once('-') {
        Some((chapter, n)) => (chapter.parse::<u32>().ok(), n),
        None => (Some(20), number),
    };
    if let (Some(chapter), Ok(n)) = (chapter, number.parse::<u32>()) {
        let listing = format!("{chapter}-{n}");
        if let Some(step) = STEPS.iter().find(|s| s.listing == Some(listing.as_str())) {
            return Ok(step);
        }
    }
    let starting: Vec<&'static Step> = STEPS.iter().filter(|s| s.name.starts_with(input)).collect();
    if input.starts_with("no-listing-") {
        // The main line first: `no-listing-04` is the print edition's step,
        // `no-listing-04-update-worker-definition-2018` the 2018 printing's.
        let main_line: Vec<&Step> = starting
            .iter()
            .copied()
            .filter(|s| s.track == Track::Print2021)
            .collect();
        if let [step] = main_line[..] {
            return Ok(step);
        }
    }
    if input.starts_with("no-listing-") || input.starts_with("beyond-") {
        // `beyond-01` is the first worked exercise.
        let all = &starting;
        if let [step] = all[..] {
            return Ok(step);
        }
    }
    Err(UnknownStep(input.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_forms_of_a_step_name_resolve() {
        for form in ["listing-20-22", "20-22", "22", " 22 "] {
            assert_eq!(resolve(form).unwrap().name, "listing-20-22", "{form}");
        }
        for form in ["listing-20-02", "listing-20-2", "20-2", "2", "02"] {
            assert_eq!(resolve(form).unwrap().name, "listing-20-02", "{form}");
        }
        assert_eq!(
            resolve("no-listing-04").unwrap().name,
            "no-listing-04-update-worker-definition"
        );
        // Today's edition by its own numbers; the main line stays the default.
        for form in ["21-22", "listing-21-22", "listing-21-22 "] {
            assert_eq!(resolve(form).unwrap().name, "listing-21-22", "{form}");
        }
        assert_eq!(resolve("21-1").unwrap().name, "listing-21-01");
        assert_eq!(
            resolve("beyond-01").unwrap().name,
            "beyond-01-build-returns-result"
        );
        assert_eq!(
            resolve("no-listing-04-update-drop-definition")
                .unwrap()
                .name,
            "no-listing-04-update-drop-definition-2024"
        );
    }

    #[test]
    fn unknown_steps_are_one_sentence() {
        let error = resolve("20-26").unwrap_err().to_string();
        assert!(error.starts_with("there is no step `20-26`"), "{error}");
        assert_eq!(error.lines().count(), 1);
        assert!(resolve("no-listing-0").is_err(), "ambiguous");
    }

    #[test]
    fn page_listings_are_found_on_the_readers_track() {
        assert_eq!(
            page_listing("hello.html", Track::Edition2024).map(|s| s.name),
            Some("listing-21-04")
        );
        assert_eq!(
            page_listing("404.html", Track::Print2018).map(|s| s.name),
            Some("listing-20-08")
        );
        assert_eq!(page_listing("other.html", Track::Print2021), None);
    }
}
