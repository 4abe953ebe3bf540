//! The test kit: what only the tests need, kept out of the library
//! (`companion`). The suite's helpers are here (reading the repository and
//! the book's data in `tests/book/`, pinning a snapshot, the stages built once, a server
//! started from a step); so are the recorded stage builds ([`records`]),
//! the snapshots' rustc check ([`toolchain`]), README's table of steps
//! ([`readme`]), what the walkthrough says of the registry ([`book`]), and,
//! on Linux, what the tests do with processes and networks ([`linux`]).

pub mod book;
pub mod book_data;
pub mod facts;
pub mod normalize;
pub mod projects;
pub mod readme;
pub mod records;
pub mod skip;
pub mod toolchain;

#[cfg(target_os = "linux")]
pub mod linux;

use std::io::Write;
use std::path::PathBuf;

/// The two lines our `main.rs` ends with where a step has a `lib.rs`: the
/// book's `use hello::ThreadPool;` then reaches the step's `lib.rs`.
pub use companion::registry::SCAFFOLD;

/// A file of the book's data in `tests/book/` (see [`book_data`]), read
/// whole: `rel` as `../shared/` names it (`seeds/002_....txt`).
pub fn read_book(rel: &str) -> String {
    let path = book_data::book_dir().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A file of this repository, read whole.
pub fn read_repo(rel: &str) -> String {
    let path = companion::compile::root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Print a line that the test harness does not capture (it captures
/// `eprintln!` and `io::stderr()` alike, and shows them only on failure): a
/// skipped check must say so in every run.
pub fn say_past_capture(line: &str) {
    match std::fs::OpenOptions::new().write(true).open("/dev/stderr") {
        Ok(mut tty) => {
            let _ = writeln!(tty, "{line}");
        }
        Err(_) => eprintln!("{line}"),
    }
}

/// Pin `content` as `snapshots/<name>.snap` with insta, recording the
/// command that produced it (`description`) and the rustc that ran. When the
/// snapshot differs and the rustc is not the pinned one, fail first with a
/// message that says so.
pub fn assert_pinned(name: &str, description: &str, content: &str) {
    let dir = companion::compile::root().join("snapshots");
    let running = companion::compile::rustc_version();
    if let Ok(stored) = std::fs::read_to_string(dir.join(format!("{name}.snap"))) {
        let (header, body) = split_snapshot(&stored);
        let taken_with = header
            .lines()
            .find_map(|l| l.strip_prefix("info: taken with "));
        if let Some(message) = toolchain::mismatch(
            name,
            &toolchain::pinned(),
            &running,
            taken_with,
            body,
            content,
        ) {
            panic!("{message}");
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings.set_raw_info(&insta::internals::Content::String(format!(
        "taken with {running}"
    )));
    settings.bind(|| insta::assert_snapshot!(name, content));
}

/// A `.snap` file's metadata header and its body.
pub fn split_snapshot(file: &str) -> (&str, &str) {
    let rest = file.strip_prefix("---\n").unwrap_or(file);
    rest.split_once("\n---\n").unwrap_or(("", rest))
}

/// Every stage, the failing ones included, built once per test process in
/// the checks' own build directory (the stages are packages of their own,
/// which `cargo test` does not build), or read back when nothing it reads
/// has changed and its executables are all there (see `records`): the two
/// builds of `facts::all_stages_builds`, as one report.
pub fn stages() -> &'static companion::compile::BuildReport {
    use companion::compile::{read_build, BuildReport};
    static REPORT: std::sync::OnceLock<BuildReport> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let read = |out: &records::Output| {
            read_build(out.success, &out.stdout, out.stderr.as_bytes())
                .expect("running cargo build on the stages")
        };
        let mut all = BuildReport {
            success: true,
            ..BuildReport::default()
        };
        for (name, command) in facts::all_stages_builds() {
            let out = records::run(name, command, |out| {
                read(out).executables.iter().all(|(_, exe)| exe.is_file())
            });
            let report = read(&out);
            all.diagnostics.extend(report.diagnostics);
            all.executables.extend(report.executables);
            all.success &= report.success;
            all.cargo_stderr.push_str(&report.cargo_stderr);
        }
        // The stages that compile were built as `build_stage` builds one:
        // the checks the tests make need not ask cargo again for each.
        companion::compile::stages_built(&all);
        all
    })
}

/// The executable of the stage `name`.
pub fn stage_exe(name: &str) -> PathBuf {
    let path = stages()
        .executable(name)
        .unwrap_or_else(|| panic!("the stage {name} built no executable"));
    assert!(path.is_file(), "{} was not built", path.display());
    path.to_path_buf()
}

/// Start the bin `name` as a server from the repository root (connect to
/// it through the server: see companion::server).
pub fn start(name: &str) -> companion::server::Server {
    companion::server::ServerCommand::new(stage_exe(name))
        .current_dir(companion::compile::root())
        .start()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What the book's `release_listings` tool does to a listing file before it
/// compiles it: every `// ANCHOR: name`, `// ANCHOR_END: name` and
/// `// --snip--` line goes (the blank lines around them stay), and so does
/// an empty `fn main() {}` in a `lib.rs`.
pub fn clean(text: &str, is_lib: bool) -> String {
    let kept: String = text
        .split_inclusive('\n')
        .filter(|line| {
            let line = line.trim();
            let anchor = ["// ANCHOR: ", "// ANCHOR_END: "].iter().any(|a| {
                line.strip_prefix(a)
                    .is_some_and(|name| !name.is_empty() && !name.contains(' '))
            });
            !anchor && line != "// --snip--"
        })
        .collect();
    if is_lib {
        kept.replace("fn main() {}\n", "")
    } else {
        kept
    }
}

/// A server that holds 127.0.0.1:7878 in the calling thread's network, as
/// one a reader left running would: listing 20-1, a process of its own
/// (a socket of the test process itself would also be held, for a moment,
/// by every server this process forks for other tests). Stopped and reaped
/// when dropped, however the test ends.
#[cfg(target_os = "linux")]
pub struct PortHolder(std::process::Child);

#[cfg(target_os = "linux")]
impl PortHolder {
    /// Start it, and wait until it listens.
    pub fn start() -> PortHolder {
        let holder = std::process::Command::new(stage_exe("listing-20-01"))
            .current_dir(companion::compile::root())
            .stdout(std::process::Stdio::null())
            .spawn()
            .map(PortHolder)
            .expect("starting listing 20-1");
        let listening = wait_until(std::time::Duration::from_secs(30), || {
            companion::linux::port_holder().is_some()
        });
        assert!(listening, "listing 20-1 never listened");
        holder
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

#[cfg(target_os = "linux")]
impl Drop for PortHolder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Look at `done` every few milliseconds until it holds or `bound` has
/// passed; whether it held. For conditions that hold once something has
/// happened elsewhere (a server's threads, a line in its log).
pub fn wait_until(bound: std::time::Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + bound;
    loop {
        if done() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The `fn main` of a main.rs, from its first line to its closing brace.
pub fn main_fn(text: &str) -> &str {
    function(text, "main")
}

/// The top-level function `name` of a Rust file laid out by rustfmt, from
/// its `fn name(` line to its closing `}` at the start of a line.
pub fn function<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text
        .find(&format!("\nfn {name}("))
        .unwrap_or_else(|| panic!("no fn {name}"))
        + 1;
    let end = start
        + text[start..]
            .find("\n}\n")
            .unwrap_or_else(|| panic!("the end of fn {name}"))
        + 3;
    &text[start..end]
}
