//! The check's reader of what a reader's server sent back (src/http.rs),
//! fed anything: it never panics, and what it reads is the input, split
//! where it says (its body the input's tail, its lines within it).
#![no_main]

#[path = "../../src/http.rs"]
#[allow(dead_code, unreachable_pub)]
mod http;

use http::Response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let response = Response::read(data);
    assert!(data.ends_with(response.body), "the body is the input's tail");
    if !response.ends_head {
        assert!(response.body.is_empty(), "no head's end, no body");
    }
    let head = &data[..data.len() - response.body.len()];
    for line in response.status.iter().chain(&response.headers) {
        assert!(!line.contains('\n'), "{line:?} is one line");
        let found = head.windows(line.len().max(1)).any(|w| w == line.as_bytes());
        assert!(line.is_empty() || found, "{line:?} is in the head");
    }
    if let Some(code) = response.code {
        let status = response.status.unwrap_or_default();
        assert!(status.contains(&code.to_string()), "{code} is in {status:?}");
    }
    let _ = response.content_length();
});
