//! The harness itself: servers never collide, a reader's own server does not
//! matter, a port in use is one sentence, and a failing test still kills
//! and reaps its server.

#[cfg(target_os = "linux")]
use std::net::{TcpListener, TcpStream};
use std::thread;

#[cfg(target_os = "linux")]
use companion::server::{Network, ServerCommand, StartError};
#[cfg(target_os = "linux")]
use companion::session::{exchange, EXCHANGE_TIMEOUT};

/// Whether the servers each get a network of their own, as these tests of
/// it need (Linux only); where not, the test is skipped: on the portable
/// path, which the Linux path of the same CI run checks, or for a machine
/// that gives no namespaces (a failure under CI).
#[cfg(target_os = "linux")]
fn isolated_or_skip(test: &str) -> bool {
    if Network::detect() == Network::Isolated {
        return true;
    }
    if !kit::skip::on_the_portable_path(test, "it is about the networks of the Linux path") {
        kit::skip::cannot_run(
            test,
            "this machine gives the servers no network namespace of their own",
        );
    }
    false
}

#[cfg(target_os = "linux")]
#[test]
fn a_server_already_on_the_real_port_does_not_disturb_the_sessions() {
    if !isolated_or_skip("a_server_already_on_the_real_port_does_not_disturb_the_sessions") {
        return;
    }
    // Stand in for a stage the reader left running (if one is running, the
    // port is taken already, which shows the same).
    let _readers_server = TcpListener::bind("127.0.0.1:7878");
    let server = kit::start("listing-20-05");
    let reply = exchange(&server, "/", EXCHANGE_TIMEOUT).reply;
    assert_eq!(reply.response().status, Some("HTTP/1.1 200 OK"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_thread_that_started_a_server_stays_on_the_hosts_network() {
    if !isolated_or_skip("a_thread_that_started_a_server_stays_on_the_hosts_network") {
        return;
    }
    let host = TcpListener::bind("127.0.0.1:0").unwrap();
    let network = || std::fs::read_link("/proc/thread-self/ns/net").unwrap();
    let before = network();
    let server = kit::start("listing-20-05");
    assert_eq!(network(), before, "the thread left the host's network");
    // A listener of the host's loopback, made before the server started, is
    // still reached from here; the server is reached through itself.
    TcpStream::connect(host.local_addr().unwrap()).expect("the host's loopback");
    let reply = exchange(&server, "/", EXCHANGE_TIMEOUT).reply;
    assert_eq!(reply.response().status, Some("HTTP/1.1 200 OK"));
    drop(server);
    assert_eq!(network(), before);
}

#[cfg(target_os = "linux")]
#[test]
fn a_port_in_use_on_the_shared_network_is_reported_in_one_sentence() {
    // The portable path asks the OS's socket table for the whole process,
    // which does not see a network private to this thread: tests/tour.rs
    // checks that path in a process of its own.
    if !isolated_or_skip("a_port_in_use_on_the_shared_network_is_reported_in_one_sentence") {
        return;
    }
    port_in_use_in_a_private_network();
}

#[cfg(target_os = "linux")]
fn port_in_use_in_a_private_network() {
    // A network of this thread's own stands in for the machine's, so the
    // test takes no real port.
    thread::spawn(|| {
        kit::linux::private_network_for_this_thread().expect("a private network");
        let holder = kit::PortHolder::start();
        let exe = kit::stage_exe("listing-20-01");
        let start = ServerCommand::new(&exe)
            .current_dir(companion::compile::root())
            .network(Network::Shared)
            .start();
        let error = match start {
            Err(e) => e,
            Ok(_) => panic!("the server started on a port in use"),
        };
        assert!(matches!(error, StartError::PortInUse { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "127.0.0.1:7878 is already in use by listing-20-01 (pid {})",
                holder.pid()
            )) && message.ends_with(": stop that server (ctrl-C in its terminal) and try again"),
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
        let server = kit::start("listing-20-10");
        pid_tx.send(server.pid()).unwrap();
        panic!("a failed assertion, with the server still running");
    })
    .join();
    assert!(failed.is_err());
    let pid = pid_rx.recv().unwrap();
    #[cfg(not(target_os = "linux"))]
    kit::say_past_capture(&format!(
        "not checking that server {pid} was reaped: only Linux tells the tests"
    ));
    // Reaped, not merely killed: not even a zombie is left.
    #[cfg(target_os = "linux")]
    assert!(kit::linux::is_gone(pid), "server {pid} is still there");
}

#[cfg(target_os = "linux")]
#[test]
fn many_servers_on_port_7878_run_side_by_side() {
    if !isolated_or_skip("many_servers_on_port_7878_run_side_by_side") {
        return;
    }
    let servers: Vec<_> = (0..8)
        .map(|_| {
            thread::spawn(|| {
                let server = kit::start("listing-20-20");
                let reply = exchange(&server, "/", EXCHANGE_TIMEOUT).reply;
                reply.response().status.map(str::to_string)
            })
        })
        .collect();
    for s in servers {
        assert_eq!(s.join().unwrap().as_deref(), Some("HTTP/1.1 200 OK"));
    }
}
