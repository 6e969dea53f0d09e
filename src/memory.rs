//! Give the memory one phase of a run freed back to the system before the next phase.
//!
//! The `regent` binary allocates with mimalloc. A phase that frees millions of small
//! values (the items' texts and values after evaluation) leaves that memory resident in the
//! allocator, which the next phase's large allocations (the report's rows) do not reuse, so
//! the peak would be the sum of both. Collecting between phases returns it.

extern "C" {
    /// mimalloc's `mi_collect`: free what the calling thread's heap holds unused and, with
    /// `force`, return it to the operating system.
    fn mi_collect(force: bool);
}

/// Return freed memory to the system, from every worker thread's heap and this thread's
/// (a no-op for memory mimalloc does not manage).
pub fn release_freed() {
    // SAFETY: mi_collect takes no pointers and may be called at any time from any thread.
    rayon::broadcast(|_| unsafe { mi_collect(true) });
    unsafe { mi_collect(true) }
}
