use std::{
    error::Error,
    fmt, io,
    sync::{Arc, Mutex, mpsc},
    thread,
};

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
    /// Create a new ThreadPool.
    ///
    /// The size is the number of threads in the pool.
    ///
    /// # Errors
    ///
    /// [`PoolCreationError::ZeroSize`] if the size is zero, and
    /// [`PoolCreationError::Spawn`] if a thread cannot be started (the
    /// threads already started are stopped and joined first).
    pub fn build(size: usize) -> Result<ThreadPool, PoolCreationError> {
        ThreadPool::build_with(size, |_| thread::Builder::new())
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
            let worker = Worker::new(id, Arc::clone(&receiver), builder(id))
                .map_err(PoolCreationError::Spawn)?;
            pool.workers.push(worker);
        }

        Ok(pool)
    }

    pub fn execute<F>(&self, f: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let job = Box::new(f);

        self.sender.as_ref().unwrap().send(job).unwrap();
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take());

        for worker in self.workers.drain(..) {
            println!("Shutting down worker {}", worker.id);

            worker.thread.join().unwrap();
        }
    }
}

struct Worker {
    id: usize,
    thread: thread::JoinHandle<()>,
}

impl Worker {
    fn new(
        id: usize,
        receiver: Arc<Mutex<mpsc::Receiver<Job>>>,
        builder: thread::Builder,
    ) -> io::Result<Worker> {
        let thread = builder.spawn(move || {
            loop {
                let message = receiver.lock().unwrap().recv();

                match message {
                    Ok(job) => {
                        println!("Worker {id} got a job; executing.");

                        job();
                    }
                    Err(_) => {
                        println!("Worker {id} disconnected; shutting down.");
                        break;
                    }
                }
            }
        })?;

        Ok(Worker { id, thread })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            error.to_string(),
            "the system could not start a worker thread"
        );
        assert!(error.source().is_some());
    }

    #[test]
    fn a_pool_that_builds_runs_its_jobs() {
        let pool = ThreadPool::build(2).expect("a pool");
        let (done, finished) = mpsc::channel();
        for n in 0..4 {
            let done = done.clone();
            pool.execute(move || done.send(n).unwrap());
        }
        let mut seen: Vec<i32> = finished.iter().take(4).collect();
        seen.sort();
        assert_eq!(seen, [0, 1, 2, 3]);
    }
}
