//! The one reader of an HTTP response as a server sent it: the check's,
//! the sessions' and the tests'. Lenient, so that a reader's mistake in how
//! a response is framed can be named rather than make it unreadable.

/// How many header lines a response may have to be read by `httparse`; one
/// with more is read line by line, as a malformed one is.
const MOST_HEADERS: usize = 64;

/// A response as it came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<'a> {
    /// The first line, without its line ending.
    pub status: Option<&'a str>,
    /// The status code, where the first line is a status line.
    pub code: Option<u16>,
    /// The header lines after it, without their line endings.
    pub headers: Vec<&'a str>,
    /// Every line of the head ends with `\r\n` (not a bare `\n`).
    pub crlf: bool,
    /// An empty line ends the head, and the body follows it.
    pub ends_head: bool,
    /// The body: after the empty line, or nothing where there is none.
    pub body: &'a [u8],
}

impl Response<'_> {
    /// Read `bytes`: with `httparse` (hyper's parser of the head) where it
    /// is a well-formed response head; line by line where it is not (a
    /// status line or header `httparse` refuses, a head with no end), so
    /// that what is there is still seen.
    pub fn read(bytes: &[u8]) -> Response<'_> {
        let mut headers = [httparse::EMPTY_HEADER; MOST_HEADERS];
        let mut parsed = httparse::Response::new(&mut headers);
        let (head_len, code) = match parsed.parse(bytes) {
            Ok(httparse::Status::Complete(len)) => (Some(len), parsed.code),
            _ => (lenient_head_end(bytes), None),
        };
        let (head, body) = match head_len {
            Some(len) => bytes.split_at(len),
            None => (bytes, &bytes[bytes.len()..]),
        };
        let crlf = head
            .iter()
            .enumerate()
            .all(|(i, &b)| b != b'\n' || (i > 0 && head[i - 1] == b'\r'));
        // Line by line, each as far as it is UTF-8, so that a byte that is
        // not (a reason phrase or a header value in Latin-1) cuts only its
        // own line short, not the status line and the rest.
        let mut lines = head
            .split(|&b| b == b'\n')
            .map(utf8_prefix)
            .map(|l| l.trim_end_matches('\r'));
        // Empty lines before the status line are skipped, as httparse
        // skips them.
        let status = lines.find(|l| !l.is_empty());
        Response {
            status,
            code: code.or_else(|| status.and_then(code_of)),
            headers: lines.filter(|l| !l.is_empty()).collect(),
            crlf,
            ends_head: head_len.is_some(),
            body,
        }
    }

    /// The value of the header `name` (any case), as sent: the first of
    /// that name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|h| {
            let (n, value) = h.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The value of `Content-Length`, as sent (`None`: no such header).
    pub fn content_length(&self) -> Option<&str> {
        self.header("content-length")
    }
}

/// `bytes` up to the first that is not UTF-8.
fn utf8_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// Where the head ends in a response `httparse` will not read: past the
/// first empty line, whichever its line endings.
fn lenient_head_end(bytes: &[u8]) -> Option<usize> {
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    match (find(b"\r\n\r\n"), find(b"\n\n")) {
        (Some(crlf), Some(lf)) if lf < crlf => Some(lf + 2),
        (Some(crlf), _) => Some(crlf + 4),
        (None, lf) => lf.map(|at| at + 2),
    }
}

/// The code of a status line that `httparse` refused (`HTTP/1.1 200` and
/// some other fault), if its second word is one.
fn code_of(status: &str) -> Option<u16> {
    let mut words = status.split(' ');
    words.next().filter(|w| w.starts_with("HTTP/"))?;
    words.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_response_is_read_by_httparse() {
        let r = Response::read(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        assert_eq!(r.status, Some("HTTP/1.1 200 OK"));
        assert_eq!(r.code, Some(200));
        assert_eq!(r.headers, ["Content-Length: 2"]);
        assert!(r.crlf && r.ends_head);
        assert_eq!(r.body, b"hi");
        assert_eq!(r.content_length(), Some("2"));
        assert_eq!(r.header("CONTENT-length"), Some("2"));
    }

    #[test]
    fn a_head_that_does_not_end_is_all_head() {
        let r = Response::read(b"HTTP/1.1 200 OK\r\n<!DOCTYPE html>");
        assert_eq!(r.status, Some("HTTP/1.1 200 OK"));
        assert!(!r.ends_head);
        assert_eq!(r.body, b"");
        assert_eq!(r.headers, ["<!DOCTYPE html>"]);
    }

    #[test]
    fn bare_line_feeds_are_read_and_seen() {
        let r = Response::read(b"HTTP/1.1 404 NOT FOUND\nContent-Length: 1\n\nx");
        assert_eq!(r.code, Some(404));
        assert!(!r.crlf);
        assert!(r.ends_head);
        assert_eq!(r.body, b"x");
        assert_eq!(r.content_length(), Some("1"));
    }

    #[test]
    fn what_httparse_refuses_is_read_line_by_line() {
        // A header line with no colon: httparse refuses the head.
        let r = Response::read(b"HTTP/1.1 200 OK\r\nnot a header\r\n\r\nbody");
        assert_eq!(r.status, Some("HTTP/1.1 200 OK"));
        assert_eq!(r.code, Some(200));
        assert_eq!(r.headers, ["not a header"]);
        assert!(r.ends_head && r.crlf);
        assert_eq!(r.body, b"body");
        // Not a status line at all.
        let r = Response::read(b"<!DOCTYPE html>\n");
        assert_eq!((r.status, r.code), (Some("<!DOCTYPE html>"), None));
        // Nothing.
        let r = Response::read(b"");
        assert_eq!((r.status, r.ends_head, r.body), (None, false, &b""[..]));
    }

    /// Found by the fuzz target `reply` (fuzz/), twice: a header, then a
    /// reason phrase, that is not UTF-8 lost the whole head, status line
    /// included, where httparse still read the code.
    #[test]
    fn a_line_that_is_not_utf8_is_cut_short_and_the_rest_kept() {
        let r = Response::read(b"HTTP/1.1 200 OK\r\nX: \xff\xfe\r\nContent-Length: 1\r\n\r\n\xff");
        assert_eq!((r.status, r.code), (Some("HTTP/1.1 200 OK"), Some(200)));
        assert_eq!(r.headers, ["X: ", "Content-Length: 1"]);
        assert_eq!(r.body, b"\xff");
        let r = Response::read(b"HTTP/1.1 200 OK\xff\r\n\r\n");
        assert_eq!((r.status, r.code), (Some("HTTP/1.1 200 OK"), Some(200)));
    }

    /// Found by the fuzz target `reply` too: httparse skips empty lines
    /// before the status line, and read a code where we read no status.
    #[test]
    fn empty_lines_before_the_status_line_are_skipped() {
        let r = Response::read(b"\r\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assert_eq!((r.status, r.code), (Some("HTTP/1.1 200 OK"), Some(200)));
        assert_eq!(r.headers, ["Content-Length: 0"]);
    }

    #[test]
    fn the_first_empty_line_ends_the_head_whichever_its_endings() {
        let r = Response::read(b"HTTP/1.1 200 OK\n\nbody\r\n\r\nmore");
        assert_eq!(r.body, b"body\r\n\r\nmore");
    }
}
