//! `regent inspect`: what the loader makes of the inputs, one normalised item per line.
//! This is exactly the `input` a policy sees.

use super::{load_inputs, print_problems, write_output};
use crate::source;
use crate::ExitStatus;
use std::path::PathBuf;

pub struct InspectSettings {
    pub inputs: Vec<PathBuf>,
}

pub fn run(settings: InspectSettings) -> miette::Result<ExitStatus> {
    let discovered = source::discover(&settings.inputs);
    let mut problems = discovered.problems;
    let loaded = load_inputs(&discovered.inputs);
    write_output(None, |out| {
        for (_, loaded) in &loaded {
            // The loader keeps an input's items in resource order; show them in file order.
            let mut texts: Vec<(Option<usize>, String)> = loaded
                .items
                .iter()
                .map(|item| (item.origin.index, item.document.json()))
                .collect();
            texts.sort_by_key(|(index, _)| *index);
            for (_, text) in texts {
                out.write_all(text.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    })?;
    for (_, loaded) in loaded {
        problems.extend(loaded.problems);
        let skips = loaded
            .skipped_document
            .into_iter()
            .chain(loaded.skipped_items);
        for skip in skips {
            eprintln!("skipped {}: {}", skip.source, skip.reason);
        }
    }
    print_problems(&problems);
    Ok(if problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}
