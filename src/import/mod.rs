//! `dataportal import`: CKAN package dicts (one JSON object per line, as `package_show` or
//! `package_search` of any CKAN portal return them, or the province's own catalogue records)
//! into the catalogue. Organisations are created as needed; a dataset whose name exists is
//! updated. Work is committed in batches, one savepoint per dataset, so one bad line never
//! undoes the others.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use anyhow::Context;
use diesel::prelude::*;
use serde_json::Value;

use crate::catalog::datasets::{self, validate::validate};

mod ckan;
use crate::catalog::{organizations, Actor, AppContext, Dict};
use crate::db::schema::{organizations as orgs_table, themes};
use crate::db::{now_text, DbConnection};
use crate::error::{AppError, AppResult};
use ckan::{source_times, to_dataset_dict};

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
    /// Lines imported with something left out: (line number, dataset name, what).
    pub warnings: Vec<(usize, String, String)>,
}

/// What to do with a dataset whose name already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Replace it with the imported dict.
    Update,
    /// Leave it as it is (used by the idempotent demo).
    Skip,
}

/// What the import knows across batches.
struct ImportState {
    known_orgs: HashMap<String, String>,
    theme_names: HashSet<String>,
    on_existing: OnExisting,
}

/// One line's number, dataset name, outcome and warnings.
type LineOutcome = (usize, String, Outcome, Vec<String>);

/// What became of one line.
enum Outcome {
    Created,
    Updated,
    Skipped,
    Failed(String),
}

/// Imports every line of `reader`; `progress` is told after each batch.
pub fn import_lines(
    ctx: &AppContext,
    reader: impl BufRead,
    on_existing: OnExisting,
    progress: &dyn Fn(u64),
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let theme_names: HashSet<String> = ctx
        .db
        .read(|conn| Ok(themes::table.select(themes::name).load::<String>(conn)?))
        .context("reading themes")?
        .into_iter()
        .collect();
    let mut state = ImportState {
        known_orgs: HashMap::new(),
        theme_names,
        on_existing,
    };
    let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
    // Lines as bytes: one line that is not UTF-8 (a dump saved in Windows-1258, say) is
    // reported as failed instead of ending the import and losing its batch.
    let mut lines = reader.split(b'\n').enumerate();
    loop {
        let next = lines.next();
        let finished = next.is_none();
        if let Some((index, line)) = next {
            let line = line.with_context(|| format!("reading line {}", index + 1))?;
            match String::from_utf8(line) {
                Ok(line) if !line.trim().is_empty() => batch.push((index + 1, line)),
                Ok(_) => {}
                Err(_) => report.failed.push((
                    index + 1,
                    String::new(),
                    "Dòng không phải UTF-8: hãy lưu tệp với mã hóa UTF-8 / \
                     The line is not UTF-8: save the file as UTF-8"
                        .to_owned(),
                )),
            }
            if batch.len() < BATCH {
                continue;
            }
        }
        // Fast path: no savepoint per dataset (they cost a tenth of the import). A dataset
        // that fails validation writes nothing, so only an unexpected database error can
        // leave a dataset half-written; then the whole batch is rolled back and done again
        // with a savepoint around each dataset.
        let outcomes = match ctx.write(|conn| import_batch(conn, &mut state, &batch, false)) {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::warn!(error = %error, "batch rolled back; importing it again dataset by dataset");
                state.known_orgs.clear();
                ctx.write(|conn| import_batch(conn, &mut state, &batch, true))
                    .context("storing a batch of datasets")?
            }
        };
        for (line_no, name, outcome, warnings) in outcomes {
            let imported = matches!(outcome, Outcome::Created | Outcome::Updated);
            if imported {
                for warning in warnings {
                    report.warnings.push((line_no, name.clone(), warning));
                }
            }
            match outcome {
                Outcome::Created => report.created += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Skipped => {}
                Outcome::Failed(reason) => report.failed.push((line_no, name, reason)),
            }
        }
        progress(batch.len() as u64);
        batch.clear();
        if finished {
            break;
        }
    }
    report.failed.sort_by_key(|(line, _, _)| *line);
    Ok(report)
}

fn import_batch(
    conn: &mut DbConnection,
    state: &mut ImportState,
    batch: &[(usize, String)],
    careful: bool,
) -> AppResult<Vec<LineOutcome>> {
    if let DbConnection::Sqlite(_) = conn {
        // A bulk load touches far more index pages than the default 2 MB cache holds;
        // without this it slows down as the database grows.
        diesel::connection::SimpleConnection::batch_execute(conn, "PRAGMA cache_size = -131072")?;
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    for (line_no, line) in batch {
        let mut warnings = Vec::new();
        let (name, outcome) = import_one(conn, state, line, careful, &mut warnings)?;
        outcomes.push((*line_no, name, outcome, warnings));
    }
    Ok(outcomes)
}

/// A bilingual reason from an error, field by field for validation errors (the report is
/// printed by the command line, which speaks both languages).
fn reason(error: &AppError) -> String {
    error.to_string()
}

/// Imports one line. Validation problems become `Outcome::Failed`; a database error is
/// returned (fast path) or, in careful mode, rolled back to the dataset's savepoint.
fn import_one(
    conn: &mut DbConnection,
    state: &mut ImportState,
    line: &str,
    careful: bool,
    warnings: &mut Vec<String>,
) -> AppResult<(String, Outcome)> {
    let source: Dict = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return Ok((
                String::new(),
                Outcome::Failed("not a JSON object".to_owned()),
            ))
        }
        Err(e) => {
            return Ok((
                String::new(),
                Outcome::Failed(format!("malformed JSON: {e}")),
            ))
        }
    };
    let name = source
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let failed = |error: AppError| -> AppResult<(String, Outcome)> {
        match error {
            error if matches!(error, AppError::Validation(_)) || error.is_not_found() => {
                Ok((name.clone(), Outcome::Failed(reason(&error))))
            }
            other if careful => Ok((name.clone(), Outcome::Failed(reason(&other)))),
            other => Err(other),
        }
    };
    if let Err(error) = crate::catalog::params::screen_controls(&source) {
        return failed(error);
    }
    let times = match source_times(&source) {
        Ok(times) => times,
        Err(error) => return failed(error),
    };
    let org = if careful {
        conn.transaction(|conn| ensure_organization(conn, &mut state.known_orgs, &source))
    } else {
        ensure_organization(conn, &mut state.known_orgs, &source)
    };
    let org_id = match org {
        Ok(id) => id,
        Err(error) => return failed(error),
    };
    let dict = to_dataset_dict(&source, &org_id, &state.theme_names, warnings);
    let existing = match datasets::find(conn, &name) {
        Ok(found) => found,
        Err(error) => return failed(error),
    };
    if existing.is_some() && state.on_existing == OnExisting::Skip {
        return Ok((name, Outcome::Skipped));
    }
    let valid = match validate(conn, &dict, existing.as_ref().map(|d| d.id.as_str())) {
        Ok(valid) => valid,
        Err(error) => return failed(error),
    };
    let actor = Actor::system();
    let store = |conn: &mut DbConnection| -> AppResult<Outcome> {
        match &existing {
            Some(current) => {
                let before = datasets::dicts_for(conn, std::slice::from_ref(current), "")?
                    .pop()
                    .unwrap_or(Value::Null);
                datasets::store_update(conn, &actor, current, before, valid, times, "")?;
                Ok(Outcome::Updated)
            }
            None => {
                datasets::store_new(conn, &actor, valid, times, "")?;
                Ok(Outcome::Created)
            }
        }
    };
    // A write that fails after validation passed (a race on a name, a broken connection)
    // may have left part of the dataset: never count it as a plain failure on the fast path.
    if careful {
        match conn.transaction(store) {
            Ok(outcome) => Ok((name, outcome)),
            Err(error) => Ok((name, Outcome::Failed(reason(&error)))),
        }
    } else {
        Ok((name, store(conn)?))
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
                state: crate::enums::ObjectState::Active,
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
                crate::enums::ObjectType::Organization,
                &row.id,
                crate::enums::ActivityType::New,
                vec![],
                &after,
            )?;
            row.id
        }
    };
    known.insert(name, id.clone());
    Ok(id)
}
