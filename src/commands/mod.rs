//! One file per subcommand; each takes its settings and returns an exit status. They hold
//! only what is the command line's: where inputs come from, printing, the exit code.

pub mod controls;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod inspect;
pub mod lambda;
pub mod merge;
pub mod progress;
pub mod remediate;
pub mod test;

use crate::diagnostics::{Code, Problem};
use crate::policy::Pack;
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

/// Where a report goes: stdout, or a file opened before the run starts (so a wrong
/// `--output` fails before any evaluation) and written to a temporary file beside it, then
/// renamed into place, so the file is either the whole report or left as it was.
pub enum Output {
    Stdout,
    Stream {
        path: PathBuf,
        file: std::fs::File,
    },
    File {
        path: PathBuf,
        temp: tempfile::NamedTempFile,
    },
}

impl Output {
    pub fn open(path: Option<&Path>) -> miette::Result<Self> {
        let Some(path) = path else {
            return Ok(Self::Stdout);
        };
        // Through a symbolic link to the file it names: the link stays a link.
        let resolved = std::fs::canonicalize(path).ok();
        let path = resolved.as_deref().unwrap_or(path);
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if path.is_dir() {
            return Err(unwritable(path, "it is a directory".into()));
        }
        // A device or a pipe (`-o /dev/stdout`, a FIFO) is written as it is: nothing to
        // rename into place.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|err| unwritable(path, err.kind().to_string()))?;
            return Ok(Self::Stream {
                path: path.to_path_buf(),
                file,
            });
        }
        if !dir.is_dir() {
            let why = format!("the directory {} does not exist", dir.display());
            return Err(unwritable(path, why));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".regent-report-");
        // A report is an ordinary file (the umask applies), not tempfile's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        // The error's kind, not its text: that names the temporary file.
        let temp = builder
            .tempfile_in(dir)
            .map_err(|err| unwritable(path, err.kind().to_string()))?;
        Ok(Self::File {
            path: path.to_path_buf(),
            temp,
        })
    }

    /// Write through `render`, then put the file in place.
    pub fn write(
        self,
        render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> miette::Result<()> {
        match self {
            Self::File { path, temp } => {
                let mut file = std::io::BufWriter::new(temp);
                render(&mut file)
                    .and_then(|()| file.flush())
                    .map_err(|err| unwritable(&path, err.kind().to_string()))?;
                let temp = file
                    .into_inner()
                    .map_err(|err| unwritable(&path, err.error().to_string()))?;
                temp.persist(&path)
                    .map_err(|err| unwritable(&path, err.error.to_string()))?;
                Ok(())
            }
            Self::Stream { path, file } => {
                widen_pipe(&file);
                let mut file = std::io::BufWriter::new(file);
                match render(&mut file).and_then(|()| file.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(unwritable(&path, e.kind().to_string())),
                    Ok(()) => Ok(()),
                }
            }
            Self::Stdout => {
                let stdout = std::io::stdout();
                widen_pipe(&stdout);
                let mut lock = stdout.lock();
                // A reader that stops early (`| head`) is not an error.
                match render(&mut lock).and_then(|()| lock.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(miette::Report::new(Problem::new(
                        Code::OutputUnwritable,
                        "stdout",
                        format!("cannot write the report: {e}"),
                    ))),
                    Ok(()) => Ok(()),
                }
            }
        }
    }
}

/// When `out` is a pipe, let it hold 1 MiB (Linux's default ceiling for a process,
/// `fs.pipe-max-size`) instead of 64 KiB: a report of hundreds of megabytes otherwise has
/// the writer and the reader take turns every 64 KiB. Anything else (a file, a terminal, a
/// refusal) is left as it is.
#[cfg(target_os = "linux")]
fn widen_pipe(out: &impl std::os::fd::AsRawFd) {
    const PIPE_SIZE: libc::c_int = 1 << 20;
    // SAFETY: fcntl on a descriptor this process holds open for as long as the call lasts;
    // F_SETPIPE_SZ only resizes a pipe's buffer and fails harmlessly on anything else.
    unsafe {
        libc::fcntl(out.as_raw_fd(), libc::F_SETPIPE_SZ, PIPE_SIZE);
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipe<T>(_: &T) {}

fn unwritable(path: &Path, why: String) -> miette::Report {
    miette::Report::new(
        Problem::new(
            Code::OutputUnwritable,
            path.display().to_string(),
            format!("cannot write the report: {why}"),
        )
        .with_help(
            "check that the directory exists and is writable, or leave out --output to print the report",
        ),
    )
}

/// Write through `render` to stdout.
pub fn write_output(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> miette::Result<()> {
    Output::open(output)?.write(render)
}

/// `--notify URL`: posts the summary; a failure is printed and changes nothing else.
pub(crate) fn notify(url: Option<&str>, summary: &crate::remediation::notify::Summary<'_>) {
    let Some(url) = url else { return };
    match crate::aws::webhook::post(url, &crate::remediation::notify::payload(summary)) {
        Ok(()) => eprintln!("regent: summary posted (--notify)"),
        Err(problem) => print_problems(&[problem]),
    }
}

/// The pack, whole and sound, with regent.toml read (`config`, else ./regent.toml) and
/// `selection` applied (and regent.toml's disabled controls left out when `honour_disabled`);
/// or, every problem printed, the exit status. What the commands that judge or export with
/// a pack but read no inputs start from.
pub(crate) fn selected_pack(
    builtin: bool,
    dirs: &[PathBuf],
    config: Option<&Path>,
    selection: &crate::policy::select::Selection,
    honour_disabled: bool,
) -> Result<(Pack, crate::config::Config), crate::ExitStatus> {
    let mut pack = load_pack(builtin, dirs);
    if !pack.problems.is_empty() {
        return Err(crate::ExitStatus::Error);
    }
    let config = read_config(config, &pack).map_err(|problems| {
        print_problems(&problems);
        crate::ExitStatus::Error
    })?;
    let disabled: Vec<String> = match honour_disabled {
        true => config.disabled.iter().cloned().collect(),
        false => Vec::new(),
    };
    selection.apply(&mut pack, &disabled).map_err(|problems| {
        print_problems(&problems);
        crate::ExitStatus::Error
    })?;
    Ok((pack, config))
}

/// regent.toml: `given`, else ./regent.toml when there is one, else the defaults.
pub(crate) fn read_config(
    given: Option<&Path>,
    pack: &Pack,
) -> Result<crate::config::Config, Vec<Problem>> {
    let default = Path::new(crate::config::FILE_NAME);
    let path = match given {
        Some(path) => path,
        None if default.is_file() => {
            eprintln!(
                "regent: using ./{} (pass --config to choose another file)",
                crate::config::FILE_NAME
            );
            default
        }
        None => return Ok(crate::config::Config::default()),
    };
    crate::config::load(path, pack)
}
