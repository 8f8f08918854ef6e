//! Ctrl-C for bulk runs: the first stops the run (nothing new leaves, the requests in flight
//! finish and are recorded); a second exits at once (the journal keeps the run resumable).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use applivery::BulkControl;

use crate::exit_code;

/// Watches for Ctrl-C on behalf of the run `control` steers; the flag says whether it came.
pub fn watch(control: BulkControl) -> Arc<AtomicBool> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        flag.store(true, Ordering::SeqCst);
        control.stop();
        eprintln!(
            "applivery: interrupted: finishing the requests in flight (Ctrl-C again to quit now; \
             rerun the same command to resume)"
        );
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(i32::from(exit_code::INTERRUPTED));
        }
    });
    interrupted
}
