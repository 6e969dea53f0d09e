//! The `regent` binary: parse arguments, run, map the outcome to an exit code. It chooses
//! the allocator, so it alone calls it (`release_freed`, lent to the library as a hook).

use std::process::ExitCode;

// Parsing allocates and frees millions of small nodes across threads; mimalloc keeps that
// fast and returns memory instead of fragmenting it (peak RSS at 100k items fell from
// 2.8 GB with the system allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack for each worker: the engines recurse on nested values and calls (bounded at 128
/// levels of each), which a thread's default 2 MiB may not hold; only what is used is
/// committed.
const WORKER_STACK: usize = 64 << 20;

fn main() -> ExitCode {
    let cli = regent::cli::parse();
    // The global pool is built once, here; should that fail, rayon's default pool serves.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    let hooks = regent::Hooks {
        release_memory: regent::eval::ReleaseMemory(release_freed),
    };
    match regent::run(cli, hooks) {
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

/// Give the memory one phase of a run freed back to the system before the next phase.
///
/// A phase that frees millions of small values (an evaluation pass's parsed items, the
/// inventory) leaves that memory resident in mimalloc, where the next phase (the other
/// pass's verdicts, the report's rows) does not always reuse it, so the peak would be the
/// sum of both. Collecting between phases returns it, from every worker thread's heap and
/// this thread's.
fn release_freed() {
    // mi_collect frees what the calling thread's heap holds unused and, forced, returns it
    // to the operating system.
    // SAFETY: it takes no pointers and may be called at any time from any thread.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) }
}
