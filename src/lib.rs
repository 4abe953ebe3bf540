//! The companion crate for the web-server chapter of *The Rust Programming
//! Language* ("Building a Multithreaded Web Server": chapter 20 of the print
//! editions, chapter 21 of today's).
//!
//! The chapter's steps live in `stages/`, one bin each; this library holds
//! every judgement about them, which the tour (`cargo run`), the tests, the
//! benchmark and the book share:
//!
//! - [`registry`]: the steps, what each is, and how to move through them;
//! - [`compile`], [`normalize`]: building steps and projects, and what the
//!   compiler says, made the same on every machine;
//! - [`server`], [`session`] (and, on Linux, `linux`): the harness that
//!   starts a step's server, makes the chapter's requests and stops it;
//! - [`diff`]: what changes from one step to the next;
//! - [`http`]: the one reader of a response as a server sent it;
//! - [`reader`]: a reader's own project: reading it, finding its step,
//!   writing one at a step;
//! - [`check`]: what a reader's project does of what its step does, as
//!   verdicts, and [`watch`], the state a watch of it keeps.

pub mod check;
pub mod compile;
pub mod diff;
mod error;
pub mod http;
#[cfg(target_os = "linux")]
pub mod linux;
pub mod normalize;
pub mod reader;
pub mod registry;
pub mod server;
pub mod session;
pub mod watch;

pub use error::{Error, Result};
