//! The check: what a reader's project does of what its step does, as
//! verdicts in plain words. [`evaluate`] builds the project, runs the
//! step's session against the step's server and against the reader's, and
//! judges the two ([`judge`], pure and tested with fake transcripts);
//! [`locate`] finds the step a project is at first. Nothing here prints:
//! the tour shows the verdicts.

mod json;
mod judge;
mod probe;
mod verdict;
mod words;

pub use json::document;
pub use verdict::{
    Behaviour, Body, Fault, Finding, Panic, Place, Repeated, Reproduce, Seen, Serial, Shape, Spare,
    Status, Verdict, Wait,
};
pub use words::{mark, thousands};

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::compile::{build_stage, root, BuildReport};
use crate::reader::detect::{self, Built, Found};
use crate::reader::Project;
use crate::registry::{Kind, Outcome, Serves, Step};
use crate::server::{ServerCommand, StartError};
use crate::session::{self, Bounds};
use crate::{Error, Result};

use judge::{Pages, Ran};

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
pub(crate) fn reader_timeout(serves: &Serves) -> Duration {
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
pub(crate) const EXIT_WITHIN: Duration = Duration::from_secs(2);

/// How long a reader's server has to listen once it runs: the chapter's
/// binds its port first thing, within milliseconds.
pub(crate) const LISTEN_WITHIN: Duration = Duration::from_secs(3);

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
    let ours = ServerCommand::new(build_stage(step)?).current_dir(root());
    let yours = ServerCommand::new(theirs)
        .current_dir(&project.dir)
        .listen_within(LISTEN_WITHIN)
        .for_a_reader();
    let waited = reader_timeout(&serves);
    let readers_bounds = Bounds {
        reply: waited,
        exit: EXIT_WITHIN,
    };
    let (chapters, probed) = probe::side_by_side(
        || probe::the_chapters_own(step, &ours),
        || probe::probe(step, &yours, readers_bounds),
    );
    let expected = chapters.session?;
    // A reader's server that does not start is a verdict, not an error:
    // what it did instead, in words.
    let actual = match probed.session {
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
    let expected_wait = chapters.waited.transpose()?;
    // A probe that could not start the reader's server (whose session ran)
    // has nothing to say about waiting.
    if let (Some(expected), Some(Ok(actual)), true) = (&expected_wait, probed.waited, responds) {
        verdicts.push(judge::compare_waiting(step, expected, &actual));
    }
    // (The spare connection tells a note at most: a probe that failed
    // tells nothing.)
    if let (Some(Ok(ours)), Some(Ok(yours))) = (chapters.spare, probed.spare) {
        verdicts.extend(judge::spare_connection(step, &ours, &yours));
    }
    verdicts.extend(judge::notes(step, expected_wait.as_ref()));
    Ok(verdicts)
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
        let at_step = match step.outcome() {
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
