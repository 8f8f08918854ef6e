//! The hand-written email matcher and the generated validation agree with a look-ahead-capable
//! regex engine (fancy-regex) running the spec's own pattern text, on every email of a
//! generated corpus.

#[path = "support/email_corpus.rs"]
mod email_corpus;

use applivery_api::types::NewOemUser;

fn spec_rule(name: &str) -> serde_json::Value {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    spec["components"]["schemas"]["NewOemUser"]["properties"][name].clone()
}

#[test]
fn the_matcher_equals_the_documented_pattern_on_every_generated_email() {
    let rule = spec_rule("email");
    let pattern = rule["pattern"].as_str().unwrap();
    let max = rule["maxLength"].as_u64().unwrap() as usize;
    let regex = fancy_regex::Regex::new(pattern).unwrap();
    let corpus = email_corpus::emails(6000);
    let (mut valid, mut disagreements) = (0, Vec::new());
    for email in &corpus {
        let by_regex = regex.is_match(email).unwrap();
        let by_matcher = applivery_api::patterns::email(email).is_ok();
        if by_regex != by_matcher {
            disagreements.push(format!("{email:?}: regex {by_regex}, matcher {by_matcher}"));
        }
        let mut user = NewOemUser::blank();
        user.email = email.clone();
        let by_rules = user.problems().is_empty();
        let expected = by_regex && email.chars().count() <= max;
        if by_rules != expected {
            disagreements.push(format!("{email:?}: rules {by_rules}, spec {expected}"));
        }
        valid += usize::from(expected);
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    println!("{} emails judged alike, {valid} valid", corpus.len());
    // The corpus means something only if it has plenty of both verdicts.
    assert!(corpus.len() >= 5000);
    assert!(valid >= 500 && corpus.len() - valid >= 500, "{valid} valid");
}

#[test]
fn the_generated_check_equals_the_documented_organization_id_pattern() {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    let parameter =
        &spec["paths"]["/v1/organizations/{organizationId}/oem/users"]["post"]["parameters"][0];
    let regex = fancy_regex::Regex::new(parameter["schema"]["pattern"].as_str().unwrap()).unwrap();
    let mut ids: Vec<String> = [
        "5f3a9c0e1b2c3d4e5f6a7b8c",
        "5F3A9C0E1B2C3D4E5F6A7B8C",
        "5f3a9c0e1b2c3d4e5f6a7b8",
        "demo-org",
        "abc",
        "ab",
        "a",
        "",
        "---",
        "a_b",
        "a/b",
        "../x",
        "..",
        "%2e%2e",
        "a b",
        "a\nb",
        "abc\n",
        "é12",
        "a.b.c",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    ids.push("a".repeat(1000));
    let alphabet = ['a', 'F', '0', '9', '-', '_', '.', '/', '%', ' ', 'é'];
    let mut state = 7u64;
    for _ in 0..3000 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (state >> 59) as usize;
        let id: String = (0..len)
            .map(|i| alphabet[((state >> (i * 3 % 56)) % alphabet.len() as u64) as usize])
            .collect();
        ids.push(id);
    }
    for id in &ids {
        assert_eq!(
            applivery_api::validation::organization_id_problems(id).is_empty(),
            regex.is_match(id).unwrap(),
            "{id:?}"
        );
    }
}
