//! One file per subcommand; each takes its settings and returns an exit status. They hold
//! only what is the command line's: where inputs come from, printing, the exit code.

pub mod controls;
pub mod eval;
pub mod explain;
pub mod inspect;
pub mod test;

use crate::diagnostics::Problem;
use crate::policy::Pack;
use miette::IntoDiagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Print every problem on stderr, in order, through the installed miette handler.
pub fn print_problems(problems: &[Problem]) {
    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    for problem in problems {
        let _ = writeln!(stderr, "{:?}", miette::Report::new(problem.clone()));
    }
}

/// Load the pack, printing its problems; the sound controls are returned either way.
pub fn load_pack(builtin: bool, dirs: &[PathBuf]) -> Pack {
    let pack = Pack::load(builtin, dirs);
    print_problems(&pack.problems);
    pack
}

/// Write through `render` to the file, or to stdout.
pub fn write_output(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> miette::Result<()> {
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
            let mut file = std::io::BufWriter::new(file);
            render(&mut file).into_diagnostic()?;
            file.flush().into_diagnostic()
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            // A reader that stops early (`| head`) is not an error.
            match render(&mut lock).and_then(|()| lock.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.into_diagnostic(),
            }
        }
    }
}
