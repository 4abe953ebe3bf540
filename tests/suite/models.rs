//! Where the chapter's design stops, and the models beyond it: the claims
//! of `book/src/models.md`, each a test. The pool's limits, pinned on the
//! chapter's pool (listing 20-20 and 21-20) and on the robust servers built
//! on it (beyond-04, beyond-07); the same loads on the async servers
//! (beyond-08 on one thread, beyond-09 on four), which do not have them;
//! and what every new step keeps of beyond-03's and beyond-04's promises.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;
use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

use companion::server::{Ending, Server};
use companion::session::{exchange, EXCHANGE_TIMEOUT};

/// The servers on a pool of four threads.
const POOLS: [&str; 2] = ["beyond-04-shutdown-on-signal", "beyond-07-strict-requests"];

/// The servers on async I/O.
const ASYNC: [&str; 2] = [
    "beyond-08-async-single-threaded",
    "beyond-09-async-multithreaded",
];

/// The new steps, which keep what beyond-03 and beyond-04 promise.
const NEW: [&str; 3] = [
    "beyond-07-strict-requests",
    "beyond-08-async-single-threaded",
    "beyond-09-async-multithreaded",
];

/// Run `claim` for each step, side by side, each on a thread of its own
/// (whose network its server's is); a failure names its step.
fn each(steps: &[&'static str], claim: fn(&'static str)) {
    let runs: Vec<_> = steps
        .iter()
        .map(|&step| (step, thread::spawn(move || claim(step))))
        .collect();
    let failed: Vec<&str> = runs
        .into_iter()
        .filter_map(|(step, run)| run.join().is_err().then_some(step))
        .collect();
    assert!(failed.is_empty(), "the claim fails for {failed:?}");
}

/// A connection that has sent half a request line, and then waits.
fn half_request(server: &Server) -> TcpStream {
    let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
    stream
        .write_all(b"GET / HT")
        .expect("sending half a request");
    stream
}

/// Wait until the server has logged `count` lines that start with `start`.
#[cfg(unix)]
fn wait_for_logged(server: &Server, start: &str, count: usize) {
    let logged = kit::wait_until(Duration::from_secs(10), || {
        server
            .stdout_so_far()
            .lines()
            .filter(|l| l.starts_with(start))
            .count()
            >= count
    });
    assert!(logged, "{}", server.stdout_so_far());
}

/// Four `/sleep`s sent, each on its connection, then `GET /`: how long
/// `/` took (`None`: not answered within 7 s). The server accepts the
/// connections in the order they came, so the `/sleep`s are ahead of `/`.
#[cfg(target_os = "linux")]
fn root_behind_four_sleeps(step: &'static str) -> Option<Duration> {
    let server = kit::start(step);
    let sleeps: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
            stream
                .write_all(companion::session::request("/sleep").as_slice())
                .expect("sending");
            stream
        })
        .collect();
    let root = exchange(&server, "/", Duration::from_secs(7));
    drop(sleeps);
    (root.reply.response().status == Some("HTTP/1.1 200 OK")).then_some(root.elapsed)
}

/// What one server does under the two loads the chapter's design cannot
/// take, as `book/src/models.md` compares them.
#[cfg(target_os = "linux")]
struct Fares {
    threads_idle: Option<usize>,
    threads_with_partial: Option<usize>,
    /// `GET /` with four connections holding half a request; `None`
    /// where it was not answered within 7 s.
    root_behind_partial: Option<Duration>,
    root_behind_sleeps: Option<Duration>,
    /// Lines of Rust in the step's files (its library included), not
    /// counting blank lines, comments and its unit tests.
    lines: usize,
}

/// How `step` fares: each load on a server of its own, side by side, so
/// that the slowest (`/` behind partial requests, up to 7 s) bounds the
/// whole.
#[cfg(target_os = "linux")]
fn fares(step: &'static str) -> Fares {
    let sleeps = thread::spawn(move || root_behind_four_sleeps(step));
    let fifteen = thread::spawn(move || threads_with_fifteen_partial(step));
    let server = kit::start(step);
    let threads_idle = server.thread_count();
    // As many half requests as the pools have workers, then `/`.
    let halves: Vec<TcpStream> = (0..4).map(|_| half_request(&server)).collect();
    let root = exchange(&server, "/", Duration::from_secs(7));
    drop(halves);
    drop(server);
    Fares {
        threads_idle,
        threads_with_partial: fifteen.join().expect(step),
        root_behind_partial: (root.reply.response().status == Some("HTTP/1.1 200 OK"))
            .then_some(root.elapsed),
        root_behind_sleeps: sleeps.join().expect(step),
        lines: lines_of_rust(step),
    }
}

/// The threads of `step`'s server with fifteen connections that sent half
/// a request.
#[cfg(target_os = "linux")]
fn threads_with_fifteen_partial(step: &'static str) -> Option<usize> {
    let server = kit::start(step);
    let halves: Vec<TcpStream> = (0..15).map(|_| half_request(&server)).collect();
    // Once a server has accepted them (a thread per connection for
    // listing 20-11): wait until it has had the time to, at the most a
    // second; the others' count does not change.
    kit::wait_until(Duration::from_secs(1), || server.thread_count() >= Some(16));
    let threads = server.thread_count();
    drop(halves);
    threads
}

/// The lines of Rust of a step's files, as [`Fares::lines`] counts them.
#[cfg(target_os = "linux")]
fn lines_of_rust(step: &str) -> usize {
    let step = companion::registry::find(step).unwrap();
    std::iter::once(step.main_rs())
        .chain(step.library_step().and_then(|s| s.lib_rs()))
        .chain(step.module.map(str::to_string))
        .map(|file| {
            let text = kit::read_repo(&file);
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            code.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#[path"))
                .filter(|l| *l != "mod hello;")
                .count()
        })
        .sum()
}

/// A time as the table shows it: what a reader would notice.
#[cfg(target_os = "linux")]
fn felt(took: Option<Duration>) -> &'static str {
    match took {
        Some(t) if t < Duration::from_secs(1) => "at once",
        Some(t) if t < Duration::from_secs(7) => "about 5 s",
        _ => "not within 7 s",
    }
}

/// Linux only: its table counts the servers' threads.
#[cfg(target_os = "linux")]
#[test]
fn the_models_side_by_side() {
    if companion::server::portable_only() {
        kit::skip::threads_not_counted("models::the_models_side_by_side");
        return;
    }
    let servers: [(&str, &str); 7] = [
        ("listing-20-10", "one thread"),
        ("listing-20-11", "a thread per connection"),
        ("listing-20-20", "the chapter's pool of four"),
        ("beyond-04-shutdown-on-signal", "the pool, robust"),
        ("beyond-07-strict-requests", "the pool, strict"),
        ("beyond-08-async-single-threaded", "async, one thread"),
        ("beyond-09-async-multithreaded", "async, four threads"),
    ];
    let runs: Vec<_> = servers
        .iter()
        .map(|&(step, _)| thread::spawn(move || fares(step)))
        .collect();
    let fared: Vec<Fares> = runs.into_iter().map(|r| r.join().unwrap()).collect();
    let by = |step: &str| &fared[servers.iter().position(|s| s.0 == step).unwrap()];

    // The pool's limits: partial requests on every worker delay a complete
    // one by the read timeout (or for good, in the chapter's own pool,
    // which has none); four /sleeps delay `/` by 5 s.
    for pool in POOLS {
        let took = by(pool)
            .root_behind_partial
            .expect("answered once they time out");
        assert!(took >= Duration::from_secs(3), "{pool}: {took:?}");
    }
    assert_eq!(by("listing-20-20").root_behind_partial, None);
    for pool in [
        "listing-20-20",
        "beyond-04-shutdown-on-signal",
        "beyond-07-strict-requests",
    ] {
        assert!(
            by(pool).root_behind_sleeps.expect("answered") >= Duration::from_secs(3),
            "{pool}"
        );
    }
    // The async servers hold nothing for a slow client or a /sleep.
    for step in ASYNC {
        assert!(
            by(step).root_behind_partial.unwrap() < Duration::from_secs(1),
            "{step}"
        );
        assert!(
            by(step).root_behind_sleeps.unwrap() < Duration::from_secs(1),
            "{step}"
        );
    }
    // Threads: one for the single-threaded runtime, five (main and four)
    // for the pools and the runtime of four, one more per connection for
    // listing 20-11, whatever the clients do to the others.
    assert_eq!(
        by("beyond-08-async-single-threaded").threads_with_partial,
        Some(1)
    );
    // (The robust pools also have the thread of the `ctrlc` crate, which
    // waits for the signals; tokio's runtime takes them on its own.)
    for (step, threads) in [
        ("listing-20-20", 5),
        ("beyond-04-shutdown-on-signal", 6),
        ("beyond-07-strict-requests", 6),
        ("beyond-09-async-multithreaded", 5),
    ] {
        assert_eq!(by(step).threads_with_partial, Some(threads), "{step}");
    }
    assert!(by("listing-20-11").threads_with_partial >= Some(16));

    let mut table = String::from(
        "| server | model | threads, idle | threads, 15 partial requests | `/` behind 4 \
         partial requests | `/` behind four `/sleep`s | lines of Rust |\n\
         |---|---|--:|--:|---|---|--:|\n",
    );
    for ((step, model), f) in servers.iter().zip(&fared) {
        let count = |n: Option<usize>| n.map_or("–".to_string(), |n| n.to_string());
        table.push_str(&format!(
            "| {step} | {model} | {} | {} | {} | {} | {} |\n",
            count(f.threads_idle),
            count(f.threads_with_partial),
            felt(f.root_behind_partial),
            felt(f.root_behind_sleeps),
            f.lines
        ));
    }
    kit::assert_pinned(
        "beyond.models",
        "each server started alone: its threads idle; how long GET / took (up to 7 s) \
         behind four connections that sent half a request; on a second server, its threads \
         with fifteen such connections; how long GET / took behind four /sleeps, on a third; \
         and its lines of Rust (no blank lines, comments or unit tests)",
        &table,
    );
}

/// Fifteen connections that send half a request, and eighteen complete
/// `GET /`s, all at once: how many of the eighteen are answered with 200
/// within a second.
fn answered_within_a_second_of_eighteen(step: &'static str) -> usize {
    let server = kit::start(step);
    let halves: Vec<TcpStream> = (0..15).map(|_| half_request(&server)).collect();
    // Each `GET /` on a new connection, given two seconds: its status line
    // and how long it took.
    let answers: Vec<(Option<String>, Duration)> = thread::scope(|scope| {
        let gets: Vec<_> = (0..18)
            .map(|_| {
                scope.spawn(|| {
                    let x = exchange(&server, "/", Duration::from_secs(2));
                    (x.reply.response().status.map(str::to_string), x.elapsed)
                })
            })
            .collect();
        gets.into_iter().map(|g| g.join().unwrap()).collect()
    });
    drop(halves);
    assert_eq!(answers.len(), 18);
    answers
        .iter()
        .filter(|(status, took)| {
            status.as_deref() == Some("HTTP/1.1 200 OK") && *took < Duration::from_secs(1)
        })
        .count()
}

#[test]
fn fifteen_partial_requests_and_eighteen_complete_ones_at_once() {
    // The pool's four workers are held by the partial requests until
    // their timeout: not every complete request is answered in a second.
    each(&POOLS, |step| {
        let prompt = answered_within_a_second_of_eighteen(step);
        assert!(
            prompt < 18,
            "{step}: fifteen partial requests hold the pool's four workers, so not every \
             one of eighteen complete requests is answered within a second: {prompt} were"
        );
    });
    // The async servers answer every one of them.
    each(&ASYNC, |step| {
        assert_eq!(
            answered_within_a_second_of_eighteen(step),
            18,
            "{step}: fifteen partial requests delay nothing: all eighteen complete \
             requests sent with them are answered within a second"
        );
    });
}

/// The conformance cases: requests a server must answer as RFC 9112
/// says, each with its name in the table.
const CASES: &[(&str, &[u8])] = &[
    ("GET / with Host", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("GET / in HTTP/1.0, no Host", b"GET / HTTP/1.0\r\n\r\n"),
    ("no Host in HTTP/1.1", b"GET / HTTP/1.1\r\n\r\n"),
    (
        "two Host lines",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ),
    ("version HTTP/9.9", b"GET / HTTP/9.9\r\nHost: a\r\n\r\n"),
    ("no version", b"GET /\r\n\r\n"),
    ("a bad method", b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "a header name with []",
        b"GET / HTTP/1.1\r\nHost: a\r\nX[]: 1\r\n\r\n",
    ),
    (
        "a control byte in a value",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n",
    ),
    (
        "a bare CR in the headers",
        b"GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n",
    ),
    (
        "Content-Length: abc",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n",
    ),
    (
        "Content-Length: -5",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
    ),
    (
        "Content-Length over u64",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
    ),
    (
        "two Content-Lengths that differ",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    ),
    (
        "a body of 5 bytes",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    ),
    (
        "Transfer-Encoding: chunked",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "chunked, with an extension and a trailer",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n",
    ),
    (
        "a chunk size that is not hex",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    ),
    (
        "a chunk past 1 MiB",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n",
    ),
    (
        "a chunked body cut short",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    ),
    (
        "Transfer-Encoding: gzip, chunked",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    ),
    (
        "Transfer-Encoding: chunked, gzip",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    ),
    (
        "Transfer-Encoding and Content-Length",
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
    ),
    (
        "POST /",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
    ),
    ("HEAD /", b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("version HTTP/1.2", b"GET / HTTP/1.2\r\nHost: a\r\n\r\n"),
    ("version HTTP/2.0", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
    (
        "bytes that are not UTF-8",
        b"\xff\xfe\xfd\x00garbage\r\n\r\n",
    ),
];

/// The cases built at run time: a head past the servers' 8 KiB limit, and
/// half a request whose client then sends nothing more.
fn long_cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut long = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    while long.len() <= 8 * 1024 {
        long.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
    }
    long.extend_from_slice(b"\r\n");
    vec![
        ("a head over 8 KiB", long),
        ("half a request line, then the end", b"GET / HT".to_vec()),
    ]
}

/// Every case: its name and its bytes.
fn cases() -> Vec<(&'static str, Vec<u8>)> {
    CASES
        .iter()
        .map(|(name, bytes)| (*name, bytes.to_vec()))
        .chain(long_cases())
        .collect()
}

/// What the server sends back to `request` on a connection of its own,
/// half-closed once sent: what arrived before the server closed it (or
/// reset it, or went quiet for `EXCHANGE_TIMEOUT`).
fn answer_half_closed(server: &Server, request: &[u8]) -> Vec<u8> {
    let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
    stream.set_read_timeout(Some(EXCHANGE_TIMEOUT)).unwrap();
    stream.write_all(request).expect("sending");
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// What `step` answers to each case, one connection each, then half-closed.
fn answers(step: &'static str) -> Vec<Vec<u8>> {
    let server = kit::start(step);
    cases()
        .iter()
        .map(|(_, request)| answer_half_closed(&server, request))
        .collect()
}

/// An answer as the table shows it: its status without `HTTP/1.1`, the
/// methods a 405 allows, and, where the body is left out, that it is.
fn cell(answer: &[u8]) -> String {
    let response = companion::http::Response::read(answer);
    let Some(status) = response.status else {
        return "(no answer)".to_string();
    };
    let mut cell = status.trim_start_matches("HTTP/1.1 ").to_string();
    if let Some(allow) = response.header("allow") {
        cell.push_str(&format!(", Allow: {allow}"));
    }
    let length = response.content_length().unwrap_or("0");
    if response.body.is_empty() && length != "0" {
        cell.push_str(&format!(", no body (Content-Length: {length})"));
    }
    cell
}

/// The answer of `step` to the case named `name`, read.
fn answer_to<'a>(answers: &'a [Vec<u8>], name: &str) -> companion::http::Response<'a> {
    let at = cases()
        .iter()
        .position(|(case, _)| *case == name)
        .expect(name);
    companion::http::Response::read(&answers[at])
}

#[test]
fn what_each_server_answers_to_rfc_9112s_cases_is_pinned() {
    let steps = [
        "beyond-03-no-unwrap",
        "beyond-07-strict-requests",
        "beyond-08-async-single-threaded",
        "beyond-09-async-multithreaded",
    ];
    let columns: Vec<(&str, Vec<Vec<u8>>)> = steps
        .iter()
        .map(|&step| (step, thread::spawn(move || answers(step))))
        .map(|(step, run)| (step, run.join().expect(step)))
        .collect();

    // What RFC 9110 and 9112 say a server MUST do, on each strict server.
    for (step, answers) in &columns[1..] {
        // 9112, 7.1: a recipient MUST be able to decode chunked.
        let chunked = answer_to(answers, "Transfer-Encoding: chunked");
        assert_eq!(chunked.code, Some(200), "{step}: chunked");
        // 9110, 9.1: GET and HEAD MUST be supported; HEAD is GET's head.
        let head = answer_to(answers, "HEAD /");
        let get = answer_to(answers, "GET / with Host");
        assert_eq!(head.code, Some(200), "{step}: HEAD");
        assert_eq!(head.body, b"", "{step}: HEAD has no body");
        assert_eq!(head.content_length(), get.content_length(), "{step}: HEAD");
        // 9110, 15.5.6: a 405 MUST say what is allowed.
        let post = answer_to(answers, "POST /");
        assert_eq!(
            post.code,
            Some(405),
            "{step}: a POST's body is read and dropped, then the POST is refused with 405"
        );
        assert_eq!(post.header("allow"), Some("GET, HEAD"), "{step}: Allow");
        // 9110, 2.5: a later minor version is read as HTTP/1.1.
        let later = answer_to(answers, "version HTTP/1.2");
        assert_eq!(later.code, Some(200), "{step}: HTTP/1.2");
    }

    let cells: Vec<Vec<String>> = columns
        .iter()
        .map(|(_, answers)| answers.iter().map(|a| cell(a)).collect())
        .collect();
    let mut table = format!(
        "| case | {} |\n|---|{}\n",
        steps.join(" | "),
        "---|".repeat(steps.len())
    );
    for (i, (case, _)) in cases().iter().enumerate() {
        let row: Vec<&str> = cells.iter().map(|c| c[i].as_str()).collect();
        table.push_str(&format!("| {case} | {} |\n", row.join(" | ")));
    }
    // The async servers answer as beyond-07 does, to the letter.
    assert_eq!(cells[1], cells[2]);
    assert_eq!(cells[1], cells[3]);
    kit::assert_pinned(
        "beyond.conformance",
        "each request of tests/suite/models.rs's CASES sent to each server on a \
         connection of its own, then the status line it answered (with a 405's \
         Allow, and a body left out)",
        &table,
    );
}

#[test]
fn under_load_sigterm_lets_every_request_in_flight_finish_and_idle_ones_go() {
    #[cfg(unix)]
    each(&NEW, |step| {
        let server = kit::start(step);
        let (signalled, idle) = thread::scope(|scope| {
            let sleeps: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| exchange(&server, "/sleep", EXCHANGE_TIMEOUT)))
                .collect();
            wait_for_logged(&server, "GET /sleep ", 4);
            // Then connections that send nothing: a pool queues them behind
            // the /sleeps, an async server holds a task for each.
            let idle: Vec<TcpStream> = (0..3)
                .map(|_| server.connect(EXCHANGE_TIMEOUT).expect("connecting"))
                .collect();
            let signalled = Instant::now();
            crate::beyond::signal(&server, "TERM");
            for sleep in sleeps {
                crate::beyond::answered_in_full(&sleep.join().unwrap());
            }
            (signalled, idle)
        });
        // Within the /sleep's 5 s and a wide margin, not held by the idle
        // connections.
        let finished = crate::beyond::exits_0_after_the_signal(server, signalled);
        assert!(
            finished.stdout.ends_with("Shutting down.\n"),
            "{step}: SIGTERM with four /sleeps in flight and three idle connections: \
             every request in flight finishes, and the server exits with status 0 \
             after `Shutting down.`:\n{}",
            finished.stdout
        );
        drop(idle);
    });
}

#[test]
fn no_client_panics_them_and_a_missing_page_is_a_500() {
    each(&NEW, |step| {
        let server = kit::start(step);
        // A barrage of what beyond-03 survives, then a good request.
        for request in [
            &b"\xff\xfe\xfd\x00garbage\r\n"[..],
            b"GET /\r\n\r\n",
            &[b'a'; 9 * 1024],
            b"GET / HT",
        ] {
            let answer = answer_half_closed(&server, request);
            assert!(
                answer.starts_with(b"HTTP/1.1 4"),
                "{step}: a malformed request or half request gets a 4xx: {}",
                String::from_utf8_lossy(&answer)
            );
        }
        drop(server.connect(EXCHANGE_TIMEOUT).expect("connecting"));
        for _ in 0..8 {
            assert_eq!(
                exchange(&server, "/", EXCHANGE_TIMEOUT)
                    .reply
                    .response()
                    .status,
                Some("HTTP/1.1 200 OK"),
                "{step}: eight good requests are answered after the malformed ones"
            );
        }
        let finished = server.finish();
        assert_eq!(
            finished.ending,
            Ending::Stopped,
            "{step} still ran: no client panics it"
        );
        assert_eq!(finished.stderr, "", "{step} printed nothing on stderr");

        let (reply, _) = crate::beyond::without_hello_html(step);
        assert_eq!(
            reply.response().status,
            Some("HTTP/1.1 500 INTERNAL SERVER ERROR"),
            "{step}: a missing hello.html is a 500"
        );
    });
}
