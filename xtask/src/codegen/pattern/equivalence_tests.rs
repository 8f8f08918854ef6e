//! The tables [`super::compile`] builds match exactly what the regex crate matches, run by the
//! very runtime applivery-api runs them with, on the spec's patterns and on more of the subset.

#[path = "../../../../crates/applivery-api/src/compiled_pattern.rs"]
mod compiled_pattern;
#[path = "../../../../crates/applivery-api/tests/support/pattern_cases.rs"]
mod pattern_cases;

use compiled_pattern::CompiledPattern;

use super::{Table, compile};

fn runtime(table: &Table) -> CompiledPattern<'_> {
    CompiledPattern {
        classes: &table.classes,
        class_count: table.class_count,
        next: &table.next,
        start: table.start,
        first_accepting: table.first_accepting,
    }
}

/// Patterns of the subset with plenty of strings on both sides of them.
const PATTERNS: &[&str] = &[
    r"^[a-fA-F0-9]{24}$",
    r"^[\w.]*((:asc)|(:desc))?$",
    r"^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$",
    r"[0-9]{3}-[0-9]{4}",
    r"colou?r",
    r"x$",
    r"^ab|cd$",
    r"^a.c$",
    r"^.{0,5}$",
    r"^(?:\d{1,3}\.){3}\d{1,3}$",
    r"^\S+\s\S+$",
    r"^[^\d\W]+$",
    r"^(a|ab)(c|bcd)(d*)$",
    r"^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$",
    r"^(\+|-)?\d+(\.\d+)?([eE][+-]?\d+)?$",
    r"^\u00e9t\u00e9s?$",
    r"^[\x41-\x5A]{2,4}?$",
    r"(a*)*b",
    r"^(?:[a-c]+|z)*?y$",
    r"^$",
];

fn spec_patterns() -> Vec<String> {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/applivery-oem-users.json"
    );
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root).unwrap()).unwrap();
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
fn compiled_tables_agree_with_the_regex_crate() {
    let mut patterns: Vec<String> = PATTERNS.iter().map(|p| p.to_string()).collect();
    let spec = spec_patterns();
    assert!(spec.len() >= 2, "{spec:?}");
    for pattern in spec {
        if compile(&pattern).is_ok() && !patterns.contains(&pattern) {
            patterns.push(pattern);
        }
    }
    for pattern in &patterns {
        let table = compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let verdicts = pattern_cases::judge(pattern, |value| runtime(&table).matches(value));
        println!(
            "{pattern}: {} matching, {} not, {} states, {} classes",
            verdicts.matching,
            verdicts.not_matching,
            table.next.len() / usize::from(table.class_count),
            table.class_count
        );
        // Random strings almost never match, generated ones almost always do: both must be many.
        assert!(
            verdicts.matching >= 1000 && verdicts.not_matching >= 1000,
            "{pattern}: {verdicts:?}"
        );
    }
}

#[test]
fn the_entity_id_table_is_small() {
    let table = compile(r"^[a-fA-F0-9]{24}$").unwrap();
    // 24 counted characters, the start, the dead state; hex or not.
    assert_eq!(table.next.len() / usize::from(table.class_count), 26);
    assert_eq!(table.class_count, 2);
    // A slug of 3 or more is all the organization id needs: every 24-hex id is a slug too.
    let organization = compile(r"^(([a-fA-F0-9]{24})|([a-zA-Z0-9\-]{3,}))$").unwrap();
    assert_eq!(
        organization.next.len() / usize::from(organization.class_count),
        5
    );
}

#[test]
fn the_email_pattern_is_outside_the_subset() {
    let error = compile(
        r"^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$",
    )
    .unwrap_err();
    assert!(error.contains("look-around"), "{error}");
}

#[test]
fn a_pattern_too_large_for_a_table_is_an_error() {
    let error = compile(r"^[a-z]{300}$").unwrap_err();
    assert!(error.contains("states"), "{error}");
}
