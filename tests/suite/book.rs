//! book/ is built from the files the tests check: every step has a page,
//! every include resolves, and every step, snapshot or code block a page
//! names exists. Nothing on a step page is pasted by hand. Its prose is
//! held to the same: what it says of the registry as a whole is written
//! from the registry, and what it says a step does names its proof (see
//! the comments above each part below).

use crate::common;
use kit::facts::StepFacts;
use std::path::{Path, PathBuf};

use companion::compile::root;
use companion::registry::{Files, Outcome, STEPS};
use regex::Regex;

fn book_src() -> PathBuf {
    root().join("book/src")
}

/// Every `.md` file of the book, with its text.
fn pages() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![book_src()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

/// The `{{#include path[:...]}}` directives of a page: (path as written,
/// what follows the path).
fn includes(text: &str) -> Vec<(String, String)> {
    let include =
        Regex::new(r"\{\{#(?:include|rustdoc_include) ([^:}]+)((?::[^}]*)?)\}\}").unwrap();
    include
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

#[test]
fn every_step_has_a_page_listed_in_the_summary() {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    for step in STEPS {
        let page = format!("steps/{}.md", step.name);
        assert!(
            book_src().join(&page).is_file(),
            "{} has no page {page}",
            step.name
        );
        assert!(
            summary.contains(&format!("]({page})")),
            "SUMMARY.md does not list {page}"
        );
    }
    for page in ["introduction.md", "next.md"] {
        assert!(
            summary.contains(&format!("]({page})")),
            "SUMMARY.md does not list {page}"
        );
    }
}

#[test]
fn every_include_points_at_an_existing_file_and_range() {
    let mut count = 0;
    for (page, text) in pages() {
        for (path, rest) in includes(&text) {
            let file = page.parent().unwrap().join(&path);
            let body = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{}: include of missing {path}", page.display()));
            let lines: Vec<&str> = body.lines().collect();
            let spec = rest.trim_start_matches(':');
            if spec.is_empty() {
            } else if let Some((from, _)) = spec.split_once(':') {
                let from: usize = from.parse().expect("a line number");
                assert!(
                    from <= lines.len(),
                    "{}: {path} has no line {from}",
                    page.display()
                );
                if path.ends_with(".snap") {
                    // A snapshot's text starts right after its header.
                    assert_eq!(
                        lines[from - 2],
                        "---",
                        "{}: {path}:{from} is not where the snapshot starts",
                        page.display()
                    );
                }
            } else {
                let anchor = format!("ANCHOR: {spec}");
                assert!(
                    body.contains(&anchor),
                    "{}: {path} has no anchor {spec}",
                    page.display()
                );
            }
            count += 1;
        }
    }
    assert!(count >= 100, "only {count} includes");
}

#[test]
fn every_step_or_snapshot_a_page_names_exists() {
    let step_name = Regex::new(
        r"\b(no-listing-0\d-[a-z]+(?:-[a-z]+)*(?:-2018|-2024)?|listing-2[01]-\d\d(?:-2018)?)\b",
    )
    .unwrap();
    let snapshot = Regex::new(r"snapshots/([A-Za-z0-9_.-]+\.snap)").unwrap();
    for (page, text) in pages() {
        for name in step_name.captures_iter(&text) {
            assert!(
                companion::registry::find(&name[1]).is_some(),
                "{} names a step that does not exist: {}",
                page.display(),
                &name[1]
            );
        }
        for snap in snapshot.captures_iter(&text) {
            assert!(
                root().join("snapshots").join(&snap[1]).is_file(),
                "{} names a snapshot that does not exist: {}",
                page.display(),
                &snap[1]
            );
        }
    }
}

#[test]
fn step_pages_show_their_code_diff_and_output_from_the_tested_files() {
    for step in STEPS {
        let text =
            std::fs::read_to_string(book_src().join(format!("steps/{}.md", step.name))).unwrap();
        let included: Vec<String> = includes(&text).into_iter().map(|(p, _)| p).collect();
        let has = |file: &str| included.iter().any(|p| Path::new(p).ends_with(file));
        let mut expected: Vec<String> = step.listing_files();
        if !matches!(step.files, Files::Page(_)) {
            expected.push(format!("snapshots/{}.diff.snap", step.name));
        }
        match step.outcome {
            Outcome::FailsWith(_) => expected.push(format!("snapshots/{}.errors.snap", step.name)),
            Outcome::Warns(_) => expected.push(format!("snapshots/{}.warnings.snap", step.name)),
            Outcome::Compiles => {}
        }
        if step.is_server() {
            expected.push(format!("snapshots/{}.session.snap", step.name));
        }
        for file in &expected {
            assert!(has(file), "{}'s page does not include {file}", step.name);
        }
        let command = if step.fails_to_compile() {
            format!("cargo run --features compile-fail --bin {}", step.name)
        } else {
            format!("cargo run --bin {}", step.name)
        };
        assert!(
            text.contains(&command),
            "{}'s page does not say how to run it",
            step.name
        );
    }
}

#[test]
fn code_and_output_blocks_on_step_pages_are_includes_only() {
    let fence = Regex::new(r"(?ms)^```(rust|diff|text|html)\n(.*?)^```").unwrap();
    for step in STEPS {
        let text =
            std::fs::read_to_string(book_src().join(format!("steps/{}.md", step.name))).unwrap();
        for block in fence.captures_iter(&text) {
            for line in block[2].lines() {
                assert!(
                    line.starts_with("{{#include "),
                    "{}: a {} block has a line that is not an include: {line:?}",
                    step.name,
                    &block[1]
                );
            }
        }
    }
}

/// The page on the benchmark quotes figures of the run committed beside it
/// (`book/src/bench/`): each request rate (`24,511`), each time in µs and
/// each ratio (`3.07 times`, written `3.07×` in the results) it quotes is in
/// that run's `results.md`, so a refreshed run cannot leave the prose
/// quoting the old one unnoticed.
#[test]
fn the_benchmark_page_quotes_the_committed_run() {
    let page = std::fs::read_to_string(book_src().join("what-the-pool-buys.md")).unwrap();
    let results = std::fs::read_to_string(book_src().join("bench/results.md")).unwrap();
    let mut quoted = Vec::new();
    for (pattern, as_in_results) in [
        (r"\b(\d{1,3}(?:,\d{3})+)\b", "{}"),
        (r"\b(\d+(?:\.\d+)?) µs\b", "{} µs"),
        (r"\b(\d+\.\d+) times\b", "{}×"),
    ] {
        for figure in Regex::new(pattern).unwrap().captures_iter(&page) {
            quoted.push(as_in_results.replace("{}", &figure[1]));
        }
    }
    assert!(
        quoted.len() >= 15,
        "only {} figures found: {quoted:?}",
        quoted.len()
    );
    for figure in quoted {
        assert!(
            results.contains(&figure),
            "what-the-pool-buys.md quotes {figure}, which the committed run \
             (book/src/bench/results.md) does not have"
        );
    }
    // Every request rate of 1,000 or more, on the page and in the run's
    // own text, is a rate of the run's CSV, rounded as the table rounds it:
    // within half a request of it, give or take the CSV's own rounding to
    // a tenth (53710.7 is 53,711 wherever it is written, never 53,710).
    let csv = std::fs::read_to_string(book_src().join("bench/results.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "requests_per_sec")
        .expect("a requests_per_sec column");
    let rates: Vec<f64> = lines
        .filter_map(|l| l.split(',').nth(column)?.parse::<f64>().ok())
        .collect();
    let thousands = Regex::new(r"\b(\d{1,3}(?:,\d{3})+)\b").unwrap();
    for (name, text) in [
        ("what-the-pool-buys.md", &page),
        ("bench/results.md", &results),
    ] {
        for figure in thousands.captures_iter(text) {
            let value: f64 = figure[1].replace(',', "").parse().unwrap();
            assert!(
                rates.iter().any(|rate| (rate - value).abs() <= 0.55),
                "{name} writes {}, which is no rate of results.csv rounded",
                &figure[1]
            );
        }
    }
}

// What the pages say of the registry as a whole (how many steps fail to
// compile and on which tracks, what each track covers, which stages are not
// the book's file, which steps have no counterpart) is written from the
// registry by kit::book into snapshots/book.registry.snap, pinned below,
// and included by the pages, so no such count or list is typed. Chosen
// over an mdBook preprocessor, which would have every `mdbook build` and
// `mdbook serve` compile and run our code (and follow mdBook's
// preprocessor protocol from version to version), and over typed counts
// that a test compares with the registry, which would have each new step
// edit prose: the facts are one more pinned file the pages include, as
// they include every code block and output, and a new step changes it
// through `cargo insta review` like its other snapshots.

/// A page's prose, block by block: each paragraph, list item and table
/// row outside fenced code, headings left out; with the line it starts on.
fn prose_blocks(text: &str) -> Vec<(usize, String)> {
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let starts_item =
            trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with('|');
        let ends = fenced
            || trimmed.is_empty()
            || trimmed.starts_with("```")
            || trimmed.starts_with('#')
            || starts_item;
        if ends {
            blocks.extend(current.take());
        }
        if trimmed.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match &mut current {
            Some((_, block)) => {
                block.push(' ');
                block.push_str(trimmed);
            }
            None => current = Some((i + 1, trimmed.to_string())),
        }
    }
    blocks.extend(current);
    blocks
}

/// The registry's facts as the pages say them (how many steps fail, on
/// which tracks, what each track covers, which stages are not the book's
/// file, which steps have no counterpart), pinned in
/// `snapshots/book.registry.snap`, which the pages include: a change to
/// the registry fails here until the file, and so the pages, follow it.
#[test]
fn the_registry_facts_the_pages_include_are_the_registrys() {
    let facts = kit::book::registry_facts();
    common::assert_pinned(
        "book.registry",
        "what the walkthrough says of the registry (kit::book::registry_facts), \
         included by its pages",
        &facts,
    );
    let included: Vec<String> = pages()
        .iter()
        .flat_map(|(_, text)| includes(text))
        .filter(|(path, _)| path.ends_with("snapshots/book.registry.snap"))
        .map(|(_, anchor)| anchor.trim_start_matches(':').to_string())
        .collect();
    for anchor in facts.lines().filter_map(|l| l.strip_prefix("ANCHOR: ")) {
        assert!(
            included.iter().any(|a| a == anchor),
            "no page includes the fact {anchor} of book.registry.snap"
        );
    }
}

/// A count of steps typed in prose goes stale when a step is added: the
/// counts come from the registry's facts instead.
#[test]
fn no_page_types_a_count_of_steps() {
    let count = Regex::new(
        r"(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|\d+)(-[a-z]+)? (steps|listings|exercises|stages|printings|tracks)\b",
    )
    .unwrap();
    for (page, text) in pages() {
        for (line, block) in prose_blocks(&text) {
            if let Some(typed) = count.find(&block) {
                panic!(
                    "{}:{line} types \"{}\": a count of steps comes from the registry \
                     (an anchor of snapshots/book.registry.snap, see kit::book)",
                    page.display(),
                    typed.as_str()
                );
            }
        }
    }
}

/// The book covers every track (both chapters, the other printings, the
/// exercises): its title names no single chapter when the registry has
/// more than one, and its introduction lists every track.
#[test]
fn the_title_and_the_introduction_cover_every_track() {
    let chapters: std::collections::BTreeSet<u32> =
        STEPS.iter().map(|s| s.track.chapter()).collect();
    let toml = common::read_repo("book/book.toml");
    let title = toml
        .lines()
        .find_map(|l| l.strip_prefix("title = "))
        .expect("book.toml has a title");
    if chapters.len() > 1 {
        for chapter in &chapters {
            assert!(
                !title.to_lowercase().contains(&format!("chapter {chapter}")),
                "the title {title} names chapter {chapter} alone, but the book covers \
                 chapters {chapters:?}"
            );
        }
    }
    let introduction = std::fs::read_to_string(book_src().join("introduction.md")).unwrap();
    assert!(
        introduction.contains("{{#include ../../snapshots/book.registry.snap:tracks}}"),
        "the introduction lists what the book covers from the registry"
    );
}
