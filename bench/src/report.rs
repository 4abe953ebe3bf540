//! The results: `results.csv` (every figure, and its ratio to hyper's in the
//! same mix at the same number of clients), `results.md` (the table the
//! book's page shows) and `results.svg` (the plot).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use companion::check::thousands;
use plotters::prelude::*;

use crate::costs::Costs;
use crate::{Mix, Plan, Row, CEILING, TARGET_SERVERS};

/// Where and when the run was made.
pub struct Machine {
    pub line: String,
}

impl Machine {
    pub fn describe(oha: &Path, took: Duration) -> Machine {
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let rustc = companion::compile::rustc_version();
        let oha = crate::load::version(oha).unwrap_or_else(|| "oha".into());
        Machine {
            line: format!(
                "{} UTC; {} {}, {cores} cores; {rustc}; {oha}; the run took {:.0} s",
                utc_now(),
                std::env::consts::OS,
                std::env::consts::ARCH,
                took.as_secs_f64()
            ),
        }
    }
}

/// The figure hyper measured in the same run, in the same mix at the same
/// number of clients.
fn ceiling_of<'a>(rows: &'a [Row], row: &Row) -> Option<&'a Row> {
    rows.iter().find(|r| {
        r.run == row.run && r.mix == row.mix && r.clients == row.clients && r.server.name == CEILING
    })
}

fn ratio(value: f64, ceiling: Option<f64>) -> f64 {
    match ceiling {
        Some(c) if c > 0.0 => value / c,
        _ => f64::NAN,
    }
}

/// A figure over the runs: its median, and the lowest and highest run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of some values (those that are numbers); all three NaN
    /// when there are none. The median of an even count is the lower
    /// middle value, a figure some run measured.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        values.sort_by(f64::total_cmp);
        match values.len() {
            0 => Spread {
                median: f64::NAN,
                min: f64::NAN,
                max: f64::NAN,
            },
            n => Spread {
                median: values[(n - 1) / 2],
                min: values[0],
                max: values[n - 1],
            },
        }
    }

    fn single(&self) -> bool {
        self.min == self.max
    }
}

/// `13,111 [12,070–13,902]`: a rate (or, with `decimals`, a time) and its
/// range over the runs; the figure alone after a single run.
fn figure(spread: Spread, decimals: usize) -> String {
    if spread.median.is_nan() {
        return "–".into();
    }
    let one = |v: f64| {
        if decimals == 0 {
            thousands(v.round() as u64)
        } else {
            format!("{v:.decimals$}")
        }
    };
    if spread.single() {
        one(spread.median)
    } else {
        format!(
            "{} [{}–{}]",
            one(spread.median),
            one(spread.min),
            one(spread.max)
        )
    }
}

/// `1.26× [1.10–1.40×]`: a ratio and its range over the runs.
fn ratio_figure(spread: Spread) -> String {
    if spread.median.is_nan() {
        return "–".into();
    }
    if spread.single() {
        times(spread.median)
    } else {
        format!(
            "{} [{}–{}]",
            times(spread.median),
            number(spread.min),
            times(spread.max)
        )
    }
}

/// A ratio as `times` writes it, without its `×`.
fn number(ratio: f64) -> String {
    times(ratio).trim_end_matches('×').to_string()
}

fn times(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else if ratio >= 0.095 {
        format!("{ratio:.2}×")
    } else {
        format!("{ratio:.3}×")
    }
}

/// Write the three files into `out`; return the Markdown table. `rows`
/// holds every run's loads; `costs` each run's costs.
pub fn write(
    rows: &[Row],
    costs: &[Costs],
    machine: &Machine,
    plan: &Plan,
    out: &Path,
) -> anyhow::Result<String> {
    std::fs::write(out.join("results.csv"), csv(rows)).context("could not write results.csv")?;
    let mut table = markdown(rows, machine, plan);
    table.push_str(&slow_clients(rows));
    table.push_str(&targets_table(rows, plan));
    table.push_str(&why(rows, costs, plan));
    std::fs::write(out.join("results.md"), &table).context("could not write results.md")?;
    plot(rows, &out.join("results.svg"))?;
    Ok(table)
}

fn csv(rows: &[Row]) -> String {
    let mut csv = String::from(
        "run,mix,clients,server,requests_per_sec,requests_per_sec_vs_hyper,\
         good_per_sec,good_per_sec_vs_hyper,\
         median_ms,median_vs_hyper,p99_ms,p99_vs_hyper,answered,errors,cut_off,\
         peak_threads,peak_rss_kib,peak_rss_vs_hyper,slow_clients_held\n",
    );
    for row in rows {
        let ceiling = ceiling_of(rows, row);
        let m = &row.measured;
        let rss = row.peak_rss_kib.map(|k| k as f64);
        let _ = writeln!(
            csv,
            "{},{},{},{},{:.1},{:.4},{:.1},{:.4},{:.3},{:.4},{:.3},{:.4},{},{},{},{},{},{},{}",
            row.run + 1,
            row.mix.name(),
            row.clients,
            row.server.name,
            m.requests_per_sec,
            ratio(
                m.requests_per_sec,
                ceiling.map(|c| c.measured.requests_per_sec)
            ),
            m.good_per_sec,
            ratio(m.good_per_sec, ceiling.map(|c| c.measured.good_per_sec)),
            m.p50_ms,
            ratio(m.p50_ms, ceiling.map(|c| c.measured.p50_ms)),
            m.p99_ms,
            ratio(m.p99_ms, ceiling.map(|c| c.measured.p99_ms)),
            m.answered,
            m.errors,
            m.cut_off,
            row.peak_threads.map(|n| n.to_string()).unwrap_or_default(),
            row.peak_rss_kib.map(|n| n.to_string()).unwrap_or_default(),
            match (rss, ceiling.and_then(|c| c.peak_rss_kib)) {
                (Some(rss), Some(c)) => format!("{:.4}", ratio(rss, Some(c as f64))),
                _ => String::new(),
            },
            row.slow_held.map(|n| n.to_string()).unwrap_or_default(),
        );
    }
    csv
}

/// One load (a server, in a mix, at a number of clients) over the runs.
struct Load<'a> {
    runs: Vec<&'a Row>,
}

impl<'a> Load<'a> {
    fn first(&self) -> &'a Row {
        self.runs[0]
    }

    /// A figure of each run, over the runs.
    fn spread(&self, figure: impl Fn(&Row) -> f64) -> Spread {
        Spread::of(self.runs.iter().map(|r| figure(r)))
    }

    /// A figure of each run as a ratio to hyper's in the same run.
    fn ratio(&self, rows: &[Row], figure: impl Fn(&Row) -> f64) -> Spread {
        Spread::of(
            self.runs
                .iter()
                .map(|r| ratio(figure(r), ceiling_of(rows, r).map(&figure))),
        )
    }

    fn most<T: Ord + Copy>(&self, figure: impl Fn(&Row) -> Option<T>) -> Option<T> {
        self.runs.iter().filter_map(|r| figure(r)).max()
    }
}

/// The loads of `rows` that `keep` keeps, in the order of their first run.
fn loads(rows: &[Row], keep: impl Fn(&Row) -> bool) -> Vec<Load<'_>> {
    let mut out: Vec<Load> = Vec::new();
    for row in rows.iter().filter(|r| keep(r)) {
        match out.iter_mut().find(|l| {
            let f = l.first();
            f.mix == row.mix && f.clients == row.clients && f.server.name == row.server.name
        }) {
            Some(load) => load.runs.push(row),
            None => out.push(Load { runs: vec![row] }),
        }
    }
    out
}

fn rps(row: &Row) -> f64 {
    row.measured.requests_per_sec
}

fn good(row: &Row) -> f64 {
    row.measured.good_per_sec
}

fn markdown(rows: &[Row], machine: &Machine, plan: &Plan) -> String {
    let runs = if plan.runs == 1 {
        "The plan was run once: each figure is that run's, and each ratio is to hyper's \
         figure in the same mix at the same number of clients."
            .to_string()
    } else {
        format!(
            "The whole plan was run {} times, one run after the other, so that each load \
             of each server was measured {} times, spread over the benchmark. Each figure \
             is the median of those runs, with the lowest and the highest in brackets; each \
             ratio is to hyper's figure in the same run, in the same mix at the same number \
             of clients. Two servers differ only where their ranges do not overlap.",
            plan.runs, plan.runs
        )
    };
    let mut md = format!(
        "Measured {}.\n\n{runs} Latencies are those of the requests answered: those still \
         waiting when the time was up are in no figure (the CSV counts them, run by run).\n",
        machine.line
    );
    for mix in [Mix::Page, Mix::WithSleep] {
        let _ = write!(
            md,
            "\n**{}**\n\n| server | clients | requests/s | × hyper | median ms | p99 ms \
             | errors | peak threads | peak memory MiB |\n\
             |---|--:|--:|--:|--:|--:|--:|--:|--:|\n",
            match mix {
                Mix::Page => "Only `GET /`",
                _ => "`GET /`, and `GET /sleep` one time in twenty, drawn at random",
            }
        );
        for load in loads(rows, |r| r.mix == mix) {
            let row = load.first();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.server.name,
                row.clients,
                figure(load.spread(rps), 0),
                ratio_figure(load.ratio(rows, rps)),
                figure(load.spread(|r| r.measured.p50_ms), 2),
                figure(load.spread(|r| r.measured.p99_ms), 2),
                load.most(|r| Some(r.measured.errors)).unwrap_or(0),
                load.most(|r| r.peak_threads)
                    .map_or("–".into(), |n| n.to_string()),
                load.most(|r| r.peak_rss_kib)
                    .map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
            );
        }
    }
    md
}

/// The table of the loads with slow clients: good requests/s and p99 of
/// `GET /` while so many slow clients each hold half a request.
fn slow_clients(rows: &[Row]) -> String {
    let slow = loads(rows, |r| r.mix.slow());
    let Some(first) = slow.first() else {
        return String::new();
    };
    let mut md = format!(
        "\n**`GET /` at {} clients while slow clients each hold half a request** (opened \
         once at the start of the load and held through it; good requests are those \
         answered with 200; listing 20-10 is left out: its one thread reads the first \
         half request for good)\n\n| server | slow clients | good requests/s | × hyper \
         | p99 ms | errors | peak threads | peak memory MiB |\n\
         |---|--:|--:|--:|--:|--:|--:|--:|\n",
        first.first().clients
    );
    for load in &slow {
        let row = load.first();
        let held = load.runs.iter().filter_map(|r| r.slow_held).min();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.server.name,
            match (row.mix, held) {
                (Mix::SlowClients(k), Some(held)) if held < k => format!("{held} of {k}"),
                (Mix::SlowClients(k), _) => k.to_string(),
                _ => String::new(),
            },
            figure(load.spread(good), 0),
            ratio_figure(load.ratio(rows, good)),
            figure(load.spread(|r| r.measured.p99_ms), 2),
            load.most(|r| Some(r.measured.errors)).unwrap_or(0),
            load.most(|r| r.peak_threads)
                .map_or("–".into(), |n| n.to_string()),
            load.most(|r| r.peak_rss_kib)
                .map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        );
    }
    md
}

/// The targets: each target server's figure as a ratio to hyper's in the
/// same run, over the runs, in the two loads the targets are set on.
fn targets_table(rows: &[Row], plan: &Plan) -> String {
    let at = |server: &str, mix: Mix| {
        loads(rows, |r| {
            r.mix == mix && r.clients == 64 && r.server.name == server
        })
        .into_iter()
        .next()
    };
    let mut md = format!(
        "\n**The targets, over {} runs** (each run's figure as a ratio to hyper's in that \
         run: median [lowest–highest])\n\n| server | sleep mix, 64 clients: requests/s \
         × hyper | p99 × hyper | 64 slow clients: good requests/s × hyper | p99 × hyper \
         |\n|---|--:|--:|--:|--:|\n",
        plan.runs
    );
    let mut any = false;
    for server in TARGET_SERVERS.iter().filter(|s| **s != CEILING) {
        let (Some(sleep), Some(slow)) =
            (at(server, Mix::WithSleep), at(server, Mix::SlowClients(64)))
        else {
            continue;
        };
        any = true;
        let _ = writeln!(
            md,
            "| {server} | {} | {} | {} | {} |",
            ratio_figure(sleep.ratio(rows, rps)),
            ratio_figure(sleep.ratio(rows, |r| r.measured.p99_ms)),
            ratio_figure(slow.ratio(rows, good)),
            ratio_figure(slow.ratio(rows, |r| r.measured.p99_ms)),
        );
    }
    if any {
        md
    } else {
        String::new()
    }
}

/// The load of `server` (a name or the start of one) in `mix` at
/// `clients`, over the runs.
fn find<'a>(rows: &'a [Row], server: &str, mix: Mix, clients: u32) -> Option<Load<'a>> {
    loads(rows, |r| {
        r.mix == mix
            && r.clients == clients
            && (r.server.name == server || r.server.name.starts_with(&format!("{server}-")))
    })
    .into_iter()
    .next()
}

/// `a`'s figure as a ratio to `b`'s in the same run, over the runs.
fn versus(a: &Load, b: &Load, figure: impl Fn(&Row) -> f64) -> Spread {
    Spread::of(a.runs.iter().filter_map(|x| {
        let y = b.runs.iter().find(|y| y.run == x.run)?;
        Some(ratio(figure(x), Some(figure(y))))
    }))
}

/// Where the time goes: each cost the page names, with what measured it,
/// at the most clients of the run. A part whose servers were not loaded is
/// left out.
fn why(rows: &[Row], costs: &[Costs], plan: &Plan) -> String {
    let n = plan.clients.iter().copied().max().unwrap_or(1);
    let page = |server| find(rows, server, Mix::Page, n);
    let slow_n = plan.sleep_clients.iter().copied().max().unwrap_or(1);
    let slow = |server| find(rows, server, Mix::WithSleep, slow_n);
    let cost = |f: fn(&Costs) -> f64| Spread::of(costs.iter().map(f));
    let mut md = format!(
        "\n**What each cost measured** (the loads at {n} clients, and costs measured \
         on their own in the benchmark's process, once in each run; medians \
         [lowest–highest])\n\n"
    );
    if let (Some(kept), Some(hyper)) = (page("hyper-keep-alive"), page(CEILING)) {
        let _ = writeln!(
            md,
            "- A new connection per request: hyper answers {} as many requests when \
             oha keeps its connections open ({} against {} requests/s).",
            ratio_figure(versus(&kept, &hyper, rps)),
            figure(kept.spread(rps), 0),
            figure(hyper.spread(rps), 0),
        );
    }
    if let Some(pool) = page("listing-20-20") {
        let per_request = pool.spread(|r| 1e6 / rps(r));
        let read = cost(|c| c.read_file_us);
        let _ = writeln!(
            md,
            "- A file read per request: reading hello.html takes {} µs; listing 20-20 \
             serves a request every {} µs, so the read is about {:.0}% of that.",
            figure(read, 1),
            figure(per_request, 1),
            100.0 * read.median / per_request.median,
        );
    }
    if let (Some(cached), Some(hyper)) = (page("hyper-cached"), page(CEILING)) {
        let _ = writeln!(
            md,
            "- hyper reads the file through tokio's blocking threads ({} threads at \
             its peak, against {} when it reads the file once): with the file read \
             once at the start it answers {} as many requests.",
            hyper
                .most(|r| r.peak_threads)
                .map_or("–".into(), |t| t.to_string()),
            cached
                .most(|r| r.peak_threads)
                .map_or("–".into(), |t| t.to_string()),
            ratio_figure(versus(&cached, &hyper, rps)),
        );
    }
    let _ = write!(
        md,
        "- The mutex around the receiver: a flood of empty jobs through the pool of \
         beyond-02 (the chapter's design, one channel with its receiver behind a mutex, \
         without the chapter's printing) costs {} µs a job; through rayon's pool of \
         four, {} µs. One job at a time, each waited for (a worker must be woken, as \
         for each request of a server that is not flooded): {} µs through beyond-02's \
         pool, {} µs through rayon's.",
        figure(cost(|c| c.chapter_pool_us), 2),
        figure(cost(|c| c.rayon_pool_us), 2),
        figure(cost(|c| c.chapter_pool_wake_us), 1),
        figure(cost(|c| c.rayon_pool_wake_us), 1),
    );
    if let (Some(ours), Some(rayon)) = (page("beyond-04"), page("beyond-06")) {
        let _ = write!(
            md,
            " One server on the two pools: beyond-06 (rayon's) answers {} as many \
             requests as beyond-04 (beyond-02's).",
            ratio_figure(versus(&rayon, &ours, rps)),
        );
    }
    md.push('\n');
    if let (Some(threads), Some(one)) = (page("listing-20-11"), page("listing-20-10")) {
        let _ = writeln!(
            md,
            "- A thread per connection: starting a thread and ending it takes {} µs; \
             listing 20-11 answers {} as many requests as the one thread of listing \
             20-10, with up to {} threads.",
            figure(cost(|c| c.spawn_thread_us), 1),
            ratio_figure(versus(&threads, &one, rps)),
            threads
                .most(|r| r.peak_threads)
                .map_or("–".into(), |t| t.to_string()),
        );
    }
    // A worker that takes a /sleep is gone for 5 s and, on average, takes
    // 19 quick requests between two of them; in a run of T s started idle,
    // each worker gets to about ceil(T / 5) of them.
    let t = plan.with_sleep.as_secs_f64();
    let expected = |workers: f64| workers * 20.0 * (t / 5.0).ceil() / t;
    if let (Some(pool), Some(one)) = (slow("listing-20-20"), slow("listing-20-10")) {
        let _ = write!(
            md,
            "- Four workers behind one slow request: with one request in twenty a \
             `/sleep`, each worker is held 5 s for every twenty requests, so in a \
             {t:.0}-s run a pool of four answers about {:.0} requests/s and one thread \
             about {:.0}, however many clients ask. Measured at {slow_n} clients: \
             listing 20-20 {}, listing 20-10 {}",
            expected(4.0),
            expected(1.0),
            figure(pool.spread(rps), 0),
            figure(one.spread(rps), 0),
        );
        let others: Vec<String> = [("listing-20-11", "listing 20-11"), (CEILING, "hyper")]
            .iter()
            .filter_map(|(server, name)| {
                slow(server).map(|load| format!("{name} {}", figure(load.spread(rps), 0)))
            })
            .collect();
        if others.is_empty() {
            md.push_str(".\n");
        } else {
            let _ = writeln!(
                md,
                "; {}, which give each request a thread or a task of its own.",
                others.join(" and ")
            );
        }
    }
    md
}

/// Requests per second as a ratio to hyper's: against the number of
/// clients in the two mixes, and against the number of slow clients; one
/// line per server, one panel per load, stacked, with one legend. Drawn at
/// the width the book's text column shows it (about 750 pixels), so that
/// its type reads at the size of the page's own.
fn plot(rows: &[Row], path: &Path) -> anyhow::Result<()> {
    const WIDTH: u32 = 800;
    const PANEL: u32 = 330;
    const TEXT: u32 = 20;
    let mut names: Vec<&str> = Vec::new();
    for row in rows {
        if !names.contains(&row.server.name.as_str()) {
            names.push(&row.server.name);
        }
    }
    let legend_rows = names.len().div_ceil(2) as u32;
    let height = 3 * PANEL + 16 + legend_rows * (TEXT + 10);
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let (charts, legend) = root.split_vertically(3 * PANEL);
        let panels = charts.split_evenly((3, 1));
        // Each panel: its title, what its x axis counts, and its points
        // (server, x value, ratio to hyper).
        let loads: [(&str, &str, Vec<Point>); 3] = [
            (
                "/ only",
                "clients",
                points(rows, |r| (r.mix == Mix::Page).then_some(r.clients), false),
            ),
            (
                "/ and 1 in 20 /sleep",
                "clients",
                points(
                    rows,
                    |r| (r.mix == Mix::WithSleep).then_some(r.clients),
                    false,
                ),
            ),
            (
                "/ at 64 clients, with slow clients (good requests)",
                "slow clients holding half a request",
                points(
                    rows,
                    |r| match r.mix {
                        Mix::SlowClients(k) => Some(k),
                        _ => None,
                    },
                    true,
                ),
            ),
        ];
        for (panel, (title, x_desc, ratios)) in panels.iter().zip(loads) {
            let mut xs: Vec<u32> = ratios.iter().map(|r| r.1).collect();
            xs.sort_unstable();
            xs.dedup();
            let x_of = |n: u32| xs.iter().position(|&c| c == n).unwrap_or(0) as f64;
            let x_max = (xs.len().max(2) - 1) as f64;
            let low = ratios.iter().map(|r| r.2).fold(1.0f64, f64::min).max(1e-4) / 1.5;
            let high = ratios.iter().map(|r| r.2).fold(1.0f64, f64::max) * 1.5;
            let mut chart = ChartBuilder::on(panel)
                .caption(title, ("sans-serif", TEXT + 4))
                .margin(12)
                .x_label_area_size(TEXT * 2 + 12)
                .y_label_area_size(TEXT * 4)
                .build_cartesian_2d(-0.2..x_max + 0.2, (low..high).log_scale())?;
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc("× hyper")
                .label_style(("sans-serif", TEXT))
                .axis_desc_style(("sans-serif", TEXT))
                .x_labels(xs.len())
                .y_labels(5)
                .x_label_formatter(&|x| {
                    let i = x.round();
                    if (x - i).abs() < 0.01 && i >= 0.0 {
                        xs.get(i as usize).map(u32::to_string).unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|y| {
                    if *y >= 1.0 {
                        format!("{y:.0}×")
                    } else {
                        format!("{y:.2}×")
                    }
                })
                .draw()?;
            for (i, name) in names.iter().enumerate() {
                let line: Vec<(f64, f64)> = ratios
                    .iter()
                    .filter(|r| r.0 == *name)
                    .map(|r| (x_of(r.1), r.2))
                    .collect();
                if line.is_empty() {
                    continue;
                }
                let color = Palette99::pick(i).to_rgba();
                chart.draw_series(LineSeries::new(line.clone(), color.stroke_width(3)))?;
                chart.draw_series(line.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
            }
        }
        // The legend: two names to a row, in the panels' colours.
        for (i, name) in names.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let x = 20 + (i as i32 % 2) * (WIDTH as i32 / 2);
            let y = 14 + (i as i32 / 2) * (TEXT as i32 + 10);
            legend.draw(&PathElement::new(
                vec![(x, y), (x + 28, y)],
                color.stroke_width(3),
            ))?;
            legend.draw(&Circle::new((x + 14, y), 4, color.filled()))?;
            legend.draw(&Text::new(
                name.to_string(),
                (x + 36, y - TEXT as i32 / 2),
                ("sans-serif", TEXT),
            ))?;
        }
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| anyhow::anyhow!("could not draw {}: {e}", path.display()))
}

/// A point of the plot: a server, its x value, its ratio to hyper.
type Point = (String, u32, f64);

/// The loads `x` gives an x value for, as (server, x, the median over the
/// runs of its ratio to hyper's requests per second, or good requests per
/// second where `good`).
fn points(rows: &[Row], x: impl Fn(&Row) -> Option<u32>, good: bool) -> Vec<Point> {
    let value = move |r: &Row| {
        if good {
            r.measured.good_per_sec
        } else {
            r.measured.requests_per_sec
        }
    };
    loads(rows, |r| x(r).is_some())
        .into_iter()
        .filter_map(|load| {
            let row = load.first();
            let x = x(row)?;
            Some((row.server.name.clone(), x, load.ratio(rows, value).median))
        })
        .filter(|(_, _, q)| q.is_finite() && *q > 0.0)
        .collect()
}

/// The date and time now, UTC, as `2026-11-28 07:13`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(thousands(14_532), "14,532");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        let spread = Spread::of([13_902.4, 12_070.0, 13_111.2, f64::NAN, 12_900.0, 13_500.0]);
        assert_eq!(figure(spread, 0), "13,111 [12,070–13,902]");
        assert_eq!(
            ratio_figure(Spread::of([1.26, 1.1, 1.4])),
            "1.26× [1.10–1.40×]"
        );
        assert_eq!(ratio_figure(Spread::of([0.0123])), "0.012×");
        assert_eq!(figure(Spread::of([0.2351]), 2), "0.24");
        assert_eq!(figure(Spread::of([]), 2), "–");
    }

    #[test]
    fn the_median_of_an_even_count_is_a_run_s_own_figure() {
        let spread = Spread::of([4.0, 1.0, 3.0, 2.0]);
        assert_eq!((spread.median, spread.min, spread.max), (2.0, 1.0, 4.0));
    }
}
