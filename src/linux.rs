//! What only Linux offers the harness, in one place: a network namespace
//! of its own per server (made as `unshare -rn` makes it, joined with
//! `setns` by the threads and programs that reach it), `/proc` for a
//! server's threads and the process holding a port, the kernel's socket
//! diagnostics (netlink) for its listener, `PR_SET_PDEATHSIG` and
//! `RLIMIT_AS`. Everything here improves on the portable path in
//! `server/`, which runs on every OS and which `CH20_HARNESS=portable`
//! selects on Linux too.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::fs::{Mode, OFlags};
use rustix::process::{self, Resource, Rlimit, Signal};
use rustix::thread::{self, LinkNameSpaceType, UnshareFlags};

/// The command for a server that starts in a network of its own: between
/// fork and exec the child does what `unshare -rn` and `ip link set lo up`
/// do (a user namespace that maps us to root, so no privilege is needed,
/// and in it a network namespace whose loopback is brought up), so that the
/// child's pid is the server's and no helper program runs per server.
pub(crate) fn isolated_command(exe: impl AsRef<std::ffi::OsStr>) -> Command {
    // Prepared before the fork: the child may only make async-signal-safe
    // calls, which rules out allocating.
    let uid_map = format!("0 {} 1", process::geteuid().as_raw());
    let gid_map = format!("0 {} 1", process::getegid().as_raw());
    let mut command = Command::new(exe);
    // SAFETY: the closure only makes system calls (unshare, open, write,
    // close, socket, ioctl) on memory prepared above. Unsharing the user
    // and network namespaces leaves the file table shared, which is what
    // `unshare_unsafe` asks us to mind.
    unsafe {
        command.pre_exec(move || {
            thread::unshare_unsafe(UnshareFlags::NEWUSER | UnshareFlags::NEWNET)?;
            write_own_proc_file(c"/proc/self/setgroups", b"deny")?;
            write_own_proc_file(c"/proc/self/uid_map", uid_map.as_bytes())?;
            write_own_proc_file(c"/proc/self/gid_map", gid_map.as_bytes())?;
            loopback_up()
        });
    }
    command
}

/// Write `content` to a file of /proc with bare system calls (safe between
/// fork and exec). The kernel takes a map in one write or not at all.
fn write_own_proc_file(path: &std::ffi::CStr, content: &[u8]) -> io::Result<()> {
    let fd = rustix::fs::open(path, OFlags::WRONLY | OFlags::CLOEXEC, Mode::empty())?;
    let written = rustix::io::write(&fd, content)?;
    if written == content.len() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::WriteZero,
            "the kernel took part of a namespace's map",
        ))
    }
}

/// The network namespace of a process, held open: a thread of its own
/// joins it to reach what listens there, and so does a program started to
/// talk to it (between fork and exec), while the caller's threads stay in
/// their own network.
pub(crate) struct NetworkOf(Arc<OwnedFd>);

impl NetworkOf {
    /// The network of process `pid`.
    pub(crate) fn process(pid: u32) -> io::Result<NetworkOf> {
        let ns = File::open(format!("/proc/{pid}/ns/net"))?;
        Ok(NetworkOf(Arc::new(ns.into())))
    }

    /// Run `f` on a thread of its own that has joined this network.
    pub(crate) fn reach<T: Send>(&self, f: impl FnOnce() -> T + Send) -> io::Result<T> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    enter(&self.0)?;
                    Ok(f())
                })
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Have the process `command` starts join this network before it runs.
    #[cfg(feature = "_kit")]
    pub(crate) fn join_in(&self, command: &mut Command) {
        let ns = Arc::clone(&self.0);
        // SAFETY: setns is a bare system call on a descriptor the closure
        // keeps open.
        unsafe {
            command.pre_exec(move || enter(&ns));
        }
    }
}

/// Move the calling thread into the network namespace `ns`.
fn enter(ns: &OwnedFd) -> io::Result<()> {
    thread::move_into_link_name_space(ns.as_fd(), Some(LinkNameSpaceType::Network))?;
    Ok(())
}

/// Bring up the loopback of the calling thread's network (a new network
/// has it down), as `ip link set lo up` does, with bare system calls (safe
/// between fork and exec).
pub fn loopback_up() -> io::Result<()> {
    // SAFETY: ifreq is plain old data; the ioctls read and write only it;
    // the descriptor is closed before returning.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        request.ifr_name[0] = b'l' as libc::c_char;
        request.ifr_name[1] = b'o' as libc::c_char;
        let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS as _, &mut request);
        if rc == 0 {
            request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            rc = libc::ioctl(fd, libc::SIOCSIFFLAGS as _, &request);
        }
        let result = if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        };
        libc::close(fd);
        result
    }
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
                return Err(io::Error::other(format!(
                    "a process in a network of its own failed: {status}"
                )));
            }
            let theirs = std::fs::read_link(format!("/proc/{pid}/ns/net"))?;
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if theirs != ours && comm.trim() == "sleep" {
                break;
            }
            if Instant::now() >= deadline {
                return Err(io::Error::other(
                    "a process in a network of its own did not start",
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        NetworkOf::process(pid)?.reach(|| ())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// Have the kernel kill the server if the thread that started it goes away
/// without stopping it (a test thread that is itself killed, say).
pub(crate) fn kill_with_this_thread(command: &mut Command) {
    // SAFETY: prctl is a bare system call that touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            process::set_parent_process_death_signal(Some(Signal::KILL))?;
            Ok(())
        });
    }
}

/// Cap the address space of the process `command` starts at `bytes`: a
/// reader's server that allocates or spawns threads without end then fails
/// to (and says so) before it takes the machine's memory.
pub(crate) fn limit_address_space(command: &mut Command, bytes: u64) {
    let limit = Rlimit {
        current: Some(bytes),
        maximum: Some(bytes),
    };
    // SAFETY: setrlimit is a bare system call that reads only the limit,
    // which the closure owns.
    unsafe {
        command.pre_exec(move || {
            process::setrlimit(Resource::As, limit)?;
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

/// The most memory process `pid` has had resident, in KiB, as far as the
/// kernel has kept count (`VmHWM`), and at least what it has resident now
/// (`VmRSS`): the kernel updates its mark lazily, and memory given back
/// with `munmap` (a thread's stack, a large buffer) may never reach it. To
/// know a peak, sample this while the process runs.
pub fn peak_resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|kib| kib.trim().strip_suffix("kB"))
            .and_then(|kib| kib.trim().parse::<u64>().ok())
    };
    kib("VmHWM:").max(kib("VmRSS:"))
}

/// How many of process `pid`'s threads are running or ready to run (state
/// `R`; 0 where /proc cannot tell).
pub(crate) fn runnable_threads(pid: u32) -> usize {
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
/// other than the calling thread's: until the child has left it, its
/// network is still ours, and a server the reader has on the real port
/// must not count.
pub fn listening(pid: u32, own_network: bool) -> bool {
    if !own_network {
        return listener_inode().is_ok_and(|inode| inode.is_some());
    }
    let ours = std::fs::read_link("/proc/thread-self/ns/net").ok();
    if std::fs::read_link(format!("/proc/{pid}/ns/net")).ok() == ours {
        return false;
    }
    // A scratch thread asks from inside the server's network, which the
    // calling thread enters only once the server is ready.
    NetworkOf::process(pid)
        .and_then(|network| network.reach(listener_inode))
        .is_ok_and(|inode| inode.is_ok_and(|i| i.is_some()))
}

/// The socket inode of the listener on 127.0.0.1:7878 (or on every address,
/// which 127.0.0.1:7878 also reaches) in the calling thread's network, if
/// there is one. The kernel's socket diagnostics over netlink list only the
/// listening sockets; /proc/net/tcp, the fallback, walks the whole connection
/// table each read (one table for all namespaces: 262144 buckets, 4 ms a
/// read, on our CI machines), which dozens of starting servers made a
/// second of the suite's CPU.
fn listener_inode() -> io::Result<Option<u32>> {
    listener_inode_by_netlink().or_else(|_| {
        let table = std::fs::read_to_string("/proc/thread-self/net/tcp")?;
        Ok(listener_inode_in_table(&table))
    })
}

/// [`listener_inode`] through a `SOCK_DIAG_BY_FAMILY` dump of the TCP/IPv4
/// sockets in state LISTEN (linux/inet_diag.h), built and read with the
/// netlink-packet crates.
fn listener_inode_by_netlink() -> io::Result<Option<u32>> {
    use netlink_packet_core::{
        NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
    };
    use netlink_packet_sock_diag::constants::{AF_INET, IPPROTO_TCP};
    use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
    use netlink_packet_sock_diag::SockDiagMessage;
    use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket};
    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
    const WANTED: [SocketAddr; 2] = [
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878)),
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 7878)),
    ];
    let socket = Socket::new(NETLINK_SOCK_DIAG)?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let mut request = NetlinkMessage::new(
        header,
        SockDiagMessage::InetRequest(InetRequest {
            family: AF_INET,
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::empty(),
            states: StateFlags::LISTEN,
            socket_id: SocketId::new_v4(),
        })
        .into(),
    );
    request.finalize();
    let mut bytes = vec![0u8; request.buffer_len()];
    request.serialize(&mut bytes);
    // With no address the kernel is the receiver.
    socket.send(&bytes, 0)?;
    let mut found = None;
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = socket.recv(&mut &mut buf[..], 0)?;
        let mut messages = &buf[..n];
        while !messages.is_empty() {
            let message = NetlinkMessage::<SockDiagMessage>::deserialize(messages)
                .map_err(io::Error::other)?;
            match message.payload {
                NetlinkPayload::Done(_) => return Ok(found),
                NetlinkPayload::Error(error) => return Err(error.to_io()),
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(response)) => {
                    let id = &response.header.socket_id;
                    if WANTED.contains(&SocketAddr::new(id.source_address, id.source_port)) {
                        found = Some(response.header.inode);
                    }
                }
                _ => {}
            }
            let len = message.header.length as usize;
            messages = messages.get((len + 3) & !3..).unwrap_or_default();
        }
    }
}

/// The socket inode of the listener on 127.0.0.1:7878 (or 0.0.0.0:7878) in
/// a /proc/net/tcp table, if there is one. 0100007F:1EC6 is 127.0.0.1:7878
/// in /proc's notation; state 0A is LISTEN.
fn listener_inode_in_table(table: &str) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        (f.len() > 9 && matches!(f[1], "0100007F:1EC6" | "00000000:1EC6") && f[3] == "0A")
            .then(|| f[9].parse().ok())
            .flatten()
    })
}

/// The TCP ports process `pid` listens on (IPv4 and IPv6), in whatever
/// network it is: `/proc/<pid>/net` shows the tables of the process's own
/// network namespace, and its open sockets are in `/proc/<pid>/fd`.
pub(crate) fn listening_ports(pid: u32) -> Vec<u16> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    let sockets: Vec<String> = fds
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy();
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    let mut ports = Vec::new();
    for table in ["tcp", "tcp6"] {
        let Ok(table) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else {
            continue;
        };
        for line in table.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() > 9 && f[3] == "0A" && sockets.iter().any(|s| s == f[9]) {
                if let Some(port) = f[1]
                    .rsplit_once(':')
                    .and_then(|(_, port)| u16::from_str_radix(port, 16).ok())
                {
                    ports.push(port);
                }
            }
        }
    }
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// The process listening on 127.0.0.1:7878 in the calling thread's network
/// (which may be a namespace of this thread's own): its name and pid.
pub fn port_holder() -> Option<(String, u32)> {
    let inode = listener_inode().ok()??;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ports_a_process_listens_on_are_read_from_its_own_tables() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let ports = listening_ports(std::process::id());
        assert!(ports.contains(&port), "{port} not in {ports:?}");
        drop(listener);
        assert!(!listening_ports(std::process::id()).contains(&port));
    }

    #[test]
    fn the_peak_resident_memory_rises_with_memory_touched() {
        let me = std::process::id();
        let before = peak_resident_kib(me).expect("our own /proc/self/status");
        // 64 MiB, every page written, so that it is resident.
        let touched = vec![1u8; 64 << 20];
        let after = peak_resident_kib(me).unwrap();
        assert!(
            after >= before + 60 * 1024,
            "{before} KiB, then {after} KiB"
        );
        drop(std::hint::black_box(touched));
        assert_eq!(peak_resident_kib(u32::MAX), None);
    }

    /// The kernel's socket diagnostics and /proc/net/tcp name the same
    /// listener, in a network of this test thread's own: none, then the one
    /// it opens on 127.0.0.1:7878 (not one on another port or another
    /// loopback address, nor a connection it accepts on 127.0.0.1:7878), then
    /// none, then one on 0.0.0.0:7878, then none.
    #[test]
    fn netlink_and_proc_agree_on_the_listener() {
        if !can_isolate() {
            eprintln!("skipping: no network namespaces here");
            return;
        }
        std::thread::spawn(|| {
            // SAFETY: unshare only changes this thread's namespaces.
            assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0);
            loopback_up().expect("a private network");
            let table = || {
                let table = std::fs::read_to_string("/proc/thread-self/net/tcp").unwrap();
                listener_inode_in_table(&table)
            };
            assert_eq!(listener_inode_by_netlink().unwrap(), None);
            let _elsewhere = std::net::TcpListener::bind("127.0.0.1:7879").unwrap();
            assert_eq!(listener_inode_by_netlink().unwrap(), None);
            let other_address = std::net::TcpListener::bind("127.0.0.2:7878").unwrap();
            assert_eq!(listener_inode_by_netlink().unwrap(), None);
            assert_eq!(table(), None);
            drop(other_address);
            let listener = std::net::TcpListener::bind("127.0.0.1:7878").unwrap();
            // A connection, accepted: a socket on 127.0.0.1:7878 too, but
            // not a listening one.
            let _client = std::net::TcpStream::connect("127.0.0.1:7878").unwrap();
            let _accepted = listener.accept().unwrap();
            let inode = listener_inode_by_netlink().unwrap();
            assert!(inode.is_some());
            assert_eq!(inode, table());
            let holder = port_holder().expect("a holder");
            assert_eq!(holder.1, std::process::id());
            drop(listener);
            assert_eq!(listener_inode_by_netlink().unwrap(), None);
            assert_eq!(table(), None);
            let everywhere = std::net::TcpListener::bind("0.0.0.0:7878").unwrap();
            let inode = listener_inode_by_netlink().unwrap();
            assert!(inode.is_some());
            assert_eq!(inode, table());
            drop(everywhere);
            assert_eq!(listener_inode_by_netlink().unwrap(), None);
            assert_eq!(table(), None);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn the_table_names_a_listener_on_loopback_or_every_address_only() {
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        let row = |local: &str, state: &str, inode: u32| {
            format!("   0: {local} 00000000:0000 {state} 00000000:00000000 00:00000000 00000000     0        0 {inode} 1 0 100 0 0 10 0\n")
        };
        let table = |rows: &[String]| format!("{header}{}", rows.concat());
        assert_eq!(listener_inode_in_table(&table(&[])), None);
        assert_eq!(
            listener_inode_in_table(&table(&[row("0100007F:1EC6", "0A", 42)])),
            Some(42)
        );
        assert_eq!(
            listener_inode_in_table(&table(&[row("00000000:1EC6", "0A", 43)])),
            Some(43)
        );
        // Another port, another address, or a connection rather than a listener.
        assert_eq!(
            listener_inode_in_table(&table(&[row("0100007F:1EC7", "0A", 44)])),
            None
        );
        assert_eq!(
            listener_inode_in_table(&table(&[row("0200007F:1EC6", "0A", 45)])),
            None
        );
        assert_eq!(
            listener_inode_in_table(&table(&[row("0100007F:1EC6", "01", 46)])),
            None
        );
    }
}
