//! Every pattern of the spec that codegen compiled matches exactly what the regex crate
//! matches (with ECMAScript's meanings), on thousands of strings generated from the pattern,
//! near misses of them and random strings; and every pattern of the spec is either compiled or
//! has a hand-written matcher. The compiler itself is tested on more patterns in the xtask
//! (`xtask/src/codegen/pattern/equivalence_tests.rs`), with this same runtime.

#[path = "support/pattern_cases.rs"]
mod pattern_cases;

use applivery_api::validation::COMPILED_PATTERNS;

/// The `pattern`s of the spec, in document order.
fn spec_patterns() -> Vec<String> {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    let mut found = Vec::new();
    collect_patterns(&spec, &mut found);
    found
}

fn collect_patterns(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, value) in object {
                match value.as_str() {
                    Some(pattern) if key == "pattern" => found.push(pattern.to_owned()),
                    _ => collect_patterns(value, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, found)),
        _ => {}
    }
}

#[test]
fn every_pattern_of_the_spec_is_compiled_or_hand_written() {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    // The one pattern with look-aheads: `applivery_api::patterns::email`.
    let hand_written =
        &spec["components"]["schemas"]["NewOemUser"]["properties"]["email"]["pattern"];
    let mut compiled: Vec<String> = spec_patterns()
        .into_iter()
        .filter(|pattern| pattern != hand_written)
        .collect();
    compiled.sort();
    compiled.dedup();
    let mut generated: Vec<String> = COMPILED_PATTERNS
        .iter()
        .map(|(text, _)| text.to_string())
        .collect();
    generated.sort();
    assert_eq!(compiled, generated);
    assert!(generated.len() >= 2, "organizationId and sort, at least");
}

#[test]
fn compiled_patterns_agree_with_the_regex_crate() {
    for (pattern, compiled) in COMPILED_PATTERNS {
        let verdicts = pattern_cases::judge(pattern, |value| compiled.matches(value));
        println!(
            "{pattern}: {} matching, {} not matching",
            verdicts.matching, verdicts.not_matching
        );
        // Random strings almost never match, generated ones almost always do: both must be many.
        assert!(
            verdicts.matching >= 1000 && verdicts.not_matching >= 1000,
            "{pattern}: {verdicts:?}"
        );
    }
}

#[test]
fn a_value_breaking_a_compiled_pattern_gets_the_spec_s_message() {
    let problems = applivery_api::validation::organization_id_problems("a/b");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, "organizationId");
    assert_eq!(
        problems[0].message,
        "must be a 24-hex id or a slug of at least 3 characters: letters A-Z, digits and '-'"
    );
    assert!(
        applivery_api::validation::organization_id_problems("5f3a9c0e1b2c3d4e5f6a7b8c").is_empty()
    );
    let problems = applivery_api::validation::sort_problems("x:up");
    assert_eq!(
        problems[0].message,
        "must be a field name of letters, digits, `_` and `.`, then optionally `:asc` or `:desc`"
    );
    assert!(applivery_api::validation::sort_problems("user.email:desc").is_empty());
}
