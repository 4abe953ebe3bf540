//! The results: `results.csv` (every figure, and its ratio to hyper's in the
//! same mix at the same number of clients), `results.md` (the table the
//! book's page shows) and `results.svg` (the plot).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
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

/// Write the three files into `out`; return the Markdown table.
pub fn write(
    rows: &[Row],
    costs: &Costs,
    machine: &Machine,
    plan: &Plan,
    out: &Path,
) -> anyhow::Result<String> {
    let csv = csv(rows);
    std::fs::write(out.join("results.csv"), csv).context("could not write results.csv")?;
    let mut table = markdown(rows, machine);
    table.push_str(&why(rows, costs, plan));
    std::fs::write(out.join("results.md"), &table).context("could not write results.md")?;
    plot(rows, &out.join("results.svg"))?;
    Ok(table)
}

fn csv(rows: &[Row]) -> String {
    let mut csv = String::from(
        "mix,clients,server,requests_per_sec,requests_per_sec_vs_hyper,\
         median_ms,median_vs_hyper,p99_ms,p99_vs_hyper,answered,errors,cut_off,\
         peak_threads,peak_rss_kib,peak_rss_vs_hyper\n",
    );
    for row in rows {
        let ceiling = ceiling_of(rows, row);
        let m = &row.measured;
        let rss = row.peak_rss_kib.map(|k| k as f64);
        let _ = writeln!(
            csv,
            "{},{},{},{:.1},{:.4},{:.3},{:.4},{:.3},{:.4},{},{},{},{},{},{}",
            row.mix.name(),
            row.clients,
            row.server.name,
            m.requests_per_sec,
            ratio(
                m.requests_per_sec,
                ceiling.map(|c| c.measured.requests_per_sec)
            ),
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

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
                Mix::WithSleep =>
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

/// Requests per second as a ratio to hyper's, against the number of
/// clients, one line per server, one panel per mix.
fn plot(rows: &[Row], path: &Path) -> anyhow::Result<()> {
    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        // The two panels, and below them one legend for both, four names
        // to a row.
        let (charts, legend) = root.split_vertically(400);
        let panels = charts.split_evenly((1, 2));
        let mut clients: Vec<u32> = rows.iter().map(|r| r.clients).collect();
        clients.sort_unstable();
        clients.dedup();
        let x_of = |n: u32| clients.iter().position(|&c| c == n).unwrap_or(0) as f64;
        let x_max = (clients.len().max(2) - 1) as f64;
        let mut names: Vec<&str> = Vec::new();
        for row in rows {
            if !names.contains(&row.server.name.as_str()) {
                names.push(&row.server.name);
            }
        }
        for (panel, mix) in panels.iter().zip([Mix::Page, Mix::WithSleep]) {
            let ratios: Vec<(String, u32, f64)> = rows
                .iter()
                .filter(|r| r.mix == mix)
                .map(|r| {
                    let c = ceiling_of(rows, r).map(|c| c.measured.requests_per_sec);
                    (
                        r.server.name.clone(),
                        r.clients,
                        ratio(r.measured.requests_per_sec, c),
                    )
                })
                .filter(|(_, _, q)| q.is_finite() && *q > 0.0)
                .collect();
            let low = ratios.iter().map(|r| r.2).fold(1.0f64, f64::min).max(1e-4) / 1.5;
            let high = ratios.iter().map(|r| r.2).fold(1.0f64, f64::max) * 1.5;
            let mut chart = ChartBuilder::on(panel)
                .caption(mix.name(), ("sans-serif", 18))
                .margin(10)
                .x_label_area_size(36)
                .y_label_area_size(56)
                .build_cartesian_2d(-0.2..x_max + 0.2, (low..high).log_scale())?;
            chart
                .configure_mesh()
                .x_desc("clients")
                .y_desc("requests/s, × hyper's")
                .x_labels(clients.len())
                .x_label_formatter(&|x| {
                    let i = x.round();
                    if (x - i).abs() < 0.01 && i >= 0.0 {
                        clients
                            .get(i as usize)
                            .map(u32::to_string)
                            .unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|y| format!("{y}×"))
                .draw()?;
            for (i, name) in names.iter().enumerate() {
                let points: Vec<(f64, f64)> = ratios
                    .iter()
                    .filter(|r| r.0 == *name)
                    .map(|r| (x_of(r.1), r.2))
                    .collect();
                if points.is_empty() {
                    continue;
                }
                let color = Palette99::pick(i).to_rgba();
                chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))?;
            }
        }
        for (i, name) in names.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let (x, y) = (70 + (i as i32 % 4) * 225, 20 + (i as i32 / 4) * 24);
            legend.draw(&PathElement::new(
                vec![(x, y), (x + 20, y)],
                color.stroke_width(2),
            ))?;
            legend.draw(&Circle::new((x + 10, y), 3, color.filled()))?;
            legend.draw(&Text::new(
                name.to_string(),
                (x + 26, y - 7),
                ("sans-serif", 13),
            ))?;
        }
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| anyhow::anyhow!("could not draw {}: {e}", path.display()))
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
