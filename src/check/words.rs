//! A verdict's words, made from its value last: the sentence that says the
//! behaviour and what the reader's project does instead, then the evidence
//! under it (a panic and the line of code it points at, the bytes of an
//! exchange with the first difference marked), the command to watch it
//! happen, and where the chapter deals with it.

use crate::registry::Step;
use crate::server::ADDRESS;

use super::verdict::{
    Behaviour, Body, Fault, Finding, Panic, Place, Repeated, Reproduce, Seen, Serial, Shape, Spare,
    Status, Verdict, Wait,
};

const SPARE: &str = "a client opens a connection and sends nothing (as browsers do, beside \
                     the connection they use)";

impl Verdict {
    /// The verdict in a sentence (and, where two outputs are compared,
    /// both of them under it): what the step does and, where the reader's
    /// project does otherwise, what it does and why.
    pub fn words(&self, step: &Step) -> String {
        let base = behaviour_words(&self.behaviour, step);
        let Some(finding) = &self.finding else {
            return base;
        };
        let see = self
            .see
            .map(|p| capitalised(&p.listing.label_in_sentence()));
        match finding {
            Finding::Compiles { .. } => format!("{base}; it compiles (the compiler's output is above)"),
            Finding::OtherErrors { codes, shown_at, .. } => format!(
                "{base}; yours: {} (the compiler's output is above)",
                errors_shown(codes, shown_at)
            ),
            Finding::NeverListened { within } => format!(
                "your server runs, but did not listen on {ADDRESS} within {} s: the chapter's binds \
                 it first thing (`TcpListener::bind(\"{ADDRESS}\")`, the first line of `main`), and \
                 by then has answered its first requests",
                within.as_secs()
            ),
            Finding::ExitedEarly { status, said, panic } => {
                let head = format!(
                    "your server exited ({status}) before it listened on {ADDRESS}, where the \
                     chapter's keeps serving"
                );
                match (panic, said.is_empty()) {
                    // What the check's cap on its memory did (`server::
                    // READERS_ADDRESS_SPACE`), where the OS has one.
                    (Some(panic), _) if panic.message.contains("failed to spawn thread") => {
                        format!(
                            "{head}; it {}: it started threads until it could start no \
                             more (the check gives a server {} GiB of address space; the \
                             chapter's needs a few MiB)",
                            panicked(panic),
                            crate::server::READERS_ADDRESS_SPACE >> 30
                        )
                    }
                    (Some(panic), _) => format!("{head}; it {}", panicked(panic)),
                    (None, true) => head,
                    (None, false) => format!(
                        "{head}; it said:\n{}",
                        indent(&said.join("\n")).trim_end()
                    ),
                }
            }
            Finding::ListensElsewhere { port } => format!(
                "your server listens on port {port}, not on {ADDRESS}: the chapter's servers bind \
                 {ADDRESS} (`TcpListener::bind(\"{ADDRESS}\")`), and that is where the requests go"
            ),
            Finding::DidNotStart { why } => why.replacen("the server", "your server", 1),
            Finding::PageNotInFolder { file, found } => {
                let mut where_ =
                    format!("{file} is not in your project's folder (where Cargo.toml is)");
                if !found.is_empty() {
                    where_.push_str(&format!(" but in {}", found.join(" and ")));
                }
                match &self.behaviour {
                    Behaviour::HasPage { .. } => where_,
                    _ => format!(
                        "{where_}: your server opens `{file}` relative to the folder it runs in, \
                         and `cargo run` runs it in the project's folder{}",
                        if found.is_empty() {
                            String::new()
                        } else {
                            ", so it does not find it there: move it next to Cargo.toml".into()
                        }
                    ),
                }
            }
            Finding::PrintsWithoutEnd {
                bytes,
                over,
                unread,
                chapters_lines,
                repeated,
                loop_never_ends,
            } => {
                let mut text = format!(
                    "your server printed {}{:.1} MB in {:.1} s{}, where the chapter's prints \
                     {chapters_lines} line{} in its whole session",
                    if *unread { "more than " } else { "" },
                    *bytes as f64 / 1e6,
                    over.as_secs_f64(),
                    if *unread {
                        " (the check stopped reading it there)"
                    } else {
                        ""
                    },
                    if *chapters_lines == 1 { "" } else { "s" }
                );
                match repeated {
                    Some(r) => {
                        text.push_str(&format!(": {}", repeated_words(r)));
                        if *loop_never_ends {
                            text.push_str(&format!(
                                ". The chapter's worker prints that line once, when `recv` fails \
                                 because the pool has dropped its sender; yours goes round its \
                                 loop again after it. {} breaks out of the loop there: `break;`",
                                see.as_deref().unwrap_or("The chapter")
                            ));
                        } else {
                            text.push_str(": a loop that prints it does not end");
                        }
                    }
                    None => text.push_str(": does something print in a loop that never ends?"),
                }
                text
            }
            Finding::HoldsConnections { waited, responds } => format!(
                "your server takes connections and never lets go of them: no request got a byte \
                 back within {} s, and the connection stayed open. A client sends its request \
                 and waits for the answer, so a server that reads on for more than the request \
                 waits forever: does handle_connection stop reading at the request's end (the \
                 empty line: `.take_while(|line| !line.is_empty())`){}?",
                waited.as_secs(),
                if *responds {
                    ", and then write the response"
                } else {
                    ""
                }
            ),
            Finding::Replied { shape, .. } => format!("{base}; yours: {}", shape_words(shape, false)),
            Finding::Hangs { joining, last_line } => match (joining, &see) {
                (Some(id), Some(fix)) => format!(
                    "{base}; yours printed `Shutting down worker {id}` and then nothing: its drop \
                     is joining worker {id}, which still waits for a job, because the channel is \
                     still open (its sender has not been dropped). {fix} drops the sender before \
                     the joins: `drop(self.sender.take());`"
                ),
                _ => match last_line {
                    Some(line) => {
                        format!("{base}; yours is still running, and the last line it printed is `{line}`")
                    }
                    None => format!("{base}; yours is still running, and printed nothing"),
                },
            },
            Finding::Exited => format!("{base}; yours exited"),
            Finding::DoesNotCrash => "the chapter's server crashes here; yours does not".into(),
            Finding::Crashed { status, .. } => {
                format!("your server crashed ({status}) where the chapter's keeps going")
            }
            Finding::ExitedByItself { ending } => format!("{base}; yours exited by itself ({ending})"),
            Finding::Framed { faults } => format!(
                "{base}; but {}",
                faults.iter().map(fault_words).collect::<Vec<_>>().join("; and ")
            ),
            Finding::PrintsOtherwise { expected, yours } => format!(
                "{base}:\n{}",
                expected_and_yours(expected, yours).trim_end()
            ),
            Finding::Serialises {
                why,
                threads,
                chapters_threads,
                workers_seen,
            } => format!(
                "`/` still waits behind `/sleep`: {}",
                serial_words(*why, *threads, *chapters_threads, workers_seen)
            ),
            Finding::DoesNotWait => "`/` does not wait behind `/sleep`, but at this step it should: \
                                     the chapter shows the problem here"
                .into(),
            Finding::TooClose { yours, chapters } => format!(
                "`/` behind `/sleep` took {yours:.1?} on yours and {chapters:.1?} on the \
                 chapter's: too close to call"
            ),
            Finding::Spare(spare) => spare_words(spare),
            Finding::EndsOtherwise { status } => format!("{base}; yours: {status}"),
        }
    }

    /// The evidence under the sentence, a line each: the panic and the
    /// line of the reader's code it points at; the exchange's bytes with
    /// the first difference marked.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(panic) = self.finding.as_ref().and_then(Finding::panic) {
            // Told in the sentence where the server exited before it
            // listened.
            if !matches!(self.finding, Some(Finding::ExitedEarly { .. })) {
                lines.push(format!("your server {}", panicked(panic)));
            }
            if let (Some(source), Some(line)) = (&panic.source, panic_line(panic)) {
                lines.push(format!("  {line} | {source}"));
            }
        }
        if let Some(seen) = &self.seen {
            lines.extend(exchange_lines(seen));
        }
        lines
    }

    /// What goes under the sentence, a line each: the evidence, the
    /// command that shows it and where the chapter deals with it.
    pub fn details(&self) -> Vec<String> {
        let mut lines = self.evidence();
        if let Some(command) = self.command() {
            lines.push(format!(
                "see it yourself, with your server running: {command}"
            ));
        }
        if let Some(place) = self.where_in_the_chapter() {
            lines.push(format!("in the chapter: {place}"));
        }
        lines
    }

    /// The verdict as the tour shows it, without colour: its mark and
    /// sentence, then its details, indented.
    pub fn plain(&self, step: &Step) -> String {
        let mut text = format!("{} {}\n", mark(self.status), self.words(step));
        for line in self.details() {
            text.push_str(&format!("    {line}\n"));
        }
        text
    }

    /// The command a reader can paste, with their server running, to
    /// watch it happen.
    pub fn command(&self) -> Option<String> {
        self.reproduce.as_ref().map(Reproduce::command)
    }

    /// Where the chapter deals with it, in words: `listing 21-5, under
    /// “Returning Real HTML”`.
    pub(crate) fn where_in_the_chapter(&self) -> Option<String> {
        self.see.map(|p| p.words())
    }
}

impl Place {
    pub fn words(&self) -> String {
        format!(
            "{}, under “{}”",
            self.listing.label_in_sentence(),
            self.heading
        )
    }
}

impl Reproduce {
    /// The shell command (curl, or printf and nc).
    pub fn command(&self) -> String {
        match self {
            Reproduce::Curl { path } => format!("curl -v http://{ADDRESS}{path}"),
            Reproduce::Nc { request } => {
                let (host, port) = ADDRESS.split_once(':').expect("an address with a port");
                format!(
                    "printf '{}' | nc {host} {port}",
                    request
                        .replace('\\', "\\\\")
                        .replace('%', "%%")
                        .replace('\'', "'\\''")
                        .replace('\r', "\\r")
                        .replace('\n', "\\n")
                )
            }
            Reproduce::TwoRequests => {
                format!("curl -s -o /dev/null {ADDRESS}/; curl -s -o /dev/null {ADDRESS}/")
            }
            Reproduce::RootBehindSleep => format!(
                "curl -s -o /dev/null {ADDRESS}/sleep & sleep 1; curl -s -o /dev/null -w '/ took \
                 %{{time_total}} s\\n' {ADDRESS}/"
            ),
        }
    }
}

/// What the behaviour is, as the chapter's server has it.
fn behaviour_words(behaviour: &Behaviour, step: &Step) -> String {
    match behaviour {
        Behaviour::HasPage { file } => {
            format!("{file} is in your project's folder, next to Cargo.toml")
        }
        Behaviour::FailsToCompile { codes } => format!(
            "your project fails to compile with {}, as the chapter's does at this step",
            codes.join(" and ")
        ),
        Behaviour::CommandPrints { args } => {
            format!(
                "`cargo run -- {}` prints what {} prints",
                args.join(" "),
                step.name
            )
        }
        Behaviour::CommandEnds { status } => format!("it ends as {} does ({status})", step.name),
        Behaviour::PagesInPlace { files } => format!(
            "{} {} in your project's folder, where your server reads {}",
            files.join(" and "),
            if files.len() == 1 { "is" } else { "are" },
            if files.len() == 1 { "it" } else { "them" }
        ),
        Behaviour::Listens => format!("your server listens on {ADDRESS}"),
        Behaviour::PrintsWithinReason => "your server prints a line or two for each request".into(),
        Behaviour::Answers => "your server answers the connections it takes".into(),
        Behaviour::Replies { path, expected } => {
            format!("GET {path}: {}", shape_words(expected, true))
        }
        Behaviour::ShutsDown { by_itself: true } => {
            "the server shuts down by itself after two connections".into()
        }
        Behaviour::ShutsDown { by_itself: false } => "the server keeps running".into(),
        Behaviour::CrashesHere { panic } => format!(
            "the server crashes here, as the chapter's does{}",
            panic
                .as_ref()
                .map(|p| format!(": both panic with `{p}`"))
                .unwrap_or_default()
        ),
        Behaviour::KeepsServing => "the server keeps serving until it is stopped".into(),
        Behaviour::Framing => "its responses are framed as the chapter's: a status line, headers, \
                               an empty line, then the body"
            .into(),
        Behaviour::PrintsAlike => "it prints what the chapter's server prints".into(),
        Behaviour::Waits {
            chapters: Wait::Waits,
        } => "`/` waits behind `/sleep`, as the chapter shows at this step".into(),
        Behaviour::Waits { .. } => "`/` does not wait behind `/sleep`".into(),
        Behaviour::SpareConnection => format!("your server does as the chapter's when {SPARE}"),
        Behaviour::CtrlCSkipsDrop => "like the chapter's server, yours stops at ctrl-C without \
                                      running `Drop`: the process ends there, so no worker is \
                                      joined and no shutdown line printed; it shuts down \
                                      gracefully only after its two requests \
                                      (beyond-04-shutdown-on-signal answers ctrl-C with the \
                                      graceful shutdown)"
            .into(),
        Behaviour::BrowserTabsLookSerial => "to see `/` not wait behind `/sleep` for yourself, \
                                             use two different requests (`/sleep` in one tab, \
                                             `/` in another): a browser sends a second request \
                                             for a page it is still loading only after the first \
                                             is answered, so two tabs of `/sleep` look one at a \
                                             time whatever the pool does"
            .into(),
    }
}

/// A reply in words; `chapters`: the chapter's reply, whose pages are said
/// as the reader's own (`with your hello.html`).
fn shape_words(shape: &Shape, chapters: bool) -> String {
    match shape {
        Shape::NoResponse => "no response (the server closes the connection)".into(),
        Shape::Refused => "refused (nothing listens any more)".into(),
        Shape::TimedOut => "no complete response within the time bound".into(),
        Shape::Response {
            status,
            ends_head,
            body,
        } => {
            let status = status
                .as_deref()
                .unwrap_or("a response with no status line");
            if !ends_head {
                return format!("{status} with no empty line after its headers");
            }
            match body {
                Body::Page(file) if chapters => format!("{status} with your {file}"),
                Body::Page(file) => format!("{status} with {file}"),
                Body::Empty => format!("{status} with an empty body"),
                Body::Other => format!("{status} with another body"),
            }
        }
    }
}

/// A fault of a response's framing, with what the chapter's server does.
fn fault_words(fault: &Fault) -> String {
    match fault {
        Fault::NoEmptyLine => "no empty line ends its headers, so a client cannot tell where the \
                               body starts (the chapter's server writes `\\r\\n\\r\\n` before \
                               the body)"
            .into(),
        Fault::BareLineFeeds => "its lines end in `\\n` alone, where HTTP wants `\\r\\n` (the \
                                 chapter's server writes `\\r\\n` after each line)"
            .into(),
        Fault::NoContentLength { chapters } => format!(
            "it sends no Content-Length header: the chapter's server sends `Content-Length: \
             {chapters}`, the body's length in bytes, so that a client knows where the body ends"
        ),
        Fault::WrongContentLength { says, body } if says > body => format!(
            "its Content-Length says {says} where its body has {body} bytes: a client waits for \
             {} more that never come (curl: \"transfer closed with {} bytes remaining\")",
            says - body,
            says - body
        ),
        Fault::WrongContentLength { says, body } => format!(
            "its Content-Length says {says} where its body has {body} bytes: a client stops \
             reading {} bytes early",
            body - says
        ),
        Fault::ContentLengthNotANumber { says } => {
            format!("its Content-Length is `{says}`, which is not a number of bytes")
        }
    }
}

/// Why `/` waited, as far as the evidence tells, with the evidence.
fn serial_words(
    why: Serial,
    threads: Option<usize>,
    chapters_threads: Option<usize>,
    seen: &[usize],
) -> String {
    let chapters = chapters_threads
        .map(|t| {
            format!(
                ", where the chapter's runs {t}: `main` and {} workers",
                t - 1
            )
        })
        .unwrap_or_default();
    match why {
        Serial::OneConnectionAtATime => "your server handles one connection at a time".into(),
        Serial::NoWorkerThreads => format!(
            "your server runs no thread besides `main`{chapters}, so each job runs on the main \
             thread, one after the other"
        ),
        Serial::JobsNotSent => String::from(
            "no worker of your pool took a job (it printed no `Worker N got a job` line, where \
             the chapter's workers print one for each job), so the jobs run where `execute` is \
             called, on the main thread, one after the other: does `execute` send each job down \
             the channel (`self.sender.send(job)`)?",
        ),
        Serial::PoolOfOne => format!(
            "your pool has one worker: your server runs 2 threads, `main` and one worker{chapters} \
             (`ThreadPool::new(4)`), so one job runs at a time"
        ),
        Serial::WorkersTakeTurns => {
            let workers = match threads {
                Some(t) => format!("your pool has {} workers", t - 1),
                None => format!("workers {} of your pool took jobs", list(seen)),
            };
            format!(
                "{workers}, but ran the second job only once the first was done. A worker that \
                 holds the lock on the receiver while it runs its job does that: a `while let`, \
                 `if let` or `match` on `receiver.lock().unwrap().recv()` keeps the lock until \
                 the end of its block"
            )
        }
        Serial::OneWorkerOrTheLock => format!(
            "only worker {} took jobs, one after the other: your pool has one worker, or a worker \
             holds the lock on the receiver while it runs its job (the check cannot count your \
             server's threads on this OS to tell which)",
            list(seen)
        ),
    }
}

fn spare_words(spare: &Spare) -> String {
    match spare {
        Spare::PanicsAWorker { counted: true } => format!(
            "like the chapter's server, yours panics a worker when {SPARE}; and the chapter's \
             `.take(2)` counts it as one of its two connections, so a browser's first visit may \
             use up both; beyond-03-no-unwrap shows how to answer it instead"
        ),
        Spare::PanicsAWorker { counted: false } => format!(
            "like the chapter's server, yours panics a worker when {SPARE}, and serves on with \
             the others; beyond-03-no-unwrap shows how to answer it instead"
        ),
        Spare::Crashes => format!(
            "like the chapter's server, yours crashes when {SPARE}; beyond-03-no-unwrap shows how \
             to answer it instead"
        ),
        Spare::Panics { .. } => {
            format!("your server panics when {SPARE}, where the chapter's does not")
        }
        Spare::TakesItInStride => {
            format!("your server takes it in its stride when {SPARE}, where the chapter's panics")
        }
        Spare::PrintsALine => format!(
            "like the chapter's server, yours prints a line when {SPARE}: one visit from a \
             browser may print two or three"
        ),
    }
}

/// Whether and where the chapter shows the errors `codes`, in words.
pub(super) fn errors_shown(codes: &[String], shown_at: &[&str]) -> String {
    if codes.is_empty() {
        return "it fails without an error code (cargo's message is above)".into();
    }
    let errors = codes.join(" and ");
    match shown_at {
        [] => format!("it fails with {errors}, which the chapter never shows: a typo of yours?"),
        _ => format!(
            "it fails with {errors}, the error the chapter shows at {}",
            shown_at.join(", ")
        ),
    }
}

/// `` `line` × 59,000 (from workers 1 and 2) ``.
fn repeated_words(r: &Repeated) -> String {
    let mut text = format!("`{}` × {}", r.line, thousands(r.times));
    if r.workers.len() > 1 {
        text.push_str(&format!(" (from workers {} together)", list(&r.workers)));
    }
    text
}

/// `panicked at src/main.rs:26:52: message`, in one line.
fn panicked(panic: &Panic) -> String {
    match &panic.location {
        Some(at) => format!("panicked at {at}: {}", panic.message),
        None => format!("panicked: {}", panic.message),
    }
}

/// The line number of a panic's location.
fn panic_line(panic: &Panic) -> Option<&str> {
    let location = panic.location.as_deref()?;
    let mut parts = location.rsplitn(3, ':');
    parts.next()?;
    parts.next()
}

/// The bytes sent and received, with `\r` and `\n` shown, and where the
/// reader's reply first differs from the chapter's (with the reader's
/// pages).
fn exchange_lines(seen: &Seen) -> Vec<String> {
    let sent: String = visible_lines(&seen.sent).concat();
    let mut lines = vec![format!("sent:           {sent}")];
    let yours = visible_lines(&seen.received);
    let chapters = visible_lines(&seen.chapters);
    let differs = (0..yours.len().max(chapters.len())).find(|&i| yours.get(i) != chapters.get(i));
    const LABEL: &str = "your server:    ";
    const PAD: &str = "                ";
    if yours.is_empty() {
        lines.push(format!("{LABEL}nothing"));
    }
    let shown = match differs {
        Some(i) => i + 1,
        None => yours.len(),
    }
    .min(yours.len());
    // The lines up to the first difference; of a long head, its last few.
    let from = shown.saturating_sub(6);
    if from > 0 {
        lines.push(format!("{LABEL}… {from} lines as the chapter's …"));
    }
    for (i, line) in yours.iter().enumerate().take(shown).skip(from) {
        lines.push(format!(
            "{}{line}",
            if i == from && from == 0 { LABEL } else { PAD }
        ));
    }
    if let Some(i) = differs {
        let column = match (yours.get(i), chapters.get(i)) {
            (Some(a), Some(b)) => {
                let same: Vec<char> = a
                    .chars()
                    .zip(b.chars())
                    .take_while(|(x, y)| x == y)
                    .map(|(x, _)| x)
                    .collect();
                // Under the start of an escape (`\r`), not its letter.
                same.len() - usize::from(same.last() == Some(&'\\'))
            }
            _ => 0,
        };
        let chapters_line = chapters
            .get(i)
            .map(|l| format!("`{l}`"))
            .unwrap_or_else(|| "nothing more".into());
        if yours.get(i).is_some() {
            lines.push(format!(
                "{PAD}{}^ the chapter's server sends {chapters_line} here",
                " ".repeat(column)
            ));
        } else {
            lines.push(format!(
                "{PAD}^ and then nothing, where the chapter's server sends {chapters_line}"
            ));
        }
    }
    lines
}

/// Bytes as lines, each with its `\r` and `\n` written out.
fn visible_lines(bytes: &[u8]) -> Vec<String> {
    crate::session::show_bytes(bytes)
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
        .collect()
}

/// Two outputs, under `expected:` and `yours:`, aligned with a verdict's
/// text.
pub(super) fn expected_and_yours(want: &str, got: &str) -> String {
    format!("  expected:\n{}  yours:\n{}", indent(want), indent(got))
}

/// `text` indented four spaces, or `(nothing)`.
pub(super) fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (nothing)\n".to_string();
    }
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `0`, `0 and 2`, `0, 1 and 2`.
fn list(ids: &[usize]) -> String {
    let mut ids: Vec<usize> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let words: Vec<String> = ids.iter().map(usize::to_string).collect();
    match &words[..] {
        [] => "none".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A whole number as a reader writes it: `410,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The status of a verdict as its mark: ✓, ✗ or ⓘ.
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Holds => "✓",
        Status::Fails => "✗",
        Status::Note => "ⓘ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;
    use crate::session::End;

    #[test]
    fn the_first_difference_of_a_reply_is_marked_under_it() {
        let seen = Seen {
            path: "/".into(),
            sent: crate::session::request("/"),
            received: b"HTTP/1.1 200 OK\r\n\r\n<p>hi</p>\n".to_vec(),
            chapters: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n<p>hi</p>\n".to_vec(),
            end: End::Closed,
        };
        assert_eq!(
            exchange_lines(&seen),
            [
                "sent:           GET / HTTP/1.1\\r\\nHost: 127.0.0.1:7878\\r\\n\\r\\n",
                "your server:    HTTP/1.1 200 OK\\r\\n",
                "                \\r\\n",
                "                ^ the chapter's server sends `Content-Length: 10\\r\\n` here",
            ]
        );
        // A bare \n is marked at its column.
        let bare = Seen {
            received: b"HTTP/1.1 200 OK\nContent-Length: 10\n\n<p>hi</p>\n".to_vec(),
            ..seen.clone()
        };
        let lines = exchange_lines(&bare);
        assert_eq!(lines[1], "your server:    HTTP/1.1 200 OK\\n");
        assert_eq!(
            lines[2],
            "                               ^ the chapter's server sends `HTTP/1.1 200 OK\\r\\n` here"
        );
        // Nothing at all.
        let none = Seen {
            received: vec![],
            ..seen
        };
        assert_eq!(
            exchange_lines(&none)[1..],
            [
                "your server:    nothing",
                "                ^ and then nothing, where the chapter's server sends `HTTP/1.1 200 OK\\r\\n`"
            ]
        );
    }

    #[test]
    fn the_commands_are_ones_a_shell_takes() {
        assert_eq!(
            Reproduce::Curl {
                path: "/sleep".into()
            }
            .command(),
            "curl -v http://127.0.0.1:7878/sleep"
        );
        assert_eq!(
            Reproduce::Nc {
                request: "GET / HTTP/1.1\r\nHost: 127.0.0.1:7878\r\n\r\n".into()
            }
            .command(),
            "printf 'GET / HTTP/1.1\\r\\nHost: 127.0.0.1:7878\\r\\n\\r\\n' | nc 127.0.0.1 7878"
        );
    }

    #[test]
    fn numbers_and_lists_read_as_a_reader_writes_them() {
        assert_eq!(thousands(410_000), "410,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(list(&[2, 0, 1, 0]), "0, 1 and 2");
        assert_eq!(list(&[3]), "3");
    }

    #[test]
    fn a_verdict_that_holds_says_the_behaviour_alone() {
        let step = find("listing-21-05").unwrap();
        let v = Verdict::holds(Behaviour::Replies {
            path: "/".into(),
            expected: Shape::Response {
                status: Some("HTTP/1.1 200 OK".into()),
                ends_head: true,
                body: Body::Page("hello.html"),
            },
        });
        assert_eq!(v.words(step), "GET /: HTTP/1.1 200 OK with your hello.html");
        assert!(v.evidence().is_empty() && v.command().is_none());
    }
}
