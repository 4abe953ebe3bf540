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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .thread_name(|i| format!("worker {i}"))
        .build();
    let pool = match pool {
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
    // Dropping a rayon pool does not wait for the jobs it was given, so the
    // connections are served in a scope, which returns only when every job
    // spawned in it has finished.
    pool.in_place_scope(|scope| {
        for (number, stream) in (0..).zip(listener.incoming()) {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let stream = match stream {
                Ok(stream) => stream,
                // A connection that failed before it was accepted, or a
                // process out of file descriptors: the next one may do
                // better.
                Err(e) => {
                    eprintln!("could not accept a connection: {e}");
                    continue;
                }
            };
            if let Ok(clone) = stream.try_clone() {
                lock(&waiting).insert(number, clone);
            }
            let waiting = Arc::clone(&waiting);
            scope.spawn(move |_| {
                if let Err(e) = handle_connection(stream, number, &waiting) {
                    eprintln!("a connection failed: {e}");
                }
            });
        }

        println!("Shutting down.");
        for stream in lock(&waiting).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    });
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

/// The page "rayon's pool and ours" (book/src/steps/beyond-06-...): each of
/// its claims, for rayon's `ThreadPool` and for the chapter's pool as the
/// exercises left it (beyond-02, the crate `hello`).
#[cfg(test)]
mod compared {
    use std::sync::{
        Arc, Barrier,
        atomic::{AtomicBool, AtomicUsize, Ordering},
        mpsc,
    };
    use std::time::{Duration, Instant};

    fn rayon_pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn a_size_of_zero_is_an_error_for_ours_and_the_machines_size_for_rayon() {
        assert!(hello::ThreadPool::build(0).is_err());
        let cores = std::thread::available_parallelism().unwrap().get();
        assert_eq!(rayon_pool(0).current_num_threads(), cores);
    }

    #[test]
    fn rayons_join_hands_back_results_and_its_spawns_return_nothing() {
        let pool = rayon_pool(2);
        // `join` runs both closures, side by side where it can, and returns
        // what they computed.
        let (a, b) = pool.install(|| rayon::join(|| 6 * 7, || "done"));
        assert_eq!((a, b), (42, "done"), "rayon::join hands back both results");
        // `spawn` and `scope.spawn` return `()`: nothing to read a result
        // from.
        let spawned = std::any::type_name_of_val(&pool.spawn(|| {}));
        assert_eq!(spawned, "()", "rayon's spawn hands nothing back");
        pool.scope(|scope| {
            let in_scope = std::any::type_name_of_val(&scope.spawn(|_| {}));
            assert_eq!(
                in_scope, "()",
                "rayon's scope.spawn hands nothing back"
            );
        });
    }

    #[test]
    fn a_panicking_job_ends_the_whole_process_under_rayon() {
        // Run in a process of its own: the abort would end this one.
        if std::env::var_os("BEYOND_06_PANIC_IN_A_JOB").is_some() {
            rayon_pool(1).spawn(|| panic!("a job that fails"));
            std::thread::sleep(Duration::from_secs(10));
            std::process::exit(0); // not reached
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "compared::a_panicking_job_ends_the_whole_process_under_rayon",
                "--nocapture",
            ])
            .env("BEYOND_06_PANIC_IN_A_JOB", "1")
            .output()
            .unwrap();
        assert!(!out.status.success());
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(out.status.signal(), Some(6), "SIGABRT");
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("a job that fails"), "{stderr}");
    }

    #[test]
    fn in_a_scope_a_panicking_job_is_raised_again_when_the_scope_ends() {
        // As this server serves: jobs spawned in an `in_place_scope`. The
        // panic neither aborts nor stops the scope's own closure, a job
        // spawned after it still runs, and the scope raises it at its end.
        let pool = rayon_pool(1);
        let (said, heard) = mpsc::channel();
        let closure_went_on = AtomicBool::new(false);
        let ended =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                pool.in_place_scope(|scope| {
                    let failing = said.clone();
                    scope.spawn(move |_| {
                        failing.send("failing").unwrap();
                        panic!("a job that fails");
                    });
                    assert_eq!(heard.recv(), Ok("failing"));
                    // The pool's one thread takes this job once the other
                    // has panicked.
                    let later = said.clone();
                    scope.spawn(move |_| later.send("a later job").unwrap());
                    assert_eq!(heard.recv(), Ok("a later job"));
                    closure_went_on.store(true, Ordering::SeqCst);
                });
            }));
        assert!(closure_went_on.load(Ordering::SeqCst));
        let panic = ended.expect_err("the scope's end raises the job's panic");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"a job that fails"));
    }

    #[test]
    fn with_a_panic_handler_rayons_pool_goes_on_and_so_does_ours_without_one() {
        let caught = Arc::new(AtomicUsize::new(0));
        let handler_count = Arc::clone(&caught);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .panic_handler(move |_| {
                handler_count.fetch_add(1, Ordering::SeqCst);
            })
            .build()
            .unwrap();
        let (done, finished) = mpsc::channel();
        pool.spawn(|| panic!("a job that fails"));
        let rayon_done = done.clone();
        pool.spawn(move || rayon_done.send("rayon").unwrap());
        let ours = hello::ThreadPool::build(1).unwrap();
        ours.execute(|| panic!("a job that fails"));
        ours.execute(move || done.send("ours").unwrap());
        let mut seen: Vec<&str> = finished.iter().take(2).collect();
        seen.sort();
        assert_eq!(seen, ["ours", "rayon"]);
        assert_eq!(caught.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn dropping_rayons_pool_does_not_wait_for_its_jobs_dropping_ours_does() {
        let slow = Duration::from_millis(200);
        // The two pools side by side.
        std::thread::scope(|both| {
            for rayon in [true, false] {
                both.spawn(move || dropping_the_pool(rayon, slow));
            }
        });
    }

    fn dropping_the_pool(rayon: bool, slow: Duration) {
        let finished = Arc::new(AtomicBool::new(false));
        let job = {
            let finished = Arc::clone(&finished);
            move || {
                std::thread::sleep(slow);
                finished.store(true, Ordering::SeqCst);
            }
        };
        let started = Instant::now();
        if rayon {
            let pool = rayon_pool(1);
            pool.spawn(job);
            drop(pool);
        } else {
            let pool = hello::ThreadPool::build(1).unwrap();
            pool.execute(job);
            drop(pool);
        }
        let dropped_after = started.elapsed();
        if rayon {
            assert!(dropped_after < slow / 3, "{dropped_after:?}");
            assert!(!finished.load(Ordering::SeqCst));
            // The job still runs to its end on the detached thread.
            let deadline = Instant::now() + Duration::from_secs(10);
            while !finished.load(Ordering::SeqCst) {
                assert!(Instant::now() < deadline, "the job never finished");
                std::thread::sleep(Duration::from_millis(10));
            }
        } else {
            assert!(dropped_after >= slow, "{dropped_after:?}");
            assert!(finished.load(Ordering::SeqCst));
        }
    }

    #[test]
    fn jobs_that_arrive_faster_than_they_finish_queue_without_bound_in_both() {
        const QUEUED: usize = 10_000;
        let ran = Arc::new(AtomicUsize::new(0));
        // One thread each, held, while the jobs pile up behind it.
        let (hold_rayon, hold_ours) =
            (Arc::new(Barrier::new(2)), Arc::new(Barrier::new(2)));
        let rayon = rayon_pool(1);
        let ours = hello::ThreadPool::build(1).unwrap();
        let held = Arc::clone(&hold_rayon);
        rayon.spawn(move || {
            held.wait();
        });
        let held = Arc::clone(&hold_ours);
        ours.execute(move || {
            held.wait();
        });
        let started = Instant::now();
        for _ in 0..QUEUED {
            let (a, b) = (Arc::clone(&ran), Arc::clone(&ran));
            rayon.spawn(move || {
                a.fetch_add(1, Ordering::SeqCst);
            });
            ours.execute(move || {
                b.fetch_add(1, Ordering::SeqCst);
            });
        }
        // Handing them over never waited for a free thread.
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        hold_rayon.wait();
        hold_ours.wait();
        drop(ours);
        let deadline = Instant::now() + Duration::from_secs(10);
        while ran.load(Ordering::SeqCst) < 2 * QUEUED {
            assert!(
                Instant::now() < deadline,
                "{}",
                ran.load(Ordering::SeqCst)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
