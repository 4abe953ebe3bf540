//! The chapter's server of a step and the reader's, probed alike and side
//! by side: the step's session, `/` behind `/sleep`, a spare connection.

use std::io::Read;
use std::net::Shutdown;
use std::sync::{Arc, Mutex};
use std::thread;

use crate::registry::Step;
use crate::server::{Network, ServerCommand, StartError};
use crate::session::{self, Bounds, Transcript};
use crate::{Error, Result};

use super::judge::{SpareRun, Waited};

/// What was probed of one server of a step, each probe on a fresh server.
pub(super) struct Probed {
    /// The step's session.
    pub(super) session: std::result::Result<Transcript, StartError>,
    /// How long `/` waited behind `/sleep`, where the step has `/sleep`.
    pub(super) waited: Option<Result<Waited>>,
    /// A connection that sends nothing, where the chapter talks about
    /// browsers' spare connections: at its first listing (a line printed
    /// for each) and where its server stops after two connections (the
    /// spare one counts).
    pub(super) spare: Option<Result<SpareRun>>,
}

/// Probe the server `launch` starts as `step`'s: every probe at once where
/// each server gets a network of its own, so a check takes one `/sleep`,
/// not two.
pub(super) fn probe(step: &'static Step, launch: &ServerCommand, bounds: Bounds) -> Probed {
    let serves = step
        .server()
        .unwrap_or_else(|| panic!("{} is not a server", step.name));
    let spare_matters = step.previous().is_none() || serves.stops_after.is_some();
    let (session, (waited, spare)) = side_by_side(
        || {
            let server = launch.start()?;
            Ok(session::run(step, server, bounds, &mut ()))
        },
        || {
            side_by_side(
                || serves.sleep_route.then(|| waiting(launch, bounds)),
                || {
                    spare_matters
                        .then(|| spare_connection(launch, bounds, serves.stops_after.is_some()))
                },
            )
        },
    );
    Probed {
        session,
        waited,
        spare,
    }
}

/// [`probe`] of the chapter's own server of `step`, made the first time in
/// this process and kept: the step's server does the same every time, and
/// a watch (or the suite) checks the same step again and again. A run that
/// fails is not kept.
pub(super) fn the_chapters_own(step: &'static Step, launch: &ServerCommand) -> Probed {
    /// A probe of the chapter's server where every part of it succeeded.
    #[derive(Clone)]
    struct Kept {
        session: Transcript,
        waited: Option<Waited>,
        spare: Option<SpareRun>,
    }
    type Slot = Arc<Mutex<Option<Kept>>>;
    static KEPT: Mutex<Vec<(&str, Slot)>> = Mutex::new(Vec::new());
    let slot: Slot = {
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        match kept.iter().find(|(name, _)| *name == step.name) {
            Some((_, slot)) => slot.clone(),
            None => {
                let slot = Slot::default();
                kept.push((step.name, slot.clone()));
                slot
            }
        }
    };
    // Held while the probes are made: a second check of the step waits for
    // the first one's.
    let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = slot.as_ref() {
        return Probed {
            session: Ok(kept.session.clone()),
            waited: kept.waited.clone().map(Ok),
            spare: kept.spare.clone().map(Ok),
        };
    }
    let probed = probe(step, launch, Bounds::GENEROUS);
    if let (Ok(session), None | Some(Ok(_)), None | Some(Ok(_))) =
        (&probed.session, &probed.waited, &probed.spare)
    {
        *slot = Some(Kept {
            session: session.clone(),
            waited: probed
                .waited
                .as_ref()
                .and_then(|w| w.as_ref().ok().cloned()),
            spare: probed.spare.as_ref().and_then(|s| s.as_ref().ok().cloned()),
        });
    }
    probed
}

/// How long `/` waits behind `/sleep` on a fresh server, with the server's
/// threads once it has settled (where the OS tells) and the workers that
/// said they took the two jobs.
fn waiting(launch: &ServerCommand, bounds: Bounds) -> Result<Waited> {
    let server = launch.start()?;
    let threads = server.thread_count();
    let elapsed = session::root_behind_sleep(&server, bounds.reply)
        .map_err(Error::run("GET / behind GET /sleep"))?
        .elapsed;
    let (_, workers_seen) = session::hide_worker_ids(&server.finish().stdout);
    Ok(Waited {
        elapsed,
        threads,
        workers_seen,
    })
}

/// What a server does with a connection that sends nothing (a browser
/// opens such spare connections beside the one it uses): start it, open a
/// connection and close its sending side, read until the server is done
/// with it (so that a panic, printed before the connection is dropped, has
/// been printed), then ask for `/`.
///
/// A server that stops after a number of connections is not asked for
/// `/`: the chapter's own, whose drop then joins the panicked worker,
/// panics in turn and may exit before it answers.
fn spare_connection(launch: &ServerCommand, bounds: Bounds, stops: bool) -> Result<SpareRun> {
    let server = launch.start()?;
    let spare = (|| {
        let mut stream = server.connect(bounds.reply)?;
        stream.shutdown(Shutdown::Write)?;
        stream.set_read_timeout(Some(bounds.reply))?;
        stream.read_to_end(&mut Vec::new())
    })();
    let done = spare.is_ok();
    // A server that never let go of the spare connection has nothing more
    // to tell.
    let then = (done && !stops).then(|| session::exchange(&server, "/", bounds.reply).reply);
    if then
        .as_ref()
        .is_some_and(|r| r.is_no_response() || r.end == session::End::Refused)
    {
        server.wait_for_exit(session::CRASH_GRACE);
    }
    let finished = server.finish();
    Ok(SpareRun {
        done,
        panicked: finished.stderr.contains("panicked"),
        then,
        finished,
    })
}

/// Run two jobs side by side on scoped threads where each server gets a
/// network of its own; one after the other on the shared network, where
/// the servers take turns on the one port anyway.
pub(super) fn side_by_side<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if Network::detect() != Network::Isolated {
        return (a(), b());
    }
    thread::scope(|scope| {
        let b = scope.spawn(b);
        let a = a();
        let b = b
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}
