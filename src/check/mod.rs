//! The check: what a reader's project does of what its step does, as
//! verdicts in plain words. [`evaluate`] builds the project, probes the
//! step's server and the reader's alike (`probe.rs`, or `command.rs` for a
//! command step) and judges the two (`judge/`, pure and tested with fake
//! transcripts); [`locate`] finds the step a project is at first. A
//! verdict is a value (`verdict.rs`), its words are rendered last
//! (`words.rs`, `json.rs`). Nothing here prints: the tour shows them.

mod command;
mod json;
mod judge;
mod locate;
mod probe;
mod verdict;
mod words;

pub use json::document;
pub use locate::{locate, Located};
pub use verdict::{
    Behaviour, Body, Fault, Finding, Panic, Place, Repeated, Reproduce, Seen, Serial, Shape, Spare,
    Status, Verdict, Wait,
};
pub use words::{mark, thousands};

use std::path::Path;
use std::time::Duration;

use crate::compile::{build_stage, root, BuildReport};
use crate::reader::Project;
use crate::registry::{Kind, Serves, Step};
use crate::server::{ServerCommand, StartError};
use crate::session::{self, Bounds};
use crate::{Error, Result};

use judge::Pages;

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
        Kind::Command(args) => command::runs_like(step, project, args)?,
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
pub(super) fn built_as_the_step<'p>(
    step: &'static Step,
    project: &'p Project,
) -> Result<&'p BuildReport> {
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
