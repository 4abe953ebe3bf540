//! Building the stages and the reader's project with cargo, with the
//! compiler's own output shown to the reader as cargo prints it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use companion::compile::{cargo, root, run_build, stages_target_dir, BuildReport};
use companion::steps::Step;

/// Run `command` (a `cargo build`) with JSON messages whose diagnostics
/// carry rustc's coloured rendering, for a reader to see.
fn build(mut command: Command) -> anyhow::Result<BuildReport> {
    command.args(["--message-format", "json-diagnostic-rendered-ansi"]);
    run_build(command).context("could not run cargo")
}

/// Build the step's bin (quietly, in the checks' build directory) and
/// return its executable.
pub fn stage(step: &Step) -> anyhow::Result<PathBuf> {
    let mut command = cargo();
    command
        .current_dir(root())
        .args(["build", "--quiet", "--bin", step.name])
        .arg("--target-dir")
        .arg(stages_target_dir());
    let built = build(command)?;
    if !built.success {
        anstream::eprint!("{}", built.human_output());
        bail!("{} did not build", step.name);
    }
    built
        .executables
        .into_iter()
        .find(|(name, _)| name == step.name)
        .map(|(_, exe)| exe)
        .with_context(|| format!("cargo built no executable for {}", step.name))
}

/// Build a step that must not compile, with the compiler's output going
/// straight to the reader, as `cargo build` shows it; an error if it
/// compiles.
pub fn failing_stage(step: &Step) -> anyhow::Result<()> {
    let status = cargo()
        .current_dir(root())
        .args(["build", "--features", "compile-fail", "--bin", step.name])
        .arg("--target-dir")
        .arg(stages_target_dir())
        .status()
        .context("could not run cargo")?;
    if status.success() {
        bail!("{} compiled, but it should not", step.name);
    }
    Ok(())
}

/// Build the reader's project at `path` (in its own target directory).
pub fn project(path: &Path) -> anyhow::Result<BuildReport> {
    let mut command = cargo();
    command.current_dir(path).args(["build", "--quiet"]);
    // Their project has its own toolchain choice and build directory.
    command
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN");
    build(command)
}
