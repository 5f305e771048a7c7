//! A dataset's history as a page (CKAN's `/dataset/activity/{name}`): who changed what and
//! when, each changed field with its value before and after, side by side, and every file an
//! upload placed or replaced, each version downloadable. The records are
//! `package_activity_list`'s, so the page shows exactly the changes the caller may read.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::{blocking, cards, reply};
use crate::catalog::datasets::resources::files::FileChange;
use crate::catalog::datasets::view::DatasetView;
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::http::auth::Caller;

/// Changes shown on one page (CKAN's default is 31; a year of monthly updates fits).
const HISTORY_LIMIT: u32 = 100;

/// Derived or bookkeeping keys of the dataset dict: a change shows in the field it comes from.
const HIDDEN_FIELDS: &[&str] = &[
    "metadata_modified",
    "metadata_created",
    "num_resources",
    "num_tags",
    "license_title",
    "license_url",
    "frequency_title",
    "organization",
    "revision",
    "id",
    "type",
    "creator_user_id",
];

/// One field before and after a change.
pub struct FieldDiff {
    /// The field's label in the page's language.
    pub label: String,
    /// Its value before (empty when unknown or none).
    pub old: String,
    /// Its value after.
    pub new: String,
}

/// A downloadable version of a file.
pub struct FileLink {
    /// Download path.
    pub url: String,
    /// File name and size.
    pub label: String,
}

/// A file placed by a change, with the one it replaced.
pub struct FileDiff {
    /// The replaced file, if any.
    pub old: Option<FileLink>,
    /// The new file.
    pub new: FileLink,
}

/// One change.
pub struct HistoryEntry {
    /// When, in the page's language, and as ISO-8601.
    pub when: (String, String),
    /// Who.
    pub who: String,
    /// What kind of change: text id.
    pub kind: &'static str,
    /// Changed fields.
    pub fields: Vec<FieldDiff>,
    /// Files placed.
    pub files: Vec<FileDiff>,
}

/// The history page.
#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The dataset's URL name.
    pub name: String,
    /// Its title in the page's language.
    pub title: String,
    /// The changes, newest first.
    pub entries: Vec<HistoryEntry>,
}

/// `GET /dataset/activity/{name}`.
pub async fn history_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        let dataset: DatasetView = actions::call_as(ctx, &actor, "package_show", &dict)?;
        dict.insert("limit".into(), json!(HISTORY_LIMIT));
        let records: Vec<Value> = actions::call_as(ctx, &actor, "package_activity_list", &dict)?;
        let names = user_names(ctx, &actor, &records);
        Ok((dataset, records, names))
    })
    .await;
    match found {
        Ok((dataset, records, names)) => {
            let entries = entries(&chrome, &dataset.name, &records, &names);
            let page = HistoryPage {
                chrome: &chrome,
                title: chrome.pick(&dataset.title, &dataset.title_en).to_owned(),
                name: dataset.name,
                entries,
            };
            reply::page(&chrome, &page)
        }
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

/// The display names of the changes' authors the actor may look up (`user_show`).
fn user_names(ctx: &AppContext, actor: &Actor, records: &[Value]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for id in records.iter().filter_map(|r| r["user_id"].as_str()) {
        if names.contains_key(id) {
            continue;
        }
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        let shown = actions::call_value(ctx, actor, "user_show", &dict, None)
            .ok()
            .and_then(|u| u["display_name"].as_str().map(str::to_owned))
            .unwrap_or_default();
        names.insert(id.to_owned(), shown);
    }
    names
}

fn entries(
    chrome: &Chrome,
    dataset: &str,
    records: &[Value],
    names: &HashMap<String, String>,
) -> Vec<HistoryEntry> {
    records
        .iter()
        .enumerate()
        .map(|(at, record)| {
            let data = &record["data"];
            let after = &data["package"];
            // The state before is the next older record's (when the page holds it).
            let before = records.get(at + 1).map(|r| &r["data"]["package"]);
            let kind = match record["activity_type"].as_str().unwrap_or_default() {
                t if t.starts_with("new") => "history-created",
                t if t.starts_with("deleted") => "history-deleted",
                _ => "history-changed",
            };
            let fields = if kind == "history-changed" {
                diffs(chrome, data, before, after)
            } else {
                Vec::new()
            };
            let files: Vec<FileChange> =
                serde_json::from_value(data["files"].clone()).unwrap_or_default();
            let timestamp = record["timestamp"].as_str().unwrap_or_default();
            let who = record["user_id"]
                .as_str()
                .and_then(|id| names.get(id))
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| chrome.t("history-someone").to_owned());
            HistoryEntry {
                when: (cards::date(chrome.lang, timestamp), timestamp.to_owned()),
                who,
                kind,
                fields,
                files: files
                    .iter()
                    .map(|f| file_diff(chrome, dataset, f))
                    .collect(),
            }
        })
        .collect()
}

fn diffs(chrome: &Chrome, data: &Value, before: Option<&Value>, after: &Value) -> Vec<FieldDiff> {
    data["changes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| !HIDDEN_FIELDS.contains(f))
        .map(|field| FieldDiff {
            label: label(chrome, field),
            old: before
                .map(|b| shown(chrome, field, &b[field]))
                .unwrap_or_default(),
            new: shown(chrome, field, &after[field]),
        })
        .filter(|d| d.old != d.new)
        .collect()
}

/// A field's label: the form's, else the dataset page's, else its name.
fn label(chrome: &Chrome, field: &str) -> String {
    let ids = [
        format!("publish-{}", field.replace('_', "-")),
        format!("history-field-{field}"),
    ];
    ids.iter()
        .map(|id| chrome.t(id))
        .find(|text| !ids.iter().any(|id| id == text))
        .unwrap_or(field)
        .to_owned()
}

/// A value as a person reads it.
fn shown(chrome: &Chrome, field: &str, value: &Value) -> String {
    match (field, value) {
        ("private", Value::Bool(true)) => chrome.t("lifecycle-state-private").to_owned(),
        ("private", Value::Bool(false)) => chrome.t("lifecycle-state-public").to_owned(),
        ("state", Value::String(s)) if s == "draft" => chrome.t("lifecycle-state-draft").to_owned(),
        ("state", Value::String(s)) if s == "active" => {
            chrome.t("lifecycle-state-published").to_owned()
        }
        ("state", Value::String(s)) if s == "deleted" => chrome.t("history-deleted").to_owned(),
        (_, Value::Null) => String::new(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => o
                    .get("title")
                    .filter(|t| t.as_str().is_some_and(|t| !t.is_empty()))
                    .or_else(|| o.get("name"))
                    .or_else(|| o.get("value"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                other => shown(chrome, "", other),
            })
            .collect::<Vec<_>>()
            .join("; "),
        (_, other) => other.to_string(),
    }
}

fn file_diff(chrome: &Chrome, dataset: &str, file: &FileChange) -> FileDiff {
    let link = |f: &crate::catalog::datasets::resources::files::FileRef| FileLink {
        url: format!(
            "/dataset/{dataset}/resource/{}/file/{}",
            file.resource_id, f.id
        ),
        label: format!("{} ({})", f.file_name, cards::size(chrome.lang, f.size)),
    };
    FileDiff {
        old: file.old.as_ref().map(link),
        new: link(&file.new),
    }
}
