//! Turning a dataset data dict into checked values: every wrong field is reported at once,
//! with a bilingual message; nothing is written before all checks pass.

use diesel::prelude::*;
use serde_json::Value;

use super::resources::{self, ResourceInput};
use crate::catalog::params::{self, Errors};
use crate::catalog::users::is_plausible_email;
use crate::catalog::vocab::{self, invalid_name_message, is_valid_name, DEFAULT_LICENSE_ID};
use crate::catalog::{organizations, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, themes};
use crate::db::DbConnection;
use crate::error::AppResult;

/// Fields a dataset dict may not carry as extras, because they are fields of their own.
pub const CORE_FIELDS: &[&str] = &[
    "id",
    "name",
    "title",
    "notes",
    "owner_org",
    "private",
    "state",
    "license_id",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "frequency",
    "spatial_code",
    "spatial_name",
    "temporal_start",
    "temporal_end",
    "language",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title_en",
    "notes_en",
    "tags",
    "groups",
    "resources",
    "organization",
    "metadata_created",
    "metadata_modified",
];

/// The message for a dataset name already in use.
pub const NAME_TAKEN: &str = "Tên (URL) này đã được sử dụng / That URL is already in use.";

/// A dataset that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct ValidDataset {
    /// The dataset's own fields (id, timestamps and revision are set when stored).
    pub row: DatasetRow,
    /// Tags, NFC, deduplicated.
    pub tags: Vec<String>,
    /// Theme ids.
    pub theme_ids: Vec<String>,
    /// Resources, when the dict lists them (None keeps the stored ones on update).
    pub resources: Option<Vec<ResourceInput>>,
}

/// What validation looks up in the database. A connection answers with a query each; a bulk
/// import answers from what it read for its whole batch at once (on PostgreSQL each query is a
/// round trip, and these were three to five of the twenty per imported dataset).
pub trait Lookups {
    /// True when another dataset than `except_id` has this name.
    fn name_taken(&mut self, name: &str, except_id: &str) -> AppResult<bool>;
    /// The id of the active organisation with this id or name.
    fn organization_id(&mut self, id_or_name: &str) -> AppResult<Option<String>>;
    /// The id of the theme with this name or id.
    fn theme_id(&mut self, name_or_id: &str) -> AppResult<Option<String>>;
}

impl Lookups for DbConnection {
    fn name_taken(&mut self, name: &str, except_id: &str) -> AppResult<bool> {
        let count: i64 = datasets::table
            .filter(datasets::name.eq(name))
            .filter(datasets::id.ne(except_id))
            .count()
            .get_result(self)?;
        Ok(count > 0)
    }

    fn organization_id(&mut self, id_or_name: &str) -> AppResult<Option<String>> {
        Ok(organizations::find(self, id_or_name)?.map(|row| row.id))
    }

    fn theme_id(&mut self, name_or_id: &str) -> AppResult<Option<String>> {
        Ok(themes::table
            .filter(themes::name.eq(name_or_id).or(themes::id.eq(name_or_id)))
            .select(themes::id)
            .first(self)
            .optional()?)
    }
}

/// Checks a dataset dict. `existing_id` is the dataset being updated, if any.
pub fn validate(
    conn: &mut impl Lookups,
    dict: &Dict,
    existing_id: Option<&str>,
) -> AppResult<ValidDataset> {
    let mut e = Errors::default();
    let short = |dict: &Dict, field: &str, e: &mut Errors| {
        params::text(dict, field, 1000, e).unwrap_or_default()
    };

    let name = params::text(dict, "name", 200, &mut e).unwrap_or_default();
    if name.is_empty() {
        e.add("name", params::missing());
    } else if !is_valid_name(&name) {
        e.add("name", invalid_name_message(&name));
    } else if conn.name_taken(&name, existing_id.unwrap_or(""))? {
        e.add("name", NAME_TAKEN);
    }
    let title = params::text(dict, "title", 500, &mut e).unwrap_or_default();
    let notes = params::text(dict, "notes", 100_000, &mut e).unwrap_or_default();

    let owner_org = match params::text(dict, "owner_org", 200, &mut e) {
        Some(org) if !org.is_empty() => match conn.organization_id(&org)? {
            Some(id) => id,
            None => {
                e.add(
                    "owner_org",
                    format!("Không tìm thấy tổ chức \"{org}\" / Organization does not exist"),
                );
                String::new()
            }
        },
        _ => {
            e.add("owner_org", params::missing());
            String::new()
        }
    };
    let private = params::boolean(dict, "private", &mut e).unwrap_or(false);
    let state = params::text(dict, "state", 20, &mut e).unwrap_or_default();
    let state = match state.as_str() {
        "" | "active" => "active".to_owned(),
        "draft" => "draft".to_owned(),
        _ => {
            e.add(
                "state",
                "Trạng thái phải là active hoặc draft / State must be active or draft",
            );
            String::new()
        }
    };
    let license_id = params::text(dict, "license_id", 100, &mut e).unwrap_or_default();
    let license_id = if license_id.is_empty() {
        DEFAULT_LICENSE_ID.to_owned()
    } else if vocab::license(&license_id).is_some() {
        license_id
    } else {
        e.add(
            "license_id",
            format!("Giấy phép \"{license_id}\" không có trong danh sách (xem license_list) / Unknown licence (see license_list)"),
        );
        String::new()
    };
    let frequency = short(dict, "frequency", &mut e);
    if !frequency.is_empty() && !vocab::FREQUENCIES.iter().any(|f| f.0 == frequency) {
        let codes: Vec<&str> = vocab::FREQUENCIES.iter().map(|f| f.0).collect();
        e.add(
            "frequency",
            format!(
                "Tần suất cập nhật phải là một trong / Frequency must be one of: {}",
                codes.join(", ")
            ),
        );
    }
    let spatial_code = short(dict, "spatial_code", &mut e);
    let digits_only = spatial_code.len() <= 10 && spatial_code.bytes().all(|b| b.is_ascii_digit());
    if !digits_only {
        e.add(
            "spatial_code",
            "Mã đơn vị hành chính chỉ gồm chữ số / Administrative unit code must be digits",
        );
    }
    let mut spatial_name = params::text(dict, "spatial_name", 300, &mut e).unwrap_or_default();
    if spatial_name.is_empty() {
        // CKAN dicts from other portals carry a place name in `spatial` (GeoJSON is not a name).
        let spatial =
            params::text(dict, "spatial", 300, &mut Errors::default()).unwrap_or_default();
        if !spatial.starts_with('{') {
            spatial_name = spatial;
        }
    }
    let temporal_start = date_field(dict, "temporal_start", &mut e);
    let temporal_end = date_field(dict, "temporal_end", &mut e);
    if !temporal_start.is_empty() && !temporal_end.is_empty() && temporal_start > temporal_end {
        e.add(
            "temporal_end",
            "Ngày kết thúc phải sau ngày bắt đầu / End must not be before start",
        );
    }
    let language = params::text(dict, "language", 100, &mut e).unwrap_or_default();
    let language = if language.is_empty() {
        "vi".to_owned()
    } else {
        language.to_lowercase()
    };
    if !language
        .split(',')
        .all(|code| code.trim().len() == 2 && code.trim().bytes().all(|b| b.is_ascii_lowercase()))
    {
        e.add(
            "language",
            "Mã ngôn ngữ ISO 639-1, cách nhau bởi dấu phẩy (vd. vi,en) / ISO 639-1 codes separated by commas (e.g. vi,en)",
        );
    }
    let mut emails = Vec::new();
    for field in ["author_email", "maintainer_email", "contact_email"] {
        let value = short(dict, field, &mut e);
        if !value.is_empty() && !is_plausible_email(&value) {
            e.add(
                field,
                "Địa chỉ email không hợp lệ / Not a valid e-mail address",
            );
        }
        emails.push(value);
    }
    let contact_phone = short(dict, "contact_phone", &mut e);
    let digits = contact_phone.chars().filter(char::is_ascii_digit).count();
    if !contact_phone.is_empty()
        && (!(6..=20).contains(&digits)
            || !contact_phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c)))
    {
        e.add(
            "contact_phone",
            "Số điện thoại không hợp lệ / Not a valid phone number",
        );
    }
    let extras = extras_field(dict, &mut e);
    let tags = tags_field(dict, &mut e);
    let theme_ids = themes_field(conn, dict, &mut e)?;
    let resources = match params::list(dict, "resources", &mut e) {
        None => None,
        Some(items) if items.len() > 1000 => {
            e.add(
                "resources",
                "Tối đa 1000 tài nguyên / At most 1000 resources",
            );
            None
        }
        Some(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| resources::validate_item(item, &format!("resources[{i}]"), &mut e))
                .collect(),
        ),
    };

    let row = DatasetRow {
        id: existing_id.unwrap_or_default().to_owned(),
        title: if title.is_empty() {
            name.clone()
        } else {
            title
        },
        name,
        notes,
        owner_org,
        private,
        state,
        license_id,
        url: params::link(dict, "url", &mut e).unwrap_or_default(),
        version: params::text(dict, "version", 100, &mut e).unwrap_or_default(),
        author: short(dict, "author", &mut e),
        author_email: emails[0].clone(),
        maintainer: short(dict, "maintainer", &mut e),
        maintainer_email: emails[1].clone(),
        frequency,
        spatial_code,
        spatial_name,
        temporal_start,
        temporal_end,
        language,
        contact_name: short(dict, "contact_name", &mut e),
        contact_email: emails[2].clone(),
        contact_phone,
        title_en: params::text(dict, "title_en", 500, &mut e).unwrap_or_default(),
        notes_en: params::text(dict, "notes_en", 100_000, &mut e).unwrap_or_default(),
        extras: Value::Array(extras).to_string(),
        creator_user_id: None,
        revision: 1,
        metadata_created: String::new(),
        metadata_modified: String::new(),
    };
    e.into_result()?;
    Ok(ValidDataset {
        row,
        tags,
        theme_ids,
        resources: resources.map(|r: Vec<Option<ResourceInput>>| r.into_iter().flatten().collect()),
    })
}

/// A date (YYYY, YYYY-MM, YYYY-MM-DD) or an RFC 3339 date-time; kept as given when valid.
fn date_field(dict: &Dict, field: &str, e: &mut Errors) -> String {
    let value = params::text(dict, field, 40, e).unwrap_or_default();
    if value.is_empty() {
        return value;
    }
    let ok = chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok()
        || chrono::NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").is_ok()
        || (value.len() == 4 && value.parse::<u16>().is_ok())
        || chrono::DateTime::parse_from_rfc3339(&value).is_ok()
        || chrono::NaiveDateTime::parse_from_str(&value, "%Y-%m-%dT%H:%M:%S").is_ok();
    if ok {
        value
    } else {
        e.add(
            field,
            "Ngày không hợp lệ, dùng dạng YYYY-MM-DD / Not a valid date, use YYYY-MM-DD",
        );
        String::new()
    }
}

fn extras_field(dict: &Dict, e: &mut Errors) -> Vec<Value> {
    let items = params::list(dict, "extras", e).unwrap_or_default();
    if items.len() > 100 {
        e.add("extras", "Tối đa 100 mục / At most 100 extras");
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in items {
        let key = item.get("key").and_then(Value::as_str).unwrap_or("").trim();
        let value = match item.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        if key.is_empty() || key.chars().count() > 200 || value.chars().count() > 10_000 {
            e.add(
                "extras",
                "Mỗi mục cần \"key\" (≤ 200 ký tự) và \"value\" (≤ 10000 ký tự) / Each extra needs a key (≤ 200 chars) and a value (≤ 10000 chars)",
            );
        } else if CORE_FIELDS.contains(&key) {
            e.add(
                "extras",
                format!("\"{key}\" là một trường riêng, không đặt trong extras / There is a schema field with the same name: {key}"),
            );
        } else {
            out.push(serde_json::json!({"key": vocab::nfc(key), "value": vocab::nfc(&value)}));
        }
    }
    out
}

fn tags_field(dict: &Dict, e: &mut Errors) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    if let Some(items) = params::list(dict, "tags", e) {
        for item in items {
            match item {
                Value::String(s) => raw.push(s),
                Value::Object(obj) => match obj.get("name") {
                    Some(Value::String(s)) => raw.push(s.clone()),
                    _ => e.add("tags", "Mỗi thẻ cần \"name\" / Each tag needs a name"),
                },
                _ => e.add("tags", "Thẻ phải là chuỗi hoặc {\"name\": ...} / Tags must be strings or {\"name\": ...}"),
            }
        }
    } else if let Some(tag_string) = params::text(dict, "tag_string", 10_000, e) {
        raw.extend(tag_string.split(',').map(str::to_owned));
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = vocab::nfc(tag.trim());
        let length = tag.chars().count();
        if !(2..=100).contains(&length) {
            e.add(
                "tags",
                format!(
                    "Thẻ \"{tag}\" phải dài 2–100 ký tự / Tag \"{tag}\" must be 2-100 characters"
                ),
            );
        } else if tag.chars().any(|c| c.is_control() || c == ',' || c == '"') {
            // Wider than CKAN's [\w -.]: real tags say "tháng 1/2026" or "HIV/AIDS". Commas
            // separate tags in tag_string and quotes delimit search terms, so those stay out.
            e.add("tags", format!("Thẻ \"{tag}\" không được chứa dấu phẩy, dấu ngoặc kép hay ký tự điều khiển / Tag \"{tag}\" must not contain commas, double quotes or control characters"));
        } else if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 100 {
        e.add("tags", "Tối đa 100 thẻ / At most 100 tags");
    }
    tags
}

fn themes_field(conn: &mut impl Lookups, dict: &Dict, e: &mut Errors) -> AppResult<Vec<String>> {
    let mut wanted: Vec<String> = Vec::new();
    for item in params::list(dict, "groups", e).unwrap_or_default() {
        let key = match &item {
            Value::String(s) => Some(s.clone()),
            Value::Object(obj) => obj
                .get("name")
                .or_else(|| obj.get("id"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        };
        match key {
            Some(k) if !wanted.contains(&k) => wanted.push(k),
            Some(_) => {}
            None => e.add(
                "groups",
                "Mỗi chủ đề cần \"name\" / Each group needs a name",
            ),
        }
    }
    let mut ids = Vec::new();
    for key in wanted {
        match conn.theme_id(&key)? {
            Some(id) => ids.push(id),
            None => e.add(
                "groups",
                format!("Không có chủ đề \"{key}\" (xem group_list) / Group does not exist: {key}"),
            ),
        }
    }
    Ok(ids)
}
