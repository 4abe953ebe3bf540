//! What the benchmark does with what a user can get wrong: one sentence
//! and exit status 1 each, and no server or load generator left running.
//!
//! They take the real 127.0.0.1:7878 in turn (one test at a time, through
//! `PORT`). The server that dies needs oha: `.ci/run` runs the quick
//! benchmark first, which installs it when missing.

use std::net::TcpListener;
#[cfg(unix)]
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin_cmd;

static PORT: Mutex<()> = Mutex::new(());

fn bench() -> (std::sync::MutexGuard<'static, ()>, assert_cmd::Command) {
    let guard = PORT.lock().unwrap_or_else(|e| e.into_inner());
    (guard, cargo_bin_cmd!("bench"))
}

/// What the benchmark printed on stderr: exactly one line, which starts
/// with `bench: ` and is returned without it.
fn one_sentence(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("bench: building"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    lines[0]
        .strip_prefix("bench: ")
        .unwrap_or_else(|| panic!("{stderr}"))
        .to_string()
}

#[test]
fn an_unknown_server_is_named_with_the_names_there_are() {
    let (_port, mut bench) = bench();
    let output = bench
        .args(["--quick", "--servers", "20-20,20-99"])
        .output()
        .unwrap();
    let said = one_sentence(&output);
    assert!(said.starts_with("there is no step `20-99`"), "{said}");
    assert!(said.contains("cargo run -- list"), "{said}");
}

#[test]
fn a_step_that_is_no_server_is_refused() {
    let (_port, mut bench) = bench();
    let output = bench
        .args(["--quick", "--servers", "20-4"])
        .output()
        .unwrap();
    assert_eq!(
        one_sentence(&output),
        "listing-20-04 is not a server the benchmark can load"
    );
}

#[test]
fn a_port_in_use_is_said_with_its_holder() {
    let (_port, mut bench) = bench();
    // Whoever holds it (this test, or a reader's server), it is in use.
    let _held = TcpListener::bind("127.0.0.1:7878");
    let output = bench
        .args(["--quick", "--servers", "20-20"])
        .output()
        .unwrap();
    let said = one_sentence(&output);
    assert!(
        said.starts_with("127.0.0.1:7878 is already in use by "),
        "{said}"
    );
    assert!(
        said.ends_with("stop that server (ctrl-C in its terminal) and try again"),
        "{said}"
    );
}

#[test]
fn an_oha_that_does_not_run_is_said() {
    let (_port, mut bench) = bench();
    let output = bench
        .args(["--quick", "--servers", "20-20"])
        .env("OHA", "/no/such/oha")
        .output()
        .unwrap();
    assert_eq!(
        one_sentence(&output),
        "OHA is set to /no/such/oha, which does not run as oha (`--version` failed)"
    );
}

#[test]
fn an_oha_that_cannot_be_installed_is_said() {
    let (_port, mut bench) = bench();
    let empty = std::env::temp_dir().join(format!("bench-no-tools-{}", std::process::id()));
    let output = bench
        .args(["--quick", "--servers", "20-20"])
        .env_remove("OHA")
        // No oha on the PATH, none installed in this target folder, and no
        // cargo to install one with.
        .env("PATH", "")
        .env("CARGO_TARGET_DIR", &empty)
        .env("CARGO", "/no/such/cargo")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&empty);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(
            "bench: oha, the load generator, is not installed and cargo could not be run to install it"
        ),
        "{stderr}"
    );
    assert!(
        last.ends_with("install it (`cargo install oha`) or set OHA to its path, and run again")
    );
}

#[test]
fn a_server_that_dies_during_the_load_is_said_with_its_panic() {
    let (_port, mut bench) = bench();
    // Listing 20-19's workers end at once, and its `main` panics on the
    // first connection it cannot hand over.
    let output = bench
        .args(["--quick", "--servers", "20-19"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.contains("bench: listing-20-19 died during the load (exit status: 101); it said: "),
        "{stderr}"
    );
    assert!(
        last.contains("panicked at stages/listing-20-19/"),
        "{stderr}"
    );
    port_is_free_again();
}

/// ctrl-C (SIGINT) in the middle of a load: exit 130, and neither the
/// server nor oha outlives the benchmark.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_the_load() {
    let (_port, bench) = bench();
    let bench = bench.get_program().to_owned();
    let mut child = Command::new(bench)
        .args(["--servers", "20-20"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first load to be under way.
    let stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut stderr = stderr;
        let mut buf = [0; 256];
        let mut all = String::new();
        while let Ok(n @ 1..) = stderr.read(&mut buf) {
            all.push_str(&String::from_utf8_lossy(&buf[..n]));
            if all.contains("clients ...") {
                break;
            }
        }
        all
    });
    seen.push_str(&reader.join().unwrap());
    assert!(seen.contains("listing-20-20"), "{seen}");
    std::thread::sleep(Duration::from_millis(300));
    let loads = processes_with("--disable-keepalive");
    assert!(!loads.is_empty(), "oha should be loading the server now");
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    port_is_free_again();
    for pid in loads {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
                || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .is_ok_and(|stat| stat.contains(") Z")),
            "oha ({pid}) outlived the benchmark"
        );
    }
}

/// The pids of the processes whose command line contains `arg` (Linux's
/// /proc; none elsewhere).
#[cfg(unix)]
fn processes_with(arg: &str) -> Vec<u32> {
    let Ok(all) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    all.flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(arg))
        })
        .collect()
}

/// The server the benchmark started is gone: 127.0.0.1:7878 can be bound
/// (within a second, for the OS to let go of it).
fn port_is_free_again() {
    let deadline = Instant::now() + Duration::from_secs(1);
    while let Err(e) = TcpListener::bind("127.0.0.1:7878") {
        assert!(
            Instant::now() < deadline,
            "127.0.0.1:7878 is still taken: {e}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
