//! The shared concurrency limit of an import, adapted to the server's push-back (AIMD).
//!
//! Every request holds a [`Permit`]. A 429 (or 503) halves the limit and pauses everyone until
//! the server's `Retry-After`; each window of successes without push-back raises it by one, up
//! to `--concurrency`. Only one halving per window counts: when 64 requests in flight all see the
//! same 429, the limit drops once, not 64 times (the requests were sent before the first
//! decrease, so their push-back is old news).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Pause after a 429 that carries no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// Longest pause honoured, whatever the server asks: the import keeps moving.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// The adaptive limiter, shared by every request of one import.
#[derive(Clone)]
pub struct Limiter {
    shared: Arc<Shared>,
}

struct Shared {
    semaphore: Arc<Semaphore>,
    state: Mutex<State>,
}

struct State {
    max: usize,
    /// The current limit: permits in circulation minus `debt`.
    limit: usize,
    /// Permits to retire as they come back, after a decrease.
    debt: usize,
    /// Successes since the limit last changed.
    successes: usize,
    /// Incremented at each decrease; a permit remembers the epoch it was taken in.
    epoch: u64,
    pause_until: Option<Instant>,
    decreases: u64,
    push_backs: u64,
    lowest: usize,
}

/// The right to have one request in flight.
pub struct Permit {
    permit: Option<OwnedSemaphorePermit>,
    epoch: u64,
    shared: Arc<Shared>,
}

impl Limiter {
    /// A limiter allowing up to `max` requests in flight (at least 1), starting at `max`.
    pub fn new(max: usize) -> Limiter {
        let max = max.max(1);
        Limiter {
            shared: Arc::new(Shared {
                semaphore: Arc::new(Semaphore::new(max)),
                state: Mutex::new(State {
                    max,
                    limit: max,
                    debt: 0,
                    successes: 0,
                    epoch: 0,
                    pause_until: None,
                    decreases: 0,
                    push_backs: 0,
                    lowest: max,
                }),
            }),
        }
    }

    /// Waits for a free slot and for any pause to end.
    pub async fn acquire(&self) -> Permit {
        let permit = Arc::clone(&self.shared.semaphore)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        loop {
            let pause_until = self.shared.lock().pause_until;
            match pause_until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => break,
            }
        }
        Permit {
            permit: Some(permit),
            epoch: self.shared.lock().epoch,
            shared: Arc::clone(&self.shared),
        }
    }

    /// The current limit.
    pub fn limit(&self) -> usize {
        self.shared.lock().limit
    }

    /// How many times the limit was halved.
    pub fn decreases(&self) -> u64 {
        self.shared.lock().decreases
    }

    /// How many push-backs (429, 503) requests reported.
    pub fn push_backs(&self) -> u64 {
        self.shared.lock().push_backs
    }

    /// The lowest limit reached.
    pub fn lowest_limit(&self) -> usize {
        self.shared.lock().lowest
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the counters half-updated in a way that
        // matters more than stopping the import would.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Permit {
    /// The request succeeded (or got a definitive answer): one step towards a higher limit.
    pub fn success(self) {
        let mut state = self.shared.lock();
        state.successes += 1;
        if state.successes >= state.limit && state.limit < state.max {
            state.successes = 0;
            state.limit += 1;
            if state.debt > 0 {
                state.debt -= 1;
            } else {
                self.shared.semaphore.add_permits(1);
            }
        }
    }

    /// The server pushed back (429, 503): halve the limit once per window and pause everyone
    /// for `retry_after`.
    pub fn push_back(self, retry_after: Option<Duration>) {
        let mut state = self.shared.lock();
        state.push_backs += 1;
        let pause = retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        let until = Instant::now() + pause;
        if state.pause_until.is_none_or(|current| current < until) {
            state.pause_until = Some(until);
        }
        if self.epoch == state.epoch {
            let halved = (state.limit / 2).max(1);
            state.debt += state.limit - halved;
            state.limit = halved;
            state.successes = 0;
            state.epoch += 1;
            state.decreases += 1;
            state.lowest = state.lowest.min(halved);
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let mut state = self.shared.lock();
        if state.debt > 0 {
            state.debt -= 1;
            permit.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many permits can be taken right now without waiting.
    async fn available(limiter: &Limiter) -> Vec<Permit> {
        let mut permits = Vec::new();
        while let Ok(Some(permit)) = tokio::time::timeout(Duration::from_millis(5), async {
            Some(limiter.acquire().await)
        })
        .await
        {
            permits.push(permit);
        }
        permits
    }

    #[tokio::test(start_paused = true)]
    async fn push_back_halves_once_per_window_and_pauses() {
        let limiter = Limiter::new(8);
        let permits = available(&limiter).await;
        assert_eq!(permits.len(), 8);
        let started = Instant::now();
        // All eight in flight see the same 429: one halving.
        for permit in permits {
            permit.push_back(Some(Duration::from_secs(2)));
        }
        assert_eq!(limiter.limit(), 4);
        assert_eq!(limiter.decreases(), 1);
        let first = limiter.acquire().await;
        assert!(Instant::now() - started >= Duration::from_secs(2), "paused");
        drop(first);
        assert_eq!(available(&limiter).await.len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn successes_raise_the_limit_back_to_the_maximum() {
        let limiter = Limiter::new(4);
        limiter.acquire().await.push_back(None);
        limiter.acquire().await.push_back(None);
        assert_eq!(limiter.limit(), 1);
        for _ in 0..100 {
            limiter.acquire().await.success();
        }
        assert_eq!(limiter.limit(), 4);
        assert_eq!(available(&limiter).await.len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn the_limit_never_drops_below_one() {
        let limiter = Limiter::new(2);
        for _ in 0..5 {
            limiter
                .acquire()
                .await
                .push_back(Some(Duration::from_millis(10)));
        }
        assert_eq!(limiter.limit(), 1);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(available(&limiter).await.len(), 1);
    }
}
