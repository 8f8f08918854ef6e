//! The generated `sort` check equals the spec's own pattern text run by a regex engine,
//! on every string of up to four pieces of the characters that matter. ECMAScript's `\w` is
//! `[A-Za-z0-9_]`; the Rust engine's is Unicode, so it is spelled out for the engine.

fn spec_pattern() -> String {
    let spec: serde_json::Value = serde_json::from_str(applivery_api::OPENAPI_SPEC).unwrap();
    let parameters =
        spec["paths"]["/v1/organizations/{organizationId}/collaborators/"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone();
    let sort = parameters.iter().find(|p| p["name"] == "sort").unwrap();
    sort["schema"]["pattern"].as_str().unwrap().to_owned()
}

#[test]
fn the_matcher_equals_the_documented_pattern() {
    let pattern = spec_pattern().replace(r"\w", "A-Za-z0-9_");
    let regex = fancy_regex::Regex::new(&pattern).unwrap();
    let alphabet = [
        "a", "Z", "0", "_", ".", ":", "asc", "desc", ":asc", ":desc", "-", " ", "é",
    ];
    let mut checked = 0;
    let mut words = vec![String::new()];
    for _ in 0..4 {
        let mut longer = Vec::new();
        for word in &words {
            for piece in alphabet {
                longer.push(format!("{word}{piece}"));
            }
        }
        for word in &longer {
            let by_regex = regex.is_match(word).unwrap();
            let by_matcher = applivery_api::validation::sort_problems(word).is_empty();
            assert_eq!(by_regex, by_matcher, "{word:?}");
            checked += 1;
        }
        words = longer;
    }
    assert!(applivery_api::validation::sort_problems("").is_empty());
    assert!(checked > 30_000, "{checked}");
}
