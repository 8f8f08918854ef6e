//! Requests of any operation of the table, written and read without I/O: the path and query a
//! client sends ([`path_and_query`]), and on the server side the operation a request names
//! ([`route`]) and its query, checked ([`read_query`]).
//!
//! The facade (reqwest), the npm package (`fetch`) and the mock's router all go through these
//! functions, so no request path is typed by hand anywhere and the spec's parameter rules are
//! applied the same way on both sides.

use percent_encoding::percent_decode_str;
#[cfg(not(target_arch = "wasm32"))]
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::operation::{Method, Operation, Param, ParamKind};
use crate::rules::Problem;

/// A query parameter's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A boolean.
    Bool(bool),
    /// Strings, sent as the parameter repeated.
    TextList(Vec<String>),
}

/// The query parameters of one call, by wire name, in the order set.
pub type Query = Vec<(&'static str, Value)>;

/// The path and query of a call of `operation` (`/v1/organizations/my-org/collaborators/?page=2`),
/// or every problem of its arguments by the spec's rules: a missing or empty path argument, a
/// value that breaks its parameter's generated check, a value of the wrong kind, a missing
/// required query parameter. Path arguments are in path order; query values by wire name.
/// Everything is percent-encoded.
pub fn path_and_query(
    operation: &Operation,
    path_args: &[&str],
    query: &[(&str, Value)],
) -> Result<String, Vec<Problem>> {
    let mut problems = path_problems(operation, path_args);
    problems.extend(query_problems(operation, query));
    if !problems.is_empty() {
        return Err(problems);
    }
    // The template's literal parts and `{name}`s in turn, by splitting (no string slicing: its
    // bounds checks would link core's formatting machinery into the npm package's wasm).
    let mut out = String::with_capacity(operation.path.len() + 64);
    let mut args = path_args.iter();
    let mut parts = operation.path.split('{');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        let rest = part.split_once('}').map_or("", |(_, rest)| rest);
        out.push_str(&encode(args.next().copied().unwrap_or_default()));
        out.push_str(rest);
    }
    let mut separator = '?';
    let mut push = |out: &mut String, wire: &str, value: &str| {
        out.push(separator);
        separator = '&';
        out.push_str(wire);
        out.push('=');
        out.push_str(&encode(value));
    };
    // The spec's order, whatever order the values were set in: one call, one URL.
    for param in operation.query {
        for (_, value) in query.iter().filter(|(wire, _)| *wire == param.wire) {
            match value {
                Value::Text(text) => push(&mut out, param.wire, text),
                Value::Integer(n) => push(&mut out, param.wire, &decimal(*n)),
                Value::Bool(flag) => {
                    push(&mut out, param.wire, if *flag { "true" } else { "false" })
                }
                Value::TextList(items) => {
                    items
                        .iter()
                        .for_each(|item| push(&mut out, param.wire, item));
                }
            }
        }
    }
    Ok(out)
}

/// Every problem of `path_args` (in path order) by the spec: missing, empty, or breaking the
/// parameter's generated rules.
pub fn path_problems(operation: &Operation, path_args: &[&str]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, param) in operation.path_params.iter().enumerate() {
        match path_args.get(index) {
            Some(value) if !value.is_empty() => check(&mut problems, param, value),
            _ => problems.push(problem(param, "is required")),
        }
    }
    problems
}

/// Every problem of `query` by the spec: unknown names, values of the wrong kind or breaking
/// their parameter's rules, required parameters missing.
pub fn query_problems(operation: &Operation, query: &[(&str, Value)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (wire, value) in query {
        let Some(param) = operation.query_param(wire) else {
            let mut message = String::from(*wire);
            message.push_str(" is not a parameter of ");
            message.push_str(operation.id);
            problems.push(Problem {
                field: "query",
                message,
            });
            continue;
        };
        match (param.kind, value) {
            (ParamKind::Text, Value::Text(text)) => check(&mut problems, param, text),
            (ParamKind::TextList, Value::TextList(items)) => {
                items
                    .iter()
                    .for_each(|item| check(&mut problems, param, item));
            }
            (ParamKind::Integer, Value::Integer(_)) | (ParamKind::Bool, Value::Bool(_)) => {}
            (kind, _) => problems.push(problem(param, kind_phrase(kind))),
        }
    }
    for param in operation.query.iter().filter(|param| param.required) {
        if !query.iter().any(|(wire, _)| *wire == param.wire) {
            problems.push(problem(param, "is required"));
        }
    }
    problems
}

fn check(problems: &mut Vec<Problem>, param: &Param, value: &str) {
    if let Some(check) = param.check {
        problems.extend(check(value));
    }
}

fn problem(param: &Param, message: &str) -> Problem {
    Problem {
        field: param.name,
        message: message.into(),
    }
}

fn kind_phrase(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Text => "must be a string",
        ParamKind::Integer => "must be an integer",
        ParamKind::Bool => "must be true or false",
        ParamKind::TextList => "must be a list of strings",
    }
}

/// The operation of `operations` that `method` and `path` (without the query) name, and its path
/// arguments, decoded, in path order. `None` when none matches.
pub fn route(
    operations: &[&'static Operation],
    method: &str,
    path: &str,
) -> Option<(&'static Operation, Vec<String>)> {
    operations.iter().copied().find_map(|operation| {
        if !operation.method.as_str().eq_ignore_ascii_case(method) {
            return None;
        }
        match_template(operation.path, path).map(|args| (operation, args))
    })
}

/// The methods of the operations whose template `path` has the shape of: empty for an unknown
/// path (404), else what a wrong method's 405 lists in its `Allow` header.
pub fn allowed_methods(operations: &[&'static Operation], path: &str) -> Vec<Method> {
    operations
        .iter()
        .filter(|operation| match_template(operation.path, path).is_some())
        .map(|operation| operation.method)
        .collect()
}

/// The decoded arguments of `path` if it matches `template` segment by segment (`{name}` takes
/// one non-empty segment).
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(args),
            (Some(want), Some(have)) if want.starts_with('{') && want.ends_with('}') => {
                if have.is_empty() {
                    return None;
                }
                args.push(decode(have, false).ok()?);
            }
            (Some(want), Some(have)) if want == have => {}
            _ => return None,
        }
    }
}

/// Reads a request's raw query for `operation`: each known parameter's values by wire name,
/// checked by its kind and its generated rules, the way a server that follows the spec would.
/// Unknown parameters are ignored (as servers do); `name[]` is read as `name` for lists.
pub fn read_query(operation: &Operation, raw: &str) -> Result<Query, Vec<Problem>> {
    let mut query: Query = Vec::new();
    let mut problems = Vec::new();
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Ok(name), Ok(value)) = (decode(name, true), decode(value, true)) else {
            problems.push(Problem {
                field: "query",
                message: "is not valid percent-encoded UTF-8".into(),
            });
            continue;
        };
        let name = name.strip_suffix("[]").unwrap_or(&name);
        let Some(param) = operation.query_param(name) else {
            continue;
        };
        let value = match param.kind {
            ParamKind::Text => Value::Text(value),
            ParamKind::Integer => match value.parse::<i64>() {
                Ok(n) => Value::Integer(n),
                Err(_) => {
                    problems.push(problem(param, kind_phrase(param.kind)));
                    continue;
                }
            },
            ParamKind::Bool => match value.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    problems.push(problem(param, kind_phrase(param.kind)));
                    continue;
                }
            },
            ParamKind::TextList => {
                if let Some((_, Value::TextList(items))) =
                    query.iter_mut().find(|(wire, _)| *wire == param.wire)
                {
                    items.push(value);
                    continue;
                }
                Value::TextList(vec![value])
            }
        };
        if let Some(at) = query.iter().position(|(wire, _)| *wire == param.wire) {
            query[at].1 = value; // the last one wins, as for most servers
        } else {
            query.push((param.wire, value));
        }
    }
    problems.extend(query_problems(operation, &query));
    if problems.is_empty() {
        Ok(query)
    } else {
        Err(problems)
    }
}

/// The query value of `wire`, if set.
pub fn get<'a>(query: &'a [(&str, Value)], wire: &str) -> Option<&'a Value> {
    query
        .iter()
        .find(|(name, _)| *name == wire)
        .map(|(_, value)| value)
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
#[cfg(not(target_arch = "wasm32"))]
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text` percent-encoded for a path segment or a query value: everything but RFC 3986's
/// unreserved characters.
pub fn encode(text: &str) -> String {
    // The npm package's wasm has its own encoder (same output, tested against this one): the
    // crate's 768-byte table costs the package 0.5 KB gzip.
    #[cfg(target_arch = "wasm32")]
    return crate::wasm_text::encode(text);
    #[cfg(not(target_arch = "wasm32"))]
    utf8_percent_encode(text, ENCODED).collect()
}

/// Percent-decoding (and `+` as a space in a query); UTF-8 required, and every `%` must start
/// an escape (the crate would pass `%zz` through; a server following RFC 3986 refuses it).
fn decode(text: &str, plus_is_space: bool) -> Result<String, ()> {
    let escapes_valid = text.split('%').skip(1).all(|rest| {
        rest.as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_valid {
        return Err(());
    }
    let spaced;
    let text = if plus_is_space && text.contains('+') {
        spaced = text.replace('+', " ");
        &spaced
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| ())
}

/// `n` in decimal: `to_string`, except in the npm package's wasm, which has its own (tested equal)
/// because `to_string` would link core's formatting machinery into it on this path.
fn decimal(n: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    return crate::wasm_text::decimal(n);
    #[cfg(not(target_arch = "wasm32"))]
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(encode("aZ0-._~"), "aZ0-._~");
        assert_eq!(encode("a b/c?d#e%f+g"), "a%20b%2Fc%3Fd%23e%25f%2Bg");
        assert_eq!(encode("é"), "%C3%A9");
    }

    /// The wasm build's encoder gives the crate's output, for every character class.
    #[test]
    fn the_wasm_encoder_is_the_crates() {
        let mut texts: Vec<String> = (0u8..=127).map(|b| char::from(b).to_string()).collect();
        texts.extend(
            [
                "",
                "aZ0-._~",
                "a b/c?d#e%f+g",
                "é€😀",
                "ada+x@example.com",
                "x\u{0}y",
            ]
            .map(String::from),
        );
        texts.push((0u32..0x800).filter_map(char::from_u32).collect());
        for text in &texts {
            assert_eq!(crate::wasm_text::encode(text), encode(text), "{text:?}");
        }
    }

    #[test]
    fn the_wasm_decimal_is_to_string() {
        for n in [
            0,
            7,
            -7,
            10,
            99,
            100,
            -1000,
            i64::MAX,
            i64::MIN,
            1_234_567_890,
        ] {
            assert_eq!(crate::wasm_text::decimal(n), n.to_string());
        }
    }

    #[test]
    fn decodes_strictly() {
        assert_eq!(decode("a%20b+c", true), Ok("a b c".into()));
        assert_eq!(decode("a%2Bb+c", false), Ok("a+b+c".into()));
        assert_eq!(decode("%C3%A9", true), Ok("é".into()));
        for bad in ["%", "%2", "%zz", "a%g1", "%FF"] {
            assert_eq!(decode(bad, true), Err(()), "{bad}");
        }
        assert_eq!(decode(&encode("x /%+é"), true), Ok("x /%+é".into()));
    }
}
