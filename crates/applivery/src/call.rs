//! One call of any operation, in one shape: [`Call`], the builder every operation method of
//! [`Client`] returns (generated: `generated/operations.rs`). Set query parameters (generated
//! setters) and per-call options on it, then `.await` it; a paged operation also takes
//! `.page(n)` and `.stream()`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use applivery_api::request::Value;

use crate::classify::WireDecoder;
use crate::client::Client;
use crate::error::Error;
use crate::page::{ItemStream, Page};
use crate::retry::RetryPolicy;
use crate::transport::Request;
use crate::validate::field_errors;

pub use applivery_api::request::Value as QueryValue;

/// Collaborators (items) per page when a paged call sets no page size: fewer round trips than
/// the server's default, and what the CLI and the npm package always used.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// An operation of the spec, as the facade calls it: its row of the generated table, the wire
/// type of its answer and what the call gives. Implemented by codegen for each type of
/// `applivery::op`; not meant to be implemented elsewhere.
pub trait Operation: Send + Sync + 'static {
    /// The operation's row of [`applivery_api::operations::OPERATIONS`].
    const OPERATION: &'static applivery_api::operation::Operation;
    /// The 200 answer's wire type.
    type Envelope: serde::de::DeserializeOwned;
    /// What the call gives: the answer's `data`, as the facade's own type where it has one.
    type Output: Send + 'static;
    /// The answer's `data`, converted.
    fn output(envelope: Self::Envelope) -> Self::Output;
    /// The call's tracing span (its name is the operation's, in snake case).
    fn span() -> tracing::Span;
}

/// An operation whose answer is the documented paged envelope.
pub trait PagedOperation: Operation<Output = Page<Self::Item>> {
    /// One item of a page.
    type Item: Send + 'static;
}

/// A request body: checked by the spec's rules before anything is sent, then written as JSON.
pub trait RequestBody: fmt::Debug + Send + Sync + 'static {
    /// Every rule of the spec that the body breaks.
    fn problems(&self) -> Vec<applivery_api::rules::Problem>;
    /// The JSON sent.
    fn to_json(&self) -> Result<Vec<u8>, serde_json::Error>;
}

/// Options of one call; `None` means the client's setting.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

/// A call of the operation `O`, sent when awaited. Returned by the operation's method on
/// [`Client`] or [`crate::Organization`] (`client.list_collaborators(org)`).
///
/// Awaiting it directly uses the client's settings; the methods change them for this call only:
///
/// ```no_run
/// # async fn run(client: applivery::Client) -> Result<(), applivery::Error> {
/// use std::time::Duration;
/// use applivery::{NewOemUser, RetryPolicy};
///
/// let created = client
///     .create_oem_user("5f3a9c0e1b2c3d4e5f6a7b8c", NewOemUser::new("ada@example.com"))
///     .timeout(Duration::from_secs(5)) // each attempt
///     .deadline(Duration::from_secs(12)) // the whole call, retries and waits included
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// It owns what it needs (`'static`, `Send`, cheap to clone). It is an [`IntoFuture`], not a
/// [`Future`]: where a `Future` is required (`tokio::spawn`, `join_all`), call
/// [`Call::send`] or `.into_future()`.
#[must_use = "nothing is sent until the call is awaited"]
pub struct Call<O> {
    client: Client,
    path_args: Vec<String>,
    query: Vec<(&'static str, Value)>,
    body: Option<Arc<dyn RequestBody>>,
    options: CallOptions,
    operation: PhantomData<fn() -> O>,
}

impl<O> Clone for Call<O> {
    fn clone(&self) -> Self {
        Call {
            client: self.client.clone(),
            path_args: self.path_args.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            options: self.options,
            operation: PhantomData,
        }
    }
}

impl<O: Operation> fmt::Debug for Call<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::OPERATION.id)
            .field("path_args", &self.path_args)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("options", &self.options)
            .finish()
    }
}

impl<O: Operation> Call<O> {
    pub(crate) fn new(
        client: Client,
        path_args: Vec<String>,
        body: Option<Arc<dyn RequestBody>>,
    ) -> Self {
        Call {
            client,
            path_args,
            query: Vec::new(),
            body,
            options: CallOptions::default(),
            operation: PhantomData,
        }
    }

    /// Sets query parameter `wire` (generated setters call it).
    pub(crate) fn set(mut self, wire: &'static str, value: Value) -> Self {
        match self.query.iter_mut().find(|(name, _)| *name == wire) {
            Some(slot) => slot.1 = value,
            None => self.query.push((wire, value)),
        }
        self
    }

    /// Adds one item to the list parameter `wire` (generated setters call it).
    pub(crate) fn push(mut self, wire: &'static str, item: String) -> Self {
        match self.query.iter_mut().find(|(name, _)| *name == wire) {
            Some((_, Value::TextList(items))) => items.push(item),
            _ => self = self.set(wire, Value::TextList(vec![item])),
        }
        self
    }

    /// Sets the query parameter `wire` (its name on the wire, as in
    /// `applivery_api::operations`) to `value`, for callers that walk the operation table
    /// instead of naming setters (the CLI's commands). Checked by the spec's rules when sent, as
    /// every value is; a name the operation does not have is refused then.
    pub fn param(self, wire: &'static str, value: QueryValue) -> Self {
        self.set(wire, value)
    }

    /// Time allowed for each attempt of this call, from sending to the end of the body, instead
    /// of the client's [`crate::ClientBuilder::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call, from its first poll: every attempt, every wait between
    /// attempts. An attempt still running at the deadline is cut off (an
    /// [`crate::ErrorKind::Timeout`] whose message names the deadline); a retry whose wait would
    /// end after it is not made (the last failure is returned). No deadline by default: the
    /// call is then bounded by the retry policy's [`RetryPolicy::max_elapsed`] plus one
    /// attempt's timeout. For a stream, each page's call has this deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.options.retry_policy = Some(retry_policy);
        self
    }

    /// Sends the call; the same as awaiting `self`, as a named [`Future`].
    pub fn send(self) -> CallFuture<O::Output> {
        self.into_future()
    }

    /// Checks the call as sending would, without sending: every rule it breaks.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.request().map(drop)
    }

    /// The request, or every reason it may not be sent (nothing is then).
    fn request(&self) -> Result<Request, Error> {
        let operation = O::OPERATION;
        let args: Vec<&str> = self.path_args.iter().map(String::as_str).collect();
        let mut query = self.query.clone();
        if let Some(size) = operation.page_size_param()
            && !query.iter().any(|(wire, _)| *wire == size.wire)
        {
            query.push((size.wire, Value::Integer(i64::from(DEFAULT_PAGE_SIZE))));
        }
        if operation.paged && !query.iter().any(|(wire, _)| *wire == "page") {
            query.push(("page", Value::Integer(1)));
        }
        let path = applivery_api::request::path_and_query(operation, &args, &query);
        let mut problems = path.as_ref().err().cloned().unwrap_or_default();
        if let Some(body) = &self.body {
            problems.extend(body.problems());
        }
        if !problems.is_empty() {
            return Err(Error::invalid_input(field_errors(problems)));
        }
        let path = path.unwrap_or_default();
        let body = match &self.body {
            Some(body) => Some(bytes::Bytes::from(body.to_json().map_err(|e| {
                Error::config(format!("could not encode the request: {e}"))
            })?)),
            None => None,
        };
        Ok(Request::of(operation, path, body))
    }
}

/// The answer's envelope through the generated wire types, then the operation's conversion.
struct Decoder<O>(PhantomData<fn() -> O>);

impl<O: Operation> WireDecoder for Decoder<O> {
    type Output = O::Output;

    fn success(&self, body: &[u8]) -> Result<O::Output, String> {
        serde_json::from_slice::<O::Envelope>(body)
            .map(O::output)
            .map_err(|e| crate::body_shape::describe(&e))
    }

    fn error(&self, body: &[u8]) -> Option<applivery_api::types::ErrorResponse> {
        serde_json::from_slice(body).ok()
    }
}

/// The future of a call (`Send` except on wasm32).
#[cfg(not(target_arch = "wasm32"))]
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;
/// The future of a call (`Send` except on wasm32).
#[cfg(target_arch = "wasm32")]
pub type CallFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>>>>;

impl<O: Operation> IntoFuture for Call<O> {
    type Output = Result<O::Output, Error>;
    type IntoFuture = CallFuture<O::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let request = self.request();
            let organization = self.path_args.first().cloned().unwrap_or_default();
            self.client
                .call(
                    O::span(),
                    &organization,
                    request,
                    &Decoder::<O>(PhantomData),
                    self.options,
                )
                .await
        })
    }
}

impl<O: PagedOperation> Call<O> {
    /// Page `page` (from 1), with its paging fields. Awaiting the call itself gives page 1.
    pub fn page(&self, page: u64) -> CallFuture<Page<O::Item>> {
        self.clone()
            .set(
                "page",
                Value::Integer(i64::try_from(page).unwrap_or(i64::MAX)),
            )
            .into_future()
    }

    /// Every item, page after page: the next page is fetched when the current one is used up,
    /// so memory holds one page whatever the list's length. An error ends the stream after it
    /// is yielded. The stream owns what it needs (`Send + 'static`): move it into a task.
    pub fn stream(self) -> ItemStream<O::Item> {
        ItemStream::new(move |page| self.page(page))
    }
}
