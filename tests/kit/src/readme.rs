//! README's tables of steps, made from the registry: a test keeps README in
//! step with it.

use companion::registry::{Kind, Outcome, Step, Track, STEPS};

/// The tables of steps that README.md shows (a test keeps README in step
/// with this registry): the main line's, and then the other printings'.
pub fn markdown_table() -> String {
    let rows = |track: Track| -> String {
        STEPS
            .iter()
            .filter(|s| s.track == track)
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
    table.push_str(&rows(Track::Print2021));
    table.push_str(
        "\nToday's edition, chapter 21 (Rust 2024), in the order its text shows them:\n\n\
         | step (`--bin`) | listing | what it is | builds? |\n|---|---|---|---|\n",
    );
    table.push_str(&rows(Track::Edition2024));
    table.push_str(
        "\nThe other printings' steps, in the order their printing shows them:\n\n\
         | step (`--bin`) | printing | listing | what it is | builds? |\n|---|---|---|---|---|\n",
    );
    for step in STEPS
        .iter()
        .filter(|s| matches!(s.track, Track::Print2018 | Track::Online))
    {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            step.name,
            step.track.name(),
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
    for step in STEPS.iter().filter(|s| s.track == Track::Exercises) {
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
    match step.outcome() {
        Outcome::Compiles if matches!(step.kind(), Kind::Page(_)) => {
            "yes (prints the file)".to_string()
        }
        Outcome::Compiles => "yes".to_string(),
        Outcome::Warns(lints) => format!("yes, warns: {}", lints.join(", ")),
        Outcome::FailsWith(codes) => format!("no, by design: {}", codes.join(" + ")),
    }
}
