//! `harvest_objects`: what a source or target last did with each dataset, written in the
//! same transaction as the run's outcome for it.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::catalog::harvesting::runs;
use crate::db::schema::{harvest_objects, harvest_outcomes};
use crate::db::DbConnection;
use crate::enums::{HarvestAction, HarvestObjectState};
use crate::error::AppResult;

/// What a source or target knows of one dataset.
#[derive(Debug, Clone, Queryable)]
pub struct Known {
    /// The guid at the source (pull) or our dataset id (push).
    pub guid: String,
    /// Our dataset.
    pub dataset_id: Option<String>,
    /// The target's id of it (push).
    pub remote_id: Option<String>,
    /// The `metadata_modified` last synced.
    pub modified: Option<String>,
    /// `current` or `gone`.
    pub state: String,
}

impl Known {
    /// True when the dataset is at its place (created or updated, not withdrawn or deleted).
    pub fn is_current(&self) -> bool {
        self.state == HarvestObjectState::Current.as_str()
    }
}

/// Everything `owner_id` knows, by guid.
pub fn load(conn: &mut DbConnection, owner_id: &str) -> AppResult<HashMap<String, Known>> {
    let rows: Vec<Known> = harvest_objects::table
        .filter(harvest_objects::owner_id.eq(owner_id))
        .select((
            harvest_objects::guid,
            harvest_objects::dataset_id,
            harvest_objects::remote_id,
            harvest_objects::modified,
            harvest_objects::state,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|k| (k.guid.clone(), k)).collect())
}

/// The guids this job already has an outcome for (an earlier try of it did them).
pub fn done_by(
    conn: &mut DbConnection,
    job_id: &str,
) -> AppResult<std::collections::HashSet<String>> {
    Ok(harvest_outcomes::table
        .filter(harvest_outcomes::job_id.eq(job_id))
        .select(harvest_outcomes::guid)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// What became of one dataset, to store.
pub struct Done<'a> {
    /// The run.
    pub job_id: &'a str,
    /// The source or target.
    pub owner_id: &'a str,
    /// The dataset's guid.
    pub guid: &'a str,
    /// Its name, for the report.
    pub name: &'a str,
    /// What the run did.
    pub action: HarvestAction,
    /// What is now known of it (None: a failure changes nothing known).
    pub known: Option<Known>,
    /// Why it failed.
    pub error: Option<&'a str>,
}

/// Stores an outcome and what is now known, together.
pub fn store(conn: &mut DbConnection, done: &Done<'_>) -> AppResult<()> {
    if let Some(known) = &done.known {
        diesel::delete(
            harvest_objects::table
                .filter(harvest_objects::owner_id.eq(done.owner_id))
                .filter(harvest_objects::guid.eq(done.guid)),
        )
        .execute(conn)?;
        diesel::insert_into(harvest_objects::table)
            .values((
                harvest_objects::owner_id.eq(done.owner_id),
                harvest_objects::guid.eq(done.guid),
                harvest_objects::dataset_id.eq(&known.dataset_id),
                harvest_objects::remote_id.eq(&known.remote_id),
                harvest_objects::modified.eq(&known.modified),
                harvest_objects::state.eq(&known.state),
            ))
            .execute(conn)?;
    }
    runs::record_outcome(
        conn,
        done.job_id,
        done.guid,
        done.name,
        done.action,
        done.error,
    )
}
