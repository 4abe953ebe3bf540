//! Building the stages and the reader's project with cargo, with the
//! compiler's own output shown to the reader as cargo prints it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use cargo_metadata::Message;
use companion::compile::{cargo, root, stages_target_dir};
use companion::steps::Step;

/// What a `cargo build` left behind.
pub struct Built {
    /// The executables it built, by target name.
    pub executables: Vec<(String, PathBuf)>,
    /// The error codes rustc reported.
    pub error_codes: Vec<String>,
    /// What cargo printed for a human.
    pub stderr: String,
    pub success: bool,
}

/// Run `command` (a `cargo build`) with JSON artifacts on stdout and the
/// human-readable diagnostics rendered on stderr.
fn build(mut command: Command) -> anyhow::Result<Built> {
    let output = command
        .args(["--message-format", "json-diagnostic-rendered-ansi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .context("could not run cargo")?;
    let mut built = Built {
        executables: vec![],
        error_codes: vec![],
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
    };
    for message in Message::parse_stream(output.stdout.as_slice()).flatten() {
        match message {
            Message::CompilerArtifact(a) => {
                if let Some(exe) = a.executable {
                    built.executables.push((a.target.name.clone(), exe.into()));
                }
            }
            Message::CompilerMessage(m) => {
                if let Some(rendered) = &m.message.rendered {
                    built.stderr.push_str(rendered);
                }
                if matches!(
                    m.message.level,
                    cargo_metadata::diagnostic::DiagnosticLevel::Error
                ) {
                    if let Some(code) = m.message.code {
                        built.error_codes.push(code.code);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(built)
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
        eprint!("{}", built.stderr);
        bail!("{} did not build", step.name);
    }
    built
        .executables
        .into_iter()
        .find(|(name, _)| name == step.name)
        .map(|(_, exe)| exe)
        .with_context(|| format!("cargo built no executable for {}", step.name))
}

/// Build a step that must not compile, showing the compiler's output as
/// the reader would see it; return the error codes.
pub fn failing_stage(step: &Step) -> anyhow::Result<Vec<String>> {
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
    Ok(step
        .expected_errors()
        .iter()
        .map(|c| c.to_string())
        .collect())
}

/// Build the reader's project at `path` (in its own target directory).
pub fn project(path: &Path) -> anyhow::Result<Built> {
    let mut command = cargo();
    command.current_dir(path).args(["build", "--quiet"]);
    // Their project has its own toolchain choice and build directory.
    command
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN");
    build(command)
}
