//! The check's judgements: what the step's server and the reader's did,
//! compared, in plain words. Pure functions of what the sessions recorded,
//! so that each verdict is tested with fake transcripts (below), without a
//! server.

use std::time::Duration;

use crate::compile::BuildReport;
use crate::registry::{Step, STEPS};
use crate::session::{
    hide_worker_ids, sorted_lines, End, Event, Exchange, Transcript, NO_WAIT_UNDER, WAITS_AT_LEAST,
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
    let status = r.status_line().unwrap_or("a response with no status line");
    match r.body().and_then(|b| pages.which(b)) {
        Some(file) => format!("{status} with {file}"),
        None if r.body().is_some_and(|b| b.is_empty()) => format!("{status} with an empty body"),
        None => format!("{status} with another body"),
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

/// The two sessions, event by event, then what the servers printed.
pub fn compare_sessions(
    expected: &Transcript,
    actual: &Transcript,
    ours: &Pages,
    yours: &Pages,
) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
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
                verdicts.push(Verdict::new(want == got, text.to_string()));
            }
            (Event::Crashed { .. }, Event::Crashed { .. }) => {
                verdicts.push(Verdict::holds(
                    "the server crashes here, as the chapter's does".into(),
                ));
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
    verdicts.push(prints_alike(expected, actual));
    verdicts
}

/// What the two servers printed, with worker ids hidden; sorted where the
/// server shuts down (its threads print in any order).
fn prints_alike(expected: &Transcript, actual: &Transcript) -> Verdict {
    let (want, _) = hide_worker_ids(&expected.server.stdout);
    let (got, _) = hide_worker_ids(&actual.server.stdout);
    let (want, got) = if expected.awaited_exit().is_some() {
        (sorted_lines(&want), sorted_lines(&got))
    } else {
        (want, got)
    };
    if want == got {
        Verdict::holds("it prints what the chapter's server prints".to_string())
    } else {
        Verdict::fails(format!(
            "it prints what the chapter's server prints; expected:\n{}yours:\n{}",
            indent(&want),
            indent(&got)
        ))
    }
}

/// `text` indented four spaces, or `(nothing)`.
pub fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (nothing)\n".to_string();
    }
    text.lines().map(|l| format!("    {l}\n")).collect()
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
        (Some(false), Some(true)) if pool => Verdict::fails(
            "`/` still waits behind `/sleep`: your pool serialises jobs (does a worker hold \
             the lock while it runs its job? see listing 20-21)"
                .into(),
        ),
        (Some(false), Some(true)) => Verdict::fails(
            "`/` still waits behind `/sleep`: your server handles one connection at a time \
             (see listing 20-11)"
                .into(),
        ),
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
            "{prints}; expected:\n{}yours:\n{}",
            indent(&String::from_utf8_lossy(&want.stdout)),
            indent(&String::from_utf8_lossy(&got.stdout))
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
        let verdicts = compare_sessions(&ours, &ours.clone(), &pages(), &pages());
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
        assert_eq!(
            verdicts[0].text,
            "GET /: HTTP/1.1 200 OK with your hello.html"
        );

        let mut yours = ours.clone();
        yours.events[1] = get("/does-not-exist", b"", End::Closed, 1);
        yours.server.stdout = "Request: GET /\n".into();
        let verdicts = compare_sessions(&ours, &yours, &pages(), &pages());
        assert!(verdicts[0].holds);
        assert!(!verdicts[1].holds);
        assert!(
            verdicts[1]
                .text
                .ends_with("; yours: no response (the server closes the connection)"),
            "{}",
            verdicts[1].text
        );
        assert!(!verdicts[2].holds);
        assert!(
            verdicts[2]
                .text
                .contains("expected:\n    Request: GET / HTTP/1.1\nyours:\n    Request: GET /\n"),
            "{}",
            verdicts[2].text
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
        let verdicts = compare_sessions(&ours, &yours, &pages(), &pages());
        assert_eq!(
            verdicts.last().unwrap().text,
            "the chapter's server crashes here; yours does not"
        );
        let verdicts = compare_sessions(&ours, &ours.clone(), &pages(), &pages());
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
        let verdicts = compare_sessions(&ours, &yours, &pages(), &pages());
        assert!(verdicts.iter().all(|v| v.holds), "{verdicts:?}");
        yours.events[1] = Event::AwaitedExit { exited: false };
        let verdicts = compare_sessions(&ours, &yours, &pages(), &pages());
        assert_eq!(
            verdicts[1],
            Verdict::fails("the server shuts down by itself after two connections".into())
        );
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
}
