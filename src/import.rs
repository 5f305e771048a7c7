//! `dataportal import`: CKAN package dicts (one JSON object per line, as `package_show` or
//! `package_search` of any CKAN portal return them, or the province's own catalogue records)
//! into the catalogue. Organisations are created as needed; a dataset whose name exists is
//! updated. Work is committed in batches, one savepoint per dataset, so one bad line never
//! undoes the others.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use anyhow::Context;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::catalog::datasets::{self, validate::validate};
use crate::catalog::{organizations, Actor, Catalog, Dict};
use crate::db::schema::{organizations as orgs_table, themes};
use crate::db::{now_text, DbConnection};
use crate::error::{AppError, AppResult};

/// Datasets stored per transaction.
const BATCH: usize = 2000;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// New datasets.
    pub created: u64,
    /// Existing datasets changed.
    pub updated: u64,
    /// Lines skipped: (line number, dataset name, reason).
    pub failed: Vec<(usize, String, String)>,
}

/// What to do with a dataset whose name already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Replace it with the imported dict.
    Update,
    /// Leave it as it is (used by the idempotent demo).
    Skip,
}

/// Imports every line of `reader`; `progress` is told after each line.
pub fn import_lines(
    cat: &Catalog,
    reader: impl BufRead,
    on_existing: OnExisting,
    progress: &dyn Fn(u64),
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut known_orgs: HashMap<String, String> = HashMap::new();
    let theme_names: HashSet<String> = cat
        .db
        .read(|conn| Ok(themes::table.select(themes::name).load::<String>(conn)?))
        .context("reading themes")?
        .into_iter()
        .collect();
    let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
    let mut lines = reader.lines().enumerate();
    loop {
        let next = lines.next();
        let finished = next.is_none();
        if let Some((index, line)) = next {
            let line = line.with_context(|| format!("reading line {}", index + 1))?;
            if !line.trim().is_empty() {
                batch.push((index + 1, line));
            }
            if batch.len() < BATCH {
                continue;
            }
        }
        let done = batch.len() as u64;
        cat.db
            .write(|conn| {
                if let DbConnection::Sqlite(_) = conn {
                    // A bulk load touches far more index pages than the default 2 MB cache
                    // holds; without this it slows down as the database grows.
                    diesel::connection::SimpleConnection::batch_execute(
                        conn,
                        "PRAGMA cache_size = -131072",
                    )?;
                }
                for (line_no, line) in batch.drain(..) {
                    import_one(
                        conn,
                        &mut known_orgs,
                        &theme_names,
                        line_no,
                        &line,
                        on_existing,
                        &mut report,
                    );
                }
                Ok(())
            })
            .context("storing a batch of datasets")?;
        progress(done);
        if finished {
            break;
        }
    }
    Ok(report)
}

fn import_one(
    conn: &mut DbConnection,
    known_orgs: &mut HashMap<String, String>,
    theme_names: &HashSet<String>,
    line_no: usize,
    line: &str,
    on_existing: OnExisting,
    report: &mut ImportReport,
) {
    let source: Dict = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            report
                .failed
                .push((line_no, String::new(), "not a JSON object".to_owned()));
            return;
        }
        Err(e) => {
            report
                .failed
                .push((line_no, String::new(), format!("malformed JSON: {e}")));
            return;
        }
    };
    let name = source
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let outcome = conn.transaction(|conn| -> AppResult<bool> {
        let org_id = ensure_organization(conn, known_orgs, &source)?;
        let dict = to_dataset_dict(&source, &org_id, theme_names);
        let actor = Actor::system();
        let existing = datasets::find(conn, &name)?;
        match existing {
            Some(_) if on_existing == OnExisting::Skip => Ok(false),
            Some(current) => {
                let before = datasets::dicts_for(conn, std::slice::from_ref(&current), "")?
                    .pop()
                    .unwrap_or(Value::Null);
                let valid = validate(conn, &dict, Some(&current.id))?;
                datasets::store_update(
                    conn,
                    &actor,
                    &current,
                    before,
                    valid,
                    source_times(&source),
                    "",
                )?;
                Ok(false)
            }
            None => {
                let valid = validate(conn, &dict, None)?;
                datasets::store_new(conn, &actor, valid, source_times(&source), "")?;
                Ok(true)
            }
        }
    });
    match outcome {
        Ok(true) => report.created += 1,
        Ok(false) if on_existing == OnExisting::Skip => {}
        Ok(false) => report.updated += 1,
        Err(AppError::Validation(fields)) => {
            let reason = fields
                .iter()
                .map(|(f, m)| format!("{f}: {}", m.join("; ")))
                .collect::<Vec<_>>()
                .join(" | ");
            report.failed.push((line_no, name, reason));
        }
        Err(other) => report.failed.push((line_no, name, other.to_string())),
    }
}

/// The organisation named by the record (`organization` dict or slug, else `owner_org`),
/// created when missing.
fn ensure_organization(
    conn: &mut DbConnection,
    known: &mut HashMap<String, String>,
    source: &Dict,
) -> AppResult<String> {
    let (name, title, description) = match source.get("organization") {
        Some(Value::Object(org)) => (
            org.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            org.get("title")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            org.get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
        Some(Value::String(slug)) => (
            slug.clone(),
            source
                .get("organization_title")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            String::new(),
        ),
        _ => (
            source
                .get("owner_org")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            String::new(),
            String::new(),
        ),
    };
    if name.is_empty() {
        return Err(AppError::field(
            "owner_org",
            crate::catalog::params::missing(),
        ));
    }
    if let Some(id) = known.get(&name) {
        return Ok(id.clone());
    }
    let id = match organizations::find(conn, &name)? {
        Some(row) => row.id,
        None => {
            if !crate::catalog::vocab::is_valid_name(&name) {
                return Err(AppError::field(
                    "owner_org",
                    crate::catalog::vocab::invalid_name_message(&name),
                ));
            }
            let now = now_text();
            let row = crate::db::models::OrganizationRow {
                id: crate::db::new_id(),
                name: name.clone(),
                title: if title.is_empty() {
                    name.clone()
                } else {
                    title
                },
                title_en: None,
                description,
                image_url: String::new(),
                state: "active".to_owned(),
                created: now.clone(),
                modified: now,
            };
            diesel::insert_into(orgs_table::table)
                .values(&row)
                .execute(conn)?;
            let after = organizations::summary_dict(&row);
            crate::catalog::activity::record(
                conn,
                &Actor::system(),
                "organization",
                &row.id,
                "new",
                vec![],
                &after,
            )?;
            row.id
        }
    };
    known.insert(name, id.clone());
    Ok(id)
}

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
fn to_dataset_dict(source: &Dict, org_id: &str, theme_names: &HashSet<String>) -> Dict {
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
        let kept: Vec<Value> = extras
            .iter()
            .filter(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                !dict.contains_key(key) && key != "spatial"
            })
            .cloned()
            .collect();
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
                })
            })
            .collect();
        dict.insert("resources".to_owned(), Value::Array(links));
    }
    dict
}

/// The source portal's creation and change times, kept so an imported catalogue still shows
/// when each dataset was really published and updated.
fn source_times(source: &Dict) -> datasets::Timestamps {
    let parse = |key: &str| source.get(key).and_then(Value::as_str).and_then(parse_time);
    datasets::Timestamps {
        created: parse("metadata_created"),
        modified: parse("metadata_modified"),
    }
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
