//! The step registry in `src/steps.rs` is the one list of steps: it must
//! agree with Cargo.toml's bins, with the files in `stages/`, and with the
//! chapter's own step list in ../shared/STAGES.md.

use crate::common;

use std::collections::BTreeMap;

use companion::compile::{cargo, root};
use companion::steps::{Files, Printing, Step, STEPS};

/// The package of the book's code (stages/Cargo.toml).
const STAGES_PACKAGE: &str = "hello";

const SCAFFOLD: &str = "\n#[path = \"lib.rs\"]\nmod hello;\n";

fn workspace() -> cargo_metadata::Metadata {
    cargo_metadata::MetadataCommand::new()
        .cargo_path(cargo().get_program())
        .manifest_path(root().join("Cargo.toml"))
        .no_deps()
        .exec()
        .expect("cargo metadata")
}

#[test]
fn the_stages_are_a_package_of_their_own_that_depends_on_nothing() {
    let metadata = workspace();
    let stages = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == STAGES_PACKAGE)
        .expect("the stages' package is a member of the workspace");
    assert_eq!(stages.manifest_path, root().join("stages/Cargo.toml"));
    assert!(
        stages.dependencies.is_empty(),
        "the stages depend on nothing, so that a step builds alone: {:?}",
        stages.dependencies
    );
    // Ours has the tour as its only bin: every step is in the stages'.
    let ours: Vec<&str> = metadata
        .packages
        .iter()
        .filter(|p| p.name.as_str() != STAGES_PACKAGE)
        .flat_map(|p| p.targets.iter().filter(|t| t.is_bin()))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(ours, ["tour"]);
    // `cargo run --bin <step>` from the root reaches the stages.
    let default: Vec<&str> = metadata
        .workspace_default_packages()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert!(default.contains(&STAGES_PACKAGE), "{default:?}");
}

#[test]
fn the_suite_is_one_test_binary() {
    // One integration-test crate links once and runs its tests side by
    // side; a second tests/*.rs would be linked and run after it.
    let metadata = workspace();
    let tests: Vec<&str> = metadata
        .packages
        .iter()
        .flat_map(|p| p.targets.iter())
        .filter(|t| t.is_test())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(tests, ["suite"]);
}

#[test]
fn every_registered_step_is_a_bin_and_every_bin_is_registered() {
    let metadata = workspace();
    let package = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == STAGES_PACKAGE)
        .expect("the stages' package");
    let bins: BTreeMap<&str, _> = package
        .targets
        .iter()
        .filter(|t| t.is_bin())
        .map(|t| (t.name.as_str(), t))
        .collect();
    for step in STEPS {
        let bin = bins
            .get(step.name)
            .unwrap_or_else(|| panic!("step {} has no [[bin]] in stages/Cargo.toml", step.name));
        assert_eq!(
            bin.src_path,
            root().join(step.main_rs()),
            "{}: bin path",
            step.name
        );
        let gated = bin.required_features == ["compile-fail"];
        assert_eq!(
            gated,
            step.fails_to_compile(),
            "{}: required-features = [\"compile-fail\"] must be set exactly on the steps that do not compile",
            step.name
        );
    }
    for name in bins.keys() {
        assert!(
            companion::steps::find(name).is_some(),
            "bin {name} is not in the step registry (src/steps.rs)"
        );
    }
}

#[test]
fn every_step_has_exactly_its_files_in_stages() {
    // Besides the steps' folders: the package's manifest, and the module
    // the two HTML listings' bins share.
    let ours = ["Cargo.toml", "html_listing.rs"];
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("stages"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !ours.contains(&name.as_str()))
        .collect();
    dirs.sort();
    let mut names: Vec<String> = STEPS.iter().map(|s| s.name.to_string()).collect();
    names.sort();
    assert_eq!(dirs, names, "stages/ folders and registered steps differ");

    for step in STEPS {
        let mut files: Vec<String> = std::fs::read_dir(root().join(step.dir()))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let expected: &[&str] = match step.files {
            Files::MainAndLib => &["lib.rs", "main.rs"],
            Files::Main | Files::Html(_) => &["main.rs"],
        };
        assert_eq!(files, expected, "files of {}", step.dir());
    }
}

#[test]
fn library_steps_keep_the_books_use_line_and_add_the_scaffold_only_at_the_end() {
    for step in STEPS.iter().filter(|s| s.files == Files::MainAndLib) {
        let main = common::read_repo(&step.main_rs());
        assert!(
            main.starts_with("use hello::ThreadPool;\n"),
            "{}: the book's `use hello::ThreadPool;` must stay the first line",
            step.name
        );
        assert!(
            main.ends_with(SCAFFOLD),
            "{}: main.rs must end with the scaffold",
            step.name
        );
        assert_eq!(main.matches("mod hello").count(), 1, "{}", step.name);
    }
    for step in STEPS.iter().filter(|s| s.files == Files::Main) {
        let main = common::read_repo(&step.main_rs());
        assert!(
            !main.contains("mod hello"),
            "{} has no lib.rs to include",
            step.name
        );
    }
}

#[test]
fn html_listings_are_the_files_at_the_root() {
    for step in STEPS {
        if let Files::Html(file) = step.files {
            assert!(
                root().join(file).is_file(),
                "{file} must be at the repository root"
            );
        }
    }
}

/// The rows of STAGES.md's step table: (bin name, files column, seed 002
/// line, says it does not compile).
fn stages_md_rows(stages_md: &str) -> Vec<(String, String, u32, bool)> {
    stages_md
        .lines()
        .filter(|l| l.starts_with("| listing-") || l.starts_with("| no-listing-"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].to_string(),
                cells[2].to_string(),
                cells[3].parse().expect("seed line number"),
                cells[4].contains("**does not compile**"),
            )
        })
        .collect()
}

#[test]
fn registry_lists_every_step_of_stages_md_in_order() {
    let Some(shared) = common::shared_dir("registry_lists_every_step_of_stages_md_in_order") else {
        return;
    };
    let rows = stages_md_rows(&common::read_shared(&shared, "STAGES.md"));
    assert_eq!(rows.len(), 31, "STAGES.md step table");
    // STAGES.md maps the main line, the print edition's steps; the other
    // printings' steps follow them in the registry.
    let main_line: Vec<&Step> = STEPS
        .iter()
        .filter(|s| s.printing == Printing::Print2021)
        .collect();
    assert!(STEPS[..main_line.len()]
        .iter()
        .all(|s| s.printing == Printing::Print2021));
    let registry: Vec<&str> = main_line.iter().map(|s| s.name).collect();
    let table: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        registry, table,
        "registry order and names must follow STAGES.md"
    );
    for (step, (name, files, seed_line, fails)) in main_line.iter().zip(&rows) {
        let expected_files = match step.files {
            Files::Main => "main".to_string(),
            Files::MainAndLib => "main + lib".to_string(),
            Files::Html(f) => format!("`{f}`"),
        };
        assert_eq!(files, &expected_files, "{name}: files");
        assert_eq!(*fails, step.fails_to_compile(), "{name}: does it compile?");
        assert_eq!(
            step.print_blocks[0], *seed_line,
            "{name}: where the print edition shows it"
        );
    }
}

#[test]
fn registry_print_lines_point_at_the_chapters_filename_lines() {
    let Some(shared) =
        common::shared_dir("registry_print_lines_point_at_the_chapters_filename_lines")
    else {
        return;
    };
    for step in STEPS {
        let seed = common::read_shared(&shared, &format!("seeds/{}", step.printing.seed()));
        let lines: Vec<&str> = seed.lines().collect();
        assert!(!step.print_blocks.is_empty(), "{}", step.name);
        for &n in step.print_blocks {
            let line = lines[n as usize - 1];
            assert!(
                line.starts_with("Filename: "),
                "{}: seed line {n} is {line:?}",
                step.name
            );
        }
    }
}
