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
use super::pull_page::{suffixed, Page, Pending};
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
    /// National theme ids by name and by id, and the source's organisation id by its name
    /// and id: what validating a page asks.
    theme_ids: HashMap<String, String>,
    org_ids: HashMap<String, String>,
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
    let (known, done, themes, org) = ctx
        .db
        .read(|conn| {
            use diesel::prelude::*;
            let themes: Vec<(String, String)> = themes::table
                .select((themes::name, themes::id))
                .load(conn)?;
            Ok((
                objects::load(conn, &source.id)?,
                objects::done_by(conn, job_id)?,
                themes,
                crate::catalog::organizations::find(conn, &source.owner_org)?,
            ))
        })
        .map_err(internal)?;
    let theme_ids = themes
        .iter()
        .flat_map(|(name, id)| [(name.clone(), id.clone()), (id.clone(), id.clone())])
        .collect();
    let org_ids = org
        .map(|org| {
            [org.name, org.id.clone(), source.owner_org.clone()]
                .into_iter()
                .map(|key| (key, org.id.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut pull = Pull {
        ctx,
        job_id,
        source,
        known,
        done,
        themes: themes.into_iter().map(|(name, _)| name).collect(),
        theme_ids,
        org_ids,
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
        if lease.is_lost() {
            return Err(lost());
        }
        let mut pending = Vec::new();
        for record in records {
            listed += 1;
            if let Some(write) = pull
                .take(record.guid, record.modified, &record.dict)
                .map_err(internal)?
            {
                pending.push(write);
            }
        }
        pull.write_page(pending).map_err(internal)?;
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
    /// Takes one remote record: skipped when in step, else returned to be created or updated
    /// here.
    fn take(
        &mut self,
        guid: String,
        modified: Option<String>,
        record: &Dict,
    ) -> AppResult<Option<Pending>> {
        let name = record
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if guid.is_empty() {
            let label = format!("#{}", self.seen.len() + 1);
            self.store(
                &label,
                &name,
                HarvestAction::Errored,
                None,
                Some("bản ghi không có mã (id) / the record has no id"),
            )?;
            return Ok(None);
        }
        if !self.seen.insert(guid.clone()) {
            return Ok(None);
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
                return Ok(None);
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
        Ok(Some(Pending {
            guid,
            modified,
            name,
            dict,
            mine: mine.map(|(dataset_id, _)| dataset_id),
        }))
    }

    /// Stores a page's creates and updates in one transaction; when that fails on the
    /// database (two records of the page racing for one name, say), record by record. Every
    /// publication asking for the privacy checklist goes through the actions, whose gate asks.
    fn write_page(&mut self, pending: Vec<Pending>) -> AppResult<()> {
        if pending.is_empty() {
            return Ok(());
        }
        if !self.ctx.privacy.require_review_always {
            let page = Page {
                job_id: self.job_id,
                source_id: &self.source.id,
                source_name: &self.source.name,
                orgs: &self.org_ids,
                themes: &self.theme_ids,
            };
            match page.store(self.ctx, &pending) {
                Ok(()) => return Ok(()),
                Err(error) => tracing::info!(
                    error = %error,
                    "a page of the pull could not be stored at once: record by record"
                ),
            }
        }
        pending
            .into_iter()
            .try_for_each(|write| self.write_one(write))
    }

    /// Creates or updates one record here through the actions, and stores its outcome.
    fn write_one(&mut self, write: Pending) -> AppResult<()> {
        let Pending {
            guid,
            modified,
            name,
            mut dict,
            mine,
        } = write;
        let stored = match &mine {
            Some(dataset_id) => {
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
                let renamed = suffixed(name, &self.source.name);
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
