//! A step of the chapter: what it is ([`Kind`], one field), what it is made
//! of and builds to, and the `const fn` builders `steps.rs` writes each
//! step with. A builder given what the step's kind cannot have stops the
//! build (a `const` panic), so an impossible step does not compile.

use super::Section;
use super::Track;

/// The files a step is made of, in `stages/<step>/` (a page's bin is a
/// `main.rs` that prints it).
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

    /// Nothing set yet.
    const fn is_nothing(&self) -> bool {
        !self.sleep_route && self.pages.is_empty() && self.stops_after.is_none()
    }
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

/// What a step is, for everything that runs or checks it: one field of
/// [`Step`], whose variants carry what each kind needs, so that a failing
/// step cannot have a server's routes, nor a page arguments.
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
    /// What the step is: see [`Step::kind`].
    kind: Kind,
    /// The lints rustc warns with when it builds (sorted; none: it builds
    /// without a warning).
    warns: &'static [&'static str],
    /// The positions the chapter prints in compiler messages for this step.
    #[cfg(feature = "_kit")]
    pub book_messages: &'static [BookMessage],
    /// Lines of the step's track's text (see `Track::seed`) where the
    /// chapter prints this step's code (each a `Filename:` line).
    #[cfg(feature = "_kit")]
    pub print_blocks: &'static [u32],
    /// The step its diff is taken from, where that is not simply the code
    /// step before it on its track (the first step of another track is
    /// compared with its counterpart in the main line). `steps.rs` checks
    /// at compile time that it names a step.
    pub diff_from: Option<&'static str>,
    /// The crates from crates.io its code uses.
    pub crates: &'static [Crate],
    /// A module of its own beside `main.rs` (worked exercises only), as a
    /// path from the repository root: beyond-07's `http.rs`, which the
    /// async steps after it reach with a `#[path]` to beyond-07's folder
    /// (see [`Step::module_path_line`]).
    pub module: Option<&'static str>,
    /// It is the chapter's full code, printed at its end for reference, not
    /// a step a reader types: no reader's next step is one.
    pub full_code: bool,
}

/// A numbered listing: `listing("listing-20-01", "20-1", "...")`. By
/// default it is a server of `main.rs` alone, builds without warnings, and
/// reads no page; the methods below say otherwise.
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
        kind: Kind::Server(Serves::NOTHING),
        warns: &[],
        #[cfg(feature = "_kit")]
        book_messages: &[],
        #[cfg(feature = "_kit")]
        print_blocks: &[],
        diff_from: None,
        crates: &[],
        module: None,
        full_code: false,
    }
}

impl Step {
    /// A step still as `listing` and `unnumbered` make it, whose kind a
    /// builder may set.
    const fn kind_unset(&self) -> bool {
        matches!(self.kind, Kind::Server(serves) if serves.is_nothing())
    }

    /// The listing is a page, not code.
    pub const fn page(self, file: &'static str) -> Step {
        assert!(self.kind_unset(), "a page has no other kind");
        Step {
            kind: Kind::Page(file),
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
        assert!(
            !matches!(self.kind, Kind::Failing(_)),
            "a step that does not build has no warnings"
        );
        Step {
            warns: lints,
            ..self
        }
    }

    /// It fails to compile, on purpose, with exactly these codes (sorted).
    pub const fn fails_with(self, codes: &'static [&'static str]) -> Step {
        assert!(
            self.kind_unset() && self.warns.is_empty(),
            "a step that does not build is nothing else"
        );
        Step {
            kind: Kind::Failing(codes),
            ..self
        }
    }

    /// It is a command, run with these arguments.
    pub const fn command(self, args: &'static [&'static str]) -> Step {
        assert!(self.kind_unset(), "a command is not a server");
        Step {
            kind: Kind::Command(args),
            ..self
        }
    }

    /// The pages it reads (set for the first section only: from the
    /// second on, every server reads both).
    pub const fn reads(self, pages: &'static [&'static str]) -> Step {
        let Kind::Server(serves) = self.kind else {
            panic!("only a server reads pages");
        };
        Step {
            kind: Kind::Server(Serves { pages, ..serves }),
            ..self
        }
    }

    /// It stops by itself after `connections` connections.
    pub const fn stops_after(self, connections: usize) -> Step {
        let Kind::Server(serves) = self.kind else {
            panic!("only a server stops after its connections");
        };
        Step {
            kind: Kind::Server(Serves {
                stops_after: Some(connections),
                ..serves
            }),
            ..self
        }
    }

    /// The positions the chapter prints in its compiler messages (kept for
    /// the test kit, which checks them against the book).
    #[cfg_attr(not(feature = "_kit"), allow(unused_variables))]
    pub const fn book_shows(self, messages: &'static [BookMessage]) -> Step {
        Step {
            #[cfg(feature = "_kit")]
            book_messages: messages,
            ..self
        }
    }

    /// Where the chapter prints its code (see `Step::print_blocks`; kept
    /// for the test kit).
    #[cfg_attr(not(feature = "_kit"), allow(unused_variables))]
    pub const fn printed_at(self, lines: &'static [u32]) -> Step {
        Step {
            #[cfg(feature = "_kit")]
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

    /// It is the chapter's full code, printed at its end (see
    /// [`Step::full_code`]).
    pub const fn full_code(self) -> Step {
        Step {
            full_code: true,
            ..self
        }
    }

    /// Its code uses these crates.
    pub const fn uses(self, crates: &'static [Crate]) -> Step {
        Step { crates, ..self }
    }

    /// Its `main.rs` declares `mod` of the file at `path` (from the
    /// repository root).
    pub const fn module(self, path: &'static str) -> Step {
        Step {
            module: Some(path),
            ..self
        }
    }
}

/// The steps of one section of one track, in order. From the second
/// section on, every server has the `/sleep` route (listing 20-10 adds it,
/// first thing) and reads both pages.
pub(super) const fn part<const N: usize>(
    track: Track,
    section: Section,
    steps: [Step; N],
) -> [Step; N] {
    let mut steps = steps;
    let mut i = 0;
    while i < N {
        steps[i].track = track;
        steps[i].section = section;
        if let (Kind::Server(serves), false) = (
            &mut steps[i].kind,
            matches!(section, Section::SingleThreaded),
        ) {
            serves.sleep_route = true;
            if serves.pages.is_empty() {
                serves.pages = BOTH_PAGES;
            }
        }
        i += 1;
    }
    steps
}

/// The parts, one after the other, as one array of `N` steps.
pub(super) const fn concat<const N: usize>(parts: &[&[Step]]) -> [Step; N] {
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
pub(super) const fn total(parts: &[&[Step]]) -> usize {
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
        self.kind
    }

    /// What `cargo build` does with it.
    pub fn outcome(&self) -> Outcome {
        match self.kind {
            Kind::Failing(codes) => Outcome::FailsWith(codes),
            _ if !self.warns.is_empty() => Outcome::Warns(self.warns),
            _ => Outcome::Compiles,
        }
    }

    /// What it does as a server, if it is one.
    pub fn server(&self) -> Option<Serves> {
        match self.kind {
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
        match self.kind {
            Kind::Failing(codes) => codes,
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
    /// `hello.html` for listing 20-4, the step's own source files otherwise
    /// (its module's included).
    pub fn listing_files(&self) -> Vec<String> {
        match self.kind {
            Kind::Page(file) => vec![file.to_string()],
            _ => std::iter::once(self.main_rs())
                .chain(self.lib_rs())
                .chain(self.module.map(str::to_string))
                .collect(),
        }
    }

    /// The `#[path]` line with which the step's `main.rs` reaches a module
    /// in another step's folder (its line end included): in a reader's
    /// project, where the module is `src/http.rs`, a plain `mod http;`
    /// needs none. `None` where the module is in the step's own folder, or
    /// there is none.
    pub fn module_path_line(&self) -> Option<String> {
        let module = self.module?;
        let (dir, file) = module.rsplit_once('/')?;
        (dir != self.dir()).then(|| {
            let folder = dir.rsplit('/').next().unwrap_or(dir);
            format!("#[path = \"../{folder}/{file}\"]\n")
        })
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

    /// What a reader types to name the step: its listing number, or its
    /// name.
    pub fn short_name(&self) -> &'static str {
        self.listing.unwrap_or(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::find;

    fn named(name: &str) -> &'static Step {
        find(name).unwrap_or_else(|| panic!("{name} is a step"))
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
}
