//! Which rustc the pinned outputs were taken with, and which one is running.
//! A new rustc may word its messages differently; when a pinned output
//! differs under a rustc other than the pinned one, the reader is told that
//! first, instead of a bare diff.

/// The toolchain `rust-toolchain.toml` pins (its `channel`).
pub fn pinned() -> String {
    let file = include_str!("../../../rust-toolchain.toml");
    file.lines()
        .find_map(|l| l.strip_prefix("channel = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("rust-toolchain.toml has a channel")
}

/// Whether `version` (as `rustc --version` prints it) is the pinned release.
pub fn is_pinned(version: &str, pinned: &str) -> bool {
    version.split_whitespace().nth(1) == Some(pinned)
}

/// The message to fail with when a pinned output differs and the rustc
/// running is not the pinned one; `None` when there is nothing to explain
/// (same rustc, or same output).
pub fn mismatch(
    name: &str,
    pinned: &str,
    running: &str,
    taken_with: Option<&str>,
    stored: &str,
    actual: &str,
) -> Option<String> {
    if is_pinned(running, pinned) || stored.trim_end() == actual.trim_end() {
        return None;
    }
    Some(format!(
        "snapshots/{name}.snap differs, and this is {running}, not the rustc {pinned} that \
         rust-toolchain.toml pins (the snapshot was taken with {}). Run the tests with rustc \
         {pinned}, or, to move to the new rustc, change rust-toolchain.toml and re-take the \
         snapshots with `cargo insta test --review` (see README.md, \"When Rust changes\").",
        taken_with.unwrap_or("an unrecorded rustc")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_is_the_toolchain_file_channel() {
        assert!(
            pinned().chars().next().unwrap().is_ascii_digit(),
            "{}",
            pinned()
        );
    }

    #[test]
    fn same_output_or_pinned_rustc_needs_no_explanation() {
        let pinned_rustc = "rustc 1.95.0 (59807616e 2026-04-14)";
        assert_eq!(mismatch("x", "1.95.0", pinned_rustc, None, "a", "b"), None);
        assert_eq!(
            mismatch(
                "x",
                "1.95.0",
                "rustc 1.96.0 (abc 2026-05-28)",
                None,
                "a\n",
                "a"
            ),
            None
        );
    }

    #[test]
    fn another_rustc_with_another_output_says_which_took_it_and_which_runs() {
        let msg = mismatch(
            "listing-20-22.errors",
            "1.95.0",
            "rustc 1.96.0 (abc 2026-05-28)",
            Some("rustc 1.95.0 (59807616e 2026-04-14)"),
            "old",
            "new",
        )
        .unwrap();
        assert!(msg.contains("snapshots/listing-20-22.errors.snap differs"));
        assert!(msg.contains("this is rustc 1.96.0 (abc 2026-05-28)"));
        assert!(msg.contains("taken with rustc 1.95.0 (59807616e 2026-04-14)"));
    }
}
