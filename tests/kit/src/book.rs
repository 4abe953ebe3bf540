//! What the walkthrough (`book/`) says of the registry as a whole, written
//! from it: how many steps fail to compile and on which tracks, what each
//! track covers, which stages are not the book's file, which steps have no
//! counterpart in the other chapter. The pages include these lines from
//! `snapshots/book.registry.snap` (pinned by `tests/suite/book.rs`), each
//! between `ANCHOR:` lines as mdBook's `{{#include file:anchor}}` reads
//! them, so no count or list of steps on a page is typed by hand: a step
//! added to the registry changes the pinned file, and the pages with it.

use companion::registry::{
    page_listing, BookFileHas, Kind, Outcome, Step, Track, FILE_DIFFERENCES, STEPS,
};

/// Every track, in the registry's order.
pub const TRACKS: [Track; 5] = [
    Track::Print2021,
    Track::Print2018,
    Track::Online,
    Track::Edition2024,
    Track::Exercises,
];

/// The registry's facts as the pages word them, one anchored section each.
pub fn registry_facts() -> String {
    let mut out = String::new();
    let mut section = |anchor: &str, text: String| {
        out.push_str(&format!("ANCHOR: {anchor}\n{text}\nANCHOR_END: {anchor}\n"));
    };
    let (failing, by_track) = failing_steps();
    section("failing-count", number(failing));
    section("failing-by-track", by_track);
    section("tracks", tracks());
    section("file-differences-count", number(FILE_DIFFERENCES.len()));
    // Where the book's file runs ahead of its text (it has a later step's
    // `main`), and where it keeps older code than the text has by then.
    let of = |ahead: bool| {
        let mut steps: Vec<&Step> = FILE_DIFFERENCES
            .iter()
            .filter(|d| matches!(d.book_has, BookFileHas::MainOf(_)) == ahead)
            .map(|d| find(d.step))
            .collect();
        steps.sort_by_key(|s| s.index());
        let steps: Vec<String> = steps.into_iter().map(link).collect();
        and_list(&steps)
    };
    section("file-differences-ahead", of(true));
    section("file-differences-older", of(false));
    let print_differing = FILE_DIFFERENCES
        .iter()
        .filter(|d| find(d.step).track == Track::Print2021)
        .count();
    section("file-differences-print-count", number(print_differing));
    section("no-counterpart", no_counterpart());
    section("same-pages", same_pages());
    out
}

/// How many steps fail to compile on purpose, and how many on each track
/// that has any, in words: `seven in the print edition (Rust 2021), three
/// in the 2018 printing and ...`.
pub fn failing_steps() -> (usize, String) {
    let failing: Vec<&Step> = STEPS
        .iter()
        .filter(|s| matches!(s.outcome(), Outcome::FailsWith(_)))
        .collect();
    let by_track: Vec<String> = TRACKS
        .iter()
        .filter_map(|&track| {
            let n = failing.iter().filter(|s| s.track == track).count();
            (n > 0).then(|| format!("{} in {}", number(n), the(track.name())))
        })
        .collect();
    (failing.len(), and_list(&by_track))
}

/// `n` in words (to ninety-nine; digits beyond), as prose writes a count.
pub fn number(n: usize) -> String {
    const ONES: [&str; 20] = [
        "no",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    match n {
        0..=19 => ONES[n].to_string(),
        20..=99 if n.is_multiple_of(10) => TENS[n / 10].to_string(),
        20..=99 => format!("{}-{}", TENS[n / 10], ONES[n % 10]),
        _ => n.to_string(),
    }
}

/// [`number`] at the start of a sentence.
pub fn number_capitalized(n: usize) -> String {
    let word = number(n);
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => word,
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A track's name with "the" before it, unless it has one ("the
/// exercises", "today's edition").
fn the(name: &str) -> String {
    if name.starts_with("the ") || name.starts_with("today's ") {
        name.to_string()
    } else {
        format!("the {name}")
    }
}

fn find(name: &str) -> &'static Step {
    companion::registry::find(name).unwrap_or_else(|| panic!("{name} is a step"))
}

/// A link to a step's page from a page at the book's root.
fn link(step: &Step) -> String {
    format!("[{}](steps/{}.md)", step.label_in_sentence(), step.name)
}

/// What the book covers: a list item per track, with its steps' count and
/// its first and last step. What each track is, in a few words, is written
/// here, one arm per track, so that a new track cannot go unsaid.
fn tracks() -> String {
    TRACKS
        .iter()
        .map(|&track| {
            let steps: Vec<&Step> = STEPS.iter().filter(|s| s.track == track).collect();
            let what = match track {
                Track::Print2021 => {
                    "**Chapter 20 of the 2nd print edition** (Rust 2021), the main line"
                }
                Track::Print2018 => {
                    "**The 2018 printing of chapter 20**, where the graceful shutdown goes \
                     through a `Message` enum"
                }
                Track::Online => {
                    "**The online edition of chapter 20's era**, whose full final code is \
                     not listing 20-25"
                }
                Track::Edition2024 => {
                    "**Chapter 21 of today's edition** (online, and the third print \
                     edition; Rust 2024)"
                }
                Track::Exercises => {
                    "**The chapter's closing exercises, worked**, in our code, not the \
                     book's (Rust 2024)"
                }
            };
            let span = match steps[..] {
                [] => String::new(),
                [one] => format!("one step, {}", link(one)),
                [first, .., last] => format!(
                    "{} steps, from {} to {}",
                    number(steps.len()),
                    link(first),
                    link(last)
                ),
            };
            format!("- {what}: {span}.")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The steps of today's edition that are code and have no counterpart in
/// chapter 20, as a sentence.
fn no_counterpart() -> String {
    let alone: Vec<String> = STEPS
        .iter()
        .filter(|s| s.track == Track::Edition2024 && !matches!(s.kind(), Kind::Page(_)))
        .filter(|s| s.counterpart().is_none())
        .map(|s| format!("`{}`", s.name))
        .collect();
    let (verb, noun) = if alone.len() == 1 {
        ("has", "step")
    } else {
        ("have", "steps")
    };
    format!(
        "{} {noun} of chapter 21 {verb} no counterpart in chapter 20: {}.",
        number_capitalized(alone.len()),
        and_list(&alone)
    )
}

/// Today's edition's listings that are pages, and chapter 20's of the same
/// file, as a sentence.
fn same_pages() -> String {
    let pages: Vec<(&Step, &Step, &str)> = STEPS
        .iter()
        .filter(|s| s.track == Track::Edition2024)
        .filter_map(|s| match s.kind() {
            Kind::Page(file) => Some((s, page_listing(file, Track::Print2021)?, file)),
            _ => None,
        })
        .collect();
    let numbers = |pick: fn(&(&Step, &Step, &str)) -> &'static str| {
        and_list(
            &pages
                .iter()
                .map(|p| pick(p).to_string())
                .collect::<Vec<_>>(),
        )
    };
    let plural = if pages.len() == 1 { "" } else { "s" };
    format!(
        "Listing{plural} {} {} listing{plural} {}, the very same file{plural} ({}) at this \
         repository's root, so there is no diff to show.",
        numbers(|p| p.0.listing.unwrap_or(p.0.name)),
        if pages.len() == 1 { "is" } else { "are" },
        numbers(|p| p.1.listing.unwrap_or(p.1.name)),
        and_list(
            &pages
                .iter()
                .map(|p| format!("`{}`", p.2))
                .collect::<Vec<_>>()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_words_as_prose_writes_them() {
        assert_eq!(number(0), "no");
        assert_eq!(number(7), "seven");
        assert_eq!(number(15), "fifteen");
        assert_eq!(number(30), "thirty");
        assert_eq!(number(31), "thirty-one");
        assert_eq!(number(120), "120");
        assert_eq!(number_capitalized(1), "One");
    }

    #[test]
    fn lists_join_with_commas_and_a_last_and() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&items(&["a"])), "a");
        assert_eq!(and_list(&items(&["a", "b"])), "a and b");
        assert_eq!(and_list(&items(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn every_fact_is_one_anchored_section() {
        let facts = registry_facts();
        let starts = facts.lines().filter(|l| l.starts_with("ANCHOR: ")).count();
        let ends = facts
            .lines()
            .filter(|l| l.starts_with("ANCHOR_END: "))
            .count();
        assert_eq!(starts, ends);
        assert!(starts >= 8, "{facts}");
    }
}
