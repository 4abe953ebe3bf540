//! `cargo run --bin listing-20-04` (and 20-08) must not leave a reader
//! puzzled: the bin says which file the listing is, prints it, and exits
//! without starting a server.

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn html_listing_bins_name_their_file_print_it_and_exit() {
    for (bin, file, html) in [
        (
            "listing-20-04",
            "hello.html",
            include_str!("../../hello.html"),
        ),
        ("listing-20-08", "404.html", include_str!("../../404.html")),
    ] {
        Command::new(kit::stage_exe(bin))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "it is the HTML file `{file}`"
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
