//! The tour: `cargo run` guides a reader through chapter 20, step by step,
//! and checks their own server against each step. `tour/cli.rs` has the
//! commands; each lives in the module named after it.

mod tour;

fn main() -> std::process::ExitCode {
    tour::main()
}
