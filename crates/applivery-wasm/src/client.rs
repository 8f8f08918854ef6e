//! The `Client` class the JS wrapper (`web/applivery-oem/index.js`) builds `AppliveryClient`
//! on: options, validation and the start of a [`Call`].
//!
//! Every decision comes from the `applivery` crate: [`applivery::validate_request`] and
//! [`applivery::sans_io::check_parsed_base_url`] here, classification and retries in [`crate::call`].
//! Failures cross to JS as the fields of an `AppliveryError` (see [`crate::js::error_fields`]).

use std::rc::Rc;

use applivery::{Error, FieldError, NewOemUser, RetryPolicy};
use applivery_api::operation::{Operation, ParamKind};
use applivery_api::operations::OPERATIONS;
use applivery_api::request::{Query, Value};
use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser as WireUser;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::call::{Answer, BEARER, Call, Config};
use crate::js::{error_fields, field_errors, get, is_absent, message_of};
use crate::shapes::CLIENT_OPTION_NAMES;

/// Per-attempt timeout when `timeoutMs` is not given.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// Retries after the first attempt when `maxRetries` is not given (the facade's default of 3
/// attempts).
const DEFAULT_MAX_RETRIES: u32 = 2;

/// A configured client; the wrapper keeps it in a private field.
#[wasm_bindgen]
pub struct Client {
    config: Rc<Config>,
}

#[wasm_bindgen]
impl Client {
    /// Reads `{ apiKey, baseUrl?, timeoutMs?, maxRetries? }`; throws the fields of a `config`
    /// error when a value is missing or wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        read_config(&options)
            .map(|config| Client {
                config: Rc::new(config),
            })
            .map_err(|error| error_fields(&error))
    }

    /// Validates one call of operation `index` (of `applivery_api::operations::OPERATIONS`,
    /// the order of the wrapper's `operations.js`) and starts it: its path arguments, its body
    /// (a `createOemUser` user through the facade's rules), the query parameters in `options`
    /// (by their surface names) and, for a paged one, `page`. Throws the fields of an
    /// `invalid_input` error with every problem (or `config`, for a `signal` that is not an
    /// `AbortSignal`), in which case nothing may be sent.
    #[wasm_bindgen(js_name = prepareOperation)]
    pub fn prepare_operation(
        &self,
        index: u32,
        path_args: JsValue,
        body: JsValue,
        options: JsValue,
        page: JsValue,
        signal: JsValue,
    ) -> Result<Call, JsValue> {
        check_signal(&signal)?;
        let operation = OPERATIONS
            .get(index as usize)
            .ok_or_else(|| error_fields(&Error::config("unknown operation")))?;
        prepare(
            self.config.clone(),
            operation,
            &path_args,
            &body,
            &options,
            &page,
        )
        .map_err(|error| error_fields(&error))
    }

    /// One attempt of operation `index` for a bulk run (`createOemUser` or
    /// `refreshOemUserSecret`): validated as [`Client::prepare_operation`] validates, but it
    /// never retries; the run's scheduler decides what comes after its `{ ok }` or `{ error }`.
    #[wasm_bindgen(js_name = prepareAttempt)]
    pub fn prepare_attempt(
        &self,
        index: u32,
        path_args: JsValue,
        body: JsValue,
    ) -> Result<Call, JsValue> {
        let call = self.prepare_operation(
            index,
            path_args,
            body,
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )?;
        Ok(call.single_attempt())
    }
}

/// The call of `operation`, or every problem of its arguments.
pub(crate) fn prepare(
    config: Rc<Config>,
    operation: &'static Operation,
    path_args: &JsValue,
    body: &JsValue,
    options: &JsValue,
    page: &JsValue,
) -> Result<Call, Error> {
    let mut typed = Vec::new();
    let args = read_path_args(operation, path_args, &mut typed);
    let mut query = read_query(operation, options, &mut typed);
    let requested = if operation.paged {
        match page.as_f64() {
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER => {
                query.push(("page", Value::Integer(n as i64)));
                Some(n as u64)
            }
            _ => {
                typed.push(FieldError::new("page", "must be an integer from 1"));
                None
            }
        }
    } else {
        None
    };
    if let Some(size) = operation.page_size_param()
        && !query.iter().any(|(wire, _)| *wire == size.wire)
    {
        query.push((size.wire, Value::Integer(i64::from(DEFAULT_PAGE_SIZE))));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let path = applivery_api::request::path_and_query(operation, &refs, &query);
    let mut problems: Vec<FieldError> = match &path {
        Ok(_) => Vec::new(),
        Err(found) => found
            .iter()
            .map(|p| FieldError::new(p.field, p.message.clone()))
            .collect(),
    };
    problems.extend(typed);
    let body = read_body(operation, body, &mut problems);
    let path = match path {
        Ok(path) if problems.is_empty() => path,
        _ => return Err(Error::invalid_input(problems)),
    };
    let answer = match operation.success {
        "CreateOemUserResponse" => Answer::Collaborator,
        "CollaboratorListResponse" => Answer::Page(requested.unwrap_or(1)),
        _ => Answer::Data(requested),
    };
    let mut call = Call::request(config, operation.method.as_str(), &path, answer);
    call.set_body(body);
    Ok(call)
}

/// The path arguments as text (an absent one is empty, and the spec's rules refuse it).
fn read_path_args(
    operation: &Operation,
    path_args: &JsValue,
    problems: &mut Vec<FieldError>,
) -> Vec<String> {
    operation
        .path_params
        .iter()
        .enumerate()
        .map(|(index, param)| {
            let value = Reflect::get_u32(path_args, index as u32).unwrap_or(JsValue::UNDEFINED);
            match value.as_string() {
                Some(text) => text,
                None if is_absent(&value) => String::new(),
                None => {
                    problems.push(FieldError::new(param.name, "must be a string"));
                    String::new()
                }
            }
        })
        .collect()
}

/// The JSON body the operation sends, if it takes one: a `createOemUser` user through the
/// facade's rules (their problems added), any other body as it is (the server checks it).
fn read_body(
    operation: &Operation,
    body: &JsValue,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    match operation.body {
        None => None,
        Some("NewOemUser") => match read_user(None, body) {
            Ok(user) => serde_json::to_string(user.as_wire()).ok(),
            Err(error) => {
                problems.extend(error.field_errors().iter().cloned());
                None
            }
        },
        Some(_) => js_sys::JSON::stringify(body)
            .ok()
            .and_then(|text| text.as_string()),
    }
}

/// Collaborators (items) per page when a paged call sets none: the facade's.
const DEFAULT_PAGE_SIZE: u32 = 100;

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The query parameters in `options`, by their surface names; a value of the wrong type is a
/// problem (the spec's own rules are checked when the request is written).
fn read_query(operation: &Operation, options: &JsValue, problems: &mut Vec<FieldError>) -> Query {
    let mut query = Query::new();
    for param in operation.query {
        if operation.paged && param.wire == "page" {
            continue;
        }
        let value = get(options, param.name);
        if is_absent(&value) {
            continue;
        }
        let read = match param.kind {
            ParamKind::Text => value.as_string().map(Value::Text),
            ParamKind::Bool => value.as_bool().map(Value::Bool),
            ParamKind::Integer => value
                .as_f64()
                .filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER)
                .map(|n| Value::Integer(n as i64)),
            ParamKind::TextList => value.dyn_ref::<Array>().and_then(|array| {
                array
                    .iter()
                    .map(|item| item.as_string())
                    .collect::<Option<Vec<_>>>()
                    .map(Value::TextList)
            }),
        };
        match read {
            Some(value) => query.push((param.wire, value)),
            None => problems.push(FieldError::new(
                param.name,
                match param.kind {
                    ParamKind::Text => "must be a string",
                    ParamKind::Bool => "must be a boolean",
                    ParamKind::Integer => "must be an integer",
                    ParamKind::TextList => "must be an array of strings",
                },
            )),
        }
    }
    query
}

/// A `signal` that is not an `AbortSignal` is a `config` error.
fn check_signal(signal: &JsValue) -> Result<(), JsValue> {
    if is_absent(signal) || signal.is_instance_of::<AbortSignal>() {
        Ok(())
    } else {
        let error = Error::config("options.signal must be an AbortSignal");
        Err(error_fields(&error))
    }
}

/// Validates a user as `createOemUser` does, sending nothing: its field errors, in the facade's
/// order, empty when the user is valid (for checking a whole file before a bulk run).
#[wasm_bindgen(js_name = validateOemUser)]
pub fn validate_oem_user(user: JsValue) -> Array {
    match read_user(None, &user) {
        Ok(_) => Array::new(),
        Err(error) => field_errors(error.field_errors()),
    }
}

fn read_config(options: &JsValue) -> Result<Config, Error> {
    let [api_key, base_url, timeout_ms, max_retries, fetch] =
        CLIENT_OPTION_NAMES.map(|name| get(options, name));
    // Used by the wrapper; checked here with the other options.
    if !(is_absent(&fetch) || fetch.is_function()) {
        return Err(Error::config("fetch must be a function"));
    }
    let api_key = api_key
        .as_string()
        .filter(|key| !key.trim().is_empty())
        .ok_or_else(|| Error::config("apiKey is required (a non-empty string)"))?;
    let base_url = if is_absent(&base_url) {
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
    Ok(Config {
        authorization,
        base_url,
        timeout_ms,
        policy: RetryPolicy::default().max_attempts(max_retries + 1),
    })
}

/// [`applivery::sans_io::check_parsed_base_url`] over the host's WHATWG `URL` parser: the same rule as
/// the crate's `validate_base_url`, without compiling the `url` crate into the package.
fn parse_base_url(text: &str) -> Result<String, Error> {
    let parts = url_parts(text.trim()).map_err(|e| {
        let mut message = String::from("base URL is not a valid URL: ");
        message.push_str(&message_of(&e).unwrap_or_default());
        Error::config(message)
    })?;
    let [href, protocol, host, credentials, query_or_fragment] =
        [0, 1, 2, 3, 4].map(|index| parts.get(index).as_string().unwrap_or_default());
    applivery::sans_io::check_parsed_base_url(&applivery::sans_io::ParsedUrl {
        href: &href,
        scheme: protocol.strip_suffix(':').unwrap_or(&protocol),
        host: Some(&host),
        has_credentials: !credentials.is_empty(),
        has_query_or_fragment: !query_or_fragment.is_empty(),
    })
}

#[wasm_bindgen(module = "/src/url.js")]
extern "C" {
    /// `[href, protocol, hostname, username + password, search + hash]` of `new URL(text)`;
    /// throws what `URL` throws.
    #[wasm_bindgen(catch, js_name = urlParts)]
    fn url_parts(text: &str) -> Result<Array, JsValue>;
}

/// `undefined`/`null` give `None`; anything not a number gives `Some(NaN)` (refused).
fn optional_number(value: &JsValue) -> Option<f64> {
    if is_absent(value) {
        None
    } else {
        Some(value.as_f64().unwrap_or(f64::NAN))
    }
}

/// Reads a `NewOemUser` (every property of the spec's `NewOemUser::FIELDS`, by name) and
/// validates it, with the organization id when given, through `applivery::validate_request`
/// (else `NewOemUser::validate`). A wrongly typed field is reported like an invalid one,
/// together with the problems of the other fields.
fn read_user(organization_id: Option<&str>, user: &JsValue) -> Result<NewOemUser, Error> {
    let mut problems = Vec::new();
    let mut wire = WireUser::blank();
    for field in WireUser::FIELDS {
        let value = get(user, field.name);
        if is_absent(&value) {
            continue;
        }
        if matches!(field.shape, Shape::TextList) {
            match value.dyn_ref::<Array>().and_then(|array| {
                array
                    .iter()
                    .map(|t| t.as_string())
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(items) => items.into_iter().for_each(|item| {
                    wire.push_item(field.name, item);
                }),
                None => problems.push(FieldError::new(field.name, "must be an array of strings")),
            }
        } else {
            match value.as_string() {
                Some(text) => {
                    wire.set_text(field.name, text);
                }
                None => problems.push(FieldError::new(field.name, "must be a string")),
            }
        }
    }
    let built = NewOemUser::from(wire);
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
    for name in std::iter::once("organizationId").chain(WireUser::PROPERTIES.iter().copied()) {
        ordered.extend(problems.iter().filter(|p| p.field == name).cloned());
    }
    Err(Error::invalid_input(ordered))
}
