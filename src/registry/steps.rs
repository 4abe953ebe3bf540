//! Every step of the chapter, in the chapter's order: the main line (the
//! 2nd print edition), the other printings' steps where they differ, today's
//! edition (chapter 21), and the worked exercises. Each step is written with
//! the builders of `super`: only what differs from their defaults.

use super::step::{at, concat, label_at, listing, part, total, unnumbered, Crate, Step};
use super::Section::{Beyond, GracefulShutdown, Multithreaded, SingleThreaded};
use super::Track::{Edition2024, Exercises, Online, Print2018, Print2021};

/// beyond-04 on: ctrl-C and SIGTERM, through one handler.
const CTRLC: Crate = Crate {
    name: "ctrlc",
    manifest_line: "ctrlc = { version = \"3.5.3\", features = [\"termination\"] }",
};

/// beyond-06: a thread pool from crates.io.
const RAYON: Crate = Crate {
    name: "rayon",
    manifest_line: "rayon = \"1\"",
};

/// beyond-07 on: the request parser under hyper.
const HTTPARSE: Crate = Crate {
    name: "httparse",
    manifest_line: "httparse = \"1.10.1\"",
};

/// beyond-08 and beyond-09: an async runtime.
const TOKIO: Crate = Crate {
    name: "tokio",
    manifest_line: "tokio = { version = \"1.54.1\", features = [\"rt\", \"rt-multi-thread\", \"net\", \"io-util\", \"time\", \"signal\", \"sync\", \"macros\"] }",
};

/// beyond-07 on: the reader of requests and writer of responses, without
/// I/O, that the thread-pool server and the async ones share.
const HTTP_RS: &str = "stages/beyond-07-strict-requests/http.rs";

// One step a line or two: its name, number and title, then only what
// differs from the defaults.
#[rustfmt::skip]
const PARTS: &[&[Step]] = &[
    &part(Print2021, SingleThreaded, [
        listing("listing-20-01", "20-1", "Accept connections and print a line for each one")
            .warns(&["unused_variables"]).printed_at(&[76]),
        listing("listing-20-02", "20-2", "Read the request's header lines and print them")
            .printed_at(&[179]),
        listing("listing-20-03", "20-3", "Answer every request with an empty 200 OK")
            .warns(&["unused_variables"]).printed_at(&[351]),
        listing("listing-20-04", "20-4", "The page to serve: hello.html")
            .page("hello.html").printed_at(&[390]),
        listing("listing-20-05", "20-5", "Send hello.html as the body, with a Content-Length header")
            .warns(&["unused_variables"]).printed_at(&[413]).reads(&["hello.html"]),
        listing("listing-20-06", "20-6", "Serve the page only for GET /; leave other requests unanswered")
            .printed_at(&[478]).reads(&["hello.html"]),
        listing("listing-20-07", "20-7", "Answer other requests with 404 and an error page")
            .printed_at(&[536]).reads(&["hello.html", "404.html"]),
        listing("listing-20-08", "20-8", "The error page: 404.html")
            .page("404.html").printed_at(&[564]),
        listing("listing-20-09", "20-9", "Refactor: choose status line and file first, then respond once")
            .printed_at(&[597]).reads(&["hello.html", "404.html"]),
    ]),
    &part(Print2021, Multithreaded, [
        listing("listing-20-10", "20-10", "Add a slow /sleep route that holds up everything behind it")
            .printed_at(&[666]),
        listing("listing-20-11", "20-11", "Spawn a new thread for every connection")
            .printed_at(&[776]),
        listing("listing-20-12", "20-12", "Write the ThreadPool calls before ThreadPool exists")
            .fails_with(&["E0433"]).book_shows(&[at("E0433", "main.rs", 11, 16)]).printed_at(&[808]),
        unnumbered("no-listing-01-define-threadpool-struct", "An empty ThreadPool struct in lib.rs, with no new yet")
            .lib().fails_with(&["E0599"]).book_shows(&[at("E0599", "main.rs", 12, 28)])
            .printed_at(&[861, 870]),
        unnumbered("no-listing-02-impl-threadpool-new", "ThreadPool::new exists, execute does not")
            .lib().fails_with(&["E0599"]).book_shows(&[at("E0599", "main.rs", 17, 14)])
            .printed_at(&[897]),
        unnumbered("no-listing-03-define-execute", "An execute that accepts the closure and never runs it")
            .lib().warns(&["unused_variables"]).printed_at(&[963]),
        listing("listing-20-13", "20-13", "ThreadPool::new refuses a pool of zero threads")
            .lib().warns(&["unused_variables"]).printed_at(&[1013]),
        listing("listing-20-14", "20-14", "Make room for the threads in a Vec of JoinHandles")
            .lib().warns(&["dead_code", "unused_mut", "unused_variables"]).printed_at(&[1081]),
        listing("listing-20-15", "20-15", "Workers, each with an id and an idle thread")
            .lib().warns(&["dead_code", "unused_variables"]).printed_at(&[1167]),
        listing("listing-20-16", "20-16", "The pool creates a channel and keeps its sending end")
            .lib().warns(&["dead_code", "unused_variables"]).printed_at(&[1261]),
        listing("listing-20-17", "20-17", "Hand the one receiver to every worker (moved in a loop)")
            .lib().fails_with(&["E0382"])
            .book_shows(&[at("E0382", "lib.rs", 26, 42), label_at("E0382", "lib.rs", 21, 22)])
            .printed_at(&[1303]),
        listing("listing-20-18", "20-18", "Share the receiver through an Arc and a Mutex")
            .lib().warns(&["dead_code", "path_statements", "unused_variables"]).printed_at(&[1378]),
        listing("listing-20-19", "20-19", "Job becomes a boxed closure and execute sends it")
            .lib().warns(&["dead_code", "path_statements"]).printed_at(&[1439]),
        listing("listing-20-20", "20-20", "Workers loop, taking jobs off the channel and running them")
            .lib().warns(&["dead_code"])
            .book_shows(&[at("dead_code", "lib.rs", 7, 5), at("dead_code", "lib.rs", 48, 5), at("dead_code", "lib.rs", 49, 5)])
            .printed_at(&[1480]),
        listing("listing-20-21", "20-21", "The while-let worker that keeps the lock while it works")
            .lib().warns(&["dead_code"]).printed_at(&[1582]),
    ]),
    &part(Print2021, GracefulShutdown, [
        listing("listing-20-22", "20-22", "Join every worker on drop (cannot move out of the thread)")
            .lib().fails_with(&["E0507"]).book_shows(&[at("E0507", "lib.rs", 52, 13)])
            .printed_at(&[1649]),
        unnumbered("no-listing-04-update-worker-definition", "Worker holds an Option of its thread; two places break")
            .lib().fails_with(&["E0308", "E0599"])
            .book_shows(&[at("E0599", "lib.rs", 52, 27), at("E0308", "lib.rs", 72, 22)])
            .printed_at(&[1703]),
        unnumbered("no-listing-05-fix-worker-new", "Wrap the new thread in Some; the join error remains")
            .lib().fails_with(&["E0599"]).printed_at(&[1743]),
        unnumbered("no-listing-06-fix-threadpool-drop", "Take each thread out of its Option and join it")
            .lib().printed_at(&[1765]),
        listing("listing-20-23", "20-23", "Drop the sender before joining the workers")
            .lib().printed_at(&[1806]),
        listing("listing-20-24", "20-24", "Workers leave their loop when the channel closes")
            .lib().printed_at(&[1861]),
        listing("listing-20-25", "20-25", "Serve two requests, then shut down gracefully")
            .lib().printed_at(&[1902]).stops_after(2),
    ]),
    &part(Print2018, GracefulShutdown, [
        listing("listing-20-22-2018", "20-22", "Join every worker on drop (cannot move out of the thread)")
            .lib().fails_with(&["E0507"]).book_shows(&[at("E0507", "lib.rs", 52, 13)])
            .printed_at(&[26]).diff_from("listing-20-22"),
        unnumbered("no-listing-04-update-worker-definition-2018", "Worker holds an Option of its thread; two places break")
            .lib().fails_with(&["E0308", "E0599"])
            .book_shows(&[at("E0599", "lib.rs", 52, 27), at("E0308", "lib.rs", 72, 22)])
            .printed_at(&[138]),
        unnumbered("no-listing-05-fix-worker-new-2018", "Wrap the new thread in Some; the join error remains")
            .lib().fails_with(&["E0599"]).printed_at(&[226]),
        unnumbered("no-listing-06-fix-threadpool-drop-2018", "Take each thread out of its Option and join it")
            .lib().printed_at(&[296]),
        unnumbered("no-listing-07-define-message-enum-2018", "A Message enum, NewJob or Terminate, not used yet")
            .lib().warns(&["dead_code"]).printed_at(&[389]),
        listing("listing-20-23-2018", "20-23", "The channel carries Messages; nothing sends Terminate yet")
            .lib().warns(&["dead_code"]).printed_at(&[467]),
        listing("listing-20-24-2018", "20-24", "Drop sends one Terminate per worker, then joins them all")
            .lib().printed_at(&[570]),
        listing("listing-20-25-2018", "20-25", "Serve two requests, then shut down gracefully")
            .lib().printed_at(&[676]).stops_after(2),
        unnumbered("no-listing-08-final-code-2018", "The full code printed at the end, which serves forever")
            .lib().printed_at(&[768, 810]).full_code(),
    ]),
    &part(Online, GracefulShutdown, [
        unnumbered("no-listing-07-final-code", "The full final code, with the older handle_connection")
            .lib().printed_at(&[674, 728]).diff_from("listing-20-25").stops_after(2).full_code(),
    ]),
    &part(Edition2024, SingleThreaded, [
        listing("listing-21-01", "21-1", "Accept connections and print a line for each one")
            .warns(&["unused_variables"]).printed_at(&[87]).diff_from("listing-20-01"),
        listing("listing-21-02", "21-2", "Read the request's header lines and print them")
            .warns(&["unused_mut"]).printed_at(&[195]),
        listing("listing-21-03", "21-3", "Answer every request with an empty 200 OK")
            .warns(&["unused_variables"]).printed_at(&[375]),
        listing("listing-21-04", "21-4", "The page to serve: hello.html")
            .page("hello.html").printed_at(&[414]),
        listing("listing-21-05", "21-5", "Send hello.html as the body, with a Content-Length header")
            .warns(&["unused_variables"]).printed_at(&[437]).reads(&["hello.html"]),
        listing("listing-21-06", "21-6", "Serve the page only for GET /; leave other requests unanswered")
            .printed_at(&[499]).reads(&["hello.html"]),
        listing("listing-21-07", "21-7", "Answer other requests with 404 and an error page")
            .printed_at(&[551]).reads(&["hello.html", "404.html"]),
        listing("listing-21-08", "21-8", "The error page: 404.html")
            .page("404.html").printed_at(&[576]),
        listing("listing-21-09", "21-9", "Refactor: choose status line and file first, then respond once")
            .printed_at(&[613]).reads(&["hello.html", "404.html"]),
    ]),
    &part(Edition2024, Multithreaded, [
        listing("listing-21-10", "21-10", "Add a slow /sleep route that holds up everything behind it")
            .printed_at(&[686]),
        listing("listing-21-11", "21-11", "Spawn a new thread for every connection")
            .printed_at(&[801]),
        listing("listing-21-12", "21-12", "Write the ThreadPool calls before ThreadPool exists")
            .fails_with(&["E0433"]).book_shows(&[at("E0433", "main.rs", 11, 16)]).printed_at(&[841]),
        unnumbered("no-listing-01-define-threadpool-struct-2024", "An empty ThreadPool struct in lib.rs, with no new yet")
            .lib().fails_with(&["E0599"]).book_shows(&[at("E0599", "main.rs", 12, 28)])
            .printed_at(&[901, 912]),
        unnumbered("no-listing-02-impl-threadpool-new-2024", "ThreadPool::new exists, execute does not")
            .lib().fails_with(&["E0599"]).book_shows(&[at("E0599", "main.rs", 17, 14)])
            .printed_at(&[942]),
        unnumbered("no-listing-03-define-execute-2024", "An execute that accepts the closure and never runs it")
            .lib().warns(&["unused_variables"]).printed_at(&[1014]),
        listing("listing-21-13", "21-13", "ThreadPool::new refuses a pool of zero threads")
            .lib().warns(&["unused_variables"]).printed_at(&[1069]),
        listing("listing-21-14", "21-14", "Make room for the threads in a Vec of JoinHandles")
            .lib().warns(&["dead_code", "unused_mut", "unused_variables"]).printed_at(&[1135]),
        listing("listing-21-15", "21-15", "Workers, each with an id and an idle thread")
            .lib().warns(&["dead_code", "unused_variables"]).printed_at(&[1226]),
        listing("listing-21-16", "21-16", "The pool creates a channel and keeps its sending end")
            .lib().warns(&["dead_code", "unused_variables"]).printed_at(&[1319]),
        listing("listing-21-17", "21-17", "Hand the one receiver to every worker (moved in a loop)")
            .lib().fails_with(&["E0382"])
            .book_shows(&[at("E0382", "lib.rs", 26, 42), label_at("E0382", "lib.rs", 47, 33)])
            .printed_at(&[1360]),
        listing("listing-21-18", "21-18", "Share the receiver through an Arc and a Mutex")
            .lib().warns(&["dead_code", "path_statements", "unused_variables"]).printed_at(&[1449]),
        listing("listing-21-19", "21-19", "Job becomes a boxed closure and execute sends it")
            .lib().warns(&["dead_code", "path_statements"]).printed_at(&[1504]),
        listing("listing-21-20", "21-20", "Workers loop, taking jobs off the channel and running them")
            .lib().warns(&["dead_code"]).printed_at(&[1544]),
        listing("listing-21-21", "21-21", "The while-let worker that keeps the lock while it works")
            .lib().warns(&["dead_code"]).printed_at(&[1653]),
    ]),
    &part(Edition2024, GracefulShutdown, [
        listing("listing-21-22", "21-22", "Join every worker on drop (cannot move out of the thread)")
            .lib().fails_with(&["E0507"]).book_shows(&[at("E0507", "lib.rs", 52, 13)])
            .printed_at(&[1720]),
        unnumbered("no-listing-04-update-drop-definition-2024", "Drain the workers out of the pool and join each one")
            .lib().printed_at(&[1789]),
        listing("listing-21-23", "21-23", "Drop the sender before joining the workers")
            .lib().printed_at(&[1830]),
        listing("listing-21-24", "21-24", "Workers leave their loop when the channel closes")
            .lib().printed_at(&[1879]),
        listing("listing-21-25", "21-25", "Serve two requests, then shut down gracefully")
            .lib().printed_at(&[1912]).stops_after(2),
        unnumbered("no-listing-07-final-code-2024", "The full final code, still with the Option-based Worker")
            .lib().printed_at(&[1996, 2048]).stops_after(2).full_code(),
    ]),
    &part(Exercises, Beyond, [
        unnumbered("beyond-01-build-returns-result", "ThreadPool::build returns a Result instead of panicking")
            .lib().diff_from("listing-21-25").stops_after(2),
        unnumbered("beyond-02-documented-and-tested", "The pool documented, with doc examples and unit tests that run")
            .package_lib().stops_after(2),
        unnumbered("beyond-03-no-unwrap", "Nothing a client sends can panic the server or lose a worker")
            .on_package_lib(),
        unnumbered("beyond-04-shutdown-on-signal", "Ctrl-C and SIGTERM shut the server down gracefully")
            .on_package_lib().uses(&[CTRLC]),
        unnumbered("beyond-05-pool-for-other-work", "The pool counts the lines of a folder's files, side by side")
            .command(&["stages"]).on_package_lib(),
        unnumbered("beyond-06-pool-from-crates-io", "The server of beyond-04 on rayon's thread pool, compared with ours")
            .diff_from("beyond-04-shutdown-on-signal").uses(&[CTRLC, RAYON]),
        unnumbered("beyond-07-strict-requests", "Requests read whole, parsed by httparse and held to RFC 9112")
            .on_package_lib().diff_from("beyond-04-shutdown-on-signal").uses(&[CTRLC, HTTPARSE])
            .module(HTTP_RS),
        unnumbered("beyond-08-async-single-threaded", "The same server on one thread, with async I/O (tokio)")
            .uses(&[HTTPARSE, TOKIO]).module(HTTP_RS),
        unnumbered("beyond-09-async-multithreaded", "The same server on tokio's runtime of four threads")
            .uses(&[HTTPARSE, TOKIO]).module(HTTP_RS),
    ]),
];

static ALL: [Step; total(PARTS)] = concat(PARTS);

/// Every step of the chapter, in the chapter's order.
pub static STEPS: &[Step] = &ALL;

/// Every step a step names (its `diff_from`) is a step: a name mistyped in
/// the list above does not compile.
const _: () = {
    let mut i = 0;
    while i < ALL.len() {
        if let Some(name) = ALL[i].diff_from {
            assert!(is_a_step(name), "a diff_from names no step");
        }
        i += 1;
    }
};

/// Whether `name` is the name of a step of [`ALL`].
const fn is_a_step(name: &str) -> bool {
    let mut i = 0;
    while i < ALL.len() {
        if ALL[i].name.len() == name.len() {
            let (a, b) = (ALL[i].name.as_bytes(), name.as_bytes());
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;
    use crate::registry::Track;

    fn named(name: &str) -> &'static Step {
        find(name).unwrap_or_else(|| panic!("{name} is a step"))
    }

    #[test]
    fn each_track_is_one_run_of_the_list_in_the_chapters_order() {
        let mut seen: Vec<Track> = Vec::new();
        for step in STEPS {
            if seen.last() != Some(&step.track) {
                assert!(
                    !seen.contains(&step.track),
                    "{} starts its track again",
                    step.name
                );
                seen.push(step.track);
            }
        }
        assert_eq!(
            seen,
            [
                Track::Print2021,
                Track::Print2018,
                Track::Online,
                Track::Edition2024,
                Track::Exercises
            ]
        );
        assert_eq!(named("listing-20-10").index(), 9);
    }
}
