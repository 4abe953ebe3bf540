//! The check's judgements: what the step's server and the reader's did,
//! compared, in plain words. Pure functions of what the sessions recorded,
//! so that each verdict is tested with fake transcripts (below), without a
//! server.

use std::time::Duration;

use crate::compile::BuildReport;
use crate::registry::{listing_on, Step, STEPS};
use crate::server::{Ending, Finished, StartError, ADDRESS};
use crate::session::{
    hide_worker_ids, sorted_lines, End, Event, Exchange, Reply, Transcript, NO_WAIT_UNDER,
    WAITS_AT_LEAST,
};

use super::Verdict;

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
}

/// A response as it came, read leniently, so that a reader's mistake in
/// how it is framed can be named rather than make it unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Framing<'a> {
    /// The first line, without its line ending.
    pub status: Option<&'a str>,
    /// The header lines after it, without their line endings.
    pub headers: Vec<&'a str>,
    /// Every line of the head ends with `\r\n` (not a bare `\n`).
    pub crlf: bool,
    /// An empty line ends the head, and the body follows it.
    pub ends_head: bool,
    /// The body: after the empty line, or nothing where there is none.
    pub body: &'a [u8],
}

impl Framing<'_> {
    pub fn of(bytes: &[u8]) -> Framing<'_> {
        // The head ends at the first empty line, whichever its endings.
        let end = match (find(bytes, b"\r\n\r\n"), find(bytes, b"\n\n")) {
            (Some(crlf), Some(lf)) if lf < crlf => Some((lf, 2)),
            (Some(crlf), _) => Some((crlf, 4)),
            (None, lf) => lf.map(|at| (at, 2)),
        };
        let (head, body) = match end {
            Some((at, len)) => (&bytes[..at + len], &bytes[at + len..]),
            None => (bytes, &bytes[bytes.len()..]),
        };
        let crlf = head
            .iter()
            .enumerate()
            .all(|(i, &b)| b != b'\n' || (i > 0 && head[i - 1] == b'\r'));
        let text = std::str::from_utf8(&bytes[..bytes.len() - body.len()]).unwrap_or("");
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
        Framing {
            status: lines.next().filter(|l| !l.is_empty()),
            headers: lines.filter(|l| !l.is_empty()).collect(),
            crlf,
            ends_head: end.is_some(),
            body,
        }
    }

    /// The value of the `Content-Length` header, as sent (`None`: no such
    /// header).
    pub fn content_length(&self) -> Option<&str> {
        self.headers.iter().find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim())
        })
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The reply as a reader would describe it; `pages` names the page a body
/// is, if it is one.
pub fn describe(x: &Exchange, pages: &Pages) -> String {
    let r = &x.reply;
    if r.is_no_response() {
        return "no response (the server closes the connection)".to_string();
    }
    match r.end {
        End::Refused => return "refused (nothing listens any more)".to_string(),
        End::TimedOut => return "no complete response within the time bound".to_string(),
        _ => {}
    }
    let framing = Framing::of(&r.bytes);
    let status = framing.status.unwrap_or("a response with no status line");
    if !framing.ends_head {
        return format!("{status} with no empty line after its headers");
    }
    match pages.which(framing.body) {
        Some(file) => format!("{status} with {file}"),
        None if framing.body.is_empty() => format!("{status} with an empty body"),
        None => format!("{status} with another body"),
    }
}

/// How the reader's response is framed where the chapter's is framed
/// otherwise: each difference in plain words, with what the chapter's
/// server sends. Nothing where they are framed alike.
pub fn framing_differences(expected: &Exchange, actual: &Exchange) -> Vec<String> {
    let (want, got) = (
        Framing::of(&expected.reply.bytes),
        Framing::of(&actual.reply.bytes),
    );
    if actual.reply.bytes.is_empty() || expected.reply.bytes.is_empty() {
        return Vec::new();
    }
    let mut differences = Vec::new();
    if want.ends_head && !got.ends_head {
        differences.push(
            "no empty line ends its headers, so a client cannot tell where the body starts \
             (the chapter's server writes `\\r\\n\\r\\n` before the body)"
                .to_string(),
        );
        return differences;
    }
    if want.crlf && !got.crlf {
        differences.push(
            "its lines end in `\\n` alone, where HTTP wants `\\r\\n` (the chapter's server \
             writes `\\r\\n` after each line)"
                .to_string(),
        );
    }
    match (want.content_length(), got.content_length()) {
        (Some(theirs), None) => differences.push(format!(
            "it sends no Content-Length header: the chapter's server sends \
             `Content-Length: {theirs}`, the body's length in bytes, so that a client knows \
             where the body ends"
        )),
        (Some(_), Some(yours)) => match yours.parse::<usize>() {
            Ok(length) if length > got.body.len() => differences.push(format!(
                "its Content-Length says {length} where its body has {} bytes: a client waits \
                 for {} more that never come (curl: \"transfer closed with {} bytes \
                 remaining\")",
                got.body.len(),
                length - got.body.len(),
                length - got.body.len()
            )),
            Ok(length) if length < got.body.len() => differences.push(format!(
                "its Content-Length says {length} where its body has {} bytes: a client stops \
                 reading {} bytes early",
                got.body.len(),
                got.body.len() - length
            )),
            Ok(_) => {}
            Err(_) => differences.push(format!(
                "its Content-Length is `{yours}`, which is not a number of bytes"
            )),
        },
        _ => {}
    }
    differences
}

/// A reader's server that did not start, in words: it listens elsewhere,
/// exits before it listens, or runs and never listens.
pub fn does_not_start(error: &StartError) -> Verdict {
    let text = match error {
        StartError::NeverListened(within) => format!(
            "your server runs, but did not listen on {ADDRESS} within {} s: the chapter's binds \
             it first thing (`TcpListener::bind(\"{ADDRESS}\")`, the first line of `main`), and \
             by then has answered its first requests",
            within.as_secs()
        ),
        StartError::ExitedEarly { status, stderr } => {
            let said: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).take(4).collect();
            format!(
                "your server exited ({status}) before it listened on {ADDRESS}, where the \
                 chapter's keeps serving{}",
                if said.is_empty() {
                    String::new()
                } else {
                    format!("; it said:\n{}", indent(&said.join("\n")))
                }
            )
        }
        other => other.to_string().replacen("the server", "your server", 1),
    };
    Verdict::fails(text)
}

/// Where the reader's server printed far more than the chapter's (a loop
/// that prints and never ends): how much, and how fast. Everything else
/// it did follows from that.
pub fn prints_too_much(expected: &Transcript, actual: &Transcript) -> Option<Verdict> {
    const TOO_MUCH: u64 = 1 << 20;
    let (theirs, yours) = (&expected.server.printed, &actual.server.printed);
    if yours.bytes < TOO_MUCH || yours.bytes < 100 * theirs.bytes.max(1) {
        return None;
    }
    let lines = expected.server.stdout.lines().count();
    Some(Verdict::fails(format!(
        "your server printed {}{:.1} MB in {:.1} s{}, where the chapter's prints {lines} \
         line{} in its whole session: does something print in a loop that never ends?",
        if yours.unread { "more than " } else { "" },
        yours.bytes as f64 / 1e6,
        yours.over.as_secs_f64(),
        if yours.unread {
            " (the check stopped reading it there)"
        } else {
            ""
        },
        if lines == 1 { "" } else { "s" }
    )))
}

/// What a server did with a connection that sent nothing, and then with
/// `GET /` (see `check::spare_connection`).
#[derive(Clone, Debug)]
pub struct Spare {
    /// The server was done with the connection (closed it) in time.
    pub done: bool,
    /// It printed a panic.
    pub panicked: bool,
    /// The reply to `GET /` after it (not asked of a server that stops
    /// after a number of connections).
    pub then: Option<Reply>,
    pub finished: Finished,
}

impl Spare {
    /// It went on answering after the connection.
    fn serves_on(&self) -> bool {
        self.then.as_ref().is_some_and(|r| !r.bytes.is_empty())
    }
}

/// How the reader's server fares with a connection that sends nothing, the
/// kind a browser opens beside the one it uses, against the chapter's: a
/// note where it does as the chapter's does and that is worth knowing, a
/// failure where it does otherwise, nothing where there is nothing to say.
pub fn spare_connection(ours: &Spare, yours: &Spare) -> Option<Verdict> {
    const SPARE: &str = "a client opens a connection and sends nothing (as browsers do, beside \
                         the connection they use)";
    if !ours.done || !yours.done {
        return None;
    }
    Some(match (ours.panicked, yours.panicked) {
        (true, true) if ours.then.is_none() => Verdict::note(format!(
            "like the chapter's server, yours panics a worker when {SPARE}; and the chapter's \
             `.take(2)` counts it as one of its two connections, so a browser's first visit \
             may use up both; beyond-03-no-unwrap shows how to answer it instead"
        )),
        (true, true) if ours.serves_on() && yours.serves_on() => Verdict::note(format!(
            "like the chapter's server, yours panics a worker when {SPARE}, and serves on with \
             the others; beyond-03-no-unwrap shows how to answer it instead"
        )),
        (true, true) if !ours.serves_on() && !yours.serves_on() => Verdict::note(format!(
            "like the chapter's server, yours crashes when {SPARE}; beyond-03-no-unwrap shows how \
             to answer it instead"
        )),
        (true, true) => return None,
        (false, true) => Verdict::fails(format!(
            "your server panics when {SPARE}, where the chapter's does not; it said:\n{}",
            indent(panic_message(&yours.finished.stderr).unwrap_or_default())
        )),
        (true, false) => Verdict::note(format!(
            "your server takes it in its stride when {SPARE}, where the chapter's panics"
        )),

        // Listing 20-1 prints a line for each connection, and the chapter
        // says a browser makes several.
        (false, false)
            if ours.finished.stdout.contains("Connection established!")
                && ours.finished.stdout.lines().count()
                    == yours.finished.stdout.lines().count() =>
        {
            Verdict::note(format!(
                "like the chapter's server, yours prints a line when {SPARE}: one visit from a \
                 browser may print two or three"
            ))
        }
        (false, false) => return None,
    })
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
    expected: &Transcript,
    actual: &Transcript,
    waited: Duration,
) -> Option<Verdict> {
    if !answers(expected) || answers(actual) {
        return None;
    }
    let responds = expected.exchanges().any(|x| !x.reply.bytes.is_empty());
    Some(Verdict::fails(format!(
        "your server takes connections and never lets go of them: no request got a \
         byte back within {} s, and the connection stayed open. Does \
         handle_connection stop reading at the request's end (the empty line: \
         `.take_while(|line| !line.is_empty())`){}?",
        waited.as_secs(),
        if responds {
            ", and then write the response"
        } else {
            ""
        }
    )))
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
    // otherwise, each difference once.
    let mut framed_otherwise: Vec<String> = Vec::new();
    for (e, a) in expected.events.iter().zip(&actual.events) {
        match (e, a) {
            (Event::Exchange(e), Event::Exchange(a)) => {
                let want = describe(e, ours);
                let got = describe(a, yours);
                let text = format!(
                    "GET {}: {}",
                    e.path,
                    want.replace(" with hello.html", " with your hello.html")
                        .replace(" with 404.html", " with your 404.html")
                );
                for difference in framing_differences(e, a) {
                    if !framed_otherwise.contains(&difference) {
                        framed_otherwise.push(difference);
                    }
                }
                if want == got {
                    verdicts.push(Verdict::holds(text));
                } else {
                    verdicts.push(Verdict::fails(format!("{text}; yours: {got}")));
                }
            }
            (Event::AwaitedExit { exited: want }, Event::AwaitedExit { exited: got }) => {
                let text = if *want {
                    "the server shuts down by itself after two connections"
                } else {
                    "the server keeps running"
                };
                let mut verdict = Verdict::new(want == got, text.to_string());
                if *want && !*got {
                    verdict.text.push_str(&hangs(step, &actual.server.stdout));
                }
                verdicts.push(verdict);
            }
            (Event::Crashed { .. }, Event::Crashed { .. }) => {
                let why = panic_message(&expected.server.stderr)
                    .map(|panic| format!(": both panic with `{panic}`"))
                    .unwrap_or_default();
                verdicts.push(Verdict::holds(format!(
                    "the server crashes here, as the chapter's does{why}"
                )));
            }
            // After a crash on one side only, the sessions no longer line up.
            (Event::Crashed { .. }, _) => {
                verdicts.push(Verdict::fails(
                    "the chapter's server crashes here; yours does not".into(),
                ));
                return verdicts;
            }
            (_, Event::Crashed { .. }) => {
                verdicts.push(Verdict::fails(
                    "your server crashed where the chapter's keeps going".into(),
                ));
                return verdicts;
            }
            _ => {}
        }
    }
    // A server that exits by itself where the chapter's keeps serving.
    // (Where the sessions stopped lining up, that was told, and returned,
    // above.)
    if expected.server.ending == Ending::Stopped {
        if let Ending::Exited(_) | Ending::Died(_) = &actual.server.ending {
            verdicts.push(Verdict::fails(format!(
                "the server keeps serving until it is stopped; yours exited by itself ({})",
                match &actual.server.ending {
                    Ending::Exited(code) => format!("exit status: {code}"),
                    Ending::Died(how) => how.clone(),
                    Ending::Stopped => unreachable!(),
                }
            )));
        }
    }
    if expected.exchanges().any(|x| !x.reply.bytes.is_empty()) {
        let text = "its responses are framed as the chapter's: a status line, headers, an empty \
                    line, then the body";
        verdicts.push(if framed_otherwise.is_empty() {
            Verdict::holds(text.to_string())
        } else {
            Verdict::fails(format!("{text}; but {}", framed_otherwise.join("; and ")))
        });
    }
    verdicts.push(prints_alike(expected, actual));
    verdicts
}

/// What the two servers printed, with worker ids hidden; compared in any
/// order where the server shuts down (its threads print in any order),
/// and shown as each printed it.
fn prints_alike(expected: &Transcript, actual: &Transcript) -> Verdict {
    let (want, _) = hide_worker_ids(&expected.server.stdout);
    let (got, _) = hide_worker_ids(&actual.server.stdout);
    let alike = if expected.awaited_exit().is_some() {
        sorted_lines(&want) == sorted_lines(&got)
    } else {
        want == got
    };
    let text = "it prints what the chapter's server prints";
    if alike {
        Verdict::holds(text.to_string())
    } else {
        Verdict::fails(format!("{text}:\n{}", expected_and_yours(&want, &got)))
    }
}

/// Two outputs, under `expected:` and `yours:`, aligned with a verdict's
/// text.
pub fn expected_and_yours(want: &str, got: &str) -> String {
    format!("  expected:\n{}  yours:\n{}", indent(want), indent(got))
}

/// `text` indented four spaces, or `(nothing)`.
pub fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (nothing)\n".to_string();
    }
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// Why a server that should have shut down by itself did not, read from
/// what it printed (`stdout`): a pool whose drop joins a worker that still
/// waits for a job, because nothing closed the channel; or else what it
/// printed last.
fn hangs(step: &Step, stdout: &str) -> String {
    // The worker its drop joined last, if that one never said it stopped.
    let joining = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Shutting down worker "))
        .next_back()
        .filter(|id| {
            !stdout
                .lines()
                .any(|l| l.starts_with(&format!("Worker {id} ")) && l.contains("shutting down"))
        });
    let last = stdout.lines().last();
    match (joining, listing_on(step.track, 23)) {
        (Some(id), Some(fix)) => format!(
            "; yours printed `Shutting down worker {id}` and then nothing: its drop is joining \
             worker {id}, which still waits for a job, because the channel is still open \
             (its sender was never dropped). {} drops the sender before the joins: \
             `drop(self.sender.take());`",
            capitalised(&fix.label_in_sentence())
        ),
        _ => match last {
            Some(line) => {
                format!("; yours is still running, and the last line it printed is `{line}`")
            }
            None => "; yours is still running, and printed nothing".to_string(),
        },
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The message of the first panic in what a server printed on stderr (the
/// line after `thread '…' panicked at file:line:column:`).
fn panic_message(stderr: &str) -> Option<&str> {
    let mut lines = stderr.lines();
    lines.find(|l| l.contains("panicked at"))?;
    lines.next().map(str::trim)
}

/// How long `/` waited behind `/sleep` on the chapter's server
/// (`expected`) and on the reader's (`actual`), judged.
pub fn compare_waiting(step: &Step, expected: Duration, actual: Duration) -> Verdict {
    let waits = |d: Duration| {
        if d >= WAITS_AT_LEAST {
            Some(true)
        } else if d < NO_WAIT_UNDER {
            Some(false)
        } else {
            None
        }
    };
    let pool = step.lib_rs().is_some();
    match (waits(expected), waits(actual)) {
        (Some(true), Some(true)) => {
            Verdict::holds("`/` waits behind `/sleep`, as the chapter shows at this step".into())
        }
        (Some(false), Some(false)) => Verdict::holds("`/` does not wait behind `/sleep`".into()),
        (Some(false), Some(true)) if pool => Verdict::fails(format!(
            "`/` still waits behind `/sleep`: your pool serialises jobs (does a worker hold \
             the lock while it runs its job? see {})",
            see(step, 21)
        )),
        (Some(false), Some(true)) => Verdict::fails(format!(
            "`/` still waits behind `/sleep`: your server handles one connection at a time \
             (see {})",
            see(step, 11)
        )),
        (Some(true), Some(false)) => Verdict::fails(
            "`/` does not wait behind `/sleep`, but at this step it should: the chapter \
             shows the problem here"
                .into(),
        ),
        (_, got) => Verdict::new(
            got.is_some() && waits(expected) == got,
            format!(
                "`/` behind `/sleep` took {actual:.1?} on yours and {expected:.1?} on the \
                 chapter's: too close to call"
            ),
        ),
    }
}

/// "listing 20-21", or "listing 21-21" for a reader of chapter 21.
fn see(step: &Step, number: u32) -> String {
    listing_on(step.track, number)
        .map(|s| s.label_in_sentence())
        .unwrap_or_else(|| format!("listing {}-{number}", step.track.chapter()))
}

/// A step that must not compile: whether the reader's build failed with
/// the same error codes. Where it did not, the compiler's output goes with
/// the verdict.
pub fn fails_like(step: &Step, built: &BuildReport) -> Verdict {
    let codes: Vec<String> = built.all_error_codes().into_iter().collect();
    let expected = step.expected_errors();
    let text = format!(
        "your project fails to compile with {}, as the chapter's does at this step",
        expected.join(" and ")
    );
    if codes == expected {
        return Verdict::holds(text);
    }
    let yours = if built.success {
        "it compiles".to_string()
    } else {
        format!("yours: {}", where_the_chapter_shows(&codes, step))
    };
    Verdict {
        shown: Some(built.human_output()),
        ..Verdict::fails(format!("{text}; {yours} (the compiler's output is above)"))
    }
}

/// Whether the chapter shows the errors `codes` anywhere on `step`'s
/// track, in words: "it fails with E0599, the error the chapter shows at
/// listing-20-13", or "... which the chapter never shows".
pub fn where_the_chapter_shows(codes: &[String], step: &Step) -> String {
    if codes.is_empty() {
        return "it fails without an error code (cargo's message is above)".into();
    }
    let shown: Vec<&str> = STEPS
        .iter()
        .filter(|s| s.track == step.track && s.expected_errors() == codes)
        .map(|s| s.name)
        .collect();
    let errors = codes.join(" and ");
    match shown[..] {
        [] => format!("it fails with {errors}, which the chapter never shows: a typo of yours?"),
        _ => format!(
            "it fails with {errors}, the error the chapter shows at {}",
            shown.join(", ")
        ),
    }
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
pub fn runs_like(step: &Step, args: &[&str], want: &Ran, got: &Ran) -> Vec<Verdict> {
    let command = format!("cargo run -- {}", args.join(" "));
    let prints = format!("`{command}` prints what {} prints", step.name);
    let mut verdicts = vec![if want.stdout == got.stdout {
        Verdict::holds(prints)
    } else {
        Verdict::fails(format!(
            "{prints}:\n{}",
            expected_and_yours(
                &String::from_utf8_lossy(&want.stdout),
                &String::from_utf8_lossy(&got.stdout)
            )
        ))
    }];
    let same_end = want.code == got.code;
    verdicts.push(Verdict::new(
        same_end,
        format!(
            "it ends as {} does ({}){}",
            step.name,
            want.status,
            if same_end {
                String::new()
            } else {
                format!("; yours: {}", got.status)
            }
        ),
    ));
    verdicts
}

/// A page the step is: whether the reader's project has it.
pub fn has_page(file: &str, present: bool) -> Verdict {
    Verdict::new(
        present,
        format!("{file} is in your project's folder, next to Cargo.toml"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;
    use crate::server::{Ending, Finished};
    use crate::session::Reply;

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

    #[test]
    fn a_page_is_named_and_any_other_body_is_another() {
        let page = get("/", &ok_page(), End::Closed, 1);
        let Event::Exchange(x) = &page else {
            unreachable!()
        };
        assert_eq!(describe(x, &pages()), "HTTP/1.1 200 OK with hello.html");
        assert_eq!(
            describe(x, &Pages::default()),
            "HTTP/1.1 200 OK with another body"
        );
        let empty = get("/", b"HTTP/1.1 200 OK\r\n\r\n", End::Closed, 1);
        let Event::Exchange(x) = &empty else {
            unreachable!()
        };
        assert_eq!(describe(x, &pages()), "HTTP/1.1 200 OK with an empty body");
        let closed = get("/", b"", End::Reset, 1);
        let Event::Exchange(x) = &closed else {
            unreachable!()
        };
        assert_eq!(
            describe(x, &pages()),
            "no response (the server closes the connection)"
        );
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
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
        assert_eq!(
            verdicts[0].text,
            "GET /: HTTP/1.1 200 OK with your hello.html"
        );

        let mut yours = ours.clone();
        yours.events[1] = get("/does-not-exist", b"", End::Closed, 1);
        yours.server.stdout = "Request: GET /\n".into();
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert!(verdicts[0].holds);
        assert!(!verdicts[1].holds);
        assert!(
            verdicts[1]
                .text
                .ends_with("; yours: no response (the server closes the connection)"),
            "{}",
            verdicts[1].text
        );
        // The framing, then what it printed.
        assert!(verdicts[2].holds, "{}", verdicts[2].text);
        assert!(!verdicts[3].holds);
        assert!(
            verdicts[3].text.ends_with(
                ":\n  expected:\n    Request: GET / HTTP/1.1\n  yours:\n    Request: GET /\n"
            ),
            "{}",
            verdicts[3].text
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
            verdicts.last().unwrap().text,
            "the chapter's server crashes here; yours does not"
        );
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
        assert!(verdicts
            .iter()
            .any(|v| v.text.contains("crashes here, as the chapter's")));
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
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
        yours.events[1] = Event::AwaitedExit { exited: false };
        let verdicts = compare_sessions(step_20_5(), &ours, &yours, &pages(), &pages());
        assert!(!verdicts[1].holds);
        assert!(verdicts[1]
            .text
            .starts_with("the server shuts down by itself after two connections; yours printed"));
    }

    #[test]
    fn a_server_that_never_answers_is_told_so() {
        let ours = transcript(vec![get("/", &ok_page(), End::Closed, 1)], "");
        let silent = transcript(vec![get("/", b"", End::TimedOut, 3000)], "");
        let verdict = never_answers(&ours, &silent, Duration::from_secs(3)).unwrap();
        assert!(!verdict.holds);
        assert!(verdict.text.contains("within 3 s"), "{}", verdict.text);
        assert!(verdict.text.contains("and then write the response"));
        assert_eq!(
            never_answers(&ours, &ours.clone(), Duration::from_secs(3)),
            None
        );
        // The chapter's first steps answer nothing either: no verdict.
        assert_eq!(
            never_answers(&silent, &silent.clone(), Duration::from_secs(3)),
            None
        );
    }

    #[test]
    fn waiting_is_judged_with_wide_margins() {
        let secs = Duration::from_secs;
        let pool = find("listing-20-20").unwrap();
        let one_thread = find("listing-20-10").unwrap();
        assert!(compare_waiting(pool, secs(5), secs(5)).holds);
        assert!(compare_waiting(pool, secs(0), secs(0)).holds);
        let serialises = compare_waiting(pool, secs(0), secs(5));
        assert!(!serialises.holds && serialises.text.contains("your pool serialises jobs"));
        let one_at_a_time = compare_waiting(one_thread, secs(0), secs(5));
        assert!(one_at_a_time.text.contains("one connection at a time"));
        let too_soon = compare_waiting(one_thread, secs(5), secs(0));
        assert!(!too_soon.holds && too_soon.text.contains("at this step it should"));
        let close = compare_waiting(pool, secs(5), Duration::from_millis(2500));
        assert!(!close.holds && close.text.contains("too close to call"));
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
        assert!(fails_like(step, &report(false, &["E0507"])).holds);
        let other = fails_like(step, &report(false, &["E0599"]));
        assert!(!other.holds);
        assert!(
            other.text.contains(
                "yours: it fails with E0599, the error the chapter shows at no-listing-01"
            ),
            "{}",
            other.text
        );
        assert_eq!(other.shown.as_deref(), Some("error[E0599]: ...\n"));
        let typo = fails_like(step, &report(false, &["E0425"]));
        assert!(typo
            .text
            .contains("which the chapter never shows: a typo of yours?"));
        assert!(fails_like(step, &report(true, &[]))
            .text
            .contains("; it compiles"));
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
        assert!(same.iter().all(|v| v.holds), "{same:?}");
        let other = runs_like(
            step,
            &["stages"],
            &ran("7 files\n", 0),
            &ran("6 files\n", 1),
        );
        assert!(other.iter().all(|v| !v.holds), "{other:?}");
        assert!(other[1].text.ends_with("; yours: exit status: 1"));
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
            .find(|v| {
                v.text
                    .starts_with("its responses are framed as the chapter's")
            })
            .expect("a verdict on the framing")
    }

    #[test]
    fn a_response_framed_as_the_chapters_holds() {
        assert!(judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")).holds);
        // Header names are not case-sensitive.
        assert!(judged(framed("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n")).holds);
    }

    #[test]
    fn content_length_missing_or_wrong_is_named_with_what_the_chapter_sends() {
        let missing = judged(framed("HTTP/1.1 200 OK\r\n\r\n"));
        assert!(!missing.holds);
        assert_eq!(
            missing.text,
            "its responses are framed as the chapter's: a status line, headers, an empty line, \
             then the body; but it sends no Content-Length header: the chapter's server sends \
             `Content-Length: 10`, the body's length in bytes, so that a client knows where the \
             body ends"
        );
        let long = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n"));
        assert!(
            long.text.ends_with(
                "its Content-Length says 15 where its body has 10 bytes: a client waits for 5 \
                 more that never come (curl: \"transfer closed with 5 bytes remaining\")"
            ),
            "{}",
            long.text
        );
        let short = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n"));
        assert!(
            short.text.ends_with("a client stops reading 2 bytes early"),
            "{}",
            short.text
        );
        let nan = judged(framed(
            "HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n",
        ));
        assert!(
            nan.text.ends_with("which is not a number of bytes"),
            "{}",
            nan.text
        );
    }

    #[test]
    fn bare_line_feeds_and_a_missing_empty_line_are_named() {
        let bare = judged(framed("HTTP/1.1 200 OK\nContent-Length: 10\n\n"));
        assert!(!bare.holds);
        assert!(
            bare.text.ends_with("; but its lines end in `\\n` alone, where HTTP wants `\\r\\n` (the chapter's server writes `\\r\\n` after each line)"),
            "{}",
            bare.text
        );
        let no_empty_line = judged(framed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"));
        assert!(!no_empty_line.holds);
        assert!(
            no_empty_line
                .text
                .contains("; but no empty line ends its headers"),
            "{}",
            no_empty_line.text
        );
    }

    #[test]
    fn where_the_chapter_sends_no_content_length_none_is_wanted() {
        let bare = b"HTTP/1.1 200 OK\r\n\r\n";
        let ours = transcript(vec![get("/", bare, End::Closed, 1)], "");
        let verdicts = compare_sessions(step_20_5(), &ours, &ours.clone(), &pages(), &pages());
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
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
            ("listing-21-25", "Listing 21-23"),
            ("listing-20-25", "Listing 20-23"),
        ] {
            let verdicts = compare_sessions(find(name).unwrap(), &ours, &yours, &pages(), &pages());
            assert!(!verdicts[1].holds);
            assert_eq!(
                verdicts[1].text,
                format!(
                    "the server shuts down by itself after two connections; yours printed \
                     `Shutting down worker 0` and then nothing: its drop is joining worker 0, \
                     which still waits for a job, because the channel is still open (its \
                     sender was never dropped). {fix} drops the sender before the joins: \
                     `drop(self.sender.take());`"
                )
            );
        }
        yours.server.stdout = "Shutting down.\n".into();
        let verdicts = compare_sessions(
            find("listing-21-25").unwrap(),
            &ours,
            &yours,
            &pages(),
            &pages(),
        );
        assert!(verdicts[1].text.ends_with(
            "; yours is still running, and the last line it printed is `Shutting down.`"
        ));
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
            verdicts[1].text,
            "the server crashes here, as the chapter's does: both panic with `called \
             `Result::unwrap()` on an `Err` value: SendError { .. }`"
        );
    }

    #[test]
    fn the_hints_cite_the_readers_own_chapter() {
        let secs = Duration::from_secs;
        let hint = |name: &str| compare_waiting(find(name).unwrap(), secs(0), secs(5)).text;
        assert!(hint("listing-21-20").ends_with("see listing 21-21)"));
        assert!(hint("listing-20-20").ends_with("see listing 20-21)"));
        assert!(hint("listing-21-10").ends_with("(see listing 21-11)"));
        assert!(hint("beyond-06-pool-from-crates-io").ends_with("(see listing 21-11)"));
    }

    fn spare(panicked: bool, serves_on: bool, ending: Ending, stdout: &str) -> Spare {
        Spare {
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

    #[test]
    fn a_spare_connection_is_a_note_where_the_reader_does_as_the_chapter_and_a_failure_where_not() {
        let pool_panics = spare(true, true, Ending::Stopped, "");
        let note = spare_connection(&pool_panics, &pool_panics.clone()).unwrap();
        assert!(note.note && note.holds);
        assert!(
            note.text
                .starts_with("like the chapter's server, yours panics a worker"),
            "{}",
            note.text
        );
        assert!(note
            .text
            .ends_with("beyond-03-no-unwrap shows how to answer it instead"));

        let crashes = spare(true, false, Ending::Exited(101), "");
        let note = spare_connection(&crashes, &crashes.clone()).unwrap();
        assert!(
            note.text
                .starts_with("like the chapter's server, yours crashes"),
            "{}",
            note.text
        );

        let fine = spare(false, true, Ending::Stopped, "");
        let worse = spare_connection(&fine, &pool_panics).unwrap();
        assert!(!worse.holds && !worse.note);
        assert!(worse.text.contains("where the chapter's does not; it said:\n    called `Option::unwrap()` on a `None` value"), "{}", worse.text);
        let better = spare_connection(&pool_panics, &fine).unwrap();
        assert!(better.note && better.text.contains("where the chapter's panics"));
        assert_eq!(spare_connection(&fine, &fine.clone()), None);

        // A server that stops after two connections is not asked for `/`.
        let counts = spare(true, true, Ending::Exited(0), "");
        assert!(spare_connection(&counts, &counts.clone())
            .unwrap()
            .text
            .contains("`.take(2)` counts it as one of its two connections"));
        let prints = spare(
            false,
            false,
            Ending::Stopped,
            "Connection established!\nConnection established!\n",
        );
        assert!(spare_connection(&prints, &prints.clone())
            .unwrap()
            .text
            .contains("prints a line"));
    }
}
