//! The chapter's pages: which page a body is, and a page that is missing
//! or not where the server reads it.

use super::place;
use crate::registry::Step;

use crate::check::verdict::{Behaviour, Finding, Place, Reproduce, Verdict};

/// The pages of a folder (the repository's, or the reader's project's):
/// which of them a response's body is.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pages(pub Vec<(&'static str, Vec<u8>)>);

impl Pages {
    /// Both of the chapter's pages, as they are in `dir` (a page that is
    /// missing or empty is none).
    pub(crate) fn in_dir(dir: &std::path::Path) -> Pages {
        Pages(
            ["hello.html", "404.html"]
                .into_iter()
                .filter_map(|f| std::fs::read(dir.join(f)).ok().map(|c| (f, c)))
                .filter(|(_, c)| !c.is_empty())
                .collect(),
        )
    }

    /// The page `body` is, if it is one.
    pub(crate) fn which(&self, body: &[u8]) -> Option<&'static str> {
        self.0.iter().find(|(_, c)| c == body).map(|(f, _)| *f)
    }

    /// The page called `file`.
    pub(super) fn get(&self, file: &str) -> Option<&[u8]> {
        self.0.iter().find(|(f, _)| *f == file).map(|(_, c)| &c[..])
    }
}

/// A page the reader's server reads that is not in their project's
/// folder, and where in the project it is instead (`found`, relative
/// paths).
pub(crate) fn page_not_in_folder(
    step: &Step,
    files: &'static [&'static str],
    file: &'static str,
    found: Vec<String>,
) -> Verdict {
    let listing = crate::registry::page_listing(file, step.track)
        .and_then(|page| page.listing_number())
        .and_then(|n| place(step, n));
    // `cargo run` and a request show it: no reply, and the panic of the
    // read that did not find the page.
    Verdict::fails(
        Behaviour::PagesInPlace { files },
        Finding::PageNotInFolder { file, found },
    )
    .reproduce(Reproduce::Curl {
        path: if file == "404.html" {
            "/does-not-exist"
        } else {
            "/"
        }
        .into(),
    })
    .see(listing)
}

/// A page the step is: whether the reader's project has it.
pub(crate) fn has_page(step: &'static Step, file: &'static str, present: bool) -> Verdict {
    let verdict = Verdict::either(Behaviour::HasPage { file }, present, || {
        Finding::PageNotInFolder {
            file,
            found: Vec::new(),
        }
    });
    if present {
        verdict
    } else {
        verdict.see(Place::of_step(step))
    }
}
