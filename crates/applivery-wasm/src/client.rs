//! The `Client` class the JS wrapper (`web/applivery-oem/index.js`) builds `AppliveryClient`
//! on: options, validation and the start of a [`Call`].
//!
//! Every decision comes from the `applivery` crate: [`applivery::validate_request`] and
//! [`applivery::sans_io::check_parsed_base_url`] here, classification and retries in [`crate::call`].
//! Failures cross to JS as the fields of an `AppliveryError` (see [`crate::js::error_fields`]).

use std::rc::Rc;

use applivery::{Error, FieldError, ListQuery, NewOemUser, RetryPolicy};
use applivery_api::shape::Shape;
use applivery_api::types::NewOemUser as WireUser;
use js_sys::Array;
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

    /// Validates one `createOemUser` call and starts it; throws the fields of an
    /// `invalid_input` (or, for a `signal` that is not an `AbortSignal`, `config`) error, in
    /// which case nothing may be sent.
    pub fn prepare(
        &self,
        organization_id: JsValue,
        user: JsValue,
        signal: JsValue,
    ) -> Result<Call, JsValue> {
        if !(is_absent(&signal) || signal.is_instance_of::<AbortSignal>()) {
            let error = Error::config("options.signal must be an AbortSignal");
            return Err(error_fields(&error));
        }
        let organization_id = organization_id.as_string().unwrap_or_default();
        read_user(Some(&organization_id), &user)
            .and_then(|user| Call::new(self.config.clone(), &organization_id, &user))
            .map_err(|error| error_fields(&error))
    }
}

#[wasm_bindgen]
impl Client {
    /// Starts a `refreshOemUserSecret` call: the organization id and the user id (non-empty,
    /// percent-encoded into the path) are checked first.
    #[wasm_bindgen(js_name = prepareRefresh)]
    pub fn prepare_refresh(
        &self,
        organization_id: JsValue,
        user_id: JsValue,
        signal: JsValue,
    ) -> Result<Call, JsValue> {
        check_signal(&signal)?;
        let organization_id = organization_id.as_string().unwrap_or_default();
        let user_id = user_id.as_string().unwrap_or_default();
        let mut problems = applivery::validate_organization_id(&organization_id)
            .err()
            .map(|e| e.field_errors().to_vec())
            .unwrap_or_default();
        if user_id.is_empty() {
            problems.push(FieldError::new("userId", "must be a non-empty string"));
        }
        if !problems.is_empty() {
            return Err(error_fields(&Error::invalid_input(problems)));
        }
        let mut path = organization_id;
        path.push_str("/oem/users/");
        path.push_str(&applivery::sans_io::encode(&user_id));
        path.push_str("/secret");
        Ok(Call::request(
            self.config.clone(),
            "PUT",
            &path,
            Answer::Collaborator,
        ))
    }

    /// Starts the call of page `page` (from 1) of `listCollaborators`: the organization id
    /// and `{ pageSize, sort, role, email, tags, onlyUsers }` are checked first.
    #[wasm_bindgen(js_name = prepareList)]
    pub fn prepare_list(
        &self,
        organization_id: JsValue,
        page: f64,
        options: JsValue,
        signal: JsValue,
    ) -> Result<Call, JsValue> {
        check_signal(&signal)?;
        let organization_id = organization_id.as_string().unwrap_or_default();
        let (query, mut problems) = read_list_query(&options);
        if !(page >= 1.0 && page.fract() == 0.0) {
            problems.push(FieldError::new("page", "must be an integer from 1"));
        }
        let path = query.path(&organization_id, page as u64);
        if let Err(error) = &path {
            let mut all = error.field_errors().to_vec();
            all.extend(problems);
            problems = all;
        }
        match path {
            Ok(path) if problems.is_empty() => Ok(Call::request(
                self.config.clone(),
                "GET",
                &path,
                Answer::Page(page as u64),
            )),
            _ => Err(error_fields(&Error::invalid_input(problems))),
        }
    }
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

/// `{ pageSize, sort, role, email, tags, onlyUsers }`, and what is wrongly typed.
fn read_list_query(options: &JsValue) -> (ListQuery, Vec<FieldError>) {
    let mut query = ListQuery::default();
    let mut problems = Vec::new();
    query.sort = optional_text(options, "sort", &mut problems);
    query.role = optional_text(options, "role", &mut problems);
    query.email = optional_text(options, "email", &mut problems);
    let page_size = get(options, "pageSize");
    match page_size.as_f64() {
        _ if is_absent(&page_size) => {}
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 1000.0 => query.page_size = n as u32,
        _ => problems.push(FieldError::new(
            "pageSize",
            "must be an integer from 1 to 1000",
        )),
    }
    let tags = get(options, "tags");
    if !is_absent(&tags) {
        match tags.dyn_ref::<Array>().and_then(|array| {
            array
                .iter()
                .map(|t| t.as_string())
                .collect::<Option<Vec<_>>>()
        }) {
            Some(tags) => query.tags = tags,
            None => problems.push(FieldError::new("tags", "must be an array of strings")),
        }
    }
    let only_users = get(options, "onlyUsers");
    if !is_absent(&only_users) {
        match only_users.as_bool() {
            Some(only) => query.only_users = Some(only),
            None => problems.push(FieldError::new("onlyUsers", "must be a boolean")),
        }
    }
    (query, problems)
}

/// `options[name]` if it is a string; a problem if it is something else but absent.
#[inline(never)]
fn optional_text(
    options: &JsValue,
    name: &'static str,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    let value = get(options, name);
    if is_absent(&value) {
        return None;
    }
    let text = value.as_string();
    if text.is_none() {
        problems.push(FieldError::new(name, "must be a string"));
    }
    text
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
    let mut organizations_url = base_url;
    organizations_url.push_str("/v1/organizations/");
    Ok(Config {
        authorization,
        organizations_url,
        timeout_ms,
        policy: RetryPolicy::default().max_attempts(max_retries + 1),
    })
}

/// [`applivery::sans_io::check_parsed_base_url`] over the host's WHATWG `URL` parser: the same rule as
/// the crate's `validate_base_url`, without compiling the `url` crate into the package.
fn parse_base_url(text: &str) -> Result<String, Error> {
    let url = web_sys::Url::new(text.trim()).map_err(|e| {
        let mut message = String::from("base URL is not a valid URL: ");
        message.push_str(&message_of(&e).unwrap_or_default());
        Error::config(message)
    })?;
    let (href, protocol, host) = (url.href(), url.protocol(), url.hostname());
    applivery::sans_io::check_parsed_base_url(&applivery::sans_io::ParsedUrl {
        href: &href,
        scheme: protocol.strip_suffix(':').unwrap_or(&protocol),
        host: Some(&host),
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        has_query_or_fragment: !url.search().is_empty() || !url.hash().is_empty(),
    })
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
