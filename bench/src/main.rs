//! What the pool buys: the chapter's servers under load, side by side with a
//! production server, in one run on one machine.
//!
//! `cargo run --release -p bench` from the repository root starts each
//! server in turn on 127.0.0.1:7878 (a fresh process for every load), drives
//! it with oha at 1, 4, 16 and 64 clients in two mixes, samples its threads
//! and memory, and writes `target/bench/results.{csv,md,svg}`, every figure
//! also as a ratio to hyper's in the same run. `--quick` proves it all works
//! in well under a minute. Every server it starts is stopped, also on
//! ctrl-C and on failure.

mod ceiling;
mod costs;
mod load;
mod report;
mod slow;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use companion::registry::{self, Step};
use companion::server::{Network, Server, ServerCommand};

#[derive(Parser)]
#[command(about = "Load the chapter's servers and a production server side by side")]
struct Args {
    /// A short run that proves everything works (one load per server and
    /// mix, well under a minute); its numbers mean little.
    #[arg(long)]
    quick: bool,
    /// The servers to load, by step name or listing number (`20-20`,
    /// `beyond-06`), or `hyper`, `hyper-cached`, `hyper-keep-alive`;
    /// comma-separated. hyper is always loaded too: it is what the others
    /// are compared with.
    #[arg(long, value_delimiter = ',')]
    servers: Vec<String>,
    /// Where the results go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    /// Only find oha, or install it, and stop (`.ci/run` does this while
    /// its tests wait on servers).
    #[arg(long)]
    install_oha: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve as the ceiling does (the benchmark starts this itself).
    #[command(hide = true)]
    ServeCeiling {
        #[arg(long)]
        cached: bool,
        #[arg(long)]
        keep_alive: bool,
    },
}

/// The servers loaded when none are named: the chapter's one thread (20-10:
/// listing 20-9 plus its `/sleep`), a thread per connection (20-11), the
/// pool of four (20-20), the pool with the exercises' robust server
/// (beyond-04) and that server on rayon's pool (beyond-06); then the
/// ceiling, and the ceiling with one of the chapter's costs taken away.
const DEFAULT_SERVERS: &[&str] = &[
    "listing-20-10",
    "listing-20-11",
    "listing-20-20",
    "beyond-04",
    "beyond-06",
    "beyond-07",
    "beyond-08",
    "beyond-09",
    CEILING,
    "hyper-cached",
    "hyper-keep-alive",
];

/// The server the others are compared with.
const CEILING: &str = "hyper";

/// A server to load.
#[derive(Clone, Debug)]
pub struct Contender {
    /// Its name in the results: the step's bin name, or `hyper…`.
    pub name: String,
    /// What it is, in a few words.
    pub what: String,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Step(&'static Step),
    Ceiling(ceiling::Options),
}

impl Contender {
    fn named(name: &str) -> anyhow::Result<Contender> {
        let ceiling = |options, what: &str| Contender {
            name: name.to_string(),
            what: what.to_string(),
            kind: Kind::Ceiling(options),
        };
        Ok(match name {
            CEILING => ceiling(
                ceiling::Options::default(),
                "hyper on tokio, serving as the chapter does",
            ),
            "hyper-cached" => ceiling(
                ceiling::Options {
                    cached: true,
                    ..Default::default()
                },
                "hyper, each file read once at the start",
            ),
            "hyper-keep-alive" => ceiling(
                ceiling::Options {
                    keep_alive: true,
                    ..Default::default()
                },
                "hyper, connections kept open for more requests",
            ),
            _ => {
                let step = registry::resolve(name)?;
                if !step.is_server() {
                    bail!("{} is not a server the benchmark can load", step.name);
                }
                Contender {
                    name: step.name.to_string(),
                    what: step.title.to_string(),
                    kind: Kind::Step(step),
                }
            }
        })
    }

    /// Whether oha keeps its connections open for this server.
    fn keeps_connections(&self) -> bool {
        matches!(self.kind, Kind::Ceiling(options) if options.keep_alive)
    }

    fn start(&self, release: &Path, root: &Path) -> anyhow::Result<Server> {
        let started = match &self.kind {
            Kind::Step(step) => {
                let exe = release.join(format!("{}{}", step.name, std::env::consts::EXE_SUFFIX));
                ServerCommand::new(&exe)
                    .current_dir(root)
                    .network(Network::Shared)
                    .start()
            }
            Kind::Ceiling(options) => {
                let mut args = vec!["serve-ceiling"];
                if options.cached {
                    args.push("--cached");
                }
                if options.keep_alive {
                    args.push("--keep-alive");
                }
                let exe = std::env::current_exe().context("where is this program?")?;
                ServerCommand::new(&exe)
                    .args(args)
                    .current_dir(root)
                    .network(Network::Shared)
                    .start()
            }
        };
        started.with_context(|| format!("{} could not be started", self.name))
    }
}

/// A mix of requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
    /// Only `GET /`.
    Page,
    /// `GET /`, and `GET /sleep` one time in twenty, at random.
    WithSleep,
    /// Only `GET /`, while this many slow clients hold half a request each.
    SlowClients(u32),
}

impl Mix {
    pub fn name(self) -> String {
        match self {
            Mix::Page => "/ only".into(),
            Mix::WithSleep => "/ and 1 in 20 /sleep".into(),
            Mix::SlowClients(k) => format!("/ with {k} slow clients"),
        }
    }

    /// Whether it is a load with slow clients (of any number).
    pub fn slow(self) -> bool {
        matches!(self, Mix::SlowClients(_))
    }
}

/// How long each load runs, and at how many clients.
pub struct Plan {
    /// The clients of the `GET /` mix.
    pub clients: &'static [u32],
    /// The clients of the `/sleep` mix, whose loads are the longest.
    pub sleep_clients: &'static [u32],
    pub page: Duration,
    pub with_sleep: Duration,
    /// The numbers of slow clients held while oha loads `GET /` with
    /// [`Plan::slow_load_clients`] clients, for [`Plan::slow`].
    pub slow_clients: &'static [u32],
    pub slow_load_clients: u32,
    pub slow: Duration,
    /// How many times the whole plan is run, one run after the other, so
    /// that every load of every server is measured that many times, its
    /// runs spread over the whole benchmark (a machine's slow minute falls
    /// on every server alike); every figure is then reported as the median
    /// of the runs, with their range.
    pub runs: usize,
}

const FULL: Plan = Plan {
    clients: &[1, 16, 64],
    sleep_clients: &[64],
    page: Duration::from_secs(2),
    with_sleep: Duration::from_secs(7),
    slow_clients: &[4, 64, 1000],
    slow_load_clients: 64,
    slow: Duration::from_secs(3),
    runs: 5,
};

const QUICK: Plan = Plan {
    clients: &[16],
    sleep_clients: &[16],
    page: Duration::from_millis(500),
    with_sleep: Duration::from_secs(1),
    slow_clients: &[64],
    slow_load_clients: 16,
    slow: Duration::from_millis(500),
    runs: 1,
};

/// The servers the targets are set for, and the loads they are measured
/// on: the sleep mix at 64 clients, and `GET /` at 64 clients with 64 slow
/// clients held; hyper, which every ratio is to, and the pools beside them.
pub const TARGET_SERVERS: &[&str] = &[
    CEILING,
    "beyond-08-async-single-threaded",
    "beyond-09-async-multithreaded",
    "beyond-07-strict-requests",
    "beyond-04-shutdown-on-signal",
    "listing-20-20",
];

/// The servers left out of the slow clients' loads: one thread that reads
/// the first half request for good, and then accepts no one (its backlog
/// fills, and a slow client waits a second to be refused).
const NO_SLOW_CLIENTS: &[&str] = &["listing-20-10"];

/// One load on one server, and what it measured.
#[derive(Clone, Debug)]
pub struct Row {
    /// Which run of the plan it was measured in, from 0.
    pub run: usize,
    pub mix: Mix,
    pub clients: u32,
    pub server: Contender,
    pub measured: load::Measured,
    /// The most threads the server had, sampled every 10 ms.
    pub peak_threads: Option<usize>,
    /// The most memory it had resident at once, in KiB, sampled every 10 ms.
    pub peak_rss_kib: Option<u64>,
    /// In a load with slow clients: how many were held.
    pub slow_held: Option<u32>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::ServeCeiling { cached, keep_alive }) = args.command {
        return match ceiling::serve(ceiling::Options { cached, keep_alive }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ceiling: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if companion::server::stopping() => {
            // ctrl-C: its handler stops everything and exits with 130.
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            companion::server::stop_all();
            load::stop();
            eprintln!("bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let root = companion::compile::root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    if args.install_oha {
        let oha = load::find_or_install(&target.join("bench").join("tools"))?;
        println!("{}", oha.display());
        return Ok(());
    }
    let names: Vec<&str> = if args.servers.is_empty() {
        DEFAULT_SERVERS.to_vec()
    } else {
        let mut names: Vec<&str> = args.servers.iter().map(String::as_str).collect();
        if !names.contains(&CEILING) {
            names.push(CEILING);
        }
        names
    };
    let servers = names
        .iter()
        .map(|name| Contender::named(name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for file in ["hello.html", "404.html"] {
        if !root.join(file).is_file() {
            bail!(
                "{file} is missing from {}: the servers serve it",
                root.display()
            );
        }
    }
    // Before anything is installed or built: the port must be free.
    companion::server::port_is_free()?;
    let out = root.join(&args.out);
    std::fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    let oha = load::find_or_install(&target.join("bench").join("tools"))?;

    ctrlc::set_handler(|| {
        companion::server::stop_all();
        load::stop();
        std::process::exit(130);
    })
    .context("could not set a ctrl-C handler")?;

    std::fs::create_dir_all(target.join("bench"))
        .with_context(|| format!("could not create {}", target.join("bench").display()))?;
    build(&servers, root)?;
    let release = target.join("release");

    let urls = target.join("bench").join("with-sleep.urls");
    let mut lines = vec![format!("http://{}/", companion::server::ADDRESS); 19];
    lines.push(format!("http://{}/sleep", companion::server::ADDRESS));
    std::fs::write(&urls, lines.join("\n") + "\n")
        .with_context(|| format!("could not write {}", urls.display()))?;

    let plan = if args.quick { QUICK } else { FULL };
    let width = servers.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let started = Instant::now();
    let mut rows = Vec::new();
    let page_url = load::Target::Url(format!("http://{}/", companion::server::ADDRESS));
    // One load: `server` under `mix` at `clients`.
    let load_of = |server: &Contender, mix: Mix, clients: u32| load::Load {
        clients,
        duration: match mix {
            Mix::Page => plan.page,
            Mix::WithSleep => plan.with_sleep,
            Mix::SlowClients(_) => plan.slow,
        },
        target: match mix {
            Mix::Page | Mix::SlowClients(_) => page_url.clone(),
            Mix::WithSleep => load::Target::UrlsFromFile(urls.clone()),
        },
        keep_alive: server.keeps_connections(),
    };
    let run_one = |run: usize, server: &Contender, mix: Mix, clients: u32| -> anyhow::Result<Row> {
        eprint!(
            "bench: {:<width$} {:<26} {clients:>2} clients ... ",
            server.name,
            mix.name()
        );
        let row = measure(
            run,
            server,
            mix,
            &load_of(server, mix, clients),
            &oha,
            &release,
            root,
        )?;
        eprintln!(
            "{:>8.0} req/s ({:.0} good), median {:.2} ms, {} errors",
            row.measured.requests_per_sec,
            row.measured.good_per_sec,
            row.measured.p50_ms,
            row.measured.errors
        );
        Ok(row)
    };
    let mut costs = Vec::new();
    for run in 0..plan.runs {
        eprintln!("bench: run {} of {}", run + 1, plan.runs);
        let mixes = [Mix::Page, Mix::WithSleep]
            .into_iter()
            .chain(plan.slow_clients.iter().map(|&k| Mix::SlowClients(k)));
        for mix in mixes {
            for server in &servers {
                // What the two hyper variants measure is a cost of the page
                // mix; with /sleep or slow clients they would only repeat
                // hyper.
                if mix != Mix::Page && server.name.starts_with("hyper-") {
                    continue;
                }
                if mix.slow() && NO_SLOW_CLIENTS.contains(&server.name.as_str()) {
                    continue;
                }
                let clients: &[u32] = match mix {
                    Mix::Page => plan.clients,
                    Mix::WithSleep => plan.sleep_clients,
                    Mix::SlowClients(_) => &[plan.slow_load_clients],
                };
                for &clients in clients {
                    rows.push(run_one(run, server, mix, clients)?);
                }
            }
        }
        eprintln!("bench: measuring what a file read, a thread and a pool's hand-over cost");
        costs.push(costs::measure(root)?);
    }
    let machine = report::Machine::describe(&oha, started.elapsed());
    let table = report::write(&rows, &costs, &machine, &plan, &out)?;
    println!("{table}");
    eprintln!(
        "bench: done in {:.0} s; results in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// Build the chapter's servers that are loaded, in release mode, as the
/// ceiling is.
fn build(servers: &[Contender], root: &Path) -> anyhow::Result<()> {
    let bins: Vec<&str> = servers
        .iter()
        .filter_map(|s| match s.kind {
            Kind::Step(step) => Some(step.name),
            Kind::Ceiling(_) => None,
        })
        .collect();
    if bins.is_empty() {
        return Ok(());
    }
    eprintln!("bench: building {} in release mode", bins.join(", "));
    let mut cargo = companion::compile::cargo();
    cargo
        .current_dir(root)
        .args(["build", "--release", "--locked", "--quiet"]);
    for bin in &bins {
        cargo.args(["--bin", bin]);
    }
    // The chapter's own warnings (unused fields in listing 20-20) are not
    // news here; cargo's messages are shown if the build fails.
    let built = cargo.output().context("could not run cargo")?;
    if !built.status.success() {
        eprint!("{}", String::from_utf8_lossy(&built.stderr));
        bail!(
            "the servers did not build ({}); cargo's messages are above",
            built.status
        );
    }
    Ok(())
}

/// Start `server`, put `load` on it, watch its threads and memory, stop it.
fn measure(
    run: usize,
    server: &Contender,
    mix: Mix,
    load: &load::Load,
    oha: &Path,
    release: &Path,
    root: &Path,
) -> anyhow::Result<Row> {
    let running = server.start(release, root)?;
    let holders = match mix {
        Mix::SlowClients(k) => Some(slow::hold(k)?),
        _ => None,
    };
    load.start(oha)?;
    let deadline = Instant::now() + load.duration;
    let mut peak_threads = running.thread_count();
    let mut peak_rss_kib = running.peak_resident_kib();
    loop {
        // oha abandons the requests in flight when the time is up; some of
        // the chapter's servers panic on such a connection. Only a server
        // that dies before then died during the load.
        if let Some(status) = running.wait_for_exit(Duration::ZERO) {
            if Instant::now() < deadline {
                load::stop();
                bail!(
                    "{} died during the load ({status}){}",
                    server.name,
                    last_words(&running.finish().stderr)
                );
            }
        }
        if let Some(n) = running.thread_count() {
            peak_threads = Some(peak_threads.unwrap_or(0).max(n));
        }
        if let Some(kib) = running.peak_resident_kib() {
            peak_rss_kib = Some(peak_rss_kib.unwrap_or(0).max(kib));
        }
        if load::finished() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let measured = load::report()?;
    let slow_held = holders.map(|h| h.held);
    // A server that dies as the run is cut off (one of the chapter's, when a
    // request oha abandons at the deadline panics it) has done its work.
    running.finish();
    Ok(Row {
        run,
        mix,
        clients: load.clients,
        server: server.clone(),
        measured,
        peak_threads,
        peak_rss_kib,
        slow_held,
    })
}

/// What a server that died said last: its panic message, where it panicked.
fn last_words(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let said = match lines.iter().position(|l| l.contains("panicked at")) {
        Some(i) => lines[i..]
            .iter()
            .take(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        None => match lines.iter().rev().find(|l| !l.is_empty()) {
            Some(last) => last.to_string(),
            None => return String::new(),
        },
    };
    format!("; it said: {said}")
}
