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
use crate::{Mix, Plan, Row, CEILING};

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

/// The figure hyper measured in the same mix at the same number of clients.
fn ceiling_of<'a>(rows: &'a [Row], row: &Row) -> Option<&'a Row> {
    rows.iter()
        .find(|r| r.mix == row.mix && r.clients == row.clients && r.server.name == CEILING)
}

fn ratio(value: f64, ceiling: Option<f64>) -> f64 {
    match ceiling {
        Some(c) if c > 0.0 => value / c,
        _ => f64::NAN,
    }
}

/// Write the three files into `out`; return the Markdown table. `targets`
/// are the target loads run again, each with its run's number.
pub fn write(
    rows: &[Row],
    targets: &[(usize, Row)],
    costs: &Costs,
    machine: &Machine,
    plan: &Plan,
    out: &Path,
) -> anyhow::Result<String> {
    let mut csv = csv(rows, "plan");
    for run in 0..plan.target_runs {
        let of_run: Vec<Row> = targets
            .iter()
            .filter(|(r, _)| *r == run)
            .map(|(_, row)| row.clone())
            .collect();
        let more = self::csv(&of_run, &format!("target run {}", run + 1));
        csv.push_str(more.split_once('\n').map_or("", |(_, rows)| rows));
    }
    std::fs::write(out.join("results.csv"), csv).context("could not write results.csv")?;
    let mut table = markdown(rows, machine);
    table.push_str(&slow_clients(rows));
    table.push_str(&targets_table(targets, plan));
    table.push_str(&why(rows, costs, plan));
    std::fs::write(out.join("results.md"), &table).context("could not write results.md")?;
    plot(rows, &out.join("results.svg"))?;
    Ok(table)
}

fn csv(rows: &[Row], run: &str) -> String {
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
            "{run},{},{},{},{:.1},{:.4},{:.1},{:.4},{:.3},{:.4},{:.3},{:.4},{},{},{},{},{},{},{}",
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

/// `1,234 (0.93×)`: a figure and its ratio to hyper's.
fn with_ratio(value: f64, ratio: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "–".into();
    }
    let value = if decimals == 0 {
        thousands(value.round() as u64)
    } else {
        format!("{value:.decimals$}")
    };
    if ratio.is_nan() {
        value
    } else {
        format!("{value} ({})", times(ratio))
    }
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

fn markdown(rows: &[Row], machine: &Machine) -> String {
    let mut md = format!(
        "Measured {}.\n\nEvery ratio is to hyper's figure in the same mix at the same \
         number of clients, measured in the same run. Latencies are those of the \
         requests answered: those still waiting when the time was up are in no \
         figure (the CSV counts them).\n",
        machine.line
    );
    for mix in [Mix::Page, Mix::WithSleep] {
        let _ = write!(
            md,
            "\n**{}**\n\n| server | clients | requests/s (× hyper) | median ms (× hyper) \
             | p99 ms (× hyper) | errors | peak threads | peak memory MiB |\n\
             |---|--:|--:|--:|--:|--:|--:|--:|\n",
            match mix {
                Mix::Page => "Only `GET /`",
                _ =>
                    "`GET /`, and `GET /sleep` one time in twenty, drawn at random (with \
                     one or four clients, a run sees only a few `/sleep`s, so those rows \
                     vary from run to run)",
            }
        );
        for row in rows.iter().filter(|r| r.mix == mix) {
            let ceiling = ceiling_of(rows, row);
            let m = &row.measured;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                row.server.name,
                row.clients,
                with_ratio(
                    m.requests_per_sec,
                    ratio(
                        m.requests_per_sec,
                        ceiling.map(|c| c.measured.requests_per_sec)
                    ),
                    0
                ),
                with_ratio(
                    m.p50_ms,
                    ratio(m.p50_ms, ceiling.map(|c| c.measured.p50_ms)),
                    2
                ),
                with_ratio(
                    m.p99_ms,
                    ratio(m.p99_ms, ceiling.map(|c| c.measured.p99_ms)),
                    2
                ),
                m.errors,
                row.peak_threads.map_or("–".into(), |n| n.to_string()),
                row.peak_rss_kib
                    .map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
            );
        }
    }
    md
}

/// The table of the loads with slow clients: good requests/s and p99 of
/// `GET /` while so many slow clients each hold half a request.
fn slow_clients(rows: &[Row]) -> String {
    let slow: Vec<&Row> = rows.iter().filter(|r| r.mix.slow()).collect();
    let Some(first) = slow.first() else {
        return String::new();
    };
    let mut md = format!(
        "\n**`GET /` at {} clients while slow clients each hold half a request** (good \
         requests are those answered with 200; listing 20-10 is left out: its one thread \
         reads the first half request for good)\n\n| server | slow clients | good \
         requests/s (× hyper) | p99 ms (× hyper) | errors | peak threads | peak memory \
         MiB |\n|---|--:|--:|--:|--:|--:|--:|\n",
        first.clients
    );
    for row in slow {
        let ceiling = ceiling_of(rows, row);
        let m = &row.measured;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.server.name,
            match (row.mix, row.slow_held) {
                (Mix::SlowClients(k), Some(held)) if held < k => format!("{held} of {k}"),
                (Mix::SlowClients(k), _) => k.to_string(),
                _ => String::new(),
            },
            with_ratio(
                m.good_per_sec,
                ratio(m.good_per_sec, ceiling.map(|c| c.measured.good_per_sec)),
                0
            ),
            with_ratio(
                m.p99_ms,
                ratio(m.p99_ms, ceiling.map(|c| c.measured.p99_ms)),
                2
            ),
            m.errors,
            row.peak_threads.map_or("–".into(), |n| n.to_string()),
            row.peak_rss_kib
                .map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        );
    }
    md
}

/// `min / median / max` of some ratios.
fn spread(mut ratios: Vec<f64>) -> String {
    ratios.retain(|r| r.is_finite());
    if ratios.is_empty() {
        return "–".into();
    }
    ratios.sort_by(f64::total_cmp);
    format!(
        "{} / {} / {}",
        times(ratios[0]),
        times(ratios[(ratios.len() - 1) / 2]),
        times(ratios[ratios.len() - 1])
    )
}

/// The targets: each server's figure as a ratio to hyper's in the same run,
/// over the runs of the target loads.
fn targets_table(targets: &[(usize, Row)], plan: &Plan) -> String {
    if targets.is_empty() {
        return String::new();
    }
    let runs = plan.target_runs;
    let ratios = |server: &str, mix: Mix, good: bool, p99: bool| -> Vec<f64> {
        (0..runs)
            .filter_map(|run| {
                let of = |name: &str| {
                    targets
                        .iter()
                        .find(|(r, row)| *r == run && row.mix == mix && row.server.name == name)
                        .map(|(_, row)| &row.measured)
                };
                let (mine, hyper) = (of(server)?, of(CEILING)?);
                let pick = |m: &crate::load::Measured| match (good, p99) {
                    (_, true) => m.p99_ms,
                    (true, _) => m.good_per_sec,
                    _ => m.requests_per_sec,
                };
                Some(ratio(pick(mine), Some(pick(hyper))))
            })
            .collect()
    };
    let mut servers: Vec<&str> = Vec::new();
    for (_, row) in targets {
        if row.server.name != CEILING && !servers.contains(&row.server.name.as_str()) {
            servers.push(&row.server.name);
        }
    }
    let mut md = format!(
        "\n**The targets, over {runs} runs** (each run's figure as a ratio to hyper's in \
         that run; min / median / max)\n\n| server | sleep mix, 64 clients: requests/s \
         × hyper | p99 × hyper | 64 slow clients: good requests/s × hyper | p99 × hyper \
         |\n|---|--:|--:|--:|--:|\n"
    );
    for server in servers {
        let _ = writeln!(
            md,
            "| {server} | {} | {} | {} | {} |",
            spread(ratios(server, Mix::WithSleep, false, false)),
            spread(ratios(server, Mix::WithSleep, false, true)),
            spread(ratios(server, Mix::SlowClients(64), true, false)),
            spread(ratios(server, Mix::SlowClients(64), true, true)),
        );
    }
    md
}

/// The row of `server` (a name or the start of one) in `mix` at `clients`.
fn find<'a>(rows: &'a [Row], server: &str, mix: Mix, clients: u32) -> Option<&'a Row> {
    rows.iter().find(|r| {
        r.mix == mix
            && r.clients == clients
            && (r.server.name == server || r.server.name.starts_with(&format!("{server}-")))
    })
}

fn rps(row: &Row) -> f64 {
    row.measured.requests_per_sec
}

/// Where the time goes: each cost the page names, with what measured it,
/// at the most clients of the run. A part whose servers were not loaded is
/// left out.
fn why(rows: &[Row], costs: &Costs, plan: &Plan) -> String {
    let n = plan.clients.iter().copied().max().unwrap_or(1);
    let page = |server| find(rows, server, Mix::Page, n);
    let slow = |server| find(rows, server, Mix::WithSleep, n);
    let mut md = format!(
        "\n**What each cost measured** (the loads at {n} clients, and costs measured \
         on their own in the benchmark's process)\n\n"
    );
    if let (Some(kept), Some(hyper)) = (page("hyper-keep-alive"), page(CEILING)) {
        let _ = writeln!(
            md,
            "- A new connection per request: hyper answers {} as many requests when \
             oha keeps its connections open ({} against {} requests/s).",
            times(rps(kept) / rps(hyper)),
            thousands(rps(kept).round() as u64),
            thousands(rps(hyper).round() as u64),
        );
    }
    if let Some(pool) = page("listing-20-20") {
        let per_request = 1e6 / rps(pool);
        let _ = writeln!(
            md,
            "- A file read per request: reading hello.html takes {:.1} µs; listing 20-20 \
             serves a request every {per_request:.1} µs, so the read is {:.0}% of that.",
            costs.read_file_us,
            100.0 * costs.read_file_us / per_request,
        );
    }
    if let (Some(cached), Some(hyper)) = (page("hyper-cached"), page(CEILING)) {
        let _ = writeln!(
            md,
            "- hyper reads the file through tokio's blocking threads ({} threads at \
             its peak, against {} when it reads the file once): with the file read \
             once at the start it answers {} as many requests.",
            hyper.peak_threads.map_or("–".into(), |t| t.to_string()),
            cached.peak_threads.map_or("–".into(), |t| t.to_string()),
            times(rps(cached) / rps(hyper)),
        );
    }
    let _ = write!(
        md,
        "- The mutex around the receiver: a flood of empty jobs through a pool of four \
         built as the chapter builds it costs {:.2} µs a job; through rayon's pool of \
         four, {:.2} µs. One job at a time, each waited for (a worker must be woken, \
         as for each request of a server that is not flooded): {:.1} µs through the \
         chapter's pool, {:.1} µs through rayon's.",
        costs.chapter_pool_us,
        costs.rayon_pool_us,
        costs.chapter_pool_wake_us,
        costs.rayon_pool_wake_us,
    );
    if let (Some(ours), Some(rayon)) = (page("beyond-04"), page("beyond-06")) {
        let _ = write!(
            md,
            " One server on the two pools: beyond-06 (rayon's) answers {} as many \
             requests as beyond-04 (the chapter's).",
            times(rps(rayon) / rps(ours)),
        );
    }
    md.push('\n');
    if let (Some(threads), Some(one)) = (page("listing-20-11"), page("listing-20-10")) {
        let _ = writeln!(
            md,
            "- A thread per connection: starting a thread and ending it takes {:.1} µs; \
             listing 20-11 answers {} as many requests as the one thread of listing \
             20-10, with up to {} threads.",
            costs.spawn_thread_us,
            times(rps(threads) / rps(one)),
            threads.peak_threads.map_or("–".into(), |t| t.to_string()),
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
             about {:.0}, however many clients ask. Measured: listing 20-20 {:.0}, \
             listing 20-10 {:.0}",
            expected(4.0),
            expected(1.0),
            rps(pool),
            rps(one),
        );
        let others: Vec<String> = [("listing-20-11", "listing 20-11"), (CEILING, "hyper")]
            .iter()
            .filter_map(|(server, name)| slow(server).map(|row| format!("{name} {:.0}", rps(row))))
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

/// The rows `x` gives an x value for, as (server, x, ratio to hyper's
/// requests per second, or good requests per second where `good`).
fn points(rows: &[Row], x: impl Fn(&Row) -> Option<u32>, good: bool) -> Vec<Point> {
    rows.iter()
        .filter_map(|r| {
            let x = x(r)?;
            let value = |m: &crate::load::Measured| {
                if good {
                    m.good_per_sec
                } else {
                    m.requests_per_sec
                }
            };
            let ceiling = ceiling_of(rows, r).map(|c| value(&c.measured));
            Some((r.server.name.clone(), x, ratio(value(&r.measured), ceiling)))
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
        assert_eq!(with_ratio(14_532.4, 0.934, 0), "14,532 (0.93×)");
        assert_eq!(with_ratio(0.2351, 12.3, 2), "0.24 (12×)");
        assert_eq!(with_ratio(3.0, 0.0123, 0), "3 (0.012×)");
        assert_eq!(with_ratio(f64::NAN, 1.0, 2), "–");
    }
}
