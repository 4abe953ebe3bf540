//! The load generator: oha (crates.io), found on the PATH or installed into
//! `target/bench/tools` when missing, and what it reports.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{bail, Context};

/// The oha this benchmark installs when none is on the PATH.
const OHA_VERSION: &str = "1.16.0";

/// The load generator running now, so that ctrl-C can stop it.
pub static RUNNING: Mutex<Option<Child>> = Mutex::new(None);

/// Kill and reap the load generator, if one runs.
pub fn stop() {
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(mut child) = running.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The oha to run: `$OHA` if set (and then nothing is installed), else the
/// one on the PATH, else the one installed in `tools`, else a new one
/// installed there with `cargo install`.
pub fn find_or_install(tools: &Path) -> anyhow::Result<PathBuf> {
    if let Some(oha) = std::env::var_os("OHA") {
        let oha = PathBuf::from(oha);
        return match version(&oha) {
            Some(_) => Ok(oha),
            None => bail!(
                "OHA is set to {}, which does not run as oha (`--version` failed)",
                oha.display()
            ),
        };
    }
    let installed = tools
        .join("bin")
        .join(format!("oha{}", std::env::consts::EXE_SUFFIX));
    for candidate in [PathBuf::from("oha"), installed.clone()] {
        if version(&candidate).is_some() {
            return Ok(candidate);
        }
    }
    eprintln!(
        "bench: no oha on the PATH; installing oha {OHA_VERSION} into {} (a few minutes, once)",
        tools.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["install", "oha", "--locked", "--quiet"])
        .args(["--version", OHA_VERSION, "--root"])
        .arg(tools)
        .status();
    match status {
        Ok(status) if status.success() && version(&installed).is_some() => Ok(installed),
        Ok(status) => bail!(
            "oha, the load generator, is not installed and `cargo install oha` failed ({status}): \
             install it (`cargo install oha`) or set OHA to its path, and run again"
        ),
        Err(e) => bail!(
            "oha, the load generator, is not installed and cargo could not be run to install it \
             ({e}): install it (`cargo install oha`) or set OHA to its path, and run again"
        ),
    }
}

/// What `oha --version` prints, if `oha` runs.
pub fn version(oha: &Path) -> Option<String> {
    let output = Command::new(oha)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// One load: how many clients, for how long, on which paths, and whether
/// each request has a connection of its own (the chapter's servers answer
/// one request per connection).
#[derive(Clone, Debug)]
pub struct Load {
    pub clients: u32,
    pub duration: Duration,
    /// A file of URLs, one per line, that oha picks from at random; or one
    /// URL.
    pub target: Target,
    pub keep_alive: bool,
}

#[derive(Clone, Debug)]
pub enum Target {
    Url(String),
    UrlsFromFile(PathBuf),
}

/// What oha measured.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    pub requests_per_sec: f64,
    /// Requests answered with a 2xx status, per second.
    pub good_per_sec: f64,
    /// Requests answered.
    pub answered: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Requests that failed (refused, reset, closed without an answer), not
    /// counting those cut off by the end of the run.
    pub errors: u64,
    /// What the errors were, as oha words them, with their counts.
    pub error_kinds: Vec<(String, u64)>,
    /// Requests still waiting for their answer when the time was up, which
    /// oha abandons (and which are in no latency above).
    pub cut_off: u64,
}

impl Load {
    /// Start oha for this load; its report is on its stdout.
    pub fn start(&self, oha: &Path) -> anyhow::Result<()> {
        let mut command = Command::new(oha);
        command
            .args(["--no-tui", "--output-format", "json"])
            .arg("-c")
            .arg(self.clients.to_string())
            .arg("-z")
            .arg(format!("{}ms", self.duration.as_millis()))
            // A request that takes longer than this has failed: the
            // chapter's one-thread server keeps clients waiting that long.
            .args(["-t", "30s"]);
        if !self.keep_alive {
            command.arg("--disable-keepalive");
        }
        match &self.target {
            Target::Url(url) => command.arg(url),
            Target::UrlsFromFile(file) => command.arg("--urls-from-file").arg(file),
        };
        // Under the lock, and not once ctrl-C has stopped the servers: a
        // load started as ctrl-C arrives is stopped with them.
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if companion::server::stopping() {
            bail!("interrupted");
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not run {}", oha.display()))?;
        *running = Some(child);
        Ok(())
    }
}

/// Whether the load started last is over.
pub fn finished() -> bool {
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    match running.as_mut() {
        Some(child) => !matches!(child.try_wait(), Ok(None)),
        None => true,
    }
}

/// Wait for the load started last to end, and read its report.
pub fn report() -> anyhow::Result<Measured> {
    let child = RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .context("no load was started")?;
    let output = child.wait_with_output().context("oha did not finish")?;
    if !output.status.success() {
        bail!(
            "oha failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    parse(&String::from_utf8_lossy(&output.stdout))
}

/// Read oha's JSON report.
pub fn parse(json: &str) -> anyhow::Result<Measured> {
    let report: serde_json::Value =
        serde_json::from_str(json).context("oha's report is not the JSON it should be")?;
    let number = |pointer: &str| report.pointer(pointer).and_then(serde_json::Value::as_f64);
    let answered = report
        .pointer("/statusCodeDistribution")
        .and_then(serde_json::Value::as_object)
        .map(|codes| codes.values().filter_map(serde_json::Value::as_u64).sum())
        .unwrap_or(0);
    let good: u64 = report
        .pointer("/statusCodeDistribution")
        .and_then(serde_json::Value::as_object)
        .map(|codes| {
            codes
                .iter()
                .filter(|(code, _)| code.starts_with('2'))
                .filter_map(|(_, n)| n.as_u64())
                .sum()
        })
        .unwrap_or(0);
    let mut error_kinds: Vec<(String, u64)> = report
        .pointer("/errorDistribution")
        .and_then(serde_json::Value::as_object)
        .map(|errors| {
            errors
                .iter()
                .filter(|(kind, _)| kind.as_str() != "aborted due to deadline")
                .map(|(kind, n)| (kind.clone(), n.as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    let cut_off = report
        .pointer("/errorDistribution/aborted due to deadline")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    error_kinds.sort_by_key(|kind| std::cmp::Reverse(kind.1));
    // Seconds in oha's report; milliseconds here. A run in which nothing
    // was answered has no latencies.
    let ms = |pointer: &str| number(pointer).map(|s| s * 1000.0).unwrap_or(f64::NAN);
    let total = number("/summary/total").unwrap_or(f64::NAN);
    Ok(Measured {
        requests_per_sec: answered as f64 / total,
        good_per_sec: good as f64 / total,
        answered,
        p50_ms: ms("/latencyPercentiles/p50"),
        p99_ms: ms("/latencyPercentiles/p99"),
        errors: error_kinds.iter().map(|(_, n)| n).sum(),
        error_kinds,
        cut_off,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_reads_as_answers_per_second_and_errors_without_the_cut_off_ones() {
        let measured = parse(
            r#"{"summary": {"total": 2.0, "requestsPerSec": 1.0},
                "latencyPercentiles": {"p50": 0.0002, "p99": 0.005},
                "statusCodeDistribution": {"200": 300, "404": 100},
                "errorDistribution": {"aborted due to deadline": 4,
                                      "connection closed before message completed": 7,
                                      "Connection refused (os error 111)": 2}}"#,
        )
        .unwrap();
        assert_eq!(measured.answered, 400);
        assert_eq!(measured.requests_per_sec, 200.0);
        assert_eq!(measured.good_per_sec, 150.0);
        assert_eq!(measured.p50_ms, 0.2);
        assert_eq!(measured.p99_ms, 5.0);
        assert_eq!(measured.errors, 9);
        assert_eq!(measured.cut_off, 4);
        assert_eq!(
            measured.error_kinds[0],
            ("connection closed before message completed".to_string(), 7)
        );
    }

    #[test]
    fn a_run_with_no_answer_has_no_latencies() {
        let measured = parse(
            r#"{"summary": {"total": 1.0}, "latencyPercentiles": {"p50": null, "p99": null},
                "statusCodeDistribution": {}, "errorDistribution": {}}"#,
        )
        .unwrap();
        assert_eq!(measured.answered, 0);
        assert!(measured.p50_ms.is_nan());
    }
}
