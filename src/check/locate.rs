//! Which step a reader's project is at, and why the check says so.

use crate::reader::detect::{self, Built, Found};
use crate::reader::Project;
use crate::registry::{Outcome, Step};
use crate::Result;

/// The step a reader's project is at, how it built, and why.
#[derive(Clone, Debug)]
pub struct Located {
    pub found: Found,
    pub built: Built,
    /// The compiler's output, where it did not build.
    pub compiler_output: Option<String>,
}

/// Build the reader's project and find its step.
pub fn locate(project: &Project) -> Result<Located> {
    let report = project.build()?;
    let built = if report.success {
        Built::Builds
    } else {
        Built::FailsWith(report.all_error_codes().into_iter().collect())
    };
    let found = detect::closest(project, Some(&built))?;
    Ok(Located {
        found,
        compiler_output: (!report.success).then(|| report.human_output()),
        built,
    })
}

impl Located {
    /// The step.
    pub fn step(&self) -> &'static Step {
        self.found.step
    }

    /// Whether the check can run: the project builds as its step does, or
    /// builds at all. Where not, the compiler's output is the report.
    pub fn checkable(&self) -> bool {
        self.compiler_output.is_none() || self.found.builds_as_the_step == Some(true)
    }

    /// Which step, then why, in a few lines: the first is the headline.
    pub fn why(&self) -> Vec<String> {
        let found = &self.found;
        let step = found.step;
        let mut lines = vec![format!(
            "Your project is at {}: {}",
            step.label_in_sentence(),
            step.title
        )];
        if found.alike == 1.0 {
            lines.push(
                "  its code is that step's, once comments, layout and the names you chose are \
                 set aside"
                    .into(),
            );
        } else {
            // Rounded down: 99.9%, not 100%, for code that is not the step's.
            let percent = |alike: f64| (alike * 1000.0).floor() / 10.0;
            let mut line = format!(
                "  its code is {}% like that step's (comments, layout and the names you chose \
                 set aside)",
                percent(found.alike)
            );
            if let Some((next, alike)) = found.runner_up {
                line.push_str(&format!(
                    "; the next closest is {} ({}%)",
                    next.name,
                    percent(alike)
                ));
            }
            lines.push(line);
        }
        if !found.twins.is_empty() {
            let names: Vec<&str> = found.twins.iter().map(|s| s.name).collect();
            lines.push(format!(
                "  {} {} the very same code, so no project can tell {} apart from {}",
                names.join(" and "),
                if names.len() == 1 { "has" } else { "have" },
                if names.len() == 1 { "it" } else { "them" },
                step.name
            ));
        }
        let at_step = match step.outcome() {
            Outcome::FailsWith(codes) => format!("fails with {}", codes.join(" and ")),
            _ => "builds".to_string(),
        };
        lines.push(match (&self.built, found.builds_as_the_step) {
            (Built::Builds, Some(true)) => format!("  it builds, as {} does", step.name),
            (Built::FailsWith(codes), Some(true)) => format!(
                "  it fails to build with {}, as {} does: the chapter shows that error here",
                codes.join(" and "),
                step.name
            ),
            (Built::Builds, _) => format!("  it builds, where {} {at_step}", step.name),
            (Built::FailsWith(codes), _) => format!(
                "  it fails to build with {}, where {} {at_step}",
                if codes.is_empty() {
                    "no error code".to_string()
                } else {
                    codes.join(" and ")
                },
                step.name
            ),
        });
        lines
    }
}
