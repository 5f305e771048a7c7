//! A pull run: a remote catalogue's datasets brought into one local organisation through the
//! same actions as any other write (`package_create`, `package_update`, `package_delete`), so
//! validation, history and the search index follow as for a person's edit.
//!
//! The source's guid maps to the dataset it created here (`harvest_objects`): updates and
//! deletions only ever touch datasets this source created, never one that merely shares a
//! name. A record whose `metadata_modified` is the one last taken is skipped. What vanished
//! from the source is deleted here, but only after a listing that saw everything the source
//! says it holds: a listing disturbed by changes while paging deletes nothing.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde_json::{json, Value};

use super::objects::{self, Done, Known};
use super::{failure, internal, lost, remote, with_retries};
use crate::catalog::harvesting::sources::SourceRow;
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::db::schema::themes;
use crate::enums::{HarvestAction, HarvestObjectState};
use crate::error::{bilingual, AppError, AppResult};
use crate::jobs::{JobError, Lease};

/// What a pull carries from record to record.
struct Pull<'a> {
    ctx: &'a AppContext,
    job_id: &'a str,
    source: &'a SourceRow,
    known: HashMap<String, Known>,
    done: HashSet<String>,
    themes: HashSet<String>,
    seen: HashSet<String>,
    unchanged: i64,
}

/// Runs a pull; returns how many datasets were in step.
pub fn run(
    ctx: &AppContext,
    job_id: &str,
    source: &SourceRow,
    lease: &Lease,
) -> Result<i64, JobError> {
    let mut remote = remote::source(ctx, source)?;
    let (known, done, themes) = ctx
        .db
        .read(|conn| {
            use diesel::prelude::*;
            let themes: Vec<String> = themes::table.select(themes::name).load(conn)?;
            Ok((
                objects::load(conn, &source.id)?,
                objects::done_by(conn, job_id)?,
                themes.into_iter().collect(),
            ))
        })
        .map_err(internal)?;
    let mut pull = Pull {
        ctx,
        job_id,
        source,
        known,
        done,
        themes,
        seen: HashSet::new(),
        unchanged: 0,
    };
    let settings = &ctx.harvest.settings;
    let base = Duration::from_millis(settings.retry_base_ms);
    let mut listed: u64 = 0;
    loop {
        let page = with_retries(settings.send_attempts, base, lease, || remote.next_page())
            .map_err(failure)?;
        let Some(records) = page else {
            break;
        };
        for record in records {
            if lease.is_lost() {
                return Err(lost());
            }
            listed += 1;
            pull.take(record.guid, record.modified, &record.dict)
                .map_err(internal)?;
        }
    }
    let complete = remote
        .reported_total()
        .is_none_or(|total| listed >= total && pull.seen.len() as u64 >= total);
    if complete {
        pull.delete_vanished(lease)?;
    } else {
        tracing::warn!(
            source = %source.name,
            listed,
            "the source's listing changed while it was read: nothing deleted this run"
        );
    }
    Ok(pull.unchanged)
}

impl Pull<'_> {
    /// Takes one remote record: skipped when in step, else created or updated here.
    fn take(&mut self, guid: String, modified: Option<String>, record: &Dict) -> AppResult<()> {
        let name = record
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if guid.is_empty() {
            let label = format!("#{}", self.seen.len() + 1);
            return self.store(
                &label,
                &name,
                HarvestAction::Errored,
                None,
                Some("bản ghi không có mã (id) / the record has no id"),
            );
        }
        if !self.seen.insert(guid.clone()) {
            return Ok(());
        }
        let mine = self
            .known
            .get(&guid)
            .filter(|k| k.is_current())
            .and_then(|k| k.dataset_id.clone().map(|d| (d, k.modified.clone())));
        if let Some((_, last)) = &mine {
            if modified.is_some() && *last == modified {
                if !self.done.contains(&guid) {
                    self.unchanged += 1;
                }
                return Ok(());
            }
        }
        let mut warnings = Vec::new();
        let mut dict = crate::harvest::ckan::to_dataset_dict(
            record,
            &self.source.owner_org,
            &self.themes,
            &mut warnings,
        );
        dict.insert("private".to_owned(), json!(false));
        dict.remove("state");
        let stored = match &mine {
            Some((dataset_id, _)) => {
                dict.insert("id".to_owned(), json!(dataset_id));
                self.call("package_update", &dict)
                    .map(|stored| (HarvestAction::Updated, stored))
            }
            None => self
                .create(dict)
                .map(|stored| (HarvestAction::Added, stored)),
        };
        match stored {
            Ok((action, stored)) => {
                let known = Known {
                    guid: guid.clone(),
                    dataset_id: stored.get("id").and_then(Value::as_str).map(str::to_owned),
                    remote_id: Some(guid.clone()),
                    modified,
                    state: HarvestObjectState::Current.as_str().to_owned(),
                };
                self.store(&guid, &name, action, Some(known), None)
            }
            Err(error @ (AppError::Validation(_) | AppError::Refused(_))) => {
                let message = bilingual(&error).join("; ");
                self.store(&guid, &name, HarvestAction::Errored, None, Some(&message))
            }
            Err(other) => Err(other),
        }
    }

    /// `package_create`; a name already held by a dataset this source did not create is
    /// suffixed with the source's name (as ckanext-harvest does), never taken over.
    fn create(&self, mut dict: Dict) -> AppResult<Value> {
        match self.call("package_create", &dict) {
            Err(AppError::Validation(fields)) if fields.contains_key("name") => {
                let name = dict.get("name").and_then(Value::as_str).unwrap_or("");
                let suffix = format!("-{}", self.source.name);
                let keep = 100usize.saturating_sub(suffix.len());
                let renamed = format!("{}{suffix}", name.chars().take(keep).collect::<String>());
                dict.insert("name".to_owned(), json!(renamed));
                self.call("package_create", &dict)
            }
            other => other,
        }
    }

    fn call(&self, action: &str, dict: &Dict) -> AppResult<Value> {
        actions::call_value(self.ctx, &Actor::system(), action, dict, None)
    }

    /// Deletes here what this source created and no longer lists.
    fn delete_vanished(&mut self, lease: &Lease) -> Result<(), JobError> {
        let vanished: Vec<Known> = self
            .known
            .values()
            .filter(|k| k.is_current() && !self.seen.contains(&k.guid))
            .cloned()
            .collect();
        for mut gone in vanished {
            if lease.is_lost() {
                return Err(lost());
            }
            let Some(dataset_id) = gone.dataset_id.clone() else {
                continue;
            };
            let deleted = self.call(
                "package_delete",
                &json!({ "id": dataset_id })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
            let outcome = match deleted {
                Ok(_) => Ok(()),
                Err(error) if error.is_not_found() => Ok(()),
                Err(error @ (AppError::Validation(_) | AppError::Refused(_))) => {
                    Err(bilingual(&error).join("; "))
                }
                Err(other) => return Err(internal(other)),
            };
            let result = match outcome {
                Ok(()) => {
                    gone.state = HarvestObjectState::Gone.as_str().to_owned();
                    self.store(
                        &gone.guid.clone(),
                        &dataset_id,
                        HarvestAction::Deleted,
                        Some(gone),
                        None,
                    )
                }
                Err(message) => self.store(
                    &gone.guid.clone(),
                    &dataset_id,
                    HarvestAction::Errored,
                    None,
                    Some(&message),
                ),
            };
            result.map_err(internal)?;
        }
        Ok(())
    }

    fn store(
        &self,
        guid: &str,
        name: &str,
        action: HarvestAction,
        known: Option<Known>,
        error: Option<&str>,
    ) -> AppResult<()> {
        self.ctx.db.write(|conn| {
            objects::store(
                conn,
                &Done {
                    job_id: self.job_id,
                    owner_id: &self.source.id,
                    guid,
                    name,
                    action,
                    known,
                    error,
                },
            )
        })
    }
}
