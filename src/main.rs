//! The `regent` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = regent::cli::parse();
    match regent::run(cli) {
        Ok(status) => status.into(),
        Err(report) => {
            if regent::is_broken_pipe(&report) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{report:?}");
            regent::ExitStatus::Error.into()
        }
    }
}
