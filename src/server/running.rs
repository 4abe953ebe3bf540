//! Every server process running now, so that an interrupted tour stops
//! them all ([`stop_all`]) and none starts after.

use std::process::Child;
use std::sync::{Arc, Condvar, Mutex, Weak};

/// Every server process running now, so that an interrupted tour can stop
/// them (see [`stop_all`]); `stopping` once it has, after which no server
/// starts; and how many are being spawned (not yet listed). [`stop_all`]
/// waits for those, so that none slips between spawn and list and outlives
/// it; the spawns themselves run side by side.
static RUNNING: Mutex<Running> = Mutex::new(Running {
    children: Vec::new(),
    stopping: false,
    spawning: 0,
});

/// Whether [`stop_all`] has run (or is running).
pub fn stopping() -> bool {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner()).stopping
}

/// Signalled when a spawn in flight has been listed.
static LISTED: Condvar = Condvar::new();

struct Running {
    children: Vec<Weak<Mutex<Child>>>,
    stopping: bool,
    spawning: usize,
}

/// Kill and reap every server still running, and start none from now on:
/// what the tour does when the reader presses ctrl-C, before it exits.
pub fn stop_all() {
    let running = {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.stopping = true;
        while running.spawning > 0 {
            running = LISTED.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        std::mem::take(&mut running.children)
    };
    for child in running.iter().filter_map(Weak::upgrade) {
        let mut child = child.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Spawn `command` and list its process, unless every server is being
/// stopped: then none starts.
pub(super) fn spawn(command: &mut std::process::Command) -> std::io::Result<Arc<Mutex<Child>>> {
    {
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        if running.stopping {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "every server is being stopped",
            ));
        }
        running.spawning += 1;
    }
    let spawned = command.spawn();
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    running.spawning -= 1;
    LISTED.notify_all();
    let child = Arc::new(Mutex::new(spawned?));
    running.children.retain(|c| c.strong_count() > 0);
    running.children.push(Arc::downgrade(&child));
    Ok(child)
}
