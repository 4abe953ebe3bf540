//! Every command a page of the walkthrough tells a reader to type is run,
//! as typed: each line of a `sh` block, and each command in a code span of
//! the prose (`curl ...`, `printf ... | nc ...`, `nc ...`, and `cargo` with
//! more than a subcommand; a bare `cargo build` or `cargo test` names the
//! subcommand and is no instruction).
//!
//! - `cargo run --bin <step>` (and `--features compile-fail`, and a
//!   command's arguments after `--`) runs here, from the repository root,
//!   in the checks' build directory (`CARGO_TARGET_DIR=target/stages`: the
//!   suite's own build is locked while it runs), where the suite builds
//!   every step selected as this command selects it. On Unix, cargo replaces itself with the step,
//!   so a server started this way is the step's own process, in a network
//!   of its own as every server of the suite.
//! - The clients a step's page gives (curl, printf and nc) run against that
//!   step started so, in its network, and get what the page says they get;
//!   curl is also asked to print the status it received.
//! - Every other command is a line of `.ci/run`, which CI runs as it is.
//!
//! `every_command_a_page_gives_is_run_by_a_test` checks that the three
//! cover every command; the other tests run them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::LazyLock;

use companion::compile::root;
use companion::registry::{find, Kind, Step};
use regex::Regex;

/// A command a page gives: the page, the line it is on, the command, and
/// the paragraph it is in (which says what it does).
#[derive(Clone, Debug)]
struct PageCommand {
    page: PathBuf,
    line: usize,
    command: String,
    /// Read by the servers' test, on Unix only.
    #[cfg_attr(not(unix), allow(dead_code))]
    paragraph: String,
}

/// Every command of every page, read once per run of the suite.
fn page_commands() -> &'static [PageCommand] {
    static ALL: LazyLock<Vec<PageCommand>> = LazyLock::new(read_page_commands);
    &ALL
}

fn read_page_commands() -> Vec<PageCommand> {
    static SPAN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"`((?:curl|printf|nc|cargo|mdbook|kill|wc) [^`]+)`").unwrap());
    let mut out = Vec::new();
    for (page, text) in crate::book::pages() {
        let mut fenced: Option<String> = None;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if let Some(fence) = trimmed.strip_prefix("```") {
                fenced = match fenced {
                    None => Some(fence.to_string()),
                    Some(_) => None,
                };
                continue;
            }
            if let Some(language) = &fenced {
                if language == "sh" && !trimmed.is_empty() {
                    let command = trimmed.split(" #").next().unwrap().trim_end();
                    out.push(PageCommand {
                        page: page.clone(),
                        line: i + 1,
                        command: command.to_string(),
                        paragraph: String::new(),
                    });
                }
            }
        }
        for (line, block) in crate::book::prose_blocks(&text) {
            for span in SPAN.captures_iter(&block) {
                let command = span[1].to_string();
                if is_a_bare_subcommand(&command) {
                    continue;
                }
                out.push(PageCommand {
                    page: page.clone(),
                    line,
                    command,
                    paragraph: block.clone(),
                });
            }
        }
    }
    out
}

/// `cargo build`, `wc -l`: a tool named in passing, not a command to type.
fn is_a_bare_subcommand(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        ["cargo", _] => true,
        ["wc", flag] => flag.starts_with('-'),
        _ => false,
    }
}

/// What a command is, for running it.
#[derive(Debug, PartialEq)]
enum Runs {
    /// `cargo run [--features compile-fail] --bin <step> [-- args]`.
    Step(&'static Step),
    /// A client of the page's step (curl, printf | nc, nc).
    Client(&'static Step),
    /// A line of `.ci/run`.
    Ci,
}

/// What runs `command` of `page`, or why nothing does.
fn runs(command: &PageCommand) -> Result<Runs, String> {
    static CARGO_RUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^cargo run (?:--features compile-fail )?--bin ([a-z0-9-]+)(?: -- .+)?$")
            .unwrap()
    });
    if let Some(run) = CARGO_RUN.captures(&command.command) {
        return find(&run[1])
            .map(Runs::Step)
            .ok_or_else(|| format!("no step {}", &run[1]));
    }
    let first = command.command.split_whitespace().next().unwrap_or("");
    if ["curl", "printf", "nc"].contains(&first) {
        return page_step(&command.page)
            .filter(|step| step.is_server())
            .map(Runs::Client)
            .ok_or_else(|| "a client on a page that starts no server".to_string());
    }
    let ci_runs = |line: &String| {
        // What CI sets before it (`BROWSER=true`) or adds after it (more
        // options, a pipe) aside.
        let line = line
            .split(' ')
            .skip_while(|word| word.contains('=') && !word.starts_with('-'))
            .collect::<Vec<_>>()
            .join(" ");
        line == command.command || line.starts_with(&format!("{} ", command.command))
    };
    if ci_lines().iter().any(ci_runs) {
        return Ok(Runs::Ci);
    }
    Err("run by no test: not a step, nor a client of the page's step, nor a line of .ci/run".into())
}

/// The step of a step page.
fn page_step(page: &Path) -> Option<&'static Step> {
    page.file_stem().and_then(|s| s.to_str()).and_then(find)
}

/// The command lines of `.ci/run`, trimmed, read once.
fn ci_lines() -> &'static [String] {
    static LINES: LazyLock<Vec<String>> = LazyLock::new(|| {
        kit::read_repo(".ci/run")
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    &LINES
}

#[test]
fn every_command_a_page_gives_is_run_by_a_test() {
    let commands = page_commands();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unrun = Vec::new();
    for command in commands {
        match runs(command) {
            Ok(Runs::Step(_)) => *counts.entry("steps").or_default() += 1,
            Ok(Runs::Client(_)) => *counts.entry("clients").or_default() += 1,
            Ok(Runs::Ci) => *counts.entry("ci").or_default() += 1,
            Err(why) => unrun.push(format!(
                "{}:{}: `{}`: {why}",
                command
                    .page
                    .strip_prefix(root())
                    .unwrap_or(&command.page)
                    .display(),
                command.line,
                command.command
            )),
        }
    }
    assert!(
        unrun.is_empty(),
        "commands no test runs:\n{}",
        unrun.join("\n")
    );
    // Every step page gives its `cargo run`, and most a client.
    assert!(
        counts["steps"] >= companion::registry::STEPS.len(),
        "{counts:?}"
    );
    assert!(counts["clients"] >= 50, "{counts:?}");
    assert!(counts["ci"] >= 4, "{counts:?}");
}

/// The build directory the pages' commands are run in: the checks' own,
/// where the suite has built every step as a reader's `cargo run --bin`
/// from the root builds it (`kit::facts::all_stages_builds`), so that each
/// command finds its step built.
fn target_dir() -> PathBuf {
    kit::stages();
    companion::compile::stages_target_dir()
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// A page's `cargo run` command, as its words (none is quoted).
fn words(command: &str) -> Vec<&str> {
    command.split_whitespace().collect()
}

/// The distinct `cargo run` commands of the pages, each with its step.
fn step_commands() -> Vec<(String, &'static Step)> {
    let mut out: Vec<(String, &'static Step)> = Vec::new();
    for command in page_commands() {
        if let Ok(Runs::Step(step)) = runs(command) {
            if !out.iter().any(|(c, _)| *c == command.command) {
                out.push((command.command.clone(), step));
            }
        }
    }
    out
}

/// Run a command that is not a server to its end.
fn run_to_the_end(command: &str) -> Output {
    let args = words(command);
    Command::new(cargo())
        .args(&args[1..])
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir())
        .stdin(Stdio::null())
        .output()
        .expect("running cargo")
}

#[test]
fn every_cargo_run_a_page_gives_that_fails_to_compile_fails_with_the_steps_errors() {
    let mut ran = 0;
    for (command, step) in step_commands() {
        let Kind::Failing(codes) = step.kind() else {
            continue;
        };
        let out = run_to_the_end(&command);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "`{command}` compiled");
        for code in codes {
            assert!(
                stderr.contains(&format!("error[{code}]")),
                "`{command}` does not fail with {code}:\n{stderr}"
            );
        }
        ran += 1;
    }
    assert!(ran >= 10, "only {ran}");
}

#[test]
fn every_cargo_run_a_page_gives_of_a_step_that_is_no_server_runs_to_its_end() {
    let mut ran = 0;
    for (command, step) in step_commands() {
        let out = match step.kind() {
            Kind::Page(file) => {
                let out = run_to_the_end(&command);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(
                    stdout.contains(&format!("is not a program: it is the HTML file `{file}`")),
                    "`{command}`: {stdout}"
                );
                out
            }
            Kind::Command(_) => {
                let out = run_to_the_end(&command);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(
                    stdout.lines().last().is_some_and(|l| l.ends_with(" total")),
                    "`{command}` prints its counts, the total last: {stdout}"
                );
                out
            }
            _ => continue,
        };
        assert!(
            out.status.success(),
            "`{command}`: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 5, "only {ran}");
}

/// Every step page's `cargo run` of a server starts it, and the clients the
/// page gives get what the page says: the page from `curl` where the step
/// serves it, a 400 for bytes that are not UTF-8 (beyond-03), and so on.
/// Where a page says to send a request twice, the server then stops by
/// itself after two connections and exits with status 0; where it says to
/// press Ctrl-C during a request, SIGINT is sent while it is in flight, the
/// request still gets its page, and the server exits with status 0.
#[test]
#[cfg(unix)]
fn every_cargo_run_a_page_gives_of_a_server_serves_what_its_page_says() {
    servers::every_server();
}

/// The servers' commands and their clients: on Unix, where cargo replaces
/// itself with the step it runs (elsewhere it starts the step as a child,
/// which the harness would not stop with it).
#[cfg(unix)]
mod servers {
    use super::*;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use companion::server::{Ending, Server, ServerCommand};

    /// A client's command as run: with `--write-out` for curl, which prints the
    /// status it received after what it printed.
    fn as_run(client: &str) -> String {
        if client.starts_with("curl ") {
            format!("{client} --silent --show-error --write-out '\\n%{{response_code}}\\n'")
        } else {
            client.to_string()
        }
    }

    /// What one client command got: its output, exit status and time taken.
    struct Got {
        stdout: String,
        code: Option<i32>,
        took: Duration,
    }

    fn run_client(server: &Server, client: &str) -> Got {
        let started = Instant::now();
        let mut child = server
            .client("bash")
            .args(["-c", &as_run(client)])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("running bash");
        let mut stdout = child.stdout.take().unwrap();
        let reading = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = std::io::Read::read_to_end(&mut stdout, &mut text);
            text
        });
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{client}` did not end within 20 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Got {
            stdout: String::from_utf8_lossy(&reading.join().unwrap()).into_owned(),
            code: status.code(),
            took: started.elapsed(),
        }
    }

    /// The status a curl run received (its `--write-out`): `200`, or `000`
    /// for none.
    fn status(got: &Got) -> &str {
        got.stdout.trim_end().lines().last().unwrap_or("")
    }

    /// What a page says a client gets, checked. `answers_page` is whether the
    /// step's pinned session has the page for `GET /`.
    fn check_client(step: &Step, client: &str, got: &Got, answers_page: bool) {
        let name = step.name;
        let said = |what: &str| format!("{name}: `{client}` {what}: {:?}", got.stdout);
        match client {
            "curl 127.0.0.1:7878/" | "curl --http1.0 127.0.0.1:7878/" => {
                if answers_page {
                    assert_eq!(status(got), "200", "{}", said("gets 200"));
                    assert!(
                        got.stdout.contains("<h1>Hello!</h1>"),
                        "{}",
                        said("gets the page")
                    );
                } else {
                    // curl's 7: it could not connect. Anything else, the
                    // server was there (and may answer nothing, as the page says).
                    assert_ne!(got.code, Some(7), "{}", said("reaches the server"));
                }
            }
            "curl 127.0.0.1:7878/sleep" => {
                assert_eq!(status(got), "200", "{}", said("gets 200"));
                assert!(
                    got.stdout.contains("<h1>Hello!</h1>"),
                    "{}",
                    said("gets the page")
                );
            }
            "curl -H 'Host:' 127.0.0.1:7878/" => {
                assert_eq!(status(got), "400", "{}", said("gets 400"))
            }
            "curl -I 127.0.0.1:7878/" => {
                assert_eq!(status(got), "200", "{}", said("gets 200"));
                assert!(
                    got.stdout.contains("Content-Length: 176"),
                    "{}",
                    said("gets the length")
                );
                assert!(!got.stdout.contains("<html"), "{}", said("gets no body"));
            }
            "curl -d hi 127.0.0.1:7878/" => assert_eq!(status(got), "405", "{}", said("gets 405")),
            "nc 127.0.0.1 7878" => {
                assert!(got.stdout.is_empty(), "{}", said("gets no answer"));
                assert!(
                    got.took >= Duration::from_secs(3) && got.took < Duration::from_secs(15),
                    "{}",
                    said(&format!(
                        "is closed by the server at its 5-second timeout, not after {:?}",
                        got.took
                    ))
                );
            }
            _ if client.starts_with("printf 'GET /\\377 HTTP/1.1") => {
                assert!(
                    got.stdout.starts_with("HTTP/1.1 400 BAD REQUEST\r\n"),
                    "{}",
                    said("gets 400: a request line that is not UTF-8")
                );
            }
            other => panic!("{name}: no test says what `{other}` gets"),
        }
    }

    /// The clients a step's own page gives, in order, each with its paragraph.
    fn clients_of(step: &Step) -> Vec<(String, String)> {
        page_commands()
            .iter()
            .filter(|c| runs(c) == Ok(Runs::Client(find(step.name).unwrap())))
            .map(|c| (c.command.clone(), c.paragraph.clone()))
            .collect()
    }

    /// Start `command`, a page's `cargo run --bin <step>` of a server.
    fn start(command: &str) -> Server {
        let args = words(command);
        ServerCommand::new(cargo())
            .args(&args[1..])
            .current_dir(root())
            .env("CARGO_TARGET_DIR", target_dir())
            .start()
            .unwrap_or_else(|e| panic!("`{command}`: {e}"))
    }

    /// Every server step's `cargo run`, a few at a time.
    pub(super) fn every_server() {
        let servers: Vec<(String, &'static Step)> = step_commands()
            .into_iter()
            .filter(|(_, step)| step.is_server())
            .collect();
        assert!(servers.len() >= 50, "only {}", servers.len());
        // The pages whose clients wait out the chapter's 5 seconds go first, so
        // that the quick ones fill the time they wait.
        let slow = |step: &Step| {
            clients_of(step)
                .iter()
                .any(|(client, _)| client.contains("/sleep") || client == "nc 127.0.0.1 7878")
        };
        let (mut servers, quick): (Vec<_>, Vec<_>) =
            servers.into_iter().partition(|(_, s)| slow(s));
        servers.extend(quick);
        let next = Mutex::new(servers.into_iter());
        // A few at a time: each waits on its server more than on the CPU.
        std::thread::scope(|scope| {
            for _ in 0..6 {
                scope.spawn(|| loop {
                    let Some((command, step)) = next.lock().unwrap().next() else {
                        break;
                    };
                    serves_what_its_page_says(&command, step);
                });
            }
        });
    }

    fn serves_what_its_page_says(command: &str, step: &Step) {
        let session = kit::read_repo(&format!("snapshots/{}.session.snap", step.name));
        let answers_page = session.contains("<h1>Hello!</h1>");
        let server = start(command);
        let mut stopped_by_itself = false;
        for (client, paragraph) in clients_of(step) {
            if paragraph.contains("press Ctrl-C") {
                // The request in flight, then ctrl-C's SIGINT.
                let signalled = std::thread::scope(|scope| {
                    let running = scope.spawn(|| run_client(&server, &client));
                    // Signalled once the server has read the request (it
                    // logs each request line), not at a guessed moment.
                    crate::beyond::wait_for_log(&server, "GET /sleep HTTP/1.1");
                    crate::beyond::signal(&server, "INT");
                    let got = running.join().unwrap();
                    check_client(step, &client, &got, answers_page);
                    Instant::now()
                });
                server
                    .wait_for_exit(Duration::from_secs(10))
                    .unwrap_or_else(|| panic!("{}: Ctrl-C did not stop it", step.name));
                assert!(signalled.elapsed() < Duration::from_secs(10));
                stopped_by_itself = true;
                break;
            }
            let times = if paragraph.contains(&format!("`{client}` twice")) {
                2
            } else {
                1
            };
            for _ in 0..times {
                let got = run_client(&server, &client);
                check_client(step, &client, &got, answers_page);
            }
            if times == 2 {
                assert_eq!(
                    step.server().and_then(|s| s.stops_after),
                    Some(2),
                    "{}: the page sends two requests to a server that does not stop after two",
                    step.name
                );
                let status = server.wait_for_exit(Duration::from_secs(10));
                assert!(
                    status.is_some_and(|s| s.success()),
                    "{}: after two connections the server stops by itself and exits with status 0: {status:?}",
                    step.name
                );
                stopped_by_itself = true;
            }
        }
        let finished = server.finish();
        if stopped_by_itself {
            assert_eq!(
                finished.ending,
                Ending::Exited(0),
                "{}: it shuts down and exits with status 0:\n{}",
                step.name,
                finished.stderr
            );
            assert!(finished.stdout.contains("Shutting down."), "{}", step.name);
        }
    }
}
