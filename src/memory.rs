//! Give the memory one phase of a run freed back to the system before the next phase.
//!
//! The `regent` binary allocates with mimalloc. A phase that frees millions of small
//! values (the items' texts and values after evaluation) leaves that memory resident in the
//! allocator, which the next phase's large allocations (the report's rows) do not reuse, so
//! the peak would be the sum of both. Collecting between phases returns it.

/// Return freed memory to the system, from every worker thread's heap and this thread's
/// (a no-op for memory mimalloc does not manage).
pub fn release_freed() {
    // mi_collect frees what the calling thread's heap holds unused and, forced, returns it
    // to the operating system.
    // SAFETY: it takes no pointers and may be called at any time from any thread.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    unsafe { libmimalloc_sys::mi_collect(true) }
}
