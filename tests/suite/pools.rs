//! What dropping each shutdown step's ThreadPool really does, tested on the
//! pool itself: the stage's own lib.rs is compiled into this test.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/no-listing-06-fix-threadpool-drop/lib.rs"]
mod no_listing_06;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the 2018 printing's file, as it prints it
#[path = "../../stages/no-listing-06-fix-threadpool-drop-2018/lib.rs"]
mod no_listing_06_2018;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/listing-20-23/lib.rs"]
mod listing_20_23;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/listing-20-24/lib.rs"]
mod listing_20_24;

// Today's edition's pools (Rust 2024 code; what these tests exercise means
// the same in this crate's edition).
#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/no-listing-04-update-drop-definition-2024/lib.rs"]
mod no_listing_04_2024;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/listing-21-23/lib.rs"]
mod listing_21_23;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip] // the book's file, formatted as the book formats it
#[path = "../../stages/listing-21-24/lib.rs"]
mod listing_21_24;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// How long a drop may take to count as prompt; one that takes longer is
/// taken to block (none of these pools has work left when it is dropped).
const BOUND: Duration = Duration::from_secs(3);

/// How long a drop that should finish is given: wide, since a test that
/// passes waits only as long as the drop takes, and a drop whose workers
/// panic prints their panics first (with `RUST_BACKTRACE=1`, a backtrace
/// each, which a loaded machine takes seconds to resolve: seen in a cold
/// run, where 3 s was too short for two such drops).
const FINISHES_WITHIN: Duration = Duration::from_secs(30);

/// Counts worker threads that have ended: each job leaves a guard in its
/// worker's thread-local storage, dropped when that thread exits.
struct ExitCounter(Arc<AtomicUsize>);

impl Drop for ExitCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ON_EXIT: RefCell<Option<ExitCounter>> = const { RefCell::new(None) };
}

/// Give each of the pool's four workers one job, all at once (a barrier
/// makes four workers take one each), so that every worker thread carries
/// an exit counter. Returns the counter.
fn occupy_all_four(execute: impl Fn(Box<dyn FnOnce() + Send + 'static>)) -> Arc<AtomicUsize> {
    let exited = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(5));
    for _ in 0..4 {
        let (exited, barrier) = (exited.clone(), barrier.clone());
        execute(Box::new(move || {
            ON_EXIT.with(|slot| *slot.borrow_mut() = Some(ExitCounter(exited)));
            barrier.wait();
        }));
    }
    barrier.wait();
    exited
}

/// Drop `pool` on a thread of its own; `Some(result)` if the drop finished
/// within `bound` (`Err` if it panicked), `None` if it was still blocked.
fn drop_within<P: Send + 'static>(pool: P, bound: Duration) -> Option<thread::Result<()>> {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(move || drop(pool)));
        let _ = done.send(result);
    });
    finished.recv_timeout(bound).ok()
}

#[test]
fn dropping_the_no_listing_06_pool_blocks_forever() {
    drop_blocks_forever(no_listing_06::ThreadPool::new(4), |p, job| p.execute(job));
}

#[test]
fn dropping_the_no_listing_06_2018_pool_blocks_forever() {
    drop_blocks_forever(no_listing_06_2018::ThreadPool::new(4), |p, job| {
        p.execute(job)
    });
}

#[test]
fn dropping_the_no_listing_04_update_drop_definition_2024_pool_blocks_forever() {
    // Today's edition joins through `drain(..)` instead of an `Option`, and
    // compiles at once; the workers still loop on recv() forever.
    drop_blocks_forever(no_listing_04_2024::ThreadPool::new(4), |p, job| {
        p.execute(job)
    });
}

fn drop_blocks_forever<P: Send + 'static>(pool: P, execute: impl Fn(&P, Job)) {
    let exited = occupy_all_four(|job| execute(&pool, job));
    // Its workers loop on recv() forever and the sender is never dropped,
    // so joining the first worker never returns. (The blocked thread is
    // left behind; the test process ends it.)
    assert!(
        drop_within(pool, BOUND).is_none(),
        "drop returned, but it should block: the first join waits for good"
    );
    assert_eq!(exited.load(Ordering::SeqCst), 0, "no worker thread ended");
}

#[test]
fn dropping_the_listing_20_23_pool_panics_because_its_workers_panic() {
    drop_panics_because_the_workers_panic(listing_20_23::ThreadPool::new(4), |p, job| {
        p.execute(job)
    });
}

#[test]
fn dropping_the_listing_21_23_pool_panics_because_its_workers_panic() {
    drop_panics_because_the_workers_panic(listing_21_23::ThreadPool::new(4), |p, job| {
        p.execute(job)
    });
}

fn drop_panics_because_the_workers_panic<P: Send + 'static>(pool: P, execute: impl Fn(&P, Job)) {
    let exited = occupy_all_four(|job| execute(&pool, job));
    // Dropping the sender makes every worker's recv() fail, and these
    // workers still unwrap() it: each worker thread panics, so the first
    // join returns Err and drop's own unwrap() panics. The book never drops
    // this pool (its server loops forever), so it never shows.
    let result = drop_within(pool, FINISHES_WITHIN).expect("drop finished");
    let panic = result.expect_err("drop panicked");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("called `Result::unwrap()` on an `Err` value"),
        "dropping the sender closes the channel, each worker's unwrap of recv panics, \
         and so does drop's unwrap of the first join, worker 0's: {message}"
    );
    // The other workers are panicking too, on their own threads: wait (at
    // most FINISHES_WITHIN) until all four have ended.
    let deadline = std::time::Instant::now() + FINISHES_WITHIN;
    while exited.load(Ordering::SeqCst) < 4 && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        exited.load(Ordering::SeqCst),
        4,
        "every worker thread ended (by panicking)"
    );
}

#[test]
fn dropping_the_listing_20_24_pool_joins_all_four_workers_promptly() {
    drop_joins_all_four_promptly(listing_20_24::ThreadPool::new(4), |p, job| p.execute(job));
}

#[test]
fn dropping_the_listing_21_24_pool_joins_all_four_workers_promptly() {
    drop_joins_all_four_promptly(listing_21_24::ThreadPool::new(4), |p, job| p.execute(job));
}

fn drop_joins_all_four_promptly<P: Send + 'static>(pool: P, execute: impl Fn(&P, Job)) {
    let exited = occupy_all_four(|job| execute(&pool, job));
    let result = drop_within(pool, FINISHES_WITHIN).expect("drop returned");
    assert!(result.is_ok(), "drop did not panic");
    // join() returns only after a thread has ended, thread-locals included:
    // no waiting needed to see all four counters.
    assert_eq!(
        exited.load(Ordering::SeqCst),
        4,
        "all four workers were joined"
    );
}

/// A pool module made of a pool's source, plus a way for the test to learn
/// which thread is which worker's (the fields are private to the module).
macro_rules! pool_with_worker_threads {
    ($name:ident, $file:literal) => {
        #[allow(clippy::all, dead_code)]
        mod $name {
            include!($file);

            impl ThreadPool {
                /// Each worker's thread, by worker id.
                pub fn worker_threads(&self) -> Vec<std::thread::ThreadId> {
                    self.workers
                        .iter()
                        .map(|w| w.thread.as_ref().unwrap().thread().id())
                        .collect()
                }
            }
        }
    };
}

pool_with_worker_threads!(two_loops_2018, "../../stages/listing-20-24-2018/lib.rs");
pool_with_worker_threads!(one_loop_2018, "pools/one_loop_2018.rs");

/// The 2018 printing's scenario for why drop needs two loops: worker 0 is
/// busy, the other workers are idle, and the pool is dropped. Returns
/// whether the drop finished within [`BOUND`], and how many worker threads
/// had ended by then.
fn drop_while_worker_0_is_busy<P: Send + 'static>(
    pool: P,
    worker_threads: Vec<thread::ThreadId>,
    execute: impl Fn(&P, Job),
) -> (bool, usize) {
    let exited = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(Barrier::new(5));
    let (ran_on, threads_of_jobs) = mpsc::channel();
    let mut release = Vec::new();
    // One job per worker, all running at once (the barrier), each waiting
    // for its own release.
    for job in 0..4 {
        let (exited, started, ran_on) = (exited.clone(), started.clone(), ran_on.clone());
        let (go, wait) = mpsc::channel::<()>();
        release.push(go);
        execute(
            &pool,
            Box::new(move || {
                ON_EXIT.with(|slot| *slot.borrow_mut() = Some(ExitCounter(exited)));
                ran_on.send((job, thread::current().id())).unwrap();
                started.wait();
                let _ = wait.recv();
            }),
        );
    }
    started.wait();
    let jobs: Vec<(usize, thread::ThreadId)> = threads_of_jobs.iter().take(4).collect();
    let busy = jobs
        .iter()
        .find(|(_, t)| *t == worker_threads[0])
        .expect("a job on worker 0")
        .0;
    // Every worker but 0 finishes its job and goes back to waiting.
    for (job, go) in release.iter().enumerate() {
        if job != busy {
            go.send(()).unwrap();
        }
    }
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        drop(pool);
        let _ = done.send(());
    });
    // Once a Terminate has reached an idle worker (it ended), worker 0
    // finishes its job too.
    let deadline = std::time::Instant::now() + BOUND;
    while exited.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert!(
        exited.load(Ordering::SeqCst) >= 1,
        "no worker received a Terminate"
    );
    release[busy].send(()).unwrap();
    let returned = finished.recv_timeout(BOUND).is_ok();
    (returned, exited.load(Ordering::SeqCst))
}

#[test]
fn two_loops_let_every_worker_terminate_even_when_one_is_busy_listing_20_24_2018() {
    let pool = two_loops_2018::ThreadPool::new(4);
    let threads = pool.worker_threads();
    let (returned, exited) = drop_while_worker_0_is_busy(pool, threads, |p, job| p.execute(job));
    assert!(
        returned,
        "drop did not finish: all Terminates are sent before the first join"
    );
    assert_eq!(exited, 4, "all four workers were joined");
}

#[test]
fn one_loop_that_sends_and_joins_at_once_waits_forever_on_a_busy_worker_2018() {
    // What the 2018 printing warns of: the Terminate sent for worker 0 goes
    // to an idle worker, worker 0 finishes its job and waits for a message
    // that never comes, and drop waits on worker 0 forever.
    let pool = one_loop_2018::ThreadPool::new(4);
    let threads = pool.worker_threads();
    let (returned, exited) = drop_while_worker_0_is_busy(pool, threads, |p, job| p.execute(job));
    assert!(
        !returned,
        "drop finished, but with one loop it never finishes: it waits forever on worker 0"
    );
    assert_eq!(
        exited, 1,
        "only the worker that took the one Terminate ended"
    );
}

#[test]
fn the_one_loop_pool_is_the_2018_listing_20_24_with_its_loops_merged() {
    let stage = std::fs::read_to_string("stages/listing-20-24-2018/lib.rs").unwrap();
    let ours = std::fs::read_to_string("tests/suite/pools/one_loop_2018.rs").unwrap();
    let two_loops = "        for _ in &self.workers {
            self.sender.send(Message::Terminate).unwrap();
        }

        println!(\"Shutting down all workers.\");

        for worker in &mut self.workers {
            println!(\"Shutting down worker {}\", worker.id);
";
    let one_loop = "        for worker in &mut self.workers {
            self.sender.send(Message::Terminate).unwrap();

            println!(\"Shutting down worker {}\", worker.id);
";
    assert!(
        stage.contains(two_loops),
        "the 2018 listing 20-24 no longer has its two loops"
    );
    let code = ours.split_once("\n\n").map(|(_, code)| code).unwrap();
    assert_eq!(code, stage.replacen(two_loops, one_loop, 1));
}
