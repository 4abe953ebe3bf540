//! The check's judgements: what the step's server and the reader's did,
//! compared, as [`Verdict`] values (their words are `words.rs`'s). Pure
//! functions of what the sessions and probes recorded, so that each
//! verdict, and each cause it names, is tested with fake evidence (each
//! file's tests, with what `testing.rs` makes), without a server. One file
//! per judgement.

mod build;
mod notes;
mod output;
mod pages;
mod places;
mod reply;
mod spare;
#[cfg(test)]
mod testing;
mod waiting;

pub(crate) use build::{does_not_start, fails_like, runs_like, shown_at, Ran};
pub(crate) use notes::notes;
pub(crate) use output::{panic_in, prints_too_much};
pub(crate) use pages::{has_page, page_not_in_folder, Pages};
pub(crate) use reply::{compare_sessions, never_answers};
pub(crate) use spare::{spare_connection, SpareRun};
pub(crate) use waiting::{compare_waiting, Waited};

use output::{hangs, prints_alike};
use places::{place, reply_place};
