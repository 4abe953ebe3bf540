//! What the tests do with processes and networks, where Linux lets them.

use std::io;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::Duration;

/// Give the calling thread a network of its own, with its loopback up: a
/// stand-in for the machine's network in tests that take port 7878 (the
/// processes this thread starts from now on share it).
pub fn private_network_for_this_thread() -> io::Result<()> {
    // SAFETY: unshare only changes this thread's namespaces.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        return Err(io::Error::last_os_error());
    }
    companion::linux::loopback_up()
}

/// Whether process `pid` is gone for good: killed *and* reaped (no /proc
/// entry, not even a zombie's).
pub fn is_gone(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

/// Start `command` in a process group of its own, for at most `bound`; then
/// kill the whole group (a browser leaves helper processes) and reap it.
pub fn run_group_bounded(mut command: Command, bound: Duration) -> io::Result<Output> {
    let child: Child = command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let group = child.id() as i32;
    let (done, finished) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let output = finished.recv_timeout(bound);
    // SAFETY: kill() with a negative pid signals our own child's group.
    unsafe { libc::kill(-group, libc::SIGKILL) };
    match output {
        Ok(output) => output,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("{command:?} did not finish within {bound:?}"),
        )),
    }
}

/// Close `stream` with a reset instead of an orderly close (`SO_LINGER`
/// with a zero timeout), as a client that gives up abruptly does: the
/// server's next read or write on it fails.
pub fn close_with_reset(stream: std::net::TcpStream) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket this function owns, with a value of
    // the size it says.
    let set = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if set != 0 {
        return Err(io::Error::last_os_error());
    }
    drop(stream);
    Ok(())
}
