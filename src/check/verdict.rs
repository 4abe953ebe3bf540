//! A verdict as a value: which behaviour of the step, whether the reader's
//! project has it, what it does instead and, where the evidence shows it,
//! why (with that evidence), how to watch it happen by hand, and where the
//! chapter deals with it. The words a reader reads are made from it last
//! (`words.rs`); tests, the tour and `check --format json` read the value.

use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::registry::{heading, Step, Track};
use crate::session::End;

/// Whether a behaviour holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The reader's project does what the step does.
    Holds,
    /// It does otherwise.
    Fails,
    /// True of the reader's project as of the chapter's, and worth knowing
    /// (shown with ⓘ): not a difference.
    Note,
}

/// One behaviour of a step, as the chapter's own code has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "behaviour", rename_all = "kebab-case")]
pub enum Behaviour {
    /// The step is a page: the project has it, next to `Cargo.toml`.
    HasPage { file: &'static str },
    /// The step fails to compile, with these error codes.
    FailsToCompile { codes: &'static [&'static str] },
    /// A command step prints what the step prints.
    CommandPrints { args: &'static [&'static str] },
    /// A command step ends as the step does (as the OS words it).
    CommandEnds { status: String },
    /// The pages the server reads are in the folder it runs in.
    PagesInPlace { files: &'static [&'static str] },
    /// The server listens on 127.0.0.1:7878 once it runs.
    Listens,
    /// What it prints is in proportion to what it does.
    PrintsWithinReason,
    /// It answers the connections it takes.
    Answers,
    /// `GET path` gets the reply the chapter's server gives.
    Replies { path: String, expected: Shape },
    /// The server stops by itself after its two connections (the final
    /// listing), or keeps running where the chapter's does.
    ShutsDown { by_itself: bool },
    /// The chapter's server crashes here (and with what panic).
    CrashesHere { panic: Option<String> },
    /// It serves until it is stopped.
    KeepsServing,
    /// Its responses are framed as the chapter's are.
    Framing,
    /// It prints what the chapter's server prints.
    PrintsAlike,
    /// `/` does (or does not) wait behind `/sleep`, as on the chapter's
    /// server at this step.
    Waits { chapters: Wait },
    /// What it does with a connection that sends nothing (a browser's
    /// spare one).
    SpareConnection,
    /// Ctrl-C ends the process without running `Drop` (a note at the
    /// chapter's last listing).
    CtrlCSkipsDrop,
    /// A browser sends a second identical request only after the first is
    /// answered (a note where `/sleep` is probed).
    BrowserTabsLookSerial,
}

/// How long `/` waited behind `/sleep`, read with wide margins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wait {
    /// At least `session::WAITS_AT_LEAST`.
    Waits,
    /// Under `session::NO_WAIT_UNDER`.
    DoesNotWait,
    /// In between: too close to call.
    Unclear,
}

/// A reply, as a reader would describe it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Shape {
    /// The server closed (or reset) the connection without a byte.
    NoResponse,
    /// Nothing listened any more.
    Refused,
    /// No complete response within the bound.
    TimedOut,
    /// A response: its status line, whether an empty line ends its head,
    /// and what its body is.
    Response {
        status: Option<String>,
        ends_head: bool,
        body: Body,
    },
}

/// What a response's body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// One of the chapter's pages (the reader's own copy, on their side).
    Page(&'static str),
    Empty,
    Other,
}

/// A panic a server printed on stderr.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Panic {
    /// The thread's name (`main`, `<unnamed>`).
    pub thread: String,
    /// Where: `src/main.rs:26:52`.
    pub location: Option<String>,
    /// Its message, the line after.
    pub message: String,
    /// The line of the reader's code at `location`, where the file is in
    /// their project.
    pub source: Option<String>,
}

/// A line a server printed over and over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repeated {
    /// The line, as printed the most.
    pub line: String,
    /// How many times the lines like it were printed (worker ids set
    /// aside), as far as the check read.
    pub times: u64,
    /// The worker ids it was printed with, where it names a worker.
    pub workers: Vec<usize>,
    /// It is a line the chapter's server prints too, once.
    pub chapters_line: bool,
}

/// How a response is framed otherwise than the chapter's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", rename_all = "kebab-case")]
pub enum Fault {
    /// No empty line ends its head.
    NoEmptyLine,
    /// Its lines end in `\n` alone.
    BareLineFeeds,
    /// No `Content-Length`, where the chapter's sends this one.
    NoContentLength { chapters: String },
    /// `Content-Length` says more or fewer bytes than the body has.
    WrongContentLength { says: usize, body: usize },
    /// `Content-Length` is not a number.
    ContentLengthNotANumber { says: String },
}

/// Why `/` waited behind `/sleep` on the reader's server, as far as the
/// evidence tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Serial {
    /// A step without a pool: one connection at a time.
    OneConnectionAtATime,
    /// The server has no thread but its main one: the jobs run there.
    NoWorkerThreads,
    /// Its pool has one worker thread.
    PoolOfOne,
    /// No worker said it took a job, where the chapter's workers do: the
    /// jobs run on the thread that called `execute`.
    JobsNotSent,
    /// It has several workers, and both requests went to them, one after
    /// the other: a worker holds the lock while it runs its job.
    WorkersTakeTurns,
    /// The evidence does not tell one worker from a worker holding the
    /// lock (the OS does not tell the check a server's threads).
    OneWorkerOrTheLock,
}

/// What a spare connection showed, where that is worth saying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "spare", rename_all = "kebab-case")]
pub enum Spare {
    /// Like the chapter's, a worker panics; `counted`: the chapter's
    /// `.take(2)` counts the connection as one of its two.
    PanicsAWorker { counted: bool },
    /// Like the chapter's, the server crashes.
    Crashes,
    /// The reader's panics where the chapter's does not.
    Panics { panic: Option<Panic> },
    /// The reader's takes it in its stride where the chapter's panics.
    TakesItInStride,
    /// Like the chapter's, it prints a line for it.
    PrintsALine,
}

/// What the reader's project does instead of the behaviour, or (for a
/// note) what it does: the cause, where the evidence shows one, with that
/// evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "cause", rename_all = "kebab-case")]
pub enum Finding {
    /// A step that must not compile compiles.
    Compiles { compiler_output: String },
    /// It fails with other errors; the steps of the reader's track that
    /// show them.
    OtherErrors {
        codes: Vec<String>,
        shown_at: Vec<&'static str>,
        compiler_output: String,
    },
    /// It runs and does not listen.
    NeverListened {
        #[serde(serialize_with = "seconds")]
        within: Duration,
    },
    /// It exited before it listened: what it said, and its panic.
    ExitedEarly {
        status: String,
        said: Vec<String>,
        panic: Option<Panic>,
    },
    /// It listens on another port.
    ListensElsewhere { port: u16 },
    /// It could not be started, in one sentence.
    DidNotStart { why: String },
    /// A page is not in the project's folder; where it is instead.
    PageNotInFolder {
        file: &'static str,
        found: Vec<String>,
    },
    /// It printed without end.
    PrintsWithoutEnd {
        bytes: u64,
        #[serde(serialize_with = "seconds")]
        over: Duration,
        /// It printed on past what the check reads.
        unread: bool,
        /// How many lines the chapter's prints in its whole session.
        chapters_lines: usize,
        repeated: Option<Repeated>,
        /// The line is the chapter's when `recv` fails, printed again and
        /// again: the worker's loop does not end.
        loop_never_ends: bool,
    },
    /// It takes connections and never answers.
    HoldsConnections {
        #[serde(serialize_with = "seconds")]
        waited: Duration,
        /// The chapter's responds (so the reader's should write too).
        responds: bool,
    },
    /// Its reply, and the panic that went with it.
    Replied { shape: Shape, panic: Option<Panic> },
    /// It did not stop by itself: the worker its drop joins, or the last
    /// line it printed.
    Hangs {
        joining: Option<String>,
        last_line: Option<String>,
    },
    /// It exited where the chapter's keeps running.
    Exited,
    /// The chapter's crashes here; the reader's does not.
    DoesNotCrash,
    /// It crashed where the chapter's keeps going.
    Crashed {
        status: String,
        panic: Option<Panic>,
    },
    /// It exited by itself where the chapter's keeps serving.
    ExitedByItself { ending: String },
    /// Its responses are framed otherwise.
    Framed { faults: Vec<Fault> },
    /// It prints otherwise (worker ids hidden).
    PrintsOtherwise { expected: String, yours: String },
    /// `/` waited behind `/sleep`: why, with the threads counted (the
    /// reader's and the chapter's, where the OS tells) and the workers that
    /// said they took a job.
    Serialises {
        why: Serial,
        threads: Option<usize>,
        chapters_threads: Option<usize>,
        workers_seen: Vec<usize>,
    },
    /// `/` does not wait behind `/sleep` where it should.
    DoesNotWait,
    /// Too close to call.
    TooClose {
        #[serde(serialize_with = "seconds")]
        yours: Duration,
        #[serde(serialize_with = "seconds")]
        chapters: Duration,
    },
    /// What a spare connection showed.
    Spare(Spare),
    /// A command ended otherwise.
    EndsOtherwise { status: String },
}

impl Finding {
    /// The compiler's output that goes with it, for the reader to see.
    pub fn compiler_output(&self) -> Option<&str> {
        match self {
            Finding::Compiles { compiler_output }
            | Finding::OtherErrors {
                compiler_output, ..
            } => Some(compiler_output),
            _ => None,
        }
    }

    /// The panic that goes with it, if any.
    pub fn panic(&self) -> Option<&Panic> {
        match self {
            Finding::ExitedEarly { panic, .. }
            | Finding::Replied { panic, .. }
            | Finding::Crashed { panic, .. }
            | Finding::Spare(Spare::Panics { panic }) => panic.as_ref(),
            _ => None,
        }
    }

    fn panic_mut(&mut self) -> Option<&mut Panic> {
        match self {
            Finding::ExitedEarly { panic, .. }
            | Finding::Replied { panic, .. }
            | Finding::Crashed { panic, .. }
            | Finding::Spare(Spare::Panics { panic }) => panic.as_mut(),
            _ => None,
        }
    }
}

/// How a reader can watch it happen, with their server running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "with", rename_all = "kebab-case")]
pub enum Reproduce {
    /// `curl -v` of the path: it shows the status line and headers.
    Curl { path: String },
    /// The request's bytes through `nc`, where curl would hide the fault
    /// (it reads a response without `Content-Length` to its end, and takes
    /// `\n` for `\r\n`).
    Nc { request: String },
    /// `/sleep` in the background, then `/`, timed.
    RootBehindSleep,
    /// `/` twice, as the last listing's two connections (then what the
    /// server prints, and whether it exits, shows it).
    TwoRequests,
}

/// One request and what came back, beside what the chapter's server sends
/// (with the reader's own pages in place of ours, so that only what the
/// reader's code does differs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub path: String,
    #[serde(serialize_with = "text")]
    pub sent: Vec<u8>,
    #[serde(serialize_with = "text")]
    pub received: Vec<u8>,
    #[serde(serialize_with = "text")]
    pub chapters: Vec<u8>,
    #[serde(serialize_with = "end")]
    pub end: End,
}

/// Where the chapter deals with it: a listing of the reader's own chapter
/// (20 or 21, as their track) and the heading it is under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    #[serde(serialize_with = "step_listing")]
    pub listing: &'static Step,
    pub heading: &'static str,
}

impl Place {
    /// Listing `number` of the chapter `track` follows, and its heading.
    pub fn listing(track: Track, number: u32) -> Option<Place> {
        let listing = crate::registry::listing_on(track, number)?;
        Some(Place {
            listing,
            heading: heading(track, number)?,
        })
    }

    /// The step itself, where it is a listing (or the last listing before
    /// it, for an unnumbered step; the exercises' own section for theirs).
    pub(crate) fn of_step(step: &Step) -> Option<Place> {
        let step: &'static Step = &crate::registry::STEPS[step.index()];
        match step.listing {
            Some(_) => Place::listing(step.track, step.listing_number()?),
            None if step.track == Track::Exercises => Some(Place {
                listing: step,
                heading: step.section.heading(step.track),
            }),
            None => Place::listing(step.track, step.listing_number()?),
        }
    }
}

/// One behaviour of the step and whether the reader's project has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    #[serde(flatten)]
    pub behaviour: Behaviour,
    pub status: Status,
    /// What the project does instead (or, for a note, what it does), and
    /// why where the evidence shows it.
    pub finding: Option<Finding>,
    /// The exchange that shows it.
    pub seen: Option<Seen>,
    /// How to watch it happen.
    pub reproduce: Option<Reproduce>,
    /// Where the chapter deals with it.
    pub see: Option<Place>,
}

impl Verdict {
    pub fn holds(behaviour: Behaviour) -> Verdict {
        Verdict {
            behaviour,
            status: Status::Holds,
            finding: None,
            seen: None,
            reproduce: None,
            see: None,
        }
    }

    pub fn fails(behaviour: Behaviour, finding: Finding) -> Verdict {
        Verdict {
            status: Status::Fails,
            finding: Some(finding),
            ..Verdict::holds(behaviour)
        }
    }

    pub fn note(behaviour: Behaviour, finding: Option<Finding>) -> Verdict {
        Verdict {
            status: Status::Note,
            finding,
            ..Verdict::holds(behaviour)
        }
    }

    /// Holds where `holds`, else fails with `finding`.
    pub fn either(behaviour: Behaviour, holds: bool, finding: impl FnOnce() -> Finding) -> Verdict {
        if holds {
            Verdict::holds(behaviour)
        } else {
            Verdict::fails(behaviour, finding())
        }
    }

    pub fn see(self, place: Option<Place>) -> Verdict {
        Verdict { see: place, ..self }
    }

    pub fn reproduce(self, reproduce: Reproduce) -> Verdict {
        Verdict {
            reproduce: Some(reproduce),
            ..self
        }
    }

    pub fn seen(self, seen: Seen) -> Verdict {
        Verdict {
            seen: Some(seen),
            ..self
        }
    }

    /// It is a difference (not a note, not holding).
    pub fn is_failure(&self) -> bool {
        self.status == Status::Fails
    }

    /// The cause, where it fails or notes one.
    pub fn cause(&self) -> Option<&Finding> {
        self.finding.as_ref()
    }

    /// The line of the reader's code each panic points at, read from their
    /// project in `dir`.
    pub(crate) fn with_sources(mut self, dir: &std::path::Path) -> Verdict {
        if let Some(panic) = self.finding.as_mut().and_then(Finding::panic_mut) {
            panic.source = panic.location.as_deref().and_then(|l| source_line(dir, l));
        }
        self
    }
}

/// The line `file:line:column` points at in the project in `dir`, trimmed,
/// where the file is one of the project's own (`src/main.rs`).
fn source_line(dir: &std::path::Path, location: &str) -> Option<String> {
    let mut parts = location.rsplitn(3, ':');
    let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
    let line: usize = line.parse().ok()?;
    let path = std::path::Path::new(file);
    if path.is_absolute() || path.components().any(|c| c.as_os_str() == "..") {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(path)).ok()?;
    text.lines()
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim().to_string())
}

fn seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 10.0).round() / 10.0)
}

fn text<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(bytes))
}

fn end<S: Serializer>(end: &End, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match end {
        End::Closed => "closed",
        End::Reset => "reset",
        End::Refused => "refused",
        End::TimedOut => "timed-out",
    })
}

fn step_listing<S: Serializer>(step: &&'static Step, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Listing", 2)?;
    st.serialize_field("step", step.name)?;
    st.serialize_field("label", &step.label_in_sentence())?;
    st.end()
}
