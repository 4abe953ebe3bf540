//! The whole suite, one test binary: it links once, and its tests run side
//! by side (each server in a network of its own where Linux allows; taking
//! turns on the real port elsewhere). One module per kind of check; each
//! test is named after the claim it checks.

use kit::records;

// The book's code: the registry agrees with stages/, Cargo and STAGES.md;
// the stages are the book's text; the printed differences are pinned.
mod html_listings;
mod print_differences;
mod print_edition_files;
mod registry;
mod seeds;

// What the compiler says about each step: codes, positions, pinned output.
mod compiler;
mod current_edition;
mod walkthrough;

// What each server does: pinned sessions, the chapter's claims, the pools
// themselves, real clients and a real browser; and where the chapter's
// design stops, the models beyond its pool.
mod beyond;
// Headless Chromium, driven as Linux lets us (its helpers killed as a
// process group).
#[cfg(target_os = "linux")]
mod browser;
mod claims;
mod clients;
mod malformed;
mod models;
mod pools;
mod sessions;
// The strict servers' request reader: its cases, and properties over any
// input (and the fuzz targets' corpus).
mod strict_requests;

// Our own tools: the harness, the diffs, the book, the tour, README.
mod book;
mod check;
mod citations;
mod diffs;
mod harness;
mod normalize;
mod page_commands;
mod readme;
mod tour;
