//! Start a stage's server, wait until it listens, stop it and reap it.
//!
//! Every stage binds `127.0.0.1:7878`, as in the book. Where Linux lets us
//! (`unshare -rn`, and the right to enter the namespace it makes), each
//! server gets a network namespace of its own, with its own loopback: any
//! number of them can run side by side, and a server the reader has running
//! on the real 7878 does not matter. The thread that starts such a server
//! joins its namespace, so that its connections (and the processes it
//! spawns, like curl) reach that server. Elsewhere the servers use the real
//! port, one at a time, behind a file lock, and a port already in use is
//! reported in one sentence.

use std::fs::File;
use std::io::{self, Read};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The address every stage listens on.
pub const ADDRESS: &str = "127.0.0.1:7878";

/// How long a server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Where the servers' network comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// A network namespace of its own per server (Linux, `unshare -rn`).
    Isolated,
    /// The machine's own loopback, one server at a time.
    Shared,
}

impl Network {
    /// The network this machine gives us: `Isolated` where a namespace can
    /// be made and entered, `Shared` otherwise. `CH20_NETWORK=shared` forces
    /// the shared network.
    pub fn detect() -> Network {
        static DETECTED: OnceLock<Network> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            if std::env::var("CH20_NETWORK").as_deref() == Ok("shared") {
                return Network::Shared;
            }
            match probe_isolation() {
                Ok(()) => Network::Isolated,
                Err(_) => Network::Shared,
            }
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
    /// It did not listen within the time bound.
    NeverListened,
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
            StartError::NeverListened => write!(
                f,
                "the server did not listen on {ADDRESS} within {} s",
                START_TIMEOUT.as_secs()
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
    /// It died of a signal it did not get from us (a crash).
    Signalled(i32),
    /// It was still running and we stopped it.
    Stopped,
}

/// What a server printed, and how it ended.
#[derive(Clone, Debug)]
pub struct Finished {
    pub stdout: String,
    pub stderr: String,
    pub ending: Ending,
}

/// A running server. Dropping it kills and reaps the process (also when a
/// test fails half-way).
pub struct Server {
    child: Child,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
    stdout_so_far: Arc<Mutex<String>>,
    exited: Option<ExitStatus>,
    network: Network,
    _port_lock: Option<File>,
}

impl Server {
    /// Start `exe` in `cwd` and wait until it listens on 127.0.0.1:7878. In
    /// an isolated network, the calling thread joins the server's network
    /// namespace: connect from this thread (or threads and processes it
    /// starts from now on).
    pub fn start(exe: &Path, cwd: &Path) -> Result<Server, StartError> {
        Server::start_in(Network::detect(), exe, cwd)
    }

    /// [`Server::start`] in the given network.
    pub fn start_in(network: Network, exe: &Path, cwd: &Path) -> Result<Server, StartError> {
        let (mut command, port_lock) = match network {
            Network::Isolated => (isolated_command(exe), None),
            Network::Shared => {
                let lock = lock_port()?;
                if let Err(e) = TcpListener::bind(ADDRESS) {
                    if e.kind() == io::ErrorKind::AddrInUse {
                        return Err(StartError::PortInUse {
                            holder: port_holder(),
                        });
                    }
                }
                (Command::new(exe), Some(lock))
            }
        };
        command
            .current_dir(cwd)
            // A panic then reads as it does for a reader with a default
            // environment, without a backtrace.
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        kill_with_this_thread(&mut command);
        let mut child = command.spawn()?;
        let stdout_so_far = Arc::new(Mutex::new(String::new()));
        let stdout = collect(child.stdout.take().unwrap(), Some(stdout_so_far.clone()));
        let stderr = collect(child.stderr.take().unwrap(), None);
        let mut server = Server {
            child,
            stdout: Some(stdout),
            stderr: Some(stderr),
            stdout_so_far,
            exited: None,
            network,
            _port_lock: port_lock,
        };
        server.wait_until_listening()?;
        server.wait_until_settled();
        if network == Network::Isolated {
            enter_network_of(server.pid())?;
        }
        Ok(server)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn network(&self) -> Network {
        self.network
    }

    /// What the server has printed on stdout so far.
    pub fn stdout_so_far(&self) -> String {
        self.stdout_so_far.lock().unwrap().clone()
    }

    /// The number of threads the server has now (Linux: /proc), or `None`
    /// where that cannot be read.
    pub fn thread_count(&self) -> Option<usize> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|n| n.trim().parse().ok())
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
        // kernel lets us reap it. So kill it either way and read the status:
        // only a server that was still running dies of our SIGKILL.
        let status = match self.try_exited() {
            Some(status) => status,
            None => {
                let _ = self.child.kill();
                self.child.wait().expect("reaping the server")
            }
        };
        self.exited = Some(status);
        let ending = match ending_of(status) {
            Ending::Signalled(libc::SIGKILL) => Ending::Stopped,
            other => other,
        };
        Finished {
            stdout: self.stdout.take().unwrap().join().unwrap_or_default(),
            stderr: self.stderr.take().unwrap().join().unwrap_or_default(),
            ending,
        }
    }

    fn try_exited(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Wait (at most a few seconds) until every thread of the server is
    /// blocked, in `accept` or waiting for a job: a server that has started
    /// threads does not take its first request while they are still getting
    /// going. It matters for listing 20-19, whose workers drop the receiver
    /// as soon as they run: on a busy machine, a request that arrives before
    /// the last worker has run is queued instead of crashing the server.
    fn wait_until_settled(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.runnable_threads() > 0 {
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// How many of the server's threads are running or ready to run (Linux:
    /// state `R` in /proc; 0 where /proc cannot tell).
    fn runnable_threads(&self) -> usize {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", self.pid())) else {
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

    fn wait_until_listening(&mut self) -> Result<(), StartError> {
        let deadline = Instant::now() + START_TIMEOUT;
        let ours = std::fs::read_link("/proc/thread-self/ns/net").ok();
        loop {
            // Until unshare has run, the child's /proc/net is still ours: a
            // server the reader has on the real port must not count.
            let own_network = self.network == Network::Shared
                || std::fs::read_link(format!("/proc/{}/ns/net", self.pid())).ok() != ours;
            if own_network && is_listening(self.pid()) {
                return Ok(());
            }
            if let Some(status) = self.try_exited() {
                let stderr = self.stderr.take().unwrap().join().unwrap_or_default();
                return Err(StartError::ExitedEarly { status, stderr });
            }
            if Instant::now() >= deadline {
                return Err(StartError::NeverListened);
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.try_exited().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn ending_of(status: ExitStatus) -> Ending {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exited(code),
        (None, Some(signal)) => Ending::Signalled(signal),
        (None, None) => Ending::Exited(-1),
    }
}

/// Read a pipe to its end on a thread of its own.
fn collect(
    mut pipe: impl Read + Send + 'static,
    live: Option<Arc<Mutex<String>>>,
) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    all.extend_from_slice(&buf[..n]);
                    if let Some(live) = &live {
                        *live.lock().unwrap() = String::from_utf8_lossy(&all).into_owned();
                    }
                }
            }
        }
        String::from_utf8_lossy(&all).into_owned()
    })
}

/// `unshare -rn` the server into a network namespace of its own, bring its
/// loopback up (a new namespace has it down), and exec the server, so that
/// the child's pid is the server's.
fn isolated_command(exe: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new("unshare");
    command
        .args(["-rn", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
        .arg(exe);
    command
}

/// Whether the process `pid` has a socket listening on 127.0.0.1:7878, as
/// its own network namespace sees it.
fn is_listening(pid: u32) -> bool {
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

/// Move the calling thread into the network namespace of process `pid`.
fn enter_network_of(pid: u32) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let ns = File::open(format!("/proc/{pid}/ns/net"))?;
    // SAFETY: setns only reads the descriptor, which stays open for the call.
    let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Have the kernel kill the server if the thread that started it goes away
/// without stopping it (a test thread that is itself killed, say).
fn kill_with_this_thread(command: &mut Command) {
    // SAFETY: prctl is async-signal-safe and touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// Whether this machine gives servers a network of their own: start a
/// sleeping stand-in in a new namespace and enter it from a scratch thread.
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

/// Serialise servers on the shared network, across threads and processes.
fn lock_port() -> io::Result<File> {
    let dir = crate::compile::root().join("target");
    std::fs::create_dir_all(&dir)?;
    let file = File::create(dir.join("port-7878.lock"))?;
    file.lock()?;
    Ok(file)
}

/// The process listening on 127.0.0.1:7878, as `name (pid N)`, where /proc
/// tells.
fn port_holder() -> Option<String> {
    // This thread's network, which is the one a server started from it uses.
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
            return Some(format!("{} (pid {pid})", name.trim()));
        }
    }
    None
}
