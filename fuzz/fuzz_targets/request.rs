//! The strict servers' request reader, fed anything, in pieces of any
//! size: it never panics, holds no more than three heads' worth, answers
//! every input with a request or a status RFC 9112 allows (or, sent
//! nothing, with nothing), and the same answer whatever the split.
#![no_main]

#[path = "../../stages/beyond-07-strict-requests/http.rs"]
#[allow(dead_code)]
mod http;

use http::{Progress, REFUSALS, read_all};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says where to cut: pieces of 1 to 256 bytes.
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let whole = read_all([bytes]);
    let pieces = read_all(bytes.chunks(usize::from(cut) + 1));
    assert_eq!(whole, pieces, "pieces of {}", usize::from(cut) + 1);
    match whole {
        None => assert!(bytes.is_empty()),
        Some(Progress::Refused(status)) => assert!(REFUSALS.contains(&status), "{status}"),
        Some(Progress::Request(request)) => assert!(request.version <= 1),
        Some(Progress::More) => panic!("More after the end"),
    }
});
