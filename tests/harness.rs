//! The harness itself: servers never collide, a reader's own server does not
//! matter, a port in use is one sentence, and a failing test still kills
//! and reaps its server.

mod common;

use std::net::TcpListener;
use std::process::Command;
use std::thread;

use companion::server::{Network, Server, StartError};
use companion::session::{exchange, EXCHANGE_TIMEOUT};

fn isolated_or_skip(test: &str) -> bool {
    let isolated = Network::detect() == Network::Isolated;
    if !isolated {
        common::say_past_capture(&format!(
            "skipping {test}: this machine gives the servers no network namespace of their own"
        ));
    }
    isolated
}

#[test]
fn a_server_already_on_the_real_port_does_not_disturb_the_sessions() {
    if !isolated_or_skip("a_server_already_on_the_real_port_does_not_disturb_the_sessions") {
        return;
    }
    // Stand in for a stage the reader left running (if one is running, the
    // port is taken already, which shows the same).
    let _readers_server = TcpListener::bind("127.0.0.1:7878");
    let _server = common::start("listing-20-05");
    let reply = exchange("/", EXCHANGE_TIMEOUT).reply;
    assert_eq!(reply.status_line(), Some("HTTP/1.1 200 OK"));
}

#[test]
fn a_port_in_use_on_the_shared_network_is_reported_in_one_sentence() {
    if !isolated_or_skip("a_port_in_use_on_the_shared_network_is_reported_in_one_sentence") {
        return;
    }
    // A network of this thread's own stands in for the machine's, so the
    // test takes no real port.
    thread::spawn(|| {
        // SAFETY: unshare only changes this thread's namespaces.
        assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
        let up = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap();
        assert!(up.success());
        let _taken = TcpListener::bind("127.0.0.1:7878").unwrap();
        let exe = common::stage_exe("listing-20-01");
        let error = match Server::start_in(Network::Shared, &exe, companion::compile::root()) {
            Err(e) => e,
            Ok(_) => panic!("the server started on a port in use"),
        };
        assert!(matches!(error, StartError::PortInUse { .. }), "{error:?}");
        let message = error.to_string();
        let me = std::process::id();
        assert!(
            message.starts_with("127.0.0.1:7878 is already in use by ")
                && message.contains(&format!("(pid {me})"))
                && message.ends_with(": stop that server (ctrl-C in its terminal) and try again"),
            "{message}"
        );
        assert_eq!(message.lines().count(), 1);
    })
    .join()
    .unwrap();
}

#[test]
fn a_failing_test_still_kills_and_reaps_its_server() {
    let (pid_tx, pid_rx) = std::sync::mpsc::channel();
    let failed = thread::spawn(move || {
        let server = common::start("listing-20-10");
        pid_tx.send(server.pid()).unwrap();
        panic!("a failed assertion, with the server still running");
    })
    .join();
    assert!(failed.is_err());
    let pid = pid_rx.recv().unwrap();
    // Reaped, not merely killed: no /proc entry, not even a zombie.
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "server {pid} is still there"
    );
}

#[test]
fn many_servers_on_port_7878_run_side_by_side() {
    if !isolated_or_skip("many_servers_on_port_7878_run_side_by_side") {
        return;
    }
    let servers: Vec<_> = (0..8)
        .map(|_| {
            thread::spawn(|| {
                let _server = common::start("listing-20-20");
                let reply = exchange("/", EXCHANGE_TIMEOUT).reply;
                reply.status_line().map(str::to_string)
            })
        })
        .collect();
    for s in servers {
        assert_eq!(s.join().unwrap().as_deref(), Some("HTTP/1.1 200 OK"));
    }
}
