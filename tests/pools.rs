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
#[path = "../stages/no-listing-06-fix-threadpool-drop/lib.rs"]
mod no_listing_06;

#[allow(clippy::all, dead_code)]
#[path = "../stages/listing-20-23/lib.rs"]
mod listing_20_23;

#[allow(clippy::all, dead_code)]
#[path = "../stages/listing-20-24/lib.rs"]
mod listing_20_24;

/// How long a drop may take to count as prompt; one that takes longer is
/// taken to block (none of these pools has work left when it is dropped).
const BOUND: Duration = Duration::from_secs(3);

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
/// within [`BOUND`] (`Err` if it panicked), `None` if it was still blocked.
fn drop_within_bound<P: Send + 'static>(pool: P) -> Option<thread::Result<()>> {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(move || drop(pool)));
        let _ = done.send(result);
    });
    finished.recv_timeout(BOUND).ok()
}

#[test]
fn dropping_the_no_listing_06_pool_blocks_forever() {
    let pool = no_listing_06::ThreadPool::new(4);
    let exited = occupy_all_four(|job| pool.execute(job));
    // Its workers loop on recv() forever and the sender is never dropped,
    // so joining the first worker never returns. (The blocked thread is
    // left behind; the test process ends it.)
    assert!(
        drop_within_bound(pool).is_none(),
        "drop returned, but it should block"
    );
    assert_eq!(exited.load(Ordering::SeqCst), 0, "no worker thread ended");
}

#[test]
fn dropping_the_listing_20_23_pool_panics_because_its_workers_panic() {
    let pool = listing_20_23::ThreadPool::new(4);
    let exited = occupy_all_four(|job| pool.execute(job));
    // Dropping the sender makes every worker's recv() fail, and 20-23's
    // workers still unwrap() it: each worker thread panics, so the first
    // join returns Err and drop's own unwrap() panics. The book never drops
    // this pool (its server loops forever), so it never shows.
    let result = drop_within_bound(pool).expect("drop finished promptly");
    let panic = result.expect_err("drop panicked");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("called `Result::unwrap()` on an `Err` value"),
        "{message}"
    );
    // The other workers are panicking too, on their own threads: wait (at
    // most BOUND) until all four have ended.
    let deadline = std::time::Instant::now() + BOUND;
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
    let pool = listing_20_24::ThreadPool::new(4);
    let exited = occupy_all_four(|job| pool.execute(job));
    let result = drop_within_bound(pool).expect("drop returned within the bound");
    assert!(result.is_ok(), "drop did not panic");
    // join() returns only after a thread has ended, thread-locals included:
    // no waiting needed to see all four counters.
    assert_eq!(
        exited.load(Ordering::SeqCst),
        4,
        "all four workers were joined"
    );
}
