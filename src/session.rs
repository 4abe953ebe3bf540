//! The scripted session of a step: the requests the chapter makes of that
//! step's server, sent as raw bytes, with the raw bytes that come back and
//! what the server printed. The snapshot tests, the tour and `check` all use
//! this one piece of code.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use crate::http::Response;
use crate::registry::{Serves, Step};
use crate::server::{Ending, Finished, Server, ADDRESS};

/// How long the chapter's slow request sleeps.
pub(crate) const SLEEP: Duration = Duration::from_secs(5);

/// "`/` waits behind `/sleep`" means it took at least this long: a wide
/// margin under the chapter's 5 seconds.
pub const WAITS_AT_LEAST: Duration = Duration::from_secs(3);

/// "`/` does not wait" means it took less than this.
pub const NO_WAIT_UNDER: Duration = Duration::from_secs(2);

/// How long the session gives a server that closed a connection without a
/// response to finish dying, if it is dying.
pub const CRASH_GRACE: Duration = Duration::from_secs(1);

/// How long one exchange may take before we stop waiting for the server.
pub const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(15);

/// The request the session sends for `path`: a request line and a `Host`
/// header, as small as a real client's request can be.
pub fn request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {ADDRESS}\r\n\r\n").into_bytes()
}

/// How the server ended an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// It closed the connection (we read end-of-file).
    Closed,
    /// It reset the connection. With no bytes before it, the kernel may
    /// report a close as either (it depends on whether the request had
    /// arrived when the server closed), so [`Reply::is_no_response`] treats
    /// both alike.
    Reset,
    /// Nothing listened: the connection was refused.
    Refused,
    /// The connection was still open when we gave up waiting.
    TimedOut,
}

/// What came back for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub bytes: Vec<u8>,
    pub end: End,
}

impl Reply {
    /// The server closed (or reset) the connection without sending a byte.
    pub fn is_no_response(&self) -> bool {
        self.bytes.is_empty() && matches!(self.end, End::Closed | End::Reset)
    }

    /// What came back, read as a response.
    pub fn response(&self) -> Response<'_> {
        Response::read(&self.bytes)
    }
}

/// One request of a session and its reply.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub path: String,
    pub request: Vec<u8>,
    pub reply: Reply,
    /// From connecting to the end of the reply.
    pub elapsed: Duration,
}

/// Send the request for `path` to `server` on a new connection and read
/// until the server closes it (or `timeout`).
pub fn exchange(server: &Server, path: &str, timeout: Duration) -> Exchange {
    let request = request(path);
    let started = Instant::now();
    let reply = send_and_read(server, &request, timeout);
    Exchange {
        path: path.to_string(),
        request,
        reply,
        elapsed: started.elapsed(),
    }
}

/// Open a connection to `server`, send `request` (raw bytes), read to the
/// end.
pub fn send_and_read(server: &Server, request: &[u8], timeout: Duration) -> Reply {
    let mut stream = match server.connect(timeout) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            return Reply {
                bytes: vec![],
                end: End::Refused,
            }
        }
        Err(_) => {
            return Reply {
                bytes: vec![],
                end: End::TimedOut,
            }
        }
    };
    let deadline = Instant::now() + timeout;
    let mut bytes = Vec::new();
    if let Err(e) = stream.write_all(request) {
        return Reply {
            bytes,
            end: end_of(&e),
        };
    }
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Reply {
                bytes,
                end: End::TimedOut,
            };
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => {
                return Reply {
                    bytes,
                    end: End::Closed,
                }
            }
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Reply {
                    bytes,
                    end: end_of(&e),
                }
            }
        }
    }
}

fn end_of(e: &io::Error) -> End {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => End::TimedOut,
        io::ErrorKind::ConnectionRefused => End::Refused,
        _ => End::Reset,
    }
}

/// `GET /` on a new connection, made while a `GET /sleep` sent on another
/// connection just before it is in progress: whether the server lets the
/// fast request wait behind the slow one. The `/sleep` connection is sent
/// first, so the server has accepted it before the fast one; `GET /` is
/// given up on after `timeout`.
pub fn root_behind_sleep(server: &Server, timeout: Duration) -> io::Result<Exchange> {
    let mut slow = server.connect(timeout)?;
    slow.write_all(&request("/sleep"))?;
    Ok(exchange(server, "/", timeout))
}

/// One thing a session does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Request this path on a new connection and read the reply.
    Get(&'static str),
    /// Wait for the server to exit by itself (the final step stops after
    /// two connections).
    AwaitExit,
}

/// The session that follows the chapter for `step`: `/`, `/sleep` where the
/// step has it, and a path that does not exist. A server that stops after
/// two connections gets the third request once it has exited.
pub fn script(serves: &Serves) -> Vec<Action> {
    let mut paths = vec!["/"];
    if serves.sleep_route {
        paths.push("/sleep");
    }
    paths.push("/does-not-exist");
    let mut actions: Vec<Action> = paths.into_iter().map(Action::Get).collect();
    if let Some(n) = serves.stops_after {
        actions.insert(n, Action::AwaitExit);
    }
    actions
}

/// What happened at one action of a session.
#[derive(Clone, Debug)]
pub enum Event {
    Exchange(Exchange),
    /// The session waited for the server to exit; whether it did.
    AwaitedExit {
        exited: bool,
    },
    /// After a request that got no response, the server turned out to have
    /// exited (it crashed on the request).
    Crashed {
        status: String,
    },
}

/// A whole session: what happened, in order, and what the server printed.
#[derive(Clone, Debug)]
pub struct Transcript {
    pub step: &'static str,
    pub events: Vec<Event>,
    pub server: Finished,
}

impl Transcript {
    /// The requests and replies, in order.
    pub fn exchanges(&self) -> impl Iterator<Item = &Exchange> {
        self.events.iter().filter_map(|e| match e {
            Event::Exchange(x) => Some(x),
            _ => None,
        })
    }

    /// Whether the session waited for the server to stop by itself.
    pub(crate) fn awaited_exit(&self) -> Option<bool> {
        self.events.iter().find_map(|e| match e {
            Event::AwaitedExit { exited } => Some(*exited),
            _ => None,
        })
    }
}

/// Told about a session as it goes (the tour shows progress with it).
pub trait Observer {
    fn before(&mut self, _action: &Action) {}
    fn after(&mut self, _event: &Event) {}
}

impl Observer for () {}

/// How long a session waits on a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// For one request's reply.
    pub reply: Duration,
    /// For the server to exit by itself, once its last connection is
    /// answered.
    pub exit: Duration,
}

impl Bounds {
    /// Wide enough for the chapter's servers on a loaded test machine.
    pub const GENEROUS: Bounds = Bounds {
        reply: EXCHANGE_TIMEOUT,
        exit: EXCHANGE_TIMEOUT,
    };
}

/// Run `step`'s session against `server` (the step's, or a reader's at that
/// step), within `bounds`, telling `observer` about each action before and
/// after it, and stop the server. A server that keeps a request's
/// connection open without sending a byte has no more requests made to
/// it: the rest of the script would only wait as long.
pub fn run(
    step: &'static Step,
    server: Server,
    bounds: Bounds,
    observer: &mut dyn Observer,
) -> Transcript {
    let serves = step
        .server()
        .unwrap_or_else(|| panic!("{} is not a server", step.name));
    let mut events = Vec::new();
    for action in script(&serves) {
        let silent = |e: &Event| matches!(e, Event::Exchange(x) if x.reply.bytes.is_empty() && x.reply.end == End::TimedOut);
        if events.last().is_some_and(silent) {
            break;
        }
        observer.before(&action);
        let first_new = events.len();
        match action {
            Action::Get(path) => {
                let x = exchange(&server, path, bounds.reply);
                let no_response = x.reply.is_no_response();
                let refused = x.reply.end == End::Refused;
                events.push(Event::Exchange(x));
                // A server that no longer listens may be on its way out:
                // give it the moment to finish, so that how it ended is
                // read as it ended, not as our stopping it.
                if refused {
                    server.wait_for_exit(CRASH_GRACE);
                }
                // A server that dies on a request closes that connection a
                // moment before it stops listening: wait for it to be gone,
                // so that the next request is refused every time rather than
                // sometimes caught in between.
                if no_response {
                    if let Some(status) = server.wait_for_exit(CRASH_GRACE) {
                        events.push(Event::Crashed {
                            status: status.to_string(),
                        });
                    }
                }
            }
            Action::AwaitExit => {
                let exited = server.wait_for_exit(bounds.exit).is_some();
                events.push(Event::AwaitedExit { exited });
                // A server that should have stopped and did not still holds
                // its port: the rest of the script would only wait on it.
                if !exited {
                    observer.after(events.last().expect("just pushed"));
                    break;
                }
            }
        }
        for event in &events[first_new..] {
            observer.after(event);
        }
    }
    Transcript {
        step: step.name,
        events,
        server: server.finish(),
    }
}

/// Replace the worker id in `Worker N got a job; executing.` lines (which
/// worker takes a job varies from run to run) with `[ID]`; return the text
/// and the ids in order.
pub fn hide_worker_ids(stdout: &str) -> (String, Vec<usize>) {
    let mut ids = Vec::new();
    let text = stdout
        .lines()
        .map(|line| {
            let id = line
                .strip_prefix("Worker ")
                .and_then(|rest| rest.strip_suffix(" got a job; executing."))
                .and_then(|n| n.parse::<usize>().ok());
            match id {
                Some(id) => {
                    ids.push(id);
                    "Worker [ID] got a job; executing.\n".to_string()
                }
                None => format!("{line}\n"),
            }
        })
        .collect();
    (text, ids)
}

/// The lines of `text`, sorted: how the output of a server that prints
/// from several threads at once is compared.
pub(crate) fn sorted_lines(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Bytes as text, one line per line of the original, with `\r`, `\n`, tabs
/// and other control bytes written out so every byte is visible.
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        out.push_str("    ");
        for chunk in line.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\r' => out.push_str("\\r"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\\' => out.push_str("\\\\"),
                    c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out.push('\n');
    }
    out
}

/// The transcript as the snapshot shows it. Worker ids are hidden (see
/// [`hide_worker_ids`]); a server that shuts down prints from several
/// threads at once, so its lines are sorted.
pub fn render(t: &Transcript) -> String {
    let mut out = String::new();
    for event in &t.events {
        match event {
            Event::Exchange(x) => render_exchange(&mut out, x),
            Event::AwaitedExit { exited: true } => out
                .push_str("== the session waits for the server to exit: it exits by itself ==\n\n"),
            Event::AwaitedExit { exited: false } => {
                out.push_str("== the session waits for the server to exit: it does not ==\n\n")
            }
            Event::Crashed { status } => {
                out.push_str(&format!("== the server has exited ({status}) ==\n\n"))
            }
        }
    }
    let (stdout, _) = hide_worker_ids(&t.server.stdout);
    if t.awaited_exit().is_some() {
        out.push_str(
            "== server stdout (lines sorted: its threads print in a different order each run) ==\n",
        );
        out.push_str(&or_nothing(&sorted_lines(&stdout)));
    } else {
        out.push_str("== server stdout ==\n");
        out.push_str(&or_nothing(&stdout));
    }
    out.push_str("== server stderr ==\n");
    out.push_str(&or_nothing(&crate::normalize::server_stderr(
        &t.server.stderr,
    )));
    out.push_str("== server ==\n");
    out.push_str(&match &t.server.ending {
        Ending::Exited(code) => format!("exited with status {code}\n"),
        Ending::Died(how) => format!("died ({how})\n"),
        Ending::Stopped => "still running at the end of the session; stopped\n".to_string(),
    });
    out
}

fn render_exchange(out: &mut String, x: &Exchange) {
    out.push_str(&format!(
        "== GET {} ==\nsent {} bytes:\n",
        x.path,
        x.request.len()
    ));
    out.push_str(&show_bytes(&x.request));
    let r = &x.reply;
    let how = match r.end {
        _ if r.is_no_response() => {
            out.push_str("the server closed the connection without a response\n\n");
            return;
        }
        End::Refused => {
            out.push_str("the connection was refused: nothing listens on 127.0.0.1:7878\n\n");
            return;
        }
        End::Closed => "then the server closed the connection",
        End::Reset => "then the server reset the connection",
        End::TimedOut => "and the connection was still open when the session gave up",
    };
    out.push_str(&format!("received {} bytes, {how}:\n", r.bytes.len()));
    out.push_str(&show_bytes(&r.bytes));
    out.push('\n');
}

fn or_nothing(text: &str) -> String {
    if text.is_empty() {
        "(nothing)\n".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_bytes_makes_every_byte_visible() {
        assert_eq!(
            show_bytes(b"HTTP/1.1 200 OK\r\n\r\n<p>\xff</p>"),
            "    HTTP/1.1 200 OK\\r\\n\n    \\r\\n\n    <p>\\xff</p>\n"
        );
    }

    #[test]
    fn hide_worker_ids_keeps_the_other_lines() {
        let (text, ids) = hide_worker_ids(
            "Worker 2 got a job; executing.\nShutting down.\nWorker 0 got a job; executing.\n",
        );
        assert_eq!(
            text,
            "Worker [ID] got a job; executing.\nShutting down.\nWorker [ID] got a job; executing.\n"
        );
        assert_eq!(ids, [2, 0]);
    }

    #[test]
    fn reply_parts() {
        let r = Reply {
            bytes: b"HTTP/1.1 404 NOT FOUND\r\nContent-Length: 2\r\n\r\nhi".to_vec(),
            end: End::Closed,
        };
        assert_eq!(r.response().status, Some("HTTP/1.1 404 NOT FOUND"));
        assert_eq!(r.response().body, b"hi");
        assert!(!r.is_no_response());
    }

    #[test]
    fn the_final_step_gets_its_third_request_after_it_exits() {
        let serves = |name: &str| crate::registry::find(name).unwrap().server().unwrap();
        assert_eq!(
            script(&serves("listing-20-25")),
            [
                Action::Get("/"),
                Action::Get("/sleep"),
                Action::AwaitExit,
                Action::Get("/does-not-exist")
            ]
        );
        assert_eq!(
            script(&serves("listing-20-01")),
            [Action::Get("/"), Action::Get("/does-not-exist")]
        );
        // Listing 21-23 as the text has it serves until it is stopped.
        assert_eq!(
            script(&serves("listing-21-23")),
            [
                Action::Get("/"),
                Action::Get("/sleep"),
                Action::Get("/does-not-exist")
            ]
        );
    }
}
