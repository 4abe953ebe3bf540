use http::{
    METHOD_NOT_ALLOWED, NOT_FOUND, OK, Progress, Reader, SERVER_ERROR, Status,
};
use std::{fs, io, process::ExitCode, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    runtime::Builder,
    sync::watch,
    task::JoinSet,
    time::{Instant, sleep, timeout_at},
};

// beyond-07's reader of requests and writer of responses, unchanged: what
// this step changes is the I/O around it. (In a project of your own, a
// copy in src/http.rs and a plain `mod http;`.)
#[path = "../beyond-07-strict-requests/http.rs"]
mod http;

const ADDRESS: &str = "127.0.0.1:7878";

/// How long a client may take to send its whole request (its head, then
/// its body) before the server gives up on it, so that a slow or idle
/// connection cannot hold a task for longer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

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
    read: io::Result<Option<Progress>>,
) -> io::Result<()> {
    let request = match read {
        Ok(Some(Progress::Request(request))) => request,
        Ok(Some(Progress::Refused(status))) => {
            return respond(stream, status, "", false).await;
        }
        Ok(Some(Progress::More)) => unreachable!("read_request reads it all"),
        // Closed without a request: nobody waits for an answer.
        Ok(None) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => {
            return respond(stream, http::REQUEST_TIMEOUT, "", false).await;
        }
        Err(e) => return Err(e),
    };
    // An access log: the request line, in the version it was read as.
    let (method, path) = (request.method.as_str(), request.path.as_str());
    println!("{method} {path} HTTP/1.{}", request.version);

    // HEAD is answered as GET, without the body.
    let head_only = method == "HEAD";
    let (status, filename) = match (method, path) {
        ("GET" | "HEAD", "/") => (OK, "hello.html"),
        ("GET" | "HEAD", "/sleep") => {
            sleep(Duration::from_secs(5)).await;
            (OK, "hello.html")
        }
        ("GET" | "HEAD", _) => (NOT_FOUND, "404.html"),
        _ => return respond(stream, METHOD_NOT_ALLOWED, "", false).await,
    };
    // A page of a few hundred bytes, most often in the OS's cache: read
    // in place, in microseconds, rather than on another thread.
    match fs::read_to_string(filename) {
        Ok(contents) => respond(stream, status, &contents, head_only).await,
        Err(e) => {
            eprintln!("error: cannot read {filename}: {e}");
            respond(stream, SERVER_ERROR, "", head_only).await
        }
    }
}

/// Read a request until it has all arrived (its body read and thrown
/// away) or is refused; `None` for a connection closed before its first
/// byte. A read that outlasts `deadline` fails as a timeout.
async fn read_request(
    stream: &mut TcpStream,
    deadline: Instant,
) -> io::Result<Option<Progress>> {
    let mut reader = Reader::default();
    let mut buf = [0; 1024];
    loop {
        let read = read_until(stream, &mut buf, deadline).await?;
        if read == 0 {
            // The client sent all it will: half a request, or nothing.
            return Ok(reader.end());
        }
        match reader.feed(&buf[..read]) {
            Progress::More => continue,
            done => return Ok(Some(done)),
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

/// Write the response and close: the server answers one request per
/// connection, and says so.
async fn respond(
    stream: &mut TcpStream,
    status: Status,
    body: &str,
    head_only: bool,
) -> io::Result<()> {
    stream
        .write_all(&http::response(status, body, head_only))
        .await?;
    stream.shutdown().await
}
