//! A dataset dict (as `package_show` returns it) turned into an index document.

use serde_json::Value;
use tantivy::TantivyDocument;

use super::analyzer;
use super::schema::Fields;
use crate::enums::DatasetState;

/// Microseconds since the epoch of our fixed-width UTC text (0 when unreadable).
pub fn micros(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|t| t.and_utc().timestamp_micros())
        .unwrap_or(0)
}

fn strings<'a>(list: &'a Value, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(move |item| item.get(key).and_then(Value::as_str))
}

/// The index document of a dataset dict.
pub fn document(fields: &Fields, dict: &Value) -> TantivyDocument {
    let text = |key: &str| dict.get(key).and_then(Value::as_str).unwrap_or("");
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, text("id"));
    doc.add_text(fields.dict, dict.to_string());
    let public = text("state") == DatasetState::Active.as_str()
        && !dict["private"].as_bool().unwrap_or(false);
    doc.add_text(fields.public, if public { "true" } else { "false" });
    let title = text("title");
    doc.add_text(fields.title, title);
    doc.add_text(fields.title_folded, title);
    let sort_key = analyzer::terms(&mut analyzer::folded(), title).join(" ");
    doc.add_text(fields.title_sort, sort_key);

    let mut body: Vec<&str> = vec![
        text("notes"),
        text("title_en"),
        text("notes_en"),
        text("spatial_name"),
        text("temporal_start"),
        text("temporal_end"),
        text("name"),
    ];
    body.extend(strings(&dict["tags"], "name"));
    body.extend(strings(&dict["groups"], "title"));
    body.extend(dict["organization"]["title"].as_str());
    body.extend(dict["organization"]["title_en"].as_str());
    for key in ["name", "description", "format"] {
        body.extend(strings(&dict["resources"], key));
    }
    // Each part a value of its own: words of different parts are not neighbours for phrases
    // and syllable pairs.
    doc.add_text(fields.bigrams, title);
    doc.add_text(fields.all_folded, title);
    for part in body.into_iter().filter(|s| !s.is_empty()) {
        doc.add_text(fields.body, part);
        doc.add_text(fields.all_folded, part);
        doc.add_text(fields.bigrams, part);
    }

    doc.add_i64(fields.metadata_created, micros(text("metadata_created")));
    doc.add_i64(fields.metadata_modified, micros(text("metadata_modified")));

    let mut keyword = |name: &str, value: &str| {
        if let (Some(field), false) = (fields.keyword(name), value.is_empty()) {
            doc.add_text(field, value);
        }
    };
    keyword(
        "organization",
        dict["organization"]["name"].as_str().unwrap_or(""),
    );
    for group in strings(&dict["groups"], "name") {
        keyword("groups", group);
    }
    for tag in strings(&dict["tags"], "name") {
        keyword("tags", tag);
    }
    let mut formats: Vec<String> = strings(&dict["resources"], "format")
        .map(str::to_uppercase)
        .collect();
    formats.sort();
    formats.dedup();
    for format in &formats {
        keyword("res_format", format);
    }
    for key in [
        "license_id",
        "frequency",
        "state",
        "owner_org",
        "creator_user_id",
        "spatial_code",
        "name",
    ] {
        keyword(key, text(key));
    }
    // The place a visitor filters by: the commune/ward code where the dataset has one (the
    // list of 2025 has names only, so most carry names), its name otherwise.
    let place = if text("spatial_code").is_empty() {
        text("spatial_name")
    } else {
        text("spatial_code")
    };
    keyword("place", place);
    keyword(
        "private",
        if dict["private"].as_bool().unwrap_or(false) {
            "true"
        } else {
            "false"
        },
    );
    doc
}
