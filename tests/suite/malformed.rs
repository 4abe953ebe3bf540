//! Why the chapter's closing exercises matter: what a connection that is
//! not a well-formed request does to the chapter's own servers. The pool's
//! `handle_connection` unwraps the request line, so a connection that
//! closes before sending one, or sends bytes that are not UTF-8, panics the
//! worker that took it, and a worker that panicked is gone for good. A
//! thread per connection loses only that connection's thread.

use std::io::Write;
use std::time::Duration;

use companion::server::{Ending, Server};
use companion::session::{exchange, EXCHANGE_TIMEOUT};

/// A connection that closes without sending anything.
fn close_without_a_request(server: &Server) {
    drop(server.connect(EXCHANGE_TIMEOUT).expect("connecting"));
}

/// A connection that sends a line of bytes that are not UTF-8, then closes.
fn send_bytes_that_are_not_utf8(server: &Server) {
    let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
    stream
        .write_all(b"GET /\xff\xfe HTTP/1.1\r\n\r\n")
        .expect("sending");
}

/// The malformed connections, taken in turn.
const MALFORMED: [fn(&Server); 2] = [close_without_a_request, send_bytes_that_are_not_utf8];

/// Wait (at most ten seconds) until `server` has `threads` threads.
fn wait_for_threads(server: &Server, threads: usize) {
    let reached = kit::wait_until(Duration::from_secs(10), || {
        server.thread_count() == Some(threads)
    });
    assert!(
        reached,
        "the server kept {:?} threads, not {threads}",
        server.thread_count()
    );
}

fn answers(server: &Server, path: &str) -> bool {
    exchange(server, path, EXCHANGE_TIMEOUT)
        .reply
        .response()
        .status
        == Some("HTTP/1.1 200 OK")
}

#[cfg(target_os = "linux")]
#[test]
fn four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it_listing_20_20() {
    four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it("listing-20-20");
}

#[cfg(target_os = "linux")]
#[test]
fn four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it_listing_21_20() {
    four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it("listing-21-20");
}

#[cfg(target_os = "linux")]
fn four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it(step: &str) {
    let server = kit::start(step);
    if server.thread_count().is_none() {
        kit::skip::threads_not_counted(&format!(
            "malformed::four_malformed_connections_use_up_the_pool_and_the_fifth_connection_kills_it ({step})"
        ));
        return;
    }
    wait_for_threads(&server, 1 + 4);
    for lost in 1..=4 {
        MALFORMED[lost % 2](&server);
        // The worker that took it panicked, and no thread replaces it.
        wait_for_threads(&server, 1 + 4 - lost);
        if lost < 4 {
            assert!(
                answers(&server, "/"),
                "{step} still answers with {} workers",
                4 - lost
            );
        }
    }
    // No worker is left, and with the last one went the last handle on the
    // channel's receiving end: the next connection, well-formed or not, is
    // accepted, main's `send` to the pool fails, and its `unwrap` ends the
    // process.
    let last = exchange(&server, "/", EXCHANGE_TIMEOUT);
    assert!(last.reply.is_no_response(), "{:?}", last.reply);
    server
        .wait_for_exit(Duration::from_secs(10))
        .expect("the server exits");
    let finished = server.finish();
    assert_eq!(
        finished.ending,
        Ending::Exited(101),
        "{step} exits with status 101 once main's send fails:\n{}",
        finished.stderr
    );
    let panics = finished.stderr.matches(" panicked at ").count();
    assert_eq!(panics, 5, "four workers and main:\n{}", finished.stderr);
    assert!(finished.stderr.contains("SendError"), "{}", finished.stderr);
}

#[test]
fn a_thread_per_connection_outlives_malformed_connections_listing_20_11() {
    a_thread_per_connection_outlives_malformed_connections("listing-20-11");
}

#[test]
fn a_thread_per_connection_outlives_malformed_connections_listing_21_11() {
    a_thread_per_connection_outlives_malformed_connections("listing-21-11");
}

fn a_thread_per_connection_outlives_malformed_connections(step: &str) {
    let server = kit::start(step);
    for malformed in MALFORMED.iter().cycle().take(20) {
        malformed(&server);
    }
    assert!(
        answers(&server, "/"),
        "{step} answers after 20 malformed connections"
    );
    let counted = server.thread_count().is_some();
    if counted {
        // Each panicked thread was its connection's alone.
        wait_for_threads(&server, 1);
    }
    assert_eq!(
        server.wait_for_exit(Duration::ZERO),
        None,
        "{step} still runs"
    );
    let finished = server.finish();
    assert_eq!(finished.ending, Ending::Stopped);
    if counted {
        // Every thread that panicked is gone, so every panic was printed.
        assert_eq!(finished.stderr.matches(" panicked at ").count(), 20);
    }
}
