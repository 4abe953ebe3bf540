//! README.md is the newcomer's first page: it must start with the two
//! commands, and its table of steps must be the registry's.

use crate::common;

#[test]
fn readme_starts_with_the_final_server_and_the_test_command() {
    let readme = common::read_repo("README.md");
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
    let readme = common::read_repo("README.md");
    let table = kit::readme::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's table of steps is out of date; it should read:\n{table}"
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let ci = common::read_repo(".ci/run");
    assert!(ci.lines().any(|l| l.trim() == "cargo test --locked"));
}
