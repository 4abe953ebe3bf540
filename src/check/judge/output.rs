//! What a server prints: too much, a line repeated without end, a panic,
//! a shutdown that hangs, and printing alike.

use super::place;
use crate::registry::Step;
use crate::server::Finished;
use crate::session::{hide_worker_ids, sorted_lines, Transcript};

use crate::check::verdict::{Behaviour, Finding, Panic, Place, Repeated, Reproduce, Verdict};

/// The first panic in what a server printed on stderr: `thread 'main'
/// (123) panicked at src/main.rs:26:52:` and its message on the next line.
pub(crate) fn panic_in(stderr: &str) -> Option<Panic> {
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

/// Where the reader's server printed far more than the chapter's (a loop
/// that prints and never ends): how much, how fast, the line it repeats
/// and, where that is the chapter's line for a closed channel, that the
/// worker's loop does not end. Everything else it did follows from that.
pub(crate) fn prints_too_much(
    step: &Step,
    expected: &Transcript,
    actual: &Transcript,
) -> Option<Verdict> {
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
pub(super) fn repeated_line(server: &Finished, chapters_stdout: &str) -> Option<Repeated> {
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
pub(super) fn hide_ids(line: &str) -> (String, Vec<usize>) {
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

/// What the two servers printed, with worker ids hidden; compared in any
/// order where the server shuts down (its threads print in any order),
/// and shown as each printed it.
pub(super) fn prints_alike(step: &Step, expected: &Transcript, actual: &Transcript) -> Verdict {
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
pub(super) fn hangs(stdout: &str) -> (Option<String>, Option<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::judge::compare_sessions;
    use crate::check::judge::testing::*;
    use crate::check::Status;
    use crate::registry::find;
    use crate::server::Ending;
    use crate::session::End;
    use crate::session::Event;

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
}
