//! A connection that sends nothing, as a browser's spare one.

use super::panic_in;
use crate::registry::Step;
use crate::server::Finished;
use crate::session::Reply;

use crate::check::verdict::{Behaviour, Finding, Place, Spare, Verdict};

/// What a server did with a connection that sent nothing, and then with
/// `GET /` (see `check::spare_connection`).
#[derive(Clone, Debug)]
pub(crate) struct SpareRun {
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
pub(crate) fn spare_connection(step: &Step, ours: &SpareRun, yours: &SpareRun) -> Option<Verdict> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::judge::testing::*;
    use crate::check::Status;

    use crate::server::Ending;
    use crate::session::End;

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
}
