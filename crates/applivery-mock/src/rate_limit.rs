//! A fixed one-second window counter: the simplest limiter that answers 429 past N per second.

use std::sync::Mutex;

use crate::platform::monotonic_millis;

pub(crate) struct RateLimiter {
    per_second: u32,
    window: Mutex<Window>,
}

struct Window {
    /// When the window started, in [`monotonic_millis`].
    started: u64,
    count: u32,
}

impl RateLimiter {
    pub(crate) fn new(per_second: u32) -> RateLimiter {
        RateLimiter {
            per_second,
            window: Mutex::new(Window {
                started: monotonic_millis(),
                count: 0,
            }),
        }
    }

    /// Counts one request; `Err(seconds)` (for `Retry-After`) when it is over the limit.
    pub(crate) fn check(&self) -> Result<(), u64> {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let now = monotonic_millis();
        if now.saturating_sub(window.started) >= 1000 {
            window.started = now;
            window.count = 0;
        }
        window.count = window.count.saturating_add(1);
        if window.count <= self.per_second {
            Ok(())
        } else {
            // The window ends within a second; Retry-After has whole seconds, so 1.
            Err(1)
        }
    }

    /// Starts a fresh window, as after `POST /__mock/reset`.
    pub(crate) fn reset(&self) {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        window.started = monotonic_millis();
        window.count = 0;
    }
}
