use std::{fs, io, process::ExitCode, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    runtime::Builder,
    sync::watch,
    task::JoinSet,
    time::{Instant, sleep, timeout_at},
};

const ADDRESS: &str = "127.0.0.1:7878";

/// How long a client may take to send its whole request (its head, then
/// the body its `Content-Length` declares) before the server gives up on
/// it, so that a slow or idle connection cannot hold a worker for longer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest request head (request line and headers) the server reads,
/// and the most header lines; past either, 431.
const HEAD_LIMIT: usize = 8 * 1024;
const MAX_HEADERS: usize = 64;

/// The largest body the server reads (and discards); past it, 413.
const BODY_LIMIT: u64 = 1024 * 1024;

/// A response's status line, without its line ending.
type Status = &'static str;

const OK: Status = "HTTP/1.1 200 OK";
const BAD_REQUEST: Status = "HTTP/1.1 400 BAD REQUEST";
const NOT_FOUND: Status = "HTTP/1.1 404 NOT FOUND";
const METHOD_NOT_ALLOWED: Status = "HTTP/1.1 405 METHOD NOT ALLOWED";
const REQUEST_TIMEOUT_STATUS: Status = "HTTP/1.1 408 REQUEST TIMEOUT";
const CONTENT_TOO_LARGE: Status = "HTTP/1.1 413 CONTENT TOO LARGE";
const HEADERS_TOO_LARGE: Status =
    "HTTP/1.1 431 REQUEST HEADER FIELDS TOO LARGE";
const SERVER_ERROR: Status = "HTTP/1.1 500 INTERNAL SERVER ERROR";
const NOT_IMPLEMENTED: Status = "HTTP/1.1 501 NOT IMPLEMENTED";
const VERSION_NOT_SUPPORTED: Status = "HTTP/1.1 505 HTTP VERSION NOT SUPPORTED";

fn main() -> ExitCode {
    // One thread: every connection is a task on it, and a task that waits
    // (for a slow client, for `/sleep`) holds no thread.
    let runtime = match Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve())
}

async fn serve() -> ExitCode {
    let listener = match TcpListener::bind(ADDRESS).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {ADDRESS}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let signalled = match shutdown_signal() {
        Ok(signalled) => signalled,
        Err(e) => {
            eprintln!("error: cannot handle ctrl-C and SIGTERM: {e}");
            return ExitCode::FAILURE;
        }
    };
    tokio::pin!(signalled);

    // Set at shutdown: connections whose request has not all arrived give
    // up; the others finish.
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = &mut signalled => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(handle_connection(stream, stopped.clone()));
                }
                // A connection that failed before it was accepted, or a
                // process out of file descriptors: the next may do better.
                Err(e) => eprintln!("could not accept a connection: {e}"),
            },
        }
        // Forget the connections that are done.
        while connections.try_join_next().is_some() {}
    }

    println!("Shutting down.");
    drop(listener);
    let _ = stop.send(true);
    // Every request in flight finishes.
    while connections.join_next().await.is_some() {}
    ExitCode::SUCCESS
}

/// Ctrl-C, and on Unix SIGTERM and SIGHUP: a future that completes at the
/// first of them.
fn shutdown_signal() -> io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hang_up = signal(SignalKind::hangup())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
                _ = hang_up.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

async fn handle_connection(
    mut stream: TcpStream,
    mut stopped: watch::Receiver<bool>,
) {
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let read = tokio::select! {
        read = read_request(&mut stream, deadline) => read,
        // Shutting down: nobody waits for this request's answer.
        _ = stopped.wait_for(|stopped| *stopped) => return,
    };
    if let Err(e) = answer(&mut stream, read).await {
        eprintln!("a connection failed: {e}");
    }
}

async fn answer(
    stream: &mut TcpStream,
    read: io::Result<Option<Head>>,
) -> io::Result<()> {
    let request = match read {
        Ok(Some(request)) => request,
        // Closed without a request: nobody waits for an answer.
        Ok(None) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => {
            return respond(stream, REQUEST_TIMEOUT_STATUS, "").await;
        }
        Err(e) => return Err(e),
    };
    let (method, path) = match &request {
        Head::Complete {
            method,
            path,
            version,
            ..
        } => {
            // An access log: the request line.
            println!("{method} {path} HTTP/1.{version}");
            (method.as_str(), path.as_str())
        }
        Head::Refused(status) => return respond(stream, status, "").await,
        Head::Partial => unreachable!("read_request reads a whole head"),
    };

    let (status, filename) = match (method, path) {
        ("GET", "/") => (OK, "hello.html"),
        ("GET", "/sleep") => {
            sleep(Duration::from_secs(5)).await;
            (OK, "hello.html")
        }
        ("GET", _) => (NOT_FOUND, "404.html"),
        _ => return respond(stream, METHOD_NOT_ALLOWED, "").await,
    };
    // A page of a few hundred bytes, most often in the OS's cache: read
    // in place, in microseconds, rather than on another thread.
    match fs::read_to_string(filename) {
        Ok(contents) => respond(stream, status, &contents).await,
        Err(e) => {
            eprintln!("error: cannot read {filename}: {e}");
            respond(stream, SERVER_ERROR, "").await
        }
    }
}

/// Read a request until its head is complete (then read and discard the
/// body its `Content-Length` declares), or until it is refused; `None`
/// for a connection closed before its first byte. A read that outlasts
/// `deadline` fails as a timeout.
async fn read_request(
    stream: &mut TcpStream,
    deadline: Instant,
) -> io::Result<Option<Head>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0; 1024];
    loop {
        let read = read_until(stream, &mut buf, deadline).await?;
        if read == 0 {
            // The client sent half a request and then nothing more.
            return Ok((!head.is_empty()).then_some(Head::Refused(BAD_REQUEST)));
        }
        head.extend_from_slice(&buf[..read]);
        match parse_head(&head) {
            Head::Partial => continue,
            Head::Complete {
                method,
                path,
                version,
                length,
                body,
            } => {
                // What came after the head is the body's start.
                let mut left =
                    body.saturating_sub((head.len() - length) as u64);
                while left > 0 {
                    let read = read_until(stream, &mut buf, deadline).await?;
                    if read == 0 {
                        return Ok(Some(Head::Refused(BAD_REQUEST)));
                    }
                    left = left.saturating_sub(read as u64);
                }
                return Ok(Some(Head::Complete {
                    method,
                    path,
                    version,
                    length,
                    body,
                }));
            }
            refused => return Ok(Some(refused)),
        }
    }
}

/// One read, failing as a timeout at `deadline`.
async fn read_until(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Instant,
) -> io::Result<usize> {
    match timeout_at(deadline, stream.read(buf)).await {
        Ok(read) => read,
        Err(_) => Err(io::ErrorKind::TimedOut.into()),
    }
}

/// What the head of a request, as far as it has arrived, says.
#[derive(Debug, PartialEq, Eq)]
enum Head {
    /// It has not all arrived.
    Partial,
    /// A request the server can answer: its method, path and minor
    /// version (`HTTP/1.x`), the length of its head in bytes, and the
    /// length of its body.
    Complete {
        method: String,
        path: String,
        version: u8,
        length: usize,
        body: u64,
    },
    /// A request the server refuses, with this status (RFC 9112).
    Refused(Status),
}

/// The head of a request, parsed by httparse (the parser under hyper),
/// then held to what RFC 9112 asks of a server that httparse leaves to
/// its caller: one `Host` in HTTP/1.1, a `Content-Length` that is one
/// number, no transfer coding the server does not know, and limits.
fn parse_head(bytes: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(bytes) {
        Ok(httparse::Status::Partial) if bytes.len() >= HEAD_LIMIT => {
            return Head::Refused(HEADERS_TOO_LARGE);
        }
        Ok(httparse::Status::Partial) => return Head::Partial,
        Ok(httparse::Status::Complete(length)) if length > HEAD_LIMIT => {
            return Head::Refused(HEADERS_TOO_LARGE);
        }
        Ok(httparse::Status::Complete(length)) => length,
        Err(httparse::Error::TooManyHeaders) => {
            return Head::Refused(HEADERS_TOO_LARGE);
        }
        // A version this server does not speak (`HTTP/2.0`) is 505; a
        // request line with no version, or not HTTP's, is a bad request.
        Err(httparse::Error::Version) if names_a_version(bytes) => {
            return Head::Refused(VERSION_NOT_SUPPORTED);
        }
        // A bad method, path, header name or value, or line ending.
        Err(_) => return Head::Refused(BAD_REQUEST),
    };
    let headers = &*request.headers;
    let named = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    };
    // HTTP/1.1 requires exactly one Host (RFC 9112, section 3.2).
    if request.version == Some(1) && named("host").count() != 1 {
        return Head::Refused(BAD_REQUEST);
    }
    // A transfer coding (chunked) is one this server does not implement;
    // with a Content-Length as well, the request is ambiguous (6.1, 6.3).
    if named("transfer-encoding").next().is_some() {
        return Head::Refused(if named("content-length").next().is_some() {
            BAD_REQUEST
        } else {
            NOT_IMPLEMENTED
        });
    }
    let mut body = None;
    for header in named("content-length") {
        match (content_length(header.value), body) {
            (None, _) => return Head::Refused(BAD_REQUEST),
            (Some(length), Some(before)) if length != before => {
                return Head::Refused(BAD_REQUEST);
            }
            (length, _) => body = length,
        }
    }
    let body = body.unwrap_or(0);
    if body > BODY_LIMIT {
        return Head::Refused(CONTENT_TOO_LARGE);
    }
    match (request.method, request.path, request.version) {
        (Some(method), Some(path), Some(version)) => Head::Complete {
            method: method.to_string(),
            path: path.to_string(),
            version,
            length,
            body,
        },
        _ => Head::Refused(BAD_REQUEST),
    }
}

/// Whether the request line ends in an HTTP version, well formed
/// (`HTTP/` then digits, a dot, digits), whichever it is.
fn names_a_version(head: &[u8]) -> bool {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(version) = line.rsplit(|&b| b == b' ').next() else {
        return false;
    };
    let Some(number) = version.strip_prefix(b"HTTP/") else {
        return false;
    };
    let mut parts = number.split(|&b| b == b'.');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(major), Some(minor), None)
            if !major.is_empty()
                && !minor.is_empty()
                && major.iter().chain(minor).all(u8::is_ascii_digit)
    )
}

/// A `Content-Length` value: one or more digits that fit a `u64`, and
/// nothing else (no sign, no space inside, no list).
fn content_length(value: &[u8]) -> Option<u64> {
    let value = std::str::from_utf8(value).ok()?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Write the response and close: the server answers one request per
/// connection, and says so.
async fn respond(
    stream: &mut TcpStream,
    status: Status,
    body: &str,
) -> io::Result<()> {
    let length = body.len();
    let response = format!(
        "{status}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}"
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(head: &[u8]) -> Status {
        match parse_head(head) {
            Head::Refused(status) => status,
            Head::Complete { .. } => OK,
            Head::Partial => "partial",
        }
    }

    #[test]
    fn a_whole_head_is_a_request_and_half_of_one_waits() {
        let head = b"GET /sleep HTTP/1.1\r\nHost: 127.0.0.1:7878\r\n\r\n";
        assert_eq!(
            parse_head(head),
            Head::Complete {
                method: "GET".into(),
                path: "/sleep".into(),
                version: 1,
                length: head.len(),
                body: 0,
            }
        );
        assert_eq!(status(b"GET / HTTP/1.1\r\n"), "partial");
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\r\n"), "partial");
        assert_eq!(status(b"GET / HTTP/1.0\r\n\r\n"), OK, "1.0 needs no Host");
    }

    #[test]
    fn rfc_9112_answers() {
        let cases: &[(&[u8], Status)] = &[
            (b"GET / HTTP/9.9\r\nHost: a\r\n\r\n", VERSION_NOT_SUPPORTED),
            (b"GET / HTTP/1.1\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\r\nX[]: 1\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", BAD_REQUEST),
            (
                b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
                BAD_REQUEST,
            ),
            (
                b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                BAD_REQUEST,
            ),
            (
                b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",
                OK,
            ),
            (
                b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n",
                CONTENT_TOO_LARGE,
            ),
            (
                b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                NOT_IMPLEMENTED,
            ),
            (b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n", BAD_REQUEST),
            (b"GET /\r\n\r\n", BAD_REQUEST),
            (b"GET / FTP/1.1\r\n\r\n", BAD_REQUEST),
            (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", VERSION_NOT_SUPPORTED),
        ];
        for (head, want) in cases {
            assert_eq!(
                status(head),
                *want,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn a_head_over_the_limit_is_431() {
        let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        while head.len() < HEAD_LIMIT {
            head.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
        }
        assert_eq!(status(&head), HEADERS_TOO_LARGE);
        let mut many = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        for i in 0..MAX_HEADERS {
            many.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        assert_eq!(status(&many), HEADERS_TOO_LARGE);
    }
}
