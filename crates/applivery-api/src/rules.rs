//! The checks that the generated validation (`validation.rs`) applies, one per spec keyword.
//!
//! `cargo xtask codegen` turns each constraint of a request schema or parameter (`maxLength`,
//! `minLength`, `pattern`, `enum`, `minItems`, `maxItems`) into a call of one of these, so the
//! client, the mock and the npm package check exactly the spec's rules and nothing else.

/// One broken rule: the property or parameter, by its name in the spec, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The spec's name of the property (`email`, `firstName`) or parameter (`organizationId`).
    pub field: &'static str,
    /// What is wrong, as a phrase that follows the field's name ("must be at most 128 characters").
    pub message: String,
}

/// The characters (code points) of `text`, as JSON Schema counts length. Counted by hand:
/// `chars().count()` links core's large, vectorised counter into the npm package's wasm.
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|&byte| byte & 0xC0 != 0x80).count()
}

/// Adds a problem unless `value` has at most `max` characters (JSON Schema counts code points).
pub fn max_length(problems: &mut Vec<Problem>, field: &'static str, value: &str, max: usize) {
    let chars = char_count(value);
    if chars > max {
        problems.push(Problem {
            field,
            message: format!("must be at most {max} characters (got {chars})"),
        });
    }
}

/// Adds a problem unless `value` has at least `min` characters.
pub fn min_length(problems: &mut Vec<Problem>, field: &'static str, value: &str, min: usize) {
    let chars = char_count(value);
    if chars < min {
        problems.push(Problem {
            field,
            message: format!("must be at least {min} characters (got {chars})"),
        });
    }
}

/// Adds a problem unless `matcher` (a hand-written [`crate::patterns`] function) accepts `value`.
pub fn pattern(
    problems: &mut Vec<Problem>,
    field: &'static str,
    value: &str,
    matcher: fn(&str) -> Result<(), &'static str>,
) {
    if let Err(reason) = matcher(value) {
        problems.push(Problem {
            field,
            message: reason.to_owned(),
        });
    }
}

/// Adds `message` as a problem unless `compiled` (a pattern of the spec that codegen compiled)
/// matches `value`.
pub fn compiled_pattern(
    problems: &mut Vec<Problem>,
    field: &'static str,
    value: &str,
    compiled: &crate::compiled_pattern::CompiledPattern<'_>,
    message: &'static str,
) {
    if !compiled.matches(value) {
        problems.push(Problem {
            field,
            message: message.to_owned(),
        });
    }
}

/// Adds a problem unless `value` is one of `allowed`.
pub fn one_of(problems: &mut Vec<Problem>, field: &'static str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        // A loop, not `join`: the npm package's wasm would carry another copy of it.
        let mut message = String::from("must be one of ");
        for (i, name) in allowed.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            message.push_str(name);
        }
        problems.push(Problem { field, message });
    }
}

/// Adds a problem unless the array has at most `max` items.
pub fn max_items(problems: &mut Vec<Problem>, field: &'static str, len: usize, max: usize) {
    if len > max {
        problems.push(Problem {
            field,
            message: format!("must have at most {max} items (got {len})"),
        });
    }
}

/// Adds a problem unless the array has at least `min` items.
pub fn min_items(problems: &mut Vec<Problem>, field: &'static str, len: usize, min: usize) {
    if len < min {
        problems.push(Problem {
            field,
            message: format!("must have at least {min} items (got {len})"),
        });
    }
}
