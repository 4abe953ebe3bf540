//! Where the printed chapter and the code the book ran disagree, what each
//! really does (the differences are listed in src/registry/differences.rs).

use std::process::Command;

use companion::compile::root;
use companion::registry::PRINT_DIFFERENCES;
use companion::server::ServerCommand;
use companion::session::{exchange, Reply, EXCHANGE_TIMEOUT};

/// The value of the Content-Length header of a raw response.
fn content_length(reply: &Reply) -> usize {
    reply
        .response()
        .content_length()
        .and_then(|n| n.parse().ok())
        .expect("a Content-Length header")
}

/// Listing 20-7 as printed: the stage's file with the print slip put back,
/// compiled with rustc into target/printed/.
fn build_listing_20_7_as_printed() -> std::path::PathBuf {
    let d = PRINT_DIFFERENCES
        .iter()
        .find(|d| d.step == "listing-20-07")
        .unwrap();
    let file = kit::read_repo("stages/listing-20-07/main.rs");
    assert!(file.contains(d.file));
    let dir = root().join("target/printed");
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("listing-20-07-as-printed.rs");
    // The slip is in the 404 branch, the part the chapter prints; the 200
    // branch above it has the same string, intact.
    let (head, tail) = file.split_at(file.find("HTTP/1.1 404 NOT FOUND").unwrap());
    std::fs::write(
        &source,
        format!("{head}{}", tail.replacen(d.file, d.printed, 1)),
    )
    .unwrap();
    let exe = dir.join("listing-20-07-as-printed");
    let out = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .current_dir(root())
        .args(["--edition", "2021", "-o"])
        .arg(&exe)
        .arg(&source)
        .output()
        .expect("running rustc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

#[test]
fn listing_20_7_as_printed_sends_ten_bytes_more_than_its_content_length() {
    let not_found = include_str!("../../404.html");

    // The listing file (our stage): the body is 404.html, and
    // Content-Length counts all of it.
    let stage = kit::start("listing-20-07");
    let reply = exchange(&stage, "/does-not-exist", EXCHANGE_TIMEOUT).reply;
    assert_eq!(content_length(&reply), not_found.len());
    assert_eq!(reply.response().body, not_found.as_bytes());
    drop(stage);

    // As printed, without the `\`: the newline and the next line's nine
    // spaces of indentation join the body, and Content-Length (the file's
    // length) does not count them.
    let exe = build_listing_20_7_as_printed();
    let printed = ServerCommand::new(&exe)
        .current_dir(root())
        .start()
        .unwrap();
    let reply = exchange(&printed, "/does-not-exist", EXCHANGE_TIMEOUT).reply;
    let response = reply.response();
    assert!(response.ends_head);
    let body = response.body;
    kit::assert_pinned(
        "listing-20-07-as-printed.404",
        "listing 20-7 as printed (without the `\\` continuation), answering GET /does-not-exist",
        &companion::session::show_bytes(&reply.bytes),
    );
    assert_eq!(content_length(&reply), not_found.len());
    assert_eq!(body.len(), not_found.len() + 10);
    assert_eq!(&body[..10], b"\n         ");
    assert_eq!(&body[10..], not_found.as_bytes());

    // A client that trusts Content-Length, as curl does, keeps that many
    // bytes: the page loses its last ten bytes.
    let curl = printed
        .client("curl")
        .args([
            "--silent",
            "--max-time",
            "15",
            "http://127.0.0.1:7878/does-not-exist",
        ])
        .output();
    match curl {
        Ok(out) if out.status.success() => {
            assert_eq!(out.stdout, &body[..not_found.len()]);
            assert!(!String::from_utf8_lossy(&out.stdout).ends_with("</html>\n"));
        }
        _ => kit::skip::cannot_run("curl's view of listing 20-7 as printed", "no curl"),
    }
}
