//! The scripted session of a step: the requests the chapter makes of that
//! step's server, sent as raw bytes, with the raw bytes that come back and
//! what the server printed. The snapshot tests, the tour and `check` all use
//! this one piece of code: the script and its one runner here, the client
//! in `client.rs`, the transcript as text in `render.rs`.

mod client;
mod render;

use std::time::Duration;

use crate::registry::{Serves, Step};
use crate::server::{Finished, Server};

pub use client::{exchange, request, root_behind_sleep, send_and_read, End, Exchange, Reply};
pub(crate) use render::sorted_lines;
pub use render::{hide_worker_ids, render, show_bytes};

/// How long the chapter's slow request sleeps.
pub(crate) const SLEEP: Duration = Duration::from_secs(5);

/// "`/` waits behind `/sleep`" means it took at least this long: a wide
/// margin under the chapter's 5 seconds.
pub const WAITS_AT_LEAST: Duration = Duration::from_secs(3);

/// "`/` does not wait" means it took less than this.
pub const NO_WAIT_UNDER: Duration = Duration::from_secs(2);

/// How long the session gives a server that closed a connection without a
/// response to finish dying, if it is dying.
pub const CRASH_GRACE: Duration = Duration::from_secs(1);

/// How long one exchange may take before we stop waiting for the server.
pub const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(15);

/// One thing a session does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Request this path on a new connection and read the reply.
    Get(&'static str),
    /// Wait for the server to exit by itself (the final step stops after
    /// two connections).
    AwaitExit,
}

/// The session that follows the chapter for `step`: `/`, `/sleep` where the
/// step has it, and a path that does not exist. A server that stops after
/// two connections gets the third request once it has exited.
pub fn script(serves: &Serves) -> Vec<Action> {
    let mut paths = vec!["/"];
    if serves.sleep_route {
        paths.push("/sleep");
    }
    paths.push("/does-not-exist");
    let mut actions: Vec<Action> = paths.into_iter().map(Action::Get).collect();
    if let Some(n) = serves.stops_after {
        actions.insert(n, Action::AwaitExit);
    }
    actions
}

/// What happened at one action of a session.
#[derive(Clone, Debug)]
pub enum Event {
    Exchange(Exchange),
    /// The session waited for the server to exit; whether it did.
    AwaitedExit {
        exited: bool,
    },
    /// After a request that got no response, the server turned out to have
    /// exited (it crashed on the request).
    Crashed {
        status: String,
    },
}

/// A whole session: what happened, in order, and what the server printed.
#[derive(Clone, Debug)]
pub struct Transcript {
    pub step: &'static str,
    pub events: Vec<Event>,
    pub server: Finished,
}

impl Transcript {
    /// The requests and replies, in order.
    pub fn exchanges(&self) -> impl Iterator<Item = &Exchange> {
        self.events.iter().filter_map(|e| match e {
            Event::Exchange(x) => Some(x),
            _ => None,
        })
    }

    /// Whether the session waited for the server to stop by itself.
    pub(crate) fn awaited_exit(&self) -> Option<bool> {
        self.events.iter().find_map(|e| match e {
            Event::AwaitedExit { exited } => Some(*exited),
            _ => None,
        })
    }
}

/// Told about a session as it goes (the tour shows progress with it).
pub trait Observer {
    fn before(&mut self, _action: &Action) {}
    fn after(&mut self, _event: &Event) {}
}

impl Observer for () {}

/// How long a session waits on a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// For one request's reply.
    pub reply: Duration,
    /// For the server to exit by itself, once its last connection is
    /// answered.
    pub exit: Duration,
}

impl Bounds {
    /// Wide enough for the chapter's servers on a loaded test machine.
    pub const GENEROUS: Bounds = Bounds {
        reply: EXCHANGE_TIMEOUT,
        exit: EXCHANGE_TIMEOUT,
    };
}

/// Run `step`'s session against `server` (the step's, or a reader's at that
/// step), within `bounds`, telling `observer` about each action before and
/// after it, and stop the server. A server that keeps a request's
/// connection open without sending a byte has no more requests made to
/// it: the rest of the script would only wait as long.
pub fn run(
    step: &'static Step,
    server: Server,
    bounds: Bounds,
    observer: &mut dyn Observer,
) -> Transcript {
    let serves = step
        .server()
        .unwrap_or_else(|| panic!("{} is not a server", step.name));
    let mut events = Vec::new();
    for action in script(&serves) {
        let silent = |e: &Event| matches!(e, Event::Exchange(x) if x.reply.bytes.is_empty() && x.reply.end == End::TimedOut);
        if events.last().is_some_and(silent) {
            break;
        }
        observer.before(&action);
        let first_new = events.len();
        match action {
            Action::Get(path) => {
                let x = exchange(&server, path, bounds.reply);
                let no_response = x.reply.is_no_response();
                let refused = x.reply.end == End::Refused;
                events.push(Event::Exchange(x));
                // A server that no longer listens may be on its way out:
                // give it the moment to finish, so that how it ended is
                // read as it ended, not as our stopping it.
                if refused {
                    server.wait_for_exit(CRASH_GRACE);
                }
                // A server that dies on a request closes that connection a
                // moment before it stops listening: wait for it to be gone,
                // so that the next request is refused every time rather than
                // sometimes caught in between.
                if no_response {
                    if let Some(status) = server.wait_for_exit(CRASH_GRACE) {
                        events.push(Event::Crashed {
                            status: status.to_string(),
                        });
                    }
                }
            }
            Action::AwaitExit => {
                let exited = server.wait_for_exit(bounds.exit).is_some();
                events.push(Event::AwaitedExit { exited });
                // A server that should have stopped and did not still holds
                // its port: the rest of the script would only wait on it.
                if !exited {
                    observer.after(events.last().expect("just pushed"));
                    break;
                }
            }
        }
        for event in &events[first_new..] {
            observer.after(event);
        }
    }
    Transcript {
        step: step.name,
        events,
        server: server.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_final_step_gets_its_third_request_after_it_exits() {
        let serves = |name: &str| crate::registry::find(name).unwrap().server().unwrap();
        assert_eq!(
            script(&serves("listing-20-25")),
            [
                Action::Get("/"),
                Action::Get("/sleep"),
                Action::AwaitExit,
                Action::Get("/does-not-exist")
            ]
        );
        assert_eq!(
            script(&serves("listing-20-01")),
            [Action::Get("/"), Action::Get("/does-not-exist")]
        );
        // Listing 21-23 as the text has it serves until it is stopped.
        assert_eq!(
            script(&serves("listing-21-23")),
            [
                Action::Get("/"),
                Action::Get("/sleep"),
                Action::Get("/does-not-exist")
            ]
        );
    }
}
