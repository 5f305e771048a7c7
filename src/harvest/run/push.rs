//! A push run: our public datasets sent to a target, what became private or deleted withdrawn.
//!
//! What to send is what changed since the target last got it: each dataset's
//! `metadata_modified` against the one recorded when it was last sent (`harvest_objects`).
//! The change journal (`dataset_changes`) is not the measure: the search indexer prunes it as
//! it follows it, so it does not reach back to a run of last month. One read of the datasets'
//! (id, name, modified, state, private) and one of the target's record suffice: a run with
//! nothing changed sends nothing and writes nothing but its end.

use std::collections::HashSet;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::objects::{self, Done, Known};
use super::{failure, internal, lost, remote, with_retries};
use crate::catalog::harvesting::targets::TargetRow;
use crate::catalog::{actions, Actor, AppContext};
use crate::db::schema::datasets;
use crate::enums::{DatasetState, HarvestAction, HarvestObjectState};
use crate::jobs::{JobError, Lease};

/// One thing a push has to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send a dataset (create or update at the target).
    Send {
        /// Our dataset id (its guid).
        id: String,
        /// Its name.
        name: String,
        /// Its `metadata_modified`, recorded once sent.
        modified: String,
        /// The target's id of it, when known.
        remote_id: Option<String>,
        /// Never sent before, or withdrawn since.
        new: bool,
    },
    /// Withdraw a dataset sent earlier.
    Withdraw {
        /// Our dataset id (its guid).
        id: String,
        /// Its name, when it still exists here.
        name: String,
        /// The target's id of it.
        remote_id: String,
    },
}

/// What a push has to do, and how many datasets are already in step.
#[derive(Debug, Default)]
pub struct Plan {
    /// Sends and withdrawals, in dataset order.
    pub steps: Vec<Step>,
    /// Datasets in step with the target.
    pub unchanged: i64,
}

/// Compares our datasets with what the target last got. Datasets this job already did (an
/// earlier try of it, cut short) are not counted as unchanged: their outcome counts them.
pub fn plan(
    ctx: &AppContext,
    target_id: &str,
    job_id: Option<&str>,
) -> crate::error::AppResult<Plan> {
    ctx.db.read(|conn| {
        let rows: Vec<(String, String, String, String, bool)> = datasets::table
            .select((
                datasets::id,
                datasets::name,
                datasets::metadata_modified,
                datasets::state,
                datasets::private,
            ))
            .order(datasets::id.asc())
            .load(conn)?;
        let mut known = objects::load(conn, target_id)?;
        let done: HashSet<String> = match job_id {
            Some(job_id) => objects::done_by(conn, job_id)?,
            None => HashSet::new(),
        };
        let mut plan = Plan::default();
        for (id, name, modified, state, private) in rows {
            let public = state == DatasetState::Active.as_str() && !private;
            let sent = known.remove(&id).filter(Known::is_current);
            match (public, sent) {
                (true, Some(sent)) if sent.modified.as_deref() == Some(modified.as_str()) => {
                    if !done.contains(&id) {
                        plan.unchanged += 1;
                    }
                }
                (true, sent) => plan.steps.push(Step::Send {
                    remote_id: sent.as_ref().and_then(|s| s.remote_id.clone()),
                    new: sent.is_none(),
                    id,
                    name,
                    modified,
                }),
                (false, Some(sent)) => plan.steps.push(Step::Withdraw {
                    remote_id: sent.remote_id.unwrap_or_else(|| id.clone()),
                    id,
                    name,
                }),
                (false, None) => {}
            }
        }
        // Sent once, and no longer here at all (purged): withdrawn too.
        for (guid, sent) in known.into_iter().filter(|(_, k)| k.is_current()) {
            plan.steps.push(Step::Withdraw {
                remote_id: sent.remote_id.unwrap_or_else(|| guid.clone()),
                name: guid.clone(),
                id: guid,
            });
        }
        Ok(plan)
    })
}

/// Runs a push; returns how many datasets were in step.
pub fn run(
    ctx: &AppContext,
    job_id: &str,
    target: &TargetRow,
    lease: &Lease,
) -> Result<i64, JobError> {
    let token = ctx
        .harvest
        .seal
        .open(&target.id, &target.token_sealed)
        .map_err(|e| JobError {
            retryable: false,
            message: e.to_string(),
        })?;
    let mut remote = remote::target(ctx, target, token)?;
    let plan = plan(ctx, &target.id, Some(job_id)).map_err(internal)?;
    tracing::info!(target = %target.name, steps = plan.steps.len(), unchanged = plan.unchanged, "push planned");
    let settings = &ctx.harvest.settings;
    let base = Duration::from_millis(settings.retry_base_ms);
    let mut outcomes = Outcomes::new(job_id, &target.id);
    for step in &plan.steps {
        if lease.is_lost() {
            outcomes.flush(ctx)?;
            return Err(lost());
        }
        let (guid, name, outcome) = match step {
            Step::Send {
                id,
                name,
                modified,
                remote_id,
                new,
            } => {
                let dict = match actions::call_value(
                    ctx,
                    &Actor::system(),
                    "package_show",
                    &json!({ "id": id }).as_object().cloned().unwrap_or_default(),
                    None,
                ) {
                    Ok(Value::Object(dict)) => dict,
                    // Deleted or purged since the plan: the next run withdraws it.
                    _ => continue,
                };
                let sent = with_retries(settings.send_attempts, base, lease, || {
                    remote.send(dataportal_harvesters::Outgoing {
                        guid: id,
                        remote_id: remote_id.as_deref(),
                        dict: &dict,
                    })
                });
                let outcome = sent.map(|remote_id| {
                    let action = if *new {
                        HarvestAction::Added
                    } else {
                        HarvestAction::Updated
                    };
                    (action, known(id, Some(remote_id), Some(modified.clone())))
                });
                (id, name, outcome)
            }
            Step::Withdraw {
                id,
                name,
                remote_id,
            } => {
                let withdrawn = with_retries(settings.send_attempts, base, lease, || {
                    remote.withdraw(id, remote_id)
                });
                let outcome = withdrawn.map(|()| {
                    let mut gone = known(id, Some(remote_id.clone()), None);
                    gone.state = HarvestObjectState::Gone.as_str().to_owned();
                    (HarvestAction::Deleted, gone)
                });
                (id, name, outcome)
            }
        };
        let (action, known, error) = match outcome {
            Ok((action, known)) => (action, Some(known), None),
            // The target is down or timing out even after the retries: stop here; the job
            // is tried again later and resumes with what is left.
            Err(error) if error.is_retryable() => {
                outcomes.flush(ctx)?;
                return Err(failure(error));
            }
            Err(error) => (HarvestAction::Errored, None, Some(error.to_string())),
        };
        outcomes.push(ctx, (guid.clone(), name.clone(), action, known, error))?;
    }
    outcomes.flush(ctx)?;
    Ok(plan.unchanged)
}

/// One dataset's outcome: guid, name, action, what is now known, error.
type Outcome = (String, String, HarvestAction, Option<Known>, Option<String>);

/// Outcomes stored a few at a time: each store is a commit, and on PostgreSQL a commit waits
/// for the disk (a push of 100,000 datasets stored ~25 a second with one commit per dataset).
/// Losing the last few to a crash is safe: a resend finds the dataset at the target by name
/// and guid and updates it, never creating a second copy.
struct Outcomes<'a> {
    job_id: &'a str,
    target_id: &'a str,
    waiting: Vec<Outcome>,
    since: std::time::Instant,
}

impl<'a> Outcomes<'a> {
    /// Outcomes kept before a store, and the longest they wait.
    const BATCH: usize = 100;
    const WAIT: Duration = Duration::from_secs(1);

    fn new(job_id: &'a str, target_id: &'a str) -> Outcomes<'a> {
        Outcomes {
            job_id,
            target_id,
            waiting: Vec::new(),
            since: std::time::Instant::now(),
        }
    }

    fn push(&mut self, ctx: &AppContext, outcome: Outcome) -> Result<(), JobError> {
        self.waiting.push(outcome);
        if self.waiting.len() >= Self::BATCH || self.since.elapsed() >= Self::WAIT {
            self.flush(ctx)?;
        }
        Ok(())
    }

    /// Stores what waits, in one transaction.
    fn flush(&mut self, ctx: &AppContext) -> Result<(), JobError> {
        self.since = std::time::Instant::now();
        if self.waiting.is_empty() {
            return Ok(());
        }
        let waiting = std::mem::take(&mut self.waiting);
        ctx.db
            .write(|conn| {
                for (guid, name, action, known, error) in waiting {
                    let done = Done {
                        job_id: self.job_id,
                        owner_id: self.target_id,
                        guid: &guid,
                        name: &name,
                        action,
                        known,
                        error: error.as_deref(),
                    };
                    objects::store(conn, &done)?;
                }
                Ok(())
            })
            .map_err(internal)
    }
}

fn known(id: &str, remote_id: Option<String>, modified: Option<String>) -> Known {
    Known {
        guid: id.to_owned(),
        dataset_id: Some(id.to_owned()),
        remote_id,
        modified,
        state: HarvestObjectState::Current.as_str().to_owned(),
    }
}
