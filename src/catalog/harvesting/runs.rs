//! Harvest runs (`harvest_jobs`) and their per-dataset outcomes: `harvest_job_create`,
//! `harvest_job_show`, `harvest_job_list`, and what a run writes as it goes.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{sources, targets, Owner};
use crate::catalog::params::{self, Errors};
use crate::catalog::{AppContext, Dict};
use crate::db::schema::{harvest_jobs, harvest_outcomes};
use crate::db::{now_text, DbConnection};
use crate::enums::{HarvestAction, HarvestJobStatus, JobKind};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};

/// Per-dataset errors a job view lists at most.
const ERRORS_SHOWN: i64 = 200;

/// A stored run.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = harvest_jobs)]
pub struct JobRow {
    /// Its id (also its background job's).
    pub id: String,
    /// The source it pulls, if a pull.
    pub source_id: Option<String>,
    /// The target it pushes to, if a push.
    pub target_id: Option<String>,
    /// New, Running, Finished, Failed.
    pub status: String,
    /// When it was asked for.
    pub created: String,
    /// When it first started.
    pub started: Option<String>,
    /// When it ended.
    pub finished: Option<String>,
    /// Datasets found in step.
    pub unchanged: i64,
    /// Why it failed as a whole.
    pub error: Option<String>,
}

impl JobRow {
    /// Whose run it is.
    pub fn owner(&self) -> Option<Owner> {
        match (&self.source_id, &self.target_id) {
            (Some(id), _) => Some(Owner::Source(id.clone())),
            (None, Some(id)) => Some(Owner::Target(id.clone())),
            (None, None) => None,
        }
    }

    /// Its status as the enum (an unknown word reads as Failed).
    pub fn status(&self) -> HarvestJobStatus {
        self.status.parse().unwrap_or(HarvestJobStatus::Failed)
    }
}

/// What a run did, in ckanext-harvest's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Created (here for a pull, at the target for a push).
    pub added: i64,
    /// Updated.
    pub updated: i64,
    /// Found in step.
    pub unchanged: i64,
    /// Failed, each with its error.
    pub errored: i64,
    /// Deleted here, or withdrawn from the target.
    pub deleted: i64,
}

/// One dataset a run could not take or send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutcomeError {
    /// Its guid (the source's id, or ours for a push).
    pub guid: String,
    /// Its name.
    pub name: String,
    /// Why.
    pub message: String,
}

/// A run as `harvest_job_show` gives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobView {
    /// Its id.
    pub id: String,
    /// The source it pulls, if a pull.
    pub source_id: Option<String>,
    /// The target it pushes to, if a push.
    pub target_id: Option<String>,
    /// New, Running, Finished, Failed.
    pub status: HarvestJobStatus,
    /// When it was asked for.
    pub created: String,
    /// When it first started.
    pub gather_started: Option<String>,
    /// When it ended.
    pub finished: Option<String>,
    /// What it did.
    pub stats: Stats,
    /// Why it failed as a whole, or its last transient failure while it waits to retry.
    pub error: Option<String>,
    /// The datasets it could not take or send (the first 200).
    pub errors: Vec<OutcomeError>,
    /// When it will be tried again after a transient failure.
    pub retry_at: Option<String>,
    /// Tries so far.
    pub attempts: i32,
}

/// Stores a new run of `owner` and its background job, in the caller's transaction. Refused
/// while another run of it waits or runs (as ckanext-harvest does).
pub fn create_run(conn: &mut DbConnection, owner: &Owner, max_attempts: i32) -> AppResult<String> {
    if let Some(pending) = pending(conn, owner.id())? {
        return Err(AppError::new(ErrorCode::HarvestJobPending).arg("id", pending));
    }
    let id = crate::db::new_id();
    let (source_id, target_id) = match owner {
        Owner::Source(s) => (Some(s.as_str()), None),
        Owner::Target(t) => (None, Some(t.as_str())),
    };
    diesel::insert_into(harvest_jobs::table)
        .values((
            harvest_jobs::id.eq(&id),
            harvest_jobs::source_id.eq(source_id),
            harvest_jobs::target_id.eq(target_id),
            harvest_jobs::status.eq(HarvestJobStatus::New.as_str()),
            harvest_jobs::created.eq(now_text()),
            harvest_jobs::unchanged.eq(0i64),
        ))
        .execute(conn)?;
    crate::jobs::queue::enqueue(
        conn,
        &id,
        JobKind::HarvestRun,
        &json!({ "harvest_job_id": id }),
        max_attempts,
    )?;
    Ok(id)
}

/// The id of a run of `owner_id` that waits or runs, if any.
pub fn pending(conn: &mut DbConnection, owner_id: &str) -> AppResult<Option<String>> {
    Ok(harvest_jobs::table
        .filter(
            harvest_jobs::source_id
                .eq(owner_id)
                .or(harvest_jobs::target_id.eq(owner_id)),
        )
        .filter(harvest_jobs::status.eq_any([
            HarvestJobStatus::New.as_str(),
            HarvestJobStatus::Running.as_str(),
        ]))
        .select(harvest_jobs::id)
        .first(conn)
        .optional()?)
}

/// The newest run of `owner_id`.
pub fn latest(conn: &mut DbConnection, owner_id: &str) -> AppResult<Option<JobRow>> {
    Ok(harvest_jobs::table
        .filter(
            harvest_jobs::source_id
                .eq(owner_id)
                .or(harvest_jobs::target_id.eq(owner_id)),
        )
        .order((harvest_jobs::created.desc(), harvest_jobs::id.desc()))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// A stored run by id.
pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<JobRow>> {
    Ok(harvest_jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// The owner named by `source_id` or `target_id` (ids or names), exactly one of them.
fn owner_of(conn: &mut DbConnection, dict: &Dict) -> AppResult<Owner> {
    let mut errors = Errors::default();
    let source = params::text(dict, "source_id", 200, &mut errors).filter(|s| !s.is_empty());
    let target = params::text(dict, "target_id", 200, &mut errors).filter(|s| !s.is_empty());
    errors.into_result()?;
    match (source, target) {
        (Some(source), None) => Ok(Owner::Source(sources::find_or_404(conn, &source)?.id)),
        (None, Some(target)) => Ok(Owner::Target(targets::find_or_404(conn, &target)?.id)),
        _ => Err(AppError::field("source_id", FieldCode::SourceOrTarget)),
    }
}

/// `harvest_job_create {source_id | target_id}`: a run, now.
pub fn harvest_job_create(ctx: &AppContext, dict: &Dict) -> AppResult<JobView> {
    let max_attempts = ctx.harvest.settings.job_max_attempts;
    let id = ctx.write(|conn| {
        let owner = owner_of(conn, dict)?;
        create_run(conn, &owner, max_attempts)
    })?;
    let created = ctx.db.read(|conn| {
        let row = find(conn, &id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
        view(conn, row, true)
    });
    // Woken after the view is read, so the reply shows the run as created (New). A runner
    // busy with another job finds this permit when it is done.
    ctx.harvest.wake.notify_one();
    created
}

/// `harvest_job_show {id}`.
pub fn harvest_job_show(ctx: &AppContext, dict: &Dict) -> AppResult<JobView> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find(conn, &id)?
            .ok_or_else(|| AppError::not_found(ErrorCode::HarvestJobNotFound, &id))?;
        view(conn, row, true)
    })
}

/// `harvest_job_list {source_id?, target_id?, limit?, offset?}`: newest first.
pub fn harvest_job_list(ctx: &AppContext, dict: &Dict) -> AppResult<Vec<JobView>> {
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(20);
    let offset = params::integer(dict, "offset", 1_000_000, &mut errors).unwrap_or(0);
    errors.into_result()?;
    let filtered = dict.contains_key("source_id") || dict.contains_key("target_id");
    ctx.db.read(|conn| {
        let mut query = harvest_jobs::table
            .select(JobRow::as_select())
            .order((harvest_jobs::created.desc(), harvest_jobs::id.desc()))
            .limit(limit)
            .offset(offset)
            .into_boxed();
        if filtered {
            let owner = owner_of(conn, dict)?;
            query = query.filter(
                harvest_jobs::source_id
                    .eq(owner.id().to_owned())
                    .or(harvest_jobs::target_id.eq(owner.id().to_owned())),
            );
        }
        let rows = query.load::<JobRow>(conn)?;
        rows.into_iter().map(|row| view(conn, row, false)).collect()
    })
}

/// The view of a run: its figures counted from its outcomes, its errors when asked for.
pub fn view(conn: &mut DbConnection, row: JobRow, with_errors: bool) -> AppResult<JobView> {
    let counts: Vec<(String, i64)> = harvest_outcomes::table
        .filter(harvest_outcomes::job_id.eq(&row.id))
        .group_by(harvest_outcomes::action)
        .select((harvest_outcomes::action, diesel::dsl::count_star()))
        .load(conn)?;
    let mut stats = Stats {
        unchanged: row.unchanged,
        ..Stats::default()
    };
    for (action, count) in counts {
        match action.parse::<HarvestAction>() {
            Ok(HarvestAction::Added) => stats.added = count,
            Ok(HarvestAction::Updated) => stats.updated = count,
            Ok(HarvestAction::Deleted) => stats.deleted = count,
            Ok(HarvestAction::Errored) => stats.errored = count,
            Err(_) => {}
        }
    }
    let errors = match with_errors {
        false => Vec::new(),
        true => harvest_outcomes::table
            .filter(harvest_outcomes::job_id.eq(&row.id))
            .filter(harvest_outcomes::action.eq(HarvestAction::Errored.as_str()))
            .order(harvest_outcomes::at.asc())
            .limit(ERRORS_SHOWN)
            .select((
                harvest_outcomes::guid,
                harvest_outcomes::name,
                harvest_outcomes::error,
            ))
            .load::<(String, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(guid, name, message)| OutcomeError {
                guid,
                name,
                message: message.unwrap_or_default(),
            })
            .collect(),
    };
    let retry = crate::jobs::queue::retry_state(conn, &row.id)?;
    let status = row.status();
    let waiting = status == HarvestJobStatus::Running;
    Ok(JobView {
        status,
        created: row.created,
        gather_started: row.started,
        finished: row.finished,
        stats,
        error: row.error.or_else(|| {
            retry
                .as_ref()
                .filter(|_| waiting)
                .and_then(|(_, _, e)| e.clone())
        }),
        errors,
        retry_at: retry
            .as_ref()
            .filter(|_| waiting)
            .map(|(at, _, _)| at.clone()),
        attempts: retry.map(|(_, attempts, _)| attempts).unwrap_or_default(),
        id: row.id,
        source_id: row.source_id,
        target_id: row.target_id,
    })
}

/// Marks a run started (the first time) and Running.
pub fn mark_running(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    let now = now_text();
    diesel::update(harvest_jobs::table.find(id))
        .set((
            harvest_jobs::status.eq(HarvestJobStatus::Running.as_str()),
            harvest_jobs::error.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(
        harvest_jobs::table
            .find(id)
            .filter(harvest_jobs::started.is_null()),
    )
    .set(harvest_jobs::started.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Ends a run: Finished (error None) or Failed with why; `unchanged` as counted.
pub fn mark_ended(
    conn: &mut DbConnection,
    id: &str,
    error: Option<&str>,
    unchanged: Option<i64>,
) -> AppResult<()> {
    let status = match error {
        None => HarvestJobStatus::Finished,
        Some(_) => HarvestJobStatus::Failed,
    };
    diesel::update(harvest_jobs::table.find(id))
        .set((
            harvest_jobs::status.eq(status.as_str()),
            harvest_jobs::finished.eq(Some(now_text())),
            harvest_jobs::error.eq(error),
        ))
        .execute(conn)?;
    if let Some(unchanged) = unchanged {
        diesel::update(harvest_jobs::table.find(id))
            .set(harvest_jobs::unchanged.eq(unchanged))
            .execute(conn)?;
    }
    Ok(())
}

/// Records what a run did with one dataset (a later try of the same run overwrites it).
pub fn record_outcome(
    conn: &mut DbConnection,
    job_id: &str,
    guid: &str,
    name: &str,
    action: HarvestAction,
    error: Option<&str>,
) -> AppResult<()> {
    diesel::delete(
        harvest_outcomes::table
            .filter(harvest_outcomes::job_id.eq(job_id))
            .filter(harvest_outcomes::guid.eq(guid)),
    )
    .execute(conn)?;
    diesel::insert_into(harvest_outcomes::table)
        .values((
            harvest_outcomes::job_id.eq(job_id),
            harvest_outcomes::guid.eq(guid),
            harvest_outcomes::name.eq(name),
            harvest_outcomes::action.eq(action.as_str()),
            harvest_outcomes::error.eq(error),
            harvest_outcomes::at.eq(now_text()),
        ))
        .execute(conn)?;
    Ok(())
}
