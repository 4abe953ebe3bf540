//! `cargo run --bin listing-20-04` (and 20-08, 21-04, 21-08) must not leave a reader
//! puzzled: the bin says which file the listing is, prints it, and exits
//! without starting a server.

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn html_listing_bins_name_their_file_say_where_it_is_and_which_steps_read_it_print_it_and_exit() {
    let hello = include_str!("../../hello.html");
    let not_found = include_str!("../../404.html");
    for (bin, label, file, first_reader, html) in [
        (
            "listing-20-04",
            "Listing 20-4",
            "hello.html",
            "listing-20-05",
            hello,
        ),
        (
            "listing-20-08",
            "Listing 20-8",
            "404.html",
            "listing-20-07",
            not_found,
        ),
        (
            "listing-21-04",
            "Listing 21-4",
            "hello.html",
            "listing-21-05",
            hello,
        ),
        (
            "listing-21-08",
            "Listing 21-8",
            "404.html",
            "listing-21-07",
            not_found,
        ),
    ] {
        let at = companion::compile::root().join(file);
        Command::new(kit::stage_exe(bin))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .success()
            .stdout(predicate::str::starts_with(format!(
                "{label} is not a program: it is the HTML file `{file}`, at {}.\n\
                 The servers from {first_reader} on read it from the directory you start them in.\n",
                at.display()
            )))
            .stdout(predicate::str::ends_with(html))
            .stdout(predicate::str::contains("There is no").not());
    }
}

#[test]
fn html_listing_bin_started_elsewhere_says_where_to_start_the_servers() {
    let elsewhere = std::env::temp_dir();
    Command::new(kit::stage_exe("listing-20-04"))
        .current_dir(&elsewhere)
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "There is no hello.html in {}: start the servers from {}",
            elsewhere.display(),
            env!("CARGO_MANIFEST_DIR")
        )));
}
