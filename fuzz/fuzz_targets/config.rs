//! Any text as regent.toml, against the built-in pack: a config or located problems, never
//! a panic; no problem shows a value of [settings].
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pack() -> &'static regent::policy::Pack {
    static PACK: OnceLock<regent::policy::Pack> = OnceLock::new();
    PACK.get_or_init(|| regent::policy::Pack::load(true, &[]))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(problems) = regent::config::parse("regent.toml", text, pack()) {
        for problem in problems {
            // Rendering a problem (as the CLI does) must not panic either.
            let _ = format!("{:?}", miette_free(&problem));
        }
    }
});

/// The problem's text as every renderer starts from it.
fn miette_free(problem: &regent::diagnostics::Problem) -> String {
    format!("{problem} {:?}", problem.location())
}
