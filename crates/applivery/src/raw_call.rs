//! A call of any operation of the generated table, by its row, answering the raw `data` as
//! JSON: for tools that walk the table instead of naming operations (the CLI's generated
//! commands). Typed code uses the operation's own method (`client.list_collaborator_groups`).

use std::future::IntoFuture;
use std::time::Duration;

use applivery_api::operation::Operation;
use applivery_api::request::Query;

use crate::call::{CallFuture, CallOptions};
use crate::classify::WireDecoder;
use crate::client::Client;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::transport::Request;
use crate::validate::field_errors;

/// A call of `operation` with path arguments (in path order) and a query (by wire name),
/// checked by the spec's rules before anything is sent; awaited, the answer's `data` (the
/// whole answer when it has none). Same retries and per-call options as every call.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until the call is awaited"]
pub struct RawCall {
    client: Client,
    operation: &'static Operation,
    path_args: Vec<String>,
    query: Query,
    body: Option<Vec<u8>>,
    options: CallOptions,
}

impl Client {
    /// A call of `operation` (a row of `applivery_api::operations::OPERATIONS`), answering the
    /// raw `data`; see [`RawCall`].
    pub fn raw_call(
        &self,
        operation: &'static Operation,
        path_args: Vec<String>,
        query: Query,
    ) -> RawCall {
        RawCall {
            client: self.clone(),
            operation,
            path_args,
            query,
            body: None,
            options: CallOptions::default(),
        }
    }
}

impl RawCall {
    /// The JSON body to send (checked by the server only: a typed call checks its body first).
    pub fn body(mut self, json: Vec<u8>) -> Self {
        self.body = Some(json);
        self
    }

    /// Time allowed for each attempt; see [`crate::Call::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call; see [`crate::Call::deadline`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// The retry policy of this call; see [`crate::Call::retry_policy`].
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.options.retry_policy = Some(retry_policy);
        self
    }
}

/// The answer as JSON: its `data`, else the whole of it.
struct JsonData;

impl WireDecoder for JsonData {
    type Output = serde_json::Value;

    fn success(&self, body: &[u8]) -> Result<serde_json::Value, String> {
        let mut answer: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| crate::body_shape::describe(&e))?;
        Ok(match answer.get_mut("data") {
            Some(data) => data.take(),
            None => answer,
        })
    }

    fn error(&self, body: &[u8]) -> Option<applivery_api::types::ErrorResponse> {
        serde_json::from_slice(body).ok()
    }
}

impl IntoFuture for RawCall {
    type Output = Result<serde_json::Value, Error>;
    type IntoFuture = CallFuture<serde_json::Value>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let operation = self.operation;
            let args: Vec<&str> = self.path_args.iter().map(String::as_str).collect();
            let request = applivery_api::request::path_and_query(operation, &args, &self.query)
                .map_err(|problems| Error::invalid_input(field_errors(problems)))
                .map(|path| Request::of(operation, path, self.body.map(bytes::Bytes::from)));
            let organization = self.path_args.first().cloned().unwrap_or_default();
            let span = crate::client::call_span!("applivery.raw_call", operation = operation.id);
            self.client
                .call(span, &organization, request, &JsonData, self.options)
                .await
        })
    }
}
