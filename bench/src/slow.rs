//! Slow clients: connections that send half a request and hold it, as a
//! slow network or a client that stalls does, while oha loads the server.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// What every slow client sends: half a request line, and then nothing.
const HALF_A_REQUEST: &[u8] = b"GET / HT";

/// The slow clients of one load, each connection held open until dropped.
pub struct Holders {
    _connections: Vec<TcpStream>,
    /// How many connected and sent their half request (a server whose
    /// backlog is full refuses some, or leaves them waiting).
    pub held: u32,
}

/// Open `count` slow clients, side by side (a connection that is not
/// accepted within a second counts as not held).
pub fn hold(count: u32) -> anyhow::Result<Holders> {
    let address: SocketAddr = companion::server::ADDRESS.parse()?;
    let per_thread = count.div_ceil(16).max(1);
    let threads: Vec<_> = (0..count)
        .step_by(per_thread as usize)
        .map(|start| {
            let n = per_thread.min(count - start);
            std::thread::spawn(move || {
                (0..n)
                    .filter_map(|_| {
                        let mut stream =
                            TcpStream::connect_timeout(&address, Duration::from_secs(1)).ok()?;
                        stream.write_all(HALF_A_REQUEST).ok()?;
                        Some(stream)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut connections = Vec::with_capacity(count as usize);
    for thread in threads {
        connections.extend(
            thread
                .join()
                .map_err(|_| anyhow::anyhow!("a slow client panicked"))?,
        );
    }
    Ok(Holders {
        held: connections.len() as u32,
        _connections: connections,
    })
}
