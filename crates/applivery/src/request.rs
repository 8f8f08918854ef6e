//! A pending `create_oem_user` call and its per-call options: `.await` it as is, or set a
//! timeout, a deadline or a retry policy for this call only first.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use crate::Collaborator;
use crate::client::Client;
use crate::error::Error;
use crate::new_user::NewOemUser;
use crate::retry::RetryPolicy;

/// Options of one call; `None` means the client's setting.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

/// A `create_oem_user` call, sent when awaited. Returned by [`Client::create_oem_user`] and
/// [`crate::Organization::create_oem_user`].
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
/// It is a [`IntoFuture`], not a [`Future`]: where a `Future` is required (`tokio::spawn`,
/// `join_all`), call [`CreateOemUser::send`] or `.into_future()`.
#[must_use = "nothing is sent until the call is awaited"]
#[derive(Debug)]
pub struct CreateOemUser<'a> {
    client: &'a Client,
    organization_id: &'a str,
    user: NewOemUser,
    options: CallOptions,
}

impl<'a> CreateOemUser<'a> {
    pub(crate) fn new(client: &'a Client, organization_id: &'a str, user: NewOemUser) -> Self {
        CreateOemUser {
            client,
            organization_id,
            user,
            options: CallOptions::default(),
        }
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
    /// attempt's timeout.
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
    pub fn send(self) -> CallFuture<'a> {
        self.into_future()
    }
}

/// The future of a [`CreateOemUser`] call (`Send` except on wasm32).
#[cfg(not(target_arch = "wasm32"))]
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Collaborator, Error>> + Send + 'a>>;
/// The future of a [`CreateOemUser`] call (`Send` except on wasm32).
#[cfg(target_arch = "wasm32")]
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Collaborator, Error>> + 'a>>;

impl<'a> IntoFuture for CreateOemUser<'a> {
    type Output = Result<Collaborator, Error>;
    type IntoFuture = CallFuture<'a>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(
            self.client
                .execute(self.organization_id, self.user, self.options),
        )
    }
}
