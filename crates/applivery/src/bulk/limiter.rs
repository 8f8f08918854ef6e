//! How many requests a bulk run keeps in flight, adapted to the server's push-back (AIMD).
//!
//! A 429 (or 503) halves the limit and pauses every new send until the server's `Retry-After`;
//! each window of successes without push-back raises it by one, up to the run's concurrency.
//! Only one halving per window counts: when 64 requests in flight all see the same 429, the
//! limit drops once, not 64 times (they were sent before the first decrease, so their
//! push-back is old news). Time is the driver's: a [`Duration`] since the run began.

use std::time::Duration;

/// Pause after a push-back that carries no `Retry-After`.
const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// Longest pause honoured, whatever the server asks: the run keeps moving.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Whether a request may start now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Room {
    /// Yes.
    Free,
    /// Every slot is taken: wait for an answer.
    Full,
    /// Paused by a push-back until then.
    PausedUntil(Duration),
}

/// The adaptive limit of one run.
#[derive(Clone, Debug)]
pub(crate) struct Limiter {
    max: usize,
    limit: usize,
    in_flight: usize,
    /// Successes since the limit last changed.
    successes: usize,
    /// Incremented at each decrease; a request remembers the epoch it was sent in.
    epoch: u64,
    pause_until: Duration,
    push_backs: u64,
    lowest: usize,
}

impl Limiter {
    /// Up to `max` requests in flight (at least 1), starting at `max`.
    pub(crate) fn new(max: usize) -> Self {
        let max = max.max(1);
        Limiter {
            max,
            limit: max,
            in_flight: 0,
            successes: 0,
            epoch: 0,
            pause_until: Duration::ZERO,
            push_backs: 0,
            lowest: max,
        }
    }

    pub(crate) fn room(&self, now: Duration) -> Room {
        if self.in_flight >= self.limit {
            Room::Full
        } else if self.pause_until > now {
            Room::PausedUntil(self.pause_until)
        } else {
            Room::Free
        }
    }

    /// A request starts; returns its epoch.
    pub(crate) fn take(&mut self) -> u64 {
        self.in_flight += 1;
        self.epoch
    }

    /// A request got an answer that says nothing about load (success or a definitive error):
    /// one step towards a higher limit.
    pub(crate) fn success(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.successes += 1;
        if self.successes >= self.limit && self.limit < self.max {
            self.successes = 0;
            self.limit += 1;
        }
    }

    /// A request ended without a verdict on load (a network failure, a 5xx other than 503).
    pub(crate) fn release(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// The server pushed back (429, 503) on a request sent in `epoch`: halve the limit once per
    /// window and pause new sends for `retry_after`.
    pub(crate) fn push_back(&mut self, epoch: u64, retry_after: Option<Duration>, now: Duration) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.push_backs += 1;
        let until = now + retry_after.unwrap_or(DEFAULT_PAUSE).min(MAX_PAUSE);
        self.pause_until = self.pause_until.max(until);
        if epoch == self.epoch {
            self.limit = (self.limit / 2).max(1);
            self.successes = 0;
            self.epoch += 1;
            self.lowest = self.lowest.min(self.limit);
        }
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    pub(crate) fn lowest(&self) -> usize {
        self.lowest
    }

    pub(crate) fn push_backs(&self) -> u64 {
        self.push_backs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Duration = Duration::ZERO;

    #[test]
    fn push_back_halves_once_per_window_and_pauses() {
        let mut limiter = Limiter::new(8);
        let epochs: Vec<u64> = (0..8).map(|_| limiter.take()).collect();
        assert_eq!(limiter.room(T0), Room::Full);
        for epoch in epochs {
            limiter.push_back(epoch, Some(Duration::from_secs(2)), T0);
        }
        assert_eq!(limiter.limit(), 4);
        assert_eq!(limiter.push_backs(), 8);
        assert_eq!(limiter.room(T0), Room::PausedUntil(Duration::from_secs(2)));
        assert_eq!(limiter.room(Duration::from_secs(2)), Room::Free);
    }

    #[test]
    fn successes_raise_the_limit_back_to_the_maximum() {
        let mut limiter = Limiter::new(4);
        let epoch = limiter.take();
        limiter.push_back(epoch, None, T0);
        let epoch = limiter.take();
        limiter.push_back(epoch, None, T0);
        assert_eq!((limiter.limit(), limiter.lowest()), (1, 1));
        for _ in 0..100 {
            limiter.take();
            limiter.success();
        }
        assert_eq!(limiter.limit(), 4);
    }

    #[test]
    fn the_limit_never_drops_below_one_and_pauses_are_capped() {
        let mut limiter = Limiter::new(2);
        for _ in 0..5 {
            let epoch = limiter.take();
            limiter.push_back(epoch, Some(Duration::from_secs(3600)), T0);
        }
        assert_eq!(limiter.limit(), 1);
        assert_eq!(limiter.room(T0), Room::PausedUntil(MAX_PAUSE));
    }
}
