//! The step registry in `src/registry/` is the one list of steps: it must
//! agree with Cargo.toml's bins, with the files in `stages/`, and with the
//! chapter's own step list in STAGES.md (tests/book/).

use kit::facts::StepFacts;

use std::collections::BTreeMap;

use companion::compile::{cargo, root};
use companion::registry::{Files, Kind, Step, Track, STEPS};

/// The packages of the book's code: chapter 20 (stages/Cargo.toml) and
/// chapter 21 (stages/chapter-21/Cargo.toml, Rust 2024).
const STAGES_PACKAGES: [(&str, &str, &str); 2] = [
    ("hello", "stages/Cargo.toml", "2021"),
    ("hello-2024", "stages/chapter-21/Cargo.toml", "2024"),
];

/// The package of the worked exercises: steps too, but ours, and free to
/// use crates.
const EXERCISES_PACKAGE: (&str, &str, &str) = ("beyond", "stages/beyond/Cargo.toml", "2024");

/// Whether `package` holds steps: the book's or the exercises'.
fn is_stages(package: &cargo_metadata::Package) -> bool {
    STAGES_PACKAGES
        .iter()
        .chain([&EXERCISES_PACKAGE])
        .any(|(name, _, _)| package.name.as_str() == *name)
}

fn workspace() -> cargo_metadata::Metadata {
    cargo_metadata::MetadataCommand::new()
        .cargo_path(cargo().get_program())
        .manifest_path(root().join("Cargo.toml"))
        .no_deps()
        .exec()
        .expect("cargo metadata")
}

#[test]
fn the_stages_are_packages_of_their_own_that_depend_on_nothing() {
    let metadata = workspace();
    let default: Vec<&str> = metadata
        .workspace_default_packages()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    for (name, manifest, edition) in STAGES_PACKAGES {
        let stages = metadata
            .packages
            .iter()
            .find(|p| p.name.as_str() == name)
            .unwrap_or_else(|| panic!("the package {name} is a member of the workspace"));
        assert_eq!(stages.manifest_path, root().join(manifest));
        assert_eq!(stages.edition.as_str(), edition, "{name}");
        assert!(
            stages.dependencies.is_empty(),
            "the stages depend on nothing, so that a step builds alone: {:?}",
            stages.dependencies
        );
        // `cargo run --bin <step>` from the root reaches the stages.
        assert!(default.contains(&name), "{default:?}");
    }
    let (name, manifest, edition) = EXERCISES_PACKAGE;
    let exercises = metadata
        .packages
        .iter()
        .find(|p| p.name.as_str() == name)
        .expect("the exercises' package is a member of the workspace");
    assert_eq!(exercises.manifest_path, root().join(manifest));
    assert_eq!(exercises.edition.as_str(), edition);
    assert!(default.contains(&name), "{default:?}");
    // Its library target is the one step whose lib.rs is a library.
    let library: Vec<&Step> = STEPS
        .iter()
        .filter(|s| s.files == Files::MainAndPackageLib)
        .collect();
    let lib_target = exercises
        .targets
        .iter()
        .find(|t| t.is_lib())
        .expect("the exercises' package has a library");
    assert_eq!(lib_target.name, "hello");
    assert!(lib_target.doctest, "its doc examples run");
    let [step] = library[..] else {
        panic!("one step's lib.rs is the library: {library:?}");
    };
    assert!(
        lib_target
            .src_path
            .as_str()
            .ends_with(&format!("{}/lib.rs", step.name)),
        "{}",
        lib_target.src_path
    );
    // Ours has the tour as its only bin, the test kit its extractor of the
    // book's data, and the benchmark (not a default member) its own: every
    // step is in the stages'.
    let ours: Vec<(&str, &str)> = metadata
        .packages
        .iter()
        .filter(|p| !is_stages(p))
        .flat_map(|p| {
            p.targets
                .iter()
                .filter(|t| t.is_bin())
                .map(move |t| (p.name.as_str(), t.name.as_str()))
        })
        .collect();
    assert_eq!(
        ours,
        [
            ("companion", "tour"),
            ("kit", "extract-book"),
            ("bench", "bench")
        ]
    );
    assert!(
        !default.contains(&"bench"),
        "cargo test must not build the benchmark"
    );
}

#[test]
fn the_suite_is_one_test_binary() {
    // One integration-test crate links once and runs its tests side by
    // side; a second tests/*.rs would be linked and run after it (by the
    // README's `cargo test`, which tests the default members: the
    // benchmark's tests are its own, run by `.ci/run`).
    let metadata = workspace();
    let tests: Vec<&str> = metadata
        .packages
        .iter()
        .filter(|p| metadata.workspace_default_members.contains(&p.id))
        .flat_map(|p| p.targets.iter())
        .filter(|t| t.is_test())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(tests, ["suite"]);
}

#[test]
fn every_registered_step_is_a_bin_and_every_bin_is_registered() {
    let metadata = workspace();
    let bins: BTreeMap<&str, _> = metadata
        .packages
        .iter()
        .filter(|p| is_stages(p))
        .flat_map(|p| p.targets.iter().filter(|t| t.is_bin()).map(move |t| (p, t)))
        .map(|(p, t)| (t.name.as_str(), (p, t)))
        .collect();
    for step in STEPS {
        let (package, bin) = bins
            .get(step.name)
            .unwrap_or_else(|| panic!("step {} has no [[bin]] in the stages' packages", step.name));
        // Chapter 21's steps are built as Rust 2024, the others as 2021;
        // the exercises are a package of their own. The builds select the
        // package by this name (`-p`).
        assert_eq!(package.name.as_str(), step.track.package(), "{}", step.name);
        let path = std::path::Path::new(bin.src_path.as_str())
            .components()
            .fold(std::path::PathBuf::new(), |mut path, c| {
                // stages/chapter-21/../listing-21-01/main.rs is
                // stages/listing-21-01/main.rs (and so for stages/beyond/).
                if c == std::path::Component::ParentDir {
                    path.pop();
                } else {
                    path.push(c);
                }
                path
            });
        assert_eq!(path, root().join(step.main_rs()), "{}: bin path", step.name);
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
            companion::registry::find(name).is_some(),
            "bin {name} is not in the step registry (src/registry/steps.rs)"
        );
    }
}

#[test]
fn every_step_has_exactly_its_files_in_stages() {
    // Besides the steps' folders: the package's manifest, the module the
    // HTML listings' bins share, and the book's licence for its code.
    let ours = [
        "Cargo.toml",
        "chapter-21",
        "beyond",
        "html_listing.rs",
        "README.md",
        "COPYRIGHT",
        "LICENSE-APACHE",
        "LICENSE-MIT",
    ];
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
        // The steps at the book's 80 columns say so to cargo fmt (see
        // every_stage_is_formatted_as_its_printing_formats_it).
        let fmt_config = step.max_width().is_some();
        // beyond-07's module, which the async steps reach in its folder.
        let own_module = step
            .module
            .is_some_and(|m| m.starts_with(&format!("{}/", step.dir())));
        if own_module {
            files.retain(|f| f != "http.rs");
        }
        let expected: &[&str] = match (step.files, fmt_config) {
            (Files::MainAndModule, false) => &["lib.rs", "main.rs"],
            (Files::MainAndModule | Files::MainAndPackageLib, true) => {
                &["lib.rs", "main.rs", "rustfmt.toml"]
            }
            (Files::MainAndPackageLib, false) => unreachable!("exercises keep a width"),
            (Files::Main | Files::MainOnPackageLib, true) => &["main.rs", "rustfmt.toml"],
            (Files::Main | Files::MainOnPackageLib, _) => &["main.rs"],
        };
        assert_eq!(files, expected, "files of {}", step.dir());
    }
}

#[test]
fn library_steps_keep_the_books_use_line_and_add_the_scaffold_only_at_the_end() {
    for step in STEPS.iter().filter(|s| s.files == Files::MainAndModule) {
        let main = kit::read_repo(&step.main_rs());
        assert!(
            main.starts_with("use hello::ThreadPool;\n"),
            "{}: the book's `use hello::ThreadPool;` must stay the first line",
            step.name
        );
        assert!(
            main.ends_with(kit::SCAFFOLD),
            "{}: main.rs must end with the scaffold",
            step.name
        );
        assert_eq!(main.matches("mod hello").count(), 1, "{}", step.name);
    }
    for step in STEPS.iter().filter(|s| s.files == Files::Main) {
        let main = kit::read_repo(&step.main_rs());
        assert!(
            !main.contains("mod hello"),
            "{} has no lib.rs to include",
            step.name
        );
    }
    // A library target is reached as a crate, as in a reader's project.
    for step in STEPS.iter().filter(|s| s.files == Files::MainAndPackageLib) {
        let main = kit::read_repo(&step.main_rs());
        assert!(
            main.starts_with("use hello::ThreadPool;\n"),
            "{}",
            step.name
        );
        assert!(!main.contains("mod hello"), "{}", step.name);
    }
}

/// What the registry says a step does is in its code: the registry is the
/// one place these facts live (nothing else reads a stage's source to find
/// them), and this is where each is checked against the code, as rustlings'
/// `dev check` checks its `info.toml` against its exercises.
#[test]
fn what_the_registry_says_a_step_does_is_in_its_code() {
    let mut servers = 0;
    for step in STEPS.iter().filter(|s| !matches!(s.kind(), Kind::Page(_))) {
        let main = kit::read_repo(&step.main_rs());
        // The step's code: its main.rs and its module (not its library).
        let code = main.clone() + &step.module.map(kit::read_repo).unwrap_or_default();
        let has = |text: &str| code.contains(text);
        // The library of a step: `use hello::` reaches one.
        let on_a_library = step.library_step().is_some();
        assert_eq!(
            has("use hello::"),
            on_a_library,
            "{}: its library",
            step.name
        );
        // The crates from crates.io its code uses, and their lines as the
        // exercises' package has them.
        for krate in ["ctrlc", "rayon", "httparse", "tokio"] {
            let listed = step.crates.iter().any(|c| c.name == krate);
            assert_eq!(has(&format!("{krate}::")), listed, "{}: {krate}", step.name);
        }
        for krate in step.crates {
            let manifest = kit::read_repo("stages/beyond/Cargo.toml");
            assert!(
                manifest.lines().any(|l| l == krate.manifest_line),
                "{}: `{}` is stages/beyond/Cargo.toml's line",
                step.name,
                krate.manifest_line
            );
        }
        let Kind::Server(serves) = step.kind() else {
            continue;
        };
        servers += 1;
        // The chapter matches the whole request line; the worked exercises
        // match the method and path they parsed.
        let sleeps = has("GET /sleep HTTP/1.1") || has("\"/sleep\")");
        assert_eq!(serves.sleep_route, sleeps, "{}: /sleep", step.name);
        for page in ["hello.html", "404.html"] {
            assert_eq!(
                serves.pages.contains(&page),
                has(&format!("\"{page}\"")),
                "{}: reads {page}",
                step.name
            );
        }
        let stops = has(".incoming().take(2)").then_some(2);
        assert_eq!(serves.stops_after, stops, "{}: stops after", step.name);
    }
    assert!(servers > 50, "{servers} servers");
}

#[test]
fn html_listings_are_the_files_at_the_root() {
    for step in STEPS {
        if let Kind::Page(file) = step.kind() {
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
    let rows = stages_md_rows(&kit::read_book("STAGES.md"));
    assert_eq!(rows.len(), 31, "STAGES.md step table");
    // STAGES.md maps the main line, the print edition's steps; the other
    // printings' steps follow them in the registry.
    let main_line: Vec<&Step> = STEPS
        .iter()
        .filter(|s| s.track == Track::Print2021)
        .collect();
    assert!(STEPS[..main_line.len()]
        .iter()
        .all(|s| s.track == Track::Print2021));
    let registry: Vec<&str> = main_line.iter().map(|s| s.name).collect();
    let table: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        registry, table,
        "registry order and names must follow STAGES.md"
    );
    for (step, (name, files, seed_line, fails)) in main_line.iter().zip(&rows) {
        let expected_files = match (step.kind(), step.files) {
            (Kind::Page(f), _) => format!("`{f}`"),
            (_, Files::Main | Files::MainOnPackageLib) => "main".to_string(),
            (_, Files::MainAndModule | Files::MainAndPackageLib) => "main + lib".to_string(),
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
    for step in STEPS {
        let seed = kit::read_book(step.track.seed());
        let lines: Vec<&str> = seed.lines().collect();
        // The worked exercises are ours: the chapter prints none of them.
        assert_eq!(
            step.print_blocks.is_empty(),
            step.track == Track::Exercises,
            "{}",
            step.name
        );
        for &n in step.print_blocks {
            let line = lines[n as usize - 1];
            // Today's edition names the file on a line of its own.
            let names_a_file = match step.track {
                Track::Edition2024 => {
                    ["src/main.rs", "src/lib.rs", "hello.html", "404.html"].contains(&line)
                }
                _ => line.starts_with("Filename: "),
            };
            assert!(names_a_file, "{}: seed line {n} is {line:?}", step.name);
        }
    }
}

/// A file's path and its text.
type PathAndText = (String, String);

/// Each of `files` (a path relative to the repository or to the book's
/// listings, and its text) as rustfmt formats it for `edition`, at
/// `max_width` if given. One rustfmt run formats them all: rustfmt loads the
/// compiler's parser each time it starts, and a run per file cost the suite
/// seconds. The files are written at their own relative paths in a scratch
/// directory, so that each `#[path]` module resolves as it does where the
/// file lives, and rustfmt reads no configuration but an empty one.
fn rustfmt_all(files: &[PathAndText], edition: &str, max_width: Option<u32>) -> Vec<String> {
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "rustfmt-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    for (path, text) in files {
        let copy = scratch.join(path);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::write(copy, text).unwrap();
    }
    let config = scratch.join("rustfmt.toml");
    std::fs::write(&config, "").unwrap();
    let mut command = Command::new("rustfmt");
    command
        .current_dir(root())
        .args(["--edition", edition])
        .arg("--config-path")
        .arg(&config);
    if let Some(width) = max_width {
        command.args(["--config", &format!("max_width={width}")]);
    }
    let out = command
        .args(files.iter().map(|(path, _)| scratch.join(path)))
        .output()
        .expect("running rustfmt");
    assert!(
        out.status.success(),
        "rustfmt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let formatted = files
        .iter()
        .map(|(path, _)| std::fs::read_to_string(scratch.join(path)).unwrap())
        .collect();
    let _ = std::fs::remove_dir_all(&scratch);
    formatted
}

fn without_blank_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_stage_is_formatted_as_its_printing_formats_it() {
    // The files, by the layout they are formatted at: ours in stages/ (the
    // HTML bins and their module) at rustfmt's default width, the book's at
    // its printing's.
    let mut groups: BTreeMap<(&str, Option<u32>), Vec<PathAndText>> = BTreeMap::new();
    let ours = "stages/html_listing.rs".to_string();
    for step in STEPS {
        let edition = step.track.edition();
        let group = groups.entry((edition, step.max_width())).or_default();
        let ours_too = matches!(step.kind(), Kind::Page(_)).then(|| ours.clone());
        for file in [
            Some(step.main_rs()),
            step.lib_rs(),
            step.module.map(str::to_string),
            ours_too,
        ]
        .into_iter()
        .flatten()
        {
            if !group.iter().any(|(f, _)| *f == file) {
                let text = kit::read_repo(&file);
                group.push((file, text));
            }
        }
    }
    assert!(groups[&("2021", None)].iter().any(|(f, _)| *f == ours));
    let mut blank_line_only = Vec::new();
    for ((edition, width), files) in &groups {
        let formatted = rustfmt_all(files, edition, *width);
        for ((file, text), formatted) in files.iter().zip(formatted) {
            if formatted == *text {
                continue;
            }
            // The book's tool removes its anchor lines after formatting and
            // keeps the blank lines around them; the book's positions count
            // those lines, so the stages keep them too. Nothing else may
            // differ.
            assert_eq!(
                *width,
                Some(80),
                "{file} is not formatted as rustfmt formats it"
            );
            assert_eq!(
                without_blank_lines(&formatted),
                without_blank_lines(text),
                "{file} differs from rustfmt's layout in more than blank lines"
            );
            blank_line_only.push(file.clone());
        }
    }
    // cargo fmt formats the book's listing files at the book's 80 columns,
    // and leaves alone exactly the steps whose blank lines it would take out.
    for step in STEPS.iter().filter(|s| s.max_width().is_some()) {
        let config = kit::read_repo(&format!("{}/rustfmt.toml", step.dir()));
        assert!(config.contains("\nmax_width = 80\n"), "{}", step.name);
        let untouched = blank_line_only.iter().any(|f| f.starts_with(&step.dir()));
        assert_eq!(
            config.contains("\ndisable_all_formatting = true\n"),
            untouched,
            "{}/rustfmt.toml",
            step.dir()
        );
    }
    assert_eq!(
        blank_line_only,
        [
            "stages/listing-20-10/main.rs",
            "stages/listing-20-17/lib.rs",
            "stages/listing-20-18/lib.rs",
            "stages/listing-20-19/lib.rs",
            "stages/listing-20-20/lib.rs",
            "stages/no-listing-05-fix-worker-new/lib.rs",
            "stages/listing-20-23/lib.rs",
            "stages/listing-21-10/main.rs",
            "stages/listing-21-17/lib.rs",
            "stages/listing-21-18/lib.rs",
            "stages/listing-21-19/lib.rs",
            "stages/listing-21-20/lib.rs",
            "stages/listing-21-23/lib.rs",
        ],
        "the stages where the book's cleaning leaves blank lines rustfmt would remove"
    );
}

#[test]
fn the_books_chapter_21_files_are_formatted_at_80_columns_before_cleaning() {
    let shared = kit::book_data::book_dir();
    let listings = shared.join("current-edition/listings/ch21-web-server");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(listings).unwrap().flatten() {
        for file in ["src/main.rs", "src/lib.rs"] {
            if let Ok(text) = std::fs::read_to_string(entry.path().join(file)) {
                let folder = entry.file_name().to_string_lossy().into_owned();
                files.push((format!("{folder}/{file}"), text));
            }
        }
    }
    assert!(files.len() >= 50, "only {} files", files.len());
    for ((file, text), formatted) in files.iter().zip(rustfmt_all(&files, "2024", Some(80))) {
        assert_eq!(formatted, *text, "listings/ch21-web-server/{file}");
    }
}
