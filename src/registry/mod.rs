//! The step registry: the one list of the chapter's steps ([`STEPS`], in
//! `registry/steps.rs`), what each one is, and the one way to move through
//! it.
//!
//! Everything else (the harness, the check, the tour, the tests, the book)
//! reads this list; nothing else names steps, and nothing else searches a
//! stage's source for what it does: what a server does (its `/sleep`
//! route, the pages it reads, whether it stops by itself) is a field here,
//! and `tests/suite/registry.rs` checks each field against the stage's
//! code, as rustlings' `dev check` checks its `info.toml`.
//!
//! A step is written with `const fn` builders ([`listing`], [`unnumbered`]
//! and the methods of [`Step`]), whose defaults leave each step a few lines:
//! the registry stays `&'static` data that the compiler checks, with no
//! file to parse at run time and no parse error to handle.

mod differences;
mod steps;

pub use differences::{
    BookFileHas, FileDifference, PrintDifference, FILE_DIFFERENCES, PRINT_DIFFERENCES,
};
pub use steps::STEPS;

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

impl Track {
    /// The file of ../shared/ that holds the text this track follows (for
    /// the exercises, the chapter that leaves them to the reader).
    pub fn seed(self) -> &'static str {
        match self {
            Track::Print2021 => "seeds/002_d978aaf36225f741.txt",
            Track::Print2018 => "seeds/000_140cad0c53e4a0f6.txt",
            Track::Online => "seeds/001_8b2b6d0908183201.txt",
            Track::Edition2024 | Track::Exercises => "current-edition/nostarch-chapter21.md",
        }
    }

    /// The Rust edition its steps are built as.
    pub fn edition(self) -> &'static str {
        match self {
            Track::Print2021 | Track::Print2018 | Track::Online => "2021",
            Track::Edition2024 | Track::Exercises => "2024",
        }
    }

    /// The chapter whose listings the track follows: 20, or 21 for today's
    /// edition and the exercises worked after it.
    pub fn chapter(self) -> u32 {
        match self {
            Track::Print2021 | Track::Print2018 | Track::Online => 20,
            Track::Edition2024 | Track::Exercises => 21,
        }
    }

    /// The cargo package its steps are bins of: `hello` (stages/), as the
    /// book's package is called, `hello-2024` (stages/chapter-21/) or
    /// `beyond` (stages/beyond/).
    pub fn package(self) -> &'static str {
        match self {
            Track::Print2021 | Track::Print2018 | Track::Online => "hello",
            Track::Edition2024 => "hello-2024",
            Track::Exercises => "beyond",
        }
    }

    /// How the step lists name the track.
    pub fn name(self) -> &'static str {
        match self {
            Track::Print2021 => "print edition (Rust 2021)",
            Track::Print2018 => "2018 printing",
            Track::Online => "online edition",
            Track::Edition2024 => "today's edition (chapter 21, Rust 2024)",
            Track::Exercises => "the exercises, worked (our code)",
        }
    }
}

/// The files a step is made of, in `stages/<step>/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Files {
    /// `main.rs` only.
    Main,
    /// `main.rs` and `lib.rs`, the book's `src/main.rs` and `src/lib.rs`;
    /// the stage's `main.rs` reaches `lib.rs` as a module through the
    /// scaffold line it ends with ([`SCAFFOLD`]).
    MainAndModule,
    /// `main.rs` and `lib.rs`, where `lib.rs` is its package's library
    /// target (`hello`), as in a reader's own project, so that its doc
    /// examples run under `cargo test`; `main.rs` reaches it with the
    /// book's `use hello::ThreadPool;` and needs no scaffold (worked
    /// exercises only).
    MainAndPackageLib,
    /// `main.rs` only, which uses the package library that the last step
    /// before it with [`Files::MainAndPackageLib`] wrote (worked exercises
    /// only: see [`Step::library_step`]).
    MainOnPackageLib,
    /// The listing is not Rust code but a page at the repository root (as
    /// in a reader's project folder); its bin only prints it.
    Page(&'static str),
}

/// The two lines a stage with a module `lib.rs` ends with, after the book's
/// code, so that `use hello::ThreadPool;` finds it (a reader's `src/lib.rs`
/// is found by cargo), with the blank line before them.
pub const SCAFFOLD: &str = "\n#[path = \"lib.rs\"]\nmod hello;\n";

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

/// A position the book prints as a message's `-->` line.
pub const fn at(code: &'static str, file: &'static str, line: u32, column: u32) -> BookMessage {
    BookMessage {
        code,
        file,
        line,
        column,
        primary: true,
    }
}

/// A position the book prints as a label under another line of a message.
pub const fn label_at(
    code: &'static str,
    file: &'static str,
    line: u32,
    column: u32,
) -> BookMessage {
    BookMessage {
        primary: false,
        ..at(code, file, line, column)
    }
}

/// What a server step does that its session and the check depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Serves {
    /// It has the chapter's slow route, `GET /sleep`, which answers after
    /// five seconds (from listing 20-10 on).
    pub sleep_route: bool,
    /// The pages it reads from its working directory.
    pub pages: &'static [&'static str],
    /// It stops by itself after this many connections
    /// (`.incoming().take(2)`, listing 20-25).
    pub stops_after: Option<usize>,
}

impl Serves {
    const NOTHING: Serves = Serves {
        sleep_route: false,
        pages: &[],
        stops_after: None,
    };
}

/// Both pages of the chapter.
const BOTH_PAGES: &[&str] = &["hello.html", "404.html"];

/// A crate from crates.io that a worked exercise uses, as its line in a
/// reader's `Cargo.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crate {
    pub name: &'static str,
    /// The `[dependencies]` line, as `stages/beyond/Cargo.toml` has it.
    pub manifest_line: &'static str,
}

/// What a step is, for everything that runs or checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The listing is a page of the project folder (`hello.html`), not code.
    Page(&'static str),
    /// Code the chapter shows failing to compile, with these error codes.
    Failing(&'static [&'static str]),
    /// A command, not a server: it runs once, from the repository root,
    /// with these arguments.
    Command(&'static [&'static str]),
    /// A server on 127.0.0.1:7878.
    Server(Serves),
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
    pub track: Track,
    pub files: Files,
    pub outcome: Outcome,
    /// The positions the chapter prints in compiler messages for this step.
    pub book_messages: &'static [BookMessage],
    /// Lines of the step's track's text (see [`Track::seed`]) where the
    /// chapter prints this step's code (each a `Filename:` line).
    pub print_blocks: &'static [u32],
    /// The step its diff is taken from, where that is not simply the code
    /// step before it on its track (the first step of another track is
    /// compared with its counterpart in the main line).
    pub diff_from: Option<&'static str>,
    /// What it does as a server (nothing, for a page, a command, or a step
    /// that does not compile).
    pub serves: Serves,
    /// Where it is a command rather than a server: its arguments.
    pub command: Option<&'static [&'static str]>,
    /// The crates from crates.io its code uses.
    pub crates: &'static [Crate],
    /// It is the chapter's full code, printed at its end for reference, not
    /// a step a reader types: no reader's next step is one.
    pub full_code: bool,
}

/// A numbered listing: `listing("listing-20-01", "20-1", "...")`. By
/// default it is `main.rs` alone, builds without warnings, and reads no
/// page; the methods below say otherwise.
pub const fn listing(name: &'static str, number: &'static str, title: &'static str) -> Step {
    Step {
        listing: Some(number),
        ..unnumbered(name, title)
    }
}

/// One of the book's unnumbered steps (`no-listing-04-...`), or a worked
/// exercise; see [`listing`].
pub const fn unnumbered(name: &'static str, title: &'static str) -> Step {
    Step {
        name,
        listing: None,
        title,
        // Set for a whole part of the list by `part`.
        section: Section::SingleThreaded,
        track: Track::Print2021,
        files: Files::Main,
        outcome: Outcome::Compiles,
        book_messages: &[],
        print_blocks: &[],
        diff_from: None,
        serves: Serves::NOTHING,
        command: None,
        crates: &[],
        full_code: false,
    }
}

impl Step {
    /// The listing is a page, not code.
    pub const fn page(self, file: &'static str) -> Step {
        Step {
            files: Files::Page(file),
            ..self
        }
    }

    /// It has a `lib.rs`, reached as a module ([`Files::MainAndModule`]).
    pub const fn lib(self) -> Step {
        Step {
            files: Files::MainAndModule,
            ..self
        }
    }

    /// Its `lib.rs` is the package's library ([`Files::MainAndPackageLib`]).
    pub const fn package_lib(self) -> Step {
        Step {
            files: Files::MainAndPackageLib,
            ..self
        }
    }

    /// Its `main.rs` uses the package library of a step before it
    /// ([`Files::MainOnPackageLib`]).
    pub const fn on_package_lib(self) -> Step {
        Step {
            files: Files::MainOnPackageLib,
            ..self
        }
    }

    /// It builds, and rustc warns with exactly these lints (sorted).
    pub const fn warns(self, lints: &'static [&'static str]) -> Step {
        Step {
            outcome: Outcome::Warns(lints),
            ..self
        }
    }

    /// It fails to compile, on purpose, with exactly these codes (sorted).
    pub const fn fails_with(self, codes: &'static [&'static str]) -> Step {
        Step {
            outcome: Outcome::FailsWith(codes),
            ..self
        }
    }

    /// The positions the chapter prints in its compiler messages.
    pub const fn book_shows(self, messages: &'static [BookMessage]) -> Step {
        Step {
            book_messages: messages,
            ..self
        }
    }

    /// Where the chapter prints its code (see [`Step::print_blocks`]).
    pub const fn printed_at(self, lines: &'static [u32]) -> Step {
        Step {
            print_blocks: lines,
            ..self
        }
    }

    /// Its diff is taken from the step called `name`.
    pub const fn diff_from(self, name: &'static str) -> Step {
        Step {
            diff_from: Some(name),
            ..self
        }
    }

    /// The pages it reads (set for the first section only: from the
    /// second on, every server reads both).
    pub const fn reads(self, pages: &'static [&'static str]) -> Step {
        Step {
            serves: Serves {
                pages,
                ..self.serves
            },
            ..self
        }
    }

    /// It stops by itself after `connections` connections.
    pub const fn stops_after(self, connections: usize) -> Step {
        Step {
            serves: Serves {
                stops_after: Some(connections),
                ..self.serves
            },
            ..self
        }
    }

    /// It is the chapter's full code, printed at its end (see
    /// [`Step::full_code`]).
    pub const fn full_code(self) -> Step {
        Step {
            full_code: true,
            ..self
        }
    }

    /// It is a command, run with these arguments.
    pub const fn command(self, args: &'static [&'static str]) -> Step {
        Step {
            command: Some(args),
            ..self
        }
    }

    /// Its code uses these crates.
    pub const fn uses(self, crates: &'static [Crate]) -> Step {
        Step { crates, ..self }
    }
}

/// The steps of one section of one track, in order. From the second
/// section on, every server has the `/sleep` route (listing 20-10 adds it,
/// first thing) and reads both pages.
const fn part<const N: usize>(track: Track, section: Section, steps: [Step; N]) -> [Step; N] {
    let mut steps = steps;
    let mut i = 0;
    while i < N {
        steps[i].track = track;
        steps[i].section = section;
        if !matches!(section, Section::SingleThreaded) {
            steps[i].serves.sleep_route = true;
            if steps[i].serves.pages.is_empty() {
                steps[i].serves.pages = BOTH_PAGES;
            }
        }
        i += 1;
    }
    steps
}

/// The parts, one after the other, as one array of `N` steps.
const fn concat<const N: usize>(parts: &[&[Step]]) -> [Step; N] {
    let mut all = [unnumbered("", ""); N];
    let (mut part, mut at) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            all[at] = parts[part][i];
            at += 1;
            i += 1;
        }
        part += 1;
    }
    assert!(at == N, "the count of steps is the parts' total");
    all
}

/// How many steps the parts have in all.
const fn total(parts: &[&[Step]]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < parts.len() {
        n += parts[i].len();
        i += 1;
    }
    n
}

impl Step {
    /// What the step is: a page, a failing step, a command or a server.
    pub fn kind(&self) -> Kind {
        match (self.files, self.outcome, self.command) {
            (Files::Page(file), _, _) => Kind::Page(file),
            (_, Outcome::FailsWith(codes), _) => Kind::Failing(codes),
            (_, _, Some(args)) => Kind::Command(args),
            _ => Kind::Server(self.serves),
        }
    }

    /// What it does as a server, if it is one.
    pub fn server(&self) -> Option<Serves> {
        match self.kind() {
            Kind::Server(serves) => Some(serves),
            _ => None,
        }
    }

    /// Whether the step is a server (not a page, a command, or a step that
    /// does not compile).
    pub fn is_server(&self) -> bool {
        self.server().is_some()
    }

    /// The error codes the step must fail with (empty if it compiles).
    pub fn expected_errors(&self) -> &'static [&'static str] {
        match self.outcome {
            Outcome::FailsWith(codes) => codes,
            _ => &[],
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
        matches!(self.files, Files::MainAndModule | Files::MainAndPackageLib)
            .then(|| format!("stages/{}/lib.rs", self.name))
    }

    /// The files the book's listing is, relative to the repository root:
    /// `hello.html` for listing 20-4, the step's own source files otherwise.
    pub fn listing_files(&self) -> Vec<String> {
        match self.files {
            Files::Page(file) => vec![file.to_string()],
            _ => std::iter::once(self.main_rs())
                .chain(self.lib_rs())
                .collect(),
        }
    }

    /// "Listing 20-1", "Listing 20-22 (2018 printing)", or the step's name
    /// for unnumbered steps: as a heading starts.
    pub fn label(&self) -> String {
        match (self.listing, self.track) {
            (Some(n), Track::Print2021 | Track::Edition2024) => format!("Listing {n}"),
            (Some(n), other) => format!("Listing {n} ({})", other.name()),
            (None, _) => self.name.to_string(),
        }
    }

    /// [`Step::label`] as a sentence has it: "listing 20-1".
    pub fn label_in_sentence(&self) -> String {
        self.label().replacen("Listing", "listing", 1)
    }

    /// The number of its listing (`5` for listing 21-5), or, for an
    /// unnumbered step, of the last listing before it (the exercises come
    /// after listing 21-25).
    pub fn listing_number(&self) -> Option<u32> {
        let number = |s: &Step| {
            s.listing
                .and_then(|l| l.split_once('-'))
                .and_then(|(_, n)| n.parse().ok())
        };
        STEPS[..=self.index()].iter().rev().find_map(|s| {
            (s.track == self.track || s.track.chapter() == self.track.chapter())
                .then(|| number(s))
                .flatten()
        })
    }

    /// What a reader types to name the step: its listing number, or its
    /// name.
    pub fn short_name(&self) -> &'static str {
        self.listing.unwrap_or(self.name)
    }
}

// Moving through the registry: every other module moves with these.
impl Step {
    /// Where the step is in [`STEPS`].
    pub fn index(&self) -> usize {
        STEPS
            .iter()
            .position(|s| s.name == self.name)
            .expect("every step is a step of STEPS")
    }

    /// The step before this one on its track.
    pub fn previous(&self) -> Option<&'static Step> {
        let at = self.index();
        STEPS[..at].last().filter(|s| s.track == self.track)
    }

    /// The step after this one on its track that a reader types: the
    /// chapter's full code, printed at its end, is no one's next step.
    pub fn next(&self) -> Option<&'static Step> {
        STEPS[self.index() + 1..]
            .iter()
            .take_while(|s| s.track == self.track)
            .find(|s| !s.full_code)
    }

    /// Where a reader who has finished the chapter at this step goes on:
    /// the first of the worked exercises, for the last step of a printing
    /// (`None` for any other step, and for the exercises' own last).
    pub fn after_the_chapter(&self) -> Option<&'static Step> {
        match self.track {
            Track::Exercises => None,
            _ if self.next().is_some() => None,
            _ => STEPS.iter().find(|s| s.track == Track::Exercises),
        }
    }

    /// The step whose code a reader has at this step: this one, or, for a
    /// listing that is a page (20-4, 20-8), the code step before it.
    pub fn code_step(&self) -> &'static Step {
        let mut step = &STEPS[self.index()];
        while let Files::Page(_) = step.files {
            step = step.previous().expect("every track starts with code");
        }
        step
    }

    /// The code step this one's diff is taken from: its registered
    /// [`Step::diff_from`] (the first step of a track other than the main
    /// line), or else the code step before it on its track.
    pub fn diff_base(&self) -> Option<&'static Step> {
        match self.diff_from {
            Some(name) => find(name),
            None => self.previous().map(Step::code_step),
        }
    }

    /// The chapter-20 step that today's edition's step is the counterpart
    /// of (listing 21-N of listing 20-N, an unnumbered step of the step of
    /// the same name and purpose), if there is one. The drain-based
    /// `no-listing-04-update-drop-definition` has none: chapter 20 took
    /// another road there.
    pub fn counterpart(&self) -> Option<&'static Step> {
        if self.track != Track::Edition2024 || matches!(self.files, Files::Page(_)) {
            return None;
        }
        let name = match self.name.strip_suffix("-2024") {
            Some(unnumbered) => unnumbered.to_string(),
            None => self.name.replace("listing-21-", "listing-20-"),
        };
        find(&name)
    }

    /// The step whose `lib.rs` a reader's project at this step has: its own,
    /// or, for a step on a package library of an earlier step (the
    /// exercises after beyond-02), that step's.
    pub fn library_step(&self) -> Option<&'static Step> {
        let this = &STEPS[self.index()];
        match self.files {
            Files::MainAndModule | Files::MainAndPackageLib => Some(this),
            Files::MainOnPackageLib => {
                let mut step = this;
                while step.files != Files::MainAndPackageLib {
                    step = step.previous()?;
                }
                Some(step)
            }
            Files::Main | Files::Page(_) => None,
        }
    }
}

/// What a reader at a step does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpNext {
    /// This step.
    Step(&'static Step),
    /// Nothing more in the chapter: they have finished it, and the worked
    /// exercises, which start at this step, come after it.
    Finished { exercises: &'static Step },
    /// Nothing more: that was the last of the worked exercises.
    Done,
}

/// What a reader at `step` does next: the next step on the track, past
/// the pages the reader already has (`has_page`: a reader who has
/// written `hello.html` is past listing 20-4); at the end of the chapter,
/// the exercises.
pub fn up_next(step: &Step, has_page: impl Fn(&str) -> bool) -> UpNext {
    let mut next = step.next();
    while let Some(Files::Page(file)) = next.map(|s| s.files) {
        if !has_page(file) {
            break;
        }
        next = next.and_then(Step::next);
    }
    match (next, step.code_step().after_the_chapter()) {
        (Some(next), _) => UpNext::Step(next),
        (None, Some(exercises)) => UpNext::Finished { exercises },
        (None, None) => UpNext::Done,
    }
}

/// The step called `name` (its bin name), if there is one.
pub fn find(name: &str) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.name == name)
}

/// The page listing that is `file` (listing 20-4 for `hello.html`) on
/// `track`, or on the main line where the track has none.
pub fn page_listing(file: &str, track: Track) -> Option<&'static Step> {
    let is_it = |s: &&Step| matches!(s.files, Files::Page(f) if f == file);
    STEPS
        .iter()
        .filter(is_it)
        .find(|s| s.track == track)
        .or_else(|| STEPS.iter().find(is_it))
}

/// Listing `number` of the chapter `track` follows (`20-21`, or `21-21`
/// for a reader of today's edition or of the exercises): the track's own
/// where it has one, else the main line's of that chapter.
pub fn listing_on(track: Track, number: u32) -> Option<&'static Step> {
    let listing = format!("{}-{number}", track.chapter());
    let numbered = |s: &&Step| s.listing == Some(listing.as_str());
    STEPS
        .iter()
        .filter(numbered)
        .find(|s| s.track == track)
        .or_else(|| STEPS.iter().find(numbered))
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

/// A name no step answers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownStep(pub String);

impl std::fmt::Display for UnknownStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "there is no step `{}`: steps are named like `20-22`, `listing-20-22`, \
             `21-22`, `no-listing-04` or `beyond-01` (`cargo run -- list` shows them all)",
            self.0
        )
    }
}

impl std::error::Error for UnknownStep {}

/// The step a reader means by `input`, in any of the forms readers type:
/// the bin name (`listing-20-22`, `no-listing-04-update-worker-definition`),
/// a listing number (`20-22`, `22`, `listing-20-2`), or the start of an
/// unnumbered step's name (`no-listing-04`).
pub fn resolve(input: &str) -> Result<&'static Step, UnknownStep> {
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
    let starting: Vec<&'static Step> = STEPS.iter().filter(|s| s.name.starts_with(input)).collect();
    if input.starts_with("no-listing-") {
        // The main line first: `no-listing-04` is the print edition's step,
        // `no-listing-04-update-worker-definition-2018` the 2018 printing's.
        let main_line: Vec<&Step> = starting
            .iter()
            .copied()
            .filter(|s| s.track == Track::Print2021)
            .collect();
        if let [step] = main_line[..] {
            return Ok(step);
        }
    }
    if input.starts_with("no-listing-") || input.starts_with("beyond-") {
        // `beyond-01` is the first worked exercise.
        let all = &starting;
        if let [step] = all[..] {
            return Ok(step);
        }
    }
    Err(UnknownStep(input.to_string()))
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
        let error = resolve("20-26").unwrap_err().to_string();
        assert!(error.starts_with("there is no step `20-26`"), "{error}");
        assert_eq!(error.lines().count(), 1);
        assert!(resolve("no-listing-0").is_err(), "ambiguous");
    }

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

    #[test]
    fn next_and_previous_stay_on_the_track() {
        assert_eq!(named("listing-20-01").previous(), None);
        assert_eq!(named("listing-20-01").next(), Some(named("listing-20-02")));
        assert_eq!(
            named("listing-20-02").previous(),
            Some(named("listing-20-01"))
        );
        // The main line ends at 20-25; the 2018 printing follows it in the
        // list, but not on the track.
        assert_eq!(named("listing-20-25").next(), None);
        assert_eq!(named("listing-20-22-2018").previous(), None);
        assert_eq!(named("listing-21-24").next(), Some(named("listing-21-25")));
        assert_eq!(named("beyond-01-build-returns-result").previous(), None);
    }

    #[test]
    fn the_end_of_a_printing_leads_to_the_exercises_past_its_full_code() {
        let beyond_01 = named("beyond-01-build-returns-result");
        // The full code printed at the chapter's end is no one's next step.
        assert_eq!(named("listing-21-25").next(), None);
        assert_eq!(named("listing-21-25").after_the_chapter(), Some(beyond_01));
        assert_eq!(named("listing-20-25").after_the_chapter(), Some(beyond_01));
        let full = named("no-listing-07-final-code-2024");
        assert_eq!(
            (full.next(), full.after_the_chapter()),
            (None, Some(beyond_01))
        );
        assert_eq!(named("listing-20-25-2018").next(), None);
        assert_eq!(named("listing-21-24").after_the_chapter(), None);
        assert_eq!(
            named("beyond-06-pool-from-crates-io").after_the_chapter(),
            None
        );
    }

    #[test]
    fn up_next_skips_the_pages_a_reader_has_and_ends_at_the_exercises() {
        let at_3 = named("listing-21-03");
        assert_eq!(
            up_next(at_3, |_| false),
            UpNext::Step(named("listing-21-04"))
        );
        assert_eq!(
            up_next(at_3, |page| page == "hello.html"),
            UpNext::Step(named("listing-21-05"))
        );
        assert_eq!(
            up_next(named("listing-20-07"), |_| true),
            UpNext::Step(named("listing-20-09"))
        );
        let exercises = named("beyond-01-build-returns-result");
        assert_eq!(
            up_next(named("listing-21-25"), |_| true),
            UpNext::Finished { exercises }
        );
        assert_eq!(
            up_next(named("listing-21-24"), |_| true),
            UpNext::Step(named("listing-21-25"))
        );
        let last = STEPS
            .iter()
            .rev()
            .find(|s| s.track == Track::Exercises)
            .unwrap();
        assert_eq!(up_next(last, |_| true), UpNext::Done);
    }

    #[test]
    fn pages_give_the_code_step_before_them() {
        assert_eq!(named("listing-20-04").code_step().name, "listing-20-03");
        assert_eq!(named("listing-21-08").code_step().name, "listing-21-07");
        assert_eq!(named("listing-20-05").code_step().name, "listing-20-05");
    }

    #[test]
    fn a_diff_is_taken_from_the_code_step_before_or_the_registered_one() {
        assert_eq!(
            named("listing-20-05").diff_base(),
            Some(named("listing-20-03"))
        );
        assert_eq!(named("listing-20-01").diff_base(), None);
        assert_eq!(
            named("listing-20-22-2018").diff_base(),
            Some(named("listing-20-22"))
        );
        assert_eq!(
            named("no-listing-07-final-code").diff_base(),
            Some(named("listing-20-25"))
        );
        assert_eq!(
            named("beyond-06-pool-from-crates-io").diff_base(),
            Some(named("beyond-04-shutdown-on-signal"))
        );
    }

    #[test]
    fn chapter_21_steps_pair_with_chapter_20_steps_of_the_same_name() {
        let pair = |name: &str| named(name).counterpart().map(|s| s.name);
        assert_eq!(pair("listing-21-22"), Some("listing-20-22"));
        assert_eq!(
            pair("no-listing-03-define-execute-2024"),
            Some("no-listing-03-define-execute")
        );
        assert_eq!(
            pair("no-listing-07-final-code-2024"),
            Some("no-listing-07-final-code")
        );
        assert_eq!(pair("no-listing-04-update-drop-definition-2024"), None);
        assert_eq!(pair("listing-21-04"), None);
        assert_eq!(pair("listing-20-22"), None);
    }

    #[test]
    fn the_exercises_after_beyond_02_are_on_its_library() {
        let beyond_02 = named("beyond-02-documented-and-tested");
        for name in [
            "beyond-03-no-unwrap",
            "beyond-04-shutdown-on-signal",
            "beyond-05-pool-for-other-work",
        ] {
            assert_eq!(named(name).library_step(), Some(beyond_02), "{name}");
        }
        assert_eq!(named("beyond-06-pool-from-crates-io").library_step(), None);
        assert_eq!(
            named("listing-20-20").library_step(),
            Some(named("listing-20-20"))
        );
        assert_eq!(named("listing-20-10").library_step(), None);
    }

    #[test]
    fn a_step_is_one_kind() {
        assert_eq!(named("listing-20-04").kind(), Kind::Page("hello.html"));
        assert_eq!(named("listing-20-22").kind(), Kind::Failing(&["E0507"]));
        assert_eq!(
            named("beyond-05-pool-for-other-work").kind(),
            Kind::Command(&["stages"])
        );
        let Kind::Server(serves) = named("listing-20-25").kind() else {
            panic!("listing 20-25 is a server");
        };
        assert!(serves.sleep_route);
        assert_eq!(serves.stops_after, Some(2));
        assert_eq!(serves.pages, BOTH_PAGES);
        let first = named("listing-20-01").server().unwrap();
        assert!(!first.sleep_route && first.pages.is_empty());
    }

    #[test]
    fn page_listings_are_found_on_the_readers_track() {
        assert_eq!(
            page_listing("hello.html", Track::Edition2024).map(|s| s.name),
            Some("listing-21-04")
        );
        assert_eq!(
            page_listing("404.html", Track::Print2018).map(|s| s.name),
            Some("listing-20-08")
        );
        assert_eq!(page_listing("other.html", Track::Print2021), None);
    }
}
