//! What only Linux offers the harness, in one place: a network namespace of
//! its own per server (`unshare -rn`, entered with `setns`), `/proc` for a
//! server's threads, its listener and the process holding a port, and
//! `PR_SET_PDEATHSIG`. Everything here is an improvement on the portable
//! path in `server.rs`, which runs on every OS and which `CH20_HARNESS=portable`
//! selects on Linux too.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// `unshare -rn` the server into a network namespace of its own, bring its
/// loopback up (a new namespace has it down), and exec the server, so that
/// the child's pid is the server's.
pub fn isolated_command(exe: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new("unshare");
    command
        .args(["-rn", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
        .arg(exe);
    command
}

/// Whether this machine gives servers a network of their own (asked once).
pub fn can_isolate() -> bool {
    static CAN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CAN.get_or_init(|| probe_isolation().is_ok())
}

/// Start a sleeping stand-in in a new namespace and enter it from a scratch
/// thread.
fn probe_isolation() -> io::Result<()> {
    let mut child = isolated_command("sleep")
        .arg("30")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let pid = child.id();
    let result = (|| {
        let ours = std::fs::read_link("/proc/self/ns/net")?;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = child.try_wait()? {
                return Err(io::Error::other(format!("unshare -rn failed: {status}")));
            }
            let theirs = std::fs::read_link(format!("/proc/{pid}/ns/net"))?;
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if theirs != ours && comm.trim() == "sleep" {
                break;
            }
            if Instant::now() >= deadline {
                return Err(io::Error::other("unshare -rn did not start"));
            }
            thread::sleep(Duration::from_millis(10));
        }
        thread::spawn(move || enter_network_of(pid))
            .join()
            .map_err(|_| io::Error::other("probe thread panicked"))?
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// Move the calling thread into the network namespace of process `pid`.
pub fn enter_network_of(pid: u32) -> io::Result<()> {
    let ns = File::open(format!("/proc/{pid}/ns/net"))?;
    // SAFETY: setns only reads the descriptor, which stays open for the call.
    let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Give the calling thread a network of its own, with its loopback up: a
/// stand-in for the machine's network in tests that take port 7878 (the
/// processes this thread starts from now on share it).
pub fn private_network_for_this_thread() -> io::Result<()> {
    // SAFETY: unshare only changes this thread's namespaces.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let up = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()?;
    if up.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!("ip link set lo up: {up}")))
    }
}

/// Have the kernel kill the server if the thread that started it goes away
/// without stopping it (a test thread that is itself killed, say).
pub fn kill_with_this_thread(command: &mut Command) {
    // SAFETY: prctl is async-signal-safe and touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// The number of threads process `pid` has now.
pub fn thread_count(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// How many of process `pid`'s threads are running or ready to run (state
/// `R`; 0 where /proc cannot tell).
pub fn runnable_threads(pid: u32) -> usize {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("stat"))
                .ok()
                .and_then(|stat| {
                    // The state follows the command name, which is in
                    // parentheses and may itself contain spaces.
                    let after = &stat[stat.rfind(')')? + 1..];
                    after.split_whitespace().next().map(|s| s == "R")
                })
                .unwrap_or(false)
        })
        .count()
}

/// Whether the network process `pid` sees has a socket listening on
/// 127.0.0.1:7878. With `own_network`, only once the process is in a network
/// other than the calling thread's: until unshare has run, the child's
/// /proc/net is still ours, and a server the reader has on the real port
/// must not count.
pub fn listening(pid: u32, own_network: bool) -> bool {
    if own_network {
        let ours = std::fs::read_link("/proc/thread-self/ns/net").ok();
        if std::fs::read_link(format!("/proc/{pid}/ns/net")).ok() == ours {
            return false;
        }
    }
    std::fs::read_to_string(format!("/proc/{pid}/net/tcp"))
        .is_ok_and(|table| listener_inode(&table).is_some())
}

/// The socket inode of the listener on 127.0.0.1:7878 in a /proc/net/tcp
/// table, if there is one. 0100007F:1EC6 is 127.0.0.1:7878 in /proc's
/// notation; state 0A is LISTEN.
fn listener_inode(table: &str) -> Option<String> {
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        (f.len() > 9 && f[1] == "0100007F:1EC6" && f[3] == "0A").then(|| f[9].to_string())
    })
}

/// The process listening on 127.0.0.1:7878 in the calling thread's network
/// (which may be a namespace of this thread's own): its name and pid.
pub fn port_holder() -> Option<(String, u32)> {
    let table = std::fs::read_to_string("/proc/thread-self/net/tcp").ok()?;
    let inode = listener_inode(&table)?;
    let target = PathBuf::from(format!("socket:[{inode}]"));
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        if fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).ok().as_ref() == Some(&target))
        {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            return Some((name.trim().to_string(), pid));
        }
    }
    None
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
