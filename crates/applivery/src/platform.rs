//! What differs between native and wasm32 for the client: sleeping, the clock, randomness.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future: `Send` natively, where tasks move between threads; not on wasm32, where
/// JavaScript's futures are not.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// A boxed future: `Send` natively; not on wasm32, where JavaScript's futures are not.
#[cfg(target_arch = "wasm32")]
pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Waits `duration` on the platform's timer.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// Waits `duration` with the JavaScript `setTimeout` (browsers and Node).
#[cfg(target_arch = "wasm32")]
pub(crate) async fn sleep(duration: Duration) {
    use wasm_bindgen::JsCast;
    let millis = duration.as_millis().min(i32::MAX as u128) as i32;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(&global, &resolve, &millis.into());
            }
            None => {
                let _ = resolve.call0(&global);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A monotonic-enough clock: `std::time::Instant` natively, `Date.now()` on wasm32 (where
/// `Instant::now` panics).
#[derive(Clone, Copy)]
pub(crate) struct Stopwatch {
    #[cfg(not(target_arch = "wasm32"))]
    start: std::time::Instant,
    #[cfg(target_arch = "wasm32")]
    start_ms: f64,
}

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Stopwatch {
            #[cfg(not(target_arch = "wasm32"))]
            start: std::time::Instant::now(),
            #[cfg(target_arch = "wasm32")]
            start_ms: js_sys::Date::now(),
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.start.elapsed()
        }
        #[cfg(target_arch = "wasm32")]
        {
            Duration::from_secs_f64(((js_sys::Date::now() - self.start_ms) / 1000.0).max(0.0))
        }
    }
}

/// A uniform number in `[0, 1)` for backoff jitter. Not cryptographic, and need not be.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is randomly keyed per process; hashing a counter gives independent values.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// A uniform number in `[0, 1)` for backoff jitter.
#[cfg(target_arch = "wasm32")]
pub(crate) fn random_unit() -> f64 {
    js_sys::Math::random()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn random_unit_is_in_range_and_varies() {
        let values: Vec<f64> = (0..100).map(|_| super::random_unit()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        assert!(values.windows(2).any(|w| w[0] != w[1]));
    }
}
