//! One page of a paged operation ([`Page`]) and every item of it, page after page
//! ([`ItemStream`]).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;

/// One page of a paged operation and where it is in the whole list (the answer's paging
/// fields, absent when the server left them out).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Items in the whole list.
    pub total_docs: Option<i64>,
    /// Items per page.
    pub limit: Option<i64>,
    /// This page's number, from 1.
    pub page: Option<i64>,
    /// Pages in the whole list.
    pub total_pages: Option<i64>,
    /// Whether a page comes after this one.
    pub has_next_page: Option<bool>,
    /// The next page's number.
    pub next_page: Option<i64>,
}

/// A page of collaborators (`list_collaborators`).
pub type CollaboratorPage = Page<crate::Collaborator>;

impl<T> Page<T> {
    /// The number of the page after this one (`requested` is the one asked for), or `None` at
    /// the end.
    pub fn following(&self, requested: u64) -> Option<u64> {
        crate::paging::next_page(
            requested,
            self.items.len(),
            self.has_next_page,
            self.next_page,
            self.total_pages,
        )
    }
}

/// A page being fetched (`Send` natively; nothing is on wasm32).
#[cfg(not(target_arch = "wasm32"))]
type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;
#[cfg(target_arch = "wasm32")]
type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>>>>;

#[cfg(not(target_arch = "wasm32"))]
type Fetch<T> = Box<dyn FnMut(u64) -> PageFuture<T> + Send>;
#[cfg(target_arch = "wasm32")]
type Fetch<T> = Box<dyn FnMut(u64) -> PageFuture<T>>;

/// Every item of a paged call; see [`crate::Call::stream`]. Owns what it needs (`'static`, and
/// `Send` natively); dropping it stops: no page is asked for after that.
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<T> {
    fetch: Fetch<T>,
    next_page: Option<u64>,
    buffer: std::vec::IntoIter<T>,
    pending: Option<(u64, PageFuture<T>)>,
}

/// Every collaborator of `list_collaborators`.
pub type CollaboratorStream = ItemStream<crate::Collaborator>;

impl<T: Send + 'static> ItemStream<T> {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn new(fetch: impl FnMut(u64) -> PageFuture<T> + Send + 'static) -> Self {
        Self::from_fetch(Box::new(fetch))
    }

    #[cfg(target_arch = "wasm32")]
    pub(crate) fn new(fetch: impl FnMut(u64) -> PageFuture<T> + 'static) -> Self {
        Self::from_fetch(Box::new(fetch))
    }

    fn from_fetch(fetch: Fetch<T>) -> Self {
        ItemStream {
            fetch,
            next_page: Some(1),
            buffer: Vec::new().into_iter(),
            pending: None,
        }
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream")
            .field("next_page", &self.next_page)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<T> Unpin for ItemStream<T> {}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((requested, pending)) = this.pending.as_mut() {
                let result = std::task::ready!(pending.as_mut().poll(cx));
                let requested = *requested;
                this.pending = None;
                match result {
                    Ok(page) => {
                        this.next_page = page.following(requested);
                        this.buffer = page.items.into_iter();
                        continue;
                    }
                    Err(error) => {
                        this.next_page = None;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
            let Some(page) = this.next_page.take() else {
                return Poll::Ready(None);
            };
            this.pending = Some((page, (this.fetch)(page)));
        }
    }
}
