//! The check of a reader's project (`companion::check`), through the
//! library: each verdict the tour shows, made against projects laid out as
//! a reader's, typed as the book has them, typed by hand, and with the
//! mistakes readers make. The tour's own tests (`tour.rs`) only check that
//! the CLI shows them.

use std::path::Path;

use companion::check::{self, Verdict};
use companion::reader::Project;
use companion::registry::resolve;
use companion::Error;
use kit::projects::{edited_project, project_from};

/// The verdicts of `check <step> <project>`.
fn evaluate(step: &str, project: &Path) -> Result<Vec<Verdict>, Error> {
    check::evaluate(resolve(step).unwrap(), &Project::open(project).unwrap())
}

/// The verdicts' texts, each with ✓ or ✗, one a line.
fn lines(verdicts: &[Verdict]) -> String {
    verdicts
        .iter()
        .map(|v| {
            let mark = match (v.note, v.holds) {
                (true, _) => "ⓘ",
                (false, true) => "✓",
                (false, false) => "✗",
            };
            format!("{mark} {}\n", v.text)
        })
        .collect()
}

#[test]
fn a_project_that_is_the_step_does_what_it_does() {
    let verdicts = evaluate("20-20", &project_from("listing-20-20", true)).unwrap();
    let text = lines(&verdicts);
    assert!(verdicts.iter().all(|v| v.holds), "{text}");
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
    // nothing of it.
    assert!(verdicts.iter().all(|v| !v.note), "{text}");
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
    assert!(verdicts.iter().all(|v| v.holds), "{}", lines(&verdicts));
    assert!(lines(&verdicts).contains("✓ `/` does not wait behind `/sleep`"));
}

#[test]
fn a_while_let_pool_is_told_it_serialises_jobs() {
    let verdicts = evaluate("20-20", &project_from("listing-20-21", true)).unwrap();
    let text = lines(&verdicts);
    assert!(
        text.contains("✗ `/` still waits behind `/sleep`: your pool serialises jobs"),
        "{text}"
    );
    assert!(text.contains("see listing 20-21"), "{text}");
    assert_eq!(
        check::summary(resolve("20-20").unwrap(), &verdicts),
        "1 of 6 behaviours differ from listing-20-20."
    );
}

#[test]
fn a_failing_step_wants_the_same_error_codes() {
    let project = project_from("listing-20-22", true);
    let verdicts = evaluate("20-22", &project).unwrap();
    assert_eq!(
        lines(&verdicts),
        "✓ your project fails to compile with E0507, as the chapter's does at this step\n"
    );
    assert_eq!(verdicts[0].shown, None);
    let verdicts = evaluate("no-listing-04", &project).unwrap();
    assert!(
        verdicts[0]
            .text
            .contains("yours: it fails with E0507, the error the chapter shows at listing-20-22"),
        "{}",
        verdicts[0].text
    );
    let shown = verdicts[0].shown.as_deref().unwrap_or_default();
    assert!(
        shown.contains("E0507"),
        "the compiler's output goes with it: {shown}"
    );
}

#[test]
fn a_missing_page_is_one_sentence_naming_its_listing() {
    let error = evaluate("20-05", &project_from("listing-20-05", false)).unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("hello.html is missing from "), "{text}");
    assert!(
        text.ends_with("it is listing 20-4: `cargo run -- show 20-4`)"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1);
    // A chapter-21 reader is sent to chapter 21's listing.
    let error = evaluate("21-05", &project_from("listing-20-05", false)).unwrap_err();
    assert!(error
        .to_string()
        .ends_with("it is listing 21-4: `cargo run -- show 21-4`)"));
}

#[test]
fn a_project_that_does_not_build_gives_the_compiler_output_and_why() {
    let project = project_from("listing-20-12", true);
    assert!(evaluate("20-12", &project).unwrap()[0].holds);
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
fn a_server_on_another_port_is_told_which() {
    let dir = edited_project("other-port", "listing-20-05", &["src/main.rs"], |main| {
        main.replace("7878", "7879")
    });
    let verdicts = evaluate("20-05", &dir).unwrap();
    assert_eq!(verdicts.len(), 1);
    assert!(verdicts[0]
        .text
        .starts_with("your server listens on port 7879, not on 127.0.0.1:7878"));
}

#[test]
fn a_server_that_never_answers_is_told_so_within_seconds() {
    // Listing 20-3 reading lines to the end of a request that never ends.
    let dir = edited_project("never-answers", "listing-20-03", &["src/main.rs"], |main| {
        main.lines()
            .filter(|l| !l.contains("take_while"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    // Built first, the project and the step, so that only the check is
    // timed.
    Project::open(&dir).unwrap().build().unwrap();
    companion::compile::build_stage(resolve("20-03").unwrap()).unwrap();
    let started = std::time::Instant::now();
    let verdicts = evaluate("20-03", &dir).unwrap();
    let text = lines(&verdicts);
    assert_eq!(verdicts.len(), 1, "{text}");
    assert!(
        text.starts_with(
            "✗ your server takes connections and never lets go of them: no request got a byte \
             back within 3 s"
        ),
        "{text}"
    );
    assert!(!text.contains("one connection at a time"), "{text}");
    // Its first request waits 3 s and the rest of its session is skipped:
    // told well before a second request's time would have run out too.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
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
        lines(&verdicts),
        "✓ `cargo run -- stages` prints what beyond-05-pool-for-other-work prints\n\
         ✓ it ends as beyond-05-pool-for-other-work does (exit status: 0)\n"
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
    assert!(verdicts.iter().all(|v| v.holds), "{}", lines(&verdicts));
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
    assert!(verdicts.iter().all(|v| v.holds), "{}", lines(verdicts));
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
                            Ok((true, verdicts)) if verdicts.iter().all(|v| v.holds) => {}
                            Ok((found, verdicts)) => failures.push(format!(
                                "{}: found as itself: {found}\n{}",
                                step.name,
                                lines(&verdicts)
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
    assert!(verdicts.iter().all(|v| v.holds), "{}", lines(verdicts));
    assert!(
        verdicts
            .iter()
            .any(|v| v.note && v.text.contains("counts it as one of its two connections")),
        "{}",
        lines(verdicts)
    );
    assert_eq!(
        report.up_next,
        UpNext::Finished {
            exercises: find("beyond-01-build-returns-result").unwrap()
        }
    );
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

/// A reader's project at `step` with `edit` made to its `src/main.rs` (or
/// `src/lib.rs`), typed as readers type: comments and names of their own.
/// Its verdicts, and how long the check took once the project was built.
fn mistake(
    test: &str,
    step: &str,
    file: &str,
    edit: impl Fn(&str) -> String,
) -> (Vec<Verdict>, std::time::Duration) {
    let dir = edited_project(test, step, &[file], |text| {
        edit(text)
            .replacen(
                "fn handle_connection(",
                "// my handler\nfn handle_connection(",
                1,
            )
            .replace("contents", "page")
    });
    let project = Project::open(&dir).unwrap();
    // Built first, the project and the step, so that only the check is
    // timed (in a fresh clone the step waits for the build of every stage).
    project.build().unwrap();
    companion::compile::build_stage(resolve(step).unwrap()).unwrap();
    let started = std::time::Instant::now();
    let verdicts = check::evaluate(resolve(step).unwrap(), &project).unwrap();
    (verdicts, started.elapsed())
}

/// The one verdict that fails, of `verdicts`.
fn the_failure(verdicts: &[Verdict]) -> &str {
    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| !v.holds).collect();
    assert_eq!(failed.len(), 1, "{}", lines(verdicts));
    &failed[0].text
}

#[test]
fn a_response_without_content_length_is_told_what_the_chapter_sends() {
    let (verdicts, took) = mistake(
        "no-content-length",
        "listing-21-05",
        "src/main.rs",
        |main| main.replace("\\r\\nContent-Length: {length}\\r\\n\\r\\n", "\\r\\n\\r\\n"),
    );
    let failure = the_failure(&verdicts);
    assert!(
        failure.ends_with(
            "; but it sends no Content-Length header: the chapter's server sends \
             `Content-Length: 176`, the body's length in bytes, so that a client knows where the \
             body ends"
        ),
        "{failure}"
    );
    // No /sleep at this step: the verdict comes within seconds of the build.
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_content_length_five_bytes_too_long_is_told_what_a_client_does() {
    let (verdicts, _) = mistake(
        "content-length-long",
        "listing-20-05",
        "src/main.rs",
        |main| {
            main.replace(
                "let length = contents.len();",
                "let length = contents.len() + 5;",
            )
        },
    );
    let failure = the_failure(&verdicts);
    assert!(
        failure.contains(
            "its Content-Length says 181 where its body has 176 bytes: a client waits for 5 more \
             that never come"
        ),
        "{failure}"
    );
}

#[test]
fn bare_line_feeds_and_a_missing_empty_line_are_told_in_words() {
    let (verdicts, _) = mistake("bare-line-feeds", "listing-21-05", "src/main.rs", |main| {
        main.replace("\\r\\n", "\\n")
    });
    assert!(
        the_failure(&verdicts).contains("its lines end in `\\n` alone, where HTTP wants `\\r\\n`"),
        "{}",
        lines(&verdicts)
    );
    let (verdicts, _) = mistake("no-empty-line", "listing-21-05", "src/main.rs", |main| {
        main.replace("{length}\\r\\n\\r\\n{contents}", "{length}\\r\\n{contents}")
    });
    // Its pages are not found where no empty line starts them either.
    let text = lines(&verdicts);
    assert!(
        text.contains(
            "✗ GET /: HTTP/1.1 200 OK with your hello.html; yours: HTTP/1.1 200 OK with no empty \
             line after its headers\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("; but no empty line ends its headers"),
        "{text}"
    );
}

#[test]
fn a_shutdown_that_hangs_is_diagnosed_within_seconds() {
    // Listing 21-25 without the line of 21-23 that closes the channel.
    let (verdicts, took) = mistake("shutdown-hangs", "listing-21-25", "src/lib.rs", |lib| {
        lib.replace("        drop(self.sender.take());\n", "")
    });
    let text = lines(&verdicts);
    assert!(
        text.contains(
            "✗ the server shuts down by itself after two connections; yours printed `Shutting \
             down worker 0` and then nothing: its drop is joining worker 0, which still waits \
             for a job, because the channel is still open (its sender was never dropped). \
             Listing 21-23 drops the sender before the joins"
        ),
        "{text}"
    );
    // Its /sleep (5 s) and two seconds to exit, with a wide margin.
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}

/// The verdicts on a reader's server at listing 21-5 with `edit` made to
/// its `src/main.rs`, and how long the check took after the build.
fn server_mistake(
    test: &str,
    edit: impl Fn(&str) -> String,
) -> (Vec<Verdict>, std::time::Duration) {
    mistake(test, "listing-21-05", "src/main.rs", edit)
}

#[test]
fn a_server_that_never_listens_is_told_so_in_seconds() {
    let (verdicts, took) = server_mistake("never-listens", |main| {
        main.replacen(
            "fn main() {\n",
            "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(60));\n",
            1,
        )
    });
    assert_eq!(verdicts.len(), 1, "{}", lines(&verdicts));
    assert!(
        verdicts[0].text.starts_with(
            "your server runs, but did not listen on 127.0.0.1:7878 within 3 s: the chapter's \
             binds it first thing"
        ),
        "{}",
        verdicts[0].text
    );
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_server_that_exits_at_once_is_told_what_it_said() {
    // A port number one digit too long.
    let (verdicts, _) = server_mistake("exits-at-once", |main| main.replace("7878", "78787"));
    assert_eq!(verdicts.len(), 1, "{}", lines(&verdicts));
    let text = &verdicts[0].text;
    assert!(
        text.starts_with("your server exited (exit status: 101) before it listened on 127.0.0.1:7878, where the chapter's keeps serving; it said:"),
        "{text}"
    );
    assert!(text.contains("invalid port value"), "{text}");
}

#[test]
fn a_server_that_listens_then_exits_is_told_so() {
    let (verdicts, _) = server_mistake("listens-then-exits", |main| {
        main.replace("listener.incoming()", "listener.incoming().take(1)")
    });
    let text = lines(&verdicts);
    assert!(
        text.contains("✓ GET /: HTTP/1.1 200 OK with your hello.html\n"),
        "{text}"
    );
    // The second request finds it gone, or going.
    assert!(
        text.contains(
            "✗ GET /does-not-exist: HTTP/1.1 200 OK with your hello.html; yours: refused (nothing \
             listens any more)"
        ) || text.contains(
            "✗ GET /does-not-exist: HTTP/1.1 200 OK with your hello.html; yours: no response (the \
             server closes the connection)"
        ),
        "{text}"
    );
    assert!(
        text.contains("✗ the server keeps serving until it is stopped; yours exited by itself (exit status: 0)"),
        "{text}"
    );
}

#[test]
fn a_server_that_prints_without_end_is_told_how_much_and_the_tour_keeps_little() {
    let (verdicts, took) = server_mistake("prints-without-end", |main| {
        main.replacen(
            "fn handle_connection(mut stream: TcpStream) {\n",
            "fn handle_connection(mut stream: TcpStream) {\n    loop {\n        println!(\"got a connection\");\n    }\n",
            1,
        )
    });
    assert_eq!(verdicts.len(), 1, "{}", lines(&verdicts));
    let text = &verdicts[0].text;
    assert!(text.starts_with("your server printed "), "{text}");
    assert!(
        // Past 16 MiB it is no longer read ("more than ... (the check
        // stopped reading it there)"); a slow machine may not get there.
        text.ends_with(
            ", where the chapter's prints 0 lines in its whole session: does something print in \
             a loop that never ends?"
        ),
        "{text}"
    );
    assert!(took < std::time::Duration::from_secs(15), "{took:?}");
}

#[test]
fn a_server_that_spawns_threads_without_end_is_stopped_by_its_memory_cap() {
    if companion::server::portable_only() {
        kit::say_past_capture(
            "skipping the thread-spawning server: only Linux caps a reader's server's memory",
        );
        return;
    }
    let (verdicts, _) = server_mistake("spawns-without-end", |main| {
        main.replacen(
            "fn main() {\n",
            "fn main() {\n    loop {\n        std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_secs(60)));\n    }\n",
            1,
        )
    });
    assert_eq!(verdicts.len(), 1, "{}", lines(&verdicts));
    let text = &verdicts[0].text;
    assert!(text.starts_with("your server exited ("), "{text}");
    assert!(text.contains("failed to spawn thread"), "{text}");
}

#[test]
fn at_the_first_listing_a_browsers_spare_connection_is_a_note() {
    let verdicts = evaluate("21-01", &project_from("listing-21-01", true)).unwrap();
    let text = lines(&verdicts);
    assert!(verdicts.iter().all(|v| v.holds), "{text}");
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
