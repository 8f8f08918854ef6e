//! The `Client` class the JS wrapper (`web/applivery-oem/index.js`) builds `AppliveryClient` on.
//!
//! Every decision comes from the `applivery` crate: [`applivery::validate_request`],
//! [`applivery::check_parsed_base_url`], [`applivery::classify_with`] and
//! [`applivery::RetryState`].
//! This file only moves values between JS and those functions, and drives [`crate::fetch`].
//!
//! A call resolves to `{ ok: collaborator }` or `{ error: fields }`, the fields being
//! `applivery::Error`'s `Serialize` form, which the wrapper turns into an `AppliveryError`; an
//! abort rejects with the signal's own `reason`.

use std::time::Duration;

use applivery::{Error, FieldError, NewOemUser, RetryPolicy, RetryState, Step};
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::AbortSignal;

use crate::fetch::{self, Failure};
use crate::host_json::HostJson;
use crate::js_value::to_js;
use crate::shapes::{CLIENT_OPTION_NAMES, NEW_USER_FIELD_NAMES};

/// The scheme of the `Authorization` header.
const BEARER: &str = "Bearer ";
/// Per-attempt timeout when `timeoutMs` is not given.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// Retries after the first attempt when `maxRetries` is not given (the facade's default of 3
/// attempts).
const DEFAULT_MAX_RETRIES: u32 = 2;

/// A configured client; the wrapper keeps it in a private field.
#[wasm_bindgen]
pub struct Client {
    config: std::rc::Rc<Config>,
}

struct Config {
    /// `Bearer <key>`: the only form the key is kept in.
    authorization: String,
    /// Base URL plus the endpoint's path up to the organization id.
    organizations_url: String,
    timeout_ms: f64,
    policy: RetryPolicy,
}

#[wasm_bindgen]
impl Client {
    /// Reads `{ apiKey, baseUrl?, timeoutMs?, maxRetries? }`; throws the fields of a `config`
    /// error when a value is missing or wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        read_config(&options)
            .map(|config| Client {
                config: std::rc::Rc::new(config),
            })
            .map_err(|error| error_to_js(&error))
    }

    /// Creates the user; resolves to `{ ok: collaborator }` or `{ error: fields }`, rejects
    /// with the signal's reason on abort.
    #[wasm_bindgen(js_name = createOemUser)]
    pub fn create_oem_user(
        &self,
        organization_id: JsValue,
        user: JsValue,
        signal: JsValue,
    ) -> Promise {
        let config = self.config.clone();
        future_to_promise(async move {
            let result = async {
                let signal = read_signal(signal)?;
                let organization_id = organization_id.as_string().unwrap_or_default();
                let user = read_user(Some(&organization_id), &user)?;
                config
                    .create(&organization_id, &user, signal.as_ref())
                    .await
            };
            match result.await {
                Ok(collaborator) => Ok(outcome("ok", to_js(&collaborator).unwrap_or_default())),
                Err(Stop::Failed(error)) => Ok(outcome("error", error_to_js(&error))),
                Err(Stop::Aborted(reason)) => Err(reason),
            }
        })
    }
}

/// Validates a user as `createOemUser` does, sending nothing: its field errors, in the facade's
/// order, empty when the user is valid (for checking a whole file before a bulk run).
#[wasm_bindgen(js_name = validateOemUser)]
pub fn validate_oem_user(user: JsValue) -> JsValue {
    match read_user(None, &user) {
        Ok(_) => Array::new().into(),
        Err(error) => to_js(error.field_errors()).unwrap_or_else(|_| Array::new().into()),
    }
}

/// How a call ends without a collaborator.
enum Stop {
    /// An `AppliveryError`.
    Failed(Error),
    /// The caller's signal fired: reject with its reason.
    Aborted(JsValue),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Stop::Failed(error)
    }
}

/// `{ [name]: value }`.
fn outcome(name: &str, value: JsValue) -> JsValue {
    let object = js_sys::Object::new();
    let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    object.into()
}

impl Config {
    /// The key, for scrubbing errors only.
    fn key(&self) -> &str {
        self.authorization.strip_prefix(BEARER).unwrap_or_default()
    }

    /// The retry loop of the facade's `RetryState`, over `fetch`.
    async fn create(
        &self,
        organization_id: &str,
        user: &NewOemUser,
        signal: Option<&AbortSignal>,
    ) -> Result<applivery::Collaborator, Stop> {
        let mut url = String::with_capacity(self.organizations_url.len() + 64);
        url.push_str(&self.organizations_url);
        url.push_str(organization_id);
        url.push_str("/oem/users");
        let body = to_js(&user.to_wire())
            .ok()
            .and_then(|value| js_sys::JSON::stringify(&value).ok())
            .ok_or_else(|| {
                Error::new(
                    applivery::ErrorKind::InvalidInput,
                    "the user could not be encoded as JSON",
                )
            })?;
        let started = js_sys::Date::now();
        let mut state = RetryState::new(self.policy);
        loop {
            state.begin_attempt();
            let outcome = match fetch::post_json(
                &url,
                &self.authorization,
                &body,
                self.timeout_ms,
                applivery::MAX_RESPONSE_BYTES,
                signal,
            )
            .await
            {
                Ok(answer) => applivery::classify_with(
                    &HostJson,
                    answer.status,
                    answer.retry_after.as_deref(),
                    &answer.body,
                ),
                Err(Failure::Aborted(reason)) => return Err(Stop::Aborted(reason)),
                Err(failure) => Err(failure_to_error(failure)),
            };
            let elapsed = Duration::from_millis((js_sys::Date::now() - started).max(0.0) as u64);
            match state.after_attempt(outcome, elapsed, js_sys::Math::random) {
                // A server that echoes the request must not put the key on the JS error.
                Step::Done(result) => return result.map_err(|e| e.scrub(self.key()).into()),
                Step::Retry { delay, .. } => sleep(delay, signal).await.map_err(Stop::Aborted)?,
                _ => return Err(Error::new(applivery::ErrorKind::Api, "unknown retry step").into()),
            }
        }
    }
}

fn failure_to_error(failure: Failure) -> Error {
    match failure {
        Failure::Timeout => Error::timeout("no complete answer within timeoutMs"),
        // The facade retries both; only after `network` may a later 4009 be our own user.
        Failure::Connect(message) => Error::connect(message),
        Failure::Network(message) => Error::network(message),
        Failure::TooLarge => Error::invalid_response(None, "response body too large", b""),
        Failure::Aborted(_) => Error::network("aborted"),
    }
}

/// Waits `delay`, or less if `signal` aborts (then rejects with its reason).
async fn sleep(delay: Duration, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    let mut wake = None;
    let mut timer = JsValue::UNDEFINED;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = fetch::set_timeout(&resolve, delay.as_millis() as f64);
        if let Some(signal) = signal {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
        wake = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
    // An abort ends the wait early: the timer must not keep a Node process alive.
    fetch::clear_timeout(&timer);
    if let Some(signal) = signal {
        if let Some(wake) = &wake {
            let _ = signal.remove_event_listener_with_callback("abort", wake);
        }
        if signal.aborted() {
            return Err(signal.reason());
        }
    }
    Ok(())
}

/// The fields of an `AppliveryError`: `applivery::Error`'s `Serialize` form.
fn error_to_js(error: &Error) -> JsValue {
    to_js(error).unwrap_or_else(|_| js_sys::Error::new("unserializable error").into())
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn read_config(options: &JsValue) -> Result<Config, Error> {
    let [api_key, base_url, timeout_ms, max_retries] =
        CLIENT_OPTION_NAMES.map(|name| get(options, name));
    let api_key = api_key
        .as_string()
        .filter(|key| !key.trim().is_empty())
        .ok_or_else(|| Error::config("apiKey is required (a non-empty string)"))?;
    let base_url = if base_url.is_undefined() || base_url.is_null() {
        applivery::DEFAULT_BASE_URL.to_owned()
    } else {
        let text = base_url
            .as_string()
            .ok_or_else(|| Error::config("baseUrl must be a string"))?;
        parse_base_url(&text)?
    };
    let timeout_ms = match optional_number(&timeout_ms) {
        None => DEFAULT_TIMEOUT_MS,
        Some(ms) if ms >= 0.0 && ms.is_finite() => ms,
        Some(_) => return Err(Error::config("timeoutMs must be a number >= 0")),
    };
    let max_retries = match optional_number(&max_retries) {
        None => DEFAULT_MAX_RETRIES,
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 100.0 => n as u32,
        Some(_) => return Err(Error::config("maxRetries must be an integer from 0 to 99")),
    };
    let mut authorization = String::from(BEARER);
    authorization.push_str(api_key.trim());
    let mut organizations_url = base_url;
    organizations_url.push_str("/v1/organizations/");
    Ok(Config {
        authorization,
        organizations_url,
        timeout_ms,
        policy: RetryPolicy::default().max_attempts(max_retries + 1),
    })
}

/// [`applivery::check_parsed_base_url`] over the host's WHATWG `URL` parser: the same rule as
/// the crate's `validate_base_url`, without compiling the `url` crate into the package.
fn parse_base_url(text: &str) -> Result<String, Error> {
    let url = web_sys::Url::new(text.trim()).map_err(|e| {
        let mut message = String::from("base URL is not a valid URL: ");
        message.push_str(&js_message(&e));
        Error::config(message)
    })?;
    let (href, protocol, host) = (url.href(), url.protocol(), url.hostname());
    applivery::check_parsed_base_url(&applivery::ParsedUrl {
        href: &href,
        scheme: protocol.strip_suffix(':').unwrap_or(&protocol),
        host: Some(&host),
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        has_query_or_fragment: !url.search().is_empty() || !url.hash().is_empty(),
    })
}

/// `error.message` of a JS exception, or a generic text.
pub(crate) fn js_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| String::from("unknown error"))
}

/// `undefined`/`null` give `None`; anything not a number gives `Some(NaN)` (refused).
fn optional_number(value: &JsValue) -> Option<f64> {
    if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value.as_f64().unwrap_or(f64::NAN))
    }
}

fn read_signal(signal: JsValue) -> Result<Option<AbortSignal>, Error> {
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    signal
        .dyn_into::<AbortSignal>()
        .map(Some)
        .map_err(|_| Error::config("options.signal must be an AbortSignal"))
}

/// Reads `{ email, firstName?, lastName?, tags? }` and validates it, with the organization id
/// when given, through `applivery::validate_request` (else `NewOemUser::validate`). A wrongly typed field is reported like an invalid one,
/// together with the problems of the other fields.
fn read_user(organization_id: Option<&str>, user: &JsValue) -> Result<NewOemUser, Error> {
    let [email, first_name, last_name, tags] = NEW_USER_FIELD_NAMES.map(|name| get(user, name));
    let mut problems = Vec::new();
    let mut text = |value: JsValue, field: &'static str| {
        if value.is_undefined() || value.is_null() {
            None
        } else if let Some(text) = value.as_string() {
            Some(text)
        } else {
            problems.push(FieldError::new(field, "must be a string"));
            None
        }
    };
    let email = text(email, "email").unwrap_or_default();
    let first_name = text(first_name, "firstName");
    let last_name = text(last_name, "lastName");
    let tags = if tags.is_undefined() || tags.is_null() {
        Vec::new()
    } else if let Some(items) = tags
        .dyn_ref::<Array>()
        .and_then(|array| array.iter().map(|t| t.as_string()).collect())
    {
        items
    } else {
        problems.push(FieldError::new("tags", "must be an array of strings"));
        Vec::new()
    };
    let mut built = NewOemUser::new(email).tags(tags);
    if let Some(first_name) = first_name {
        built = built.first_name(first_name);
    }
    if let Some(last_name) = last_name {
        built = built.last_name(last_name);
    }
    let checked = match organization_id {
        Some(organization_id) => applivery::validate_request(organization_id, &built),
        None => built.validate(),
    };
    match checked {
        Ok(()) if problems.is_empty() => return Ok(built),
        Ok(()) => {}
        Err(error) => problems.extend(
            error
                .field_errors()
                .iter()
                .filter(|e| !problems.iter().any(|p| p.field == e.field))
                .cloned()
                .collect::<Vec<_>>(),
        ),
    }
    // The facade's order: organizationId, then the user's fields as on the wire. (A pass per
    // field rather than a sort: a handful of entries, and no sort code in the wasm.)
    let mut ordered = Vec::with_capacity(problems.len());
    for name in std::iter::once("organizationId").chain(NEW_USER_FIELD_NAMES) {
        ordered.extend(problems.iter().filter(|p| p.field == name).cloned());
    }
    Err(Error::invalid_input(ordered))
}
