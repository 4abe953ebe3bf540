//! The tracks a reader follows (each printing, today's edition, the
//! exercises), one row of data each, and the chapter's sections and
//! headings as each chapter words them.

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
    /// The chapter's heading for this section, as `track` words it.
    pub fn heading(self, track: Track) -> &'static str {
        match (self, track) {
            (Section::SingleThreaded, _) => "Building a Single-Threaded Web Server",
            (Section::Multithreaded, Track::Edition2024) => {
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

/// The sequence of steps a step is on: each printing of the chapter that
/// readers hold is one, and the worked exercises are one more, after
/// today's edition's last listing. A reader follows one track; "the next
/// step" is the next one on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Track {
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
    /// The chapter's closing exercises, worked as steps after today's
    /// edition's last listing: our code, not the book's.
    Exercises,
}

/// What a track is, as one row of data.
struct Facts {
    /// The file of ../shared/ that holds the text this track follows (for
    /// the exercises, the chapter that leaves them to the reader).
    #[cfg(feature = "_kit")]
    seed: &'static str,
    /// The Rust edition its steps are built as.
    edition: &'static str,
    /// The chapter whose listings it follows.
    chapter: u32,
    /// The cargo package its steps are bins of (the suite checks it against
    /// the manifests; everything else selects a step by its bin name).
    #[cfg(feature = "_kit")]
    package: &'static str,
    /// How the step lists name it.
    name: &'static str,
}

impl Track {
    /// The track's row.
    const fn facts(self) -> &'static Facts {
        match self {
            Track::Print2021 => &Facts {
                #[cfg(feature = "_kit")]
                seed: "seeds/002_d978aaf36225f741.txt",
                edition: "2021",
                chapter: 20,
                #[cfg(feature = "_kit")]
                package: "hello",
                name: "print edition (Rust 2021)",
            },
            Track::Print2018 => &Facts {
                #[cfg(feature = "_kit")]
                seed: "seeds/000_140cad0c53e4a0f6.txt",
                edition: "2021",
                chapter: 20,
                #[cfg(feature = "_kit")]
                package: "hello",
                name: "2018 printing",
            },
            Track::Online => &Facts {
                #[cfg(feature = "_kit")]
                seed: "seeds/001_8b2b6d0908183201.txt",
                edition: "2021",
                chapter: 20,
                #[cfg(feature = "_kit")]
                package: "hello",
                name: "online edition",
            },
            Track::Edition2024 => &Facts {
                #[cfg(feature = "_kit")]
                seed: "current-edition/nostarch-chapter21.md",
                edition: "2024",
                chapter: 21,
                #[cfg(feature = "_kit")]
                package: "hello-2024",
                name: "today's edition (chapter 21, Rust 2024)",
            },
            Track::Exercises => &Facts {
                #[cfg(feature = "_kit")]
                seed: "current-edition/nostarch-chapter21.md",
                edition: "2024",
                chapter: 21,
                #[cfg(feature = "_kit")]
                package: "beyond",
                name: "the exercises, worked (our code)",
            },
        }
    }

    /// The file of ../shared/ that holds the text this track follows (for
    /// the exercises, the chapter that leaves them to the reader): the
    /// test kit's, which reads the texts.
    #[cfg(feature = "_kit")]
    pub fn seed(self) -> &'static str {
        self.facts().seed
    }

    /// The Rust edition its steps are built as.
    pub fn edition(self) -> &'static str {
        self.facts().edition
    }

    /// The chapter whose listings the track follows: 20, or 21 for today's
    /// edition and the exercises worked after it.
    pub fn chapter(self) -> u32 {
        self.facts().chapter
    }

    /// The cargo package its steps are bins of: `hello` (stages/), as the
    /// book's package is called, `hello-2024` (stages/chapter-21/) or
    /// `beyond` (stages/beyond/): the test kit's, which checks it against
    /// the manifests.
    #[cfg(feature = "_kit")]
    pub fn package(self) -> &'static str {
        self.facts().package
    }

    /// How the step lists name the track.
    pub fn name(self) -> &'static str {
        self.facts().name
    }
}

/// The heading listing `number` of the chapter `track` follows is under
/// (the innermost one: "Implementing the execute Method"), as that
/// chapter words it: chapter 20's print edition for the chapter-20
/// tracks, chapter 21's for today's edition and the exercises.
/// `tests/suite/seeds.rs` reads both from the chapters' texts.
pub fn heading(track: Track, number: u32) -> Option<&'static str> {
    let headings = match track.chapter() {
        20 => &HEADINGS_20,
        _ => &HEADINGS_21,
    };
    headings
        .get(usize::try_from(number).ok()?.checked_sub(1)?)
        .copied()
}

/// The heading of each listing of chapter 20 (2nd print edition), from
/// listing 20-1 to 20-25.
pub const HEADINGS_20: [&str; 25] = [
    "Listening to the TCP Connection",
    "Reading the Request",
    "Writing a Response",
    "Returning Real HTML",
    "Returning Real HTML",
    "Validating the Request and Selectively Responding",
    "Validating the Request and Selectively Responding",
    "Validating the Request and Selectively Responding",
    "A Touch of Refactoring",
    "Simulating a Slow Request",
    "Spawning a Thread for Each Request",
    "Creating a Finite Number of Threads",
    "Validating the Number of Threads in new",
    "Creating Space to Store the Threads",
    "Sending Code from the ThreadPool to a Thread",
    "Sending Requests to Threads via Channels",
    "Sending Requests to Threads via Channels",
    "Sending Requests to Threads via Channels",
    "Implementing the execute Method",
    "Implementing the execute Method",
    "Implementing the execute Method",
    "Implementing the Drop Trait on ThreadPool",
    "Signaling to the Threads to Stop Listening for Jobs",
    "Signaling to the Threads to Stop Listening for Jobs",
    "Signaling to the Threads to Stop Listening for Jobs",
];

/// The same for chapter 21 (today's edition), where two headings are
/// worded otherwise.
pub const HEADINGS_21: [&str; 25] = {
    let mut headings = HEADINGS_20;
    headings[8] = "Refactoring";
    headings
};
