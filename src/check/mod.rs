//! The check: what a reader's project does of what its step does, as
//! verdicts in plain words. [`evaluate`] builds the project, runs the
//! step's session against the step's server and against the reader's, and
//! judges the two ([`judge`], pure and tested with fake transcripts);
//! [`locate`] finds the step a project is at first. Nothing here prints:
//! the tour shows the verdicts.

mod json;
pub mod judge;
mod verdict;
mod words;

pub use json::document;
pub use verdict::{
    Behaviour, Body, Fault, Finding, Panic, Place, Repeated, Reproduce, Seen, Serial, Shape, Spare,
    Status, Verdict, Wait,
};
pub use words::{mark, thousands};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::compile::{build_stage, root, BuildReport};
use crate::reader::detect::{self, Built, Found};
use crate::reader::Project;
use crate::registry::{Kind, Outcome, Serves, Step};
use crate::server::{Network, Server, StartError};
use crate::session::{self, Bounds, Transcript};
use crate::{Error, Result};

use judge::{Pages, Ran, SpareRun, Waited};

/// The sum of a check's verdicts, in one sentence.
pub fn summary(step: &Step, verdicts: &[Verdict]) -> String {
    let failed = verdicts.iter().filter(|v| v.is_failure()).count();
    let behaviours = verdicts.iter().filter(|v| v.status != Status::Note).count();
    if failed == 0 {
        format!("Your project does what {} does.", step.name)
    } else {
        format!(
            "{failed} of {behaviours} behaviours differ from {}.",
            step.name
        )
    }
}

/// Whether every behaviour holds (notes are not differences).
pub fn passes(verdicts: &[Verdict]) -> bool {
    !verdicts.iter().any(Verdict::is_failure)
}

/// What the reader's `project` does of what `step` does. A project that
/// does not build where the step does is an error
/// ([`Error::DoesNotBuild`]), with the compiler's output.
pub fn evaluate(step: &'static Step, project: &Project) -> Result<Vec<Verdict>> {
    let verdicts = match step.kind() {
        Kind::Page(file) => {
            let present = project.dir.join(file).is_file();
            let mut verdict = judge::has_page(step, file, present);
            if let Some(Finding::PageNotInFolder { found, .. }) = &mut verdict.finding {
                *found = found_elsewhere(&project.dir, file);
            }
            vec![verdict]
        }
        Kind::Failing(_) => vec![judge::fails_like(step, project.build()?)],
        Kind::Command(args) => runs_like(step, project, args)?,
        Kind::Server(serves) => serves_like(step, serves, project)?,
    };
    Ok(verdicts
        .into_iter()
        .map(|v| v.with_sources(&project.dir))
        .collect())
}

/// Where in the project in `dir` a file called `file` is, other than next
/// to its `Cargo.toml` (not in `target/` or `.git`), as paths relative to
/// `dir`: where a reader who put `hello.html` in `src/` has it.
fn found_elsewhere(dir: &Path, file: &str) -> Vec<String> {
    let mut found: Vec<String> = crate::reader::own_files(dir)
        .into_iter()
        .filter(|(path, _)| {
            path.parent() != Some(dir)
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.eq_ignore_ascii_case(file))
        })
        .filter_map(|(path, _)| {
            let rel = path.strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    found.sort();
    found
}

/// How long a reader's server may take to answer one of a step's requests
/// before the check gives up on it: the step's `/sleep` and then some, or a
/// few seconds where the step has none (the chapter's servers answer in
/// milliseconds). Shorter than [`session::EXCHANGE_TIMEOUT`], which allows
/// for a loaded test machine, so that a server that never answers is told
/// quickly.
pub fn reader_timeout(serves: &Serves) -> Duration {
    if serves.sleep_route {
        session::SLEEP + Duration::from_secs(3)
    } else {
        Duration::from_secs(3)
    }
}

/// How long a reader's server that should stop by itself has to exit once
/// its last connection is answered: the chapter's exits within
/// milliseconds, so a server still running after this is told that it
/// hangs (and the check does not wait the reply bound again).
pub const EXIT_WITHIN: Duration = Duration::from_secs(2);

/// How long a reader's server has to listen once it runs: the chapter's
/// binds its port first thing, within milliseconds.
pub const LISTEN_WITHIN: Duration = Duration::from_secs(3);

/// Build the reader's project for a step that builds; where it does not,
/// the error says whether the chapter shows its error, with the compiler's
/// output.
fn built_as_the_step<'p>(step: &'static Step, project: &'p Project) -> Result<&'p BuildReport> {
    let built = project.build()?;
    if !built.success {
        let codes: Vec<String> = built.all_error_codes().into_iter().collect();
        return Err(Error::DoesNotBuild {
            dir: project.dir.clone(),
            step,
            why: words::errors_shown(&codes, &judge::shown_at(&codes, step)),
            compiler_output: built.human_output(),
        });
    }
    Ok(built)
}

/// A server step: the same session against the step and against the
/// reader's server, compared.
fn serves_like(step: &'static Step, serves: Serves, project: &Project) -> Result<Vec<Verdict>> {
    let built = built_as_the_step(step, project)?;
    let theirs = project.executable(built)?;
    // A page the server reads that is not where it reads it: the one
    // verdict (everything else the server does follows from it).
    let misplaced: Vec<Verdict> = serves
        .pages
        .iter()
        .filter(|file| !project.dir.join(file).is_file())
        .map(|&file| {
            judge::page_not_in_folder(
                step,
                serves.pages,
                file,
                found_elsewhere(&project.dir, file),
            )
        })
        .collect();
    if !misplaced.is_empty() {
        return Ok(misplaced);
    }
    let ours = build_stage(step)?;

    // The session and, where the step has `/sleep`, the waiting probe, for
    // both servers: four servers side by side where each gets a network of
    // its own, so a check takes one `/sleep`, not two.
    // And a connection that sends nothing, as a browser's spare one, where
    // the chapter talks about browsers' spare connections: at its first
    // listing (a line printed for each) and where its server stops after
    // two connections (the spare one counts).
    let spare_where_it_matters = step.previous().is_none() || serves.stops_after.is_some();
    let session_and_probe = |exe: PathBuf, cwd: PathBuf, bounds: Bounds| {
        move || {
            let (exe2, cwd2) = (exe.clone(), cwd.clone());
            let (exe3, cwd3) = (exe.clone(), cwd.clone());
            let (session, (wait, spare)) = both(
                move || session::run_within(step, &exe, &cwd, &mut (), bounds),
                move || {
                    both(
                        move || {
                            serves
                                .sleep_route
                                .then(|| root_behind_sleep(&exe2, &cwd2, bounds))
                        },
                        move || {
                            spare_where_it_matters
                                .then(|| {
                                    spare_connection(
                                        &exe3,
                                        &cwd3,
                                        bounds,
                                        serves.stops_after.is_some(),
                                    )
                                })
                                .transpose()
                        },
                    )
                },
            );
            ((session, wait), spare)
        }
    };
    let waited = reader_timeout(&serves);
    let chapters = session_and_probe(ours, root().to_path_buf(), Bounds::GENEROUS);
    let ((expected, expected_wait, our_spare), ((actual, actual_wait), your_spare)) = both(
        move || the_chapters(step, chapters),
        session_and_probe(
            theirs,
            project.dir.clone(),
            Bounds {
                reply: waited,
                exit: EXIT_WITHIN,
                start: LISTEN_WITHIN,
                readers: true,
            },
        ),
    );
    let expected: Transcript = expected?;
    // A reader's server that does not start is a verdict, not an error:
    // what it did instead, in words.
    let actual: Transcript = match actual {
        Ok(actual) => actual,
        Err(error @ (StartError::PortInUse { .. } | StartError::Io(_))) => return Err(error.into()),
        Err(start) => return Ok(vec![judge::does_not_start(step, &start)]),
    };
    if let Some(verdict) = judge::prints_too_much(step, &expected, &actual) {
        return Ok(vec![verdict]);
    }
    if let Some(verdict) = judge::never_answers(step, &expected, &actual, waited) {
        return Ok(vec![verdict]);
    }
    let mut verdicts = judge::compare_sessions(
        step,
        &expected,
        &actual,
        &Pages::in_dir(root()),
        &Pages::in_dir(&project.dir),
    );
    let responds = expected.exchanges().any(|x| !x.reply.bytes.is_empty());
    let expected_wait = expected_wait.transpose()?;
    // A probe that could not start the reader's server (whose session ran)
    // has nothing to say about waiting.
    if let (Some(expected), Some(Ok(actual)), true) = (&expected_wait, actual_wait, responds) {
        verdicts.push(judge::compare_waiting(step, expected, &actual));
    }
    // (The spare connection tells a note at most: a probe that failed
    // tells nothing.)
    if let (Some(ours), Ok(Some(yours))) = (our_spare, your_spare) {
        verdicts.extend(judge::spare_connection(step, &ours, &yours));
    }
    verdicts.extend(judge::notes(step, expected_wait.as_ref()));
    Ok(verdicts)
}

/// What a server does with a connection that sends nothing (a browser
/// opens such spare connections beside the one it uses): start it, open a
/// connection and close its sending side, read until the server is done
/// with it (so that a panic, printed before the connection is dropped, has
/// been printed), then ask for `/`.
///
/// A server that stops after a number of connections is not asked for
/// `/`: the chapter's own, whose drop then joins the panicked worker,
/// panics in turn and may exit before it answers.
fn spare_connection(exe: &Path, cwd: &Path, bounds: Bounds, stops: bool) -> Result<SpareRun> {
    use std::io::Read;
    let mut server = if bounds.readers {
        Server::start_readers(exe, cwd, bounds.start)?
    } else {
        Server::start_within(exe, cwd, bounds.start)?
    };
    let spare = (|| {
        let mut stream = std::net::TcpStream::connect(crate::server::ADDRESS)?;
        stream.shutdown(std::net::Shutdown::Write)?;
        stream.set_read_timeout(Some(bounds.reply))?;
        let mut sink = Vec::new();
        stream.read_to_end(&mut sink)
    })();
    let done = spare.is_ok();
    // A server that never let go of the spare connection has nothing more
    // to tell.
    let then = (done && !stops).then(|| session::exchange("/", bounds.reply).reply);
    if then
        .as_ref()
        .is_some_and(|r| r.is_no_response() || r.end == session::End::Refused)
    {
        server.wait_for_exit(session::CRASH_GRACE);
    }
    let finished = server.finish();
    Ok(SpareRun {
        done,
        panicked: finished.stderr.contains("panicked"),
        then,
        finished,
    })
}

/// What the chapter's server of a step did: its session, how long `/`
/// waited behind `/sleep`, and its spare connection.
#[derive(Clone)]
struct Chapters {
    session: Transcript,
    waited: Option<Waited>,
    spare: Option<SpareRun>,
}

/// The chapter's server's session and probes for `step`, made by `run` the
/// first time in this process and kept: the step's server does the same
/// every time, and a watch (or the suite) checks the same step again and
/// again. A run that fails is not kept.
#[allow(clippy::type_complexity)]
fn the_chapters(
    step: &'static Step,
    run: impl FnOnce() -> (
        (
            std::result::Result<Transcript, StartError>,
            Option<Result<Waited>>,
        ),
        Result<Option<SpareRun>>,
    ),
) -> (
    std::result::Result<Transcript, StartError>,
    Option<Result<Waited>>,
    Option<SpareRun>,
) {
    type Slot = std::sync::Arc<std::sync::Mutex<Option<Chapters>>>;
    static KEPT: std::sync::Mutex<Vec<(&'static str, Slot)>> = std::sync::Mutex::new(Vec::new());
    let slot: Slot = {
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        match kept.iter().find(|(name, _)| *name == step.name) {
            Some((_, slot)) => slot.clone(),
            None => {
                let slot = Slot::default();
                kept.push((step.name, slot.clone()));
                slot
            }
        }
    };
    // Held while the runs are made: a second check of the step waits for
    // the first one's.
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = slot.as_ref() {
        return (
            Ok(kept.session.clone()),
            kept.waited.clone().map(Ok),
            kept.spare.clone(),
        );
    }
    let ((session, waited), spare) = run();
    if let (Ok(session), None | Some(Ok(_))) = (&session, &waited) {
        *slot = Some(Chapters {
            session: session.clone(),
            waited: waited.as_ref().and_then(|w| w.as_ref().ok().cloned()),
            spare: spare.as_ref().ok().cloned().flatten(),
        });
    }
    (session, waited, spare.ok().flatten())
}

/// How long `/` waits behind `/sleep` on a fresh server from `exe`, with
/// the server's threads once it has settled (where the OS tells) and the
/// workers that said they took the two jobs.
fn root_behind_sleep(exe: &Path, cwd: &Path, bounds: Bounds) -> Result<Waited> {
    let server = if bounds.readers {
        Server::start_readers(exe, cwd, bounds.start)?
    } else {
        Server::start_within(exe, cwd, bounds.start)?
    };
    let threads = server.thread_count();
    let elapsed = session::root_behind_sleep_within(bounds.reply)
        .map_err(Error::run("GET / behind GET /sleep"))?
        .elapsed;
    let (_, workers_seen) = session::hide_worker_ids(&server.finish().stdout);
    Ok(Waited {
        elapsed,
        threads,
        workers_seen,
    })
}

/// Run two jobs on threads of their own (each server in its own network
/// where the machine allows it), side by side; one after the other on the
/// shared network.
fn both<A: Send + 'static, B: Send + 'static>(
    a: impl FnOnce() -> A + Send + 'static,
    b: impl FnOnce() -> B + Send + 'static,
) -> (A, B) {
    fn join<T>(handle: thread::JoinHandle<T>) -> T {
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
    if Network::detect() == Network::Isolated {
        let (a, b) = (thread::spawn(a), thread::spawn(b));
        (join(a), join(b))
    } else {
        let a = join(thread::spawn(a));
        (a, join(thread::spawn(b)))
    }
}

/// A command step (beyond-05): the reader's program and the step's, run
/// with the step's arguments from the repository root, print the same and
/// end the same way.
fn runs_like(
    step: &'static Step,
    project: &Project,
    args: &'static [&'static str],
) -> Result<Vec<Verdict>> {
    let built = built_as_the_step(step, project)?;
    let theirs = project.executable(built)?;
    let ours = build_stage(step)?;
    let (want, got) = (run_command(&ours, args)?, run_command(&theirs, args)?);
    Ok(judge::runs_like(step, args, &want, &got))
}

/// Run `exe` with `args` from the repository root, for at most 30 s (a
/// command of the chapter's size ends in well under a second). Its output
/// is read while it runs: a program that prints more than a pipe holds
/// would otherwise block on its next write and never end.
fn run_command(exe: &Path, args: &[&str]) -> Result<Ran> {
    const BOUND: Duration = Duration::from_secs(30);
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Error::run(exe.display()))?;
    let read_all = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read_all(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = read_all(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + BOUND;
    let status = loop {
        match child.try_wait().map_err(Error::run(exe.display()))? {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::CommandHung {
                    program: exe.to_path_buf(),
                    seconds: BOUND.as_secs(),
                });
            }
            None => thread::sleep(Duration::from_millis(20)),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    // What it printed on stderr is not compared; read only so that it
    // cannot block.
    let _ = stderr.join();
    Ok(Ran {
        stdout,
        code: status.code(),
        status: status.to_string(),
    })
}

/// The step a reader's project is at, how it built, and why.
#[derive(Clone, Debug)]
pub struct Located {
    pub found: Found,
    pub built: Built,
    /// The compiler's output, where it did not build.
    pub compiler_output: Option<String>,
}

/// Build the reader's project and find its step.
pub fn locate(project: &Project) -> Result<Located> {
    let report = project.build()?;
    let built = if report.success {
        Built::Builds
    } else {
        Built::FailsWith(report.all_error_codes().into_iter().collect())
    };
    let found = detect::closest(project, Some(&built))?;
    Ok(Located {
        found,
        compiler_output: (!report.success).then(|| report.human_output()),
        built,
    })
}

impl Located {
    /// The step.
    pub fn step(&self) -> &'static Step {
        self.found.step
    }

    /// Whether the check can run: the project builds as its step does, or
    /// builds at all. Where not, the compiler's output is the report.
    pub fn checkable(&self) -> bool {
        self.compiler_output.is_none() || self.found.builds_as_the_step == Some(true)
    }

    /// Which step, then why, in a few lines: the first is the headline.
    pub fn why(&self) -> Vec<String> {
        let found = &self.found;
        let step = found.step;
        let mut lines = vec![format!(
            "Your project is at {}: {}",
            step.label_in_sentence(),
            step.title
        )];
        if found.alike == 1.0 {
            lines.push(
                "  its code is that step's, once comments, layout and the names you chose are \
                 set aside"
                    .into(),
            );
        } else {
            // Rounded down: 99.9%, not 100%, for code that is not the step's.
            let percent = |alike: f64| (alike * 1000.0).floor() / 10.0;
            let mut line = format!(
                "  its code is {}% like that step's (comments, layout and the names you chose \
                 set aside)",
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
            Outcome::FailsWith(codes) => format!("fails with {}", codes.join(" and ")),
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
