//! `/` behind `/sleep`: whether the reader's server waits as the
//! chapter's does, and why a pool serialises.

use super::place;
use std::time::Duration;

use crate::registry::Step;
use crate::session::{NO_WAIT_UNDER, WAITS_AT_LEAST};

use crate::check::verdict::{Behaviour, Finding, Place, Reproduce, Serial, Status, Verdict, Wait};

/// How long `/` waited behind `/sleep` on a fresh server, with what else
/// the probe saw: the server's threads (where the OS tells) and the
/// workers that said they took a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Waited {
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
pub(crate) fn compare_waiting(step: &Step, expected: &Waited, actual: &Waited) -> Verdict {
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
pub(super) fn serial_cause(step: &Step, expected: &Waited, actual: &Waited) -> Serial {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::judge::testing::*;
    use crate::registry::find;

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
}
