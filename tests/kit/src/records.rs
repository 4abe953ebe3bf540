//! Cargo builds of the stages whose every input is as it was in the last
//! run of the same command are not run again: what they printed is read
//! back from `target/stages/records/` instead.
//!
//! What the compiler prints is a function of what it is given (cargo's own
//! fingerprints rest on the same fact, and it replays the warnings of a
//! fresh build the same way). The inputs are everything a build of the
//! stages reads that could change what it prints ([`inputs`]); a fresh
//! clone (as in CI) runs every command, and so does `CH20_RECOMPILE=1`.
//! It keeps some 40 cargo runs, over three seconds of CPU, out of a warm
//! suite: cargo cannot skip the steps that fail to compile, and its start
//! costs 45 ms even when it has nothing to do.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

use companion::compile::{cargo, root, stages_target_dir};

/// What a recorded command printed, and whether it succeeded.
pub struct Output {
    pub success: bool,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// The output of `command`, a cargo build of the stages, recorded as `name`:
/// read back when its inputs are unchanged and `still_valid` accepts it (a
/// build whose executables are gone is run again), run and recorded
/// otherwise.
pub fn run(name: &str, mut command: Command, still_valid: impl Fn(&Output) -> bool) -> Output {
    let mut key = std::collections::hash_map::DefaultHasher::new();
    inputs().hash(&mut key);
    format!("{command:?}").hash(&mut key);
    let key = format!("{:016x}", key.finish());
    let record = stages_target_dir()
        .join("records")
        .join(format!("{name}.txt"));
    let recompile = std::env::var_os("CH20_RECOMPILE").is_some_and(|v| v == "1");
    if !recompile {
        if let Some(output) = read(&record, &key).filter(&still_valid) {
            return output;
        }
    }
    let out = command.output().expect("running cargo build");
    let output = Output {
        success: out.status.success(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    write(&record, &key, &output);
    output
}

/// A record: the key, whether the command succeeded, the length of its
/// stdout, then its stdout and its stderr.
fn write(path: &Path, key: &str, output: &Output) {
    let mut bytes = format!("{key}\n{}\n{}\n", output.success, output.stdout.len()).into_bytes();
    bytes.extend_from_slice(&output.stdout);
    bytes.extend_from_slice(output.stderr.as_bytes());
    // Written whole, then renamed: a run that reads it sees all or nothing.
    let partial = path.with_extension(format!("{}.partial", std::process::id()));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&partial, bytes).unwrap();
    std::fs::rename(&partial, path).unwrap();
}

/// The output recorded at `path` by a run with the same `key`, if any.
fn read(path: &Path, key: &str) -> Option<Output> {
    let bytes = std::fs::read(path).ok()?;
    let mut fields = bytes.splitn(4, |&b| b == b'\n');
    let (recorded_key, success, length, rest) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let length: usize = std::str::from_utf8(length).ok()?.parse().ok()?;
    (recorded_key == key.as_bytes() && rest.len() >= length).then(|| Output {
        success: success == b"true",
        stdout: rest[..length].to_vec(),
        stderr: String::from_utf8_lossy(&rest[length..]).into_owned(),
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
            let version = Command::new(program)
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
