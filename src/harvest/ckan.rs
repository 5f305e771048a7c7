//! Reading another portal's record (a CKAN package dict, as `package_show` or a dump gives
//! it) into a dataset dict for our actions: foreign ids and computed keys dropped, licences
//! mapped, our fields filled from a plain CKAN's `extras`, times checked.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::catalog::datasets::input::EXTRA_VALUE_CHARS;
use crate::catalog::datasets::{self, fields};
use crate::catalog::Dict;
use crate::error::{AppError, AppResult, FieldCode};

/// Maps well-known CKAN licence ids of other portals to ours; "notspecified" gets the legal
/// default terms.
fn map_license(id: &str) -> &str {
    match id {
        "cc-by" => "cc-by-4.0",
        "cc-by-sa" => "cc-by-sa-4.0",
        "cc-zero" => "cc0-1.0",
        "notspecified" => "",
        other => other,
    }
}

/// A dataset dict for our actions from a CKAN dict or a catalogue record: foreign ids dropped,
/// organisation by our id, themes limited to the national ones, uploads turned into links.
pub fn to_dataset_dict(
    source: &Dict,
    org_id: &str,
    theme_names: &HashSet<String>,
    warnings: &mut Vec<String>,
) -> Dict {
    let mut dict = source.clone();
    for key in [
        "id",
        "organization",
        "organization_title",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "num_tags",
        "num_resources",
        "type",
        "revision_id",
        "relationships_as_object",
        "relationships_as_subject",
        "license_title",
        "license_url",
        "isopen",
    ] {
        dict.remove(key);
    }
    dict.insert("owner_org".to_owned(), json!(org_id));
    // Other portals' dataset `url` is often free text ("tayninh.gov.vn", "Phòng Thống kê"):
    // only a real link is kept, rather than failing the whole dataset over it.
    if let Some(url) = source.get("url").and_then(Value::as_str) {
        let is_link = url::Url::parse(url.trim())
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "ftp"));
        if !is_link {
            dict.remove("url");
        }
    }
    if let Some(license) = source.get("license_id").and_then(Value::as_str) {
        dict.insert("license_id".to_owned(), json!(map_license(license)));
    }
    let groups: Vec<Value> = source
        .get("groups")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|g| g.as_str().or_else(|| g.get("name").and_then(Value::as_str)))
                .filter(|name| theme_names.contains(*name))
                .map(|name| json!({"name": name}))
                .collect()
        })
        .unwrap_or_default();
    dict.insert("groups".to_owned(), Value::Array(groups));
    if let Some(Value::Array(extras)) = source.get("extras") {
        let kept = fields_from_extras(&mut dict, extras, warnings);
        dict.insert("extras".to_owned(), Value::Array(kept));
    }
    if let Some(Value::Array(resources)) = source.get("resources") {
        let links: Vec<Value> = resources
            .iter()
            .map(|r| {
                json!({
                    "name": r.get("name").cloned().unwrap_or(Value::Null),
                    "description": r.get("description").cloned().unwrap_or(Value::Null),
                    "format": r.get("format").cloned().unwrap_or(Value::Null),
                    "mimetype": r.get("mimetype").cloned().unwrap_or(Value::Null),
                    "url": r.get("url").cloned().unwrap_or(Value::Null),
                    "size": r.get("size").cloned().unwrap_or(Value::Null),
                    "hash": r.get("hash").cloned().unwrap_or(Value::Null),
                })
            })
            .collect();
        dict.insert("resources".to_owned(), Value::Array(links));
    }
    dict
}

/// A CKAN without ckanext-scheming (as the provinces' portals run) keeps custom fields in
/// `extras` (`{"key": "frequency", "value": "monthly"}`). An extra that names one of our fields
/// fills it, unless the record has a value there already (then the top-level value wins and
/// the extra is dropped, with a warning); other extras stay extras. Which fields an extra fills
/// is the field table's say (`fields::InExtras`). Returns the extras kept.
fn fields_from_extras(dict: &mut Dict, extras: &[Value], warnings: &mut Vec<String>) -> Vec<Value> {
    let mut kept = Vec::new();
    for extra in extras {
        let key = extra
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let value = match extra.get("value") {
            Some(Value::String(s)) => Value::String(s.clone()),
            Some(Value::Null) | None => Value::String(String::new()),
            Some(other) => Value::String(other.to_string()),
        };
        if fields::is_reserved(key) && !fields::filled_from_extra(key) {
            warnings.push(format!(
                "extra \"{key}\" trùng tên một phần cấu trúc của bộ dữ liệu, đã bỏ / \
                 extra \"{key}\" names part of the dataset's structure: left out"
            ));
            continue;
        }
        if !fields::is_reserved(key) {
            if value
                .as_str()
                .is_some_and(|v| v.chars().count() > EXTRA_VALUE_CHARS)
            {
                warnings.push(format!(
                    "extra \"{key}\" dài quá {EXTRA_VALUE_CHARS} ký tự, đã bỏ / \
                     extra \"{key}\" longer than {EXTRA_VALUE_CHARS} characters, left out"
                ));
                continue;
            }
            kept.push(json!({"key": key, "value": value}));
            continue;
        }
        let present = dict.get(key).is_some_and(|v| match v {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            _ => true,
        });
        if present {
            if dict.get(key) != Some(&value) {
                warnings.push(format!(
                    "extra \"{key}\" khác giá trị của trường cùng tên, giữ giá trị của trường / \
                     extra \"{key}\" differs from the field of that name: the field's value was kept"
                ));
            }
        } else {
            dict.insert(key.to_owned(), value);
        }
    }
    kept
}

/// How far ahead of this machine's clock a source portal's clock may be.
const CLOCK_SKEW_HOURS: i64 = 24;

/// The source portal's creation and change times, kept so an imported catalogue still shows
/// when each dataset was really published and updated. A time in the future (beyond clock
/// skew) is refused: a `metadata_modified` in the year 9999 would sort first for ever.
pub fn source_times(source: &Dict) -> AppResult<datasets::Timestamps> {
    let latest = (chrono::Utc::now() + chrono::Duration::hours(CLOCK_SKEW_HOURS))
        .format("%Y-%m-%dT%H:%M:%S%.6f")
        .to_string();
    let parse = |key: &str| -> AppResult<Option<String>> {
        match source.get(key).and_then(Value::as_str).and_then(parse_time) {
            Some(time) if time > latest => Err(AppError::field(key, FieldCode::TimeInFuture)),
            other => Ok(other),
        }
    };
    Ok(datasets::Timestamps {
        created: parse("metadata_created")?,
        modified: parse("metadata_modified")?,
    })
}

/// An RFC 3339 time, or CKAN's zone-less UTC form, as our fixed-width UTC text.
fn parse_time(text: &str) -> Option<String> {
    let utc = chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc).naive_utc())
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()?;
    Some(utc.format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_become_fixed_width_utc() {
        assert_eq!(
            parse_time("2026-07-25T07:16:15+07:00").as_deref(),
            Some("2026-07-25T00:16:15.000000")
        );
        assert_eq!(
            parse_time("2024-01-02T03:04:05.123456").as_deref(),
            Some("2024-01-02T03:04:05.123456")
        );
        assert_eq!(parse_time("yesterday"), None);
    }
}
