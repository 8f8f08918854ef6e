//! One HTTP attempt over reqwest: send, read a bounded body, classify.

use std::error::Error as StdError;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use crate::classify::{MAX_RESPONSE_BYTES, WireDecoder, classify_with};
use crate::error::{Error, RetryClass};
use crate::secret::Secret;

/// Everything needed to send an attempt; built once per [`crate::Client`].
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The base URL, without a trailing `/`.
    url_prefix: String,
    /// `Bearer <key>`, marked sensitive so that hyper and reqwest never print it.
    authorization: HeaderValue,
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    user_agent: Option<HeaderValue>,
}

/// One call of an operation, as sent: the method, the path and query (from the operation
/// table, validated and encoded: `applivery_api::request::path_and_query`), the JSON body, and
/// whether repeating it is harmless.
pub(crate) struct Request {
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) idempotent: bool,
}

impl Request {
    /// A call of `operation` to `path` (as `applivery_api::request::path_and_query` wrote it).
    pub(crate) fn of(
        operation: &applivery_api::operation::Operation,
        path: String,
        body: Option<bytes::Bytes>,
    ) -> Request {
        Request {
            method: method(operation.method),
            path,
            body,
            idempotent: operation.method.is_idempotent(),
        }
    }
}

fn method(method: applivery_api::operation::Method) -> reqwest::Method {
    use applivery_api::operation::Method as M;
    match method {
        M::Get => reqwest::Method::GET,
        M::Post => reqwest::Method::POST,
        M::Put => reqwest::Method::PUT,
        M::Patch => reqwest::Method::PATCH,
        M::Delete => reqwest::Method::DELETE,
    }
}

/// The outcome of one attempt: the status if a response head arrived, and the result.
pub(crate) struct Attempt<T> {
    pub(crate) status: Option<u16>,
    pub(crate) result: Result<T, Error>,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: &str,
        api_key: &Secret,
        user_agent: Option<&str>,
    ) -> Result<Self, Error> {
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", api_key.expose()))
            .map_err(|_| {
                Error::config("the API key contains characters not allowed in an HTTP header")
            })?;
        authorization.set_sensitive(true);
        let user_agent = user_agent
            .map(|ua| {
                HeaderValue::from_str(ua).map_err(|_| {
                    Error::config("the user agent contains characters not allowed in a header")
                })
            })
            .transpose()?;
        Ok(Transport {
            http,
            url_prefix: base_url.to_owned(),
            authorization,
            user_agent,
        })
    }

    /// Sends one attempt of `call`, whose path is already validated and encoded.
    /// `timeout` bounds the attempt, from sending to the end of the body.
    pub(crate) async fn send<D: WireDecoder>(
        &self,
        call: &Request,
        timeout: std::time::Duration,
        decoder: &D,
    ) -> Attempt<D::Output> {
        let mut url = String::with_capacity(self.url_prefix.len() + call.path.len());
        url.push_str(&self.url_prefix);
        url.push_str(&call.path);

        let request = self
            .http
            .request(call.method.clone(), url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .timeout(timeout);
        let request = match &call.body {
            Some(body) => request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone()),
            None => request,
        };
        // Browsers forbid setting User-Agent from fetch.
        #[cfg(not(target_arch = "wasm32"))]
        let request = match &self.user_agent {
            Some(ua) => request.header(reqwest::header::USER_AGENT, ua.clone()),
            None => request,
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                return Attempt {
                    status: None,
                    result: Err(send_error(e)),
                };
            }
        };
        let status = response.status().as_u16();
        let result = read_and_classify(response, status, decoder).await;
        Attempt {
            status: Some(status),
            result,
        }
    }
}

async fn read_and_classify<D: WireDecoder>(
    response: reqwest::Response,
    status: u16,
    decoder: &D,
) -> Result<D::Output, Error> {
    if let Some(length) = response.content_length()
        && length > MAX_RESPONSE_BYTES
    {
        return Err(too_large(status, length));
    }
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(retry_after_in_seconds);
    let body = read_bounded(response, status).await?;
    classify_with(decoder, status, retry_after.as_deref(), &body)
}

/// Reads the body chunk by chunk and stops past [`MAX_RESPONSE_BYTES`], whatever the
/// `Content-Length` said (chunked answers have none).
#[cfg(not(target_arch = "wasm32"))]
async fn read_bounded(mut response: reqwest::Response, status: u16) -> Result<bytes::Bytes, Error> {
    if response.content_length().is_some() {
        // Already checked against the limit, and hyper stops at the declared length.
        let body = response.bytes().await.map_err(|e| body_error(e, status))?;
        return Ok(body);
    }
    let mut body = Vec::with_capacity(16 * 1024);
    while let Some(chunk) = response.chunk().await.map_err(|e| body_error(e, status))? {
        let length = (body.len() + chunk.len()) as u64;
        if length > MAX_RESPONSE_BYTES {
            return Err(too_large(status, length));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

/// On wasm32 reqwest reads the whole body through `fetch`; the size is checked afterwards.
#[cfg(target_arch = "wasm32")]
async fn read_bounded(response: reqwest::Response, status: u16) -> Result<bytes::Bytes, Error> {
    let body = response.bytes().await.map_err(|e| body_error(e, status))?;
    if body.len() as u64 > MAX_RESPONSE_BYTES {
        return Err(too_large(status, body.len() as u64));
    }
    Ok(body)
}

/// `Retry-After` as seconds: kept when it is a number, converted from an HTTP date with the
/// system clock natively (wasm32 has no `SystemTime`; its dates are then ignored).
fn retry_after_in_seconds(value: &str) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        return crate::classify::retry_after_in_seconds(value, now.as_secs());
    }
    value.to_owned()
}

fn too_large(status: u16, length: u64) -> Error {
    Error::invalid_response(
        Some(status),
        format!("response body too large: over {length} bytes (limit {MAX_RESPONSE_BYTES})"),
        b"",
    )
}

/// Errors before a response head arrived.
fn send_error(e: reqwest::Error) -> Error {
    let detail = describe(&e);
    #[cfg(not(target_arch = "wasm32"))]
    let connect = e.is_connect();
    // fetch does not tell a refused connection from one that broke after sending.
    #[cfg(target_arch = "wasm32")]
    let connect = false;
    let error = if connect {
        // Nothing reached the server: refused, DNS failure, connect timeout.
        if e.is_timeout() {
            Error::timeout(format!("could not connect in time: {detail}"))
                .with_retry_class(RetryClass::Safe)
        } else if certificate_refused(&e) {
            // A proxy in the way or a wrong base URL: trying again cannot help.
            Error::network(format!(
                "the server's TLS certificate was refused: {detail}"
            ))
            .with_retry_class(RetryClass::Never)
        } else {
            Error::connect(format!("could not connect: {detail}"))
        }
    } else if e.is_timeout() {
        Error::timeout(format!("no answer in time: {detail}"))
    } else if e.is_builder() {
        Error::config(format!("could not build the request: {detail}"))
    } else {
        Error::network(format!("the connection failed: {detail}"))
    };
    error.with_source(e)
}

/// Whether the TLS library refused the server's certificate somewhere in the error's chain.
/// I/O errors are entered through `get_ref`: their `source()` skips the error they wrap.
#[cfg(all(
    any(feature = "rustls", feature = "native-tls"),
    not(target_arch = "wasm32")
))]
fn certificate_refused(error: &reqwest::Error) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(current) = next {
        if refuses_certificate(current) {
            return true;
        }
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    false
}

/// rustls says so in its error's variant. native-tls has no kinds: its message names the
/// certificate (OpenSSL "certificate verify failed", Security.framework "The certificate was not
/// trusted", SChannel "The certificate chain was issued by an authority that is not trusted").
#[cfg(all(
    any(feature = "rustls", feature = "native-tls"),
    not(target_arch = "wasm32")
))]
fn refuses_certificate(error: &(dyn StdError + 'static)) -> bool {
    #[cfg(feature = "rustls")]
    if let Some(rustls::Error::InvalidCertificate(_)) = error.downcast_ref::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if let Some(error) = error.downcast_ref::<native_tls::Error>() {
        return error
            .to_string()
            .to_ascii_lowercase()
            .contains("certificate");
    }
    false
}

/// Without a TLS library (the browser's fetch, or `client` alone) the refusal is not told apart.
#[cfg(not(all(
    any(feature = "rustls", feature = "native-tls"),
    not(target_arch = "wasm32")
)))]
fn certificate_refused(_: &reqwest::Error) -> bool {
    false
}

/// Errors while reading the body: the server answered, so the user may well exist.
fn body_error(e: reqwest::Error, status: u16) -> Error {
    let detail = describe(&e);
    let error = if e.is_timeout() {
        Error::timeout(format!(
            "the response body did not arrive in time: {detail}"
        ))
    } else {
        Error::network(format!("the response body was cut off: {detail}"))
    };
    error
        .with_status(status)
        .with_retry_class(RetryClass::Ambiguous)
        .with_source(e)
}

/// reqwest's own message plus the innermost cause ("connection refused", ...).
fn describe(e: &reqwest::Error) -> String {
    let mut innermost: &dyn StdError = e;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let outer = e.to_string();
    let inner = innermost.to_string();
    if std::ptr::addr_eq(innermost, e as &dyn StdError) || outer.contains(&inner) {
        outer
    } else {
        format!("{outer}: {inner}")
    }
}
