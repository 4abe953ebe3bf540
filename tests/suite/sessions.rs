//! Every step that compiles is a server: run each one for real, talk to it
//! the way the chapter does, and pin the raw bytes both ways and everything
//! the server printed (snapshots/<step>.session.snap).

use std::thread;

use companion::registry::{self, STEPS};
use companion::session::{self, hide_worker_ids, Transcript};

fn server_steps() -> impl Iterator<Item = &'static registry::Step> {
    STEPS.iter().filter(|s| s.is_server())
}

/// Every server step's session, run side by side (each server in a network
/// of its own where the machine allows; one at a time otherwise).
fn all_sessions() -> Vec<Transcript> {
    let handles: Vec<_> = server_steps()
        .map(|step| {
            thread::spawn(move || {
                let server = kit::start(step.name);
                session::run(step, server, session::Bounds::GENEROUS, &mut ())
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a session panicked"))
        .collect()
}

#[test]
fn every_server_step_behaves_as_its_pinned_session() {
    let transcripts = all_sessions();
    assert_eq!(transcripts.len(), server_steps().count());
    for t in &transcripts {
        // Which worker takes a job varies, so the snapshot hides the ids;
        // here: every id is one of the pool's four, and every job that a
        // worker ran was logged once.
        let (_, ids) = hide_worker_ids(&t.server.stdout);
        assert!(
            ids.iter().all(|&id| id < 4),
            "{}: worker ids {ids:?}",
            t.step
        );
        if !ids.is_empty() {
            let served = t.exchanges().filter(|x| !x.reply.bytes.is_empty()).count();
            assert_eq!(ids.len(), served, "{}: one log line per job", t.step);
        }
        kit::assert_pinned(
            &format!("{}.session", t.step),
            &format!(
                "cargo run --bin {}, then the chapter's requests on new connections to 127.0.0.1:7878",
                t.step
            ),
            &session::render(t),
        );
    }
}
