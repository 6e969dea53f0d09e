//! `regent inspect`: what the loader makes of the inputs, one normalised item per line.
//! This is exactly the `input` a policy sees.

use super::{print_problems, write_output};
use crate::diagnostics::printable;
use crate::pipeline::{load_entries, Options, Quiet, Read};
use crate::source::fs;
use crate::ExitStatus;
use std::path::PathBuf;

pub struct InspectSettings {
    pub inputs: Vec<PathBuf>,
    /// The most bytes one input may have, read and inflated.
    pub max_input_bytes: u64,
}

pub fn run(settings: InspectSettings) -> miette::Result<ExitStatus> {
    let mut problems = Vec::new();
    let mut skips = Vec::new();
    let mut loaded = Vec::new();
    let options = Options {
        max_input_bytes: settings.max_input_bytes,
        ..Options::default()
    };
    for read in load_entries(fs::entries(settings.inputs), &options, &Quiet) {
        match read {
            Read::Loaded(document) => loaded.push(document),
            Read::Ignored(skip) => skips.push(skip),
            Read::Failed(problem) => problems.push(problem),
        }
    }
    write_output(None, |out| {
        for document in &loaded {
            // The loader keeps an input's items in resource order; show them in file order.
            let mut texts: Vec<(Option<usize>, String)> = document
                .items
                .iter()
                .map(|item| {
                    let index = item.subject.origin.as_ref().and_then(|o| o.index);
                    (index, item.document.json())
                })
                .collect();
            texts.sort_by_key(|(index, _)| *index);
            for (_, text) in texts {
                out.write_all(text.as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    })?;
    for document in loaded {
        problems.extend(document.problems);
        skips.extend(document.skipped_document);
        skips.extend(document.skipped_items);
    }
    for skip in skips {
        eprintln!(
            "skipped {}: {}",
            printable(&skip.source),
            printable(&skip.reason)
        );
    }
    print_problems(&problems);
    Ok(if problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}
