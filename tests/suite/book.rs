//! book/ is built from the files the tests check: every step has a page,
//! every include resolves, and every step, snapshot or code block a page
//! names exists. Nothing on a step page is pasted by hand.

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
