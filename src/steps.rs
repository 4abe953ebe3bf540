//! The step registry: the one list of the chapter's steps.
//!
//! Everything else (the tests, the tour, the book) reads this list; nothing
//! else names steps. The order is the chapter's order.

/// The part of the chapter a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// "Building a Single-Threaded Web Server".
    SingleThreaded,
    /// "Turning Our Single-Threaded Server into a Multithreaded Server".
    Multithreaded,
    /// "Graceful Shutdown and Cleanup".
    GracefulShutdown,
    /// After the chapter: its closing exercises, worked (our code).
    Beyond,
}

impl Section {
    /// The chapter's heading for this section, as `printing` words it.
    pub fn heading(self, printing: Printing) -> &'static str {
        match (self, printing) {
            (Section::SingleThreaded, _) => "Building a Single-Threaded Web Server",
            (Section::Multithreaded, Printing::Edition2024) => {
                "From a Single-Threaded to a Multithreaded Server"
            }
            (Section::Multithreaded, _) => {
                "Turning Our Single-Threaded Server into a Multithreaded Server"
            }
            (Section::GracefulShutdown, _) => "Graceful Shutdown and Cleanup",
            (Section::Beyond, _) => "Beyond the Chapter: Its Exercises, Worked",
        }
    }
}

/// What a step is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Files {
    /// `stages/<step>/main.rs` only.
    Main,
    /// `stages/<step>/main.rs` and `stages/<step>/lib.rs` (the book's
    /// `src/lib.rs`, reached from `main.rs` through the scaffold line).
    MainAndLib,
    /// The listing is not Rust code but a file at the repository root; its
    /// bin only says so.
    Html(&'static str),
    /// `main.rs`, and a `lib.rs` that is its package's library target
    /// (`hello`), as in a reader's own project, so that its doc examples
    /// run under `cargo test`; `main.rs` reaches it with the book's
    /// `use hello::ThreadPool;` and needs no scaffold (worked exercises
    /// only).
    MainAndLibrary,
    /// `main.rs` only, a command rather than a server (worked exercises
    /// only); the tour runs it once, from the repository root, with these
    /// arguments.
    Command(&'static [&'static str]),
}

/// What `cargo build` does with a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It builds without a single warning.
    Compiles,
    /// It builds, and rustc warns with exactly these lints (sorted).
    Warns(&'static [&'static str]),
    /// It fails on purpose, with exactly these error codes (sorted).
    FailsWith(&'static [&'static str]),
}

/// One position the chapter prints in a compiler message for a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BookMessage {
    /// The error code (`E0433`) or lint name (`dead_code`).
    pub code: &'static str,
    /// `main.rs` or `lib.rs` (the book's `src/main.rs` or `src/lib.rs`).
    pub file: &'static str,
    pub line: u32,
    pub column: u32,
    /// Whether the book shows this position as the message's main one
    /// (`--> src/lib.rs:26:42`) rather than as a label on another line.
    pub primary: bool,
}

/// One step of the chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The bin name, as in `cargo run --bin <name>`.
    pub name: &'static str,
    /// The listing number (`"20-1"`), or `None` for the book's unnumbered
    /// steps.
    pub listing: Option<&'static str>,
    /// What the step is, in our own words.
    pub title: &'static str,
    pub section: Section,
    pub files: Files,
    pub outcome: Outcome,
    /// The positions the chapter prints in compiler messages for this step.
    pub book_messages: &'static [BookMessage],
    /// Lines of the step's printing (its seed, see [`Printing::seed`]) where
    /// the chapter prints this step's code (each a `Filename:` line).
    pub print_blocks: &'static [u32],
    /// Which printing of the chapter the step is from.
    pub printing: Printing,
    /// The step its diff is taken from, where that is not simply the step
    /// before it in this list (the first step of another printing is
    /// compared with its counterpart in the main line).
    pub diff_from: Option<&'static str>,
}

/// The printings of the chapter that readers hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Printing {
    /// The 2nd print edition (Rust 2021): the main line, and the default
    /// everywhere.
    Print2021,
    /// The older printing (Rust 2018): shutdown through a `Message` enum.
    Print2018,
    /// The online edition of the same era as the print edition, whose full
    /// final code differs from listing 20-25.
    Online,
    /// Today's edition: chapter 21 (online, and the third print edition),
    /// Rust 2024, listings 21-1 to 21-25.
    Edition2024,
    /// Not a printing: the chapter's closing exercises, worked as steps
    /// after today's edition's last listing. Our code, not the book's.
    Exercises,
}

impl Printing {
    /// The file of ../shared/ that holds this printing's text.
    pub fn seed(self) -> &'static str {
        match self {
            Printing::Print2021 => "seeds/002_d978aaf36225f741.txt",
            Printing::Print2018 => "seeds/000_140cad0c53e4a0f6.txt",
            Printing::Online => "seeds/001_8b2b6d0908183201.txt",
            Printing::Edition2024 => "current-edition/nostarch-chapter21.md",
            // Where the chapter leaves the exercises to the reader.
            Printing::Exercises => "current-edition/nostarch-chapter21.md",
        }
    }

    /// The Rust edition its steps are built as.
    pub fn edition(self) -> &'static str {
        match self {
            Printing::Print2021 | Printing::Print2018 | Printing::Online => "2021",
            Printing::Edition2024 | Printing::Exercises => "2024",
        }
    }

    /// How the step lists name the printing.
    pub fn name(self) -> &'static str {
        match self {
            Printing::Print2021 => "print edition (Rust 2021)",
            Printing::Print2018 => "2018 printing",
            Printing::Online => "online edition",
            Printing::Edition2024 => "today's edition (chapter 21, Rust 2024)",
            Printing::Exercises => "the exercises, worked (our code)",
        }
    }
}

impl Step {
    /// Whether the step is behind the `compile-fail` feature.
    pub fn fails_to_compile(&self) -> bool {
        matches!(self.outcome, Outcome::FailsWith(_))
    }

    /// The error codes the step must fail with (empty if it compiles).
    pub fn expected_errors(&self) -> &'static [&'static str] {
        match self.outcome {
            Outcome::FailsWith(codes) => codes,
            _ => &[],
        }
    }

    /// The lints rustc warns about when the step builds (empty if it builds
    /// cleanly or does not build).
    pub fn expected_warnings(&self) -> &'static [&'static str] {
        match self.outcome {
            Outcome::Warns(lints) => lints,
            _ => &[],
        }
    }

    /// The width the book formats this step's code at, where the stage keeps
    /// the book's layout (a `rustfmt.toml` in its folder says so to cargo
    /// fmt): 80 columns for the print edition's and today's edition's
    /// listing files. `None` where the stage is at rustfmt's default width:
    /// the older printings, rebuilt from their text, and the HTML listings'
    /// bins, which are ours.
    pub fn max_width(&self) -> Option<u32> {
        match (self.printing, self.files) {
            (_, Files::Html(_)) => None,
            (Printing::Print2021 | Printing::Edition2024, _) => Some(80),
            // Ours, at the book's width, so that its diffs from the
            // chapter's last step show code, not layout.
            (Printing::Exercises, _) => Some(80),
            (Printing::Print2018 | Printing::Online, _) => None,
        }
    }

    /// The step's folder, relative to the repository root.
    pub fn dir(&self) -> String {
        format!("stages/{}", self.name)
    }

    /// The step's `main.rs`, relative to the repository root.
    pub fn main_rs(&self) -> String {
        format!("stages/{}/main.rs", self.name)
    }

    /// The step's `lib.rs`, relative to the repository root, if it has one.
    pub fn lib_rs(&self) -> Option<String> {
        matches!(self.files, Files::MainAndLib | Files::MainAndLibrary)
            .then(|| format!("stages/{}/lib.rs", self.name))
    }

    /// The file the book's listing is, relative to the repository root:
    /// `hello.html` for listing 20-4, the step's own source files otherwise.
    pub fn listing_files(&self) -> Vec<String> {
        match self.files {
            Files::Main | Files::Command(_) => vec![self.main_rs()],
            Files::MainAndLib | Files::MainAndLibrary => {
                vec![self.main_rs(), self.lib_rs().unwrap()]
            }
            Files::Html(file) => vec![file.to_string()],
        }
    }

    /// "Listing 20-1" or the step's name for unnumbered steps.
    pub fn label(&self) -> String {
        match (self.listing, self.printing) {
            (Some(n), Printing::Print2021 | Printing::Edition2024) => format!("Listing {n}"),
            (Some(n), other) => format!("Listing {n} ({})", other.name()),
            (None, _) => self.name.to_string(),
        }
    }

    /// Whether the step is a server (everything but the HTML listings and
    /// the steps that do not compile).
    pub fn is_server(&self) -> bool {
        !matches!(self.files, Files::Html(_) | Files::Command(_)) && !self.fails_to_compile()
    }
}

/// The step called `name` (its bin name), if there is one.
pub fn find(name: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.name == name)
}

/// A position the book prints as a message's `-->` line.
const fn msg(code: &'static str, file: &'static str, line: u32, column: u32) -> BookMessage {
    BookMessage {
        code,
        file,
        line,
        column,
        primary: true,
    }
}

/// A position the book prints as a label under another line of a message.
const fn label(code: &'static str, file: &'static str, line: u32, column: u32) -> BookMessage {
    BookMessage {
        primary: false,
        ..msg(code, file, line, column)
    }
}

use Files::{Command, Html, Main, MainAndLib, MainAndLibrary};
use Outcome::{Compiles, FailsWith, Warns};
use Printing::{Edition2024, Exercises, Online, Print2018, Print2021};
use Section::{Beyond, GracefulShutdown, Multithreaded, SingleThreaded};

/// Every step of the chapter, in the chapter's order.
pub static STEPS: &[Step] = &[
    Step {
        name: "listing-20-01",
        listing: Some("20-1"),
        title: "Accept connections and print a line for each one",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[76],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-02",
        listing: Some("20-2"),
        title: "Read the request's header lines and print them",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[179],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-03",
        listing: Some("20-3"),
        title: "Answer every request with an empty 200 OK",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[351],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-04",
        listing: Some("20-4"),
        title: "The page to serve: hello.html",
        section: SingleThreaded,
        files: Html("hello.html"),
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[390],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-05",
        listing: Some("20-5"),
        title: "Send hello.html as the body, with a Content-Length header",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[413],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-06",
        listing: Some("20-6"),
        title: "Serve the page only for GET /; leave other requests unanswered",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[478],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-07",
        listing: Some("20-7"),
        title: "Answer other requests with 404 and an error page",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[536],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-08",
        listing: Some("20-8"),
        title: "The error page: 404.html",
        section: SingleThreaded,
        files: Html("404.html"),
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[564],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-09",
        listing: Some("20-9"),
        title: "Refactor: choose status line and file first, then respond once",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[597],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-10",
        listing: Some("20-10"),
        title: "Add a slow /sleep route that holds up everything behind it",
        section: Multithreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[666],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-11",
        listing: Some("20-11"),
        title: "Spawn a new thread for every connection",
        section: Multithreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[776],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-12",
        listing: Some("20-12"),
        title: "Write the ThreadPool calls before ThreadPool exists",
        section: Multithreaded,
        files: Main,
        outcome: FailsWith(&["E0433"]),
        book_messages: &[msg("E0433", "main.rs", 11, 16)],
        print_blocks: &[808],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-01-define-threadpool-struct",
        listing: None,
        title: "An empty ThreadPool struct in lib.rs, with no new yet",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[msg("E0599", "main.rs", 12, 28)],
        print_blocks: &[861, 870],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-02-impl-threadpool-new",
        listing: None,
        title: "ThreadPool::new exists, execute does not",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[msg("E0599", "main.rs", 17, 14)],
        print_blocks: &[897],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-03-define-execute",
        listing: None,
        title: "An execute that accepts the closure and never runs it",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[963],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-13",
        listing: Some("20-13"),
        title: "ThreadPool::new refuses a pool of zero threads",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[1013],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-14",
        listing: Some("20-14"),
        title: "Make room for the threads in a Vec of JoinHandles",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_mut", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1081],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-15",
        listing: Some("20-15"),
        title: "Workers, each with an id and an idle thread",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1167],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-16",
        listing: Some("20-16"),
        title: "The pool creates a channel and keeps its sending end",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1261],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-17",
        listing: Some("20-17"),
        title: "Hand the one receiver to every worker (moved in a loop)",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0382"]),
        book_messages: &[
            msg("E0382", "lib.rs", 26, 42),
            label("E0382", "lib.rs", 21, 22),
        ],
        print_blocks: &[1303],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-18",
        listing: Some("20-18"),
        title: "Share the receiver through an Arc and a Mutex",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "path_statements", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1378],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-19",
        listing: Some("20-19"),
        title: "Job becomes a boxed closure and execute sends it",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "path_statements"]),
        book_messages: &[],
        print_blocks: &[1439],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-20",
        listing: Some("20-20"),
        title: "Workers loop, taking jobs off the channel and running them",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[
            msg("dead_code", "lib.rs", 7, 5),
            msg("dead_code", "lib.rs", 48, 5),
            msg("dead_code", "lib.rs", 49, 5),
        ],
        print_blocks: &[1480],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-21",
        listing: Some("20-21"),
        title: "The while-let worker that keeps the lock while it works",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[],
        print_blocks: &[1582],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-22",
        listing: Some("20-22"),
        title: "Join every worker on drop (cannot move out of the thread)",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0507"]),
        book_messages: &[msg("E0507", "lib.rs", 52, 13)],
        print_blocks: &[1649],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-04-update-worker-definition",
        listing: None,
        title: "Worker holds an Option of its thread; two places break",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0308", "E0599"]),
        book_messages: &[
            msg("E0599", "lib.rs", 52, 27),
            msg("E0308", "lib.rs", 72, 22),
        ],
        print_blocks: &[1703],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-05-fix-worker-new",
        listing: None,
        title: "Wrap the new thread in Some; the join error remains",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[],
        print_blocks: &[1743],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "no-listing-06-fix-threadpool-drop",
        listing: None,
        title: "Take each thread out of its Option and join it",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1765],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-23",
        listing: Some("20-23"),
        title: "Drop the sender before joining the workers",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1806],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-24",
        listing: Some("20-24"),
        title: "Workers leave their loop when the channel closes",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1861],
        printing: Print2021,
        diff_from: None,
    },
    Step {
        name: "listing-20-25",
        listing: Some("20-25"),
        title: "Serve two requests, then shut down gracefully",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1902],
        printing: Print2021,
        diff_from: None,
    },
    // The other printings of the graceful-shutdown section (issue: readers
    // hold different printings). Each diffs against the step before it, or
    // its counterpart in the main line where it is the first of its kind.
    Step {
        name: "listing-20-22-2018",
        listing: Some("20-22"),
        title: "Join every worker on drop (cannot move out of the thread)",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0507"]),
        book_messages: &[msg("E0507", "lib.rs", 52, 13)],
        print_blocks: &[26],
        printing: Print2018,
        diff_from: Some("listing-20-22"),
    },
    Step {
        name: "no-listing-04-update-worker-definition-2018",
        listing: None,
        title: "Worker holds an Option of its thread; two places break",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0308", "E0599"]),
        book_messages: &[
            msg("E0599", "lib.rs", 52, 27),
            msg("E0308", "lib.rs", 72, 22),
        ],
        print_blocks: &[138],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "no-listing-05-fix-worker-new-2018",
        listing: None,
        title: "Wrap the new thread in Some; the join error remains",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[],
        print_blocks: &[226],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "no-listing-06-fix-threadpool-drop-2018",
        listing: None,
        title: "Take each thread out of its Option and join it",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[296],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "no-listing-07-define-message-enum-2018",
        listing: None,
        title: "A Message enum, NewJob or Terminate, not used yet",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[],
        print_blocks: &[389],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "listing-20-23-2018",
        listing: Some("20-23"),
        title: "The channel carries Messages; nothing sends Terminate yet",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[],
        print_blocks: &[467],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "listing-20-24-2018",
        listing: Some("20-24"),
        title: "Drop sends one Terminate per worker, then joins them all",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[570],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "listing-20-25-2018",
        listing: Some("20-25"),
        title: "Serve two requests, then shut down gracefully",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[676],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "no-listing-08-final-code-2018",
        listing: None,
        title: "The full code printed at the end, which serves forever",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[768, 810],
        printing: Print2018,
        diff_from: None,
    },
    Step {
        name: "no-listing-07-final-code",
        listing: None,
        title: "The full final code, with the older handle_connection",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[674, 728],
        printing: Online,
        diff_from: Some("listing-20-25"),
    },
    Step {
        name: "listing-21-01",
        listing: Some("21-1"),
        title: "Accept connections and print a line for each one",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[87],
        printing: Edition2024,
        diff_from: Some("listing-20-01"),
    },
    Step {
        name: "listing-21-02",
        listing: Some("21-2"),
        title: "Read the request's header lines and print them",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_mut"]),
        book_messages: &[],
        print_blocks: &[195],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-03",
        listing: Some("21-3"),
        title: "Answer every request with an empty 200 OK",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[375],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-04",
        listing: Some("21-4"),
        title: "The page to serve: hello.html",
        section: SingleThreaded,
        files: Html("hello.html"),
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[414],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-05",
        listing: Some("21-5"),
        title: "Send hello.html as the body, with a Content-Length header",
        section: SingleThreaded,
        files: Main,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[437],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-06",
        listing: Some("21-6"),
        title: "Serve the page only for GET /; leave other requests unanswered",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[499],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-07",
        listing: Some("21-7"),
        title: "Answer other requests with 404 and an error page",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[551],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-08",
        listing: Some("21-8"),
        title: "The error page: 404.html",
        section: SingleThreaded,
        files: Html("404.html"),
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[576],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-09",
        listing: Some("21-9"),
        title: "Refactor: choose status line and file first, then respond once",
        section: SingleThreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[613],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-10",
        listing: Some("21-10"),
        title: "Add a slow /sleep route that holds up everything behind it",
        section: Multithreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[686],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-11",
        listing: Some("21-11"),
        title: "Spawn a new thread for every connection",
        section: Multithreaded,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[801],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-12",
        listing: Some("21-12"),
        title: "Write the ThreadPool calls before ThreadPool exists",
        section: Multithreaded,
        files: Main,
        outcome: FailsWith(&["E0433"]),
        book_messages: &[msg("E0433", "main.rs", 11, 16)],
        print_blocks: &[841],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "no-listing-01-define-threadpool-struct-2024",
        listing: None,
        title: "An empty ThreadPool struct in lib.rs, with no new yet",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[msg("E0599", "main.rs", 12, 28)],
        print_blocks: &[901, 912],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "no-listing-02-impl-threadpool-new-2024",
        listing: None,
        title: "ThreadPool::new exists, execute does not",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0599"]),
        book_messages: &[msg("E0599", "main.rs", 17, 14)],
        print_blocks: &[942],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "no-listing-03-define-execute-2024",
        listing: None,
        title: "An execute that accepts the closure and never runs it",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[1014],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-13",
        listing: Some("21-13"),
        title: "ThreadPool::new refuses a pool of zero threads",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["unused_variables"]),
        book_messages: &[],
        print_blocks: &[1069],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-14",
        listing: Some("21-14"),
        title: "Make room for the threads in a Vec of JoinHandles",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_mut", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1135],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-15",
        listing: Some("21-15"),
        title: "Workers, each with an id and an idle thread",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1226],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-16",
        listing: Some("21-16"),
        title: "The pool creates a channel and keeps its sending end",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1319],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-17",
        listing: Some("21-17"),
        title: "Hand the one receiver to every worker (moved in a loop)",
        section: Multithreaded,
        files: MainAndLib,
        outcome: FailsWith(&["E0382"]),
        book_messages: &[
            msg("E0382", "lib.rs", 26, 42),
            label("E0382", "lib.rs", 47, 33),
        ],
        print_blocks: &[1360],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-18",
        listing: Some("21-18"),
        title: "Share the receiver through an Arc and a Mutex",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "path_statements", "unused_variables"]),
        book_messages: &[],
        print_blocks: &[1449],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-19",
        listing: Some("21-19"),
        title: "Job becomes a boxed closure and execute sends it",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code", "path_statements"]),
        book_messages: &[],
        print_blocks: &[1504],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-20",
        listing: Some("21-20"),
        title: "Workers loop, taking jobs off the channel and running them",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[],
        print_blocks: &[1544],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-21",
        listing: Some("21-21"),
        title: "The while-let worker that keeps the lock while it works",
        section: Multithreaded,
        files: MainAndLib,
        outcome: Warns(&["dead_code"]),
        book_messages: &[],
        print_blocks: &[1653],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-22",
        listing: Some("21-22"),
        title: "Join every worker on drop (cannot move out of the thread)",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: FailsWith(&["E0507"]),
        book_messages: &[msg("E0507", "lib.rs", 52, 13)],
        print_blocks: &[1720],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "no-listing-04-update-drop-definition-2024",
        listing: None,
        title: "Drain the workers out of the pool and join each one",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1789],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-23",
        listing: Some("21-23"),
        title: "Drop the sender before joining the workers",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1830],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-24",
        listing: Some("21-24"),
        title: "Workers leave their loop when the channel closes",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1879],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "listing-21-25",
        listing: Some("21-25"),
        title: "Serve two requests, then shut down gracefully",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1912],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "no-listing-07-final-code-2024",
        listing: None,
        title: "The full final code, still with the Option-based Worker",
        section: GracefulShutdown,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[1996, 2048],
        printing: Edition2024,
        diff_from: None,
    },
    Step {
        name: "beyond-01-build-returns-result",
        listing: None,
        title: "ThreadPool::build returns a Result instead of panicking",
        section: Beyond,
        files: MainAndLib,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: Some("listing-21-25"),
    },
    Step {
        name: "beyond-02-documented-and-tested",
        listing: None,
        title: "The pool documented, with doc examples and unit tests that run",
        section: Beyond,
        files: MainAndLibrary,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: None,
    },
    Step {
        name: "beyond-03-no-unwrap",
        listing: None,
        title: "Nothing a client sends can panic the server or lose a worker",
        section: Beyond,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: None,
    },
    Step {
        name: "beyond-04-shutdown-on-signal",
        listing: None,
        title: "Ctrl-C and SIGTERM shut the server down gracefully",
        section: Beyond,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: None,
    },
    Step {
        name: "beyond-05-pool-for-other-work",
        listing: None,
        title: "The pool counts the lines of a folder's files, side by side",
        section: Beyond,
        files: Command(&["stages"]),
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: None,
    },
    Step {
        name: "beyond-06-pool-from-crates-io",
        listing: None,
        title: "The server of beyond-04 on rayon's thread pool, compared with ours",
        section: Beyond,
        files: Main,
        outcome: Compiles,
        book_messages: &[],
        print_blocks: &[],
        printing: Exercises,
        diff_from: Some("beyond-04-shutdown-on-signal"),
    },
];

/// A place where the print edition's text of a listing differs from the
/// listing file the book compiled. The stage follows the file; the
/// difference is shown to the reader, never silently fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintDifference {
    /// The step whose printed code differs.
    pub step: &'static str,
    /// The text as printed (seed 002).
    pub printed: &'static str,
    /// The same text in the listing file (and our stage).
    pub file: &'static str,
    /// What the difference does, in our words.
    pub note: &'static str,
}

/// Every known difference between the printed listings and their files.
pub static PRINT_DIFFERENCES: &[PrintDifference] = &[
    PrintDifference {
        step: "listing-20-07",
        printed: "\"{status_line}\\r\\n\\\n         Content-Length: {length}\\r\\n\\r\\n\n         {contents}\"",
        file: "\"{status_line}\\r\\nContent-Length: {length}\\r\\n\\r\\n{contents}\"",
        note: "The printed 404 branch lost the `\\` that continues its format! string \
               on the next line, so typed from the page the body starts with a newline \
               and the next line's indentation, which Content-Length does not count.",
    },
    PrintDifference {
        step: "listing-20-24",
        printed: "\"Worker {id} shutting down.\"",
        file: "\"Worker {id} disconnected; shutting down.\"",
        note: "The printed listing says `Worker {id} shutting down.`; the listing file, \
               and the sample output under listing 20-25, say \
               `Worker {id} disconnected; shutting down.`",
    },
];

/// Where a main-line stage is not the print edition's own listing file for
/// its step (the book's repository at the commit of that text, cleaned as
/// the book cleans a file before compiling it): the book's file carries code
/// its text introduces only later. The stage is what a reader following the
/// print has at that step; the difference is shown to the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileDifference {
    /// The step whose stage differs from the book's file.
    pub step: &'static str,
    /// What the book's `src/main.rs` has instead of the stage's.
    pub book_has: BookFileHas,
    /// What the difference is, in our words.
    pub note: &'static str,
}

/// What the book's file of a step has, where it is not the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookFileHas {
    /// The stage, but with the `main` function of this later step.
    MainOf(&'static str),
    /// This other step's file, whole; its `main` is the stage's.
    FileOf(&'static str),
}

/// Every main-line stage that is not the book's own file for its step.
pub static FILE_DIFFERENCES: &[FileDifference] = &[
    FileDifference {
        step: "listing-20-23",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "listing-20-24",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "no-listing-06-fix-threadpool-drop",
        book_has: BookFileHas::MainOf("listing-20-25"),
        note: AHEAD_OF_THE_TEXT,
    },
    FileDifference {
        step: "listing-20-25",
        book_has: BookFileHas::FileOf("no-listing-07-final-code"),
        note: "The book's src/main.rs for listing 20-25 puts the new `main` above \
               the chapter's first handle_connection (a 1024-byte buffer compared \
               with `starts_with`), the one the full code at the chapter's end still \
               shows. The text prints only `main`, so the stage keeps the \
               handle_connection a reader has by then (listing 20-10's, which reads \
               the request line through a `BufReader`). The book's own file is the \
               step no-listing-07-final-code, to the character.",
    },
];

const AHEAD_OF_THE_TEXT: &str = "The book's src/main.rs for this step already has \
    listing 20-25's `main`, which takes two connections (`.take(2)`) and then says \
    `Shutting down.`. The text shows only src/lib.rs here and brings that `main` in \
    at listing 20-25, so the stage keeps the `main` a reader has (listing 20-21's), \
    which serves until it is stopped.";

/// The tables of steps that README.md shows (a test keeps README in step
/// with this registry): the main line's, and then the other printings'.
pub fn markdown_table() -> String {
    let rows = |printing: Printing| -> String {
        STEPS
            .iter()
            .filter(|s| s.printing == printing)
            .map(|step| {
                format!(
                    "| `{}` | {} | {} | {} |\n",
                    step.name,
                    step.listing.unwrap_or("–"),
                    step.title,
                    builds(step)
                )
            })
            .collect()
    };
    let mut table =
        String::from("| step (`--bin`) | listing | what it is | builds? |\n|---|---|---|---|\n");
    table.push_str(&rows(Printing::Print2021));
    table.push_str(
        "\nToday's edition, chapter 21 (Rust 2024), in the order its text shows them:\n\n\
         | step (`--bin`) | listing | what it is | builds? |\n|---|---|---|---|\n",
    );
    table.push_str(&rows(Printing::Edition2024));
    table.push_str(
        "\nThe other printings' steps, in the order their printing shows them:\n\n\
         | step (`--bin`) | printing | listing | what it is | builds? |\n|---|---|---|---|---|\n",
    );
    for step in STEPS
        .iter()
        .filter(|s| matches!(s.printing, Printing::Print2018 | Printing::Online))
    {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            step.name,
            step.printing.name(),
            step.listing.unwrap_or("–"),
            step.title,
            builds(step)
        ));
    }
    table.push_str(
        "\nThe chapter's closing exercises, worked (our code, after today's edition's last \
         listing):\n\n\
         | step (`--bin`) | what it is | builds? |\n|---|---|---|\n",
    );
    for step in STEPS.iter().filter(|s| s.printing == Printing::Exercises) {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            step.name,
            step.title,
            builds(step)
        ));
    }
    table
}

fn builds(step: &Step) -> String {
    match step.outcome {
        Outcome::Compiles if matches!(step.files, Files::Html(_)) => {
            "yes (prints the file)".to_string()
        }
        Outcome::Compiles => "yes".to_string(),
        Outcome::Warns(lints) => format!("yes, warns: {}", lints.join(", ")),
        Outcome::FailsWith(codes) => format!("no, by design: {}", codes.join(" + ")),
    }
}

/// The step a reader means by `input`, in any of the forms readers type:
/// the bin name (`listing-20-22`, `no-listing-04-update-worker-definition`),
/// a listing number (`20-22`, `22`, `listing-20-2`), or the start of an
/// unnumbered step's name (`no-listing-04`).
pub fn resolve(input: &str) -> Result<&'static Step, String> {
    let input = input.trim();
    if let Some(step) = find(input) {
        return Ok(step);
    }
    // A listing number: `22` and `20-22` are chapter 20's (the main line),
    // `21-22` today's edition's.
    let number = input.strip_prefix("listing-").unwrap_or(input);
    let (chapter, number) = match number.split_once('-') {
        Some((chapter, n)) => (chapter.parse::<u32>().ok(), n),
        None => (Some(20), number),
    };
    if let (Some(chapter), Ok(n)) = (chapter, number.parse::<u32>()) {
        let listing = format!("{chapter}-{n}");
        if let Some(step) = STEPS.iter().find(|s| s.listing == Some(listing.as_str())) {
            return Ok(step);
        }
    }
    if input.starts_with("no-listing-") {
        // The main line first: `no-listing-04` is the print edition's step,
        // `no-listing-04-update-worker-definition-2018` the 2018 printing's.
        let matches: Vec<&Step> = STEPS.iter().filter(|s| s.name.starts_with(input)).collect();
        let main_line: Vec<&Step> = matches
            .iter()
            .copied()
            .filter(|s| s.printing == Printing::Print2021)
            .collect();
        if let [step] = main_line[..] {
            return Ok(step);
        }
        if let [step] = matches[..] {
            return Ok(step);
        }
    }
    if input.starts_with("beyond-") {
        // `beyond-01` is the first worked exercise.
        let matches: Vec<&Step> = STEPS.iter().filter(|s| s.name.starts_with(input)).collect();
        if let [step] = matches[..] {
            return Ok(step);
        }
    }
    Err(format!(
        "there is no step `{input}`: steps are named like `20-22`, `listing-20-22`, \
         `21-22`, `no-listing-04` or `beyond-01` (`cargo run -- list` shows them all)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_forms_of_a_step_name_resolve() {
        for form in ["listing-20-22", "20-22", "22", " 22 "] {
            assert_eq!(resolve(form).unwrap().name, "listing-20-22", "{form}");
        }
        for form in ["listing-20-02", "listing-20-2", "20-2", "2", "02"] {
            assert_eq!(resolve(form).unwrap().name, "listing-20-02", "{form}");
        }
        assert_eq!(
            resolve("no-listing-04").unwrap().name,
            "no-listing-04-update-worker-definition"
        );
        // Today's edition by its own numbers; the main line stays the default.
        for form in ["21-22", "listing-21-22", "listing-21-22 "] {
            assert_eq!(resolve(form).unwrap().name, "listing-21-22", "{form}");
        }
        assert_eq!(resolve("21-1").unwrap().name, "listing-21-01");
        assert_eq!(
            resolve("beyond-01").unwrap().name,
            "beyond-01-build-returns-result"
        );
        assert_eq!(
            resolve("no-listing-04-update-drop-definition")
                .unwrap()
                .name,
            "no-listing-04-update-drop-definition-2024"
        );
    }

    #[test]
    fn unknown_steps_are_one_sentence() {
        let error = resolve("20-26").unwrap_err();
        assert!(error.starts_with("there is no step `20-26`"), "{error}");
        assert_eq!(error.lines().count(), 1);
        assert!(resolve("no-listing-0").is_err(), "ambiguous");
    }
}
