use hello::ThreadPool;
use http::{
    METHOD_NOT_ALLOWED, NOT_FOUND, OK, Progress, Reader, SERVER_ERROR, Status,
};
use std::{
    collections::HashMap,
    fs,
    io::{self, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

// What the server reads from a client and writes back, without I/O: the
// async servers after this step read requests with the same module.
mod http;

const ADDRESS: &str = "127.0.0.1:7878";

/// How long a client may take to send its whole request (its head, then
/// its body) before the server gives up on it, so that a slow or idle
/// connection cannot hold a worker for longer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The connections whose request has not all arrived yet, by number: at
/// shutdown nobody is waiting for their answer, and they are closed so
/// that they cannot hold a worker (and the shutdown) open.
type Waiting = Arc<Mutex<HashMap<u64, TcpStream>>>;

fn main() {
    let listener = match TcpListener::bind(ADDRESS) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {ADDRESS}: {e}");
            std::process::exit(1);
        }
    };
    let pool = match ThreadPool::build(4) {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: could not start the thread pool: {e}");
            std::process::exit(1);
        }
    };

    // Ctrl-C, SIGTERM (and SIGHUP): stop accepting. The handler sets the
    // flag, then wakes `accept` with a connection of its own.
    let stopping = Arc::new(AtomicBool::new(false));
    let handler = {
        let stopping = Arc::clone(&stopping);
        ctrlc::set_handler(move || {
            stopping.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(ADDRESS);
        })
    };
    if let Err(e) = handler {
        eprintln!("error: cannot handle ctrl-C and SIGTERM: {e}");
        std::process::exit(1);
    }

    let waiting: Waiting = Arc::default();
    for (number, stream) in (0..).zip(listener.incoming()) {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let stream = match stream {
            Ok(stream) => stream,
            // A connection that failed before it was accepted, or a
            // process out of file descriptors: the next one may do better.
            Err(e) => {
                eprintln!("could not accept a connection: {e}");
                continue;
            }
        };
        if let Ok(clone) = stream.try_clone() {
            lock(&waiting).insert(number, clone);
        }
        let waiting = Arc::clone(&waiting);
        pool.execute(move || {
            if let Err(e) = handle_connection(stream, number, &waiting) {
                eprintln!("a connection failed: {e}");
            }
        });
    }

    println!("Shutting down.");
    for stream in lock(&waiting).values() {
        let _ = stream.shutdown(Shutdown::Both);
    }
    // Dropping the pool lets every request in flight finish, then joins
    // every worker.
    drop(pool);
}

/// The map of waiting connections, even if a thread panicked holding it
/// (it is only ever inserted into and removed from).
fn lock(
    waiting: &Waiting,
) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
    waiting.lock().unwrap_or_else(PoisonError::into_inner)
}

fn handle_connection(
    mut stream: TcpStream,
    number: u64,
    waiting: &Waiting,
) -> io::Result<()> {
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let read = read_request(&mut stream, deadline);
    lock(waiting).remove(&number);
    let request = match read {
        Ok(Some(Progress::Request(request))) => request,
        Ok(Some(Progress::Refused(status))) => {
            return respond(&mut stream, status, "", false);
        }
        Ok(Some(Progress::More)) => unreachable!("read_request reads it all"),
        // Closed without a request: nobody waits for an answer.
        Ok(None) => return Ok(()),
        Err(e) if is_timeout(&e) => {
            return respond(&mut stream, http::REQUEST_TIMEOUT, "", false);
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
            thread::sleep(Duration::from_secs(5));
            (OK, "hello.html")
        }
        ("GET" | "HEAD", _) => (NOT_FOUND, "404.html"),
        _ => return respond(&mut stream, METHOD_NOT_ALLOWED, "", false),
    };
    match fs::read_to_string(filename) {
        Ok(contents) => respond(&mut stream, status, &contents, head_only),
        Err(e) => {
            eprintln!("error: cannot read {filename}: {e}");
            respond(&mut stream, SERVER_ERROR, "", head_only)
        }
    }
}

/// Read a request until it has all arrived (its body read and thrown
/// away) or is refused; `None` for a connection closed before its first
/// byte. A read that outlasts `deadline` fails as a timeout.
fn read_request(
    stream: &mut TcpStream,
    deadline: Instant,
) -> io::Result<Option<Progress>> {
    let mut reader = Reader::default();
    let mut buf = [0; 1024];
    loop {
        let read = read_until(stream, &mut buf, deadline)?;
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

/// One read, given what is left of the time until `deadline`.
fn read_until(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Instant,
) -> io::Result<usize> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    stream.set_read_timeout(Some(left))?;
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            read => return read,
        }
    }
}

/// Write the response and close: the server answers one request per
/// connection, and says so.
fn respond(
    stream: &mut TcpStream,
    status: Status,
    body: &str,
    head_only: bool,
) -> io::Result<()> {
    stream.write_all(&http::response(status, body, head_only))
}

/// Whether a read failed because the client sent nothing in time (the OS
/// reports it as either kind).
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
