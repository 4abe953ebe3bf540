//! The tour (`cargo run`), command by command, error paths included. `check`
//! is tested against projects made from our own stages, laid out as the
//! reader's `hello` project is.

use std::path::Path;
#[cfg(target_os = "linux")]
use std::path::PathBuf;
#[cfg(target_os = "linux")]
use std::sync::OnceLock;

use assert_cmd::Command;
use companion::compile::root;
use kit::projects::{fresh_dir, project_from};
use predicates::prelude::*;

/// The tour, with its progress kept in a file of this test's own.
fn tour(progress: &str) -> Command {
    let mut command = Command::cargo_bin("tour").unwrap();
    let dir = root().join("target/tour-tests");
    std::fs::create_dir_all(&dir).unwrap();
    command
        .current_dir(root())
        .env("CH20_PROGRESS", dir.join(progress))
        .env("NO_COLOR", "1")
        .timeout(tour_timeout());
    command
}

/// How long a tour command may take: its builds and servers, and, where
/// servers take turns on the real port, its turn behind every other server
/// of the suite (some five minutes of them).
fn tour_timeout() -> std::time::Duration {
    use companion::server::Network;
    std::time::Duration::from_secs(if Network::detect() == Network::Shared {
        900
    } else {
        180
    })
}

fn fresh_progress(name: &str) -> String {
    let file = root().join("target/tour-tests").join(name);
    let _ = std::fs::remove_file(&file);
    name.to_string()
}

#[test]
fn list_shows_every_step_with_its_outcome() {
    let out = tour(&fresh_progress("list")).arg("list").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for step in companion::registry::STEPS {
        let line = text
            .lines()
            .find(|l| {
                l.split_whitespace().nth(1) == Some(step.name)
                    || l.split_whitespace().nth(2) == Some(step.name)
            })
            .unwrap_or_else(|| panic!("{} is not listed:\n{text}", step.name));
        assert!(line.contains(step.title), "{line}");
    }
    assert!(text.contains("listing-20-22"));
    assert!(text.contains("fails by design (E0507)"));
    assert!(text.contains("warns"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("→") && l.contains("listing-20-01")),
        "{text}"
    );
}

#[test]
fn show_prints_the_code_and_the_diff_in_any_step_form() {
    for form in ["20-10", "10", "listing-20-10"] {
        tour("show")
            .args(["show", form, "--plain"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "── stages/listing-20-10/main.rs ──",
            ))
            .stdout(predicate::str::contains(
                "── what changed since listing-20-09 ──",
            ))
            .stdout(predicate::str::contains(
                "+        \"GET /sleep HTTP/1.1\" => {",
            ))
            .stdout(predicate::str::contains("\u{1b}[").not());
    }
}

#[test]
fn show_tells_where_a_stage_differs_from_the_book_and_why() {
    // Listing 20-7 as printed lost a `\`; the stage of listing 20-23 keeps
    // the `main` the text has there, not the book file's later one.
    let shown = |step: &str| {
        let out = tour("show-differences")
            .args(["show", step, "--plain"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let heading = "── where this differs from the book ──";
    let printed = shown("20-7");
    assert!(printed.contains(heading), "{printed}");
    assert!(
        printed.contains("lost the `\\` that continues"),
        "{printed}"
    );
    let ahead = shown("20-23");
    assert!(
        ahead.contains("already has listing 20-25's `main`"),
        "{ahead}"
    );
    // A step that is the book's own file says nothing of the kind.
    assert!(!shown("20-10").contains(heading));
}

#[test]
fn unknown_steps_get_one_sentence_and_a_failure() {
    for args in [
        &["show", "20-26"][..],
        &["run", "banana"],
        &["check", "99", "."],
    ] {
        tour("unknown")
            .args(args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::starts_with("error: there is no step `"))
            .stderr(predicate::str::contains("panicked").not())
            .stderr(predicate::function(|e: &str| e.lines().count() == 1));
    }
}

#[test]
fn run_of_a_failing_step_shows_the_real_compiler_error() {
    tour(&fresh_progress("run-fail"))
        .args(["run", "20-22"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "error[E0507]: cannot move out of `worker.thread`",
        ))
        .stderr(predicate::str::contains(
            "stages/listing-20-22/lib.rs:52:13",
        ))
        .stdout(predicate::str::contains(
            "listing-20-22 does not compile, on purpose (E0507)",
        ));
}

#[test]
fn run_of_a_server_step_shows_the_pinned_session_and_records_progress() {
    let progress = fresh_progress("run-server");
    // A server step without the 5-second `/sleep`: any server step makes
    // the point, and the suite's time hangs on those sleeps.
    let out = tour(&progress).args(["run", "20-9"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let snapshot = kit::read_repo("snapshots/listing-20-09.session.snap");
    let (_, pinned) = kit::split_snapshot(&snapshot);
    assert!(
        text.ends_with(pinned),
        "the tour's session is not the pinned one:\n{text}"
    );
    tour(&progress)
        .arg("next")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "You are at listing-20-09 (Listing 20-9), which you ran.",
        ))
        .stdout(predicate::str::contains("Next: listing-20-10"));
}

#[test]
fn next_offers_the_first_step_of_either_chapter_then_follows_the_readers() {
    let progress = fresh_progress("next");
    tour(&progress)
        .assert()
        .success()
        .stdout(predicate::str::contains("You have not started yet."))
        .stdout(predicate::str::contains("Next: listing-20-01"))
        .stdout(predicate::str::contains("cargo run -- check 20-1 ../hello"))
        .stdout(predicate::str::contains("Next: listing-21-01"))
        .stdout(predicate::str::contains("cargo run -- check 21-1 ../hello"));
    // A reader who went back to chapter 20 after a step of chapter 21
    // follows chapter 20 again.
    let file = root().join("target/tour-tests").join(&progress);
    std::fs::write(&file, "ran listing-21-05\nran listing-20-03\n").unwrap();
    tour(&progress)
        .assert()
        .success()
        .stdout(predicate::str::contains("You are at listing-20-03"))
        .stdout(predicate::str::contains("Next: listing-20-04"));
}

fn check(step: &str, project: &Path) -> assert_cmd::assert::Assert {
    tour(&fresh_progress(&format!("check-{step}")))
        .arg("check")
        .arg(step)
        .arg(project)
        .assert()
}

#[test]
fn check_passes_a_project_that_is_the_step() {
    let project = project_from("listing-20-20", true);
    check("20-20", &project)
        .success()
        .stdout(predicate::str::contains(
            "✓ GET /: HTTP/1.1 200 OK with your hello.html",
        ))
        .stdout(predicate::str::contains(
            "✓ `/` does not wait behind `/sleep`",
        ))
        .stdout(predicate::str::contains(
            "Your project does what listing-20-20 does.",
        ));
}

#[test]
fn check_shows_the_compiler_output_of_a_project_that_does_not_build() {
    let project = project_from("listing-20-12", true);
    check("20-12", &project).success();
    check("20-11", &project)
        .code(1)
        .stderr(predicate::str::contains("error[E0433]"))
        .stderr(predicate::str::contains(
            "does not build (the compiler's output is above)",
        ));
}

/// Linux only: the test makes a network of its own for the tour.
#[cfg(target_os = "linux")]
#[test]
fn run_with_the_port_in_use_says_what_holds_it() {
    if companion::linux::can_isolate() {
        // Both ways of finding the holder: the Linux module's, and the portable
        // path's socket table (CH20_HARNESS=portable).
        for harness in ["linux", "portable"] {
            port_in_use_in_a_private_network(harness);
        }
        return;
    }
    kit::skip::cannot_run(
        "tour::run_with_the_port_in_use_says_what_holds_it",
        "it needs a network namespace of its own",
    );
}

/// A port lock of a test's own, for a tour whose network is private to
/// that test: other servers taking turns on the real port do not concern it.
#[cfg(target_os = "linux")]
fn private_port_lock(test: &str) -> PathBuf {
    root().join(format!("target/tour-tests/{test}.port.lock"))
}

/// A private network for a thread stands in for the machine's, with 7878
/// taken by a server the reader left running (`kit::PortHolder`); the
/// tour, started from that thread, is told to use it.
#[cfg(target_os = "linux")]
fn port_in_use_in_a_private_network(harness: &'static str) {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        tour("port").args(["show", "20-1"]).assert().success();
    });
    std::thread::spawn(move || {
        kit::linux::private_network_for_this_thread().expect("a private network");
        let holder = kit::PortHolder::start();
        tour(&fresh_progress("port"))
            .env("CH20_NETWORK", "shared")
            .env("CH20_HARNESS", harness)
            // Its network is its own: it need not wait for other servers.
            .env("CH20_PORT_LOCK", private_port_lock("port"))
            .args(["run", "20-1"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "error: 127.0.0.1:7878 is already in use by listing-20-01 (pid {})",
                holder.pid()
            )));
    })
    .join()
    .unwrap_or_else(|_| panic!("with the {harness} harness"));
}

/// Linux only: the test makes a network of its own for the tour.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_the_server_the_tour_started() {
    if companion::linux::can_isolate() {
        interrupt_the_tour_mid_session();
        return;
    }
    kit::skip::cannot_run(
        "tour::ctrl_c_stops_the_server_the_tour_started",
        "it needs a network namespace of its own",
    );
}

/// In a private network, the tour runs listing 20-10 on the portable path
/// (where no PR_SET_PDEATHSIG would stop the server for it) and gets SIGINT
/// while the session waits on /sleep. The tour alone gets the signal, not
/// its process group, as when it is sent with `kill`: what stops the server
/// is the tour's own handler.
#[cfg(target_os = "linux")]
fn interrupt_the_tour_mid_session() {
    use std::process::Stdio;
    use std::time::Duration;
    std::thread::spawn(|| {
        kit::linux::private_network_for_this_thread().expect("a private network");
        let mut tour = std::process::Command::new(env!("CARGO_BIN_EXE_tour"))
            .current_dir(root())
            .env(
                "CH20_PROGRESS",
                root()
                    .join("target/tour-tests")
                    .join(fresh_progress("ctrl-c")),
            )
            .env("CH20_NETWORK", "shared")
            .env("CH20_HARNESS", "portable")
            .env("CH20_PORT_LOCK", private_port_lock("ctrl-c"))
            .args(["run", "20-10"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting the tour");
        let mut server = None;
        kit::wait_until(Duration::from_secs(120), || {
            server = companion::linux::port_holder()
                .filter(|(name, _)| name == "listing-20-10")
                .map(|(_, pid)| pid);
            server.is_some()
        });
        let Some(server) = server else {
            let _ = tour.kill();
            panic!("the tour's listing 20-10 never listened");
        };
        let interrupted = std::process::Command::new("kill")
            .args(["-INT", &tour.id().to_string()])
            .status()
            .expect("running kill");
        assert!(interrupted.success());
        let status = tour.wait().expect("waiting for the tour");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut tour.stderr.take().unwrap(), &mut stderr).unwrap();
        let gone = kit::linux::is_gone(server);
        if !gone {
            // Leave nothing behind, even when the claim fails.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &server.to_string()])
                .status();
        }
        assert!(
            gone,
            "the server (pid {server}) outlived the interrupted tour"
        );
        assert_eq!(status.code(), Some(130), "{stderr}");
        assert!(
            stderr.contains("interrupted: every server the tour started is stopped"),
            "{stderr}"
        );
    })
    .join()
    .unwrap();
}

#[test]
fn list_shows_chapter_21_under_its_own_headings() {
    let out = tour(&fresh_progress("list-21"))
        .arg("list")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let main_line = text
        .find("Building a Single-Threaded Web Server")
        .expect("the main line's first heading");
    let chapter_21 = text
        .find("today's edition (chapter 21, Rust 2024): Building a Single-Threaded Web Server")
        .expect("chapter 21's first heading");
    assert!(main_line < chapter_21, "the main line comes first:\n{text}");
    assert!(text.contains(
        "today's edition (chapter 21, Rust 2024): From a Single-Threaded to a Multithreaded Server"
    ));
}

#[test]
fn run_of_listing_21_22_shows_its_e0507_where_the_book_does() {
    tour(&fresh_progress("run-21-22"))
        .args(["run", "21-22"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "error[E0507]: cannot move out of `worker.thread`",
        ))
        .stderr(predicate::str::contains(
            "stages/listing-21-22/lib.rs:52:13",
        ))
        .stdout(predicate::str::contains(
            "listing-21-22 does not compile, on purpose (E0507)",
        ));
}

#[test]
fn next_stays_within_chapter_21() {
    let progress = fresh_progress("next-21");
    let file = root().join("target/tour-tests").join(&progress);
    std::fs::write(&file, "ran listing-21-24\n").unwrap();
    tour(&progress)
        .arg("next")
        .assert()
        .success()
        .stdout(predicate::str::contains("Next: listing-21-25"))
        .stdout(predicate::str::contains(
            "cargo run -- check 21-25 ../hello",
        ));
    // At its last listing, or at the full code printed after it, the
    // chapter is finished, and the exercises come next.
    for last in ["listing-21-25", "no-listing-07-final-code-2024"] {
        std::fs::write(&file, format!("checked {last}\n")).unwrap();
        tour(&progress)
            .arg("next")
            .assert()
            .success()
            .stdout(predicate::str::contains("You have finished the chapter."))
            .stdout(predicate::str::contains(
                "Next: beyond-01-build-returns-result",
            ));
    }
    let last = companion::registry::STEPS.last().unwrap();
    std::fs::write(&file, format!("ran {}\n", last.name)).unwrap();
    tour(&progress)
        .arg("next")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "That was the last of the worked exercises.",
        ));
}

#[test]
fn start_writes_every_step_s_project_and_never_over_one() {
    use companion::registry::STEPS;
    let base = fresh_dir("every-step");
    for step in STEPS {
        let dir = base.join(step.name);
        tour(&fresh_progress("start"))
            .args(["start", step.name])
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "is at {}: {}",
                step.label(),
                step.title
            )));
        for (rel, contents) in companion::reader::scaffold::files(step).unwrap() {
            let written = std::fs::read_to_string(dir.join(rel)).unwrap();
            if rel == "Cargo.toml" {
                // Inside this repository's workspace, a workspace of its own.
                assert_eq!(
                    written,
                    format!("{contents}\n[workspace]\n"),
                    "{}",
                    step.name
                );
            } else {
                assert_eq!(written, contents, "{} {rel}", step.name);
            }
        }
    }

    // Never over a project; with --force, the tour's files only, said first.
    let dir = base.join("listing-20-20");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("src/main.rs"), "fn main() {} // mine").unwrap();
    tour(&fresh_progress("start"))
        .args(["start", "20-10"])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already has a project (Cargo.toml, src/main.rs, src/lib.rs, hello.html, 404.html): `start` never overwrites one; add --force"))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
    assert_eq!(
        std::fs::read_to_string(dir.join("src/main.rs")).unwrap(),
        "fn main() {} // mine"
    );
    tour(&fresh_progress("start"))
        .args(["start", "20-10", "--force"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("Replacing in"))
        .stdout(predicate::str::contains("  src/main.rs\n"))
        .stdout(predicate::str::contains(
            "  src/lib.rs (removed: listing-20-10 has none)\n",
        ));
    assert!(!dir.join("src/lib.rs").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    // A folder with files of its own only is no place for one either.
    let other = fresh_dir("not-empty");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    tour(&fresh_progress("start"))
        .args(["start", "20-10"])
        .arg(&other)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "already has a project (files of its own)",
        ));
}

/// `check <dir>`: the step found, why, and the check against it.
fn check_found(project: &Path) -> assert_cmd::assert::Assert {
    tour(&fresh_progress("check-found"))
        .arg("check")
        .arg(project)
        .assert()
}

#[test]
fn check_without_a_step_finds_it_says_why_and_checks_it() {
    check_found(&project_from("listing-20-05", true))
        .success()
        .stdout(predicate::str::contains(
            "Your project is at listing 20-5: ",
        ))
        .stdout(predicate::str::contains(
            "  its code is that step's, once comments, layout and the names you chose are set aside\n",
        ))
        .stdout(predicate::str::contains("  it builds, as listing-20-05 does\n"))
        .stdout(predicate::str::contains(
            "Your project does what listing-20-05 does.",
        ));
}

/// `watch` off a terminal: one report, and another after a file changes;
/// interrupted, it leaves no server running.
#[cfg(unix)]
#[test]
fn watch_reports_again_after_a_file_changes() {
    use std::io::Read;
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    let dir = fresh_dir("watched");
    companion::reader::scaffold::write(companion::registry::find("listing-20-05").unwrap(), &dir)
        .unwrap();
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_tour"))
        .current_dir(root())
        .env(
            "CH20_PROGRESS",
            root()
                .join("target/tour-tests")
                .join(fresh_progress("watch")),
        )
        .env("NO_COLOR", "1")
        .arg("watch")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    let mut stdout = watch.stdout.take().unwrap();
    let reader = {
        let seen = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = stdout.read(&mut buf) {
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let reports = || seen.lock().unwrap().matches("=== end of check ===").count();
    let first = kit::wait_until(tour_timeout(), || reports() >= 1);
    let step_six = companion::registry::find("listing-20-06").unwrap();
    if first {
        companion::reader::scaffold::write(step_six, &dir).unwrap();
    }
    let second = first && kit::wait_until(tour_timeout(), || reports() >= 2);
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &watch.id().to_string()])
        .status()
        .unwrap();
    let status = watch.wait().unwrap();
    reader.join().unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(first && second, "{seen}");
    let (one, two) = seen.split_once("=== check 2 of").unwrap();
    assert!(one.contains("Your project is at listing 20-5: "), "{one}");
    assert!(
        one.contains("Your project does what listing-20-05 does."),
        "{one}"
    );
    assert!(one.contains("Next: Listing 20-6: "), "{one}");
    assert!(two.contains("Your project is at listing 20-6: "), "{two}");
    assert!(
        two.contains("Your project does what listing-20-06 does."),
        "{two}"
    );
    assert!(interrupted.success());
    assert_eq!(status.code(), Some(130));
    // The reader's server is the project's `hello`: none is left.
    std::thread::sleep(Duration::from_millis(100));
    #[cfg(target_os = "linux")]
    {
        let exe = dir.join("target/debug/hello");
        let left: Vec<String> = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter(|p| std::fs::read_link(p.path().join("exe")).is_ok_and(|e| e == exe))
            .map(|p| p.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.is_empty(), "servers left running: {left:?}");
    }
}

/// `check --format json`: one document on stdout, read back as JSON.
fn check_json(args: &[&str]) -> (serde_json::Value, Option<i32>) {
    let out = tour(&fresh_progress("check-json"))
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (doc, out.status.code())
}

#[test]
fn check_as_json_is_one_document_with_each_verdicts_value_and_words() {
    let dir = kit::projects::edited_project(
        "json-no-content-length",
        "listing-21-05",
        &["src/main.rs"],
        |main| main.replace("\\r\\nContent-Length: {length}\\r\\n\\r\\n", "\\r\\n\\r\\n"),
    );
    let (doc, code) = check_json(&["21-05", dir.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["step"]["name"], "listing-21-05");
    assert_eq!(doc["step"]["chapter"], 21);
    assert_eq!(doc["passed"], false);
    assert_eq!(
        doc["summary"],
        "1 of 4 behaviours differ from listing-21-05."
    );
    let verdicts = doc["verdicts"].as_array().unwrap();
    assert_eq!(verdicts[0]["behaviour"], "replies");
    assert_eq!(verdicts[0]["status"], "holds");
    assert_eq!(
        verdicts[0]["words"],
        "GET /: HTTP/1.1 200 OK with your hello.html"
    );
    let framing = verdicts
        .iter()
        .find(|v| v["status"] == "fails")
        .expect("a failing verdict");
    assert_eq!(framing["behaviour"], "framing");
    assert_eq!(framing["finding"]["cause"], "framed");
    assert_eq!(
        framing["finding"]["faults"][0]["fault"],
        "no-content-length"
    );
    assert_eq!(framing["finding"]["faults"][0]["chapters"], "176");
    assert_eq!(framing["reproduce"]["with"], "nc");
    assert!(framing["command"]
        .as_str()
        .unwrap()
        .ends_with("| nc 127.0.0.1 7878"));
    assert_eq!(framing["see"]["listing"]["step"], "listing-21-05");
    assert_eq!(framing["see"]["heading"], "Returning Real HTML");
    assert_eq!(
        framing["where"],
        "listing 21-5, under “Returning Real HTML”"
    );
    assert_eq!(
        framing["seen"]["received"],
        "HTTP/1.1 200 OK\r\n\r\n".to_string()
            + &std::fs::read_to_string(dir.join("hello.html")).unwrap()
    );
    assert!(framing["evidence"].as_array().unwrap().len() >= 3);
}

#[test]
fn check_as_json_carries_the_error_and_where_the_step_was_found() {
    let project = project_from("listing-20-12", true);
    let (doc, code) = check_json(&["20-11", project.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["passed"], false);
    assert!(doc["verdicts"].is_null());
    assert!(doc["error"]
        .as_str()
        .unwrap()
        .ends_with("it fails with E0433, the error the chapter shows at listing-20-12"));
    assert!(doc["compiler_output"]
        .as_str()
        .unwrap()
        .contains("error[E0433]"));
    // Without a step: where it was found, and why.
    let (doc, code) = check_json(&[project_from("listing-20-05", true).to_str().unwrap()]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["passed"], true);
    assert_eq!(
        doc["located"][0],
        "Your project is at listing 20-5: Send hello.html as the body, with a Content-Length header"
    );
}
