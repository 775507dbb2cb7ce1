//! Reading the page's `initialData`: tolerant of what nuget.org may add or leave out, precise
//! about what is wrong.

use keyscope::page::{parse_page_data, KeyState, PageDataError, MAX_PAGE_DATA_BYTES};
use keyscope::scope::Scope;

fn error_of(json: &str) -> String {
    match parse_page_data(json) {
        Ok(page) => panic!("expected an error, got {page:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn reads_the_org_fixture() {
    let text = include_str!("fixtures/org.json");
    let page = parse_page_data(text).unwrap_or_default();
    assert_eq!(page.api_keys.len(), 6);
    assert_eq!(page.package_owners.len(), 3);
    assert_eq!(page.revoke_url.as_deref(), Some("/account/apikeys/revoke"));
    assert_eq!(page.summary().to_string(), "10 packages across 3 owners");
    let api_made = page.key(106).cloned().unwrap_or_default();
    assert_eq!(
        api_made.subjects(),
        vec!["*.Tests", "Fabrikam-*", "Contoso?.*"]
    );
    assert_eq!(api_made.actions(), vec![Scope::Unlist]);
    assert_eq!(api_made.state(0), KeyState::Live);
}

#[test]
fn empty_object_is_an_empty_page() {
    let page = parse_page_data("{}").unwrap_or_default();
    assert!(page.api_keys.is_empty() && page.package_owners.is_empty());
}

#[test]
fn nulls_and_missing_optional_fields_take_defaults() {
    let page = parse_page_data(
        r#"{"ApiKeys": [{"Key": 3, "Scopes": null, "Owner": null}], "PackageOwners": null}"#,
    )
    .unwrap_or_default();
    let key = &page.api_keys[0];
    assert_eq!(key.key, 3);
    assert!(key.scopes.is_empty() && key.packages.is_empty() && !key.has_expired);
}

#[test]
fn value_becomes_a_masked_secret() {
    let page = parse_page_data(
        r#"{"ApiKeys": [{"Key": 1, "Value": "oy2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaq1w2"}]}"#,
    )
    .unwrap_or_default();
    let debug = format!("{page:?}");
    assert!(debug.contains("oy2…q1w2"), "{debug}");
    assert!(!debug.contains("aaaaaaaa"), "{debug}");
    let serialised = serde_json::to_string(&page).unwrap_or_default();
    assert!(!serialised.contains("aaaaaaaa") && !serialised.contains("\"Value\""));
}

#[test]
fn top_level_must_be_an_object() {
    assert_eq!(error_of("[1, 2]"), "page data is not an object");
}

#[test]
fn owner_ids_that_are_not_strings_name_the_field() {
    let text = include_str!("fixtures/wrong-type.json");
    assert_eq!(
        error_of(text),
        "PackageOwners[2].PackageIds is not a list of strings"
    );
}

#[test]
fn key_without_a_number_names_the_field() {
    assert_eq!(
        error_of(r#"{"ApiKeys": [{"Key": 1}, {"Description": "x"}]}"#),
        "ApiKeys[1].Key is missing"
    );
}

#[test]
fn non_boolean_flag_names_the_field() {
    assert_eq!(
        error_of(r#"{"ApiKeys": [{"Key": 1, "HasExpired": "no"}]}"#),
        "ApiKeys[0].HasExpired is not true or false"
    );
}

#[test]
fn unreadable_expiry_names_the_field() {
    let message = error_of(r#"{"ApiKeys": [{"Key": 1, "Expires": "next week"}]}"#);
    assert!(
        message.starts_with("ApiKeys[0].Expires is not a date"),
        "{message}"
    );
}

#[test]
fn invalid_json_reports_line_and_column() {
    let message = error_of("{\n  \"ApiKeys\": [,]\n}");
    assert!(message.contains("line 2, column"), "{message}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{{\"X\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_page_data(&deep).is_err());
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let huge = " ".repeat(MAX_PAGE_DATA_BYTES + 1);
    assert!(matches!(
        parse_page_data(&huge),
        Err(PageDataError::TooLarge { .. })
    ));
}
