//! Build the stages with cargo and collect what the compiler said, from
//! cargo's JSON messages (never by grepping the human output).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::Message;

use crate::registry::Step;
use crate::Error;

/// The repository root (where `Cargo.toml` and the HTML files are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The build directory the checks use: their own, not the `target/debug`
/// of the cargo that runs the tests, so that the two never wait on each
/// other's lock.
pub fn stages_target_dir() -> PathBuf {
    root().join("target").join("stages")
}

/// The cargo to run: the one running us if there is one, so that a pinned
/// toolchain stays pinned.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `rustc --version` of the rustc that builds the stages (the one cargo
/// picks in this repository), e.g. `rustc 1.95.0 (59807616e 2026-04-14)`.
/// Asked once per process: every pinned output, and every benchmark
/// report, names it.
pub fn rustc_version() -> String {
    static RUNNING: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RUNNING
        .get_or_init(|| {
            let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
            Command::new(rustc)
                .arg("--version")
                .current_dir(root())
                .output()
                .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
                .unwrap_or_else(|e| format!("(rustc --version failed: {e})"))
        })
        .clone()
}

/// One place a diagnostic points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The file name only (`main.rs`, `lib.rs`).
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub primary: bool,
}

/// One compiler message about one bin.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The bin it is about.
    pub target: String,
    pub is_error: bool,
    pub is_warning: bool,
    /// The error code (`E0599`) or lint name (`dead_code`), if it has one.
    pub code: Option<String>,
    pub message: String,
    pub spans: Vec<Span>,
    /// The message as rustc renders it for a human.
    pub rendered: String,
}

/// What one `cargo build` produced.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// The bins that were built, with their executables.
    pub executables: Vec<(String, PathBuf)>,
    /// Whether cargo succeeded.
    pub success: bool,
    /// What cargo itself printed on stderr (`error: could not compile ...`).
    pub cargo_stderr: String,
}

impl BuildReport {
    /// The error codes rustc reported for any target, sorted.
    pub(crate) fn all_error_codes(&self) -> BTreeSet<String> {
        self.diagnostics
            .iter()
            .filter(|d| d.is_error)
            .filter_map(|d| d.code.clone())
            .collect()
    }

    /// What a reader would have seen: the compiler's messages as rustc
    /// renders them, then cargo's own lines.
    pub(crate) fn human_output(&self) -> String {
        let mut text: String = self
            .diagnostics
            .iter()
            .map(|d| d.rendered.as_str())
            .collect();
        text.push_str(&self.cargo_stderr);
        text
    }

    /// The executable built for `target`, if it built.
    pub fn executable(&self, target: &str) -> Option<&Path> {
        self.executables
            .iter()
            .find(|(name, _)| name == target)
            .map(|(_, path)| path.as_path())
    }
}

/// Run a `cargo build --message-format json` (or one of its `json-*`
/// variants) and collect its messages.
pub(crate) fn run_build(mut command: Command) -> io::Result<BuildReport> {
    let output = command
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .output()?;
    read_build(output.status.success(), &output.stdout, &output.stderr)
}

/// Collect the messages of a `cargo build --message-format json` that
/// printed `stdout` and `stderr`.
pub fn read_build(success: bool, stdout: &[u8], stderr: &[u8]) -> io::Result<BuildReport> {
    let mut report = BuildReport {
        success,
        cargo_stderr: String::from_utf8_lossy(stderr).into_owned(),
        ..BuildReport::default()
    };
    for message in Message::parse_stream(stdout) {
        match message? {
            Message::CompilerMessage(m) => {
                let d = m.message;
                // The closing "For more information ..." notes carry no span.
                if matches!(d.level, DiagnosticLevel::FailureNote) {
                    continue;
                }
                report.diagnostics.push(Diagnostic {
                    target: m.target.name,
                    is_error: matches!(d.level, DiagnosticLevel::Error | DiagnosticLevel::Ice),
                    is_warning: matches!(d.level, DiagnosticLevel::Warning),
                    code: d.code.map(|c| c.code),
                    message: d.message,
                    // The message's own spans, then its notes' (`note: ...
                    // --> src/lib.rs:47:33`), which count as labels.
                    spans: d
                        .spans
                        .iter()
                        .map(|s| (s, s.is_primary))
                        .chain(
                            d.children
                                .iter()
                                .flat_map(|c| c.spans.iter().map(|s| (s, false))),
                        )
                        .map(|(s, primary)| Span {
                            file: file_name(&s.file_name),
                            line: s.line_start as u32,
                            column: s.column_start as u32,
                            primary,
                        })
                        .collect(),
                    rendered: d.rendered.unwrap_or_default(),
                });
            }
            Message::CompilerArtifact(a) => {
                if let Some(exe) = a.executable {
                    report.executables.push((a.target.name, exe.into()));
                }
            }
            _ => {}
        }
    }
    if report.diagnostics.is_empty() && report.executables.is_empty() && !success {
        // cargo itself failed (bad manifest, lock file out of date, ...).
        return Err(io::Error::other(format!(
            "cargo build failed before compiling anything:\n{}",
            report.cargo_stderr
        )));
    }
    Ok(report)
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// Run `command` (a `cargo build`) with JSON messages whose diagnostics
/// carry rustc's coloured rendering, for a reader to see.
fn build_for_a_reader(mut command: Command, what: &str) -> crate::Result<BuildReport> {
    command.args(["--message-format", "json-diagnostic-rendered-ansi"]);
    run_build(command).map_err(|e| match e.kind() {
        io::ErrorKind::Other => Error::Cargo {
            what: what.to_string(),
            cargo_says: e.to_string(),
        },
        _ => Error::run("cargo")(e),
    })
}

/// Build the step's bin (quietly, in the checks' build directory) and
/// return its executable. Built once per process: the stages do not change
/// under a running tour or test (and every cargo run costs a tenth of a
/// second of CPU, even with nothing to do).
pub fn build_stage(step: &'static Step) -> crate::Result<PathBuf> {
    let built = |name: &str| {
        BUILT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, exe)| exe.clone())
    };
    if let Some(exe) = built(step.name) {
        return Ok(exe);
    }
    let exe = build_stage_now(step)?;
    BUILT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((step.name, exe.clone()));
    Ok(exe)
}

/// Take the executables of `report`, a build of the stages made as
/// [`build_stage`] makes them (same target directory, package selected, no
/// features), as built: `build_stage` then returns them without asking
/// cargo again. For a caller that builds many stages at once (the test
/// kit builds them all in one cargo run).
#[cfg(feature = "_kit")]
pub fn stages_built(report: &BuildReport) {
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    for step in crate::registry::STEPS {
        if let Some(exe) = report.executable(step.name) {
            if !built.iter().any(|(n, _)| *n == step.name) {
                built.push((step.name, exe.to_path_buf()));
            }
        }
    }
}

/// The stages built in this process, by name.
static BUILT: std::sync::Mutex<Vec<(&'static str, PathBuf)>> = std::sync::Mutex::new(Vec::new());

fn build_stage_now(step: &'static Step) -> crate::Result<PathBuf> {
    // Selected as a reader's `cargo run --bin <step>` selects it, from the
    // root with no `-p` (cargo settles the features of every crate over
    // the packages a build selects: the workspace's default members), so
    // that the suite's build of every stage and a reader's command find
    // each other's build here.
    let mut command = cargo();
    command
        .current_dir(root())
        .args(["build", "--quiet", "--bin", step.name])
        .arg("--target-dir")
        .arg(stages_target_dir());
    let built = build_for_a_reader(command, step.name)?;
    if !built.success {
        return Err(Error::StageDidNotBuild {
            step,
            compiler_output: built.human_output(),
        });
    }
    built
        .executable(step.name)
        .map(Path::to_path_buf)
        .ok_or(Error::StageDidNotBuild {
            step,
            compiler_output: built.human_output(),
        })
}

/// The `cargo build` of a step that must not compile, for its output to go
/// straight to the reader, as `cargo build` shows it: the caller runs it,
/// and it should fail.
pub fn failing_stage_build(step: &Step) -> Command {
    let mut command = cargo();
    command
        .current_dir(root())
        .args(["build", "--features", "compile-fail", "--bin", step.name])
        .arg("--target-dir")
        .arg(stages_target_dir());
    command
}

/// Build the reader's project in `dir` (in its own target directory, with
/// its own toolchain choice), with the compiler's messages coloured for a
/// reader.
pub(crate) fn build_project(dir: &Path) -> crate::Result<BuildReport> {
    let mut command = cargo();
    command
        .current_dir(dir)
        .args(["build", "--quiet"])
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN");
    build_for_a_reader(command, &format!("your project at {}", dir.display()))
}
