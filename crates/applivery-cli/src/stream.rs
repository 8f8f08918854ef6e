//! Awaiting a `futures_core::Stream` without the `futures` crate.

use std::pin::Pin;

use futures_core::Stream;

/// The next item of a stream.
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}
