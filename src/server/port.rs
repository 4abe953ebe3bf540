//! The real port 7878 on the machine's own network: who holds it, and the
//! lock servers take turns behind on it.

use std::fs::File;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

#[cfg(target_os = "linux")]
use crate::linux;

#[cfg(target_os = "linux")]
use super::portable_only;
use super::StartError;

/// The address every stage listens on.
pub const ADDRESS: &str = "127.0.0.1:7878";

/// The port of [`ADDRESS`].
pub(crate) const PORT: u16 = 7878;

/// The processes the OS's socket table shows listening on TCP port 7878 at
/// an address that 127.0.0.1:7878 would collide with (127.0.0.1 itself, or
/// every address), through the cross-platform `listeners` crate.
pub(super) fn listeners_on_the_port() -> Vec<listeners::Process> {
    tcp_listeners()
        .into_iter()
        .filter(|l| collides(l.socket))
        .map(|l| l.process)
        .collect()
}

/// Every listening TCP socket the OS's table shows, with its process
/// (none where the table cannot be read).
pub(super) fn tcp_listeners() -> Vec<listeners::Listener> {
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
pub(super) fn lock_port() -> io::Result<File> {
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
