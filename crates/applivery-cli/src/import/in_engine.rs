//! The rows the engine holds, by input index: where each one's journal slot is, for the
//! `before_send` hook that journals `started`, and which were journaled, for the recorder.
//!
//! The engine numbers only the rows it is given; the file's position and fingerprint of each
//! are kept here from the moment the reader hands it over until its outcome is recorded, so
//! this holds no more rows than the engine and the channels between.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use applivery::NewOemUser;

use crate::journal::{JournalError, JournalHandle};

/// The sync of a row's `started` entry.
pub(super) type Started = Pin<Box<dyn Future<Output = Result<(), JournalError>> + Send>>;

/// Shared by the reader (push), the hook (look up) and the recorder (pop).
#[derive(Clone, Default)]
pub(super) struct InEngine {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// Engine index of the front row.
    first: u64,
    /// (position in the file, fingerprint) of each row, in engine order.
    rows: VecDeque<(u64, u64)>,
    /// Rows with index below this got a `started` entry (the hook runs in index order).
    journaled_below: u64,
    /// The row whose `started` entry failed, and why.
    failed: Option<(u64, String)>,
}

impl InEngine {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Plain numbers: nothing a panic elsewhere leaves half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The reader gives the engine its next input: the row at `position`.
    pub(super) fn push(&self, position: u64, fingerprint: u64) {
        self.lock().rows.push_back((position, fingerprint));
    }

    /// The recorder took the engine's next outcome: forgets its row. Returns whether the row
    /// got a `started` entry (then it needs a `done`), or why writing it failed.
    pub(super) fn pop(&self) -> Result<bool, String> {
        let mut state = self.lock();
        let index = state.first;
        state.first += 1;
        state.rows.pop_front();
        match &state.failed {
            Some((failed, why)) if *failed == index => Err(why.clone()),
            _ => Ok(index < state.journaled_below),
        }
    }

    /// The `before_send` hook: queues the row's `started` entry with the journal's batching
    /// writer and returns the wait for its sync, so the engine sends the row only once it is
    /// on disk while the syncs of the rows read ahead overlap the requests in flight.
    pub(super) fn hook(
        &self,
        journal: JournalHandle,
    ) -> impl Fn(u64, &NewOemUser) -> Started + Send + Sync + 'static {
        let this = self.clone();
        move |index, _| {
            let durable = {
                let mut state = this.lock();
                let at = usize::try_from(index - state.first).expect("a row in the engine");
                let (position, fingerprint) = state.rows[at];
                state.journaled_below = state.journaled_below.max(index + 1);
                journal.begin_started(position, fingerprint)
            };
            let this = this.clone();
            Box::pin(async move {
                let written = durable.wait().await;
                if let Err(e) = &written {
                    this.lock().failed.get_or_insert((index, e.to_string()));
                }
                written
            })
        }
    }
}
