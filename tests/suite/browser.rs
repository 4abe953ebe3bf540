//! Listing 20-25 in a real browser: headless Chromium, where it is installed
//! (`.ci/run` installs Debian's `chromium`). The page must render, and the
//! test shows what a browser's extra connections do to a server that stops
//! after two: one visit is enough to use them both.

use std::path::Path;
use std::time::{Duration, Instant};

use companion::server::{Ending, Server};

const CHROMIUM: &str = "/usr/bin/chromium";

#[cfg(target_os = "linux")]
/// Load `url` in headless Chromium and return the DOM it rendered.
fn chromium_dump_dom(server: &Server, url: &str, profile: &Path) -> String {
    let mut command = server.client(CHROMIUM);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url);
    // Chromium leaves helper processes: kill its whole process group.
    let out =
        kit::linux::run_group_bounded(command, Duration::from_secs(60)).expect("running chromium");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Linux only: it drives Debian's Chromium, and kills its helpers as Linux
/// lets it. Not in a plain `cargo test`, which would need Chromium on every
/// machine: `.ci/run` runs it (and installs Chromium).
#[cfg(target_os = "linux")]
#[test]
#[ignore = "drives headless Chromium (apt-get install chromium): cargo test --test suite -- --ignored browser::"]
fn one_browser_visit_renders_the_page_and_uses_both_connections_listing_20_25() {
    visit_listing_20_25_in_chromium();
}

#[cfg(target_os = "linux")]
fn visit_listing_20_25_in_chromium() {
    if !Path::new(CHROMIUM).is_file() {
        kit::skip::cannot_run(
            "browser::one_browser_visit_renders_the_page_and_uses_both_connections_listing_20_25",
            "Chromium is not installed (apt-get install chromium)",
        );
        return;
    }
    let profile =
        companion::compile::root().join(format!("target/chromium-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();

    let server = kit::start("listing-20-25");
    let started = Instant::now();
    let dom = chromium_dump_dom(&server, "http://127.0.0.1:7878/", &profile);
    assert!(dom.contains("<title>Hello!</title>"), "{dom}");
    assert!(dom.contains("<h1>Hello!</h1>"), "{dom}");

    // Chromium opens a second connection along with the page: a request for
    // /favicon.ico, or a connection it opens ahead of time and closes
    // unused. Either way that is the server's second connection, so it shuts
    // down after this one visit: a reload finds nothing listening.
    let exited = server.wait_for_exit(Duration::from_secs(15));
    assert!(
        exited.is_some(),
        "the server still runs after one browser visit: it is gone after a single page load \
         only if the visit used both its connections"
    );
    let finished = server.finish();
    let jobs = finished.stdout.matches("got a job; executing.").count();
    assert_eq!(
        jobs, 2,
        "one visit opens two connections, the server's two:\n{}",
        finished.stdout
    );
    let _ = std::fs::remove_dir_all(&profile);

    // An unused connection has no request line, and listing 20-25's
    // handle_connection unwraps it: that worker panics, and at shutdown its
    // join().unwrap() panics the server too (exit status 101).
    let unused_second_connection = finished
        .stderr
        .contains("called `Option::unwrap()` on a `None` value");
    match finished.ending {
        Ending::Exited(0) => assert!(!unused_second_connection, "{}", finished.stderr),
        Ending::Exited(101) => assert!(unused_second_connection, "{}", finished.stderr),
        other => panic!("server ended with {other:?}: {}", finished.stderr),
    }
    kit::say_past_capture(&format!(
        "browser visit to listing 20-25 took {:?}; its second connection {}",
        started.elapsed(),
        if unused_second_connection {
            "carried no request: a worker panicked and the server exited with 101"
        } else {
            "carried a request: the server exited with 0"
        }
    ));
}
