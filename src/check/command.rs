//! A command step (beyond-05): the reader's program and the step's, run
//! with the step's arguments and compared.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::compile::{build_stage, root};
use crate::reader::Project;
use crate::registry::Step;
use crate::{Error, Result};

use super::judge::{self, Ran};
use super::{built_as_the_step, Verdict};

/// A command step (beyond-05): the reader's program and the step's, run
/// with the step's arguments from the repository root, print the same and
/// end the same way.
pub(super) fn runs_like(
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
