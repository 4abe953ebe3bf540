//! Start a stage's server, wait until it listens, stop it and reap it.
//!
//! Every stage binds `127.0.0.1:7878`, as in the book. The portable path,
//! which runs on every OS: the servers take turns on the real port, behind
//! a file lock; one is ready when the OS's socket table shows it listening
//! (never by connecting to it: an empty connection panics several stages,
//! and listing 20-25 counts its connections); a port already in use is
//! reported in one sentence that names its holder; and every server is
//! killed and reaped when its `Server` is dropped, when a test fails, or
//! when the tour is interrupted ([`stop_all`]).
//!
//! Where Linux lets us (user and network namespaces, as `unshare -rn` makes
//! them, and the right to enter them), each server gets a network namespace
//! of its own instead, with its own loopback: any number of them run side
//! by side, and a server the reader has running on the real 7878 does not
//! matter. The thread that starts such a server joins its namespace, so
//! that its connections (and the processes it spawns, like curl) reach that
//! server. That, and what
//! else only Linux tells us, is in `crate::linux`; `CH20_HARNESS=portable`
//! turns all of it off, to prove the portable path on Linux.

use std::fs::File;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

#[cfg(target_os = "linux")]
use crate::linux;

/// The address space a reader's server may have (see
/// [`Server::start_readers`]): far more than any server of the chapter
/// needs (a few MiB, and 8 MiB of stack reserved per thread).
pub const READERS_ADDRESS_SPACE: u64 = 2 << 30;

/// The address every stage listens on.
pub const ADDRESS: &str = "127.0.0.1:7878";

/// The port of [`ADDRESS`].
const PORT: u16 = 7878;

/// How long a server may take to start listening, on a loaded machine.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether the harness keeps to its portable path (`CH20_HARNESS=portable`),
/// or, on Linux, uses what Linux offers (`crate::linux`).
pub fn portable_only() -> bool {
    !cfg!(target_os = "linux") || std::env::var("CH20_HARNESS").as_deref() == Ok("portable")
}

/// Where the servers' network comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// A network namespace of its own per server (Linux, as `unshare -rn`
    /// makes it).
    Isolated,
    /// The machine's own loopback, one server at a time.
    Shared,
}

impl Network {
    /// The network this machine gives us: `Isolated` where a namespace can
    /// be made and entered, `Shared` otherwise (and on the portable path).
    /// `CH20_NETWORK=shared` asks for the shared network on Linux too.
    pub fn detect() -> Network {
        static DETECTED: OnceLock<Network> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            if portable_only() || std::env::var("CH20_NETWORK").as_deref() == Ok("shared") {
                return Network::Shared;
            }
            #[cfg(target_os = "linux")]
            if linux::can_isolate() {
                return Network::Isolated;
            }
            Network::Shared
        })
    }
}

/// Why a server could not be started.
#[derive(Debug)]
pub enum StartError {
    /// Something already listens on the real 127.0.0.1:7878.
    PortInUse {
        holder: Option<String>,
    },
    /// The server exited before it listened.
    ExitedEarly {
        status: ExitStatus,
        stderr: String,
    },
    /// It runs, and did not listen within this bound.
    NeverListened(Duration),
    /// It listens, but on another port.
    ListensElsewhere {
        port: u16,
    },
    Io(io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::PortInUse { holder } => write!(
                f,
                "{ADDRESS} is already in use{}: stop that server (ctrl-C in its terminal) and try again",
                holder.as_ref().map(|h| format!(" by {h}")).unwrap_or_default()
            ),
            StartError::ExitedEarly { status, stderr } => {
                write!(f, "the server exited ({status}) before it listened on {ADDRESS}")?;
                if !stderr.trim().is_empty() {
                    write!(f, "; it said:\n{}", stderr.trim_end())?;
                }
                Ok(())
            }
            StartError::NeverListened(within) => write!(
                f,
                "the server runs, but did not listen on {ADDRESS} within {} s",
                within.as_secs()
            ),
            StartError::ListensElsewhere { port } => write!(
                f,
                "the server listens on port {port}, not on {ADDRESS}: the chapter's servers \
                 bind {ADDRESS} (`TcpListener::bind(\"{ADDRESS}\")`), and that is where the \
                 requests go"
            ),
            StartError::Io(e) => write!(f, "could not start the server: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<io::Error> for StartError {
    fn from(e: io::Error) -> Self {
        StartError::Io(e)
    }
}

/// How a server ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It exited by itself, with this code.
    Exited(i32),
    /// It died without an exit code, of something other than our stopping
    /// it (a crash: a signal, on Unix); as the OS describes it.
    Died(String),
    /// It was still running and we stopped it.
    Stopped,
}

/// What a server printed, and how it ended.
#[derive(Clone, Debug)]
pub struct Finished {
    /// What it printed on stdout, as far as it is kept ([`Printed::text`]).
    pub stdout: String,
    pub stderr: String,
    pub ending: Ending,
    /// How much it printed on stdout in all, and over how long.
    pub printed: Printed,
}

/// Every server process running now, so that an interrupted tour can stop
/// them (see [`stop_all`]); `stopping` once it has, after which no server
/// starts; and how many are being spawned (not yet listed). [`stop_all`]
/// waits for those, so that none slips between spawn and list and outlives
/// it; the spawns themselves run side by side.
static RUNNING: Mutex<Running> = Mutex::new(Running {
    children: Vec::new(),
    stopping: false,
    spawning: 0,
});

/// Whether [`stop_all`] has run (or is running).
pub fn stopping() -> bool {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner()).stopping
}

/// Signalled when a spawn in flight has been listed.
static LISTED: std::sync::Condvar = std::sync::Condvar::new();

struct Running {
    children: Vec<Weak<Mutex<Child>>>,
    stopping: bool,
    spawning: usize,
}

/// Kill and reap every server still running, and start none from now on:
/// what the tour does when the reader presses ctrl-C, before it exits.
pub fn stop_all() {
    let running = {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.stopping = true;
        while running.spawning > 0 {
            running = LISTED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        std::mem::take(&mut running.children)
    };
    for child in running.iter().filter_map(Weak::upgrade) {
        let mut child = child.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A running server. Dropping it kills and reaps the process (also when a
/// test fails half-way).
pub struct Server {
    child: Arc<Mutex<Child>>,
    pid: u32,
    stdout: Option<JoinHandle<Printed>>,
    stderr: Option<JoinHandle<Printed>>,
    stdout_so_far: Arc<Mutex<Printed>>,
    exited: Option<ExitStatus>,
    network: Network,
    _port_lock: Option<File>,
    /// Dropped to let the readers of its output end (see [`collect`]).
    stop_reading: Option<std::sync::mpsc::Sender<()>>,
}

impl Server {
    /// Start `exe` in `cwd` and wait until it listens on 127.0.0.1:7878. In
    /// an isolated network, the calling thread joins the server's network
    /// namespace: connect from this thread (or threads and processes it
    /// starts from now on).
    pub fn start(exe: &Path, cwd: &Path) -> Result<Server, StartError> {
        Server::start_in(Network::detect(), exe, cwd)
    }

    /// [`Server::start`], giving up on a server that runs and does not
    /// listen after `bound` (a reader's, whose step binds first thing).
    pub fn start_within(exe: &Path, cwd: &Path, bound: Duration) -> Result<Server, StartError> {
        Server::spawn(Network::detect(), exe, &[], cwd, bound, None)
    }

    /// [`Server::start_within`], for a reader's server: its address space is
    /// capped at [`READERS_ADDRESS_SPACE`] where the OS lets us (Linux), so
    /// that one that spawns threads or allocates without end fails before
    /// it takes the machine's memory.
    pub fn start_readers(exe: &Path, cwd: &Path, bound: Duration) -> Result<Server, StartError> {
        Server::spawn(
            Network::detect(),
            exe,
            &[],
            cwd,
            bound,
            Some(READERS_ADDRESS_SPACE),
        )
    }

    /// [`Server::start`] in the given network.
    pub fn start_in(network: Network, exe: &Path, cwd: &Path) -> Result<Server, StartError> {
        Server::start_with_args(network, exe, &[], cwd)
    }

    /// [`Server::start_in`], with arguments for `exe`.
    pub fn start_with_args(
        network: Network,
        exe: &Path,
        args: &[&str],
        cwd: &Path,
    ) -> Result<Server, StartError> {
        Server::spawn(network, exe, args, cwd, START_TIMEOUT, None)
    }

    fn spawn(
        network: Network,
        exe: &Path,
        args: &[&str],
        cwd: &Path,
        bound: Duration,
        address_space: Option<u64>,
    ) -> Result<Server, StartError> {
        let (mut command, port_lock) = match network {
            #[cfg(target_os = "linux")]
            Network::Isolated => (linux::isolated_command(exe), None),
            #[cfg(not(target_os = "linux"))]
            Network::Isolated => unreachable!("only Linux gives a server a network of its own"),
            Network::Shared => {
                let lock = lock_port()?;
                port_is_free()?;
                (Command::new(exe), Some(lock))
            }
        };
        command
            .args(args)
            .current_dir(cwd)
            // A panic then reads as it does for a reader with a default
            // environment, without a backtrace.
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        if !portable_only() {
            linux::kill_with_this_thread(&mut command);
            if let Some(bytes) = address_space {
                linux::limit_address_space(&mut command, bytes);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = address_space;
        {
            let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            if running.stopping {
                return Err(io::Error::new(
                    io::ErrorKind::Interrupted,
                    "every server is being stopped",
                )
                .into());
            }
            running.spawning += 1;
        }
        let spawned = command.spawn();
        let (child, pid, stdout, stderr) = {
            let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            running.spawning -= 1;
            LISTED.notify_all();
            let mut child = spawned?;
            let pid = child.id();
            let stdout = child.stdout.take().unwrap();
            let stderr = child.stderr.take().unwrap();
            let child = Arc::new(Mutex::new(child));
            running.children.retain(|c| c.strong_count() > 0);
            running.children.push(Arc::downgrade(&child));
            (child, pid, stdout, stderr)
        };
        let stdout_so_far = Arc::new(Mutex::new(Printed::default()));
        let (stop_reading, stopped) = std::sync::mpsc::channel();
        let stopped = Arc::new(Mutex::new(stopped));
        let stdout = collect(stdout, Some(stdout_so_far.clone()), stopped.clone());
        let stderr = collect(stderr, None, stopped);
        let mut server = Server {
            child,
            pid,
            stdout: Some(stdout),
            stderr: Some(stderr),
            stdout_so_far,
            exited: None,
            network,
            _port_lock: port_lock,
            stop_reading: Some(stop_reading),
        };
        server.wait_until_listening(bound)?;
        server.wait_until_settled();
        #[cfg(target_os = "linux")]
        if network == Network::Isolated {
            linux::enter_network_of(server.pid())?;
        }
        Ok(server)
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn network(&self) -> Network {
        self.network
    }

    /// What the server has printed on stdout so far (as [`Printed::text`]
    /// keeps it).
    pub fn stdout_so_far(&self) -> String {
        self.stdout_so_far
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .text()
    }

    /// The number of threads the server has now, or `None` where the
    /// harness cannot tell (only Linux tells it: `crate::linux`).
    pub fn thread_count(&self) -> Option<usize> {
        #[cfg(target_os = "linux")]
        if !portable_only() {
            return linux::thread_count(self.pid);
        }
        None
    }

    /// The most memory the server has had resident at once so far, in KiB,
    /// as far as the OS has kept count (sample it while the server runs:
    /// `crate::linux::peak_resident_kib`), or `None` where the harness
    /// cannot tell (only Linux tells it).
    pub fn peak_resident_kib(&self) -> Option<u64> {
        #[cfg(target_os = "linux")]
        if !portable_only() {
            return linux::peak_resident_kib(self.pid);
        }
        None
    }

    /// Wait up to `timeout` for the server to exit by itself.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_exited() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stop the server if it still runs, reap it, and return what it printed.
    pub fn finish(mut self) -> Finished {
        // A server that is exiting may have closed its sockets before the
        // OS lets us reap it. So kill it either way and read the status:
        // only a server that was still running ends as our kill leaves it.
        let (status, killed) = match self.try_exited() {
            Some(status) => (status, false),
            None => {
                let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
                let killed = child.kill().is_ok();
                (child.wait().expect("reaping the server"), killed)
            }
        };
        self.exited = Some(status);
        let ending = match status.code() {
            _ if killed && ended_by_our_kill(status) => Ending::Stopped,
            Some(code) => Ending::Exited(code),
            None => Ending::Died(status.to_string()),
        };
        // The readers end at the end of the pipes, or, where they stopped
        // reading a server that printed too much, now.
        self.stop_reading = None;
        let printed = self.stdout.take().unwrap().join().unwrap_or_default();
        Finished {
            stdout: printed.text(),
            stderr: self
                .stderr
                .take()
                .unwrap()
                .join()
                .unwrap_or_default()
                .text(),
            ending,
            printed,
        }
    }

    fn try_exited(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
            self.exited = child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Wait (at most a few seconds) until every thread of the server is
    /// blocked, in `accept` or waiting for a job: a server that has started
    /// threads does not take its first request while they are still getting
    /// going. It matters for listing 20-19, whose workers drop the receiver
    /// as soon as they run: on a busy machine, a request that arrives before
    /// the last worker has run is queued instead of crashing the server.
    /// Only Linux tells us (`crate::linux`); elsewhere the server's threads have had
    /// the time it took to find it listening.
    fn wait_until_settled(&self) {
        #[cfg(target_os = "linux")]
        if !portable_only() {
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut pause = Backoff::new();
            while Instant::now() < deadline && linux::runnable_threads(self.pid) > 0 {
                pause.sleep();
            }
        }
    }

    fn wait_until_listening(&mut self, bound: Duration) -> Result<(), StartError> {
        let started = Instant::now();
        let deadline = started + bound;
        let mut pause = Backoff::new();
        loop {
            if self.is_listening() {
                return Ok(());
            }
            // Half a second is long for a server of the chapter to bind: see
            // whether it took another port (a reader's typo).
            if started.elapsed() > Duration::from_millis(500) {
                if let Some(port) = self.other_port() {
                    return Err(StartError::ListensElsewhere { port });
                }
            }
            if let Some(status) = self.try_exited() {
                self.stop_reading = None;
                let stderr = self
                    .stderr
                    .take()
                    .unwrap()
                    .join()
                    .unwrap_or_default()
                    .text();
                return Err(StartError::ExitedEarly { status, stderr });
            }
            if Instant::now() >= deadline {
                return Err(StartError::NeverListened(bound));
            }
            pause.sleep();
        }
    }

    /// A port other than 7878 the server listens on, if the OS tells.
    fn other_port(&self) -> Option<u16> {
        #[cfg(target_os = "linux")]
        if !portable_only() {
            return linux::listening_ports(self.pid)
                .into_iter()
                .find(|&port| port != PORT);
        }
        tcp_listeners()
            .into_iter()
            .find(|l| l.process.pid == self.pid && l.socket.port() != PORT)
            .map(|l| l.socket.port())
    }

    /// Whether the server listens on 127.0.0.1:7878, as the OS's socket
    /// table says.
    fn is_listening(&self) -> bool {
        #[cfg(target_os = "linux")]
        if !portable_only() {
            return linux::listening(self.pid, self.network == Network::Isolated);
        }
        listeners_on_the_port().iter().any(|p| p.pid == self.pid)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.try_exited().is_none() {
            let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The pauses between two looks at a server that is starting: short at
/// first, since most servers are ready within milliseconds, then longer, so
/// that dozens of servers starting at once on a busy machine are not also
/// polled hundreds of times a second each (which kept them busier still).
struct Backoff(Duration);

impl Backoff {
    fn new() -> Backoff {
        Backoff(Duration::from_millis(1))
    }

    fn sleep(&mut self) {
        thread::sleep(self.0);
        self.0 = (self.0 * 2).min(Duration::from_millis(40));
    }
}

/// Whether `status` is what our kill leaves: death by a signal (SIGKILL) on
/// Unix, exit code 1 from `TerminateProcess` on Windows.
fn ended_by_our_kill(status: ExitStatus) -> bool {
    if cfg!(windows) {
        status.code() == Some(1)
    } else {
        status.code().is_none()
    }
}

/// How much of what a server prints is kept: its first and its last
/// [`KEPT`] bytes each. A server of the chapter prints a few lines; one
/// that prints in an endless loop must not fill the memory of whoever
/// runs it (the tour, a test).
pub const KEPT: usize = 64 * 1024;

/// How much a server may print before its output is no longer read: then
/// its next write blocks, and a server that prints in an endless loop
/// stops taking the CPU that the rest of the check needs.
pub const READ_AT_MOST: u64 = 16 << 20;

/// What a server printed on one stream, as far as it is kept: its head and
/// tail, and how much it printed in all, over how long.
#[derive(Clone, Debug, Default)]
pub struct Printed {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    /// Every byte it printed, kept or not.
    pub bytes: u64,
    /// From its first byte to its last.
    pub over: Duration,
    /// It had printed [`READ_AT_MOST`] and was printing still: what it
    /// printed after that was not read.
    pub unread: bool,
    /// Its lines, counted.
    pub lines: LineCounts,
    first: Option<Instant>,
}

/// How many times a server printed each of its lines, for the first
/// [`LineCounts::DISTINCT`] different lines it printed (a loop that prints
/// without end prints a few lines over and over); a line is counted as its
/// first [`LineCounts::LONGEST`] bytes.
#[derive(Clone, Debug, Default)]
pub struct LineCounts {
    counts: Vec<(Vec<u8>, u64)>,
    partial: Vec<u8>,
}

impl LineCounts {
    const DISTINCT: usize = 64;
    const LONGEST: usize = 200;

    fn push(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            let room = Self::LONGEST.saturating_sub(self.partial.len());
            self.partial.extend_from_slice(&rest[..at.min(room)]);
            let line = std::mem::take(&mut self.partial);
            if let Some((_, n)) = self.counts.iter_mut().find(|(l, _)| *l == line) {
                *n += 1;
            } else if self.counts.len() < Self::DISTINCT {
                self.counts.push((line, 1));
            }
            rest = &rest[at + 1..];
        }
        let room = Self::LONGEST.saturating_sub(self.partial.len());
        self.partial
            .extend_from_slice(&rest[..rest.len().min(room)]);
    }

    /// Each line counted, with how many times it was printed, in the
    /// order they were first printed.
    pub fn counted(&self) -> impl Iterator<Item = (String, u64)> + '_ {
        self.counts.iter().map(|(l, n)| {
            (
                String::from_utf8_lossy(l)
                    .trim_end_matches('\r')
                    .to_string(),
                *n,
            )
        })
    }
}

impl Printed {
    fn push(&mut self, bytes: &[u8]) {
        let now = Instant::now();
        let first = *self.first.get_or_insert(now);
        self.over = now - first;
        self.bytes += bytes.len() as u64;
        self.lines.push(bytes);
        let room = KEPT.saturating_sub(self.head.len());
        let (head, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(head);
        self.tail.extend(rest);
        let excess = self.tail.len().saturating_sub(KEPT);
        self.tail.drain(..excess);
    }

    /// What a server printed, for the tests of what is judged of it.
    #[cfg(test)]
    pub(crate) fn push_for_tests(&mut self, bytes: &[u8]) {
        self.push(bytes);
    }

    /// Whether some of it was left out.
    pub fn cut(&self) -> bool {
        self.bytes > (self.head.len() + self.tail.len()) as u64
    }

    /// What is kept, as text: all of it, or its head, a line saying how
    /// much was left out, and its tail.
    pub fn text(&self) -> String {
        let head = String::from_utf8_lossy(&self.head);
        if !self.cut() {
            let tail: Vec<u8> = self.tail.iter().copied().collect();
            return head.into_owned() + &String::from_utf8_lossy(&tail);
        }
        let left_out = self.bytes - (self.head.len() + self.tail.len()) as u64;
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        format!(
            "{head}\n[... {left_out} bytes left out ...]\n{}",
            String::from_utf8_lossy(&tail)
        )
    }
}

/// Read a pipe to its end on a thread of its own, keeping what [`Printed`]
/// keeps. `live`, if given, is the same, as it grows. Past
/// [`READ_AT_MOST`], the pipe is held open but no longer read until
/// `stop` says the server is done with (its sender dropped).
fn collect(
    mut pipe: impl Read + Send + 'static,
    live: Option<Arc<Mutex<Printed>>>,
    stop: Arc<Mutex<std::sync::mpsc::Receiver<()>>>,
) -> JoinHandle<Printed> {
    thread::spawn(move || {
        let mut printed = Printed::default();
        let mut buf = [0u8; 8192];
        loop {
            if printed.bytes >= READ_AT_MOST {
                printed.unread = true;
                // Blocks until the sender goes: the server is stopped.
                let _ = stop.lock().unwrap_or_else(|e| e.into_inner()).recv();
                break;
            }
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    printed.push(&buf[..n]);
                    if let Some(live) = &live {
                        live.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(&buf[..n]);
                    }
                }
            }
        }
        printed
    })
}

/// The processes the OS's socket table shows listening on TCP port 7878 at
/// an address that 127.0.0.1:7878 would collide with (127.0.0.1 itself, or
/// every address), through the cross-platform `listeners` crate.
fn listeners_on_the_port() -> Vec<listeners::Process> {
    tcp_listeners()
        .into_iter()
        .filter(|l| collides(l.socket))
        .map(|l| l.process)
        .collect()
}

/// Every listening TCP socket the OS's table shows, with its process
/// (none where the table cannot be read).
fn tcp_listeners() -> Vec<listeners::Listener> {
    let Ok(all) = listeners::get_all() else {
        return Vec::new();
    };
    all.into_iter()
        .filter(|l| {
            l.protocol == listeners::Protocol::TCP && l.state == listeners::SocketState::Listen
        })
        .collect()
}

/// Whether a listener on `socket` keeps a server from binding 127.0.0.1:7878.
fn collides(socket: SocketAddr) -> bool {
    socket.port() == PORT
        && matches!(socket.ip(), IpAddr::V4(ip) if ip == Ipv4Addr::LOCALHOST || ip.is_unspecified())
}

/// `Ok` if 127.0.0.1:7878 can be bound on the shared network now; if
/// something holds it, the error that names the holder.
pub fn port_is_free() -> Result<(), StartError> {
    match TcpListener::bind(ADDRESS) {
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => Err(StartError::PortInUse {
            holder: port_holder(),
        }),
        _ => Ok(()),
    }
}

/// The process listening on 127.0.0.1:7878, as `name (pid N)`, where the OS
/// tells.
pub fn port_holder() -> Option<String> {
    #[cfg(target_os = "linux")]
    if !portable_only() {
        return linux::port_holder().map(|(name, pid)| format!("{name} (pid {pid})"));
    }
    listeners_on_the_port()
        .first()
        .map(|p| format!("{} (pid {})", p.name, p.pid))
}

/// Serialise servers on the shared network, across threads and processes,
/// with a lock file in `target/`; `CH20_PORT_LOCK` names another one (the
/// tests that give a tour a network of its own, where its port is no one
/// else's, use their own).
fn lock_port() -> io::Result<File> {
    let path = match std::env::var_os("CH20_PORT_LOCK") {
        Some(path) => std::path::PathBuf::from(path),
        None => crate::compile::root().join("target/port-7878.lock"),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = File::create(path)?;
    file.lock()?;
    Ok(file)
}
