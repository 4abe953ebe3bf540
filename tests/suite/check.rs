//! The check of a reader's project (`companion::check`), through the
//! library: each verdict the tour shows, made against projects laid out as
//! a reader's, typed as the book has them and typed by hand; the tests
//! read the verdicts' values, and their words where the words are the
//! point. The mistakes readers make, a project each, are `check/mistakes.rs`'s;
//! the tour's own tests (`tour.rs`) check that the CLI shows them.

use std::path::Path;

use companion::check::{self, Behaviour, Finding, Status, Verdict};
use companion::reader::Project;
use companion::registry::resolve;
use companion::Error;
use kit::projects::{edited_project, project_from};

// The corpus of readers' mistakes. A module of `check` also so that its
// tests, most of which wait out a `/sleep`, start early: libtest starts
// tests in the order of their names.
mod mistakes;

/// The verdicts of `check <step> <project>`.
fn evaluate(step: &str, project: &Path) -> Result<Vec<Verdict>, Error> {
    // Every stage built in one cargo run, and known to the check.
    kit::stages();
    check::evaluate(resolve(step).unwrap(), &Project::open(project).unwrap())
}

/// The verdicts as the tour shows them, without colour.
pub fn lines(step: &str, verdicts: &[Verdict]) -> String {
    let step = resolve(step).unwrap();
    verdicts.iter().map(|v| v.plain(step)).collect()
}

#[test]
fn a_project_that_is_the_step_does_what_it_does() {
    let verdicts = evaluate("20-20", &project_from("listing-20-20", true)).unwrap();
    let text = lines("20-20", &verdicts);
    assert!(check::passes(&verdicts), "{text}");
    assert!(
        text.contains("✓ GET /: HTTP/1.1 200 OK with your hello.html\n"),
        "{text}"
    );
    assert!(
        text.contains("✓ `/` does not wait behind `/sleep`\n"),
        "{text}"
    );
    assert!(
        text.contains("✓ it prints what the chapter's server prints\n"),
        "{text}"
    );
    // Nothing said of a browser's spare connection where the chapter says
    // nothing of it; the one note is on two tabs of `/sleep`.
    let notes: Vec<&Behaviour> = verdicts
        .iter()
        .filter(|v| v.status == Status::Note)
        .map(|v| &v.behaviour)
        .collect();
    assert_eq!(notes, [&Behaviour::BrowserTabsLookSerial], "{text}");
    let step = resolve("20-20").unwrap();
    assert_eq!(
        check::summary(step, &verdicts),
        "Your project does what listing-20-20 does."
    );
}

#[test]
fn a_rust_2024_project_at_listing_21_20_does_what_it_does() {
    let project = project_from("listing-21-20", true);
    assert!(std::fs::read_to_string(project.join("Cargo.toml"))
        .unwrap()
        .contains("edition = \"2024\""));
    let verdicts = evaluate("21-20", &project).unwrap();
    assert!(check::passes(&verdicts), "{}", lines("21-20", &verdicts));
    assert!(verdicts.iter().any(|v| v.status == Status::Holds
        && v.behaviour
            == Behaviour::Waits {
                chapters: check::Wait::DoesNotWait
            }));
}

#[test]
fn a_failing_step_wants_the_same_error_codes() {
    let project = project_from("listing-20-22", true);
    let verdicts = evaluate("20-22", &project).unwrap();
    assert_eq!(
        lines("20-22", &verdicts),
        "✓ your project fails to compile with E0507, as the chapter's does at this step\n"
    );
    let verdicts = evaluate("no-listing-04", &project).unwrap();
    let Some(Finding::OtherErrors {
        codes,
        shown_at,
        compiler_output,
    }) = &verdicts[0].finding
    else {
        panic!("{verdicts:?}")
    };
    assert_eq!(
        (&codes[..], &shown_at[..]),
        (&["E0507".to_string()][..], &["listing-20-22"][..])
    );
    assert!(
        compiler_output.contains("E0507"),
        "the compiler's output goes with it: {compiler_output}"
    );
    assert!(lines("no-listing-04", &verdicts)
        .contains("yours: it fails with E0507, the error the chapter shows at listing-20-22"));
}

#[test]
fn a_missing_page_is_the_one_verdict_and_names_its_listing() {
    let verdicts = evaluate("20-05", &project_from("listing-20-05", false)).unwrap();
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert_eq!(
        verdicts[0].finding,
        Some(Finding::PageNotInFolder {
            file: "hello.html",
            found: vec![]
        })
    );
    assert_eq!(verdicts[0].see.unwrap().listing.name, "listing-20-04");
    // A chapter-21 reader is sent to chapter 21's listing.
    let verdicts = evaluate("21-05", &project_from("listing-20-05", false)).unwrap();
    assert_eq!(verdicts[0].see.unwrap().listing.name, "listing-21-04");
    assert_eq!(
        verdicts[0].plain(resolve("21-05").unwrap()),
        "✗ hello.html is not in your project's folder (where Cargo.toml is): your server opens \
         `hello.html` relative to the folder it runs in, and `cargo run` runs it in the \
         project's folder\n    see it yourself, with your server running: curl -v \
         http://127.0.0.1:7878/\n    in the chapter: listing 21-4, under “Returning Real HTML”\n"
    );
}

#[test]
fn a_project_that_does_not_build_gives_the_compiler_output_and_why() {
    let project = project_from("listing-20-12", true);
    assert_eq!(
        evaluate("20-12", &project).unwrap()[0].status,
        Status::Holds
    );
    let error = evaluate("20-11", &project).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("does not build (the compiler's output is above), where listing-20-11 builds; it fails with E0433, the error the chapter shows at listing-20-12"),
        "{error}"
    );
    assert!(error.compiler_output().unwrap().contains("error[E0433]"));
}

#[test]
fn a_folder_that_is_not_a_cargo_project_is_refused_in_one_sentence() {
    let empty = companion::compile::root().join("target/tour-tests/not-a-project");
    std::fs::create_dir_all(&empty).unwrap();
    let error = Project::open(&empty).unwrap_err().to_string();
    assert!(
        error.starts_with("there is no cargo project at "),
        "{error}"
    );
    assert!(error.ends_with(": it has no Cargo.toml"), "{error}");
    let error = Project::open(Path::new("/no/such/folder")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "/no/such/folder is not a folder: give the path of your cargo project"
    );
}

#[test]
fn a_command_step_is_run_as_a_command() {
    // beyond-05 counts lines rather than serving; its main uses the pool
    // of beyond-02's library, which `start` writes as src/lib.rs.
    let verdicts = evaluate(
        "beyond-05",
        &project_from("beyond-05-pool-for-other-work", true),
    )
    .unwrap();
    assert_eq!(
        lines("beyond-05", &verdicts),
        "✓ `cargo run -- stages` prints what beyond-05-pool-for-other-work prints\n\
         ✓ it ends as beyond-05-pool-for-other-work does (exit status: 0)\n"
    );
}

#[test]
fn a_command_that_prints_more_than_a_pipe_holds_is_read_to_its_end() {
    // A megabyte on stdout before the step's own work: 16 times what a
    // pipe holds. Read only once the program ended, it would block on a
    // full pipe and be told it "did not end within 30 s".
    let dir = edited_project(
        "command-prints-a-megabyte",
        "beyond-05-pool-for-other-work",
        &["src/main.rs"],
        |main| {
            main.replacen(
                "fn main() -> ExitCode {\n",
                "fn main() -> ExitCode {\n    print!(\"{}\", \"x\".repeat(1 << 20));\n",
                1,
            )
        },
    );
    let verdicts = evaluate("beyond-05", &dir).unwrap();
    let text = lines("beyond-05", &verdicts);
    assert!(
        text.starts_with("✗ `cargo run -- stages` prints "),
        "the program's output was compared, not its hanging: {text}"
    );
    assert!(
        text.contains("✓ it ends as beyond-05-pool-for-other-work does (exit status: 0)\n"),
        "{text}"
    );
}

/// Where a project is, found, and why.
fn locate(dir: &Path) -> check::Located {
    check::locate(&Project::open(dir).unwrap()).unwrap()
}

#[test]
fn a_project_is_found_at_its_step_and_told_why() {
    let located = locate(&project_from("listing-20-05", true));
    assert_eq!(
        located.why(),
        [
            "Your project is at listing 20-5: Send hello.html as the body, with a Content-Length header",
            "  its code is that step's, once comments, layout and the names you chose are set aside",
            "  it builds, as listing-20-05 does",
        ]
    );
    // Listing 20-4 is hello.html, a page and not code: a project with
    // 20-3's code is at 20-3, and nothing says 20-4 has the same code.
    let located = locate(&project_from("listing-20-04", true));
    assert_eq!(located.step().name, "listing-20-03");
    assert!(located.found.twins.is_empty(), "{:?}", located.why());
    // A step that fails to compile is found by its code and its error.
    let located = locate(&project_from("listing-20-22", true));
    assert_eq!(located.step().name, "listing-20-22");
    assert!(located.checkable());
    assert_eq!(
        located.why()[2],
        "  it fails to build with E0507, as listing-20-22 does: the chapter shows that error here"
    );
}

#[test]
fn a_project_typed_by_hand_is_found_and_checked() {
    // Listing 20-9 as a reader might type it: a package of another name,
    // Rust 2024, comments and blank lines of their own, other names for
    // their variables. (A step without `/sleep`, so the check is quick;
    // `reader::detect`'s tests have the same for every kind of step, the
    // crate's own name in `use` included.)
    let dir = edited_project(
        "typed-by-hand",
        "listing-20-09",
        &["Cargo.toml", "src/main.rs"],
        |text| {
            text.replace("name = \"hello\"", "name = \"my-server\"")
                .replace("edition = \"2021\"", "edition = \"2024\"")
                .replace("fn main() {", "// my server\nfn main() {\n")
                .replace("listener", "incoming_connections")
                .replace("contents", "page")
        },
    );
    let project = Project::open(&dir).unwrap();
    assert_eq!(
        (project.package.as_str(), project.edition.as_str()),
        ("my-server", "2024")
    );
    let located = check::locate(&project).unwrap();
    assert_eq!(located.step().name, "listing-20-09");
    assert_eq!(located.found.alike, 1.0);
    let verdicts = check::evaluate(located.step(), &project).unwrap();
    assert!(check::passes(&verdicts), "{verdicts:?}");
}

#[test]
fn a_watch_reports_the_step_its_verdicts_and_the_next_step() {
    use companion::registry::UpNext;
    use companion::watch::{report, Checked};
    let report = report(&project_from("listing-20-06", true)).unwrap();
    assert_eq!(report.located.step().name, "listing-20-06");
    let Checked::Verdicts(verdicts) = &report.checked else {
        panic!("{:?}", report.checked);
    };
    assert!(check::passes(verdicts), "{verdicts:?}");
    assert_eq!(
        report.up_next,
        UpNext::Step(companion::registry::find("listing-20-07").unwrap())
    );

    // One that does not build as its step: the compiler's output is the
    // report.
    let broken = edited_project("watch-broken", "listing-20-06", &["src/main.rs"], |main| {
        main.replace("let buf_reader", "let buf_reader: u8")
    });
    let report = companion::watch::report(&broken).unwrap();
    assert!(
        matches!(report.checked, Checked::DoesNotBuild),
        "{:?}",
        report.checked
    );
    assert!(report
        .located
        .compiler_output
        .as_deref()
        .is_some_and(|out| out.contains("error[E0308]")));
}

/// `start` and then the check for every step, without the tour: each
/// project is found as its step (or a step with the very same code, named),
/// and passes the check against it. Some two hundred builds and servers:
/// too slow for every `cargo test` (the detection half runs for every step
/// in the library's own tests), so it runs on demand:
/// `cargo test --test suite -- --ignored every_step_s_project_is_found_and_passes`.
#[test]
#[ignore = "minutes: every step built and checked as a reader's project"]
fn every_step_s_project_is_found_and_passes() {
    use companion::registry::STEPS;
    let base = kit::projects::fresh_dir("start-and-check");
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = STEPS
            .chunks(STEPS.len().div_ceil(8))
            .map(|steps| {
                let base = &base;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for step in steps {
                        let dir = base.join(step.name);
                        companion::reader::scaffold::write(step, &dir).unwrap();
                        let project = Project::open(&dir).unwrap();
                        // A page's listing is found as the code step before it.
                        let code = step.code_step();
                        let outcome = check::locate(&project).and_then(|located| {
                            let found =
                                located.step() == code || located.found.twins.contains(&code);
                            check::evaluate(located.step(), &project).map(|v| (found, v))
                        });
                        match outcome {
                            Ok((true, verdicts)) if check::passes(&verdicts) => {}
                            Ok((found, verdicts)) => failures.push(format!(
                                "{}: found as itself: {found}\n{}",
                                step.name,
                                lines(step.name, &verdicts)
                            )),
                            Err(error) => failures.push(format!("{}: {error}", step.name)),
                        }
                    }
                    failures
                })
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_reader_who_types_the_last_listing_is_told_they_finished_and_what_follows() {
    use companion::registry::{find, UpNext};
    use companion::watch::{report, Checked};
    let report = report(&project_from("listing-21-25", true)).unwrap();
    assert_eq!(report.located.step().name, "listing-21-25");
    assert!(
        report.located.found.twins.is_empty(),
        "{:?}",
        report.located.why()
    );
    let Checked::Verdicts(verdicts) = &report.checked else {
        panic!("{:?}", report.checked);
    };
    assert!(check::passes(verdicts), "{}", lines("21-25", verdicts));
    let notes: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| v.status == Status::Note)
        .collect();
    assert!(
        notes.iter().any(|v| v.finding
            == Some(Finding::Spare(check::Spare::PanicsAWorker {
                counted: true
            }))),
        "{}",
        lines("21-25", verdicts)
    );
    // And, since it stops by itself only after two requests, that ctrl-C
    // stops it without its `Drop`.
    assert!(notes
        .iter()
        .any(|v| v.behaviour == Behaviour::CtrlCSkipsDrop));
    assert_eq!(
        report.up_next,
        UpNext::Finished {
            exercises: find("beyond-01-build-returns-result").unwrap()
        }
    );
    assert!(report.finished());
}

#[test]
fn a_reader_at_the_last_listing_has_finished_only_when_it_passes() {
    use companion::watch::report;
    // Listing 21-25 on another port: at the last step, and one behaviour
    // differs.
    let dir = edited_project(
        "last-step-differs",
        "listing-21-25",
        &["src/main.rs"],
        |main| main.replace("7878", "7879"),
    );
    let report = report(&dir).unwrap();
    assert_eq!(report.located.step().name, "listing-21-25");
    assert!(matches!(
        report.up_next,
        companion::registry::UpNext::Finished { .. }
    ));
    assert!(!report.finished(), "{:?}", report.checked);
}

#[test]
fn the_next_step_is_past_the_pages_the_reader_has_written() {
    use companion::registry::{find, up_next, UpNext};
    for (pages, next) in [(true, "listing-21-05"), (false, "listing-21-04")] {
        let project = Project::open(&project_from("listing-21-03", pages)).unwrap();
        let located = check::locate(&project).unwrap();
        assert_eq!(located.step().name, "listing-21-03");
        let has = |page: &str| project.dir.join(page).is_file();
        assert_eq!(
            up_next(located.step(), has),
            UpNext::Step(find(next).unwrap()),
            "with the pages: {pages}"
        );
    }
}

#[test]
fn at_the_first_listing_a_browsers_spare_connection_is_a_note() {
    let verdicts = evaluate("21-01", &project_from("listing-21-01", true)).unwrap();
    let text = lines("21-01", &verdicts);
    assert!(check::passes(&verdicts), "{text}");
    assert!(
        text.contains(
            "ⓘ like the chapter's server, yours prints a line when a client opens a connection \
             and sends nothing"
        ),
        "{text}"
    );
    assert_eq!(
        check::summary(resolve("21-01").unwrap(), &verdicts),
        "Your project does what listing-21-01 does."
    );
}
