//! The import stage: fetched records checked and stored a batch at a time through the same
//! store as `package_create` (`datasets::store_all`), with one transaction per batch. Reading
//! what a batch needs (its organisations, the datasets it updates, names taken) costs a few
//! queries per batch, not per record: on PostgreSQL each query is a round trip.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use diesel::prelude::*;
use serde_json::Value;

use super::ckan::{source_times, to_dataset_dict};
use super::organizations::{ensure_all, OrgRef};
use super::stored::{BatchLookups, Stored};
use super::{ImportReport, OnExisting};
use crate::catalog::datasets::validate::validate;
use crate::catalog::datasets::{self, DatasetWrite, Timestamps};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::themes;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// Imports batches of records, keeping what it learnt (organisations, themes) between them.
pub struct Importer {
    on_existing: OnExisting,
    /// Organisation ids by name (and by id), across batches.
    known_orgs: HashMap<String, String>,
    /// National theme ids by name and by id.
    themes: HashMap<String, String>,
    /// National theme names.
    theme_names: HashSet<String>,
}

/// What became of one record.
enum Outcome {
    Created,
    Updated,
    Skipped,
    Failed(String),
}

/// One record of a batch on its way through the stage.
struct Line<'a> {
    position: usize,
    name: String,
    source: Option<&'a Dict>,
    times: Timestamps,
    org: Option<OrgRef>,
    warnings: Vec<String>,
    outcome: Option<Outcome>,
}

impl Importer {
    /// An importer for `ctx`'s catalogue.
    pub fn new(ctx: &AppContext, on_existing: OnExisting) -> anyhow::Result<Importer> {
        let rows: Vec<(String, String)> = ctx
            .db
            .read(|conn| {
                Ok(themes::table
                    .select((themes::name, themes::id))
                    .load(conn)?)
            })
            .context("reading themes")?;
        let mut themes = HashMap::new();
        for (name, id) in &rows {
            themes.insert(name.clone(), id.clone());
            themes.insert(id.clone(), id.clone());
        }
        Ok(Importer {
            on_existing,
            known_orgs: HashMap::new(),
            themes,
            theme_names: rows.into_iter().map(|(name, _)| name).collect(),
        })
    }

    /// Imports one batch of fetched records (position, record or why it could not be read),
    /// adding what became of each to `report`; returns the dicts of the datasets stored, as
    /// the search index stores them (no site URL).
    pub fn import(
        &mut self,
        ctx: &AppContext,
        records: Vec<(usize, Result<Dict, String>)>,
        report: &mut ImportReport,
    ) -> anyhow::Result<Vec<Value>> {
        // Fast path: the batch's datasets stored together, no savepoint per dataset (they cost
        // a tenth of the import). A dataset that fails validation writes nothing, so only an
        // unexpected database error can leave a dataset half-written; then the whole batch is
        // rolled back and done again with a savepoint around each dataset.
        let (lines, dicts) = match ctx.db.write(|conn| self.batch(conn, &records, false)) {
            Ok(done) => done,
            Err(error) => {
                tracing::warn!(error = %error, "batch rolled back; importing it again dataset by dataset");
                self.known_orgs.clear();
                ctx.db
                    .write(|conn| self.batch(conn, &records, true))
                    .context("storing a batch of datasets")?
            }
        };
        for line in lines {
            let (position, name) = (line.position, line.name);
            match line.outcome.unwrap_or(Outcome::Skipped) {
                Outcome::Created => report.created += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Skipped => continue,
                Outcome::Failed(reason) => {
                    report.failed.push((position, name, reason));
                    continue;
                }
            }
            for warning in line.warnings {
                report.warnings.push((position, name.clone(), warning));
            }
        }
        Ok(dicts)
    }

    /// Checks and stores one batch in the current transaction; returns each record's line
    /// and the dicts stored. Validation problems fail their record; a database error is
    /// returned (fast path) or, when `careful`, fails only its record (savepoints).
    fn batch<'a>(
        &mut self,
        conn: &mut DbConnection,
        records: &'a [(usize, Result<Dict, String>)],
        careful: bool,
    ) -> AppResult<(Vec<Line<'a>>, Vec<Value>)> {
        if let DbConnection::Sqlite(_) = conn {
            // A bulk load touches far more index pages than the default 2 MB cache holds;
            // without this it slows down as the database grows.
            diesel::connection::SimpleConnection::batch_execute(
                conn,
                "PRAGMA cache_size = -131072",
            )?;
        }
        let mut lines: Vec<Line<'a>> = records.iter().map(Line::read).collect();
        let readable: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].outcome.is_none())
            .collect();
        let refs: Vec<&OrgRef> = readable
            .iter()
            .filter_map(|&i| lines[i].org.as_ref())
            .collect();
        let org_ids = ensure_all(conn, &mut self.known_orgs, &refs, careful)?;
        let with_dicts = self.on_existing == OnExisting::Update;
        // Careful: each record reads what it needs afresh and is stored at once, as if alone.
        let names: Vec<&str> = match careful {
            true => Vec::new(),
            false => readable.iter().map(|&i| lines[i].name.as_str()).collect(),
        };
        let mut stored = Stored::load(conn, &names, with_dicts)?;
        let mut pending = Pending::default();
        for (&i, org_id) in readable.iter().zip(org_ids) {
            if careful {
                match Stored::load(conn, &[lines[i].name.as_str()], with_dicts) {
                    Ok(fresh) => stored = fresh,
                    Err(error) => {
                        lines[i].outcome = Some(failed(error, careful)?);
                        continue;
                    }
                }
            } else if pending.names.contains(&lines[i].name) {
                // The batch names this dataset twice: store what came before, read it again.
                pending.flush(conn, careful, &mut lines, &mut stored)?;
                stored.reload(conn, &lines[i].name, with_dicts)?;
            }
            let prepared =
                org_id.and_then(|org_id| self.prepare(conn, &mut lines[i], &org_id, &mut stored));
            match prepared {
                Ok(Some(write)) => pending.push(i, lines[i].name.clone(), write),
                Ok(None) => lines[i].outcome = Some(Outcome::Skipped),
                Err(error) => lines[i].outcome = Some(failed(error, careful)?),
            }
            if careful {
                pending.flush(conn, careful, &mut lines, &mut stored)?;
            }
        }
        pending.flush(conn, careful, &mut lines, &mut stored)?;
        Ok((lines, pending.dicts))
    }

    /// The write of one record, or None when it names an existing dataset to leave alone.
    fn prepare(
        &self,
        conn: &mut DbConnection,
        line: &mut Line<'_>,
        org_id: &str,
        stored: &mut Stored,
    ) -> AppResult<Option<DatasetWrite>> {
        let current = stored.current.remove(&line.name);
        if current.is_some() && self.on_existing == OnExisting::Skip {
            return Ok(None);
        }
        let Some(source) = line.source else {
            return Ok(None);
        };
        let dict = to_dataset_dict(source, org_id, &self.theme_names, &mut line.warnings);
        let mut lookups = BatchLookups {
            conn,
            stored,
            orgs: &self.known_orgs,
            themes: &self.themes,
        };
        let valid = validate(
            &mut lookups,
            &dict,
            current.as_ref().map(|c| c.row.id.as_str()),
        )?;
        Ok(Some(DatasetWrite {
            valid,
            times: std::mem::take(&mut line.times),
            current,
        }))
    }
}

impl<'a> Line<'a> {
    /// A fetched record, read as far as needs no database: a record that could not be
    /// fetched, carries control characters or a time in the future fails here.
    fn read((position, fetched): &'a (usize, Result<Dict, String>)) -> Line<'a> {
        let mut line = Line {
            position: *position,
            name: String::new(),
            source: None,
            times: Timestamps::default(),
            org: None,
            warnings: Vec::new(),
            outcome: None,
        };
        let source = match fetched {
            Ok(source) => source,
            Err(reason) => {
                line.outcome = Some(Outcome::Failed(reason.clone()));
                return line;
            }
        };
        line.name = source
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let checked =
            crate::catalog::params::screen_controls(source).and_then(|_| source_times(source));
        match checked {
            Ok(times) => {
                line.times = times;
                line.org = Some(OrgRef::of(source));
                line.source = Some(source);
            }
            Err(error) => line.outcome = Some(Outcome::Failed(reason(&error))),
        }
        line
    }
}

/// Writes checked but not yet stored.
#[derive(Default)]
struct Pending {
    writes: Vec<(usize, DatasetWrite)>,
    /// Names of the pending writes.
    names: HashSet<String>,
    /// Dicts of every dataset the batch stored.
    dicts: Vec<Value>,
}

impl Pending {
    fn push(&mut self, line: usize, name: String, write: DatasetWrite) {
        self.names.insert(name);
        self.writes.push((line, write));
    }

    /// Stores the pending writes: all together, or each in a savepoint when `careful`.
    fn flush(
        &mut self,
        conn: &mut DbConnection,
        careful: bool,
        lines: &mut [Line<'_>],
        stored: &mut Stored,
    ) -> AppResult<()> {
        if self.writes.is_empty() {
            return Ok(());
        }
        self.names.clear();
        let writes = std::mem::take(&mut self.writes);
        let system = Actor::system();
        let mut results: Vec<(usize, bool, AppResult<Value>)> = Vec::with_capacity(writes.len());
        if careful {
            for (line, write) in writes {
                let new = write.current.is_none();
                let stored = conn.transaction(|conn| {
                    datasets::store_all(conn, &system, vec![write], "")
                        .map(|mut dicts| dicts.pop().unwrap_or(Value::Null))
                });
                results.push((line, new, stored));
            }
        } else {
            let (positions, writes): (Vec<(usize, bool)>, Vec<DatasetWrite>) = writes
                .into_iter()
                .map(|(line, w)| ((line, w.current.is_none()), w))
                .unzip();
            let dicts = datasets::store_all(conn, &system, writes, "")?;
            results.extend(
                positions
                    .into_iter()
                    .zip(dicts)
                    .map(|((line, new), dict)| (line, new, Ok(dict))),
            );
        }
        for (line, new, result) in results {
            lines[line].outcome = Some(match result {
                Ok(dict) => {
                    let text = |key: &str| dict.get(key).and_then(Value::as_str).map(str::to_owned);
                    if let (Some(name), Some(id)) = (text("name"), text("id")) {
                        stored.holders.insert(name, Some(id));
                    }
                    self.dicts.push(dict);
                    if new {
                        Outcome::Created
                    } else {
                        Outcome::Updated
                    }
                }
                Err(error) => Outcome::Failed(reason(&error)),
            });
        }
        Ok(())
    }
}

/// A record's failure from an error: validation problems fail the record; an unexpected
/// database error fails the batch, to be done again carefully, unless it is being so.
fn failed(error: AppError, careful: bool) -> AppResult<Outcome> {
    match error {
        error if matches!(error, AppError::Validation(_)) || error.is_not_found() => {
            Ok(Outcome::Failed(reason(&error)))
        }
        other if careful => Ok(Outcome::Failed(reason(&other))),
        other => Err(other),
    }
}

/// A bilingual reason from an error, field by field for validation errors (the report is
/// printed by the command line, which speaks both languages).
fn reason(error: &AppError) -> String {
    error.to_string()
}
