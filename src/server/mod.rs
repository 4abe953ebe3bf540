//! A stage's server, or a reader's: started by one builder
//! ([`ServerCommand`]), waited on until it listens, reached through itself
//! ([`Server::connect`], [`Server::client`]), stopped and reaped.
//!
//! Every stage binds `127.0.0.1:7878`, as in the book. The portable path,
//! which runs on every OS: the servers take turns on the real port, behind
//! a file lock (`port.rs`); one is ready when the OS's socket table shows it
//! listening (never by connecting to it: an empty connection panics several
//! stages, and listing 20-25 counts its connections); a port already in
//! use is reported in one sentence that names its holder; and every server
//! is killed and reaped when its `Server` is dropped, when a test fails, or
//! when the tour is interrupted ([`stop_all`], `running.rs`).
//!
//! Where Linux lets us (user and network namespaces, as `unshare -rn` makes
//! them, and the right to enter them), each server gets a network namespace
//! of its own instead, with its own loopback: any number of them run side
//! by side, and a server the reader has running on the real 7878 does not
//! matter. A socket keeps the namespace it was made in, so the server makes
//! the connections to itself, and starts the programs that talk to it, from
//! inside its namespace, and the caller's threads stay where they are. That,
//! and what else only Linux tells us, is in `crate::linux`;
//! `CH20_HARNESS=portable` turns all of it off, to prove the portable path
//! on Linux.

mod output;
mod port;
mod running;

#[cfg(feature = "_kit")]
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

#[cfg(target_os = "linux")]
use crate::linux;

pub use output::{LineCounts, Printed};
pub use port::{port_holder, port_is_free, ADDRESS};
pub use running::{stop_all, stopping};

use port::PORT;

/// The address space a reader's server may have (see
/// [`ServerCommand::for_a_reader`]): far more than any server of the chapter
/// needs (a few MiB, and 8 MiB of stack reserved per thread).
pub(crate) const READERS_ADDRESS_SPACE: u64 = 2 << 30;

/// How long a server may take to start listening, on a loaded machine.
pub(crate) const START_TIMEOUT: Duration = Duration::from_secs(20);

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

/// How to start a server, in the manner of [`std::process::Command`]:
/// `ServerCommand::new(exe).current_dir(dir).start()`.
#[derive(Clone, Debug)]
pub struct ServerCommand {
    exe: PathBuf,
    args: Vec<String>,
    dir: PathBuf,
    /// Environment variables set for it (a test's `CARGO_TARGET_DIR`).
    envs: Vec<(String, String)>,
    network: Option<Network>,
    listen_within: Duration,
    address_space: Option<u64>,
}

impl ServerCommand {
    /// The server `exe`, in the current folder, on the network this machine
    /// gives ([`Network::detect`]), given `START_TIMEOUT` to listen.
    pub fn new(exe: impl AsRef<Path>) -> ServerCommand {
        ServerCommand {
            exe: exe.as_ref().to_path_buf(),
            args: Vec::new(),
            dir: PathBuf::from("."),
            envs: Vec::new(),
            network: None,
            listen_within: START_TIMEOUT,
            address_space: None,
        }
    }

    /// Its arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> ServerCommand {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// The folder it runs in, where it finds its pages.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> ServerCommand {
        self.dir = dir.as_ref().to_path_buf();
        self
    }

    /// An environment variable set for it: for a test that starts a
    /// server through `cargo run`, the build directory cargo is to use.
    #[cfg(feature = "_kit")]
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> ServerCommand {
        let value = value.as_ref().to_string_lossy().into_owned();
        self.envs.push((key.to_string(), value));
        self
    }

    /// On this network rather than the one [`Network::detect`] gives.
    pub fn network(mut self, network: Network) -> ServerCommand {
        self.network = Some(network);
        self
    }

    /// Give up on a server that runs and does not listen after `bound` (a
    /// reader's, whose step binds first thing).
    pub(crate) fn listen_within(mut self, bound: Duration) -> ServerCommand {
        self.listen_within = bound;
        self
    }

    /// A reader's server: its address space is capped at
    /// `READERS_ADDRESS_SPACE` where the OS lets us (Linux), so that one
    /// that spawns threads or allocates without end fails before it takes
    /// the machine's memory.
    pub(crate) fn for_a_reader(mut self) -> ServerCommand {
        self.address_space = Some(READERS_ADDRESS_SPACE);
        self
    }

    /// Start it and wait until it listens on 127.0.0.1:7878.
    pub fn start(&self) -> Result<Server, StartError> {
        let network = self.network.unwrap_or_else(Network::detect);
        let (mut command, port_lock) = match network {
            #[cfg(target_os = "linux")]
            Network::Isolated => (linux::isolated_command(&self.exe), None),
            #[cfg(not(target_os = "linux"))]
            Network::Isolated => unreachable!("only Linux gives a server a network of its own"),
            Network::Shared => {
                let lock = port::lock_port()?;
                port_is_free()?;
                (Command::new(&self.exe), Some(lock))
            }
        };
        command
            .args(&self.args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.dir)
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
            if let Some(bytes) = self.address_space {
                linux::limit_address_space(&mut command, bytes);
            }
        }
        let child = running::spawn(&mut command)?;
        let (pid, stdout, stderr) = {
            let mut child = child.lock().unwrap_or_else(|e| e.into_inner());
            let stdout = child.stdout.take().expect("piped");
            let stderr = child.stderr.take().expect("piped");
            (child.id(), stdout, stderr)
        };
        let (stop_reading, stopped) = std::sync::mpsc::channel();
        let stopped = Arc::new(Mutex::new(stopped));
        let printed = [Arc::default(), Arc::default()];
        let readers = [
            output::collect(stdout, Arc::clone(&printed[0]), stopped.clone()),
            output::collect(stderr, Arc::clone(&printed[1]), stopped),
        ];
        let mut server = Server {
            child,
            pid,
            readers: Some(readers),
            printed,
            exited: OnceLock::new(),
            #[cfg(target_os = "linux")]
            network,
            reach: Reach::Shared,
            _port_lock: port_lock,
            stop_reading: Some(stop_reading),
        };
        server.wait_until_listening(self.listen_within)?;
        server.wait_until_settled();
        #[cfg(target_os = "linux")]
        if network == Network::Isolated {
            server.reach = Reach::Isolated(linux::NetworkOf::process(pid)?);
        }
        Ok(server)
    }
}

/// How a server is reached from here.
enum Reach {
    /// On the machine's own loopback.
    Shared,
    /// From inside its network namespace.
    #[cfg(target_os = "linux")]
    Isolated(linux::NetworkOf),
}

/// A running server. Dropping it kills and reaps the process (also when a
/// test fails half-way).
pub struct Server {
    child: Arc<Mutex<Child>>,
    pid: u32,
    /// The threads that read its stdout and stderr, into `printed`.
    readers: Option<[JoinHandle<()>; 2]>,
    /// What it has printed on stdout and on stderr so far.
    printed: [Arc<Mutex<Printed>>; 2],
    /// How it exited, once it has.
    exited: OnceLock<ExitStatus>,
    /// Where it runs (only Linux gives it a network of its own).
    #[cfg(target_os = "linux")]
    network: Network,
    reach: Reach,
    _port_lock: Option<File>,
    /// Dropped to let the readers of its output end (see `output::collect`).
    stop_reading: Option<std::sync::mpsc::Sender<()>>,
}

impl Server {
    /// A connection to the server, made where it listens (from inside its
    /// network, where it has one of its own); the calling thread stays in
    /// its own network.
    pub fn connect(&self, timeout: Duration) -> io::Result<TcpStream> {
        let address: SocketAddr = ADDRESS.parse().expect("a socket address");
        self.reach(move || TcpStream::connect_timeout(&address, timeout))?
    }

    /// A program that talks to the server (curl, a browser, a load
    /// generator): it starts in the server's network, wherever the
    /// calling thread is. (The tests and their commands are its users.)
    #[cfg(feature = "_kit")]
    pub fn client(&self, program: impl AsRef<OsStr>) -> Command {
        #[allow(unused_mut)]
        let mut command = Command::new(program);
        match &self.reach {
            Reach::Shared => {}
            #[cfg(target_os = "linux")]
            Reach::Isolated(network) => network.join_in(&mut command),
        }
        command
    }

    /// Run `f` where the server is reached (an HTTP client in this
    /// process): on a thread of its own inside the server's network, or
    /// here on the shared one.
    pub fn reach<T: Send>(&self, f: impl FnOnce() -> T + Send) -> io::Result<T> {
        match &self.reach {
            Reach::Shared => Ok(f()),
            #[cfg(target_os = "linux")]
            Reach::Isolated(network) => network.reach(f),
        }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// What the server has printed on stdout so far (as [`Printed::text`]
    /// keeps it), for the tests that wait for a line.
    #[cfg(feature = "_kit")]
    pub fn stdout_so_far(&self) -> String {
        self.printed[0]
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
    pub fn wait_for_exit(&self, timeout: Duration) -> Option<ExitStatus> {
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
        let _ = self.exited.set(status);
        let ending = match status.code() {
            _ if killed && ended_by_our_kill(status) => Ending::Stopped,
            Some(code) => Ending::Exited(code),
            None => Ending::Died(status.to_string()),
        };
        let [printed, stderr] = self.read_to_the_end();
        Finished {
            stdout: printed.text(),
            stderr: stderr.text(),
            ending,
            printed,
        }
    }

    /// What it printed on stdout and stderr, once the readers are done:
    /// they end at the end of the pipes, or, where they stopped reading a
    /// server that printed too much, now.
    fn read_to_the_end(&mut self) -> [Printed; 2] {
        self.stop_reading = None;
        for reader in self.readers.take().into_iter().flatten() {
            let _ = reader.join();
        }
        self.printed
            .each_ref()
            .map(|p| std::mem::take(&mut *p.lock().unwrap_or_else(|e| e.into_inner())))
    }

    fn try_exited(&self) -> Option<ExitStatus> {
        if let Some(status) = self.exited.get() {
            return Some(*status);
        }
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let status = child.try_wait().ok().flatten()?;
        Some(*self.exited.get_or_init(|| status))
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
                let [_, stderr] = self.read_to_the_end();
                return Err(StartError::ExitedEarly {
                    status,
                    stderr: stderr.text(),
                });
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
        port::tcp_listeners()
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
        port::listeners_on_the_port()
            .iter()
            .any(|p| p.pid == self.pid)
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
