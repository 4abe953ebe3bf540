//! The two sessions compared, exchange by exchange: what each reply is,
//! how it is framed, and a server that never answers.

use super::{hangs, panic_in, place, prints_alike, reply_place, Pages};
use std::time::Duration;

use crate::http::Response;
use crate::registry::Step;
use crate::server::Ending;
use crate::session::{End, Event, Reply, Transcript};

use crate::check::verdict::{
    Behaviour, Body, Fault, Finding, Place, Reproduce, Seen, Shape, Verdict,
};

/// The reply as a reader would describe it; `pages` names the page a body
/// is, if it is one.
pub(super) fn shape(r: &Reply, pages: &Pages) -> Shape {
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
pub(super) fn framing_faults(expected: &Reply, actual: &Reply) -> Vec<Fault> {
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

/// Whether a server answered anything: a byte, or a connection it closed.
pub(super) fn answers(t: &Transcript) -> bool {
    t.exchanges()
        .any(|x| !x.reply.bytes.is_empty() || x.reply.end != End::TimedOut)
}

/// Where the reader's server takes connections and never answers, while the
/// chapter's does: the one verdict that says so (its waiting says nothing
/// about threads, and the rest of its session was not run).
pub(crate) fn never_answers(
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
pub(super) fn chapters_with_yours(expected: &Reply, ours: &Pages, yours: &Pages) -> Vec<u8> {
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
pub(crate) fn compare_sessions(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::judge::testing::*;
    use crate::check::Status;

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
}
