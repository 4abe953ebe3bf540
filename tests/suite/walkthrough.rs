//! The chapter is taught through compiler messages. This pins every one of
//! them as the reader sees it: the errors of the seven steps that do not
//! compile, and the warnings of the steps that compile with warnings, each
//! from the very command a reader types, normalised only where machines and
//! runs differ (src/normalize.rs).

use crate::common;

use std::hash::{Hash, Hasher};
use std::path::Path;

use companion::compile::{cargo, root, stages_target_dir};
use companion::normalize;
use companion::steps::STEPS;

/// What `cargo build` printed on stderr, and whether it succeeded.
struct Built {
    success: bool,
    stderr: String,
}

/// `cargo build <args>` as a reader runs it from the repository root, in the
/// checks' own build directory.
///
/// What the compiler prints is a function of what it is given, so a run
/// whose every input is as it was in the last run of the same command (see
/// [`inputs`]) is not repeated: its output, recorded in
/// `target/stages/walkthrough/`, is compared with the snapshot instead. A
/// fresh clone (as in CI) runs every command; `CH20_RECOMPILE=1` does too.
/// That keeps some 40 cargo runs (three seconds of CPU) out of a warm suite.
fn cargo_build(args: &[&str]) -> Built {
    let mut key = std::collections::hash_map::DefaultHasher::new();
    inputs().hash(&mut key);
    args.hash(&mut key);
    let key = format!("{:016x}", key.finish());
    let record = stages_target_dir()
        .join("walkthrough")
        .join(format!("cargo build {}.txt", args.join(" ")));
    let recompile = std::env::var_os("CH20_RECOMPILE").is_some_and(|v| v == "1");
    if !recompile {
        if let Some(built) = recorded(&record, &key) {
            return built;
        }
    }
    let out = cargo()
        .current_dir(root())
        .args(["build", "--locked", "--color", "never"])
        .args(args)
        .arg("--target-dir")
        .arg(stages_target_dir())
        .output()
        .expect("running cargo build");
    let built = Built {
        success: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    // Written whole, then renamed: a run that reads it sees all or nothing.
    let partial = record.with_extension(format!("{}.partial", std::process::id()));
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::fs::write(
        &partial,
        format!("{key}\n{}\n{}", built.success, built.stderr),
    )
    .unwrap();
    std::fs::rename(&partial, &record).unwrap();
    built
}

/// The output recorded at `path` by a run with the same `key`, if any.
fn recorded(path: &Path, key: &str) -> Option<Built> {
    let text = std::fs::read_to_string(path).ok()?;
    let (recorded_key, rest) = text.split_once('\n')?;
    let (success, stderr) = rest.split_once('\n')?;
    (recorded_key == key).then(|| Built {
        success: success == "true",
        stderr: stderr.to_string(),
    })
}

/// Everything a `cargo build` of a stage reads that could change what it
/// prints: every file of the stage packages, the workspace's manifest, lock
/// file, cargo configuration and toolchain file, the rustc and cargo that
/// run, and the environment variables cargo and rustc read (all of
/// `CARGO*`, `RUSTC*`, `RUSTFLAGS`, `RUSTDOCFLAGS` and `RUSTUP*`: more than
/// they read, which costs at most a needless run). Worked out once per
/// process.
fn inputs() -> &'static [(String, Vec<u8>)] {
    static INPUTS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    INPUTS.get_or_init(|| {
        let mut inputs = Vec::new();
        let mut dirs = vec![root().join("stages")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
                }
            }
        }
        for file in [
            "Cargo.toml",
            "Cargo.lock",
            ".cargo/config.toml",
            "rust-toolchain.toml",
        ] {
            let path = root().join(file);
            inputs.push((file.to_string(), std::fs::read(path).unwrap_or_default()));
        }
        for tool in ["rustc", "cargo"] {
            let program = match tool {
                "cargo" => cargo().get_program().to_owned(),
                _ => std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()),
            };
            let version = std::process::Command::new(program)
                .arg("-vV")
                .current_dir(root())
                .output()
                .expect("asking the toolchain its version");
            inputs.push((tool.to_string(), version.stdout));
        }
        for (name, value) in std::env::vars_os() {
            let name = name.to_string_lossy().into_owned();
            let read_by_the_toolchain = ["CARGO", "RUSTC", "RUSTFLAGS", "RUSTDOCFLAGS", "RUSTUP"]
                .iter()
                .any(|prefix| name.starts_with(prefix));
            if read_by_the_toolchain {
                inputs.push((name, value.to_string_lossy().as_bytes().to_vec()));
            }
        }
        inputs.sort();
        inputs
    })
}

#[test]
fn every_failing_step_shows_the_pinned_compiler_errors() {
    for step in STEPS.iter().filter(|s| s.fails_to_compile()) {
        let args = ["--features", "compile-fail", "--bin", step.name];
        let out = cargo_build(&args);
        assert!(!out.success, "{} must not compile", step.name);
        let shown = normalize::cargo_output(&out.stderr);
        common::assert_pinned(
            &format!("{}.errors", step.name),
            &format!("cargo build {}", args.join(" ")),
            &shown,
        );
    }
}

#[test]
fn every_step_that_warns_shows_the_pinned_warnings() {
    for step in STEPS.iter().filter(|s| !s.expected_warnings().is_empty()) {
        let args = ["--bin", step.name];
        let out = cargo_build(&args);
        assert!(out.success, "{} must compile", step.name);
        let shown = normalize::cargo_output(&out.stderr);
        assert!(shown.starts_with("warning: "), "{}:\n{shown}", step.name);
        common::assert_pinned(
            &format!("{}.warnings", step.name),
            &format!("cargo build {}", args.join(" ")),
            &shown,
        );
    }
}
