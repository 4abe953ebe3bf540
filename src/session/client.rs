//! One request on a connection of its own, and what came back: the
//! client side of every session, probe and test.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use crate::http::Response;
use crate::server::{Server, ADDRESS};

/// The request the session sends for `path`: a request line and a `Host`
/// header, as small as a real client's request can be.
pub fn request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {ADDRESS}\r\n\r\n").into_bytes()
}

/// How the server ended an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// It closed the connection (we read end-of-file).
    Closed,
    /// It reset the connection. With no bytes before it, the kernel may
    /// report a close as either (it depends on whether the request had
    /// arrived when the server closed), so [`Reply::is_no_response`] treats
    /// both alike.
    Reset,
    /// Nothing listened: the connection was refused.
    Refused,
    /// The connection was still open when we gave up waiting.
    TimedOut,
}

/// What came back for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub bytes: Vec<u8>,
    pub end: End,
}

impl Reply {
    /// The server closed (or reset) the connection without sending a byte.
    pub fn is_no_response(&self) -> bool {
        self.bytes.is_empty() && matches!(self.end, End::Closed | End::Reset)
    }

    /// What came back, read as a response.
    pub fn response(&self) -> Response<'_> {
        Response::read(&self.bytes)
    }
}

/// One request of a session and its reply.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub path: String,
    pub request: Vec<u8>,
    pub reply: Reply,
    /// From connecting to the end of the reply.
    pub elapsed: Duration,
}

/// Send the request for `path` to `server` on a new connection and read
/// until the server closes it (or `timeout`).
pub fn exchange(server: &Server, path: &str, timeout: Duration) -> Exchange {
    let request = request(path);
    let started = Instant::now();
    let reply = send_and_read(server, &request, timeout);
    Exchange {
        path: path.to_string(),
        request,
        reply,
        elapsed: started.elapsed(),
    }
}

/// Open a connection to `server`, send `request` (raw bytes), read to the
/// end.
pub fn send_and_read(server: &Server, request: &[u8], timeout: Duration) -> Reply {
    let mut stream = match server.connect(timeout) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
            return Reply {
                bytes: vec![],
                end: End::Refused,
            }
        }
        Err(_) => {
            return Reply {
                bytes: vec![],
                end: End::TimedOut,
            }
        }
    };
    let deadline = Instant::now() + timeout;
    let mut bytes = Vec::new();
    if let Err(e) = stream.write_all(request) {
        return Reply {
            bytes,
            end: end_of(&e),
        };
    }
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Reply {
                bytes,
                end: End::TimedOut,
            };
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => {
                return Reply {
                    bytes,
                    end: End::Closed,
                }
            }
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Reply {
                    bytes,
                    end: end_of(&e),
                }
            }
        }
    }
}

fn end_of(e: &io::Error) -> End {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => End::TimedOut,
        io::ErrorKind::ConnectionRefused => End::Refused,
        _ => End::Reset,
    }
}

/// `GET /` on a new connection, made while a `GET /sleep` sent on another
/// connection just before it is in progress: whether the server lets the
/// fast request wait behind the slow one. The `/sleep` connection is sent
/// first, so the server has accepted it before the fast one; `GET /` is
/// given up on after `timeout`.
pub fn root_behind_sleep(server: &Server, timeout: Duration) -> io::Result<Exchange> {
    let mut slow = server.connect(timeout)?;
    slow.write_all(&request("/sleep"))?;
    Ok(exchange(server, "/", timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_parts() {
        let r = Reply {
            bytes: b"HTTP/1.1 404 NOT FOUND\r\nContent-Length: 2\r\n\r\nhi".to_vec(),
            end: End::Closed,
        };
        assert_eq!(r.response().status, Some("HTTP/1.1 404 NOT FOUND"));
        assert_eq!(r.response().body, b"hi");
        assert!(!r.is_no_response());
    }
}
