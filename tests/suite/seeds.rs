//! Each stage is the book's listing file. Where the chapter prints a file
//! whole, the stage is that text; where it prints part of one (`--snip--`),
//! every printed part is in the stage, in order. Reads the texts' facts
//! that the repository carries (`tests/book/seeds/`, `kit::book_data`).

use std::path::Path;
use std::sync::LazyLock;

use companion::registry::{self, Files, Kind, Track, PRINT_DIFFERENCES, STEPS};
use regex::Regex;

/// The code block the print edition shows after the `Filename:` line `n`
/// (1-based): (file name as printed, code).
fn print_block(seed: &str, n: u32) -> (String, String) {
    let lines: Vec<&str> = seed.lines().collect();
    let filename = lines[n as usize - 1]
        .strip_prefix("Filename: ")
        .expect("a Filename: line");
    assert_eq!(
        lines[n as usize + 1],
        "```",
        "code fence after seed line {n}"
    );
    let code: Vec<&str> = lines[n as usize + 2..]
        .iter()
        .take_while(|l| **l != "```")
        .copied()
        .collect();
    (filename.to_string(), code.join("\n") + "\n")
}

/// The print edition's callout numbers (`  1 let`, `receiver.3 as_bytes`,
/// `{ 7 id, 8 thread }`) are annotations, not code.
fn strip_callouts(code: &str) -> String {
    static STANDALONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)(^|[\s&])\d{1,2} (\S)").unwrap());
    static AFTER_DOT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\.\d{1,2} ([A-Za-z_])").unwrap());
    let code = STANDALONE.replace_all(code, "$1$2");
    AFTER_DOT.replace_all(&code, ".$1").into_owned()
}

/// The code without the whitespace outside string literals, with Rust's
/// `\`-newline string continuations applied and without the trailing commas
/// that rustfmt adds when it breaks a list over lines: print wrapping and
/// rustfmt layout disappear, every character that means something stays.
fn squash(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            if c == '\\' && chars.peek() == Some(&'\n') {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                continue;
            }
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            if matches!(c, ')' | '}' | ']') && out.ends_with(',') {
                out.pop();
            }
            out.push(c);
            in_string = c == '"';
        }
    }
    out
}

/// The stage file a printed block belongs to.
fn stage_file(step: &registry::Step, printed_name: &str) -> String {
    match (printed_name, step.files) {
        ("src/main.rs", _) => step.main_rs(),
        ("src/lib.rs", Files::MainAndModule) => step.lib_rs().unwrap(),
        (html, _) if matches!(step.kind(), Kind::Page(file) if file == html) => html.to_string(),
        (other, _) => panic!(
            "{}: printed file {other} is not one of the step's files",
            step.name
        ),
    }
}

/// The printed code with the known print slips replaced by the file's text.
fn as_in_file(step: &str, printed: &str) -> String {
    PRINT_DIFFERENCES
        .iter()
        .filter(|d| d.step == step)
        .fold(printed.to_string(), |code, d| {
            assert!(
                code.contains(d.printed),
                "{step}: known difference {:?} not in print",
                d.printed
            );
            code.replacen(d.printed, d.file, 1)
        })
}

/// Steps whose file the print edition shows whole (no `--snip--`, nothing
/// left out).
const PRINTED_WHOLE: &[(&str, &str)] = &[
    ("listing-20-01", "src/main.rs"),
    ("listing-20-02", "src/main.rs"),
    ("listing-20-04", "hello.html"),
    ("listing-20-08", "404.html"),
    ("no-listing-01-define-threadpool-struct", "src/lib.rs"),
    ("no-listing-02-impl-threadpool-new", "src/lib.rs"),
];

#[test]
fn every_printed_part_of_a_listing_is_in_its_stage_in_order() {
    let seed = kit::read_book(Track::Print2021.seed());
    let mut parts = 0;
    for step in STEPS.iter().filter(|s| s.track == Track::Print2021) {
        for &n in step.print_blocks {
            let (name, printed) = print_block(&seed, n);
            let file = stage_file(step, &name);
            // The print leaves doc comments out without a `--snip--` (listing
            // 20-23's `impl ThreadPool`), so parts are compared without them.
            let stage = squash(&without_doc_comments(&kit::read_repo(&file)));
            let printed = without_doc_comments(&as_in_file(step.name, &strip_callouts(&printed)));
            let mut from = 0;
            for part in printed
                .split("--snip--")
                .map(squash)
                .filter(|p| !p.is_empty())
            {
                match stage[from..].find(&part) {
                    Some(at) => from += at + part.len(),
                    None => panic!(
                        "{}: this part printed at seed line {n} is not in {file} (after what matched before):\n{part}",
                        step.name
                    ),
                }
                parts += 1;
            }
        }
    }
    assert!(parts >= 40, "only {parts} printed parts compared");
}

#[test]
fn files_the_chapter_prints_whole_are_our_stage_files() {
    let seed = kit::read_book(Track::Print2021.seed());
    for &(name, printed_name) in PRINTED_WHOLE {
        let step = registry::find(name).unwrap();
        let (_, printed) = step
            .print_blocks
            .iter()
            .map(|&n| print_block(&seed, n))
            .find(|(f, _)| f == printed_name)
            .unwrap();
        let printed = strip_callouts(&printed);
        assert!(!printed.contains("--snip--"), "{name} is printed in part");
        let file = stage_file(step, printed_name);
        let stage = kit::read_repo(&file);
        if file.ends_with(".html") {
            assert_eq!(
                stage, printed,
                "{file} must be listing {:?} as printed",
                step.listing
            );
        } else {
            assert_eq!(
                squash(&stage_without_scaffold(&stage)),
                squash(&printed),
                "{file}"
            );
        }
    }
}

fn without_doc_comments(code: &str) -> String {
    code.lines()
        .filter(|l| !l.trim_start().starts_with("///"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn stage_without_scaffold(code: &str) -> String {
    code.replace(kit::SCAFFOLD, "")
}

/// The full files that the online edition (seed 001) prints for the
/// shutdown steps, in the order it prints them: (file name, text).
fn online_files(seed: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = seed.lines().collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = lines[i].strip_prefix("Filename: ") else {
            i += 1;
            continue;
        };
        let j = kit::book_data::online_code_end(&lines, i + 2);
        files.push((name.to_string(), lines[i + 2..j].join("\n") + "\n"));
        i = j;
    }
    files
}

#[test]
fn shutdown_steps_are_the_online_editions_full_files_character_for_character() {
    let files = online_files(&kit::read_book(Track::Online.seed()));
    let lib_of = [
        "listing-20-22",
        "no-listing-04-update-worker-definition",
        "no-listing-05-fix-worker-new",
        "no-listing-06-fix-threadpool-drop",
        "listing-20-23",
        "listing-20-24",
    ];
    assert_eq!(files.len(), 9, "files printed in seed 001");
    // Cleaned as the book cleans a file before compiling it: two of the
    // printed files keep `// --snip--` comments that the compiled files (and
    // the stages, see print_edition_files.rs) do not have.
    let mut snips = 0;
    for (step, (name, text)) in lib_of.iter().zip(&files) {
        assert_eq!(name, "src/lib.rs");
        let lib = registry::find(step).unwrap().lib_rs().unwrap();
        let cleaned = kit::clean(text, true);
        snips += text.lines().count() - cleaned.lines().count();
        assert_eq!(kit::read_repo(&lib), cleaned, "{lib} differs from seed 001");
    }
    assert_eq!(snips, 3, "snip lines in the printed files");
    // "The full code for reference" closes the section: its lib.rs is the
    // final lib.rs, which listing 20-25 runs.
    let (name, final_lib) = &files[8];
    assert_eq!(name, "src/lib.rs");
    assert_eq!(&kit::read_repo("stages/listing-20-25/lib.rs"), final_lib);
}

#[test]
fn the_online_editions_full_final_code_is_no_listing_07_final_code() {
    let files = online_files(&kit::read_book(Track::Online.seed()));
    let step = registry::find("no-listing-07-final-code").unwrap();
    assert_eq!(files[7].0, "src/main.rs");
    assert_eq!(
        stage_without_scaffold(&kit::read_repo(&step.main_rs())),
        files[7].1
    );
    assert_eq!(kit::read_repo(&step.lib_rs().unwrap()), files[8].1);
}

/// A file the 2018 printing (seed 000) shows after the `Filename:` line `n`:
/// that seed has lost its indentation and blank lines, so the file ends
/// where the braces balance and the next line is no Rust item.
fn print_2018_block(seed: &str, n: u32) -> (String, String) {
    let lines: Vec<&str> = seed.lines().collect();
    let name = lines[n as usize - 1]
        .strip_prefix("Filename: ")
        .expect("a Filename: line");
    let end = kit::book_data::code_2018_end(&lines, n as usize);
    let code: String = lines[n as usize..end]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    (name.to_string(), code)
}

#[test]
fn the_2018_printings_files_are_our_2018_stages() {
    let seed = kit::read_book(Track::Print2018.seed());
    let mut compared = 0;
    for step in STEPS.iter().filter(|s| s.track == Track::Print2018) {
        for &n in step.print_blocks {
            let (name, printed) = print_2018_block(&seed, n);
            let file = match name.as_str() {
                "src/lib.rs" => step.lib_rs().unwrap(),
                "src/bin/main.rs" => step.main_rs(),
                other => panic!("{}: unexpected file {other}", step.name),
            };
            let stage = stage_without_scaffold(&kit::read_repo(&file));
            assert_eq!(
                squash(&stage),
                squash(&printed),
                "{file} differs from seed 000 line {n}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 10, "files the 2018 printing shows");
}

#[test]
fn the_2018_steps_before_listing_20_25_serve_without_its_two_connection_limit() {
    // The 2018 printing shows main.rs only from listing 20-25 on; the steps
    // before it run the same server without `.take(2)` and the farewell.
    let final_main = kit::read_repo("stages/listing-20-25-2018/main.rs");
    let before = final_main
        .replace("listener.incoming().take(2)", "listener.incoming()")
        .replace("\n\n    println!(\"Shutting down.\");\n}", "\n}");
    assert_ne!(before, final_main);
    let mut compared = 0;
    for step in STEPS.iter().filter(|s| s.track == Track::Print2018) {
        let main = kit::read_repo(&step.main_rs());
        if main.contains(".take(2)") || main.contains("Shutting down.") {
            continue;
        }
        assert_eq!(main, before, "{}", step.name);
        compared += 1;
    }
    assert_eq!(compared, 7);
}

#[test]
fn listing_20_7_as_printed_sends_a_body_that_content_length_does_not_cover() {
    let seed = kit::read_book(Track::Print2021.seed());
    let (_, printed) = print_block(
        &seed,
        registry::find("listing-20-07").unwrap().print_blocks[0],
    );
    // Without the `\`, the newline and the next line's indentation are part
    // of the string: the body gains "\n" and 9 spaces before the HTML.
    let printed = squash(&strip_callouts(&printed));
    assert!(printed.contains(
        "\"{status_line}\\r\\nContent-Length: {length}\\r\\n\\r\\n\n         {contents}\""
    ));
    let stage = squash(&kit::read_repo("stages/listing-20-07/main.rs"));
    assert!(stage.contains("\"{status_line}\\r\\nContent-Length: {length}\\r\\n\\r\\n{contents}\""));
}

#[test]
fn listing_20_24_as_printed_words_the_shutdown_line_differently() {
    let seed = kit::read_book(Track::Print2021.seed());
    let (_, printed) = print_block(
        &seed,
        registry::find("listing-20-24").unwrap().print_blocks[0],
    );
    assert!(squash(&printed).contains("\"Worker {id} shutting down.\""));
    let stage = kit::read_repo("stages/listing-20-24/lib.rs");
    assert!(stage.contains("\"Worker {id} disconnected; shutting down.\""));
    assert!(!stage.contains("\"Worker {id} shutting down.\""));
    // The sample output under listing 20-25 agrees with the file.
    assert!(seed.contains("Worker 1 disconnected; shutting down."));
}

#[test]
fn every_known_print_difference_is_real() {
    let seed = kit::read_book(Track::Print2021.seed());
    for d in PRINT_DIFFERENCES {
        let step = registry::find(d.step).unwrap();
        let printed: String = step
            .print_blocks
            .iter()
            .map(|&n| print_block(&seed, n).1)
            .collect();
        assert!(
            strip_callouts(&printed).contains(d.printed),
            "{}: not printed",
            d.step
        );
        let stage: String = step
            .listing_files()
            .iter()
            .map(|f| kit::read_repo(f))
            .collect();
        assert!(stage.contains(d.file), "{}: not in the stage", d.step);
        assert!(
            !stage.contains(d.printed),
            "{}: the stage has the printed text",
            d.step
        );
    }
}

#[test]
fn squash_keeps_string_contents_and_applies_continuations() {
    assert_eq!(squash("let a = \"x  y\";\n"), "leta=\"x  y\";");
    assert_eq!(squash("f(\"a\\r\\n\\\n     b\")"), "f(\"a\\r\\nb\")");
    assert_eq!(squash("f(\n    a,\n    b,\n)"), "f(a,b)");
    assert_eq!(squash("f(\"a\\\"  b\")"), "f(\"a\\\"  b\")");
    assert_eq!(
        strip_callouts(
            "  1 let x = receiver.3 as_bytes();\nWorker { 7 id, 8 thread }\nnew(4); 0..size"
        ),
        "  let x = receiver.as_bytes();\nWorker { id, thread }\nnew(4); 0..size"
    );
    assert_eq!(strip_callouts("\"HTTP/1.1 200 OK\""), "\"HTTP/1.1 200 OK\"");
    let _ = Path::new("");
}

/// The heading each listing is under, read from a chapter's text: the
/// innermost `#`-heading before the listing's caption (`Listing 21-5: ...`).
fn headings_in(text: &str) -> Vec<(u32, String)> {
    let mut heading = String::new();
    let mut found: Vec<(u32, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('#') {
            heading = rest.trim_start_matches('#').trim().to_string();
        } else if let Some(rest) = line.strip_prefix("Listing ") {
            let Some((number, _)) = rest.split_once(": ") else {
                continue;
            };
            let Some(n) = number.split_once('-').and_then(|(_, n)| n.parse().ok()) else {
                continue;
            };
            if !found.iter().any(|(m, _)| *m == n) {
                found.push((n, heading.clone()));
            }
        }
    }
    found
}

#[test]
fn the_headings_the_check_names_are_the_chapters() {
    for (track, seed) in [
        (Track::Print2021, Track::Print2021.seed()),
        (Track::Edition2024, Track::Edition2024.seed()),
    ] {
        let found = headings_in(&kit::read_book(seed));
        assert_eq!(found.len(), 25, "{seed}: {found:?}");
        for (n, heading) in found {
            assert_eq!(
                registry::heading(track, n),
                Some(heading.as_str()),
                "listing {}-{n}",
                track.chapter()
            );
        }
    }
}

#[test]
fn a_texts_facts_keep_code_and_numbers_at_their_lines_and_no_prose() {
    let text = "# Title\n\nA paragraph of prose.\n\nFilename: src/main.rs\n\n```rust\nfn main() {}\n```\n\nListing 21-1: What it does\n\nMore prose.\n{{#include ../listings/x/y.rs}}\n";
    assert_eq!(
        kit::book_data::facts_of(text),
        "# Title\n\n…\n\nFilename: src/main.rs\n\n```rust\nfn main() {}\n```\n\nListing 21-1: …\n\n…\n{{#include ../listings/x/y.rs}}\n"
    );
    // Unfenced code after a `Filename:` line, as the online edition prints
    // it, and as the 2018 printing does.
    let online = "Filename: src/lib.rs\n\nuse std::thread;\n\nimpl A {\n}\n\nSome prose after.\n";
    assert_eq!(
        kit::book_data::facts_of(online),
        "Filename: src/lib.rs\n\nuse std::thread;\n\nimpl A {\n}\n\n…\n"
    );
    let printed_2018 =
        "Filename: src/lib.rs\nuse std::thread;\nstruct A {\nb: u8,\n}\nProse after.\n";
    assert_eq!(
        kit::book_data::facts_of(printed_2018),
        "Filename: src/lib.rs\nuse std::thread;\nstruct A {\nb: u8,\n}\n…\n"
    );
}

/// `tests/book/` is what the extractor makes of the team's `../shared/`
/// (`cargo run -p kit --bin extract-book` writes it anew). On
/// demand, where `../shared/` is beside the repository.
#[test]
#[ignore = "needs ../shared/ beside the repository: cargo test --test suite -- --ignored book_data"]
fn the_book_data_is_what_the_extractor_makes_of_shared() {
    let shared = companion::compile::root().join("../shared");
    assert!(
        shared.join("STAGES.md").is_file(),
        "no ../shared/ beside the repository"
    );
    let fresh = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("book-data");
    let _ = std::fs::remove_dir_all(&fresh);
    kit::book_data::extract(&shared, &fresh).unwrap();
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut found = Vec::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(at) = dirs.pop() {
            for entry in std::fs::read_dir(&at).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    if rel != "README.md" {
                        found.push((rel, std::fs::read(&path).unwrap()));
                    }
                }
            }
        }
        found.sort();
        found
    };
    let (made, committed) = (files(&fresh), files(&kit::book_data::book_dir()));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&made), names(&committed));
    for ((name, a), (_, b)) in made.iter().zip(&committed) {
        assert!(a == b, "tests/book/{name} is not what the extractor makes");
    }
}
