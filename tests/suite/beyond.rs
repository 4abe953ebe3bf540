//! The worked exercises' claims (stages/beyond-*): what each step promises
//! beyond the chapter, tested against the running server. The pool's own
//! claims are unit tests and doc examples in its library
//! (stages/beyond-02-documented-and-tested/lib.rs, `cargo test -p beyond`).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use companion::server::{Ending, Server, ServerCommand};
use companion::session::{exchange, send_and_read, EXCHANGE_TIMEOUT};

const ROBUST: &str = "beyond-03-no-unwrap";

/// What the server sends back on a connection that sends `bytes`, then
/// (with `half_close`) says it will send nothing more.
fn answer_to(server: &Server, bytes: &[u8], half_close: bool) -> Vec<u8> {
    let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(bytes).expect("sending");
    if half_close {
        stream.shutdown(Shutdown::Write).expect("half-closing");
    }
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("reading the answer");
    answer
}

fn status_line(answer: &[u8]) -> String {
    String::from_utf8_lossy(answer)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// One connection of each kind the barrage sends, checked; `i` picks it.
fn one_connection(server: &Server, i: usize) {
    let hello = include_bytes!("../../hello.html");
    match i % 6 {
        // Closed without a request: there is nothing to answer, and the
        // server answers nothing (it sends its 400 to requests only).
        0 => {
            let mut stream = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
            stream.shutdown(Shutdown::Write).expect("half-closing");
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).expect("reading the answer");
            assert!(
                answer.is_empty(),
                "a connection closed without a request gets no answer: {:?}",
                String::from_utf8_lossy(&answer)
            );
        }
        // Bytes that are not UTF-8.
        1 => {
            let answer = answer_to(server, b"\xff\xfe\xfd\x00garbage\r\n", false);
            assert_eq!(
                status_line(&answer),
                "HTTP/1.1 400 BAD REQUEST",
                "a malformed request (not UTF-8) gets its 400"
            );
        }
        // No version.
        2 => {
            let answer = answer_to(server, b"GET /\r\n\r\n", false);
            assert_eq!(
                status_line(&answer),
                "HTTP/1.1 400 BAD REQUEST",
                "a malformed request (no version) gets its 400"
            );
        }
        // A line that does not end (as long as the server reads one).
        3 => {
            let answer = answer_to(server, &[b'a'; 8 * 1024], false);
            assert_eq!(
                status_line(&answer),
                "HTTP/1.1 400 BAD REQUEST",
                "a malformed request (a line that does not end in 8 KiB) gets its 400"
            );
        }
        // Half a request, then nothing more.
        4 => {
            let answer = answer_to(server, b"GET / HT", true);
            assert_eq!(
                status_line(&answer),
                "HTTP/1.1 400 BAD REQUEST",
                "a malformed request (cut off half-way) gets its 400"
            );
        }
        // A good request.
        _ => {
            let answer = answer_to(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
            assert_eq!(
                status_line(&answer),
                "HTTP/1.1 200 OK",
                "a good request is answered"
            );
            assert!(
                answer.ends_with(hello),
                "every good request gets the whole page"
            );
        }
    }
}

#[test]
fn a_barrage_of_malformed_connections_loses_no_worker_and_every_good_request_is_answered() {
    const CLIENTS: usize = 8;
    const EACH: usize = 300;
    let server = kit::start(ROBUST);
    let threads_before = server.thread_count();
    thread::scope(|scope| {
        for client in 0..CLIENTS {
            let server = &server;
            scope.spawn(move || {
                for n in 0..EACH {
                    one_connection(server, client + n);
                }
            });
        }
    });
    // 2400 connections, 2000 of them malformed or empty, 400 good ones
    // answered.
    assert!(
        exchange(&server, "/", EXCHANGE_TIMEOUT)
            .reply
            .response()
            .status
            == Some("HTTP/1.1 200 OK"),
        "after 2400 connections from eight clients, the server still answers"
    );
    assert_eq!(
        server.thread_count(),
        threads_before,
        "no worker was lost: the server ends with the threads it started with"
    );
    if let Some(threads) = threads_before {
        assert_eq!(threads, 1 + 4);
    }
    assert_eq!(server.wait_for_exit(Duration::ZERO), None, "it still runs");
    let finished = server.finish();
    assert_eq!(finished.ending, Ending::Stopped);
    assert!(!finished.stderr.contains("panicked"), "{}", finished.stderr);
}

#[test]
fn idle_connections_are_timed_out_instead_of_holding_the_workers() {
    let server = kit::start(ROBUST);
    // Four connections that never send a request take the four workers.
    let idle: Vec<TcpStream> = (0..4)
        .map(|_| server.connect(EXCHANGE_TIMEOUT).expect("connecting"))
        .collect();
    let started = Instant::now();
    let reply = send_and_read(
        &server,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        Duration::from_secs(30),
    );
    let waited = started.elapsed();
    assert_eq!(reply.response().status, Some("HTTP/1.1 200 OK"));
    // It waited for the idle ones' 5-second timeout, and no longer.
    assert!(
        waited >= Duration::from_secs(3),
        "a request behind four idle connections waits for their 5-second timeout: \
         answered after {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(15),
        "the four idle connections are closed at their 5-second timeout, and the \
         request behind them is answered: answered after {waited:?}"
    );
    drop(idle);
    drop(server);
}

#[test]
fn a_connection_reset_by_its_client_is_one_line_on_stderr_and_the_server_goes_on() {
    #[cfg(target_os = "linux")]
    {
        let server = kit::start(ROBUST);
        // Half a request line, then a reset: the server's read fails, and
        // the job says so on stderr. (With a whole request, a worker that
        // was quick enough could answer it before the reset arrived, and
        // nothing would fail: a cold run of the suite once did.)
        let mut client = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
        client.write_all(b"GET / HT").unwrap();
        kit::linux::close_with_reset(client).unwrap();
        // The next connection is served as ever. (Its job was queued after
        // the reset one's, which fails at once; give that job's line a
        // moment to reach stderr all the same.)
        let page = exchange(&server, "/", EXCHANGE_TIMEOUT);
        assert_eq!(page.reply.response().status, Some("HTTP/1.1 200 OK"));
        thread::sleep(Duration::from_secs(1));
        assert_eq!(server.wait_for_exit(Duration::ZERO), None, "it still runs");
        let finished = server.finish();
        assert_eq!(finished.stderr.lines().count(), 1, "{}", finished.stderr);
        assert!(
            finished.stderr.starts_with("a connection failed: "),
            "{}",
            finished.stderr
        );
    }
}

/// `step` started in an empty folder of its own, so without `hello.html`,
/// and asked for `/`: its reply, and what it printed. It still ran when
/// stopped, and its stderr starts with the line that names the file.
pub fn without_hello_html(step: &str) -> (companion::session::Reply, companion::server::Finished) {
    let empty = scratch(&format!("no-html-{step}"));
    let server = ServerCommand::new(kit::stage_exe(step))
        .current_dir(&empty)
        .start()
        .unwrap_or_else(|e| panic!("{step}: {e}"));
    let reply = exchange(&server, "/", EXCHANGE_TIMEOUT).reply;
    assert_eq!(server.wait_for_exit(Duration::ZERO), None, "it still runs");
    let finished = server.finish();
    assert!(
        finished
            .stderr
            .starts_with("error: cannot read hello.html: "),
        "{}",
        finished.stderr
    );
    (reply, finished)
}

#[test]
fn a_missing_hello_html_is_a_500_and_one_line_on_stderr() {
    let (reply, finished) = without_hello_html(ROBUST);
    assert_eq!(
        String::from_utf8_lossy(&reply.bytes),
        "HTTP/1.1 500 INTERNAL SERVER ERROR\r\nContent-Length: 0\r\n\r\n"
    );
    // One line, naming the file and the OS's reason (worded per OS).
    assert_eq!(finished.stderr.lines().count(), 1, "{}", finished.stderr);
    #[cfg(unix)]
    assert!(finished
        .stderr
        .ends_with(": No such file or directory (os error 2)\n"));
}

#[cfg(unix)]
const GRACEFUL: &str = "beyond-04-shutdown-on-signal";

/// Send `signal` (`INT`, `TERM`) to the server, as `kill` does.
#[cfg(unix)]
pub fn signal(server: &Server, signal: &str) {
    let sent = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(server.pid().to_string())
        .status()
        .expect("running kill");
    assert!(sent.success());
}

/// Wait (at most ten seconds) until the server has logged `line`: a request
/// line it has read, in a worker.
#[cfg(unix)]
pub(crate) fn wait_for_log(server: &Server, line: &str) {
    let logged = kit::wait_until(Duration::from_secs(10), || {
        server.stdout_so_far().lines().any(|l| l == line)
    });
    assert!(logged, "{}", server.stdout_so_far());
}

/// A `/sleep` that was in flight at the signal: answered, the whole page.
#[cfg(unix)]
pub fn answered_in_full(sleep: &companion::session::Exchange) {
    assert_eq!(sleep.reply.response().status, Some("HTTP/1.1 200 OK"));
    assert!(
        sleep
            .reply
            .bytes
            .ends_with(include_bytes!("../../hello.html")),
        "the whole page"
    );
}

/// A server signalled at `signalled` exits by itself within ten seconds
/// (the `/sleep`'s 5 and a wide margin), with 0 and nothing on stderr:
/// what it printed.
#[cfg(unix)]
pub fn exits_0_after_the_signal(server: Server, signalled: Instant) -> companion::server::Finished {
    server
        .wait_for_exit(Duration::from_secs(15))
        .expect("the server exits");
    assert!(signalled.elapsed() < Duration::from_secs(10));
    assert_eq!(
        exchange(&server, "/", Duration::from_secs(5)).reply.end,
        companion::session::End::Refused,
        "it no longer listens"
    );
    let finished = server.finish();
    assert_eq!(finished.ending, Ending::Exited(0), "{}", finished.stderr);
    assert_eq!(finished.stderr, "");
    finished
}

#[cfg(unix)]
fn a_signal_lets_the_request_in_flight_finish_then_exits_0(step: &str, name: &str) {
    let server = kit::start(step);
    let signalled = thread::scope(|scope| {
        let slow = scope.spawn(|| exchange(&server, "/sleep", EXCHANGE_TIMEOUT));
        wait_for_log(&server, "GET /sleep HTTP/1.1");
        let signalled = Instant::now();
        signal(&server, name);
        // `Shutting down.` comes at once, while the request is still in
        // flight.
        wait_for_log(&server, "Shutting down.");
        assert!(
            !slow.is_finished(),
            "the /sleep was answered before the signal was"
        );
        answered_in_full(&slow.join().unwrap());
        signalled
    });
    let finished = exits_0_after_the_signal(server, signalled);
    // The request's line, logged by the server, and its farewell: the pool
    // prints nothing of its own.
    assert_eq!(finished.stdout, "GET /sleep HTTP/1.1\nShutting down.\n");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_the_server_exits_0() {
    #[cfg(unix)]
    a_signal_lets_the_request_in_flight_finish_then_exits_0(GRACEFUL, "TERM");
}

#[test]
fn ctrl_c_lets_the_request_in_flight_finish_then_the_server_exits_0() {
    #[cfg(unix)]
    a_signal_lets_the_request_in_flight_finish_then_exits_0(GRACEFUL, "INT");
}

#[test]
fn an_idle_connection_cannot_hold_the_shutdown_open() {
    #[cfg(unix)]
    {
        let server = kit::start(GRACEFUL);
        let idle = server.connect(EXCHANGE_TIMEOUT).expect("connecting");
        // Accepted in order: once a later request is answered, a worker
        // holds the idle connection.
        assert_eq!(
            exchange(&server, "/", EXCHANGE_TIMEOUT)
                .reply
                .response()
                .status,
            Some("HTTP/1.1 200 OK")
        );
        let signalled = Instant::now();
        signal(&server, "INT");
        server
            .wait_for_exit(Duration::from_secs(15))
            .expect("the server exits");
        // Well before the idle connection's own 5-second timeout.
        let took = signalled.elapsed();
        assert!(took < Duration::from_secs(3), "the shutdown took {took:?}");
        assert_eq!(server.finish().ending, Ending::Exited(0));
        drop(idle);
    }
}

/// The line counter run on `folder`: its exit status, stdout and stderr.
fn count_lines_in(folder: &std::path::Path) -> std::process::Output {
    std::process::Command::new(kit::stage_exe("beyond-05-pool-for-other-work"))
        .arg(folder)
        .output()
        .expect("running beyond-05")
}

/// A folder of its own for a test, empty.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_pool_counts_the_lines_of_every_file_as_wc_does() {
    let dir = scratch("beyond-05-counts");
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), "one\ntwo\nthree\n").unwrap();
    std::fs::write(dir.join("c.txt"), "one line\n").unwrap();
    std::fs::write(dir.join("sub/b.txt"), "no newline at the end").unwrap();
    let many: String = (0..1000).map(|n| format!("{n}\n")).collect();
    std::fs::write(dir.join("sub/many.txt"), many).unwrap();
    let out = count_lines_in(&dir);
    assert!(out.status.success());
    // Paths as the OS writes them (`\` between folders on Windows).
    let path = |rel: &str| {
        rel.split('/')
            .fold(dir.clone(), |p, part| p.join(part))
            .display()
            .to_string()
    };
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "       3 {}\n       1 {}\n       0 {}\n    1000 {}\n    1004 total\n",
            path("a.txt"),
            path("c.txt"),
            path("sub/b.txt"),
            path("sub/many.txt")
        ),
        "the counts, sorted by path, the total last, are all it prints: the pool of \
         beyond-02 prints nothing (no `Worker 0 got a job; executing.`)"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// Which exercises run on beyond-02's library (crate `hello`), as its page
/// says: the servers that change only the server, and beyond-05's other
/// work; beyond-06 is on rayon's pool, beyond-08 and beyond-09 on tokio.
#[test]
fn the_exercises_on_beyond_02s_pool_are_03_04_05_and_07_and_the_others_use_rayon_or_tokio() {
    use companion::registry::{Track, STEPS};
    for step in STEPS.iter().filter(|s| s.track == Track::Exercises) {
        let main = kit::read_repo(&step.main_rs());
        let on_ours = main.contains("use hello::ThreadPool;");
        let expected = match step.name {
            "beyond-01-build-returns-result" | "beyond-02-documented-and-tested" => continue,
            "beyond-03-no-unwrap"
            | "beyond-04-shutdown-on-signal"
            | "beyond-05-pool-for-other-work"
            | "beyond-07-strict-requests" => true,
            "beyond-06-pool-from-crates-io" => {
                assert!(main.contains("rayon::"), "beyond-06 is on rayon's pool");
                false
            }
            "beyond-08-async-single-threaded" | "beyond-09-async-multithreaded" => {
                assert!(main.contains("tokio::"), "{} is on tokio", step.name);
                false
            }
            other => panic!("{other}: say which pool it uses, here and on beyond-02's page"),
        };
        assert_eq!(
            on_ours, expected,
            "{}: uses beyond-02's library (hello::ThreadPool): {on_ours}",
            step.name
        );
    }
}

/// beyond-06 changes the pool and nothing else of beyond-04's server: its
/// request line tests are beyond-04's, all of them.
#[test]
fn beyond_06_keeps_every_request_line_test_of_beyond_04() {
    let tests = |step: &str| {
        let main = kit::read_repo(&format!("stages/{step}/main.rs"));
        let at = main.find("mod tests {").expect("a tests module");
        let end = at + main[at..].find("\n}\n").expect("its end");
        main[at..end].to_string()
    };
    assert_eq!(
        tests("beyond-06-pool-from-crates-io"),
        tests("beyond-04-shutdown-on-signal"),
        "beyond-06's request line tests are beyond-04's"
    );
}

#[test]
fn a_file_it_cannot_read_is_one_line_on_stderr_and_exit_status_1() {
    #[cfg(unix)]
    {
        let dir = scratch("beyond-05-unreadable");
        std::fs::write(dir.join("a.txt"), "one\n").unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("link")).unwrap();
        let out = count_lines_in(&dir);
        assert_eq!(out.status.code(), Some(1));
        let d = dir.display();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("       1 {d}/a.txt\n       1 total\n")
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: cannot read {d}/link: No such file or directory (os error 2)\n")
        );
    }
}

/// beyond-06 serves its connections in a rayon scope: the scope, not the
/// pool's drop (which does not wait), lets the request in flight finish.
#[test]
fn on_rayons_pool_sigterm_still_lets_the_request_in_flight_finish() {
    #[cfg(unix)]
    a_signal_lets_the_request_in_flight_finish_then_exits_0(
        "beyond-06-pool-from-crates-io",
        "TERM",
    );
}
