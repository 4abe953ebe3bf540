//! The corpus of mistakes: a reader's project each, typed the way readers
//! type (a package of their own name, comments, their own names for
//! variables), across both chapters, with one of the mistakes readers of
//! the chapter make, or with code unlike the text that is right. Each test
//! reads the check's verdicts as values (which behaviour fails, with
//! which cause) and pins their words (`snapshots/mistakes.<name>.snap`).
//! `the_corpus_as_a_table` (on demand) checks them one at a time and
//! prints how long each verdict took; the `the_*_command_*` tests run the
//! commands the verdicts give, as a reader would.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use companion::check::{self, Behaviour, Fault, Finding, Reproduce, Serial, Shape, Verdict};
use companion::reader::Project;
use companion::registry::{resolve, Step};
use companion::Error;
use kit::projects::reader_project;

/// One reader's project and what the check must say of it.
struct Mistake {
    /// What the reader did, in a few words (the table's first column).
    what: &'static str,
    /// The step the reader checks against.
    step: &'static str,
    /// The step whose files the project starts from (`step`, unless the
    /// reader is still on an earlier step's code).
    from: Option<&'static str>,
    /// In a file, text of the book's that the reader typed otherwise:
    /// `(file, book's, reader's)`; each must take.
    edits: &'static [(&'static str, &'static str, &'static str)],
    /// Files the reader put elsewhere: `(book's place, reader's)`.
    moves: &'static [(&'static str, &'static str)],
    /// The project's Rust edition, where not its chapter's.
    edition: Option<&'static str>,
    /// Its cause rests on the server's threads, which only Linux counts
    /// (`Serial`): see [`pool_cause`].
    counts_threads: bool,
    /// What it shows needs what only Linux does for a reader's server
    /// (capping its memory).
    linux_only: bool,
    /// What the check must say.
    expect: fn(&Checked),
}

impl Mistake {
    const NONE: Mistake = Mistake {
        what: "",
        step: "",
        from: None,
        edits: &[],
        moves: &[],
        edition: None,
        counts_threads: false,
        linux_only: false,
        expect: |_| {},
    };
}

/// What the check said, and how long it took once the project and the
/// step were built.
struct Checked {
    step: &'static Step,
    outcome: Result<Vec<Verdict>, Error>,
    took: Duration,
}

impl Checked {
    fn verdicts(&self) -> &[Verdict] {
        self.outcome
            .as_ref()
            .unwrap_or_else(|e| panic!("the check failed: {e}"))
    }

    /// The verdicts that fail.
    fn failures(&self) -> Vec<&Verdict> {
        self.verdicts().iter().filter(|v| v.is_failure()).collect()
    }

    /// The one verdict that fails.
    fn the_failure(&self) -> &Verdict {
        let failures = self.failures();
        assert_eq!(failures.len(), 1, "{}", self.shown());
        failures[0]
    }

    /// The finding of the one verdict that fails.
    fn cause(&self) -> &Finding {
        self.the_failure()
            .finding
            .as_ref()
            .expect("a failure has a finding")
    }

    fn error(&self) -> &Error {
        self.outcome.as_ref().expect_err("an error, not verdicts")
    }

    /// Everything the check said, as the tour shows it.
    fn shown(&self) -> String {
        match &self.outcome {
            Ok(verdicts) => verdicts.iter().map(|v| v.plain(self.step)).collect(),
            Err(e) => format!("error: {e}\n"),
        }
    }
}

/// The project of `mistake`, in a folder named `name`.
fn project(name: &str, mistake: &Mistake) -> PathBuf {
    let chapter_21 = mistake.step.starts_with("listing-21") || mistake.step.contains("-2024");
    let package = if chapter_21 { "webserver" } else { "rust_web" };
    reader_project(
        name,
        mistake.from.unwrap_or(mistake.step),
        |rel, mut text| {
            for (file, book, reader) in mistake.edits {
                if *file == rel {
                    assert!(text.contains(book), "{name}: {rel} has no `{book}`");
                    text = text.replace(book, reader);
                }
            }
            // How readers type: their own package name, comments, names.
            text = text
                .replace("name = \"hello\"", &format!("name = \"{package}\""))
                .replace("use hello::", &format!("use {package}::"))
                .replacen(
                    "fn handle_connection(",
                    "// answers one request\nfn handle_connection(",
                    1,
                )
                .replace("contents", "page");
            if let Some(edition) = mistake.edition {
                text = text.replace(
                    &format!("edition = \"{}\"", if chapter_21 { "2024" } else { "2021" }),
                    &format!("edition = \"{edition}\""),
                );
            }
            text
        },
        mistake.moves,
    )
}

/// Build the project and the step, then check it, timed.
fn check_it(name: &str, mistake: &Mistake) -> Checked {
    let dir = project(name, mistake);
    let step = resolve(mistake.step).unwrap();
    let project = Project::open(&dir).unwrap();
    // Built first, the project and the step, so that only the check is
    // timed (in a fresh clone the step waits for the build of every stage).
    project.build().unwrap();
    kit::stages();
    companion::compile::build_stage(step).unwrap();
    let started = Instant::now();
    let outcome = check::evaluate(step, &project);
    Checked {
        step,
        outcome,
        took: started.elapsed(),
    }
}

/// The corpus: each project a test (with the attributes written before
/// it, such as a `cfg`), and all of them in [`corpus`].
macro_rules! corpus {
    ($($(#[$attr:meta])* $name:ident: Mistake { $($field:ident: $value:expr),* $(,)? },)*) => {
        /// Every project of the corpus, by name.
        fn corpus() -> Vec<(&'static str, Mistake)> {
            vec![$((stringify!($name), Mistake { $($field: $value,)* ..Mistake::NONE }),)*]
        }

        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                run(stringify!($name));
            }
        )*
    };
}

/// Check the corpus's project `name`, hold it to what it expects, and pin
/// its words.
fn run(name: &str) {
    let (_, mistake) = corpus()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a project of the corpus");
    if mistake.linux_only
        && kit::skip::on_the_portable_path(
            &format!("check::mistakes::{name}"),
            "only the Linux path caps a reader's server's memory",
        )
    {
        return;
    }
    let checked = check_it(name, &mistake);
    (mistake.expect)(&checked);
    // Every difference names where the chapter deals with it.
    if let Ok(verdicts) = &checked.outcome {
        for v in verdicts.iter().filter(|v| v.is_failure()) {
            assert!(v.see.is_some(), "{name}: {}", v.plain(checked.step));
        }
    }
    // Where the cause rests on the threads the OS counts, the portable
    // path tells it otherwise, and by which workers happened to take the
    // jobs: its words there are held to the cause (`expect`), not pinned.
    if mistake.counts_threads && companion::server::portable_only() {
        return;
    }
    kit::assert_pinned(
        &format!("mistakes.{name}"),
        &format!(
            "{} (`check {}` of a reader's project)",
            mistake.what, mistake.step
        ),
        &normalised(&checked.shown()),
    );
    // Without `/sleep`, a verdict comes within seconds of the build: two
    // on a quiet machine (`the_corpus_as_a_table`), ten here, where the
    // whole suite runs at once. (Not where servers take turns on the one
    // real port: there a check waits for the other tests' servers.)
    let isolated = companion::server::Network::detect() == companion::server::Network::Isolated;
    if isolated
        && !resolve(mistake.step)
            .unwrap()
            .server()
            .is_some_and(|s| s.sleep_route)
    {
        assert!(checked.took < Duration::from_secs(10), "{:?}", checked.took);
    }
}

/// What differs from run to run in what the check says: how much a
/// server printed and how fast, the project's folder.
fn normalised(text: &str) -> String {
    let root = companion::compile::root().display().to_string();
    let text = text.replace(&root, "[ROOT]");
    // (Past 16 MiB the check stops reading: "more than ..."; a slow
    // machine may not get there.)
    let printed = regex::Regex::new(
        r"printed (more than )?[\d.]+ MB in [\d.]+ s( \(the check stopped reading it there\))?",
    )
    .unwrap();
    let times = regex::Regex::new(r"× [\d,]+").unwrap();
    // A loop that never ends in four workers at once: which of them
    // printed the most by the time the check stopped reading varies.
    let workers =
        regex::Regex::new(r"`Worker \d+ (.*)` × \[N\] \(from workers [\d, and]+ together\)")
            .unwrap();
    let text = printed.replace_all(&text, "printed [N] MB in [T] s");
    let text = times.replace_all(&text, "× [N]");
    workers
        .replace_all(
            &text,
            "`Worker [ID] $1` × [N] (from workers [IDS] together)",
        )
        .into_owned()
}

/// Why `/` waited on the reader's pool, as the check found it: the cause
/// `on_linux` where the OS counts the server's threads; on the portable
/// path, which sees only which workers took the two jobs, that two workers
/// took them (`WorkersTakeTurns`) or that it cannot tell
/// (`OneWorkerOrTheLock`), whichever the run showed. Its place.
fn pool_cause(c: &Checked, on_linux: Serial) -> &'static str {
    let waits = c
        .failures()
        .into_iter()
        .find(|v| matches!(v.behaviour, Behaviour::Waits { .. }))
        .unwrap_or_else(|| panic!("`/` waits:\n{}", c.shown()));
    let Some(Finding::Serialises { why, threads, .. }) = &waits.finding else {
        panic!("{}", c.shown())
    };
    assert_eq!(waits.reproduce, Some(Reproduce::RootBehindSleep));
    if companion::server::portable_only() {
        assert_eq!(*threads, None);
        assert!(
            [Serial::OneWorkerOrTheLock, Serial::WorkersTakeTurns].contains(why),
            "{}",
            c.shown()
        );
        if on_linux == Serial::PoolOfOne {
            assert_eq!(
                *why,
                Serial::OneWorkerOrTheLock,
                "one worker: only worker 0 is seen"
            );
        }
    } else {
        assert_eq!(*why, on_linux, "{}", c.shown());
    }
    see(waits)
}

/// The one failure's cause, where it fails with just one.
fn cause_is(checked: &Checked, want: impl Fn(&Finding) -> bool) {
    assert!(want(checked.cause()), "{}", checked.shown());
}

fn passes(checked: &Checked) {
    assert!(check::passes(checked.verdicts()), "{}", checked.shown());
}

/// Where the chapter deals with a verdict: its listing's bin name.
fn see(v: &Verdict) -> &'static str {
    v.see.expect("a place in the chapter").listing.name
}

corpus! {
    // Chapter 21, today's edition.
    pool_of_one: Mistake {
        what: "a pool of one worker (`ThreadPool::new(1)`)",
        step: "listing-21-25",
        edits: &[("src/main.rs", "ThreadPool::new(4)", "ThreadPool::new(1)")],
        counts_threads: true,
        expect: |c| {
            // Where the OS counts threads, two: `main` and one worker. The
            // lock is not blamed.
            let place = pool_cause(c, Serial::PoolOfOne);
            if !companion::server::portable_only() {
                assert_eq!(place, "listing-21-12");
            }
            // One worker says it shuts down, where the chapter's four do.
            assert_eq!(c.failures().len(), 2, "{}", c.shown());
            assert!(c.failures().iter().any(|v| v.behaviour == Behaviour::PrintsAlike));
        },
    },
    worker_loop_without_break: Mistake {
        what: "the worker's loop has no `break` when `recv` fails",
        step: "listing-21-25",
        edits: &[(
            "src/lib.rs",
            "                        println!(\"Worker {id} disconnected; shutting down.\");\n                        break;\n",
            "                        println!(\"Worker {id} disconnected; shutting down.\");\n",
        )],
        expect: |c| {
            let Finding::PrintsWithoutEnd { repeated: Some(r), loop_never_ends: true, .. } = c.cause()
            else {
                panic!("{}", c.shown())
            };
            assert!(r.line.ends_with(" disconnected; shutting down."), "{r:?}");
            assert!(r.times > 1000, "{r:?}");
            assert_eq!(see(c.the_failure()), "listing-21-24");
            // The last listing's two requests set it off.
            assert_eq!(c.the_failure().reproduce, Some(Reproduce::TwoRequests));
        },
    },
    typo_in_the_page_name: Mistake {
        what: "a typo in the page's name (`\"hello.htm\"`), single-threaded",
        step: "listing-21-05",
        edits: &[("src/main.rs", "read_to_string(\"hello.html\")", "read_to_string(\"hello.htm\")")],
        expect: |c| {
            let crash = c
                .failures()
                .into_iter()
                .find(|v| v.behaviour == Behaviour::KeepsServing)
                .expect("it crashes");
            let Some(Finding::Crashed { panic: Some(panic), .. }) = &crash.finding else {
                panic!("{}", c.shown())
            };
            // Where it panicked, and the reader's own line there.
            assert!(panic.location.as_deref().unwrap().starts_with("src/main.rs:"));
            assert!(panic.message.contains("NotFound"), "{panic:?}");
            assert!(panic.source.as_deref().unwrap().contains("\"hello.htm\""));
            assert_eq!(crash.reproduce, Some(Reproduce::Curl { path: "/".into() }));
        },
    },
    hello_html_in_src: Mistake {
        what: "hello.html put in `src/`",
        step: "listing-21-05",
        moves: &[("hello.html", "src/hello.html")],
        expect: |c| {
            assert_eq!(
                c.cause(),
                &Finding::PageNotInFolder {
                    file: "hello.html",
                    found: vec!["src/hello.html".into()]
                }
            );
            assert_eq!(see(c.the_failure()), "listing-21-04");
            assert_eq!(
                c.the_failure().reproduce,
                Some(Reproduce::Curl { path: "/".into() })
            );
        },
    },
    no_content_length: Mistake {
        what: "no `Content-Length` header",
        step: "listing-21-05",
        edits: &[(
            "src/main.rs",
            "\\r\\nContent-Length: {length}\\r\\n\\r\\n",
            "\\r\\n\\r\\n",
        )],
        expect: |c| {
            cause_is(c, |f| {
                matches!(f, Finding::Framed { faults } if faults[..] == [Fault::NoContentLength { chapters: "176".into() }])
            });
            // nc shows what curl would hide.
            assert_eq!(
                c.the_failure().reproduce,
                Some(Reproduce::Nc {
                    request: String::from_utf8(companion::session::request("/")).unwrap()
                })
            );
            assert_eq!(see(c.the_failure()), "listing-21-05");
        },
    },
    bare_line_feeds: Mistake {
        what: "`\\n` where HTTP wants `\\r\\n`",
        step: "listing-21-05",
        edits: &[("src/main.rs", "\\r\\n", "\\n")],
        expect: |c| {
            cause_is(c, |f| matches!(f, Finding::Framed { faults } if faults[..] == [Fault::BareLineFeeds]));
            assert_eq!(see(c.the_failure()), "listing-21-03");
        },
    },
    no_empty_line: Mistake {
        what: "no empty line between the headers and the body",
        step: "listing-21-05",
        edits: &[("src/main.rs", "{length}\\r\\n\\r\\n{contents}", "{length}\\r\\n{contents}")],
        expect: |c| {
            let framing = c
                .failures()
                .into_iter()
                .find(|v| v.behaviour == Behaviour::Framing)
                .expect("a framing verdict");
            assert!(matches!(&framing.finding, Some(Finding::Framed { faults }) if faults[..] == [Fault::NoEmptyLine]));
            // Its pages are not found where no empty line starts them.
            assert!(c.failures().iter().any(|v| matches!(
                &v.finding,
                Some(Finding::Replied { shape: Shape::Response { ends_head: false, .. }, .. })
            )));
        },
    },
    other_port: Mistake {
        what: "binds another port (7879)",
        step: "listing-21-05",
        edits: &[("src/main.rs", "7878", "7879")],
        expect: |c| {
            assert_eq!(c.cause(), &Finding::ListensElsewhere { port: 7879 });
            assert_eq!(c.verdicts().len(), 1);
            assert_eq!(see(c.the_failure()), "listing-21-01");
        },
    },
    reads_the_request_twice: Mistake {
        what: "reads the request a second time, with a new `BufReader`",
        step: "listing-21-06",
        edits: &[(
            "src/main.rs",
            "    let request_line = buf_reader.lines().next().unwrap().unwrap();\n",
            "    let request_line = buf_reader.lines().next().unwrap().unwrap();\n    let http_request: Vec<_> = BufReader::new(&stream)\n        .lines()\n        .map(|result| result.unwrap())\n        .take_while(|line| !line.is_empty())\n        .collect();\n    println!(\"Request: {http_request:#?}\");\n",
        )],
        expect: |c| {
            cause_is(c, |f| matches!(f, Finding::HoldsConnections { responds: true, .. }));
            assert_eq!(see(c.the_failure()), "listing-21-02");
        },
    },
    never_listens: Mistake {
        what: "sleeps before it binds",
        step: "listing-21-05",
        edits: &[(
            "src/main.rs",
            "fn main() {\n",
            "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(60));\n",
        )],
        expect: |c| cause_is(c, |f| matches!(f, Finding::NeverListened { .. })),
    },
    port_out_of_range: Mistake {
        what: "a port number one digit too long (78787)",
        step: "listing-21-05",
        edits: &[("src/main.rs", "7878", "78787")],
        expect: |c| {
            let Finding::ExitedEarly { panic: Some(panic), .. } = c.cause() else {
                panic!("{}", c.shown())
            };
            assert!(panic.message.contains("invalid port value"), "{panic:?}");
            assert!(panic.source.as_deref().unwrap().contains("78787"), "{panic:?}");
        },
    },
    serves_one_then_exits: Mistake {
        what: "`.incoming().take(1)`: one request, then it exits",
        step: "listing-21-05",
        edits: &[("src/main.rs", "listener.incoming()", "listener.incoming().take(1)")],
        expect: |c| {
            assert!(c.failures().iter().any(|v| v.behaviour == Behaviour::KeepsServing
                && v.finding == Some(Finding::ExitedByItself { ending: "exit status: 0".into() })), "{}", c.shown());
        },
    },
    prints_without_end: Mistake {
        what: "prints in a loop that never ends",
        step: "listing-21-05",
        edits: &[(
            "src/main.rs",
            "fn handle_connection(mut stream: TcpStream) {\n",
            "fn handle_connection(mut stream: TcpStream) {\n    loop {\n        println!(\"got a connection\");\n    }\n",
        )],
        expect: |c| {
            let Finding::PrintsWithoutEnd { repeated: Some(r), loop_never_ends: false, .. } = c.cause() else {
                panic!("{}", c.shown())
            };
            assert_eq!(r.line, "got a connection");
            assert!(!r.chapters_line);
        },
    },
    // Only Linux caps a reader's server's memory.
    #[cfg(target_os = "linux")]
    spawns_threads_without_end: Mistake {
        what: "spawns threads in a loop that never ends",
        step: "listing-21-05",
        edits: &[(
            "src/main.rs",
            "fn main() {\n",
            "fn main() {\n    loop {\n        std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_secs(60)));\n    }\n",
        )],
        linux_only: true,
        expect: |c| {
            // Its memory cap (2 GiB of address space) stops it, before it
            // takes the machine's: it exits, and says why.
            let Finding::ExitedEarly { panic: Some(panic), .. } = c.cause() else {
                panic!("{}", c.shown())
            };
            assert!(panic.message.contains("failed to spawn thread"), "{panic:?}");
        },
    },
    no_thread_per_connection: Mistake {
        what: "forgot `thread::spawn` at the thread-per-connection step",
        step: "listing-21-11",
        edits: &[(
            "src/main.rs",
            "        thread::spawn(|| {\n            handle_connection(stream);\n        });\n",
            "        handle_connection(stream);\n",
        )],
        expect: |c| {
            cause_is(c, |f| matches!(f, Finding::Serialises { why: Serial::OneConnectionAtATime, .. }));
            assert_eq!(see(c.the_failure()), "listing-21-11");
        },
    },
    lock_held_for_the_job: Mistake {
        what: "a worker holds the lock while it runs its job (a named guard)",
        step: "listing-21-20",
        edits: &[(
            "src/lib.rs",
            "                let job = receiver.lock().unwrap().recv().unwrap();\n",
            "                let guard = receiver.lock().unwrap();\n                let job = guard.recv().unwrap();\n",
        )],
        counts_threads: true,
        expect: |c| {
            assert_eq!(c.failures().len(), 1, "{}", c.shown());
            assert_eq!(pool_cause(c, Serial::WorkersTakeTurns), "listing-21-21");
        },
    },
    jobs_run_on_the_main_thread: Mistake {
        what: "`execute` runs the job itself instead of sending it",
        step: "listing-21-20",
        edits: &[(
            "src/lib.rs",
            "        let job = Box::new(f);\n\n        self.sender.send(job).unwrap();\n",
            "        f();\n",
        )],
        expect: |c| {
            let waits = c
                .failures()
                .into_iter()
                .find(|v| matches!(v.behaviour, Behaviour::Waits { .. }))
                .expect("`/` waits");
            assert!(
                matches!(waits.finding, Some(Finding::Serialises { why: Serial::JobsNotSent, .. })),
                "{}",
                c.shown()
            );
            assert_eq!(see(waits), "listing-21-19");
        },
    },
    sender_never_dropped: Mistake {
        what: "`drop` never drops the sender, so the workers wait for jobs forever",
        step: "listing-21-25",
        edits: &[("src/lib.rs", "        drop(self.sender.take());\n", "")],
        expect: |c| {
            let hangs = c
                .failures()
                .into_iter()
                .find(|v| matches!(v.behaviour, Behaviour::ShutsDown { .. }))
                .expect("it does not shut down");
            assert!(matches!(&hangs.finding, Some(Finding::Hangs { joining: Some(id), .. }) if id == "0"));
            assert_eq!(hangs.reproduce, Some(Reproduce::TwoRequests));
            assert_eq!(see(hangs), "listing-21-23");
        },
    },
    moved_receiver: Mistake {
        what: "still on 21-17's code, which moves the receiver into every worker",
        step: "listing-21-18",
        from: Some("listing-21-17"),
        expect: |c| {
            let text = c.error().to_string();
            assert!(
                text.ends_with("it fails with E0382, the error the chapter shows at listing-21-17"),
                "{text}"
            );
            assert!(c.error().compiler_output().unwrap().contains("E0382"));
        },
    },
    drop_moves_out_of_the_worker: Mistake {
        what: "still on 21-22's `drop`, which moves the thread out of a borrowed worker",
        step: "no-listing-04-update-drop-definition-2024",
        from: Some("listing-21-22"),
        expect: |c| {
            assert!(
                c.error()
                    .to_string()
                    .ends_with("it fails with E0507, the error the chapter shows at listing-21-22"),
                "{}",
                c.error()
            );
        },
    },
    ok_for_the_404: Mistake {
        what: "the 404 page sent with `200 OK`",
        step: "listing-21-07",
        edits: &[("src/main.rs", "\"HTTP/1.1 404 NOT FOUND\"", "\"HTTP/1.1 200 OK\"")],
        expect: |c| {
            let v = c.the_failure();
            assert!(matches!(
                &v.finding,
                Some(Finding::Replied { shape: Shape::Response { status: Some(s), .. }, .. }) if s == "HTTP/1.1 200 OK"
            ));
            assert_eq!(v.reproduce, Some(Reproduce::Curl { path: "/does-not-exist".into() }));
            assert_eq!(see(v), "listing-21-07");
        },
    },

    // Chapter 20, the print edition.
    typo_in_a_worker: Mistake {
        what: "a typo in the page's name (`\"hello.htm\"`), in a worker of the pool",
        step: "listing-20-20",
        edits: &[(
            "src/main.rs",
            "\"GET / HTTP/1.1\" => (\"HTTP/1.1 200 OK\", \"hello.html\")",
            "\"GET / HTTP/1.1\" => (\"HTTP/1.1 200 OK\", \"hello.htm\")",
        )],
        expect: |c| {
            // The worker panics and the server serves on: the reply it
            // cost, with the panic and the reader's line.
            let v = c.the_failure();
            let Some(Finding::Replied { shape: Shape::NoResponse, panic: Some(panic) }) = &v.finding else {
                panic!("{}", c.shown())
            };
            assert_eq!(panic.thread, "<unnamed>");
            assert!(panic.source.as_deref().unwrap().contains("read_to_string"), "{panic:?}");
        },
    },
    content_length_too_long: Mistake {
        what: "`Content-Length` five bytes too long",
        step: "listing-20-05",
        edits: &[("src/main.rs", "let length = contents.len();", "let length = contents.len() + 5;")],
        expect: |c| {
            cause_is(c, |f| matches!(f, Finding::Framed { faults } if faults[..] == [Fault::WrongContentLength { says: 181, body: 176 }]));
            assert_eq!(see(c.the_failure()), "listing-20-05");
        },
    },
    while_let_pool: Mistake {
        what: "the `while let` worker of listing 20-21, which holds the lock for the job",
        step: "listing-20-20",
        from: Some("listing-20-21"),
        counts_threads: true,
        expect: |c| {
            assert_eq!(c.failures().len(), 1, "{}", c.shown());
            assert_eq!(pool_cause(c, Serial::WorkersTakeTurns), "listing-20-21");
        },
    },
    joins_before_dropping_the_sender: Mistake {
        what: "drops the sender after the joins instead of before",
        step: "listing-20-25",
        edits: &[
            ("src/lib.rs", "        drop(self.sender.take());\n\n", ""),
            (
                "src/lib.rs",
                "                thread.join().unwrap();\n            }\n        }\n",
                "                thread.join().unwrap();\n            }\n        }\n\n        drop(self.sender.take());\n",
            ),
        ],
        expect: |c| {
            let hangs = c
                .failures()
                .into_iter()
                .find(|v| matches!(v.behaviour, Behaviour::ShutsDown { .. }))
                .expect("it does not shut down");
            assert!(matches!(&hangs.finding, Some(Finding::Hangs { joining: Some(id), .. }) if id == "0"));
            assert_eq!(see(hangs), "listing-20-23");
        },
    },
    sleep_route_typo: Mistake {
        what: "a typo in the slow route (`/slep`)",
        step: "listing-20-10",
        edits: &[("src/main.rs", "\"GET /sleep HTTP/1.1\"", "\"GET /slep HTTP/1.1\"")],
        expect: |c| {
            let failures = c.failures();
            assert!(failures.iter().any(|v| matches!(&v.behaviour, Behaviour::Replies { path, .. } if path == "/sleep")
                && see(v) == "listing-20-10"), "{}", c.shown());
            assert!(failures.iter().any(|v| v.finding == Some(Finding::DoesNotWait)), "{}", c.shown());
        },
    },

    // Right, though unlike the text: these pass.
    binds_every_address: Mistake {
        what: "right: binds `0.0.0.0:7878`",
        step: "listing-21-05",
        edits: &[("src/main.rs", "127.0.0.1:7878", "0.0.0.0:7878")],
        expect: passes,
    },
    match_where_the_text_has_if: Mistake {
        what: "right: a `match` where the text has `if`",
        step: "listing-21-09",
        edits: &[(
            "src/main.rs",
            "    let (status_line, filename) = if request_line == \"GET / HTTP/1.1\" {\n        (\"HTTP/1.1 200 OK\", \"hello.html\")\n    } else {\n        (\"HTTP/1.1 404 NOT FOUND\", \"404.html\")\n    };\n",
            "    let (status_line, filename) = match request_line.as_str() {\n        \"GET / HTTP/1.1\" => (\"HTTP/1.1 200 OK\", \"hello.html\"),\n        _ => (\"HTTP/1.1 404 NOT FOUND\", \"404.html\"),\n    };\n",
        )],
        expect: passes,
    },
    lock_released_before_the_job: Mistake {
        what: "right: the guard in a block of its own, let go before the job",
        step: "listing-21-20",
        edits: &[(
            "src/lib.rs",
            "                let job = receiver.lock().unwrap().recv().unwrap();\n",
            "                let job = {\n                    let guard = receiver.lock().unwrap();\n                    guard.recv().unwrap()\n                };\n",
        )],
        expect: passes,
    },
    chapter_21_in_rust_2021: Mistake {
        what: "right: chapter 21's final code in a Rust 2021 project",
        step: "listing-21-25",
        edition: Some("2021"),
        expect: passes,
    },
    chapter_20_in_rust_2024: Mistake {
        what: "right: chapter 20's pool in a Rust 2024 project",
        step: "listing-20-20",
        edition: Some("2024"),
        expect: passes,
    },
    write_macro: Mistake {
        what: "right: `write!` where the text has `write_all`",
        step: "listing-20-09",
        edits: &[(
            "src/main.rs",
            "stream.write_all(response.as_bytes()).unwrap();",
            "write!(stream, \"{response}\").unwrap();",
        )],
        expect: passes,
    },
}

/// Every project of the corpus, checked one at a time on an otherwise
/// quiet machine, as a table: what the reader did, the verdict in short,
/// and how long the check took after the build. On demand:
/// `cargo test --test suite -- --ignored the_corpus_as_a_table --nocapture`.
#[test]
#[ignore = "a minute and more: every project of the corpus, one at a time"]
fn the_corpus_as_a_table() {
    println!("| mistake | step | verdict in short | seconds to verdict |");
    println!("|---|---|---|--:|");
    for (name, mistake) in corpus() {
        let checked = check_it(name, &mistake);
        (mistake.expect)(&checked);
        let short = match &checked.outcome {
            Err(e) => format!(
                "error: {}",
                e.to_string().rsplit("; ").next().unwrap_or_default()
            ),
            Ok(verdicts) if check::passes(verdicts) => "✓ passes".into(),
            Ok(verdicts) => verdicts
                .iter()
                .filter(|v| v.is_failure())
                .map(|v| format!("✗ {}", short(v)))
                .collect::<Vec<_>>()
                .join("; "),
        };
        println!(
            "| {} | {} | {short} | {:.2} |",
            mistake.what,
            mistake.step,
            checked.took.as_secs_f64()
        );
    }
}

/// A failing verdict in a few words: its behaviour and its cause.
fn short(v: &Verdict) -> String {
    let json = serde_json::to_value(v).unwrap();
    let mut text = json["behaviour"].as_str().unwrap_or_default().to_string();
    if let Some(cause) = json["finding"]["cause"].as_str() {
        text.push_str(&format!(": {cause}"));
    }
    for key in ["why", "fault"] {
        if let Some(why) = json["finding"][key].as_str() {
            text.push_str(&format!(" ({why})"));
        }
    }
    if let Some(faults) = json["finding"]["faults"].as_array() {
        let faults: Vec<&str> = faults.iter().filter_map(|f| f["fault"].as_str()).collect();
        text.push_str(&format!(" ({})", faults.join(", ")));
    }
    text
}

// The commands are for a Unix shell (`sh`, `nc`): run where there is one.

/// Run `command` in `sh` beside the reader's server of the corpus's
/// project `name` (the command its verdict gives, which its test pins),
/// as a reader would; what it printed.
#[cfg(unix)]
fn run_against(name: &str, command: String) -> (String, String) {
    let (_, mistake) = corpus().into_iter().find(|(n, _)| *n == name).unwrap();
    let dir = project(name, &mistake);
    let project = Project::open(&dir).unwrap();
    let exe = project.executable(project.build().unwrap()).unwrap();
    let server = companion::server::ServerCommand::new(&exe)
        .current_dir(&dir)
        .start()
        .unwrap();
    // The shell starts in the server's network, as if on the reader's
    // machine.
    let out = server
        .client("sh")
        .args(["-c", &command])
        .output()
        .expect("running sh");
    (
        command,
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Whether `program` runs here; where it does not, the test that needs it
/// says so, and fails under CI (which installs it).
#[cfg(unix)]
fn have(program: &str, test: &str) -> bool {
    let here = std::process::Command::new(program)
        .arg("-h")
        .output()
        .is_ok();
    if !here {
        kit::skip::cannot_run(test, &format!("{program} is not installed"));
    }
    here
}

#[cfg(unix)]
#[test]
fn the_nc_command_shows_the_missing_content_length() {
    if !have("nc", "the nc command") {
        return;
    }
    let command = Reproduce::Nc {
        request: String::from_utf8(companion::session::request("/")).unwrap(),
    }
    .command();
    let (command, seen) = run_against("no_content_length", command);
    assert!(command.contains("| nc 127.0.0.1 7878"), "{command}");
    assert!(
        seen.starts_with("HTTP/1.1 200 OK\r\n\r\n<!DOCTYPE html>"),
        "{seen}"
    );
    assert!(!seen.to_lowercase().contains("content-length"), "{seen}");
}

#[cfg(unix)]
#[test]
fn the_curl_command_shows_the_status_line_that_differs() {
    if !have("curl", "the curl command") {
        return;
    }
    let command = Reproduce::Curl {
        path: "/does-not-exist".into(),
    }
    .command();
    let (command, seen) = run_against("ok_for_the_404", command);
    assert!(command.starts_with("curl -v "), "{command}");
    assert!(seen.contains("< HTTP/1.1 200 OK"), "{seen}");
    assert!(seen.contains("Oops!"), "the 404 page: {seen}");
}

#[cfg(unix)]
#[test]
fn the_timed_command_shows_root_waiting_behind_sleep() {
    if !have("curl", "the timed command") {
        return;
    }
    let (command, seen) = run_against("pool_of_one", Reproduce::RootBehindSleep.command());
    let took: f64 = seen
        .trim()
        .strip_prefix("/ took ")
        .and_then(|rest| rest.strip_suffix(" s"))
        .and_then(|secs| secs.parse().ok())
        .unwrap_or_else(|| panic!("{command} printed {seen:?}"));
    // The chapter's five seconds, less the second between the requests;
    // wide margins either way.
    assert!((2.5..9.0).contains(&took), "{took} s: {command}");
}
