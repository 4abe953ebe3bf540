//! What the judgements' tests share: a step, pages, fake exchanges and
//! transcripts.

use std::time::Duration;

use crate::registry::{find, Step};
use crate::server::{Ending, Finished};
use crate::session::{End, Event, Exchange, Reply, Transcript};

use super::{Pages, Waited};
use crate::check::verdict::{Body, Shape};

pub(crate) const PAGE: &[u8] = b"<p>hi</p>\n";

pub(crate) fn step_20_5() -> &'static Step {
    find("listing-20-05").unwrap()
}

pub(crate) fn pages() -> Pages {
    Pages(vec![("hello.html", PAGE.to_vec())])
}

pub(crate) fn get(path: &str, bytes: &[u8], end: End, elapsed_ms: u64) -> Event {
    Event::Exchange(Exchange {
        path: path.to_string(),
        request: crate::session::request(path),
        reply: Reply {
            bytes: bytes.to_vec(),
            end,
        },
        elapsed: Duration::from_millis(elapsed_ms),
    })
}

pub(crate) fn ok_page() -> Vec<u8> {
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".to_vec();
    bytes.extend_from_slice(PAGE);
    bytes
}

pub(crate) fn transcript(events: Vec<Event>, stdout: &str) -> Transcript {
    Transcript {
        step: "listing-20-05",
        events,
        server: Finished {
            stdout: stdout.to_string(),
            stderr: String::new(),
            ending: Ending::Stopped,
            printed: Default::default(),
        },
    }
}

pub(crate) fn reply(bytes: &[u8], end: End) -> Reply {
    Reply {
        bytes: bytes.to_vec(),
        end,
    }
}

pub(crate) fn ok(status: &str, body: Body) -> Shape {
    Shape::Response {
        status: Some(status.into()),
        ends_head: true,
        body,
    }
}

pub(crate) fn waited(secs: u64, threads: Option<usize>, workers_seen: &[usize]) -> Waited {
    Waited {
        elapsed: Duration::from_secs(secs),
        threads,
        workers_seen: workers_seen.to_vec(),
    }
}
