//! What the tests ask of the registry and of a build that the tour and the
//! check never need, as methods: `use kit::facts::*`.

use std::collections::BTreeSet;
use std::process::Command;

use companion::compile::{cargo, root, stages_target_dir, BuildReport, Diagnostic};
use companion::registry::{Kind, Outcome, Step, Track, STEPS};

/// What the tests ask of a step.
pub trait StepFacts {
    /// Whether the step is behind the `compile-fail` feature.
    fn fails_to_compile(&self) -> bool;
    /// The lints rustc warns about when the step builds (empty if it builds
    /// cleanly or does not build).
    fn expected_warnings(&self) -> &'static [&'static str];
    /// The width the book formats this step's code at, where the stage keeps
    /// the book's layout (a `rustfmt.toml` in its folder says so to cargo
    /// fmt): 80 columns for the print edition's and today's edition's
    /// listing files. `None` where the stage is at rustfmt's default width:
    /// the older printings, rebuilt from their text, and the pages' bins,
    /// which are ours.
    fn max_width(&self) -> Option<u32>;
}

impl StepFacts for Step {
    fn fails_to_compile(&self) -> bool {
        matches!(self.outcome(), Outcome::FailsWith(_))
    }

    fn expected_warnings(&self) -> &'static [&'static str] {
        match self.outcome() {
            Outcome::Warns(lints) => lints,
            _ => &[],
        }
    }

    fn max_width(&self) -> Option<u32> {
        match (self.track, self.kind()) {
            (_, Kind::Page(_)) => None,
            (Track::Print2021 | Track::Edition2024, _) => Some(80),
            // Ours, at the book's width, so that its diffs from the
            // chapter's last step show code, not layout.
            (Track::Exercises, _) => Some(80),
            (Track::Print2018 | Track::Online, _) => None,
        }
    }
}

/// What the tests ask of a build.
pub trait BuildFacts {
    /// The diagnostics about the bin `target`.
    fn for_target<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a Diagnostic>;
    /// The error codes rustc reported for the bin `target`, sorted.
    fn error_codes(&self, target: &str) -> BTreeSet<String>;
}

impl BuildFacts for BuildReport {
    fn for_target<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.target == target)
    }

    fn error_codes(&self, target: &str) -> BTreeSet<String> {
        self.for_target(target)
            .filter(|d| d.is_error)
            .filter_map(|d| d.code.clone())
            .collect()
    }
}

/// The two commands that build every stage, in `stages_target_dir`, with
/// JSON messages (`read_build`): first the stages that compile, selected as
/// a reader's `cargo run --bin <step>` and `compile::build_stage` select
/// one (from the root, no `-p`, no features), so that the tour's, the
/// check's and the pages' commands find each built; then the ones that
/// fail, behind `compile-fail` (`--keep-going`, so one failing bin does not
/// stop the others). One build with the feature on for all would give
/// every stage a second build, the feature being part of its hash.
pub fn all_stages_builds() -> [(&'static str, Command); 2] {
    let build = |steps: &mut dyn Iterator<Item = &Step>| {
        let mut command = cargo();
        command
            .current_dir(root())
            .args(["build", "--locked", "--message-format", "json"])
            .arg("--target-dir")
            .arg(stages_target_dir());
        for step in steps {
            command.args(["--bin", step.name]);
        }
        command
    };
    let compiling = build(&mut STEPS.iter().filter(|step| !step.fails_to_compile()));
    let mut failing = build(&mut STEPS.iter().filter(|step| step.fails_to_compile()));
    failing.args(["--features", "compile-fail", "--keep-going"]);
    [
        ("stages that compile", compiling),
        ("stages that fail", failing),
    ]
}

/// The book's `output.txt` files, each with its step (those that exist):
/// made with `-A unused_variables -A dead_code`, none shows those lints,
/// and at least one leaves out a warning our stage of its step has.
pub fn book_outputs_leave_out_unused_and_dead_code(
    outputs: impl IntoIterator<Item = (&'static Step, std::path::PathBuf)>,
) {
    let (mut read, mut hidden) = (0, 0);
    for (step, path) in outputs {
        let Ok(output) = std::fs::read_to_string(&path) else {
            continue;
        };
        read += 1;
        for lint in [
            "unused variable",
            "never read",
            "never used",
            "never constructed",
        ] {
            assert!(!output.contains(lint), "{}: {lint}", path.display());
        }
        let allowed = |lint: &&str| ["unused_variables", "dead_code"].contains(lint);
        if !output.contains("warning:") && step.expected_warnings().iter().any(allowed) {
            hidden += 1;
        }
    }
    assert!(read >= 7, "{read} output.txt files");
    assert!(hidden >= 1, "no output.txt leaves out a warning of ours");
}
