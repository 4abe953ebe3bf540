//! What the chapter's servers spend per request besides the request itself,
//! each measured on its own in this process, so that the page can compare
//! it with the time a request takes under load.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

/// The costs, each per request (or job), in microseconds.
#[derive(Clone, Debug)]
pub struct Costs {
    /// `fs::read_to_string("hello.html")`, as the chapter's servers do.
    pub read_file_us: f64,
    /// `thread::spawn` and the thread's end, as listing 20-11 does per
    /// connection.
    pub spawn_thread_us: f64,
    /// Handing an empty job to a pool of four built as the chapter builds
    /// it (one channel, its receiver behind a mutex), until it has run.
    pub chapter_pool_us: f64,
    /// The same through rayon's pool of four.
    pub rayon_pool_us: f64,
    /// Handing one job to the chapter's pool while its workers wait, and
    /// hearing back that it ran: what a request costs a pool that is not
    /// flooded (a worker must be woken).
    pub chapter_pool_wake_us: f64,
    /// The same through rayon's pool.
    pub rayon_pool_wake_us: f64,
}

/// How many times each cost is measured.
const JOBS: usize = 100_000;

/// Measure each cost (about a second in all).
pub fn measure(root: &Path) -> anyhow::Result<Costs> {
    let hello = root.join("hello.html");
    let read_file_us = per(10_000, || std::fs::read_to_string(&hello).map(drop))
        .with_context(|| format!("could not read {}", hello.display()))?;
    let spawn_thread_us = per(10_000, || std::thread::spawn(|| ()).join().map_err(|_| ()))
        .map_err(|()| anyhow::anyhow!("a thread panicked"))?;

    let ran = Arc::new(AtomicUsize::new(0));
    let chapter_pool_us = {
        let started = Instant::now();
        let pool = hello::ThreadPool::build(4).context("could not build the chapter's pool")?;
        for _ in 0..JOBS {
            let ran = Arc::clone(&ran);
            pool.execute(move || {
                ran.fetch_add(1, Ordering::Relaxed);
            });
        }
        // Dropping the pool waits for every job.
        drop(pool);
        micros(started.elapsed(), JOBS)
    };
    let rayon_pool_us = {
        let started = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .context("could not build rayon's pool")?;
        // The scope's end waits for every job, as beyond-06 serves.
        pool.in_place_scope(|scope| {
            for _ in 0..JOBS {
                let ran = Arc::clone(&ran);
                scope.spawn(move |_| {
                    ran.fetch_add(1, Ordering::Relaxed);
                });
            }
        });
        micros(started.elapsed(), JOBS)
    };
    anyhow::ensure!(ran.load(Ordering::Relaxed) == 2 * JOBS, "not every job ran");

    // One job at a time, each waited for.
    let (ran_one, heard) = std::sync::mpsc::channel::<()>();
    let chapter_pool_wake_us = {
        let pool = hello::ThreadPool::build(4).context("could not build the chapter's pool")?;
        per(10_000, || {
            let ran_one = ran_one.clone();
            pool.execute(move || ran_one.send(()).expect("the benchmark waits"));
            heard.recv()
        })
        .context("a job did not run")?
    };
    let rayon_pool_wake_us = {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .context("could not build rayon's pool")?;
        per(10_000, || {
            let ran_one = ran_one.clone();
            pool.spawn(move || ran_one.send(()).expect("the benchmark waits"));
            heard.recv()
        })
        .context("a job did not run")?
    };
    Ok(Costs {
        read_file_us,
        spawn_thread_us,
        chapter_pool_us,
        rayon_pool_us,
        chapter_pool_wake_us,
        rayon_pool_wake_us,
    })
}

/// The mean time of `n` runs of `f`, in microseconds.
fn per<E>(n: usize, mut f: impl FnMut() -> Result<(), E>) -> Result<f64, E> {
    let started = Instant::now();
    for _ in 0..n {
        f()?;
    }
    Ok(micros(started.elapsed(), n))
}

fn micros(took: Duration, n: usize) -> f64 {
    took.as_secs_f64() * 1e6 / n as f64
}
