//! Give the memory one phase of a run freed back to the system before the next phase.
//!
//! The `regent` binary allocates with mimalloc. A phase that frees millions of small
//! values (an evaluation pass's parsed items, the inventory) leaves that memory resident in
//! the allocator, where the next phase (the other pass's verdicts, the report's rows) does
//! not always reuse it, so the peak would be the sum of both. Collecting between phases
//! returns it.

/// Return freed memory to the system, from every worker thread's heap and this thread's
/// (a no-op for memory mimalloc does not manage).
pub fn release_freed() {
    // mi_collect frees what the calling thread's heap holds unused and, forced, returns it
    // to the operating system.
    // SAFETY: it takes no pointers and may be called at any time from any thread.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) }
}
