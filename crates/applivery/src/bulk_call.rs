//! Bulk runs on the reqwest client: [`BulkCall`], the builder that
//! [`Client::create_oem_users`] and [`Client::refresh_oem_user_secrets`] return, configured like
//! every call and run as a [`BulkStream`] of outcomes in input order.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;

use crate::bulk::BulkKind;
use crate::bulk_stream::{BulkStream, Hook};
use crate::call::{Call, Operation};
use crate::client::Client;
use crate::error::Error;
use crate::platform::BoxFuture;
use crate::retry::RetryPolicy;
use crate::{Collaborator, NewOemUser, op};

pub use crate::bulk::DEFAULT_CONCURRENCY;

/// An operation a bulk run repeats, one input per call. Implemented by
/// [`CreateOemUsers`] and [`RefreshOemUserSecrets`]; not meant to be implemented elsewhere.
pub trait BulkOperation: Send + Sync + 'static {
    /// One input.
    type Input: fmt::Debug + Send + 'static;
    /// The operation called per input.
    type Op: Operation<Output = Collaborator>;
    /// What its failures mean for retrying.
    const KIND: BulkKind;
    /// The call of one input.
    fn call(client: &Client, organization_id: &str, input: &Self::Input) -> Call<Self::Op>;
}

/// Creates one OEM user per [`NewOemUser`] ([`Client::create_oem_users`]).
#[derive(Debug)]
pub enum CreateOemUsers {}

impl BulkOperation for CreateOemUsers {
    type Input = NewOemUser;
    type Op = op::CreateOemUser;
    const KIND: BulkKind = BulkKind::Create;
    fn call(client: &Client, organization_id: &str, input: &NewOemUser) -> Call<Self::Op> {
        client.create_oem_user(organization_id, input.clone())
    }
}

/// Refreshes the OEM secret of one collaborator per id ([`Client::refresh_oem_user_secrets`]).
#[derive(Debug)]
pub enum RefreshOemUserSecrets {}

impl BulkOperation for RefreshOemUserSecrets {
    type Input = String;
    type Op = op::RefreshOemUserSecret;
    const KIND: BulkKind = BulkKind::Refresh;
    fn call(client: &Client, organization_id: &str, input: &String) -> Call<Self::Op> {
        client.refresh_oem_user_secret(organization_id, input.as_str())
    }
}

/// The inputs of a run, as a stream (an iterator is one that is always ready).
pub(crate) type Inputs<I> = Pin<Box<dyn Stream<Item = I> + Send>>;

/// A bulk run of `K`, started by [`BulkCall::stream`]. Returned by
/// [`Client::create_oem_users`], [`Client::refresh_oem_user_secrets`] and their `_from_stream`
/// forms (and the same on [`crate::Organization`]).
///
/// ```no_run
/// # async fn run(client: applivery::Client) {
/// use std::time::Duration;
/// use applivery::NewOemUser;
/// use applivery::bulk::Outcome;
///
/// let users = (0..1000).map(|n| NewOemUser::new(format!("user{n}@example.com")));
/// let mut outcomes = client
///     .create_oem_users("5f3a9c0e1b2c3d4e5f6a7b8c", users)
///     .concurrency(32)
///     .timeout(Duration::from_secs(10)) // each attempt
///     .stream();
/// while let Some(done) = std::future::poll_fn(|cx| {
///     futures_core::Stream::poll_next(std::pin::Pin::new(&mut outcomes), cx)
/// })
/// .await
/// {
///     match done.outcome {
///         Outcome::Created(collaborator) => { /* keep collaborator.oem_secret */ }
///         other => eprintln!("{}: {}", done.input.get_email(), other.as_str()),
///     }
/// }
/// # }
/// ```
#[must_use = "nothing is sent until the stream is polled"]
pub struct BulkCall<K: BulkOperation> {
    client: Client,
    organization_id: String,
    inputs: Inputs<K::Input>,
    concurrency: usize,
    timeout: Option<Duration>,
    policy: RetryPolicy,
    hook: Option<Hook<K::Input>>,
    in_order: bool,
}

impl<K: BulkOperation> fmt::Debug for BulkCall<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkCall")
            .field("operation", &K::Op::OPERATION.id)
            .field("organization_id", &self.organization_id)
            .field("concurrency", &self.concurrency)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<K: BulkOperation> BulkCall<K> {
    pub(crate) fn new(client: Client, organization_id: String, inputs: Inputs<K::Input>) -> Self {
        BulkCall {
            client,
            organization_id,
            inputs,
            concurrency: DEFAULT_CONCURRENCY,
            timeout: None,
            policy: crate::bulk::default_policy(),
            hook: None,
            in_order: true,
        }
    }

    /// Delivers each outcome as soon as it is decided instead of in input order (use
    /// [`crate::bulk::BulkOutcome::index`] to place it): nothing waits behind a slow input, so
    /// a caller that must act on every answer at once (write a new secret down before a crash
    /// could lose it) can.
    pub fn as_decided(mut self) -> Self {
        self.in_order = false;
        self
    }

    /// Most requests in flight at once (at least 1; default [`DEFAULT_CONCURRENCY`]). The run
    /// halves it while the server answers 429 or 503 and raises it back step by step.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Time allowed for each attempt of each input (default: the client's timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How each input is retried: attempts, backoff and its time budget
    /// ([`RetryPolicy::max_elapsed`], counted from the input's first send). The default allows
    /// 10 attempts within 60 s, backoff from 200 ms up to 10 s. A 429 or 503 also slows the
    /// whole run down.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Each input's time budget, retries and waits included: the same as
    /// `retry_policy(policy.max_elapsed(deadline))`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.policy = self.policy.max_elapsed(deadline);
        self
    }

    /// Calls `hook` with each valid input (its index and itself) before it is sent, to record
    /// it ahead (a write-ahead journal). The run reads up to `concurrency` inputs ahead and
    /// calls the hook as it reads them, so that the hook's work (an fsync) overlaps the
    /// requests in flight; each input is sent only once its hook's future has succeeded. If it
    /// fails, that input and every later one are [`crate::bulk::Outcome::NotSent`], and
    /// [`BulkStream::stop_reason`] says why.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn before_send<F, Fut, E>(mut self, hook: F) -> Self
    where
        F: Fn(u64, &K::Input) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display,
    {
        self.hook = Some(Arc::new(
            move |index, input| -> BoxFuture<Result<(), String>> {
                let future = hook(index, input);
                Box::pin(async move { future.await.map_err(|e| e.to_string()) })
            },
        ));
        self
    }

    /// Runs the bulk call: the outcome of every input, in input order. Nothing is sent until
    /// it is polled; dropping it stops at once (what is in flight may still take effect).
    pub fn stream(self) -> BulkStream<K::Input> {
        let client = self.client.clone();
        let organization_id = self.organization_id;
        let timeout = self.timeout;
        let attempt =
            move |input: &K::Input| -> Result<BoxFuture<Result<Collaborator, Error>>, Error> {
                let mut call =
                    K::call(&client, &organization_id, input).retry_policy(RetryPolicy::none());
                if let Some(timeout) = timeout {
                    call = call.timeout(timeout);
                }
                call.check()?;
                Ok(call.send())
            };
        BulkStream::new(
            K::KIND,
            self.concurrency,
            self.policy,
            self.inputs,
            Box::new(attempt),
            self.hook,
            self.in_order,
        )
    }
}

/// An iterator as a stream that is always ready.
struct Ready<It>(It);

impl<It: Iterator + Unpin> Stream for Ready<It> {
    type Item = It::Item;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<It::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }
}

pub(crate) fn from_iter<It>(inputs: It) -> Inputs<It::Item>
where
    It: IntoIterator,
    It::IntoIter: Send + 'static,
{
    Box::pin(Ready(Box::new(inputs.into_iter())))
}

impl Client {
    /// Creates one OEM user per input, with bounded, adaptive concurrency; see [`BulkCall`].
    /// Every input gets one outcome, in input order: invalid inputs are reported, never sent.
    pub fn create_oem_users<U>(
        &self,
        organization_id: impl Into<String>,
        users: U,
    ) -> BulkCall<CreateOemUsers>
    where
        U: IntoIterator<Item = NewOemUser>,
        U::IntoIter: Send + 'static,
    {
        BulkCall::new(self.clone(), organization_id.into(), from_iter(users))
    }

    /// [`Client::create_oem_users`] over a [`Stream`] of users (read as the run needs them).
    pub fn create_oem_users_from_stream(
        &self,
        organization_id: impl Into<String>,
        users: impl Stream<Item = NewOemUser> + Send + 'static,
    ) -> BulkCall<CreateOemUsers> {
        BulkCall::new(self.clone(), organization_id.into(), Box::pin(users))
    }

    /// Refreshes the OEM secret of each collaborator id, with bounded, adaptive concurrency;
    /// see [`BulkCall`]. A refresh is safe to repeat (the last secret is the one in force), so
    /// lost answers are always retried.
    pub fn refresh_oem_user_secrets<U>(
        &self,
        organization_id: impl Into<String>,
        collaborator_ids: U,
    ) -> BulkCall<RefreshOemUserSecrets>
    where
        U: IntoIterator,
        U::Item: Into<String> + 'static,
        U::IntoIter: Send + 'static,
    {
        let ids = collaborator_ids.into_iter().map(Into::into);
        BulkCall::new(self.clone(), organization_id.into(), from_iter(ids))
    }

    /// [`Client::refresh_oem_user_secrets`] over a [`Stream`] of collaborator ids.
    pub fn refresh_oem_user_secrets_from_stream(
        &self,
        organization_id: impl Into<String>,
        collaborator_ids: impl Stream<Item = String> + Send + 'static,
    ) -> BulkCall<RefreshOemUserSecrets> {
        BulkCall::new(
            self.clone(),
            organization_id.into(),
            Box::pin(collaborator_ids),
        )
    }
}

impl crate::Organization {
    /// [`Client::create_oem_users`] in this organization.
    pub fn create_oem_users<U>(&self, users: U) -> BulkCall<CreateOemUsers>
    where
        U: IntoIterator<Item = NewOemUser>,
        U::IntoIter: Send + 'static,
    {
        self.client().create_oem_users(self.id(), users)
    }

    /// [`Client::create_oem_users_from_stream`] in this organization.
    pub fn create_oem_users_from_stream(
        &self,
        users: impl Stream<Item = NewOemUser> + Send + 'static,
    ) -> BulkCall<CreateOemUsers> {
        self.client().create_oem_users_from_stream(self.id(), users)
    }

    /// [`Client::refresh_oem_user_secrets`] in this organization.
    pub fn refresh_oem_user_secrets<U>(
        &self,
        collaborator_ids: U,
    ) -> BulkCall<RefreshOemUserSecrets>
    where
        U: IntoIterator,
        U::Item: Into<String> + 'static,
        U::IntoIter: Send + 'static,
    {
        self.client()
            .refresh_oem_user_secrets(self.id(), collaborator_ids)
    }

    /// [`Client::refresh_oem_user_secrets_from_stream`] in this organization.
    pub fn refresh_oem_user_secrets_from_stream(
        &self,
        collaborator_ids: impl Stream<Item = String> + Send + 'static,
    ) -> BulkCall<RefreshOemUserSecrets> {
        self.client()
            .refresh_oem_user_secrets_from_stream(self.id(), collaborator_ids)
    }
}
