//! Real clients, not only our own socket code: every server step is also
//! fetched with curl and with ureq (a Rust HTTP client), and what each
//! reports must be what the raw session saw (the raw bytes are pinned in
//! snapshots/<step>.session.snap).

use std::process::Command;
use std::thread;
use std::time::Duration;

use companion::registry::STEPS;
use companion::server::Server;
use companion::session::{exchange, End, Reply, CRASH_GRACE, EXCHANGE_TIMEOUT};

/// What a client makes of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
    /// A response with this status code and body.
    Page(u16, Vec<u8>),
    /// The server closed the connection without answering.
    NoResponse,
    /// Nothing listened.
    Refused,
}

const PATHS: [&str; 2] = ["/", "/does-not-exist"];

/// A client, asking a server for a path.
type Client = fn(&Server, &str) -> Seen;

fn raw(server: &Server, path: &str) -> Seen {
    let reply: Reply = exchange(server, path, EXCHANGE_TIMEOUT).reply;
    match reply.end {
        End::Refused => Seen::Refused,
        _ if reply.is_no_response() => Seen::NoResponse,
        End::Closed => {
            let response = reply.response();
            assert!(response.ends_head, "a header end");
            Seen::Page(
                response.code.expect("a status code"),
                response.body.to_vec(),
            )
        }
        other => panic!(
            "raw session for {path}: {other:?} after {} bytes",
            reply.bytes.len()
        ),
    }
}

fn curl(server: &Server, path: &str) -> Seen {
    let out = server
        .client("curl")
        .args([
            "--silent",
            "--max-time",
            "15",
            "--output",
            "-",
            "--write-out",
            "\n%{http_code}",
        ])
        .arg(format!("http://127.0.0.1:7878{path}"))
        .output()
        .expect("running curl");
    match out.status.code() {
        Some(0) => {
            let at = out.stdout.iter().rposition(|&b| b == b'\n').unwrap();
            let (body, code) = out.stdout.split_at(at);
            let code = std::str::from_utf8(&code[1..]).unwrap().parse().unwrap();
            Seen::Page(code, body.to_vec())
        }
        // 52: "Empty reply from server"; 56: "Recv failure: Connection reset by peer".
        Some(52 | 56) => Seen::NoResponse,
        // 7: "Failed to connect".
        Some(7) => Seen::Refused,
        other => panic!(
            "curl {path} ended with {other:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// ureq, in this process: on a thread that reaches the server.
fn ureq(server: &Server, path: &str) -> Seen {
    server
        .reach(|| ureq_here(path))
        .expect("reaching the server")
}

fn ureq_here(path: &str) -> Seen {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into();
    match agent.get(format!("http://127.0.0.1:7878{path}")).call() {
        Ok(mut response) => {
            let body = response.body_mut().read_to_vec().expect("reading the body");
            Seen::Page(response.status().as_u16(), body)
        }
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Seen::Refused
        }
        Err(ureq::Error::ConnectionFailed) => Seen::Refused,
        Err(ureq::Error::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
            ) =>
        {
            Seen::NoResponse
        }
        Err(e) => panic!("ureq {path}: {e:?}"),
    }
}

/// What `client` sees for each of [`PATHS`] on `server`. As in the
/// sessions, a server that closed a connection without a response gets a
/// moment to finish dying, if it is dying, before the next request.
fn fetch_all(server: &Server, client: Client) -> Vec<Seen> {
    PATHS
        .iter()
        .map(|path| {
            let seen = client(server, path);
            if seen == Seen::NoResponse {
                server.wait_for_exit(CRASH_GRACE);
            }
            seen
        })
        .collect()
}

/// What the server step `step` does.
fn serves(step: &companion::registry::Step) -> companion::registry::Serves {
    step.server().expect("a server step")
}

/// What the raw session, curl (where installed) and ureq each see on
/// `step`. A server that answered every request and does not stop after a
/// count is as it started, so curl and ureq ask the same server in turn;
/// any other (one that closed a connection unanswered, and may be dying;
/// one that stops after two connections) is started afresh for each, side
/// by side.
fn seen_by_each_client(
    step: &'static companion::registry::Step,
    with_curl: bool,
) -> (Vec<Seen>, Option<Vec<Seen>>, Vec<Seen>) {
    let server = kit::start(step.name);
    let expected = fetch_all(&server, raw);
    let unchanged =
        serves(step).stops_after.is_none() && expected.iter().all(|s| matches!(s, Seen::Page(..)));
    if unchanged {
        let by_curl = with_curl.then(|| fetch_all(&server, curl));
        return (expected, by_curl, fetch_all(&server, ureq));
    }
    drop(server);
    let on_a_fresh_server =
        |client: Client| thread::spawn(move || fetch_all(&kit::start(step.name), client));
    let by_curl = with_curl.then(|| on_a_fresh_server(curl));
    let by_ureq = on_a_fresh_server(ureq);
    let join = |h: thread::JoinHandle<Vec<Seen>>| h.join().expect("a client panicked");
    (expected, by_curl.map(join), join(by_ureq))
}

#[test]
fn curl_and_ureq_see_what_the_raw_session_sees_on_every_server_step() {
    let have_curl = Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_curl {
        kit::skip::cannot_run(
            "curl's side of clients::curl_and_ureq_see_what_the_raw_session_sees_on_every_server_step",
            "curl is not installed",
        );
    }
    // The steps side by side (one after the other where the servers take
    // turns on the real port).
    let handles: Vec<_> = STEPS
        .iter()
        .filter(|s| s.is_server())
        .map(|step| thread::spawn(move || (step.name, seen_by_each_client(step, have_curl))))
        .collect();
    let mut pages = 0;
    for handle in handles {
        let (step, (expected, by_curl, by_ureq)) = handle.join().expect("a client check panicked");
        if let Some(by_curl) = by_curl {
            assert_eq!(by_curl, expected, "{step}: curl");
        }
        assert_eq!(by_ureq, expected, "{step}: ureq");
        pages += expected
            .iter()
            .filter(|s| matches!(s, Seen::Page(..)))
            .count();
    }
    assert!(pages >= 20, "only {pages} pages were served");
}

#[test]
fn the_pool_serves_the_html_files_byte_for_byte_listing_20_24() {
    let server = kit::start("listing-20-24");
    let hello = include_bytes!("../../hello.html").to_vec();
    let not_found = include_bytes!("../../404.html").to_vec();
    assert_eq!(ureq(&server, "/"), Seen::Page(200, hello));
    assert_eq!(ureq(&server, "/does-not-exist"), Seen::Page(404, not_found));
}
