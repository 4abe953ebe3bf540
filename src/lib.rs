//! The companion crate for chapter 20 of *The Rust Programming Language*,
//! "Building a Multithreaded Web Server".
//!
//! The chapter's steps live in `stages/`, one bin each; this library holds
//! what the tests, the tour and the book share about them.

pub mod compile;
pub mod detect;
pub mod diff;
#[cfg(target_os = "linux")]
pub mod linux;
pub mod normalize;
pub mod project;
pub mod server;
pub mod session;
pub mod steps;
pub mod toolchain;
