//! A pull's page of creates and updates stored in one transaction, with what the run learnt of
//! each record, through the same store as `package_create` and `dataportal import`
//! (`datasets::store_all`). Measured at 100,000 datasets on PostgreSQL: record by record
//! (an action's transaction, then the outcome's) the pull stored about 60 datasets a second,
//! since every statement is a round trip; a page at a time, a few queries per page.
//!
//! The rules are those of the record-by-record path (`pull.rs`): updates only touch the
//! dataset this source created (by the guid it mapped to), and a new record whose name is held
//! by another dataset is suffixed with the source's name, never taken over.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::objects::{self, Done, Known};
use crate::catalog::datasets::validate::validate;
use crate::catalog::datasets::{store_all, DatasetWrite, Timestamps};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::datasets;
use crate::db::DbConnection;
use crate::enums::{HarvestAction, HarvestObjectState};
use crate::error::{bilingual, AppError, AppResult};
use crate::harvest::stored::{BatchLookups, Stored};

/// One remote record that needs a write here.
pub(super) struct Pending {
    /// Its guid at the source.
    pub guid: String,
    /// Its `metadata_modified` at the source.
    pub modified: Option<String>,
    /// Its name at the source, for the report.
    pub name: String,
    /// Our dataset dict made of it.
    pub dict: Dict,
    /// The dataset this source created of it earlier, to update.
    pub mine: Option<String>,
}

/// What the page stores: the source, the run, and the lookups validation needs.
pub(super) struct Page<'a> {
    /// The run.
    pub job_id: &'a str,
    /// The source's id.
    pub source_id: &'a str,
    /// The source's name, the suffix of a name already held here.
    pub source_name: &'a str,
    /// Organisation ids by name and id (the source's organisation).
    pub orgs: &'a HashMap<String, String>,
    /// National theme ids by name and id.
    pub themes: &'a HashMap<String, String>,
}

/// The name a new record takes when its own is held by a dataset the source did not create.
pub(super) fn suffixed(name: &str, source_name: &str) -> String {
    let suffix = format!("-{source_name}");
    let keep = 100usize.saturating_sub(suffix.len());
    format!("{}{suffix}", name.chars().take(keep).collect::<String>())
}

impl Page<'_> {
    /// Stores every record of the page with its outcome, all or nothing; a record that fails
    /// validation is stored as Errored. A database error fails the whole page (the caller
    /// then goes record by record).
    pub fn store(&self, ctx: &AppContext, pending: &[Pending]) -> AppResult<()> {
        ctx.write(|conn| self.store_in(conn, pending))
    }

    fn store_in(&self, conn: &mut DbConnection, pending: &[Pending]) -> AppResult<()> {
        let updated: Vec<&str> = pending.iter().filter_map(|p| p.mine.as_deref()).collect();
        // The row locks `package_update` takes, for every dataset updated, in one statement.
        diesel::update(datasets::table.filter(datasets::id.eq_any(&updated)))
            .set(datasets::revision.eq(datasets::revision + 1))
            .execute(conn)?;
        let mut names: Vec<String> = updated.iter().map(|id| (*id).to_owned()).collect();
        for p in pending {
            let name = p.dict.get("name").and_then(Value::as_str).unwrap_or("");
            names.push(name.to_owned());
            names.push(suffixed(name, self.source_name));
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut stored = Stored::load(conn, &refs, true)?;
        let mut writes = Vec::new();
        let mut outcomes = Vec::new();
        for p in pending {
            let mut dict = p.dict.clone();
            let current = p.mine.as_ref().and_then(|id| stored.current.remove(id));
            if let Some(current) = &current {
                dict.insert("id".to_owned(), json!(current.row.id));
            } else {
                self.rename_if_held(&mut dict, &stored);
            }
            let checked = {
                let mut lookups = BatchLookups {
                    conn,
                    stored: &stored,
                    orgs: self.orgs,
                    themes: self.themes,
                };
                validate(
                    &mut lookups,
                    &dict,
                    current.as_ref().map(|c| c.row.id.as_str()),
                )
            };
            match checked {
                Ok(valid) => {
                    // Later records of the page see the name as held.
                    let id = valid.row.id.clone();
                    stored.holders.insert(valid.row.name.clone(), Some(id));
                    let action = match current {
                        Some(_) => HarvestAction::Updated,
                        None => HarvestAction::Added,
                    };
                    writes.push(DatasetWrite {
                        valid,
                        times: Timestamps::default(),
                        current,
                    });
                    outcomes.push((p, action, None));
                }
                Err(error @ (AppError::Validation(_) | AppError::Refused(_))) => {
                    outcomes.push((
                        p,
                        HarvestAction::Errored,
                        Some(bilingual(&error).join("; ")),
                    ));
                }
                Err(other) => return Err(other),
            }
        }
        let mut dicts = store_all(conn, &Actor::system(), writes, "")?.into_iter();
        for (p, action, error) in outcomes {
            let known = match action {
                HarvestAction::Errored => None,
                _ => {
                    let dict = dicts.next().unwrap_or(Value::Null);
                    Some(Known {
                        guid: p.guid.clone(),
                        dataset_id: dict.get("id").and_then(Value::as_str).map(str::to_owned),
                        remote_id: Some(p.guid.clone()),
                        modified: p.modified.clone(),
                        state: HarvestObjectState::Current.as_str().to_owned(),
                    })
                }
            };
            objects::store(
                conn,
                &Done {
                    job_id: self.job_id,
                    owner_id: self.source_id,
                    guid: &p.guid,
                    name: &p.name,
                    action,
                    known,
                    error: error.as_deref(),
                },
            )?;
        }
        Ok(())
    }

    /// A new record's name held here by a dataset the source did not create gets the suffix.
    fn rename_if_held(&self, dict: &mut Dict, stored: &Stored) {
        let name = dict
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if stored.holders.get(&name).is_some_and(Option::is_some) {
            dict.insert("name".to_owned(), json!(suffixed(&name, self.source_name)));
        }
    }
}
