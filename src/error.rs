//! The library's one error type: every failure a user can cause, or that
//! the machine can, worded as one sentence (its causes, where it has any,
//! are its `source`s). The binaries add context with `anyhow` and print it.

use std::io;
use std::path::PathBuf;

use crate::registry::{Step, UnknownStep};
use crate::server::StartError;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    UnknownStep(#[from] UnknownStep),

    /// A server, the step's or the reader's, did not start.
    #[error(transparent)]
    Server(#[from] StartError),

    /// A file of ours or of the reader's could not be read or written.
    #[error("could not {doing} {}", path.display())]
    File {
        doing: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// A program (cargo, a step, a reader's build) could not be run.
    #[error("could not run {program}")]
    Run {
        program: String,
        #[source]
        source: io::Error,
    },

    /// cargo stopped before it compiled anything (a broken manifest, a
    /// lock file out of date).
    #[error("cargo could not build {what}: {cargo_says}")]
    Cargo { what: String, cargo_says: String },

    #[error("{} is not a folder: give the path of your cargo project", .0.display())]
    NotAFolder(PathBuf),

    #[error("{} is a file: give a folder for the project", .0.display())]
    NotAFolderToWrite(PathBuf),

    /// `start` without `--force`, where a project (or other files) is.
    #[error(
        "{} already has a project ({what}): `start` never overwrites one; add --force to \
         replace the tour's files in it (Cargo.toml, src/main.rs, src/lib.rs, hello.html, \
         404.html) and nothing else",
        dir.display()
    )]
    ProjectExists { dir: PathBuf, what: String },

    #[error("there is no cargo project at {}: it has no Cargo.toml", .0.display())]
    NoManifest(PathBuf),

    #[error(
        "your project at {} has no src/main.rs: the chapter's server is a binary",
        .0.display()
    )]
    NoMain(PathBuf),

    #[error("your project at {} has no binary to run", .0.display())]
    NoBinary(PathBuf),

    #[error("your project at {} has several binaries; keep one", .0.display())]
    SeveralBinaries(PathBuf),

    /// The reader's project does not build, where the step does. The
    /// compiler's output is for the reader to see, above this sentence.
    #[error(
        "your project at {} does not build (the compiler's output is above), where {} \
         builds; {why}",
        dir.display(),
        step.name
    )]
    DoesNotBuild {
        dir: PathBuf,
        step: &'static Step,
        /// Whether and where the chapter shows its errors.
        why: String,
        compiler_output: String,
    },

    /// One of our own steps did not build (its compiler output is for the
    /// reader to see, above this sentence).
    #[error("{} did not build", step.name)]
    StageDidNotBuild {
        step: &'static Step,
        compiler_output: String,
    },

    /// A step the chapter shows failing to compile compiled.
    #[error("{} compiled, but it should not", .0.name)]
    StageCompiled(&'static Step),

    /// A command step, ours or the reader's, ran too long.
    #[error("{} did not end within {seconds} s", program.display())]
    CommandHung { program: PathBuf, seconds: u64 },
}

impl Error {
    /// What the reader should see above the error's sentence: the
    /// compiler's output, where there is one.
    pub fn compiler_output(&self) -> Option<&str> {
        match self {
            Error::DoesNotBuild {
                compiler_output, ..
            }
            | Error::StageDidNotBuild {
                compiler_output, ..
            } => Some(compiler_output),
            _ => None,
        }
    }

    /// The error of a failed `doing` ("read", "write") of `path`.
    fn file(doing: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        let path = path.into();
        move |source| Error::File {
            doing,
            path,
            source,
        }
    }

    pub(crate) fn read(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        Error::file("read", path)
    }

    pub(crate) fn write(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Error {
        Error::file("write", path)
    }

    pub(crate) fn run(program: impl std::fmt::Display) -> impl FnOnce(io::Error) -> Error {
        let program = program.to_string();
        move |source| Error::Run { program, source }
    }
}

/// The library's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
