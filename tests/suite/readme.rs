//! README.md is the newcomer's first page: it must start with the two
//! commands, and its table of steps must be the registry's.

#[test]
fn readme_starts_with_the_final_server_and_the_test_command() {
    let readme = kit::read_repo("README.md");
    let first_block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a sh code block");
    let commands: Vec<&str> = first_block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --bin listing-20-25", "cargo test --locked"]
    );
}

#[test]
fn readme_table_of_steps_is_the_registry() {
    let readme = kit::read_repo("README.md");
    let table = kit::readme::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's table of steps is out of date; it should read:\n{table}"
    );
}

/// README counts the steps that do not compile as the registry does (the
/// count and its parts by track, wherever README wraps its lines).
#[test]
fn readme_counts_the_failing_steps_as_the_registry_does() {
    let readme = kit::read_repo("README.md");
    let (count, by_track) = kit::book::failing_steps();
    let sentence = format!(
        "{} steps do not compile, on purpose: {by_track}.",
        kit::book::number_capitalized(count)
    );
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&readme).contains(&sentence),
        "README.md should say: {sentence}"
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = kit::read_repo(".ci/run");
    assert!(ci.lines().any(|l| l.trim() == "cargo test --locked"));
}

/// README's way to run the final server without cargo (offline, with no
/// crates fetched): its `rustc` line builds the step alone, `lib.rs`
/// included through `main.rs`. Built again only when the stages change.
#[test]
fn readme_s_rustc_line_builds_the_final_server_without_cargo() {
    let readme = kit::read_repo("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with("rustc "))
        .expect("README has a rustc line");
    let (build, _run) = line.split_once(" && ").expect("rustc ... && run");
    let args: Vec<&str> = build.split_whitespace().collect();
    assert_eq!(
        args,
        [
            "rustc",
            "--edition",
            "2021",
            "stages/listing-20-25/main.rs",
            "-o",
            "target/listing-20-25"
        ]
    );
    // The same command, into the checks' own build directory.
    let out = companion::compile::stages_target_dir().join("readme/listing-20-25");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let mut rustc = std::process::Command::new(args[0]);
    rustc
        .args(&args[1..5])
        .arg(&out)
        .current_dir(companion::compile::root());
    let built = crate::records::run("readme rustc", rustc, |_| out.is_file());
    assert!(built.success, "{}", built.stderr);
    assert!(out.is_file());
}
