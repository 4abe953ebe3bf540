//! A session as text: its transcript, bytes made visible, and what varies
//! from run to run (which worker took a job) hidden.

use crate::server::Ending;

use super::{End, Event, Exchange, Transcript};

/// Replace the worker id in `Worker N got a job; executing.` lines (which
/// worker takes a job varies from run to run) with `[ID]`; return the text
/// and the ids in order.
pub fn hide_worker_ids(stdout: &str) -> (String, Vec<usize>) {
    let mut ids = Vec::new();
    let text = stdout
        .lines()
        .map(|line| {
            let id = line
                .strip_prefix("Worker ")
                .and_then(|rest| rest.strip_suffix(" got a job; executing."))
                .and_then(|n| n.parse::<usize>().ok());
            match id {
                Some(id) => {
                    ids.push(id);
                    "Worker [ID] got a job; executing.\n".to_string()
                }
                None => format!("{line}\n"),
            }
        })
        .collect();
    (text, ids)
}

/// The lines of `text`, sorted: how the output of a server that prints
/// from several threads at once is compared.
pub(crate) fn sorted_lines(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Bytes as text, one line per line of the original, with `\r`, `\n`, tabs
/// and other control bytes written out so every byte is visible.
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        out.push_str("    ");
        for chunk in line.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\r' => out.push_str("\\r"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\\' => out.push_str("\\\\"),
                    c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out.push('\n');
    }
    out
}

/// The transcript as the snapshot shows it. Worker ids are hidden (see
/// [`hide_worker_ids`]); a server that shuts down prints from several
/// threads at once, so its lines are sorted.
pub fn render(t: &Transcript) -> String {
    let mut out = String::new();
    for event in &t.events {
        match event {
            Event::Exchange(x) => render_exchange(&mut out, x),
            Event::AwaitedExit { exited: true } => out
                .push_str("== the session waits for the server to exit: it exits by itself ==\n\n"),
            Event::AwaitedExit { exited: false } => {
                out.push_str("== the session waits for the server to exit: it does not ==\n\n")
            }
            Event::Crashed { status } => {
                out.push_str(&format!("== the server has exited ({status}) ==\n\n"))
            }
        }
    }
    let (stdout, _) = hide_worker_ids(&t.server.stdout);
    if t.awaited_exit().is_some() {
        out.push_str(
            "== server stdout (lines sorted: its threads print in a different order each run) ==\n",
        );
        out.push_str(&or_nothing(&sorted_lines(&stdout)));
    } else {
        out.push_str("== server stdout ==\n");
        out.push_str(&or_nothing(&stdout));
    }
    out.push_str("== server stderr ==\n");
    out.push_str(&or_nothing(&crate::normalize::server_stderr(
        &t.server.stderr,
    )));
    out.push_str("== server ==\n");
    out.push_str(&match &t.server.ending {
        Ending::Exited(code) => format!("exited with status {code}\n"),
        Ending::Died(how) => format!("died ({how})\n"),
        Ending::Stopped => "still running at the end of the session; stopped\n".to_string(),
    });
    out
}

fn render_exchange(out: &mut String, x: &Exchange) {
    out.push_str(&format!(
        "== GET {} ==\nsent {} bytes:\n",
        x.path,
        x.request.len()
    ));
    out.push_str(&show_bytes(&x.request));
    let r = &x.reply;
    let how = match r.end {
        _ if r.is_no_response() => {
            out.push_str("the server closed the connection without a response\n\n");
            return;
        }
        End::Refused => {
            out.push_str("the connection was refused: nothing listens on 127.0.0.1:7878\n\n");
            return;
        }
        End::Closed => "then the server closed the connection",
        End::Reset => "then the server reset the connection",
        End::TimedOut => "and the connection was still open when the session gave up",
    };
    out.push_str(&format!("received {} bytes, {how}:\n", r.bytes.len()));
    out.push_str(&show_bytes(&r.bytes));
    out.push('\n');
}

fn or_nothing(text: &str) -> String {
    if text.is_empty() {
        "(nothing)\n".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_bytes_makes_every_byte_visible() {
        assert_eq!(
            show_bytes(b"HTTP/1.1 200 OK\r\n\r\n<p>\xff</p>"),
            "    HTTP/1.1 200 OK\\r\\n\n    \\r\\n\n    <p>\\xff</p>\n"
        );
    }

    #[test]
    fn hide_worker_ids_keeps_the_other_lines() {
        let (text, ids) = hide_worker_ids(
            "Worker 2 got a job; executing.\nShutting down.\nWorker 0 got a job; executing.\n",
        );
        assert_eq!(
            text,
            "Worker [ID] got a job; executing.\nShutting down.\nWorker [ID] got a job; executing.\n"
        );
        assert_eq!(ids, [2, 0]);
    }
}
