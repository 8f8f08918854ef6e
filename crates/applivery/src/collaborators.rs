//! Listing an organization's collaborators: one page, or all of them as a [`Stream`] that
//! fetches the next page only when the current one is used up (memory holds one page).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Collaborator;
use crate::classify::WireDecoder;
use crate::client::{Client, call_span};
use crate::error::Error;
use crate::list_query::ListQuery;
use crate::request::CallOptions;
use crate::transport::Request;

/// A list of the organization's collaborators, with filters; returned by
/// [`Client::list_collaborators`] and [`crate::Organization::list_collaborators`].
///
/// ```no_run
/// # async fn run(client: applivery::Client) -> Result<(), applivery::Error> {
/// use futures_core::Stream;
/// let list = client.list_collaborators("my-org").role("unassigned").tag("beta");
/// let first = list.page(1).await?; // one page, with its paging fields
/// println!("{} of {}", first.items.len(), first.total_docs.unwrap_or_default());
/// let mut all = std::pin::pin!(list.stream()); // every collaborator, page after page
/// # let _ = &mut all;
/// # Ok(())
/// # }
/// ```
///
/// Every call is retried like a create (a `GET` is always safe to repeat). The filters are
/// checked against the spec before anything is sent: `sort` is `field`, `field:asc` or
/// `field:desc`; `role` one of the documented roles; `email` at most 256 characters.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until a page or the stream is awaited"]
pub struct ListCollaborators<'a> {
    client: &'a Client,
    organization_id: &'a str,
    query: ListQuery,
}

/// One page of collaborators and where it is in the whole list (the answer's paging fields,
/// absent when the server left them out).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CollaboratorPage {
    /// The collaborators of this page.
    pub items: Vec<Collaborator>,
    /// Collaborators in the whole list.
    pub total_docs: Option<i64>,
    /// Collaborators per page.
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

impl CollaboratorPage {
    /// The number of the page after this one (`requested` is the one asked for), or `None` at
    /// the end.
    fn following(&self, requested: u64) -> Option<u64> {
        crate::paging::next_page(
            requested,
            self.items.len(),
            self.has_next_page,
            self.next_page,
            self.total_pages,
        )
    }
}

impl<'a> ListCollaborators<'a> {
    pub(crate) fn new(client: &'a Client, organization_id: &'a str) -> Self {
        ListCollaborators {
            client,
            organization_id,
            query: ListQuery::default(),
        }
    }

    /// Collaborators per page (`limit`); the server may cap it.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.query.page_size = page_size.max(1);
        self
    }

    /// The order: `field`, `field:asc` or `field:desc` (`createdAt:desc`).
    pub fn sort(mut self, sort: impl Into<String>) -> Self {
        self.query.sort = Some(sort.into());
        self
    }

    /// Only collaborators of this role (`owner`, `admin`, `editor`, `viewer`, `unassigned`).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.query.role = Some(role.into());
        self
    }

    /// Only collaborators with this email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.query.email = Some(email.into());
        self
    }

    /// Only collaborators with this tag (call again for more tags).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.query.tags.push(tag.into());
        self
    }

    /// Only collaborators that are users (`onlyUsers`).
    pub fn only_users(mut self, only_users: bool) -> Self {
        self.query.only_users = Some(only_users);
        self
    }

    /// Page `page` (from 1) of the list.
    pub async fn page(&self, page: u64) -> Result<CollaboratorPage, Error> {
        let span = call_span!("applivery.list_collaborators", page);
        let request = self.request(page);
        self.client
            .call(
                span,
                self.organization_id,
                request,
                &PageDecoder,
                CallOptions::default(),
            )
            .await
    }

    /// Every collaborator of the list, page after page: the next page is fetched when the
    /// current one is used up, so memory holds one page whatever the list's length. An error
    /// ends the stream after it is yielded.
    pub fn stream(self) -> CollaboratorStream<'a> {
        CollaboratorStream {
            list: self,
            next_page: Some(1),
            buffer: Vec::new().into_iter(),
            pending: None,
        }
    }

    /// The request for `page`, or why it may not be sent (every problem at once).
    fn request(&self, page: u64) -> Result<Request, Error> {
        Ok(Request {
            method: reqwest::Method::GET,
            path: self.query.path(self.organization_id, page)?,
            body: None,
        })
    }
}

/// The page envelope through the generated wire types.
struct PageDecoder;

impl WireDecoder for PageDecoder {
    type Output = CollaboratorPage;

    fn success(&self, body: &[u8]) -> Result<CollaboratorPage, String> {
        let envelope: applivery_api::types::CollaboratorListResponse =
            serde_json::from_slice(body).map_err(|e| crate::body_shape::describe(&e))?;
        let data = envelope.data;
        Ok(CollaboratorPage {
            items: data.items.into_iter().map(Collaborator::from).collect(),
            total_docs: data.total_docs,
            limit: data.limit,
            page: data.page,
            total_pages: data.total_pages,
            has_next_page: data.has_next_page,
            next_page: data.next_page,
        })
    }

    fn error(&self, body: &[u8]) -> Option<applivery_api::types::ErrorResponse> {
        serde_json::from_slice(body).ok()
    }
}

/// A page being fetched, with the number asked for. `Send` natively; in wasm32 nothing is.
#[cfg(not(target_arch = "wasm32"))]
type PageFuture<'a> =
    Pin<Box<dyn Future<Output = (u64, Result<CollaboratorPage, Error>)> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
type PageFuture<'a> = Pin<Box<dyn Future<Output = (u64, Result<CollaboratorPage, Error>)> + 'a>>;

/// Every collaborator of a [`ListCollaborators`]; see [`ListCollaborators::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct CollaboratorStream<'a> {
    list: ListCollaborators<'a>,
    next_page: Option<u64>,
    buffer: std::vec::IntoIter<Collaborator>,
    pending: Option<PageFuture<'a>>,
}

impl std::fmt::Debug for CollaboratorStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CollaboratorStream")
            .field("next_page", &self.next_page)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl Stream for CollaboratorStream<'_> {
    type Item = Result<Collaborator, Error>;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Collaborator, Error>>> {
        let this = self.get_mut();
        loop {
            if let Some(collaborator) = this.buffer.next() {
                return Poll::Ready(Some(Ok(collaborator)));
            }
            if let Some(pending) = this.pending.as_mut() {
                let (requested, result) = std::task::ready!(pending.as_mut().poll(cx));
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
            let list = this.list.clone();
            this.pending = Some(Box::pin(async move { (page, list.page(page).await) }));
        }
    }
}
