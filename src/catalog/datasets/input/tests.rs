//! The field rules of a dataset, without a database.

use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

use super::{DatasetInput, Extra};
use crate::catalog::datasets::fields::{self, FieldKind, DATASET_FIELDS};
use crate::catalog::vocab::DEFAULT_LICENSE_ID;
use crate::catalog::Dict;
use crate::enums::DatasetState;
use crate::error::{AppError, FieldCode, FieldErrors, FieldMessage};

fn dict(value: Value) -> Dict {
    value.as_object().cloned().unwrap_or_default()
}

/// A dict with every required field, plus `more`.
fn with(more: Value) -> Dict {
    let mut d = dict(json!({"name": "bang-gia-dat", "owner_org": "so-tai-chinh"}));
    d.extend(dict(more));
    d
}

fn errors_of(d: &Dict) -> FieldErrors {
    match DatasetInput::from_dict(d) {
        Err(AppError::Validation(fields)) => fields,
        Err(other) => panic!("not a validation error: {other}"),
        Ok(input) => panic!("accepted: {input:?}"),
    }
}

#[test]
fn a_minimal_dict_gets_the_defaults() {
    let input = DatasetInput::from_dict(&with(json!({}))).unwrap();
    assert_eq!(input.name, "bang-gia-dat");
    assert_eq!(
        input.title, "bang-gia-dat",
        "the title defaults to the name"
    );
    assert_eq!(input.owner_org, "so-tai-chinh");
    assert_eq!(input.state, DatasetState::Active);
    assert_eq!(input.license_id, DEFAULT_LICENSE_ID);
    assert_eq!(input.language, "vi");
    assert!(!input.private);
    assert!(
        input.resources.is_none(),
        "no resources key keeps the stored ones"
    );
}

#[test]
fn every_field_of_a_full_dict_is_read() {
    let input = DatasetInput::from_dict(&with(json!({
        "title": "Bảng giá đất", "notes": "Mô tả", "private": "true", "state": "draft",
        "license_id": "cc-by-4.0", "url": "https://tayninh.gov.vn/gia-dat", "version": "2.0",
        "author": "Sở Tài chính", "author_email": "stc@tayninh.gov.vn",
        "maintainer": "Phòng Giá", "maintainer_email": "gia@tayninh.gov.vn",
        "frequency": "annual", "spatial_code": "72", "spatial_name": "Tây Ninh",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12", "language": "VI,en",
        "contact_name": "Chị Lan", "contact_email": "lan@tayninh.gov.vn",
        "contact_phone": "(0276) 382 2222", "title_en": "Land prices", "notes_en": "About",
        "tags": ["giá đất", {"name": "đất đai"}, "giá đất"], "groups": ["tai-chinh", {"id": "x"}],
        "extras": [{"key": "so_hieu", "value": 12}],
        "resources": [{"name": "CSV", "url": "https://tayninh.gov.vn/gia-dat.csv"}],
    })))
    .unwrap();
    assert!(input.private);
    assert_eq!(input.state, DatasetState::Draft);
    assert_eq!(input.language, "vi,en", "language codes are lowercased");
    assert_eq!(input.contact_phone, "(0276) 382 2222");
    assert_eq!(input.temporal_end, "2024-12");
    assert_eq!(input.tags, ["giá đất", "đất đai"], "tags are deduplicated");
    assert_eq!(input.groups, ["tai-chinh", "x"]);
    assert_eq!(
        input.extras,
        [Extra {
            key: "so_hieu".to_owned(),
            value: "12".to_owned()
        }],
        "a number becomes its JSON text"
    );
    let resources = input.resources.unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!(
        resources[0].format, "CSV",
        "the format is guessed from the link"
    );
}

#[test]
fn decomposed_text_is_stored_composed() {
    let nfd = |s: &str| s.nfd().collect::<String>();
    let input = DatasetInput::from_dict(&with(json!({
        "title": nfd("Bảng giá đất"),
        "tags": [nfd("giá đất"), "giá đất"],
        "extras": [{"key": nfd("số hiệu"), "value": nfd("Quyết định")}],
    })))
    .unwrap();
    assert_eq!(input.title, "Bảng giá đất");
    assert_eq!(input.tags, ["giá đất"], "NFD and NFC spellings are one tag");
    assert_eq!(input.extras[0].key, "số hiệu");
    assert_eq!(input.extras[0].value, "Quyết định");
}

#[test]
fn every_text_field_refuses_a_value_past_its_length() {
    for field in DATASET_FIELDS {
        let Some(max) = field.max else { continue };
        let too_long = match field.kind {
            FieldKind::Link => format!("https://x.vn/{}", "a".repeat(max)),
            FieldKind::Text
            | FieldKind::Name
            | FieldKind::Organization
            | FieldKind::State
            | FieldKind::Licence
            | FieldKind::Frequency
            | FieldKind::PlaceCode
            | FieldKind::Date
            | FieldKind::Languages
            | FieldKind::Email
            | FieldKind::Phone => "a".repeat(max + 1),
            // Lists are counted in items, below.
            FieldKind::Tags
            | FieldKind::Themes
            | FieldKind::Extras
            | FieldKind::Resources
            | FieldKind::Boolean => continue,
        };
        let errors = errors_of(&with(json!({ field.name: too_long })));
        let limit = FieldCode::TooLong.arg("max", max);
        assert!(
            errors.get(field.name).is_some_and(|m| m.contains(&limit)),
            "{}: {errors:?}",
            field.name
        );
    }
}

#[test]
fn lists_refuse_more_items_than_their_limit() {
    let tags: Vec<String> = (0..101).map(|i| format!("thẻ {i}")).collect();
    let extras: Vec<Value> = (0..101)
        .map(|i| json!({"key": format!("k{i}"), "value": ""}))
        .collect();
    let resources: Vec<Value> = (0..1001)
        .map(|_| json!({"url": "https://x.vn/a.csv"}))
        .collect();
    let errors = errors_of(&with(
        json!({"tags": tags, "extras": extras, "resources": resources}),
    ));
    assert_eq!(
        errors["tags"],
        [FieldCode::TooManyTags.arg("max", 100usize)]
    );
    assert_eq!(
        errors["extras"],
        [FieldCode::TooManyExtras.arg("max", 100usize)]
    );
    assert_eq!(
        errors["resources"],
        [FieldCode::TooManyResources.arg("max", 1000usize)]
    );
    assert_eq!(fields::TAGS.max, Some(100));
}

#[test]
fn values_of_the_wrong_kind_are_named_by_field() {
    let errors = errors_of(&with(json!({
        "title": {"vi": "Bảng giá"}, "private": "có lẽ", "tags": 7, "state": "deleted",
        "frequency": "hourly", "spatial_code": "TN-72", "temporal_start": "hôm qua",
        "language": "vie", "contact_phone": "gọi 123", "author_email": "không có",
        "license_id": "all-rights-reserved", "url": "javascript:alert(1)",
    })));
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "author_email",
            "contact_phone",
            "frequency",
            "language",
            "license_id",
            "private",
            "spatial_code",
            "state",
            "tags",
            "temporal_start",
            "title",
            "url"
        ]
    );
}

#[test]
fn missing_required_fields_are_each_reported() {
    let errors = errors_of(&dict(json!({"title": "Không tên"})));
    let missing = || FieldMessage::from(FieldCode::MissingValue);
    assert_eq!(errors["name"], [missing()]);
    assert_eq!(errors["owner_org"], [missing()]);
}

#[test]
fn a_name_that_is_not_a_url_name_gets_a_suggestion() {
    let errors = errors_of(&with(json!({"name": "Bảng giá đất"})));
    assert_eq!(
        errors["name"],
        [FieldCode::InvalidNameSuggested.arg("suggestion", "bang-gia-dat")]
    );
}

#[test]
fn the_period_must_not_end_before_it_starts() {
    let errors = errors_of(&with(
        json!({"temporal_start": "2025-01-01", "temporal_end": "2024"}),
    ));
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["temporal_end"]);
    // A wrong start is reported once, not also as a period running backwards.
    let errors = errors_of(&with(
        json!({"temporal_start": "9999-99", "temporal_end": "2024"}),
    ));
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["temporal_start"]);
}

#[test]
fn extras_may_not_shadow_a_field() {
    let errors = errors_of(&with(json!({"extras": [
        {"key": "frequency", "value": "monthly"},
        {"key": "metadata_modified", "value": "2024"},
        {"key": "", "value": "không khóa"},
    ]})));
    assert_eq!(errors["extras"].len(), 3, "{errors:?}");
    let input = DatasetInput::from_dict(&with(json!({"extras": [
        {"key": "extras", "value": "a key may name the list itself"},
        {"key": "ma_dinh_danh", "value": null},
    ]})))
    .unwrap();
    assert_eq!(input.extras[1].value, "", "a null value is empty");
}

#[test]
fn a_place_name_comes_from_ckan_spatial_unless_it_is_geojson() {
    let input = DatasetInput::from_dict(&with(json!({"spatial": "Tây Ninh"}))).unwrap();
    assert_eq!(input.spatial_name, "Tây Ninh");
    let input = DatasetInput::from_dict(&with(json!({"spatial": "{\"type\": \"Point\"}"})));
    assert_eq!(input.unwrap().spatial_name, "");
}

#[test]
fn parse_keeps_what_it_read_beside_the_errors() {
    let (input, errors) = DatasetInput::parse(&with(json!({"frequency": "hourly"})));
    assert_eq!(
        input.owner_org, "so-tai-chinh",
        "the references can still be checked"
    );
    assert!(errors.0.contains_key("frequency"));
}
