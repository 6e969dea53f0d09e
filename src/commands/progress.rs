//! Progress on a terminal (never on a pipe, a file or in CI logs, and not with `--quiet`):
//! objects listed and fetched from S3 or AWS Config, inputs loaded and items read while
//! loading, then what is being evaluated. Every line
//! goes to stderr and is cleared when the run ends.

use crate::pipeline::Observer;
use crate::source::Tally;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A spinner with counts, shown only when asked (`enabled`: stderr is a terminal and no
/// `--quiet`).
pub struct Progress {
    bar: Option<ProgressBar>,
    inputs: AtomicUsize,
    items: AtomicUsize,
    /// Objects (S3) or resources (AWS Config) listed, and fetched.
    listed: AtomicUsize,
    fetched: AtomicUsize,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            // Drawn nowhere at first: a run that ends within the first second leaves no
            // flicker; a longer one shows the line from then on.
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar.set_message("reading inputs");
            show_after(bar.clone(), Duration::from_secs(1));
            bar
        });
        Progress {
            bar,
            inputs: AtomicUsize::new(0),
            items: AtomicUsize::new(0),
            listed: AtomicUsize::new(0),
            fetched: AtomicUsize::new(0),
        }
    }

    /// Say what is happening now.
    pub fn say(&self, message: impl Into<std::borrow::Cow<'static, str>>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Count one more step of a task of `total` (fixtures run, say).
    pub fn step(&self, done: usize, total: usize, what: &str) {
        self.say(format!("{done}/{total} {what}"));
    }

    /// Remove the line: the run is over.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Draws `bar` on stderr once `delay` has passed, unless it has finished by then.
fn show_after(bar: ProgressBar, delay: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        if !bar.is_finished() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    });
}

impl Progress {
    /// What has been read so far, from where.
    fn say_read(&self) {
        let count = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        let read = format!(
            "read {} inputs, {} items",
            count(&self.inputs),
            count(&self.items)
        );
        let listed = count(&self.listed);
        if listed == 0 {
            self.say(read);
        } else {
            let fetched = count(&self.fetched);
            self.say(format!("listed {listed}, fetched {fetched}; {read}"));
        }
    }
}

impl Tally for Progress {
    fn listed(&self, count: usize) {
        self.listed.fetch_add(count, Ordering::Relaxed);
        self.say_read();
    }

    fn fetched(&self, count: usize) {
        self.fetched.fetch_add(count, Ordering::Relaxed);
        self.say_read();
    }
}

impl Observer for Progress {
    fn document_loaded(&self, items_read: usize) {
        self.inputs.fetch_add(1, Ordering::Relaxed);
        self.items.fetch_add(items_read, Ordering::Relaxed);
        self.say_read();
    }

    fn phase(&self, name: &'static str, _steps: &[(&'static str, Duration)]) {
        let items = self.items.load(Ordering::Relaxed);
        match name {
            "load" => self.say(format!("indexing {items} items")),
            "inventory" => self.say(format!("evaluating {items} items")),
            "evaluate" => self.say("writing the report"),
            _ => {}
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Two observers as one (progress and timings).
pub struct Both<'a>(pub &'a dyn Observer, pub &'a dyn Observer);

impl Observer for Both<'_> {
    fn document_loaded(&self, items_read: usize) {
        self.0.document_loaded(items_read);
        self.1.document_loaded(items_read);
    }

    fn phase(&self, name: &'static str, steps: &[(&'static str, Duration)]) {
        self.0.phase(name, steps);
        self.1.phase(name, steps);
    }
}
