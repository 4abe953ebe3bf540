//! The check's judgements: what the step's server and the reader's did,
//! compared, as [`Verdict`] values (their words are `words.rs`'s). Pure
//! functions of what the sessions and probes recorded, so that each
//! verdict, and each cause it names, is tested with fake evidence (below),
//! without a server.

use std::time::Duration;

use crate::compile::BuildReport;
use crate::http::Response;
use crate::registry::{Step, STEPS};
use crate::server::{Ending, Finished, StartError};
use crate::session::{
    hide_worker_ids, sorted_lines, End, Event, Reply, Transcript, NO_WAIT_UNDER, WAITS_AT_LEAST,
};

use super::verdict::{
    Behaviour, Body, Fault, Finding, Panic, Place, Repeated, Reproduce, Seen, Serial, Shape, Spare,
    Status, Verdict, Wait,
};

/// The pages of a folder (the repository's, or the reader's project's):
/// which of them a response's body is.
#[derive(Clone, Debug, Default)]
pub struct Pages(pub Vec<(&'static str, Vec<u8>)>);

impl Pages {
    /// Both of the chapter's pages, as they are in `dir` (a page that is
    /// missing or empty is none).
    pub fn in_dir(dir: &std::path::Path) -> Pages {
        Pages(
            ["hello.html", "404.html"]
                .into_iter()
                .filter_map(|f| std::fs::read(dir.join(f)).ok().map(|c| (f, c)))
                .filter(|(_, c)| !c.is_empty())
                .collect(),
        )
    }

    /// The page `body` is, if it is one.
    pub fn which(&self, body: &[u8]) -> Option<&'static str> {
        self.0.iter().find(|(_, c)| c == body).map(|(f, _)| *f)
    }

    /// The page called `file`.
    fn get(&self, file: &str) -> Option<&[u8]> {
        self.0.iter().find(|(f, _)| *f == file).map(|(_, c)| &c[..])
    }
}

/// The reply as a reader would describe it; `pages` names the page a body
/// is, if it is one.
pub fn shape(r: &Reply, pages: &Pages) -> Shape {
    if r.is_no_response() {
        return Shape::NoResponse;
    }
    match r.end {
        End::Refused => return Shape::Refused,
        End::TimedOut => return Shape::TimedOut,
        _ => {}
    }
    let framing = Response::read(&r.bytes);
    Shape::Response {
        status: framing.status.map(str::to_string),
        ends_head: framing.ends_head,
        body: match pages.which(framing.body) {
            _ if !framing.ends_head => Body::Other,
            Some(file) => Body::Page(file),
            None if framing.body.is_empty() => Body::Empty,
            None => Body::Other,
        },
    }
}

/// How the reader's response is framed where the chapter's is framed
/// otherwise. Nothing where they are framed alike.
pub fn framing_faults(expected: &Reply, actual: &Reply) -> Vec<Fault> {
    if actual.bytes.is_empty() || expected.bytes.is_empty() {
        return Vec::new();
    }
    let (want, got) = (
        Response::read(&expected.bytes),
        Response::read(&actual.bytes),
    );
    if want.ends_head && !got.ends_head {
        return vec![Fault::NoEmptyLine];
    }
    let mut faults = Vec::new();
    if want.crlf && !got.crlf {
        faults.push(Fault::BareLineFeeds);
    }
    match (want.content_length(), got.content_length()) {
        (Some(chapters), None) => faults.push(Fault::NoContentLength {
            chapters: chapters.to_string(),
        }),
        (Some(_), Some(yours)) => match yours.parse::<usize>() {
            Ok(says) if says != got.body.len() => faults.push(Fault::WrongContentLength {
                says,
                body: got.body.len(),
            }),
            Ok(_) => {}
            Err(_) => faults.push(Fault::ContentLengthNotANumber {
                says: yours.to_string(),
            }),
        },
        _ => {}
    }
    faults
}

/// The first panic in what a server printed on stderr: `thread 'main'
/// (123) panicked at src/main.rs:26:52:` and its message on the next line.
pub fn panic_in(stderr: &str) -> Option<Panic> {
    let mut lines = stderr.lines();
    let line = lines.find(|l| l.contains(" panicked at "))?;
    let thread = line
        .strip_prefix("thread '")
        .and_then(|rest| rest.split_once('\''))
        .map(|(name, _)| name.to_string())
        .unwrap_or_default();
    let (_, at) = line.split_once(" panicked at ")?;
    let location = at.trim().trim_end_matches(':');
    Some(Panic {
        thread,
        location: (!location.is_empty()).then(|| location.to_string()),
        message: lines.next().map(str::trim).unwrap_or_default().to_string(),
        source: None,
    })
}

/// Where the chapter deals with listing `number`: on the reader's own
/// track.
fn place(step: &Step, number: u32) -> Option<Place> {
    Place::listing(step.track, number)
}

/// The listing that made the chapter's reply to `path` what it is at
/// `step`: 21-3 answered every request, 21-5 sent the page, 21-6 left
/// other paths unanswered, 21-7 gave them 404, 21-10 added `/sleep`.
fn reply_place(step: &Step, path: &str) -> Option<Place> {
    let at = step.listing_number()?;
    let changes: &[u32] = match path {
        "/" => &[3, 5],
        "/sleep" => &[10],
        _ => &[3, 5, 6, 7],
    };
    let number = changes.iter().rev().find(|&&n| n <= at).copied()?;
    place(step, number)
}

/// A reader's server that did not start, as a verdict: it listens
/// elsewhere, exits before it listens, or runs and never listens.
pub fn does_not_start(step: &Step, error: &StartError) -> Verdict {
    let finding = match error {
        StartError::NeverListened(within) => Finding::NeverListened { within: *within },
        StartError::ExitedEarly { status, stderr } => Finding::ExitedEarly {
            status: status.to_string(),
            said: stderr
                .lines()
                .filter(|l| !l.is_empty())
                .take(4)
                .map(str::to_string)
                .collect(),
            panic: panic_in(stderr),
        },
        StartError::ListensElsewhere { port } => Finding::ListensElsewhere { port: *port },
        other => Finding::DidNotStart {
            why: other.to_string(),
        },
    };
    Verdict::fails(Behaviour::Listens, finding).see(place(step, 1))
}

/// A page the reader's server reads that is not in their project's
/// folder, and where in the project it is instead (`found`, relative
/// paths).
pub fn page_not_in_folder(
    step: &Step,
    files: &'static [&'static str],
    file: &'static str,
    found: Vec<String>,
) -> Verdict {
    let listing = crate::registry::page_listing(file, step.track)
        .and_then(|page| page.listing_number())
        .and_then(|n| place(step, n));
    // `cargo run` and a request show it: no reply, and the panic of the
    // read that did not find the page.
    Verdict::fails(
        Behaviour::PagesInPlace { files },
        Finding::PageNotInFolder { file, found },
    )
    .reproduce(Reproduce::Curl {
        path: if file == "404.html" {
            "/does-not-exist"
        } else {
            "/"
        }
        .into(),
    })
    .see(listing)
}

/// Where the reader's server printed far more than the chapter's (a loop
/// that prints and never ends): how much, how fast, the line it repeats
/// and, where that is the chapter's line for a closed channel, that the
/// worker's loop does not end. Everything else it did follows from that.
pub fn prints_too_much(step: &Step, expected: &Transcript, actual: &Transcript) -> Option<Verdict> {
    const TOO_MUCH: u64 = 1 << 20;
    let (theirs, yours) = (&expected.server.printed, &actual.server.printed);
    if yours.bytes < TOO_MUCH || yours.bytes < 100 * theirs.bytes.max(1) {
        return None;
    }
    let repeated = repeated_line(&actual.server, &expected.server.stdout);
    let loop_never_ends = repeated.as_ref().is_some_and(|r| {
        r.chapters_line && r.line.starts_with("Worker ") && r.line.contains("disconnected")
    });
    let see = if loop_never_ends {
        place(step, 24)
    } else {
        Place::of_step(step.code_step())
    };
    // What sets it off: the first request, or, where the server stops
    // after two, the two (its shutdown is where such loops are).
    let reproduce = if step.server().is_some_and(|s| s.stops_after.is_some()) {
        Reproduce::TwoRequests
    } else {
        Reproduce::Curl { path: "/".into() }
    };
    Some(
        Verdict::fails(
            Behaviour::PrintsWithinReason,
            Finding::PrintsWithoutEnd {
                bytes: yours.bytes,
                over: yours.over,
                unread: yours.unread,
                chapters_lines: expected.server.stdout.lines().count(),
                repeated,
                loop_never_ends,
            },
        )
        .reproduce(reproduce)
        .see(see),
    )
}

/// The line a server printed most, counted with the lines like it (the
/// same but for a worker's id), and whether the chapter's server prints a
/// line like it.
fn repeated_line(server: &Finished, chapters_stdout: &str) -> Option<Repeated> {
    let hidden = |line: &str| {
        let (text, ids) = hide_ids(line);
        (text, ids)
    };
    let mut groups: Vec<(String, String, u64, Vec<usize>)> = Vec::new();
    for (line, times) in server.printed.lines.counted() {
        let (shape, ids) = hidden(&line);
        match groups.iter_mut().find(|(s, ..)| *s == shape) {
            Some((_, _, n, workers)) => {
                *n += times;
                workers.extend(ids);
            }
            None => groups.push((shape, line, times, ids)),
        }
    }
    let (shape, line, times, mut workers) = groups.into_iter().max_by_key(|(.., n, _)| *n)?;
    if times < 2 {
        return None;
    }
    workers.sort_unstable();
    workers.dedup();
    Some(Repeated {
        chapters_line: chapters_stdout.lines().any(|l| hidden(l).0 == shape),
        line,
        times,
        workers,
    })
}

/// `line` with the number after `Worker ` (or `worker `) set aside.
fn hide_ids(line: &str) -> (String, Vec<usize>) {
    let mut ids = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("orker ") {
        let (before, after) = rest.split_at(at + "orker ".len());
        text.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if let Ok(id) = after[..digits].parse() {
            ids.push(id);
            text.push_str("[ID]");
        }
        rest = &after[digits..];
    }
    text.push_str(rest);
    (text, ids)
}

/// What a server did with a connection that sent nothing, and then with
/// `GET /` (see `check::spare_connection`).
#[derive(Clone, Debug)]
pub struct SpareRun {
    /// The server was done with the connection (closed it) in time.
    pub done: bool,
    /// It printed a panic.
    pub panicked: bool,
    /// The reply to `GET /` after it (not asked of a server that stops
    /// after a number of connections).
    pub then: Option<Reply>,
    pub finished: Finished,
}

impl SpareRun {
    /// It went on answering after the connection.
    fn serves_on(&self) -> bool {
        self.then.as_ref().is_some_and(|r| !r.bytes.is_empty())
    }
}

/// How the reader's server fares with a connection that sends nothing, the
/// kind a browser opens beside the one it uses, against the chapter's: a
/// note where it does as the chapter's does and that is worth knowing, a
/// failure where it does otherwise, nothing where there is nothing to say.
pub fn spare_connection(step: &Step, ours: &SpareRun, yours: &SpareRun) -> Option<Verdict> {
    if !ours.done || !yours.done {
        return None;
    }
    let note = |spare| {
        Some(Verdict::note(
            Behaviour::SpareConnection,
            Some(Finding::Spare(spare)),
        ))
    };
    match (ours.panicked, yours.panicked) {
        (true, true) if ours.then.is_none() => note(Spare::PanicsAWorker { counted: true }),
        (true, true) if ours.serves_on() && yours.serves_on() => {
            note(Spare::PanicsAWorker { counted: false })
        }
        (true, true) if !ours.serves_on() && !yours.serves_on() => note(Spare::Crashes),
        (true, true) => None,
        (false, true) => Some(
            Verdict::fails(
                Behaviour::SpareConnection,
                Finding::Spare(Spare::Panics {
                    panic: panic_in(&yours.finished.stderr),
                }),
            )
            .see(Place::of_step(step.code_step())),
        ),
        (true, false) => note(Spare::TakesItInStride),
        // Listing 20-1 prints a line for each connection, and the chapter
        // says a browser makes several.
        (false, false)
            if ours.finished.stdout.contains("Connection established!")
                && ours.finished.stdout.lines().count()
                    == yours.finished.stdout.lines().count() =>
        {
            note(Spare::PrintsALine)
        }
        (false, false) => None,
    }
}

/// Whether a server answered anything: a byte, or a connection it closed.
fn answers(t: &Transcript) -> bool {
    t.exchanges()
        .any(|x| !x.reply.bytes.is_empty() || x.reply.end != End::TimedOut)
}

/// Where the reader's server takes connections and never answers, while the
/// chapter's does: the one verdict that says so (its waiting says nothing
/// about threads, and the rest of its session was not run).
pub fn never_answers(
    step: &Step,
    expected: &Transcript,
    actual: &Transcript,
    waited: Duration,
) -> Option<Verdict> {
    if !answers(expected) || answers(actual) {
        return None;
    }
    let responds = expected.exchanges().any(|x| !x.reply.bytes.is_empty());
    Some(
        Verdict::fails(
            Behaviour::Answers,
            Finding::HoldsConnections { waited, responds },
        )
        .reproduce(Reproduce::Curl { path: "/".into() })
        .see(place(step, 2)),
    )
}

/// What the chapter's server sends for an exchange, with the reader's own
/// pages in place of ours (and its `Content-Length` with them): what the
/// reader's would send if it did as the chapter's does.
fn chapters_with_yours(expected: &Reply, ours: &Pages, yours: &Pages) -> Vec<u8> {
    let framing = Response::read(&expected.bytes);
    let Some(page) = ours.which(framing.body) else {
        return expected.bytes.clone();
    };
    let Some(your_page) = yours.get(page) else {
        return expected.bytes.clone();
    };
    let head = &expected.bytes[..expected.bytes.len() - framing.body.len()];
    let mut head = String::from_utf8_lossy(head).into_owned();
    if let Some(length) = framing.content_length() {
        head = head.replacen(
            &format!(": {length}\r\n"),
            &format!(": {}\r\n", your_page.len()),
            1,
        );
    }
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(your_page);
    bytes
}

/// The two sessions of `step`, event by event, then what the servers
/// printed.
pub fn compare_sessions(
    step: &Step,
    expected: &Transcript,
    actual: &Transcript,
    ours: &Pages,
    yours: &Pages,
) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    // How the reader's responses are framed where the chapter's are framed
    // otherwise, each fault once, and the first exchange that shows them.
    let mut faults: Vec<Fault> = Vec::new();
    let mut framing_seen: Option<Seen> = None;
    // A panic of the reader's where the chapter's server has none goes
    // with the first reply it cost, or with the crash, where it crashed.
    let crashes = actual
        .events
        .iter()
        .any(|e| matches!(e, Event::Crashed { .. }));
    let mut panic = panic_in(&actual.server.stderr)
        .filter(|_| !crashes && panic_in(&expected.server.stderr).is_none());
    let mut last_path = None;
    for (e, a) in expected.events.iter().zip(&actual.events) {
        match (e, a) {
            (Event::Exchange(e), Event::Exchange(a)) => {
                last_path = Some(a.path.clone());
                let (want, mut got) = (shape(&e.reply, ours), shape(&a.reply, yours));
                // A server that exits by itself (with 0: no crash) between
                // two requests either refuses the next one or, caught
                // exiting, takes it and closes it unanswered: the same, as
                // the reader sees it, and told as one.
                if got == Shape::NoResponse && actual.server.ending == Ending::Exited(0) {
                    got = Shape::Refused;
                }
                let seen = || Seen {
                    path: a.path.clone(),
                    sent: a.request.clone(),
                    received: a.reply.bytes.clone(),
                    chapters: chapters_with_yours(&e.reply, ours, yours),
                    end: a.reply.end,
                };
                let these = framing_faults(&e.reply, &a.reply);
                if !these.is_empty() && framing_seen.is_none() {
                    framing_seen = Some(seen());
                }
                for fault in these.iter().cloned() {
                    if !faults.contains(&fault) {
                        faults.push(fault);
                    }
                }
                let behaviour = Behaviour::Replies {
                    path: e.path.clone(),
                    expected: want.clone(),
                };
                if want == got {
                    verdicts.push(Verdict::holds(behaviour));
                } else {
                    // A panic of the reader's goes with the first reply it
                    // cost.
                    let panic = match got {
                        Shape::NoResponse | Shape::Refused => panic.take(),
                        _ => None,
                    };
                    let mut verdict =
                        Verdict::fails(behaviour, Finding::Replied { shape: got, panic })
                            .see(reply_place(step, &e.path));
                    // The bytes and the command go with the framing's
                    // verdict where that is what differs; a reply of no
                    // bytes is told in words.
                    if these.is_empty() {
                        verdict = verdict.reproduce(Reproduce::Curl {
                            path: a.path.clone(),
                        });
                        if !a.reply.bytes.is_empty() {
                            verdict = verdict.seen(seen());
                        }
                    }
                    verdicts.push(verdict);
                }
            }
            (Event::AwaitedExit { exited: want }, Event::AwaitedExit { exited: got }) => {
                let behaviour = Behaviour::ShutsDown { by_itself: *want };
                verdicts.push(if want == got {
                    Verdict::holds(behaviour)
                } else if *want {
                    let (joining, last_line) = hangs(&actual.server.stdout);
                    let see = match joining {
                        Some(_) => place(step, 23),
                        None => Place::of_step(step.code_step()),
                    };
                    Verdict::fails(behaviour, Finding::Hangs { joining, last_line })
                        .reproduce(Reproduce::TwoRequests)
                        .see(see)
                } else {
                    Verdict::fails(behaviour, Finding::Exited).see(Place::of_step(step))
                });
            }
            (Event::Crashed { .. }, Event::Crashed { .. }) => {
                verdicts.push(Verdict::holds(Behaviour::CrashesHere {
                    panic: panic_in(&expected.server.stderr).map(|p| p.message),
                }));
            }
            // After a crash on one side only, the sessions no longer line up.
            (Event::Crashed { .. }, _) => {
                verdicts.push(
                    Verdict::fails(
                        Behaviour::CrashesHere {
                            panic: panic_in(&expected.server.stderr).map(|p| p.message),
                        },
                        Finding::DoesNotCrash,
                    )
                    .see(Place::of_step(step.code_step())),
                );
                return verdicts;
            }
            (_, Event::Crashed { status }) => {
                let verdict = Verdict::fails(
                    Behaviour::KeepsServing,
                    Finding::Crashed {
                        status: status.clone(),
                        panic: panic_in(&actual.server.stderr),
                    },
                )
                .see(Place::of_step(step.code_step()));
                verdicts.push(match last_path {
                    Some(path) => verdict.reproduce(Reproduce::Curl { path }),
                    None => verdict,
                });
                return verdicts;
            }
            _ => {}
        }
    }
    // A server that exits by itself where the chapter's keeps serving.
    // (Where the sessions stopped lining up, that was told, and returned,
    // above.)
    if expected.server.ending == Ending::Stopped {
        let ending = match &actual.server.ending {
            Ending::Exited(code) => Some(format!("exit status: {code}")),
            Ending::Died(how) => Some(how.clone()),
            Ending::Stopped => None,
        };
        if let Some(ending) = ending {
            verdicts.push(
                Verdict::fails(Behaviour::KeepsServing, Finding::ExitedByItself { ending })
                    .see(place(step, 1)),
            );
        }
    }
    if expected.exchanges().any(|x| !x.reply.bytes.is_empty()) {
        verdicts.push(if faults.is_empty() {
            Verdict::holds(Behaviour::Framing)
        } else {
            let number = match faults[0] {
                Fault::NoEmptyLine | Fault::BareLineFeeds => 3,
                _ => 5,
            };
            let mut verdict = Verdict::fails(Behaviour::Framing, Finding::Framed { faults })
                .see(place(step, number));
            if let Some(seen) = framing_seen {
                verdict = verdict
                    .reproduce(Reproduce::Nc {
                        request: String::from_utf8_lossy(&seen.sent).into_owned(),
                    })
                    .seen(seen);
            }
            verdict
        });
    }
    verdicts.push(prints_alike(step, expected, actual));
    verdicts
}

/// What the two servers printed, with worker ids hidden; compared in any
/// order where the server shuts down (its threads print in any order),
/// and shown as each printed it.
fn prints_alike(step: &Step, expected: &Transcript, actual: &Transcript) -> Verdict {
    let (want, _) = hide_worker_ids(&expected.server.stdout);
    let (got, _) = hide_worker_ids(&actual.server.stdout);
    // A server that shuts down prints from several threads at once: its
    // lines are compared, and shown, sorted.
    let (want, got) = if expected.awaited_exit().is_some() {
        (sorted_lines(&want), sorted_lines(&got))
    } else {
        (want, got)
    };
    let alike = want == got;
    Verdict::either(Behaviour::PrintsAlike, alike, || Finding::PrintsOtherwise {
        expected: want,
        yours: got,
    })
    .see((!alike).then(|| Place::of_step(step.code_step())).flatten())
}

/// Why a server that should have shut down by itself did not, read from
/// what it printed (`stdout`): the worker its drop joined last, if that
/// one never said it stopped (a pool whose drop joins a worker that still
/// waits for a job, because nothing closed the channel); and the last line
/// it printed.
fn hangs(stdout: &str) -> (Option<String>, Option<String>) {
    let joining = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Shutting down worker "))
        .next_back()
        .filter(|id| {
            !stdout
                .lines()
                .any(|l| l.starts_with(&format!("Worker {id} ")) && l.contains("shutting down"))
        });
    (
        joining.map(str::to_string),
        stdout.lines().last().map(str::to_string),
    )
}

/// How long `/` waited behind `/sleep` on a fresh server, with what else
/// the probe saw: the server's threads (where the OS tells) and the
/// workers that said they took a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waited {
    pub elapsed: Duration,
    /// Its threads once it listened and settled (`None`: the OS does not
    /// tell the check).
    pub threads: Option<usize>,
    /// The ids of `Worker N got a job; executing.`, in order.
    pub workers_seen: Vec<usize>,
}

/// How long `/` waited behind `/sleep` on the chapter's server
/// (`expected`) and on the reader's (`actual`), judged; where the reader's
/// waits and the chapter's does not, why, as far as the evidence tells.
pub fn compare_waiting(step: &Step, expected: &Waited, actual: &Waited) -> Verdict {
    let waits = |d: Duration| {
        if d >= WAITS_AT_LEAST {
            Wait::Waits
        } else if d < NO_WAIT_UNDER {
            Wait::DoesNotWait
        } else {
            Wait::Unclear
        }
    };
    let (chapters, yours) = (waits(expected.elapsed), waits(actual.elapsed));
    let behaviour = Behaviour::Waits { chapters };
    match (chapters, yours) {
        (a, b) if a == b && a != Wait::Unclear => Verdict::holds(behaviour),
        (Wait::DoesNotWait, Wait::Waits) => {
            let why = serial_cause(step, expected, actual);
            let number = match why {
                Serial::OneConnectionAtATime => 11,
                Serial::PoolOfOne => 12,
                Serial::NoWorkerThreads => 15,
                Serial::JobsNotSent => 19,
                Serial::WorkersTakeTurns | Serial::OneWorkerOrTheLock => 21,
            };
            Verdict::fails(
                behaviour,
                Finding::Serialises {
                    why,
                    threads: actual.threads,
                    chapters_threads: expected.threads,
                    workers_seen: actual.workers_seen.clone(),
                },
            )
            .reproduce(Reproduce::RootBehindSleep)
            .see(place(step, number))
        }
        (Wait::Waits, Wait::DoesNotWait) => Verdict::fails(behaviour, Finding::DoesNotWait)
            .reproduce(Reproduce::RootBehindSleep)
            .see(place(step, 10)),
        _ => Verdict {
            status: if yours == chapters && yours != Wait::Unclear {
                Status::Holds
            } else {
                Status::Fails
            },
            see: Place::of_step(step.code_step()),
            ..Verdict::fails(
                behaviour,
                Finding::TooClose {
                    yours: actual.elapsed,
                    chapters: expected.elapsed,
                },
            )
        },
    }
}

/// Why the reader's server let `/` wait behind `/sleep`, where the
/// chapter's does not: the evidence is the step (a pool or not), the
/// threads the server has beside its main one, and the workers that took
/// the two jobs.
fn serial_cause(step: &Step, expected: &Waited, actual: &Waited) -> Serial {
    if step.lib_rs().is_none() {
        return Serial::OneConnectionAtATime;
    }
    let mut seen = actual.workers_seen.clone();
    seen.sort_unstable();
    seen.dedup();
    if seen.is_empty() && !expected.workers_seen.is_empty() {
        return Serial::JobsNotSent;
    }
    match actual.threads {
        Some(1) => Serial::NoWorkerThreads,
        Some(2) if expected.threads.is_none_or(|t| t > 2) => Serial::PoolOfOne,
        Some(_) => Serial::WorkersTakeTurns,
        // Two workers took jobs: there are two at least.
        None if seen.len() >= 2 => Serial::WorkersTakeTurns,
        None => Serial::OneWorkerOrTheLock,
    }
}

/// A step that must not compile: whether the reader's build failed with
/// the same error codes. Where it did not, the compiler's output goes with
/// the verdict.
pub fn fails_like(step: &'static Step, built: &BuildReport) -> Verdict {
    let codes: Vec<String> = built.all_error_codes().into_iter().collect();
    let expected = step.expected_errors();
    let behaviour = Behaviour::FailsToCompile { codes: expected };
    if codes == expected {
        return Verdict::holds(behaviour);
    }
    let finding = if built.success {
        Finding::Compiles {
            compiler_output: built.human_output(),
        }
    } else {
        Finding::OtherErrors {
            shown_at: shown_at(&codes, step),
            codes,
            compiler_output: built.human_output(),
        }
    };
    Verdict::fails(behaviour, finding).see(Place::of_step(step))
}

/// The steps of `step`'s track that the chapter shows failing with exactly
/// the errors `codes`.
pub fn shown_at(codes: &[String], step: &Step) -> Vec<&'static str> {
    STEPS
        .iter()
        .filter(|s| s.track == step.track && !codes.is_empty() && s.expected_errors() == codes)
        .map(|s| s.name)
        .collect()
}

/// What a command printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub stdout: Vec<u8>,
    /// Its exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// How it ended, as the OS words it (`exit status: 0`).
    pub status: String,
}

/// A command step: whether the reader's program printed what the step's
/// prints and ended as it does.
pub fn runs_like(
    step: &'static Step,
    args: &'static [&'static str],
    want: &Ran,
    got: &Ran,
) -> Vec<Verdict> {
    let see = Place::of_step(step);
    vec![
        Verdict::either(
            Behaviour::CommandPrints { args },
            want.stdout == got.stdout,
            || Finding::PrintsOtherwise {
                expected: String::from_utf8_lossy(&want.stdout).into_owned(),
                yours: String::from_utf8_lossy(&got.stdout).into_owned(),
            },
        ),
        Verdict::either(
            Behaviour::CommandEnds {
                status: want.status.clone(),
            },
            want.code == got.code,
            || Finding::EndsOtherwise {
                status: got.status.clone(),
            },
        ),
    ]
    .into_iter()
    .map(|v| if v.is_failure() { v.see(see) } else { v })
    .collect()
}

/// A page the step is: whether the reader's project has it.
pub fn has_page(step: &'static Step, file: &'static str, present: bool) -> Verdict {
    let verdict = Verdict::either(Behaviour::HasPage { file }, present, || {
        Finding::PageNotInFolder {
            file,
            found: Vec::new(),
        }
    });
    if present {
        verdict
    } else {
        verdict.see(Place::of_step(step))
    }
}

/// The notes for a reader whose server does what the step does, where the
/// chapter's readers get stuck and the check can tell: at a last listing,
/// that ctrl-C ends the process without running `Drop`; where `/sleep` is
/// probed, that a browser's two tabs of it look serial whatever the pool
/// does.
pub fn notes(step: &Step, chapters_wait: Option<&Waited>) -> Vec<Verdict> {
    let mut notes = Vec::new();
    let serves = step.server();
    // Where the chapter's `/` does not wait, a reader who tries it in a
    // browser may think theirs does.
    if chapters_wait.is_some_and(|w| w.elapsed < NO_WAIT_UNDER) {
        notes.push(Verdict::note(Behaviour::BrowserTabsLookSerial, None).see(place(step, 10)));
    }
    if serves.is_some_and(|s| s.stops_after.is_some()) {
        notes.push(Verdict::note(Behaviour::CtrlCSkipsDrop, None).see(place(step, 22)));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;
    use crate::server::{Ending, Finished};
    use crate::session::{Exchange, Reply};

    const PAGE: &[u8] = b"<p>hi</p>\n";

    fn step_20_5() -> &'static Step {
        find("listing-20-05").unwrap()
    }

    fn pages() -> Pages {
        Pages(vec![("hello.html", PAGE.to_vec())])
    }

    fn get(path: &str, bytes: &[u8], end: End, elapsed_ms: u64) -> Event {
        Event::Exchange(Exchange {
            path: path.to_string(),
            request: crate::session::request(path),
            reply: Reply {
                bytes: bytes.to_vec(),
                end,
            },
            elapsed: Duration::from_millis(elapsed_ms),
        })
    }

    fn ok_page() -> Vec<u8> {
        let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".to_vec();
        bytes.extend_from_slice(PAGE);
        bytes
    }

    fn transcript(events: Vec<Event>, stdout: &str) -> Transcript {
        Transcript {
            step: "listing-20-05",
            events,
            server: Finished {
                stdout: stdout.to_string(),
                stderr: String::new(),
                ending: Ending::Stopped,
                printed: Default::default(),
            },
        }
    }

    fn reply(bytes: &[u8], end: End) -> Reply {
        Reply {
            bytes: bytes.to_vec(),
            end,
        }
    }

    fn ok(status: &str, body: Body) -> Shape {
        Shape::Response {
            status: Some(status.into()),
            ends_head: true,
            body,
        }
    }

    #[test]
    fn a_page_is_named_and_any_other_body_is_another() {
        assert_eq!(
            shape(&reply(&ok_page(), End::Closed), &pages()),
            ok("HTTP/1.1 200 OK", Body::Page("hello.html"))
        );
        assert_eq!(
            shape(&reply(&ok_page(), End::Closed), &Pages::default()),
            ok("HTTP/1.1 200 OK", Body::Other)
        );
        assert_eq!(
            shape(&reply(b"HTTP/1.1 200 OK\r\n\r\n", End::Closed), &pages()),
            ok("HTTP/1.1 200 OK", Body::Empty)
        );
        assert_eq!(shape(&reply(b"", End::Reset), &pages()), Shape::NoResponse);
    }

    #[test]
    fn the_same_session_holds_and_another_reply_is_named() {
        let ours = transcript(
            vec![
                get("/", &ok_page(), End::Closed, 1),
                get("/does-not-exist", &ok_page(), End::Closed, 1),
            ],
            "Request: GET / HTTP/1.1\n",
        );
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert!(
            verdicts.iter().all(|v| v.status == Status::Holds),
            "{verdicts:?}"
        );
        assert_eq!(
            verdicts[0].behaviour,
            Behaviour::Replies {
                path: "/".into(),
                expected: ok("HTTP/1.1 200 OK", Body::Page("hello.html"))
            }
        );

        let mut yours = ours.clone();
        yours.events[1] = get("/does-not-exist", b"", End::Closed, 1);
        yours.server.stdout = "Request: GET /\n".into();
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert_eq!(verdicts[0].status, Status::Holds);
        assert_eq!(
            verdicts[1].finding,
            Some(Finding::Replied {
                shape: Shape::NoResponse,
                panic: None
            })
        );
        // Seen by hand with curl, and explained where 20-5 sends the page.
        assert_eq!(
            verdicts[1].reproduce,
            Some(Reproduce::Curl {
                path: "/does-not-exist".into()
            })
        );
        assert_eq!(verdicts[1].see.unwrap().listing.name, "listing-20-05");
        assert_eq!(verdicts[1].see.unwrap().heading, "Returning Real HTML");
        // The framing, then what it printed.
        assert_eq!(verdicts[2].status, Status::Holds);
        assert_eq!(
            verdicts[3].finding,
            Some(Finding::PrintsOtherwise {
                expected: "Request: GET / HTTP/1.1\n".into(),
                yours: "Request: GET /\n".into()
            })
        );
    }

    #[test]
    fn a_panic_goes_with_the_reply_it_cost_and_its_place() {
        let ours = transcript(vec![get("/", &ok_page(), End::Closed, 1)], "");
        let mut yours = transcript(vec![get("/", b"", End::Reset, 1)], "");
        yours.server.stderr = "\nthread '<unnamed>' (4242) panicked at src/main.rs:26:52:\n\
             called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, \
             message: \"No such file or directory\" }\nnote: run with `RUST_BACKTRACE=1`\n"
            .into();
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        let Some(Finding::Replied {
            panic: Some(panic), ..
        }) = &verdicts[0].finding
        else {
            panic!("{verdicts:?}");
        };
        assert_eq!(panic.thread, "<unnamed>");
        assert_eq!(panic.location.as_deref(), Some("src/main.rs:26:52"));
        assert!(panic.message.starts_with("called `Result::unwrap()`"));
        // Mutation: the chapter's server panics the same way: not the
        // reader's doing, so not told with the reply.
        let mut ours = ours;
        ours.server.stderr = yours.server.stderr.clone();
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert!(matches!(
            &verdicts[0].finding,
            Some(Finding::Replied { panic: None, .. })
        ));
    }

    #[test]
    fn the_chapters_reply_is_shown_with_the_readers_page() {
        let theirs = Pages(vec![("hello.html", b"<p>a longer page</p>\n".to_vec())]);
        let with = chapters_with_yours(&reply(&ok_page(), End::Closed), &pages(), &theirs);
        assert_eq!(
            with,
            b"HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\n<p>a longer page</p>\n"
        );
    }

    #[test]
    fn a_crash_on_one_side_ends_the_comparison() {
        let crashed = Event::Crashed {
            status: "exit status: 101".into(),
        };
        let ours = transcript(vec![get("/", b"", End::Reset, 1), crashed.clone()], "");
        let yours = transcript(
            vec![
                get("/", &ok_page(), End::Closed, 1),
                get("/x", b"", End::Refused, 1),
            ],
            "",
        );
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert_eq!(
            verdicts.last().unwrap().finding,
            Some(Finding::DoesNotCrash)
        );
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert!(
            verdicts.iter().all(|v| v.status == Status::Holds),
            "{verdicts:?}"
        );
        assert!(verdicts
            .iter()
            .any(|v| matches!(v.behaviour, Behaviour::CrashesHere { .. })));
        // The reader's crashes, with its panic.
        let mut crashes = transcript(vec![get("/", b"", End::Reset, 1), crashed], "");
        crashes.server.stderr = "thread 'main' (7) panicked at src/main.rs:9:9:\nboom\n".into();
        let fine = transcript(
            vec![
                get("/", &ok_page(), End::Closed, 1),
                get("/x", &ok_page(), End::Closed, 1),
            ],
            "",
        );
        let verdicts = compare_sessions(step_20_5(), &fine, &crashes, &pages(), &pages());
        let crash = verdicts.last().unwrap();
        let Some(Finding::Crashed {
            panic: Some(panic), ..
        }) = &crash.finding
        else {
            panic!("{verdicts:?}")
        };
        assert_eq!(
            (panic.message.as_str(), panic.thread.as_str()),
            ("boom", "main")
        );
        assert_eq!(crash.reproduce, Some(Reproduce::Curl { path: "/".into() }));
        // The panic is told with the crash, not again with the reply.
        assert!(matches!(
            verdicts[0].finding,
            Some(Finding::Replied { panic: None, .. })
        ));
    }

    #[test]
    fn shutdown_output_is_compared_in_any_order() {
        let exit = Event::AwaitedExit { exited: true };
        let ours = transcript(
            vec![get("/", &ok_page(), End::Closed, 1), exit.clone()],
            "Worker 0 got a job; executing.\nShutting down.\nShutting down worker 0\n",
        );
        let mut yours = ours.clone();
        yours.server.stdout =
            "Shutting down.\nWorker 3 got a job; executing.\nShutting down worker 0\n".into();
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert!(
            verdicts.iter().all(|v| v.status == Status::Holds),
            "{verdicts:?}"
        );
        yours.events[1] = Event::AwaitedExit { exited: false };
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert_eq!(
            verdicts[1].behaviour,
            Behaviour::ShutsDown { by_itself: true }
        );
        assert_eq!(verdicts[1].status, Status::Fails);
    }

    #[test]
    fn a_server_that_never_answers_is_told_so() {
        let step = step_20_5();
        let ours = transcript(vec![get("/", &ok_page(), End::Closed, 1)], "");
        let silent = transcript(vec![get("/", b"", End::TimedOut, 3000)], "");
        let verdict = never_answers(step, &ours, &silent, Duration::from_secs(3)).unwrap();
        assert_eq!(
            verdict.finding,
            Some(Finding::HoldsConnections {
                waited: Duration::from_secs(3),
                responds: true
            })
        );
        assert_eq!(verdict.see.unwrap().heading, "Reading the Request");
        assert_eq!(
            never_answers(step, &ours, &ours.clone(), Duration::from_secs(3)),
            None
        );
        // The chapter's first steps answer nothing either: no verdict.
        assert_eq!(
            never_answers(step, &silent, &silent.clone(), Duration::from_secs(3)),
            None
        );
    }

    fn waited(secs: u64, threads: Option<usize>, workers_seen: &[usize]) -> Waited {
        Waited {
            elapsed: Duration::from_secs(secs),
            threads,
            workers_seen: workers_seen.to_vec(),
        }
    }

    fn cause(verdict: &Verdict) -> Option<Serial> {
        match verdict.finding {
            Some(Finding::Serialises { why, .. }) => Some(why),
            _ => None,
        }
    }

    #[test]
    fn waiting_is_judged_with_wide_margins() {
        let pool = find("listing-20-20").unwrap();
        let one_thread = find("listing-20-10").unwrap();
        let chapters = waited(0, Some(5), &[0, 1]);
        assert_eq!(
            compare_waiting(pool, &waited(5, None, &[]), &waited(5, None, &[])).status,
            Status::Holds
        );
        assert_eq!(
            compare_waiting(pool, &chapters, &chapters.clone()).status,
            Status::Holds
        );
        let one_at_a_time =
            compare_waiting(one_thread, &waited(0, None, &[]), &waited(5, None, &[]));
        assert_eq!(cause(&one_at_a_time), Some(Serial::OneConnectionAtATime));
        assert_eq!(one_at_a_time.see.unwrap().listing.name, "listing-20-11");
        let too_soon = compare_waiting(one_thread, &waited(5, None, &[]), &waited(0, None, &[]));
        assert_eq!(too_soon.finding, Some(Finding::DoesNotWait));
        let close = compare_waiting(
            pool,
            &waited(5, None, &[]),
            &Waited {
                elapsed: Duration::from_millis(2500),
                ..waited(0, None, &[])
            },
        );
        assert!(matches!(close.finding, Some(Finding::TooClose { .. })));
        assert_eq!(close.status, Status::Fails);
    }

    /// Each cause of `/` waiting in a pool, from its evidence; and the
    /// mutation of the evidence that changes it.
    #[test]
    fn why_a_pool_serialises_is_read_from_its_threads_and_workers() {
        let pool = find("listing-21-25").unwrap();
        let chapters = waited(0, Some(5), &[0, 1]);
        let yours =
            |threads, seen: &[usize]| compare_waiting(pool, &chapters, &waited(5, threads, seen));
        // Two threads, main and one worker, where the chapter's has five.
        let one = yours(Some(2), &[0, 0]);
        assert_eq!(cause(&one), Some(Serial::PoolOfOne));
        assert_eq!(one.see.unwrap().listing.name, "listing-21-12");
        assert_eq!(
            one.see.unwrap().heading,
            "Creating a Finite Number of Threads"
        );
        // Mutation: five threads: the workers are there, and take turns.
        let lock = yours(Some(5), &[0, 0]);
        assert_eq!(cause(&lock), Some(Serial::WorkersTakeTurns));
        assert_eq!(lock.see.unwrap().listing.name, "listing-21-21");
        // One thread: no worker at all.
        assert_eq!(cause(&yours(Some(1), &[0])), Some(Serial::NoWorkerThreads));
        // Mutation: no worker said it took a job, where the chapter's did:
        // the jobs never went to them, whatever the threads.
        let not_sent = yours(Some(5), &[]);
        assert_eq!(cause(&not_sent), Some(Serial::JobsNotSent));
        assert_eq!(not_sent.see.unwrap().listing.name, "listing-21-19");
        // Where the OS does not count threads: two workers seen is two
        // workers; one worker seen tells nothing more.
        assert_eq!(cause(&yours(None, &[0, 2])), Some(Serial::WorkersTakeTurns));
        assert_eq!(
            cause(&yours(None, &[0, 0])),
            Some(Serial::OneWorkerOrTheLock)
        );
        // A chapter-20 reader is sent to chapter 20.
        let twenty = compare_waiting(
            find("listing-20-25").unwrap(),
            &chapters,
            &waited(5, Some(2), &[0, 0]),
        );
        assert_eq!(twenty.see.unwrap().listing.name, "listing-20-12");
        assert_eq!(twenty.reproduce, Some(Reproduce::RootBehindSleep));
    }

    fn report(success: bool, codes: &[&str]) -> BuildReport {
        BuildReport {
            diagnostics: codes
                .iter()
                .map(|c| crate::compile::Diagnostic {
                    target: "hello".into(),
                    is_error: true,
                    is_warning: false,
                    code: Some(c.to_string()),
                    message: String::new(),
                    spans: vec![],
                    rendered: format!("error[{c}]: ...\n"),
                })
                .collect(),
            executables: vec![],
            success,
            cargo_stderr: String::new(),
        }
    }

    #[test]
    fn a_failing_step_wants_the_same_errors_and_names_where_others_are_shown() {
        let step = find("listing-20-22").unwrap();
        assert_eq!(
            fails_like(step, &report(false, &["E0507"])).status,
            Status::Holds
        );
        let other = fails_like(step, &report(false, &["E0599"]));
        assert_eq!(
            other.finding,
            Some(Finding::OtherErrors {
                codes: vec!["E0599".into()],
                shown_at: vec![
                    "no-listing-01-define-threadpool-struct",
                    "no-listing-02-impl-threadpool-new",
                    "no-listing-05-fix-worker-new"
                ],
                compiler_output: "error[E0599]: ...\n".into()
            })
        );
        let typo = fails_like(step, &report(false, &["E0425"]));
        assert!(matches!(
            typo.finding,
            Some(Finding::OtherErrors { ref shown_at, .. }) if shown_at.is_empty()
        ));
        assert!(matches!(
            fails_like(step, &report(true, &[])).finding,
            Some(Finding::Compiles { .. })
        ));
    }

    #[test]
    fn a_command_prints_and_ends_as_the_steps() {
        let step = find("beyond-05-pool-for-other-work").unwrap();
        let ran = |out: &str, code| Ran {
            stdout: out.as_bytes().to_vec(),
            code: Some(code),
            status: format!("exit status: {code}"),
        };
        let same = runs_like(
            step,
            &["stages"],
            &ran("7 files\n", 0),
            &ran("7 files\n", 0),
        );
        assert!(same.iter().all(|v| v.status == Status::Holds), "{same:?}");
        let other = runs_like(
            step,
            &["stages"],
            &ran("7 files\n", 0),
            &ran("6 files\n", 1),
        );
        assert!(other.iter().all(|v| v.status == Status::Fails), "{other:?}");
        assert_eq!(
            other[1].finding,
            Some(Finding::EndsOtherwise {
                status: "exit status: 1".into()
            })
        );
    }

    /// The chapter's 200 with the page, and a reader's version of it.
    fn framed(head: &str) -> Event {
        let mut bytes = head.as_bytes().to_vec();
        bytes.extend_from_slice(PAGE);
        get("/", &bytes, End::Closed, 1)
    }

    /// The verdict on how `yours` is framed, beside the chapter's 200.
    fn judged(yours: Event) -> Verdict {
        let ours = transcript(vec![get("/", &ok_page(), End::Closed, 1)], "");
        let yours = transcript(vec![yours], "");
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        verdicts
            .into_iter()
            .find(|v| v.behaviour == Behaviour::Framing)
            .expect("a verdict on the framing")
    }

    fn faults(verdict: &Verdict) -> Vec<Fault> {
        match &verdict.finding {
            Some(Finding::Framed { faults }) => faults.clone(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn a_response_framed_as_the_chapters_holds() {
        assert_eq!(
            judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")).status,
            Status::Holds
        );
        // Header names are not case-sensitive.
        assert_eq!(
            judged(framed("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n")).status,
            Status::Holds
        );
    }

    #[test]
    fn content_length_missing_or_wrong_is_named_with_what_the_chapter_sends() {
        let missing = judged(framed("HTTP/1.1 200 OK\r\n\r\n"));
        assert_eq!(
            faults(&missing),
            [Fault::NoContentLength {
                chapters: "10".into()
            }]
        );
        // Seen with nc, which shows the head as it came; explained where
        // the chapter adds Content-Length.
        assert!(matches!(missing.reproduce, Some(Reproduce::Nc { .. })));
        assert_eq!(missing.see.unwrap().listing.name, "listing-20-05");
        let seen = missing.seen.unwrap();
        assert_eq!(seen.received, b"HTTP/1.1 200 OK\r\n\r\n<p>hi</p>\n");
        assert_eq!(seen.chapters, ok_page());
        let long = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n"));
        assert_eq!(
            faults(&long),
            [Fault::WrongContentLength { says: 15, body: 10 }]
        );
        let short = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n"));
        assert_eq!(
            faults(&short),
            [Fault::WrongContentLength { says: 8, body: 10 }]
        );
        let nan = judged(framed(
            "HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n",
        ));
        assert_eq!(
            faults(&nan),
            [Fault::ContentLengthNotANumber {
                says: "{length}".into()
            }]
        );
    }

    #[test]
    fn bare_line_feeds_and_a_missing_empty_line_are_named() {
        let bare = judged(framed("HTTP/1.1 200 OK\nContent-Length: 10\n\n"));
        assert_eq!(faults(&bare), [Fault::BareLineFeeds]);
        assert_eq!(bare.see.unwrap().heading, "Writing a Response");
        let no_empty_line = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"));
        assert_eq!(faults(&no_empty_line), [Fault::NoEmptyLine]);
    }

    #[test]
    fn where_the_chapter_sends_no_content_length_none_is_wanted() {
        let bare = b"HTTP/1.1 200 OK\r\n\r\n";
        let ours = transcript(vec![get("/", bare, End::Closed, 1)], "");
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert!(
            verdicts.iter().all(|v| v.status == Status::Holds),
            "{verdicts:?}"
        );
    }

    #[test]
    fn a_shutdown_that_hangs_is_told_where_and_where_the_chapter_fixes_it() {
        let exit = |exited| Event::AwaitedExit { exited };
        let page = || get("/", &ok_page(), End::Closed, 1);
        let ours = transcript(
            vec![page(), exit(true)],
            "Shutting down.\nShutting down worker 0\n",
        );
        let mut yours = transcript(vec![page(), exit(false)], "");
        yours.server.stdout = "Shutting down.\nShutting down worker 0\n".into();
        for (name, fix) in [
            ("listing-21-25", "listing-21-23"),
            ("listing-20-25", "listing-20-23"),
        ] {
            let verdicts = compare_sessions(find(name).unwrap(), &ours, &yours, &pages(), &pages());
            assert_eq!(
                verdicts[1].finding,
                Some(Finding::Hangs {
                    joining: Some("0".into()),
                    last_line: Some("Shutting down worker 0".into())
                })
            );
            assert_eq!(verdicts[1].see.unwrap().listing.name, fix);
        }
        // Mutation: worker 0 said it stopped: not the one it waits for.
        yours.server.stdout =
            "Shutting down.\nShutting down worker 0\nWorker 0 disconnected; shutting down.\n"
                .into();
        let verdicts = compare_sessions(
            find("listing-21-25").unwrap(),
            &ours,
            &yours,
            &pages(),
            &pages(),
        );
        assert!(matches!(
            verdicts[1].finding,
            Some(Finding::Hangs { joining: None, .. })
        ));
    }

    fn printed(lines: &[(&str, usize)]) -> Finished {
        let mut text = String::new();
        for (line, times) in lines {
            for _ in 0..*times {
                text.push_str(line);
                text.push('\n');
            }
        }
        let mut printed = crate::server::Printed::default();
        printed.push_for_tests(text.as_bytes());
        Finished {
            stdout: String::new(),
            stderr: String::new(),
            ending: Ending::Stopped,
            printed,
        }
    }

    /// The line a verdict on printing without end found repeated, and
    /// whether it names the worker's loop as the cause.
    fn repeated_of(verdict: &Verdict) -> (&Repeated, bool) {
        match &verdict.finding {
            Some(Finding::PrintsWithoutEnd {
                repeated: Some(r),
                loop_never_ends,
                ..
            }) => (r, *loop_never_ends),
            _ => panic!("{verdict:?}"),
        }
    }

    #[test]
    fn a_line_printed_without_end_is_counted_and_a_worker_loop_that_never_ends_named() {
        let step = find("listing-21-25").unwrap();
        let chapters = "Worker 0 got a job; executing.\nShutting down.\nShutting down worker 0\n\
                        Worker 0 disconnected; shutting down.\n";
        let mut ours = transcript(vec![], chapters);
        ours.server.printed.bytes = chapters.len() as u64;
        let mut yours = transcript(vec![], "");
        yours.server = printed(&[
            ("Worker 0 got a job; executing.", 1),
            ("Worker 1 disconnected; shutting down.", 30_000),
            ("Worker 2 disconnected; shutting down.", 29_000),
        ]);
        let verdict = prints_too_much(step, &ours, &yours).unwrap();
        let (r, loop_never_ends) = repeated_of(&verdict);
        assert_eq!(r.line, "Worker 1 disconnected; shutting down.");
        assert_eq!((r.times, &r.workers[..]), (59_000, &[1, 2][..]));
        assert!(r.chapters_line && loop_never_ends);
        assert_eq!(verdict.see.unwrap().listing.name, "listing-21-24");
        // Mutation: a line of the reader's own, not the chapter's
        // `recv` error: counted, and no cause named.
        yours.server = printed(&[("got a connection", 70_000)]);
        let verdict = prints_too_much(step, &ours, &yours).unwrap();
        let (r, loop_never_ends) = repeated_of(&verdict);
        assert_eq!((r.line.as_str(), r.times), ("got a connection", 70_000));
        assert!(!r.chapters_line && !loop_never_ends);
        // Mutation: a little output is not too much.
        yours.server = printed(&[("Worker 1 disconnected; shutting down.", 3)]);
        assert_eq!(prints_too_much(step, &ours, &yours), None);
    }

    #[test]
    fn a_crash_as_the_chapters_says_what_both_panic_with() {
        let crashed = Event::Crashed {
            status: "exit status: 101".into(),
        };
        let mut ours = transcript(vec![get("/", b"", End::Reset, 1), crashed], "");
        ours.server.stderr = "\nthread 'main' panicked at stages/listing-21-19/lib.rs:44:31:\n\
             called `Result::unwrap()` on an `Err` value: SendError { .. }\nnote: run with \
             `RUST_BACKTRACE=1`\n"
            .into();
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert_eq!(
            verdicts[1].behaviour,
            Behaviour::CrashesHere {
                panic: Some("called `Result::unwrap()` on an `Err` value: SendError { .. }".into())
            }
        );
    }

    #[test]
    fn the_places_are_the_readers_own_chapter() {
        let hint = |name: &str| {
            compare_waiting(
                find(name).unwrap(),
                &waited(0, None, &[]),
                &waited(5, Some(5), &[]),
            )
            .see
            .unwrap()
            .listing
            .name
        };
        assert_eq!(hint("listing-21-20"), "listing-21-21");
        assert_eq!(hint("listing-20-20"), "listing-20-21");
        assert_eq!(hint("listing-21-10"), "listing-21-11");
        assert_eq!(hint("beyond-06-pool-from-crates-io"), "listing-21-11");
    }

    fn spare(panicked: bool, serves_on: bool, ending: Ending, stdout: &str) -> SpareRun {
        SpareRun {
            done: true,
            panicked,
            then: (ending != Ending::Exited(0)).then(|| Reply {
                bytes: if serves_on { ok_page() } else { vec![] },
                end: if serves_on { End::Closed } else { End::Refused },
            }),
            finished: Finished {
                stdout: stdout.into(),
                stderr: if panicked {
                    "thread '<unnamed>' panicked at src/main.rs:20:50:\ncalled `Option::unwrap()` on a `None` value\n".into()
                } else {
                    String::new()
                },
                ending,
                printed: Default::default(),
            },
        }
    }

    fn spare_of(v: Option<Verdict>) -> Option<(Status, Spare)> {
        let v = v?;
        match v.finding {
            Some(Finding::Spare(spare)) => Some((v.status, spare)),
            _ => None,
        }
    }

    #[test]
    fn a_spare_connection_is_a_note_where_the_reader_does_as_the_chapter_and_a_failure_where_not() {
        let step = step_20_5();
        let judge =
            |ours: &SpareRun, yours: &SpareRun| spare_of(spare_connection(step, ours, yours));
        let pool_panics = spare(true, true, Ending::Stopped, "");
        assert_eq!(
            judge(&pool_panics, &pool_panics.clone()),
            Some((Status::Note, Spare::PanicsAWorker { counted: false }))
        );
        let crashes = spare(true, false, Ending::Exited(101), "");
        assert_eq!(
            judge(&crashes, &crashes.clone()),
            Some((Status::Note, Spare::Crashes))
        );
        let fine = spare(false, true, Ending::Stopped, "");
        let Some((Status::Fails, Spare::Panics { panic: Some(panic) })) =
            judge(&fine, &pool_panics)
        else {
            panic!()
        };
        assert_eq!(panic.message, "called `Option::unwrap()` on a `None` value");
        assert_eq!(
            judge(&pool_panics, &fine),
            Some((Status::Note, Spare::TakesItInStride))
        );
        assert_eq!(judge(&fine, &fine.clone()), None);
        // A server that stops after two connections is not asked for `/`.
        let counts = spare(true, true, Ending::Exited(0), "");
        assert_eq!(
            judge(&counts, &counts.clone()),
            Some((Status::Note, Spare::PanicsAWorker { counted: true }))
        );
        let prints = spare(
            false,
            false,
            Ending::Stopped,
            "Connection established!\nConnection established!\n",
        );
        assert_eq!(
            judge(&prints, &prints.clone()),
            Some((Status::Note, Spare::PrintsALine))
        );
    }

    #[test]
    fn a_panic_is_read_with_its_thread_place_and_message() {
        let panic = panic_in(
            "thread 'main' (81) panicked at src/main.rs:26:52:\ncalled `Result::unwrap()` on an `Err` value\n",
        )
        .unwrap();
        assert_eq!(
            (
                panic.thread.as_str(),
                panic.location.as_deref(),
                panic.message.as_str()
            ),
            (
                "main",
                Some("src/main.rs:26:52"),
                "called `Result::unwrap()` on an `Err` value"
            )
        );
        assert_eq!(panic_in("no panic here\n"), None);
    }

    #[test]
    fn the_notes_are_where_the_chapter_has_their_cause() {
        let behaviours = |name: &str, secs| -> Vec<Behaviour> {
            let step = find(name).unwrap();
            let wait = waited(secs, None, &[]);
            let wait = step.server().unwrap().sleep_route.then_some(&wait);
            notes(step, wait).into_iter().map(|v| v.behaviour).collect()
        };
        assert_eq!(
            behaviours("listing-21-25", 0),
            [Behaviour::BrowserTabsLookSerial, Behaviour::CtrlCSkipsDrop]
        );
        assert_eq!(
            behaviours("listing-20-20", 0),
            [Behaviour::BrowserTabsLookSerial]
        );
        // Mutation: where the chapter's `/` waits (20-10), no note on tabs.
        assert_eq!(behaviours("listing-20-10", 5), []);
        assert_eq!(behaviours("listing-20-05", 0), []);
    }
}
