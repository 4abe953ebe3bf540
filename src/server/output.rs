//! What a server prints, read while it runs and kept within bounds.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How much of what a server prints is kept: its first and its last
/// `KEPT` bytes each. A server of the chapter prints a few lines; one
/// that prints in an endless loop must not fill the memory of whoever
/// runs it (the tour, a test).
const KEPT: usize = 64 * 1024;

/// How much a server may print before its output is no longer read: then
/// its next write blocks, and a server that prints in an endless loop
/// stops taking the CPU that the rest of the check needs.
const READ_AT_MOST: u64 = 16 << 20;

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
    /// It had printed `READ_AT_MOST` and was printing still: what it
    /// printed after that was not read.
    pub unread: bool,
    /// Its lines, counted.
    pub lines: LineCounts,
    first: Option<Instant>,
}

/// How many times a server printed each of its lines, for the first
/// `LineCounts::DISTINCT` different lines it printed (a loop that prints
/// without end prints a few lines over and over); a line is counted as its
/// first `LineCounts::LONGEST` bytes.
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

/// Read a pipe to its end on a thread of its own, into `printed`, keeping
/// what [`Printed`] keeps, so that it can be looked at as it grows. Past
/// `READ_AT_MOST`, the pipe is held open but no longer read until `stop`
/// says the server is done with (its sender dropped).
pub(super) fn collect(
    mut pipe: impl Read + Send + 'static,
    printed: Arc<Mutex<Printed>>,
    stop: Arc<Mutex<std::sync::mpsc::Receiver<()>>>,
) -> JoinHandle<()> {
    fn lock(printed: &Mutex<Printed>) -> std::sync::MutexGuard<'_, Printed> {
        printed.lock().unwrap_or_else(|e| e.into_inner())
    }
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            if lock(&printed).bytes >= READ_AT_MOST {
                lock(&printed).unread = true;
                // Blocks until the sender goes: the server is stopped.
                let _ = stop.lock().unwrap_or_else(|e| e.into_inner()).recv();
                break;
            }
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => lock(&printed).push(&buf[..n]),
            }
        }
    })
}
