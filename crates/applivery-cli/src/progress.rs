//! Progress of an import on stderr: a bar with rate and ETA on a terminal, plain periodic lines
//! otherwise (logs, CI, pipes).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::outcome::Outcome;
use crate::summary::Counts;

/// How often a plain progress line is printed.
const PLAIN_INTERVAL: Duration = Duration::from_secs(2);

/// Progress display for the rows sent by this run.
pub struct Progress {
    total: u64,
    done: u64,
    started: Instant,
    mode: Mode,
}

enum Mode {
    Bar(ProgressBar),
    Plain { last_line: Instant },
    Quiet,
}

impl Progress {
    /// A display for `total` rows to send: a bar if stderr is a terminal, else plain lines.
    pub fn new(total: u64, quiet: bool) -> Progress {
        let mode = if quiet || total == 0 {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} rows  {rate}  ETA {eta}  {msg}")
                    .expect("the template is valid")
                    .with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.0} rows/s", state.per_sec());
                        },
                    ),
            );
            Mode::Bar(bar)
        } else {
            eprintln!("progress: sending {total} rows");
            Mode::Plain {
                last_line: Instant::now(),
            }
        };
        Progress {
            total,
            done: 0,
            started: Instant::now(),
            mode,
        }
    }

    /// One row of this run finished.
    pub fn row_done(&mut self, counts: &Counts, limit: usize) {
        self.done += 1;
        match &mut self.mode {
            Mode::Bar(bar) => {
                bar.set_position(self.done);
                bar.set_message(short_counts(counts, limit));
            }
            Mode::Plain { last_line } => {
                if last_line.elapsed() >= PLAIN_INTERVAL {
                    *last_line = Instant::now();
                    eprintln!("{}", self.line(counts, limit));
                }
            }
            Mode::Quiet => {}
        }
    }

    fn line(&self, counts: &Counts, limit: usize) -> String {
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 {
            self.done as f64 / elapsed
        } else {
            0.0
        };
        let remaining = self.total.saturating_sub(self.done);
        let eta = if rate > 0.0 {
            format!("{:.0}s", remaining as f64 / rate)
        } else {
            "?".to_owned()
        };
        format!(
            "progress: {}/{} rows ({:.0}%), {}; {rate:.1} rows/s, ETA {eta}",
            self.done,
            self.total,
            100.0 * self.done as f64 / self.total.max(1) as f64,
            short_counts(counts, limit),
        )
    }

    /// The run is over: clear the bar, or print a last plain line (the summary follows).
    pub fn finish(self, counts: &Counts, limit: usize) {
        match &self.mode {
            Mode::Bar(bar) => bar.finish_and_clear(),
            Mode::Plain { .. } => eprintln!("{}", self.line(counts, limit)),
            Mode::Quiet => {}
        }
    }
}

fn short_counts(counts: &Counts, limit: usize) -> String {
    format!(
        "{} created, {} already registered, {} failed, concurrency {limit}",
        counts.get(Outcome::Created),
        counts.get(Outcome::AlreadyRegistered),
        counts.get(Outcome::Failed),
    )
}
