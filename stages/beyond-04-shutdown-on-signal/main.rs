use hello::ThreadPool;
use std::{
    collections::HashMap,
    fs,
    io::{self, BufRead, BufReader, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::Duration,
};

const ADDRESS: &str = "127.0.0.1:7878";

/// How long a client may take to send its request line before the server
/// closes the connection, so that an idle connection cannot hold a worker.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest request line the server reads; a longer one is a bad request.
const MAX_REQUEST_LINE: u64 = 8 * 1024;

const BAD_REQUEST: &str = "HTTP/1.1 400 BAD REQUEST";

/// The connections that have not sent their request line yet, by number:
/// at shutdown nobody is waiting for their answer, and they are closed so
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
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    let mut request_line = Vec::new();
    let read = BufReader::new(&stream)
        .take(MAX_REQUEST_LINE)
        .read_until(b'\n', &mut request_line);
    lock(waiting).remove(&number);
    match read {
        // Closed without a request, or silent for too long: nobody waits
        // for an answer.
        Ok(0) => return Ok(()),
        Err(e) if is_timeout(&e) => return Ok(()),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    // An access log: the request line as received.
    println!("{}", String::from_utf8_lossy(&request_line).trim_end());

    let (status_line, filename) = match parse(&request_line) {
        Some(("GET", "/")) => ("HTTP/1.1 200 OK", Some("hello.html")),
        Some(("GET", "/sleep")) => {
            thread::sleep(Duration::from_secs(5));
            ("HTTP/1.1 200 OK", Some("hello.html"))
        }
        Some(_) => ("HTTP/1.1 404 NOT FOUND", Some("404.html")),
        None => (BAD_REQUEST, None),
    };

    let (status_line, contents) = match filename {
        None => (status_line, String::new()),
        Some(filename) => match fs::read_to_string(filename) {
            Ok(contents) => (status_line, contents),
            Err(e) => {
                eprintln!("error: cannot read {filename}: {e}");
                ("HTTP/1.1 500 INTERNAL SERVER ERROR", String::new())
            }
        },
    };
    let length = contents.len();

    let response =
        format!("{status_line}\r\nContent-Length: {length}\r\n\r\n{contents}");

    stream.write_all(response.as_bytes())
}

/// The method and path of a request line (`GET / HTTP/1.1\r\n`), or `None`
/// if it is not one: not ended by a newline, not UTF-8, not three parts, a
/// path that does not start with `/`, or a version that is not HTTP's.
fn parse(request_line: &[u8]) -> Option<(&str, &str)> {
    let line = request_line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(path), Some(version), None)
            if !method.is_empty()
                && path.starts_with('/')
                && version.starts_with("HTTP/") =>
        {
            Some((method, path))
        }
        _ => None,
    }
}

/// Whether a read failed because the client sent nothing in time (the OS
/// reports it as either kind).
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_request_line_is_method_path_and_version() {
        assert_eq!(parse(b"GET / HTTP/1.1\r\n"), Some(("GET", "/")));
        assert_eq!(parse(b"GET /sleep HTTP/1.1\n"), Some(("GET", "/sleep")));
        assert_eq!(parse(b"POST /x HTTP/1.0\r\n"), Some(("POST", "/x")));
        for bad in [
            &b""[..],
            b"\r\n",
            b"GET / HTTP/1.1",
            b"GET /\r\n",
            b"GET / HTTP/1.1 extra\r\n",
            b"GET nopath HTTP/1.1\r\n",
            b"GET / FTP/1.1\r\n",
            b" / HTTP/1.1\r\n",
            b"GET /\xff HTTP/1.1\r\n",
        ] {
            assert_eq!(
                parse(bad),
                None,
                "not a request line (not ended, not UTF-8, no version, not three \
                 parts, no path): {:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
