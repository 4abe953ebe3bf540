//! A check that cannot run here is said to be skipped, never passed: a
//! line past the harness's capture names it and why, and under CI (the
//! `CI` variable set, as CI services and `.ci/run` set it), where all the
//! checks need is installed, it fails instead. `.ci/run` runs every check.

use crate::say_past_capture;

/// Whether this run is CI's, where no check may be skipped.
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// `test` cannot run on this machine, for want of `what` (a program, the
/// network namespaces of Linux): skipped, and under CI a failure.
pub fn cannot_run(test: &str, what: &str) {
    assert!(
        !under_ci(),
        "{test} could not run ({what}), and under CI every check must run"
    );
    say_past_capture(&format!("SKIPPED {test}: {what}"));
}

/// `test` checks what only the harness's Linux path can see (a server's
/// threads, its memory cap): whether it must skip this run. It skips where
/// the portable path was asked for on Linux (`CH20_HARNESS=portable`, the
/// second pass of `.ci/run`, whose first pass ran it on the Linux path),
/// saying so; on another OS it cannot run at all ([`cannot_run`]: tests of
/// this kind are compiled for Linux only).
pub fn on_the_portable_path(test: &str, what: &str) -> bool {
    if !companion::server::portable_only() {
        return false;
    }
    if cfg!(target_os = "linux") {
        say_past_capture(&format!(
            "SKIPPED {test} on the portable path ({what}): the Linux path checks it"
        ));
    } else {
        cannot_run(test, what);
    }
    true
}

/// A claim about a server's threads, which only the Linux path counts,
/// found no count: skipped on the portable path ([`on_the_portable_path`]);
/// anywhere else the Linux path failed to count them, and that fails.
pub fn threads_not_counted(test: &str) {
    assert!(
        on_the_portable_path(test, "only the Linux path counts a server's threads"),
        "{test}: the Linux path could not count the server's threads"
    );
}
