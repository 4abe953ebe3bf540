//! `check <step> <path>`: build the reader's own project, run the step's
//! session against it and against the step itself, and say in plain words
//! which of the step's behaviours hold.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{bail, Context};
use companion::compile::root;
use companion::detect::{self, Built};
use companion::server::{Network, Server};
use companion::session::{
    self, hide_worker_ids, sorted_lines, End, Event, Exchange, Traits, Transcript, NO_WAIT_UNDER,
    WAITS_AT_LEAST,
};
use companion::steps::{Files, Step, STEPS};

use super::{cargo_build, progress, step, BAD, BOLD, GOOD};

/// One expected behaviour and whether the reader's code has it.
pub struct Verdict {
    pub holds: bool,
    pub text: String,
}

fn verdict(holds: bool, text: String) -> Verdict {
    Verdict { holds, text }
}

pub fn check(input: &str, path: &Path) -> anyhow::Result<ExitCode> {
    let step = step(input)?;
    let project = project_dir(path)?;
    anstream::println!(
        "{BOLD}Checking {} against {}: {}{BOLD:#}\n",
        project.display(),
        step.label(),
        step.title
    );
    if step.is_server() {
        println!(
            "Running the chapter's requests against {} and against your server...",
            step.name
        );
    }
    let verdicts = evaluate(step, &project)?;
    anstream::print!("{}", verdict_lines(step, &verdicts));
    if verdicts.iter().all(|v| v.holds) {
        progress::record("checked", step);
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Each verdict as a ✓ or ✗ line, then the sum of them.
pub fn verdict_lines(step: &Step, verdicts: &[Verdict]) -> String {
    let mut out: String = verdicts.iter().map(|v| v.line() + "\n").collect();
    let failed = verdicts.iter().filter(|v| !v.holds).count();
    if failed == 0 {
        out.push_str(&format!("\nYour project does what {} does.\n", step.name));
    } else {
        out.push_str(&format!(
            "\n{failed} of {} behaviours differ from {}.\n",
            verdicts.len(),
            step.name
        ));
    }
    out
}

/// What the reader's project at `project` does of what `step` does. It
/// prints nothing, but the compiler's output where the build differs.
pub fn evaluate(step: &'static Step, project: &Path) -> anyhow::Result<Vec<Verdict>> {
    Ok(match step.files {
        Files::Html(file) => vec![html_file(project, file)],
        Files::Command(args) => runs_like(step, project, args)?,
        _ if step.fails_to_compile() => vec![fails_like(step, project)?],
        _ => serves_like(step, project)?,
    })
}

impl Verdict {
    /// `✓ text` or `✗ text`, coloured.
    pub fn line(&self) -> String {
        if self.holds {
            format!("{GOOD}✓{GOOD:#} {}", self.text)
        } else {
            format!("{BAD}✗{BAD:#} {}", self.text)
        }
    }
}

/// `check <path>`: find the step the reader's project is at, say which and
/// why, then check it against that step.
pub fn check_found(path: &Path) -> anyhow::Result<ExitCode> {
    let project = project_dir(path)?;
    let found = find_step(&project)?;
    for line in found.report() {
        anstream::println!("{line}");
    }
    println!();
    check(found.found.step.name, &project)
}

/// What the tour found about a reader's project.
pub struct FoundStep {
    pub found: detect::Found,
    /// How it built.
    pub built: Built,
    /// The compiler's output, where it did not build.
    pub compiler_output: String,
}

/// Read and build the project at `project`, and find its step.
pub fn find_step(project: &Path) -> anyhow::Result<FoundStep> {
    let read = |rel: &str| std::fs::read_to_string(project.join(rel));
    let manifest = read("Cargo.toml")
        .with_context(|| format!("could not read {}", project.join("Cargo.toml").display()))?;
    let main = read("src/main.rs").with_context(|| {
        format!(
            "your project at {} has no src/main.rs: the chapter's server is a binary",
            project.display()
        )
    })?;
    let reader = detect::Project {
        main,
        lib: read("src/lib.rs").ok(),
        package: manifest_value(&manifest, "name").unwrap_or_else(|| "hello".into()),
        // Cargo's default, where a manifest names none.
        edition: manifest_value(&manifest, "edition").unwrap_or_else(|| "2015".into()),
    };
    let report = cargo_build::project(project)?;
    let built = if report.success {
        Built::Builds
    } else {
        Built::FailsWith(report.all_error_codes().into_iter().collect())
    };
    let found = detect::closest(&reader, Some(&built));
    Ok(FoundStep {
        found,
        compiler_output: if report.success {
            String::new()
        } else {
            report.human_output()
        },
        built,
    })
}

impl FoundStep {
    /// Which step, and why, in a few lines.
    pub fn report(&self) -> Vec<String> {
        let found = &self.found;
        let step = found.step;
        let mut lines = vec![format!(
            "{BOLD}Your project is at {}: {}{BOLD:#}",
            step_label(step),
            step.title
        )];
        if found.alike == 1.0 {
            lines.push(
                "  its code is that step's, once comments, layout and the names you chose are set aside"
                    .into(),
            );
        } else {
            // Rounded down: 99.9%, not 100%, for code that is not the step's.
            let percent = |alike: f64| (alike * 1000.0).floor() / 10.0;
            let mut line = format!(
                "  its code is {}% like that step's (comments, layout and the names you chose set aside)",
                percent(found.alike)
            );
            if let Some((next, alike)) = found.runner_up {
                line.push_str(&format!(
                    "; the next closest is {} ({}%)",
                    next.name,
                    percent(alike)
                ));
            }
            lines.push(line);
        }
        if !found.twins.is_empty() {
            let names: Vec<&str> = found.twins.iter().map(|s| s.name).collect();
            lines.push(format!(
                "  {} {} the very same code, so no project can tell {} apart from {}",
                names.join(" and "),
                if names.len() == 1 { "has" } else { "have" },
                if names.len() == 1 { "it" } else { "them" },
                step.name
            ));
        }
        let at_step = match step.outcome {
            companion::steps::Outcome::FailsWith(codes) => {
                format!("fails with {}", codes.join(" and "))
            }
            _ => "builds".to_string(),
        };
        lines.push(match (&self.built, found.builds_as_the_step) {
            (Built::Builds, Some(true)) => format!("  it builds, as {} does", step.name),
            (Built::FailsWith(codes), Some(true)) => format!(
                "  it fails to build with {}, as {} does: the chapter shows that error here",
                codes.join(" and "),
                step.name
            ),
            (Built::Builds, _) => format!("  it builds, where {} {at_step}", step.name),
            (Built::FailsWith(codes), _) => format!(
                "  it fails to build with {}, where {} {at_step}",
                if codes.is_empty() {
                    "no error code".to_string()
                } else {
                    codes.join(" and ")
                },
                step.name
            ),
        });
        lines
    }
}

/// A `key = "value"` of a manifest's `[package]` table.
fn manifest_value(manifest: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == key {
                    return Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    None
}

/// The reader's project folder, or one sentence on why `path` is not one.
pub fn project_dir(path: &Path) -> anyhow::Result<PathBuf> {
    if !path.is_dir() {
        bail!(
            "{} is not a folder: give the path of your cargo project",
            path.display()
        );
    }
    if !path.join("Cargo.toml").is_file() {
        bail!(
            "there is no cargo project at {}: it has no Cargo.toml",
            path.display()
        );
    }
    Ok(path.canonicalize()?)
}

fn html_file(project: &Path, file: &str) -> Verdict {
    let holds = project.join(file).is_file();
    verdict(
        holds,
        format!("{file} is in your project's folder, next to Cargo.toml"),
    )
}

/// A step that must not compile: the reader's project fails with the same
/// error codes.
fn fails_like(step: &Step, project: &Path) -> anyhow::Result<Verdict> {
    let built = cargo_build::project(project)?;
    let codes: Vec<String> = built.all_error_codes().into_iter().collect();
    let expected: Vec<String> = step
        .expected_errors()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let text = format!(
        "your project fails to compile with {}, as the chapter's does at this step",
        expected.join(" and ")
    );
    if codes == expected {
        return Ok(verdict(true, text));
    }
    anstream::eprint!("{}", built.human_output());
    let yours = if built.success {
        "it compiles".to_string()
    } else {
        format!("yours: {}", where_the_chapter_shows(&codes, step))
    };
    Ok(verdict(
        false,
        format!("{text}; {yours} (the compiler's output is above)"),
    ))
}

/// A server step: the same session against the step and against the
/// reader's server, compared.
fn serves_like(step: &'static Step, project: &Path) -> anyhow::Result<Vec<Verdict>> {
    let built = built_as_the_step(step, project)?;
    let theirs = their_executable(&built, project)?;
    let main = std::fs::read_to_string(root().join(step.main_rs()))?;
    for file in ["hello.html", "404.html"] {
        if main.contains(&format!("\"{file}\"")) && !project.join(file).is_file() {
            let listing = STEPS.iter().find(|s| s.files == Files::Html(file)).unwrap();
            bail!(
                "{file} is missing from {}: your server reads it from there (it is {}: `cargo run -- show {}`)",
                project.display(),
                step_label(listing),
                listing.listing.unwrap_or(listing.name)
            );
        }
    }
    let ours = cargo_build::stage(step)?;

    // The session and, where the step has `/sleep`, the waiting probe, for
    // both servers: four servers side by side where each gets a network of
    // its own, so a check takes one `/sleep`, not two.
    let traits = Traits::of(step);
    let session_and_probe = |exe: PathBuf, cwd: PathBuf, timeout: Duration| {
        move || {
            let (exe2, cwd2) = (exe.clone(), cwd.clone());
            both(
                move || {
                    session::run_within(step, &exe, &cwd, &mut (), timeout)
                        .map_err(anyhow::Error::from)
                },
                move || traits.sleep_route.then(|| probe(&exe2, &cwd2, timeout)),
            )
        }
    };
    let ((expected, expected_wait), (actual, actual_wait)) = both(
        session_and_probe(ours, root().to_path_buf(), session::EXCHANGE_TIMEOUT),
        session_and_probe(theirs, project.to_path_buf(), session::reader_timeout(step)),
    );
    let (expected, actual) = (expected?, actual?);
    // A server that takes connections and never answers (reading a
    // request to its end, say, which never comes while the client waits
    // for the answer): its waiting says nothing about threads.
    let answers = |t: &Transcript| {
        t.exchanges()
            .any(|x| !x.reply.bytes.is_empty() || x.reply.end != End::TimedOut)
    };
    if answers(&expected) && !answers(&actual) {
        let responds = expected.exchanges().any(|x| !x.reply.bytes.is_empty());
        return Ok(vec![verdict(
            false,
            format!(
                "your server takes connections and never lets go of them: no request got a \
                 byte back within {} s, and the connection stayed open. Does \
                 handle_connection stop reading at the request's end (the empty line: \
                 `.take_while(|line| !line.is_empty())`){}?",
                session::reader_timeout(step).as_secs(),
                if responds {
                    ", and then write the response"
                } else {
                    ""
                }
            ),
        )]);
    }
    let mut verdicts = compare_sessions(&expected, &actual, project);

    let responds = expected.exchanges().any(|x| !x.reply.bytes.is_empty());
    if let (Some(expected), Some(actual), true) = (expected_wait, actual_wait, responds) {
        verdicts.push(compare_waiting(step, expected?, actual?));
    }
    Ok(verdicts)
}

/// Whether the chapter shows the errors `codes` anywhere in `step`'s
/// printing, in words: "it fails with E0599, the error the chapter shows at
/// listing-20-13", or "... which the chapter never shows".
fn where_the_chapter_shows(codes: &[String], step: &Step) -> String {
    if codes.is_empty() {
        return "it fails without an error code (cargo's message is above)".into();
    }
    let shown: Vec<&str> = STEPS
        .iter()
        .filter(|s| {
            s.printing == step.printing
                && s.expected_errors().len() == codes.len()
                && s.expected_errors().iter().zip(codes).all(|(a, b)| *a == b)
        })
        .map(|s| s.name)
        .collect();
    let errors = codes.join(" and ");
    match shown[..] {
        [] => format!("it fails with {errors}, which the chapter never shows: a typo of yours?"),
        [one] => format!("it fails with {errors}, the error the chapter shows at {one}"),
        _ => format!(
            "it fails with {errors}, the error the chapter shows at {}",
            shown.join(", ")
        ),
    }
}

/// Build the reader's project for a step that builds; where it does not,
/// show the compiler's output and say whether the chapter shows its error.
fn built_as_the_step(
    step: &Step,
    project: &Path,
) -> anyhow::Result<companion::compile::BuildReport> {
    let built = cargo_build::project(project)?;
    if !built.success {
        anstream::eprint!("{}", built.human_output());
        let codes: Vec<String> = built.all_error_codes().into_iter().collect();
        bail!(
            "your project at {} does not build (the compiler's output is above), where {} \
             builds; {}",
            project.display(),
            step.name,
            where_the_chapter_shows(&codes, step)
        );
    }
    Ok(built)
}

/// The reader's program, from their build.
fn their_executable(
    built: &companion::compile::BuildReport,
    project: &Path,
) -> anyhow::Result<PathBuf> {
    Ok(match built.executables.as_slice() {
        [] => bail!("your project at {} has no binary to run", project.display()),
        [(_, exe)] => exe.clone(),
        many => many
            .iter()
            .find(|(name, _)| Some(name.as_str()) == project.file_name().and_then(|n| n.to_str()))
            .map(|(_, exe)| exe.clone())
            .with_context(|| {
                format!(
                    "your project at {} has several binaries; keep one",
                    project.display()
                )
            })?,
    })
}

/// A step that is a command, not a server (beyond-05): the reader's
/// program and the step's, run with the step's arguments from the
/// repository root, print the same and end the same way.
fn runs_like(step: &'static Step, project: &Path, args: &[&str]) -> anyhow::Result<Vec<Verdict>> {
    let built = built_as_the_step(step, project)?;
    let theirs = their_executable(&built, project)?;
    let ours = cargo_build::stage(step)?;
    let run = |exe: &Path| -> anyhow::Result<std::process::Output> {
        let mut child = std::process::Command::new(exe)
            .args(args)
            .current_dir(root())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("could not run {}", exe.display()))?;
        // A command of the chapter's size ends in well under a second.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while child.try_wait()?.is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!("{} did not end within 30 s", exe.display());
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(child.wait_with_output()?)
    };
    let (want, got) = (run(&ours)?, run(&theirs)?);
    let command = format!("cargo run -- {}", args.join(" "));
    let mut verdicts = vec![];
    if want.stdout == got.stdout {
        verdicts.push(verdict(
            true,
            format!("`{command}` prints what {} prints", step.name),
        ));
    } else {
        verdicts.push(verdict(
            false,
            format!(
                "`{command}` prints what {} prints; expected:\n{}yours:\n{}",
                step.name,
                indent(&String::from_utf8_lossy(&want.stdout)),
                indent(&String::from_utf8_lossy(&got.stdout))
            ),
        ));
    }
    verdicts.push(verdict(
        want.status.code() == got.status.code(),
        format!(
            "it ends as {} does ({}){}",
            step.name,
            want.status,
            if want.status.code() == got.status.code() {
                String::new()
            } else {
                format!("; yours: {}", got.status)
            }
        ),
    ));
    Ok(verdicts)
}

fn step_label(step: &Step) -> String {
    step.label().replace("Listing", "listing")
}

/// Run two jobs on threads of their own (each server in its own network
/// where the machine allows it), side by side; one after the other on the
/// shared network.
fn both<A: Send + 'static, B: Send + 'static>(
    a: impl FnOnce() -> A + Send + 'static,
    b: impl FnOnce() -> B + Send + 'static,
) -> (A, B) {
    if Network::detect() == Network::Isolated {
        let a = thread::spawn(a);
        let b = thread::spawn(b);
        (
            a.join().expect("a session panicked"),
            b.join().expect("a session panicked"),
        )
    } else {
        let a = thread::spawn(a).join().expect("a session panicked");
        let b = thread::spawn(b).join().expect("a session panicked");
        (a, b)
    }
}

/// How long `/` waits behind `/sleep` on a fresh server from `exe`.
fn probe(exe: &Path, cwd: &Path, timeout: Duration) -> anyhow::Result<Duration> {
    let _server = Server::start(exe, cwd)?;
    Ok(session::root_behind_sleep_within(timeout)?.elapsed)
}

/// The reply as a reader would describe it; `served` names the page file a
/// body is, if it is one.
fn describe(x: &Exchange, served: &dyn Fn(&[u8]) -> Option<&'static str>) -> String {
    let r = &x.reply;
    if r.is_no_response() {
        return "no response (the server closes the connection)".to_string();
    }
    match r.end {
        End::Refused => return "refused (nothing listens any more)".to_string(),
        End::TimedOut => return "no complete response within the time bound".to_string(),
        _ => {}
    }
    let status = r.status_line().unwrap_or("a response with no status line");
    match r.body().and_then(served) {
        Some(file) => format!("{status} with {file}"),
        None if r.body().is_some_and(|b| b.is_empty()) => format!("{status} with an empty body"),
        None => format!("{status} with another body"),
    }
}

fn compare_sessions(expected: &Transcript, actual: &Transcript, project: &Path) -> Vec<Verdict> {
    let ours = |body: &[u8]| file_of(body, root());
    let yours_dir = project.to_path_buf();
    let yours = move |body: &[u8]| file_of(body, &yours_dir);
    let mut verdicts = Vec::new();
    for (e, a) in expected.events.iter().zip(&actual.events) {
        match (e, a) {
            (Event::Exchange(e), Event::Exchange(a)) => {
                let want = describe(e, &ours);
                let got = describe(a, &yours);
                let text = format!(
                    "GET {}: {}",
                    e.path,
                    want.replace(" with hello.html", " with your hello.html")
                        .replace(" with 404.html", " with your 404.html")
                );
                if want == got {
                    verdicts.push(verdict(true, text));
                } else {
                    verdicts.push(verdict(false, format!("{text}; yours: {got}")));
                }
            }
            (Event::AwaitedExit { exited: want }, Event::AwaitedExit { exited: got }) => {
                let text = if *want {
                    "the server shuts down by itself after two connections"
                } else {
                    "the server keeps running"
                };
                verdicts.push(verdict(want == got, text.to_string()));
            }
            (Event::Crashed { .. }, Event::Crashed { .. }) => {
                verdicts.push(verdict(
                    true,
                    "the server crashes here, as the chapter's does".into(),
                ));
            }
            // After a crash on one side only, the sessions no longer line up.
            (Event::Crashed { .. }, _) => {
                verdicts.push(verdict(
                    false,
                    "the chapter's server crashes here; yours does not".into(),
                ));
                return verdicts;
            }
            (_, Event::Crashed { .. }) => {
                verdicts.push(verdict(
                    false,
                    "your server crashed where the chapter's keeps going".into(),
                ));
                return verdicts;
            }
            _ => {}
        }
    }
    let (want, _) = hide_worker_ids(&expected.server.stdout);
    let (got, _) = hide_worker_ids(&actual.server.stdout);
    let (want, got) = if expected.awaited_exit().is_some() {
        (sorted_lines(&want), sorted_lines(&got))
    } else {
        (want, got)
    };
    if want == got {
        verdicts.push(verdict(
            true,
            "it prints what the chapter's server prints".to_string(),
        ));
    } else {
        verdicts.push(verdict(
            false,
            format!(
                "it prints what the chapter's server prints; expected:\n{}yours:\n{}",
                indent(&want),
                indent(&got)
            ),
        ));
    }
    verdicts
}

/// Which of the page files in `dir` `body` is, if any.
fn file_of(body: &[u8], dir: &Path) -> Option<&'static str> {
    ["hello.html", "404.html"]
        .into_iter()
        .find(|f| std::fs::read(dir.join(f)).is_ok_and(|c| !c.is_empty() && c == body))
}

fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (nothing)\n".to_string();
    }
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn compare_waiting(step: &Step, expected: Duration, actual: Duration) -> Verdict {
    let waits = |d: Duration| {
        if d >= WAITS_AT_LEAST {
            Some(true)
        } else if d < NO_WAIT_UNDER {
            Some(false)
        } else {
            None
        }
    };
    let pool = step.lib_rs().is_some();
    match (waits(expected), waits(actual)) {
        (Some(true), Some(true)) => verdict(true, "`/` waits behind `/sleep`, as the chapter shows at this step".into()),
        (Some(false), Some(false)) => verdict(true, "`/` does not wait behind `/sleep`".into()),
        (Some(false), Some(true)) if pool => verdict(
            false,
            "`/` still waits behind `/sleep`: your pool serialises jobs (does a worker hold the lock while it runs its job? see listing 20-21)".into(),
        ),
        (Some(false), Some(true)) => verdict(
            false,
            "`/` still waits behind `/sleep`: your server handles one connection at a time (see listing 20-11)".into(),
        ),
        (Some(true), Some(false)) => verdict(
            false,
            "`/` does not wait behind `/sleep`, but at this step it should: the chapter shows the problem here".into(),
        ),
        (_, got) => verdict(
            got.is_some() && waits(expected) == got,
            format!("`/` behind `/sleep` took {actual:.1?} on yours and {expected:.1?} on the chapter's: too close to call"),
        ),
    }
}
