//! The strict servers' request reader (`stages/beyond-07-strict-requests/
//! http.rs`, a module here as it is in each of them): what it answers to each case RFC 9112 names, and properties
//! that hold for any bytes a client sends, however they are split: no
//! panic, memory bounded, every input answered with a status the RFC
//! allows (or, sent nothing, left unanswered), the same answer whatever the
//! split. The seeds of the fuzz targets (`fuzz/corpus/request/`) are
//! replayed through the same properties.

// The statuses only the servers answer with are not used here; the file is
// formatted as the steps' code is (stages/beyond-07-strict-requests/
// rustfmt.toml), not as the suite's.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../stages/beyond-07-strict-requests/http.rs"]
mod http;

use http::{
    read_all, Progress, Reader, Request, Status, BAD_REQUEST, BODY_LIMIT, CONTENT_TOO_LARGE,
    HEADERS_TOO_LARGE, HEAD_LIMIT, MAX_HEADERS, METHOD_NOT_ALLOWED, NOT_IMPLEMENTED, OK,
    VERSION_NOT_SUPPORTED,
};
use proptest::prelude::*;

/// The status the reader answers `request` with, sent whole: `OK` for a
/// request it reads.
fn status(request: &[u8]) -> Status {
    match read_all([request]) {
        Some(Progress::Request(_)) => OK,
        Some(Progress::Refused(status)) => status,
        Some(Progress::More) | None => "no answer",
    }
}

/// A GET of `/` with a chunked `body`.
fn chunked(body: &str) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n{body}").into_bytes()
}

#[test]
fn a_whole_request_is_read_and_half_of_one_is_a_bad_request() {
    let head = b"GET /sleep HTTP/1.1\r\nHost: 127.0.0.1:7878\r\n\r\n";
    let request = Request {
        method: "GET".into(),
        path: "/sleep".into(),
        version: 1,
    };
    assert_eq!(read_all([&head[..]]), Some(Progress::Request(request)));
    assert_eq!(
        status(b"GET / HTTP/1.1\r\n"),
        BAD_REQUEST,
        "half a request, then the end: refused, with this status"
    );
    assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\r\n"), BAD_REQUEST);
    assert_eq!(status(b"GET / HTTP/1.0\r\n\r\n"), OK, "1.0 needs no Host");
    assert_eq!(
        read_all([&b""[..]]),
        None,
        "a client that closes before its first byte gets no answer"
    );
    let mut reader = Reader::default();
    assert_eq!(
        reader.feed(b"GET / HTTP/1.1\r\nHost: a\r\n"),
        Progress::More,
        "given the bytes as they arrive, the reader asks for more"
    );
}

#[test]
fn rfc_9112s_cases() {
    let cases: &[(&[u8], Status)] = &[
        (b"GET / HTTP/9.9\r\nHost: a\r\n\r\n", VERSION_NOT_SUPPORTED),
        (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", VERSION_NOT_SUPPORTED),
        (b"GET / HTTP/0.9\r\n\r\n", VERSION_NOT_SUPPORTED),
        (b"GET / HTTP/1.1\r\n\r\n", BAD_REQUEST),
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", BAD_REQUEST),
        (b"GET / HTTP/1.1\r\nHost: a\r\nX[]: 1\r\n\r\n", BAD_REQUEST),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n",
            BAD_REQUEST,
        ),
        (b"GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n", BAD_REQUEST),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n",
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab",
            OK,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
            OK,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel",
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n",
            CONTENT_TOO_LARGE,
        ),
        (b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n", BAD_REQUEST),
        (b"GET /\r\n\r\n", BAD_REQUEST),
        (b"GET / FTP/1.1\r\n\r\n", BAD_REQUEST),
        (b"GET / HTTP/1.10\r\nHost: a\r\n\r\n", BAD_REQUEST),
        (b"GET / X HTTP/9.9\r\nHost: a\r\n\r\n", BAD_REQUEST),
        (b"\xff\xfe\xfd\x00garbage\r\n\r\n", BAD_REQUEST),
        // A later minor version is read as HTTP/1.1 (RFC 9110, 2.5), Host
        // and all.
        (b"GET / HTTP/1.2\r\nHost: a\r\n\r\n", OK),
        (b"GET / HTTP/1.9\r\nHost: a\r\n\r\n", OK),
        (b"GET / HTTP/1.2\r\n\r\n", BAD_REQUEST),
        // Any method is read; which are allowed is the server's to say.
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            OK,
        ),
        (b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", OK),
    ];
    for (request, want) in cases {
        assert_eq!(
            status(request),
            *want,
            "{}",
            String::from_utf8_lossy(request)
        );
    }
    let read_as = read_all([&b"GET / HTTP/1.2\r\nHost: a\r\n\r\n"[..]]);
    assert!(
        matches!(read_as, Some(Progress::Request(Request { version: 1, .. }))),
        "{read_as:?}"
    );
}

#[test]
fn chunked_bodies_are_decoded_and_other_codings_refused() {
    let te = |codings: &str, body: &str| {
        format!("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: {codings}\r\n\r\n{body}")
            .into_bytes()
    };
    let cases: &[(Vec<u8>, Status)] = &[
        (chunked("5\r\nhello\r\n0\r\n\r\n"), OK),
        (chunked("0\r\n\r\n"), OK),
        (chunked("A\r\n0123456789\r\n5\r\nhello\r\n0\r\n\r\n"), OK),
        (chunked("a\r\n0123456789\r\n000\r\n\r\n"), OK),
        // Extensions are ignored, trailers read and thrown away (7.1.1,
        // 7.1.2).
        (chunked("5;name=value\r\nhello\r\n0\r\n\r\n"), OK),
        (chunked("5 ; name=\"a value\"\r\nhello\r\n0;last\r\n\r\n"), OK),
        (chunked("5\r\nhello\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n"), OK),
        (te("Chunked", "0\r\n\r\n"), OK),
        (te("chunked, ", "0\r\n\r\n"), OK),
        // What is not a chunk.
        (chunked("zz\r\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("\r\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("5 5\r\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("5x\r\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("5\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("5;a\x01b\r\nhello\r\n0\r\n\r\n"), BAD_REQUEST),
        (chunked("5\r\nhelloX0\r\n\r\n"), BAD_REQUEST),
        (chunked("5\r\nhello\r\n0\r\nX[]: 1\r\n\r\n"), BAD_REQUEST),
        (chunked("5\r\nhel"), BAD_REQUEST),
        (chunked("5\r\nhello\r\n0\r\n"), BAD_REQUEST),
        // Limits: the body's, the chunk line's, the trailers'.
        (chunked("100001\r\n"), CONTENT_TOO_LARGE),
        (chunked("ffffffffffffffffffffffff\r\n"), CONTENT_TOO_LARGE),
        (
            chunked(&format!("{:x}\r\n", BODY_LIMIT)),
            BAD_REQUEST, // within the limit, then cut short
        ),
        (chunked(&format!("5;{}\r\nhello\r\n0\r\n\r\n", "x".repeat(2000))), BAD_REQUEST),
        (
            chunked(&format!(
                "0\r\n{}\r\n",
                "X-Filler: 0123456789abcdef\r\n".repeat(HEAD_LIMIT / 20)
            )),
            HEADERS_TOO_LARGE,
        ),
        (
            chunked(&format!("0\r\n{}\r\n", "X: 1\r\n".repeat(MAX_HEADERS + 1))),
            HEADERS_TOO_LARGE,
        ),
        // Codings: chunked last and once, and no other (RFC 9112, 6.1, 6.3).
        (te("gzip, chunked", "0\r\n\r\n"), NOT_IMPLEMENTED),
        (te("x-mine;q=1, chunked", "0\r\n\r\n"), NOT_IMPLEMENTED),
        (te("gzip", ""), BAD_REQUEST),
        (te("chunked, gzip", "0\r\n\r\n"), BAD_REQUEST),
        (te("chunked, chunked", "0\r\n\r\n"), BAD_REQUEST),
        (te("g zip, chunked", "0\r\n\r\n"), BAD_REQUEST),
        (te("", ""), BAD_REQUEST),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n".to_vec(),
            BAD_REQUEST,
        ),
        (
            b"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".to_vec(),
            BAD_REQUEST,
        ),
    ];
    for (request, want) in cases {
        assert_eq!(
            status(request),
            *want,
            "{}",
            String::from_utf8_lossy(request)
        );
    }
    // Two Transfer-Encoding lines are one list.
    let two = b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(status(two), NOT_IMPLEMENTED);
}

#[test]
fn a_head_over_the_limit_is_431() {
    let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    while head.len() < HEAD_LIMIT {
        head.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
    }
    assert_eq!(status(&head), HEADERS_TOO_LARGE);
    head.extend_from_slice(b"\r\n");
    assert_eq!(status(&head), HEADERS_TOO_LARGE);
    let mut many = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    for i in 0..MAX_HEADERS {
        many.extend_from_slice(format!("X-{i}: 1\r\n").as_bytes());
    }
    many.extend_from_slice(b"\r\n");
    assert_eq!(status(&many), HEADERS_TOO_LARGE);
}

#[test]
fn a_405_says_what_is_allowed_and_head_is_answered_without_its_body() {
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    assert_eq!(
        text(http::response(METHOD_NOT_ALLOWED, "", false)),
        "HTTP/1.1 405 METHOD NOT ALLOWED\r\nContent-Length: 0\r\nAllow: GET, HEAD\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(
        text(http::response(OK, "<p>hi</p>", true)),
        "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(
        text(http::response(OK, "<p>hi</p>", false)),
        "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\n<p>hi</p>"
    );
}

/// Where the reader before this one went wrong (beyond-07's first
/// `names_a_version`): a request line whose first piece ended inside its
/// version (`HTTP/9`) was refused 400 at once, where the whole line is 505.
/// `any_split_gets_the_same_answer` and the corpus fail without the fix.
#[test]
fn a_version_split_in_two_is_read_as_the_whole_one() {
    let line = b"GET / HTTP/9.9\r\nHost: a\r\n\r\n";
    for at in 1..line.len() {
        let (a, b) = line.split_at(at);
        assert_eq!(
            read_all([a, b]),
            Some(Progress::Refused(VERSION_NOT_SUPPORTED)),
            "split after {at}"
        );
    }
}

/// `bytes` cut at `cuts` (positions taken modulo its length).
fn split(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

/// Checks `bytes`: whole and split at `cuts`, the same answer, one a
/// server may give.
fn holds(bytes: &[u8], cuts: &[usize]) -> Result<(), TestCaseError> {
    let whole = read_all([bytes]);
    let pieces = split(bytes, cuts);
    let byte_by_byte = bytes.len() <= 512;
    let split_outcome = read_all(pieces.iter().map(Vec::as_slice));
    prop_assert_eq!(&split_outcome, &whole, "split at {:?}", cuts);
    if byte_by_byte {
        let one_by_one = read_all(bytes.chunks(1));
        prop_assert_eq!(&one_by_one, &whole, "a byte at a time");
    }
    match &whole {
        None => prop_assert!(bytes.is_empty()),
        Some(Progress::Refused(status)) => {
            prop_assert!(http::REFUSALS.contains(status), "{}", status);
        }
        Some(Progress::Request(request)) => {
            prop_assert!(request.version <= 1);
            prop_assert!(bytes.len() >= request.method.len() + request.path.len());
        }
        Some(Progress::More) => prop_assert!(false, "More after the end"),
    }
    Ok(())
}

/// Bytes that look like a request: heads of the cases above mutated, so
/// that the properties meet more than random noise.
fn requestish() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just("GET / HTTP/1.1\r\n".to_string()),
        Just("HEAD /sleep HTTP/1.0\r\n".to_string()),
        Just("POST / HTTP/1.2\r\n".to_string()),
        "[A-Z]{1,5} /[a-z]{0,3} HTTP/[0-9].[0-9]\r?\n",
    ];
    let header = prop_oneof![
        Just("Host: a\r\n".to_string()),
        Just("Transfer-Encoding: chunked\r\n".to_string()),
        "Content-Length: [0-9]{1,3}\r\n",
        "Transfer-Encoding: (gzip|chunked|x)(, (gzip|chunked))?\r\n",
        "[A-Za-z-]{1,8}: [ -~]{0,10}\r?\n",
    ];
    let body = prop_oneof![
        Just(String::new()),
        "[0-9a-fA-F]{1,3}(;[a-z=]{0,5})?\r\n[a-z]{0,20}\r\n0\r\n(X: 1\r\n)?\r\n",
        "[ -~\r\n]{0,40}",
    ];
    (line, proptest::collection::vec(header, 0..6), body).prop_map(|(line, headers, body)| {
        format!("{line}{}\r\n{body}", headers.concat()).into_bytes()
    })
}

proptest! {
    // No file of failures written into the tree: a case found becomes a
    // named test.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any bytes at all.
    #[test]
    fn any_bytes_get_an_answer_a_server_may_give(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        holds(&bytes, &cuts)?;
    }

    /// Bytes shaped like requests, however they are split.
    #[test]
    fn any_split_gets_the_same_answer(
        bytes in requestish(),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        holds(&bytes, &cuts)?;
    }

    /// Any body, in chunks of any sizes, with extensions and trailers: the
    /// request is read.
    #[test]
    fn any_chunking_of_any_body_is_read(
        body in proptest::collection::vec(any::<u8>(), 0..4096),
        sizes in proptest::collection::vec(1..600usize, 1..20),
        extensions in any::<bool>(),
        trailer in any::<bool>(),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let mut bytes = chunked("");
        let mut rest = &body[..];
        for size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (chunk, after) = rest.split_at((*size).min(rest.len()));
            let extension = if extensions { ";x=\"y\"" } else { "" };
            bytes.extend_from_slice(format!("{:X}{extension}\r\n", chunk.len()).as_bytes());
            bytes.extend_from_slice(chunk);
            bytes.extend_from_slice(b"\r\n");
            rest = after;
        }
        bytes.extend_from_slice(b"0\r\n");
        if trailer {
            bytes.extend_from_slice(b"X-Sum: 1\r\n");
        }
        bytes.extend_from_slice(b"\r\n");
        prop_assert!(matches!(read_all([&bytes[..]]), Some(Progress::Request(_))));
        holds(&bytes, &cuts)?;
    }
}

/// The fuzz targets' seeds (`fuzz/corpus/request/`), and any input a fuzzer
/// found that was added to them: each keeps every property, whole, split
/// in two anywhere, and a byte at a time.
#[test]
fn the_fuzz_corpus_keeps_every_property() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/request");
    let mut seeds = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/corpus/request") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for at in 0..=bytes.len().min(300) {
            holds(&bytes, &[at]).unwrap();
        }
        seeds += 1;
    }
    assert!(seeds >= 30, "{seeds} seeds in {}", dir.display());
}
