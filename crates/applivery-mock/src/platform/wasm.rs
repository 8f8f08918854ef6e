//! The platform layer on `wasm32-unknown-unknown`, from JavaScript: `Date.now()`,
//! `performance.now()` where there is one, `setTimeout` and `Math.random()`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: f64);
}

/// Milliseconds since the Unix epoch (wall clock).
pub(crate) fn unix_millis() -> u64 {
    js_sys::Date::now() as u64
}

/// A monotonic clock in milliseconds where the runtime has `performance.now()`, else the wall
/// clock (good enough for a one-second rate window).
pub(crate) fn monotonic_millis() -> u64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = performance.and_then(|performance| {
        let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
        let now = now.dyn_into::<js_sys::Function>().ok()?;
        now.call0(&performance).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now) as u64
}

/// Completes after `duration`, through `setTimeout`. `Send` (the waker sits behind a mutex and
/// the JS callback is handed to JS), so the mock's handlers stay what axum asks for.
pub(crate) fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
    Sleep {
        millis: duration.as_secs_f64() * 1000.0,
        state: Arc::new(Mutex::new(SleepState::default())),
        started: false,
    }
}

/// A mock's secret need not be cryptographic, only different in every run: `Math.random()`
/// gives 52 bits a call.
pub(crate) fn random_u64() -> u64 {
    let high = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let low = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (high << 32) | low
}

#[derive(Default)]
struct SleepState {
    done: bool,
    waker: Option<Waker>,
}

struct Sleep {
    millis: f64,
    state: Arc<Mutex<SleepState>>,
    started: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.done {
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        drop(state);
        if !self.started {
            self.started = true;
            let shared = self.state.clone();
            let callback = Closure::once_into_js(move || {
                let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                state.done = true;
                if let Some(waker) = state.waker.take() {
                    waker.wake();
                }
            });
            set_timeout(callback.unchecked_ref(), self.millis);
        }
        Poll::Pending
    }
}
