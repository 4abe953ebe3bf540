//! `check --format json`: the check as one JSON document, for an editor or
//! a script (in the spirit of Exercism's `results.json`). Its shape is in
//! README.md, "The check as JSON"; `tests/suite/check.rs` reads it back.

use std::path::Path;

use serde_json::{json, Value};

use crate::registry::Step;

use super::{passes, summary, Verdict};

/// The version of the document's shape: raised when a field changes
/// meaning or goes.
pub(super) const VERSION: u32 = 1;

/// The document for a check of the project in `dir` against `step`: each
/// verdict with its value and its words, or the one-sentence error (and
/// the compiler's output) where the check could not be made. `located`:
/// where the step was found rather than named, the lines that say why.
pub fn document(
    step: &'static Step,
    dir: &Path,
    located: Option<Vec<String>>,
    outcome: Result<&[Verdict], (String, Option<&str>)>,
) -> Value {
    let mut doc = json!({
        "version": VERSION,
        "step": {
            "name": step.name,
            "label": step.label_in_sentence(),
            "title": step.title,
            "chapter": step.track.chapter(),
            "edition": step.track.edition(),
        },
        "project": dir.display().to_string(),
    });
    if let Some(why) = located {
        doc["located"] = json!(why);
    }
    match outcome {
        Ok(verdicts) => {
            doc["passed"] = json!(passes(verdicts));
            doc["summary"] = json!(summary(step, verdicts));
            doc["verdicts"] = verdicts.iter().map(|v| verdict(step, v)).collect();
        }
        Err((error, compiler_output)) => {
            doc["passed"] = json!(false);
            doc["error"] = json!(error);
            if let Some(output) = compiler_output {
                doc["compiler_output"] = json!(output);
            }
        }
    }
    doc
}

/// One verdict: its value (behaviour, status, finding, the exchange seen,
/// how to reproduce it, where the chapter deals with it) and its words.
fn verdict(step: &Step, v: &Verdict) -> Value {
    let mut value = serde_json::to_value(v).expect("a verdict is plain data");
    value["words"] = json!(v.words(step));
    value["evidence"] = json!(v.evidence());
    value["command"] = json!(v.command());
    value["where"] = json!(v.where_in_the_chapter());
    value
}
