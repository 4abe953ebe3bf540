//! What the strict servers (beyond-07, and the async ones after it) read
//! from a client and write back, without any I/O: bytes in, as they arrive
//! and in pieces of any size, and out a request, a refusal with its status,
//! or a wish for more. Each server reads its socket its own way (a thread
//! that blocks, a task that awaits) and hands the bytes to a [`Reader`];
//! the fuzz targets in `fuzz/` hand it whatever they like.
//!
//! The head is parsed by httparse (the parser under hyper); what RFC 9112
//! asks of a server beyond what httparse checks is here: one `Host` in
//! HTTP/1.1, a `Content-Length` that is one number, the `chunked` coding
//! decoded, the other codings refused, limits on everything, and a
//! `HTTP/1.x` of a later minor version read as HTTP/1.1.

/// The largest request head (request line and headers) the server reads,
/// and the most header lines; past either, 431. A chunked body's trailer
/// section is held to the same two limits.
pub const HEAD_LIMIT: usize = 8 * 1024;
pub const MAX_HEADERS: usize = 64;

/// The largest body the server reads (and discards), however it is
/// framed; past it, 413.
pub const BODY_LIMIT: u64 = 1024 * 1024;

/// The longest line that starts a chunk (its size and any extensions);
/// past it, 400.
const CHUNK_LINE_LIMIT: usize = 1024;

/// A response's status line, without its line ending.
pub type Status = &'static str;

pub const OK: Status = "HTTP/1.1 200 OK";
pub const BAD_REQUEST: Status = "HTTP/1.1 400 BAD REQUEST";
pub const NOT_FOUND: Status = "HTTP/1.1 404 NOT FOUND";
pub const METHOD_NOT_ALLOWED: Status = "HTTP/1.1 405 METHOD NOT ALLOWED";
pub const REQUEST_TIMEOUT: Status = "HTTP/1.1 408 REQUEST TIMEOUT";
pub const CONTENT_TOO_LARGE: Status = "HTTP/1.1 413 CONTENT TOO LARGE";
pub const HEADERS_TOO_LARGE: Status =
    "HTTP/1.1 431 REQUEST HEADER FIELDS TOO LARGE";
pub const SERVER_ERROR: Status = "HTTP/1.1 500 INTERNAL SERVER ERROR";
pub const NOT_IMPLEMENTED: Status = "HTTP/1.1 501 NOT IMPLEMENTED";
pub const VERSION_NOT_SUPPORTED: Status =
    "HTTP/1.1 505 HTTP VERSION NOT SUPPORTED";

/// The methods the server answers, as a 405 lists them in `Allow`.
pub const ALLOWED: &str = "GET, HEAD";

/// A request the server can answer (its body, if it had one, has been
/// read and thrown away).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The minor version it is read as (`HTTP/1.x`): a client's
    /// `HTTP/1.2` is read as HTTP/1.1, the latest this server speaks.
    pub version: u8,
}

/// Where reading a request stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// It has not all arrived.
    More,
    /// It has all arrived: the request, its body read and thrown away.
    Request(Request),
    /// The server refuses it with this status (and then closes the
    /// connection, so the rest of what the client sends is never read).
    Refused(Status),
}

/// One request, read from the bytes a client sends. It holds at most the
/// head (or, in a chunked body, the trailer section) and never more than
/// [`HEAD_LIMIT`] bytes of it; a body is counted, not kept.
#[derive(Debug)]
pub struct Reader {
    state: State,
}

#[derive(Debug)]
enum State {
    /// The head so far, fewer than `HEAD_LIMIT` bytes.
    Head(Vec<u8>),
    /// The head has been read; its body is being read.
    Body(Request, Body),
    /// What was decided: said again to anything that follows.
    Over(Progress),
}

impl Default for Reader {
    fn default() -> Self {
        Reader {
            state: State::Head(Vec::with_capacity(1024)),
        }
    }
}

impl Reader {
    /// Read the next `bytes` the client sent (after a request or a
    /// refusal, they change nothing).
    pub fn feed(&mut self, bytes: &[u8]) -> Progress {
        let progress = match &mut self.state {
            State::Over(progress) => return progress.clone(),
            State::Head(head) => {
                let take = bytes.len().min(HEAD_LIMIT - head.len());
                head.extend_from_slice(&bytes[..take]);
                match parse_head(head) {
                    Parsed::Partial => Progress::More,
                    Parsed::Refused(status) => Progress::Refused(status),
                    Parsed::Complete {
                        request,
                        length,
                        body,
                    } => {
                        // What came after the head is the body's start.
                        let start = head.split_off(length);
                        let mut body = body;
                        match body
                            .feed(&start)
                            .and_then(|()| body.feed(&bytes[take..]))
                        {
                            Err(status) => Progress::Refused(status),
                            Ok(()) if body.is_done() => {
                                Progress::Request(request)
                            }
                            Ok(()) => {
                                self.state = State::Body(request, body);
                                return Progress::More;
                            }
                        }
                    }
                }
            }
            State::Body(request, body) => match body.feed(bytes) {
                Err(status) => Progress::Refused(status),
                Ok(()) if body.is_done() => Progress::Request(request.clone()),
                Ok(()) => Progress::More,
            },
        };
        if progress != Progress::More {
            self.state = State::Over(progress.clone());
        }
        progress
    }

    /// The client has closed its side (or will send nothing more): `None`
    /// if it sent nothing at all, and nobody waits for an answer; a
    /// request cut short is a bad request.
    pub fn end(&mut self) -> Option<Progress> {
        let progress = match &self.state {
            State::Head(head) if head.is_empty() => return None,
            State::Over(progress) => progress.clone(),
            State::Head(_) | State::Body(..) => Progress::Refused(BAD_REQUEST),
        };
        self.state = State::Over(progress.clone());
        Some(progress)
    }

    /// How many bytes it holds: the bound on its memory that the
    /// properties (`stages/beyond/tests/http.rs`) and the fuzz targets
    /// check. The steps' own test builds leave it unused.
    #[cfg(any(test, fuzzing))]
    #[allow(dead_code)]
    pub fn held(&self) -> usize {
        match &self.state {
            State::Head(head) => head.capacity(),
            State::Body(request, body) => {
                request.method.capacity()
                    + request.path.capacity()
                    + body.held()
            }
            State::Over(Progress::Request(request)) => {
                request.method.capacity() + request.path.capacity()
            }
            State::Over(_) => 0,
        }
    }
}

/// What a reader makes of `pieces`, sent one after the other, then the
/// client's end: the driver of the properties (`tests/suite/
/// strict_requests.rs`) and the fuzz targets (`fuzz/`), which checks on the
/// way that the reader never holds more than three heads' worth, and that
/// what it has decided stays decided.
#[cfg(any(test, fuzzing))]
#[allow(dead_code)]
pub fn read_all<'a>(
    pieces: impl IntoIterator<Item = &'a [u8]>,
) -> Option<Progress> {
    let mut reader = Reader::default();
    for piece in pieces {
        let progress = reader.feed(piece);
        assert!(
            reader.held() <= 3 * HEAD_LIMIT,
            "the reader holds {} bytes",
            reader.held()
        );
        if progress != Progress::More {
            assert_eq!(reader.feed(b"GET / HTTP/1.1\r\n\r\n"), progress);
            assert_eq!(reader.end(), Some(progress.clone()));
            return Some(progress);
        }
    }
    let end = reader.end();
    assert_ne!(end, Some(Progress::More), "the end decides");
    end
}

/// The statuses a refusal may have: RFC 9112's for what a client sent.
#[cfg(any(test, fuzzing))]
#[allow(dead_code)]
pub const REFUSALS: &[Status] = &[
    BAD_REQUEST,
    CONTENT_TOO_LARGE,
    HEADERS_TOO_LARGE,
    NOT_IMPLEMENTED,
    VERSION_NOT_SUPPORTED,
];

/// The bytes of a response: its status line, its `Content-Length`,
/// `Connection: close` (the server answers one request a connection and
/// says so), on a 405 the methods it allows (RFC 9110, 15.5.6), then the
/// body, unless the request was a `HEAD` (9.3.2), which is answered as a
/// `GET` would be, headers alone, the same `Content-Length` included.
pub fn response(status: Status, body: &str, head_only: bool) -> Vec<u8> {
    let length = body.len();
    let allow = if status == METHOD_NOT_ALLOWED {
        format!("Allow: {ALLOWED}\r\n")
    } else {
        String::new()
    };
    let body = if head_only { "" } else { body };
    format!("{status}\r\nContent-Length: {length}\r\n{allow}Connection: close\r\n\r\n{body}")
        .into_bytes()
}

/// What a head, as far as it has arrived, says.
#[derive(Debug, PartialEq, Eq)]
enum Parsed {
    /// It has not all arrived.
    Partial,
    /// A request the server can answer: the length of its head in bytes,
    /// and how its body is framed.
    Complete {
        request: Request,
        length: usize,
        body: Body,
    },
    /// A request the server refuses, with this status.
    Refused(Status),
}

/// The head of a request (fewer than `HEAD_LIMIT` bytes, or exactly that
/// many when it has not ended), parsed by httparse, then held to what RFC
/// 9112 asks of a server that httparse leaves to its caller.
fn parse_head(bytes: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let length = match request.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return partial(bytes),
        Err(httparse::Error::TooManyHeaders) => {
            return Parsed::Refused(HEADERS_TOO_LARGE);
        }
        // httparse reads HTTP/1.0 and HTTP/1.1 only.
        Err(httparse::Error::Version) => {
            return match version_of(bytes) {
                Version::Unfinished => partial(bytes),
                // A later HTTP/1.x is read as the latest this server
                // speaks (RFC 9110, 2.5: a recipient SHOULD process it as
                // the highest minor version it conforms to). The minor
                // digit is the line's last byte before its end.
                Version::Sent {
                    major: 1,
                    minor: 2..,
                } => {
                    let at = bytes
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(0, |end| {
                            end - usize::from(bytes[end - 1] == b'\r')
                        });
                    let mut read_as = bytes.to_vec();
                    read_as[at - 1] = b'1';
                    parse_head(&read_as)
                }
                // Another major version (`HTTP/2.0`, `HTTP/9.9`).
                Version::Sent { major: 2.., .. }
                | Version::Sent { major: 0, .. } => {
                    Parsed::Refused(VERSION_NOT_SUPPORTED)
                }
                Version::Sent { .. } | Version::Malformed => {
                    Parsed::Refused(BAD_REQUEST)
                }
            };
        }
        // A bad method, path, header name or value, or line ending.
        Err(_) => return Parsed::Refused(BAD_REQUEST),
    };
    let headers = &*request.headers;
    let named = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    };
    let (Some(method), Some(path), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Parsed::Refused(BAD_REQUEST);
    };
    // HTTP/1.1 requires exactly one Host (RFC 9112, 3.2).
    if version == 1 && named("host").count() != 1 {
        return Parsed::Refused(BAD_REQUEST);
    }
    let body = if named("transfer-encoding").next().is_some() {
        // With a Content-Length as well, the request is ambiguous (6.3),
        // and in HTTP/1.0 its framing is faulty (6.1).
        if version == 0 || named("content-length").next().is_some() {
            return Parsed::Refused(BAD_REQUEST);
        }
        let codings = named("transfer-encoding")
            .flat_map(|h| h.value.split(|&b| b == b','))
            .map(trim)
            .filter(|coding| !coding.is_empty());
        match transfer_codings(codings) {
            Ok(body) => body,
            Err(status) => return Parsed::Refused(status),
        }
    } else {
        let mut length = None;
        for header in named("content-length") {
            match (content_length(header.value), length) {
                (None, _) => return Parsed::Refused(BAD_REQUEST),
                (Some(this), Some(before)) if this != before => {
                    return Parsed::Refused(BAD_REQUEST);
                }
                (this, _) => length = this,
            }
        }
        let length = length.unwrap_or(0);
        if length > BODY_LIMIT {
            return Parsed::Refused(CONTENT_TOO_LARGE);
        }
        Body::Length(length)
    };
    Parsed::Complete {
        request: Request {
            method: method.to_string(),
            path: path.to_string(),
            version,
        },
        length,
        body,
    }
}

/// A head that has not ended: more is needed, unless it has reached the
/// limit.
fn partial(bytes: &[u8]) -> Parsed {
    if bytes.len() >= HEAD_LIMIT {
        Parsed::Refused(HEADERS_TOO_LARGE)
    } else {
        Parsed::Partial
    }
}

/// A request's transfer codings, in the order they were applied (RFC 9112,
/// 6.1 and 6.3): `chunked` last and once is a body this server decodes; a
/// body whose last coding is not `chunked` has no length a server can know
/// (400); a coding before it that the server does not know is 501.
fn transfer_codings<'a>(
    codings: impl Iterator<Item = &'a [u8]>,
) -> Result<Body, Status> {
    let codings: Vec<&[u8]> = codings.collect();
    let chunked = |coding: &&[u8]| coding.eq_ignore_ascii_case(b"chunked");
    match codings.split_last() {
        Some((last, before)) if chunked(last) => {
            if before.iter().any(chunked) {
                // A sender MUST NOT apply chunked more than once (7).
                Err(BAD_REQUEST)
            } else if before.iter().all(|coding| is_coding(coding)) {
                if before.is_empty() {
                    Ok(Body::Chunked(Chunked::default()))
                } else {
                    Err(NOT_IMPLEMENTED)
                }
            } else {
                Err(BAD_REQUEST)
            }
        }
        _ => Err(BAD_REQUEST),
    }
}

/// A transfer coding as the grammar has it: a token, then any parameters
/// (`gzip`, `x-mine;q=1`), which this server implements none of.
fn is_coding(coding: &[u8]) -> bool {
    let name = coding.split(|&b| b == b';').next().unwrap_or_default();
    !name.is_empty() && name.iter().all(|&b| is_tchar(b))
}

/// A byte of a token (RFC 9110, 5.6.2).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `bytes` without the spaces and tabs around it.
fn trim(bytes: &[u8]) -> &[u8] {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// A `Content-Length` value: one or more digits that fit a `u64`, and
/// nothing else (no sign, no space inside, no list).
fn content_length(value: &[u8]) -> Option<u64> {
    let value = std::str::from_utf8(value).ok()?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// The version a request line names, where httparse refused it.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    /// Well formed, `HTTP/` then a digit, a dot and a digit (RFC 9112,
    /// 2.3): not 1.0 or 1.1, or httparse would have read it.
    Sent { major: u8, minor: u8 },
    /// The line has not ended, and what there is of its third word may
    /// yet be a version: the answer waits for the rest, so that it is the
    /// same however the request is split.
    Unfinished,
    /// Anything else: not a request line of HTTP's.
    Malformed,
}

/// What the third word of the request line says of its version.
fn version_of(head: &[u8]) -> Version {
    let end = head.iter().position(|&b| b == b'\n');
    let line = &head[..end.unwrap_or(head.len())];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let words: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let [_, _, word] = words[..] else {
        return Version::Malformed;
    };
    match *word {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit()
                && minor.is_ascii_digit()
                && end.is_some() =>
        {
            Version::Sent {
                major: major - b'0',
                minor: minor - b'0',
            }
        }
        _ if end.is_none() && could_start_a_version(word) => {
            Version::Unfinished
        }
        _ => Version::Malformed,
    }
}

/// Whether `word` is the start (or all) of `HTTP/` digit `.` digit.
fn could_start_a_version(word: &[u8]) -> bool {
    const SHAPE: &[u8] = b"HTTP/0.0";
    word.len() <= SHAPE.len()
        && word.iter().zip(SHAPE).all(|(&b, &shape)| {
            if shape == b'0' {
                b.is_ascii_digit()
            } else {
                b == shape
            }
        })
}

/// How a request's body is framed, and how much of it has been read.
#[derive(Debug, PartialEq, Eq)]
enum Body {
    /// A `Content-Length` body (none is a body of 0): the bytes still to
    /// come.
    Length(u64),
    /// A body in the chunked transfer coding.
    Chunked(Chunked),
}

impl Body {
    /// Read the next bytes of the body (past its end, bytes are not read:
    /// the server answers one request a connection).
    fn feed(&mut self, bytes: &[u8]) -> Result<(), Status> {
        match self {
            Body::Length(left) => {
                *left = left.saturating_sub(bytes.len() as u64);
                Ok(())
            }
            Body::Chunked(chunked) => chunked.feed(bytes),
        }
    }

    fn is_done(&self) -> bool {
        match self {
            Body::Length(left) => *left == 0,
            Body::Chunked(chunked) => chunked.step == Step::Done,
        }
    }

    #[cfg(any(test, fuzzing))]
    #[allow(dead_code)]
    fn held(&self) -> usize {
        match self {
            Body::Length(_) => 0,
            Body::Chunked(chunked) => chunked.trailers.capacity(),
        }
    }
}

/// A chunked body being decoded (RFC 9112, 7.1): chunks, each a size in
/// hexadecimal (with extensions, ignored), a line end, that many bytes and
/// a line end; then a chunk of size 0, a trailer section of field lines
/// (read, checked and thrown away), and an empty line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Chunked {
    step: Step,
    /// The bytes of data in the chunks so far, the size of the one being
    /// read included.
    total: u64,
    /// The bytes of the line that starts the chunk being read.
    line: usize,
    /// The trailer section so far.
    trailers: Vec<u8>,
}

/// Where in a chunked body the decoder is.
#[derive(Debug, Default, PartialEq, Eq)]
enum Step {
    /// A chunk's line, before its first hex digit.
    #[default]
    Size,
    /// The size's hex digits so far.
    Digits(u64),
    /// After the digits: spaces and tabs, then from a `;` on extensions
    /// (`started`), until CR.
    Extensions {
        size: u64,
        started: bool,
    },
    /// CR has ended the chunk's line; LF must follow.
    SizeEnd(u64),
    /// The bytes of the chunk's data still to come.
    Data(u64),
    /// The CR, then the LF, after a chunk's data.
    DataCr,
    DataLf,
    /// After the last chunk: the trailer section and its empty line.
    Trailers,
    Done,
}

impl Chunked {
    fn feed(&mut self, mut bytes: &[u8]) -> Result<(), Status> {
        while let Some((&b, rest)) = bytes.split_first() {
            match self.step {
                Step::Done => return Ok(()),
                Step::Data(left) => {
                    // The data itself: skipped whole, not byte by byte.
                    let skip =
                        bytes.len().min(left.try_into().unwrap_or(usize::MAX));
                    let left = left - skip as u64;
                    self.step = if left == 0 {
                        Step::DataCr
                    } else {
                        Step::Data(left)
                    };
                    bytes = &bytes[skip..];
                    continue;
                }
                Step::Trailers => return self.trailers(bytes),
                _ => self.byte(b)?,
            }
            bytes = rest;
        }
        Ok(())
    }

    /// One byte of the line that starts a chunk, or of a chunk's end.
    fn byte(&mut self, b: u8) -> Result<(), Status> {
        if matches!(
            self.step,
            Step::Size | Step::Digits(_) | Step::Extensions { .. }
        ) {
            self.line += 1;
            if self.line > CHUNK_LINE_LIMIT {
                return Err(BAD_REQUEST);
            }
        }
        self.step = match (&self.step, b) {
            (Step::Size, _) => Step::Digits(self.digit(0, b)?),
            (&Step::Digits(size), _) if b.is_ascii_hexdigit() => {
                Step::Digits(self.digit(size, b)?)
            }
            // Spaces before a `;` (BWS), then extensions of visible
            // characters, spaces, tabs and obs-text: ignored (7.1.1).
            (&Step::Digits(size), b' ' | b'\t') => Step::Extensions {
                size,
                started: false,
            },
            (&Step::Digits(size) | &Step::Extensions { size, .. }, b';') => {
                Step::Extensions {
                    size,
                    started: true,
                }
            }
            (&Step::Extensions { size, started }, b' ' | b'\t') => {
                Step::Extensions { size, started }
            }
            (
                &Step::Extensions {
                    size,
                    started: true,
                },
                0x21..=0x7e | 0x80..,
            ) => Step::Extensions {
                size,
                started: true,
            },
            (&Step::Digits(size) | &Step::Extensions { size, .. }, b'\r') => {
                Step::SizeEnd(size)
            }
            (Step::SizeEnd(0), b'\n') => Step::Trailers,
            (&Step::SizeEnd(size), b'\n') => {
                self.line = 0;
                Step::Data(size)
            }
            (Step::DataCr, b'\r') => Step::DataLf,
            (Step::DataLf, b'\n') => Step::Size,
            _ => return Err(BAD_REQUEST),
        };
        Ok(())
    }

    /// `size` with the hex digit `b` after it, counted in the body's
    /// total: past `BODY_LIMIT`, 413.
    fn digit(&mut self, size: u64, b: u8) -> Result<u64, Status> {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return Err(BAD_REQUEST),
        };
        let before = self.total - size;
        let size = size * 16 + u64::from(digit);
        if before + size > BODY_LIMIT {
            return Err(CONTENT_TOO_LARGE);
        }
        self.total = before + size;
        Ok(size)
    }

    /// The trailer section's next bytes: field lines as a head's, checked
    /// by httparse, then an empty line; at most `HEAD_LIMIT` bytes and
    /// `MAX_HEADERS` lines (431 past them).
    fn trailers(&mut self, bytes: &[u8]) -> Result<(), Status> {
        let take = bytes.len().min(HEAD_LIMIT - self.trailers.len());
        self.trailers.extend_from_slice(&bytes[..take]);
        let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match httparse::parse_headers(&self.trailers, &mut fields) {
            Ok(httparse::Status::Complete(_)) => {
                self.step = Step::Done;
                self.trailers = Vec::new();
                Ok(())
            }
            Ok(httparse::Status::Partial)
                if self.trailers.len() < HEAD_LIMIT =>
            {
                Ok(())
            }
            Ok(httparse::Status::Partial)
            | Err(httparse::Error::TooManyHeaders) => Err(HEADERS_TOO_LARGE),
            Err(_) => Err(BAD_REQUEST),
        }
    }
}
