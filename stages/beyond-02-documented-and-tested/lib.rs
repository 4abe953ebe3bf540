//! A fixed-size pool of worker threads that run the jobs handed to it, in
//! the order they are handed over: the thread pool of the web-server
//! chapter, documented and tested.
//!
//! ```
//! use hello::ThreadPool;
//! use std::sync::mpsc;
//!
//! let pool = ThreadPool::build(4)?;
//! let (results, collected) = mpsc::channel();
//! for n in 1..=10 {
//!     let results = results.clone();
//!     pool.execute(move || results.send(n * n).unwrap());
//! }
//! drop(results);
//! drop(pool); // waits for every job to finish
//! assert_eq!(collected.iter().sum::<i32>(), 385);
//! # Ok::<(), hello::PoolCreationError>(())
//! ```

#![deny(missing_docs)]

use std::{
    error::Error,
    fmt, io,
    panic::{self, AssertUnwindSafe},
    sync::{Arc, Mutex, PoisonError, mpsc},
    thread,
};

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`], each job on whichever worker is free first.
///
/// Dropping the pool lets every job already handed over finish, then joins
/// every worker: nothing is left running.
pub struct ThreadPool {
    workers: Vec<Worker>,
    sender: Option<mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Why a [`ThreadPool`] could not be built.
#[derive(Debug)]
pub enum PoolCreationError {
    /// A pool needs at least one thread.
    ZeroSize,
    /// The operating system would not start a worker's thread.
    Spawn(io::Error),
}

impl fmt::Display for PoolCreationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolCreationError::ZeroSize => {
                write!(f, "a thread pool needs at least one thread")
            }
            PoolCreationError::Spawn(_) => {
                write!(f, "the system could not start a worker thread")
            }
        }
    }
}

impl Error for PoolCreationError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            PoolCreationError::ZeroSize => None,
            PoolCreationError::Spawn(e) => Some(e),
        }
    }
}

impl ThreadPool {
    /// Start a pool of `size` worker threads.
    ///
    /// # Errors
    ///
    /// [`PoolCreationError::ZeroSize`] if `size` is zero, and
    /// [`PoolCreationError::Spawn`] if a thread cannot be started (the
    /// threads already started are stopped and joined first).
    ///
    /// ```
    /// use hello::{PoolCreationError, ThreadPool};
    ///
    /// assert!(ThreadPool::build(2).is_ok());
    /// assert!(matches!(
    ///     ThreadPool::build(0),
    ///     Err(PoolCreationError::ZeroSize)
    /// ));
    /// ```
    pub fn build(size: usize) -> Result<ThreadPool, PoolCreationError> {
        ThreadPool::build_with(size, |id| {
            thread::Builder::new().name(format!("worker {id}"))
        })
    }

    /// [`ThreadPool::build`], starting worker `id`'s thread with the
    /// builder `builder(id)` returns.
    fn build_with(
        size: usize,
        builder: impl Fn(usize) -> thread::Builder,
    ) -> Result<ThreadPool, PoolCreationError> {
        if size == 0 {
            return Err(PoolCreationError::ZeroSize);
        }

        let (sender, receiver) = mpsc::channel();

        let receiver = Arc::new(Mutex::new(receiver));

        // Dropped on an early return, the pool so far stops its workers.
        let mut pool = ThreadPool {
            workers: Vec::with_capacity(size),
            sender: Some(sender),
        };

        for id in 0..size {
            let worker = Worker::new(Arc::clone(&receiver), builder(id))
                .map_err(PoolCreationError::Spawn)?;
            pool.workers.push(worker);
        }

        Ok(pool)
    }

    /// Hand `job` to the pool: the first free worker runs it. Returns at
    /// once; the job runs later, on another thread.
    ///
    /// A job that panics ends with a message on stderr, and its worker goes
    /// on to the next job: the pool keeps its size.
    ///
    /// ```
    /// use hello::ThreadPool;
    /// use std::sync::mpsc;
    ///
    /// let pool = ThreadPool::build(1)?;
    /// let (done, finished) = mpsc::channel();
    /// pool.execute(|| panic!("this job fails"));
    /// pool.execute(move || done.send("the worker is still there").unwrap());
    /// assert_eq!(finished.recv().unwrap(), "the worker is still there");
    /// # Ok::<(), hello::PoolCreationError>(())
    /// ```
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // The sender is taken only by `drop`, and the receiver lives as long
        // as any worker, which `drop` joins only after taking the sender:
        // neither can be gone while `self` is borrowed.
        let sender = self.sender.as_ref().expect("the pool is not dropped");
        sender
            .send(Box::new(job))
            .expect("a worker holds the receiver");
    }

    /// The number of worker threads.
    pub fn size(&self) -> usize {
        self.workers.len()
    }
}

impl Drop for ThreadPool {
    /// Close the queue, let the workers finish every job already handed
    /// over, and join them all.
    fn drop(&mut self) {
        drop(self.sender.take());

        for worker in self.workers.drain(..) {
            // A worker's loop catches its jobs' panics, so its thread
            // cannot have panicked; if it somehow did, there is nothing
            // left to clean up.
            let _ = worker.thread.join();
        }
    }
}

struct Worker {
    thread: thread::JoinHandle<()>,
}

impl Worker {
    fn new(
        receiver: Arc<Mutex<mpsc::Receiver<Job>>>,
        builder: thread::Builder,
    ) -> io::Result<Worker> {
        let thread = builder.spawn(move || {
            loop {
                // The lock guards only `recv`, never a job: a poisoned lock
                // would mean a panic inside `recv`, and the receiver is
                // still sound then.
                let message = receiver
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .recv();

                match message {
                    Ok(job) => {
                        // The panic has printed its message already; the
                        // worker stays for the next job.
                        let _ = panic::catch_unwind(AssertUnwindSafe(job));
                    }
                    // The pool is dropped: no more jobs will come.
                    Err(_) => break,
                }
            }
        })?;

        Ok(Worker { thread })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Barrier, atomic::AtomicUsize, atomic::Ordering};
    use std::time::Duration;

    #[test]
    fn a_pool_of_no_threads_is_an_error_not_a_panic() {
        let error = ThreadPool::build(0).err().expect("an error");
        assert!(matches!(error, PoolCreationError::ZeroSize));
        assert_eq!(
            error.to_string(),
            "a thread pool needs at least one thread"
        );
        assert!(error.source().is_none());
    }

    #[test]
    fn a_thread_that_cannot_start_is_an_error_not_a_panic() {
        // No system gives a thread a stack of half the address space.
        let error = ThreadPool::build_with(4, |id| match id {
            2 => thread::Builder::new().stack_size(usize::MAX / 2),
            _ => thread::Builder::new(),
        })
        .err()
        .expect("an error");
        assert!(matches!(error, PoolCreationError::Spawn(_)));
        assert!(error.source().is_some());
    }

    #[test]
    fn every_job_runs() {
        let ran = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::build(3).unwrap();
        for _ in 0..100 {
            let ran = Arc::clone(&ran);
            pool.execute(move || {
                ran.fetch_add(1, Ordering::SeqCst);
            });
        }
        drop(pool);
        assert_eq!(ran.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn jobs_run_side_by_side_up_to_the_pools_size_and_no_further() {
        const SIZE: usize = 3;
        let pool = ThreadPool::build(SIZE).unwrap();
        // SIZE jobs can all be running at once: each waits at the barrier
        // until all of them have reached it.
        let all_in = Arc::new(Barrier::new(SIZE));
        let (done, finished) = mpsc::channel();
        for _ in 0..SIZE {
            let (all_in, done) = (Arc::clone(&all_in), done.clone());
            pool.execute(move || {
                all_in.wait();
                done.send(()).unwrap();
            });
        }
        for _ in 0..SIZE {
            finished.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        // No more than SIZE: with every worker held, one job more waits.
        let hold = Arc::new(Barrier::new(SIZE + 1));
        for _ in 0..SIZE {
            let hold = Arc::clone(&hold);
            pool.execute(move || {
                hold.wait();
            });
        }
        let one_more = done.clone();
        pool.execute(move || one_more.send(()).unwrap());
        let ran_early = finished.recv_timeout(Duration::from_millis(100));
        // Let the held workers go before asserting: a failing test must
        // not leave them waiting, or dropping the pool would wait forever.
        hold.wait();
        assert!(
            ran_early.is_err(),
            "a job ran while all {SIZE} workers were busy"
        );
        finished.recv_timeout(Duration::from_secs(10)).unwrap();
    }

    /// Worker threads that have ended, counted by a thread-local guard
    /// that the jobs of the test below set up on their worker.
    static ENDED: AtomicUsize = AtomicUsize::new(0);

    struct CountsItsThreadsEnd;

    impl Drop for CountsItsThreadsEnd {
        fn drop(&mut self) {
            ENDED.fetch_add(1, Ordering::SeqCst);
        }
    }

    thread_local! {
        static ON_THIS_THREAD: CountsItsThreadsEnd = const { CountsItsThreadsEnd };
    }

    #[test]
    fn dropping_the_pool_waits_for_every_job_and_joins_every_worker() {
        const SIZE: usize = 2;
        let pool = ThreadPool::build(SIZE).unwrap();
        // One job on each worker: each waits until all are in.
        let all_in = Arc::new(Barrier::new(SIZE));
        for _ in 0..SIZE {
            let all_in = Arc::clone(&all_in);
            pool.execute(move || {
                ON_THIS_THREAD.with(|_| {});
                all_in.wait();
            });
        }
        let finished = Arc::new(AtomicUsize::new(0));
        for _ in 0..4 {
            let finished = Arc::clone(&finished);
            pool.execute(move || {
                thread::sleep(Duration::from_millis(50));
                finished.fetch_add(1, Ordering::SeqCst);
            });
        }
        drop(pool);
        assert_eq!(finished.load(Ordering::SeqCst), 4, "every job finished");
        assert_eq!(ENDED.load(Ordering::SeqCst), SIZE, "every worker ended");
    }

    #[test]
    fn a_panicking_job_does_not_shrink_the_pool() {
        const SIZE: usize = 2;
        let pool = ThreadPool::build(SIZE).unwrap();
        for _ in 0..10 {
            pool.execute(|| panic!("a job that fails"));
        }
        // SIZE jobs still run side by side afterwards.
        let all_in = Arc::new(Barrier::new(SIZE));
        let (done, finished) = mpsc::channel();
        for _ in 0..SIZE {
            let (all_in, done) = (Arc::clone(&all_in), done.clone());
            pool.execute(move || {
                all_in.wait();
                done.send(()).unwrap();
            });
        }
        for _ in 0..SIZE {
            finished.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        assert_eq!(pool.size(), SIZE);
    }
}
