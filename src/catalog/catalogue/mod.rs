//! The province's open-data catalogue ("Danh mục dữ liệu mở", issue 12): entries proposed by
//! departments and reviewed by the data office (`status`, `entries`, `review`), issued in
//! numbered versions by the chairman's decision (`versions`), linked to the datasets that
//! fulfil them, measured against their due dates (`compliance`), de-duplicated across
//! departments (`duplicates`), ranked by demand (`demand`) and followed by reminders
//! (`reminders`, e-mailed by `reminder_mail`); `rights` tells pages which moves are open. No
//! HTTP here: actions take dicts and return typed views.

pub mod compliance;
pub mod demand;
pub mod duplicates;
pub mod entries;
pub mod listing;
pub mod reminder_mail;
pub mod reminders;
pub mod review;
pub mod rights;
mod rows;
pub mod status;
pub mod versions;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

pub use rows::EntryRow;

use super::access::{self, Capacity};
use super::Actor;
use crate::config::CatalogueSettings;
use crate::db::schema::{catalogue_entries, catalogue_transitions};
use crate::db::{new_id, DbConnection};
use crate::enums::EntryStatus;
use crate::error::{AppError, AppResult, ErrorCode, Forbidden};

/// The time the catalogue reads: the system clock in production, a fixed instant where a test
/// or a replay needs one. Figures and reminders also take an explicit `as_of`.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// Always `instant`.
    pub fn fixed(instant: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || instant))
    }

    /// Now, by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// Today's date (UTC), by this clock.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Now as stored text (the fixed-width UTC form of `db::now_text`).
    pub fn now_text(&self) -> String {
        self.now().format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// What the catalogue needs beside the database: its settings, its clock and the API reads
/// of datasets counted and not yet written.
#[derive(Debug, Clone)]
pub struct Runtime {
    /// Periods, reminder lead time, legal references.
    pub settings: Arc<CatalogueSettings>,
    /// The clock of reminders and records.
    pub clock: Clock,
    /// API reads of datasets (demand).
    pub reads: demand::ReadTally,
}

impl Runtime {
    /// A runtime with the system clock.
    pub fn new(settings: CatalogueSettings) -> Runtime {
        Runtime {
            settings: Arc::new(settings),
            clock: Clock::system(),
            reads: demand::ReadTally::default(),
        }
    }
}

/// "No such entry" (also what a caller who may not see it is told).
pub fn entry_not_found(id: &str) -> AppError {
    AppError::not_found(ErrorCode::CatalogueEntryNotFound, id)
}

/// An entry by id (deleted ones count as missing).
pub fn find_entry(conn: &mut DbConnection, id: &str) -> AppResult<EntryRow> {
    catalogue_entries::table
        .find(id)
        .filter(catalogue_entries::deleted.eq(false))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| entry_not_found(id))
}

/// The actor's role in the entry's department, if any (sysadmins hold none by that alone:
/// they act as the data office).
pub fn department_role(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: &EntryRow,
) -> AppResult<Option<Capacity>> {
    Ok(access::memberships_of(conn, actor)?
        .into_iter()
        .find(|(org, _)| *org == entry.owner_org)
        .map(|(_, capacity)| capacity))
}

/// Whether the actor may see the entry: anyone once an issued catalogue made it public; before
/// that its department (any role) and the data office only.
pub fn can_see(conn: &mut DbConnection, actor: &Actor, entry: &EntryRow) -> AppResult<bool> {
    if status::public(entry.status) || actor.is_reviewer() {
        return Ok(true);
    }
    Ok(department_role(conn, actor, entry)?.is_some())
}

/// The entry, if the actor may see it; otherwise "not found", so its existence is not told.
pub fn visible_entry(conn: &mut DbConnection, actor: &Actor, id: &str) -> AppResult<EntryRow> {
    let entry = find_entry(conn, id)?;
    if can_see(conn, actor, &entry)? {
        Ok(entry)
    } else {
        Err(entry_not_found(id))
    }
}

/// True when the actor edits the entry's department's entries (editor or admin there).
pub fn is_department_editor(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: &EntryRow,
) -> AppResult<bool> {
    Ok(department_role(conn, actor, entry)?.is_some_and(|c| c >= Capacity::Editor))
}

/// Fails unless the actor is the data office acting on another department's entry: a
/// department never reviews its own entries, whatever other role its member holds.
pub fn require_office_on(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: &EntryRow,
) -> AppResult<()> {
    if !actor.is_reviewer() {
        return Err(AppError::forbidden(Forbidden::ReviewerOnly));
    }
    if department_role(conn, actor, entry)?.is_some() {
        return Err(AppError::new(ErrorCode::CatalogueOwnReview));
    }
    Ok(())
}

/// Moves an entry by `step` and records who, when and why; the status is changed only if it
/// is still the one read (a concurrent move makes this one a refusal, not a double move).
pub fn transition(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: &EntryRow,
    step: status::Step,
    reason: &str,
    at: &str,
) -> AppResult<EntryStatus> {
    let to = step.apply(entry.status)?;
    let changed = diesel::update(
        catalogue_entries::table
            .find(&entry.id)
            .filter(catalogue_entries::status.eq(entry.status)),
    )
    .set((
        catalogue_entries::status.eq(to),
        catalogue_entries::modified.eq(at),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(status::refused(step.choice(), entry.status));
    }
    diesel::insert_into(catalogue_transitions::table)
        .values((
            catalogue_transitions::id.eq(new_id()),
            catalogue_transitions::entry_id.eq(&entry.id),
            catalogue_transitions::from_status.eq(entry.status),
            catalogue_transitions::to_status.eq(to),
            catalogue_transitions::user_id.eq(&actor.user_id),
            catalogue_transitions::reason.eq(reason),
            catalogue_transitions::created.eq(at),
        ))
        .execute(conn)?;
    Ok(to)
}

/// Reads an optional `as_of` date (`YYYY-MM-DD` or a timestamp); today by the clock if absent.
pub fn as_of(dict: &super::Dict, clock: &Clock) -> AppResult<NaiveDate> {
    let mut errors = super::params::Errors::default();
    let given = super::params::text(dict, "as_of", 40, &mut errors);
    errors.into_result()?;
    match given.filter(|text| !text.is_empty()) {
        None => Ok(clock.today()),
        Some(text) => super::datasets::freshness::parse_timestamp(&text)
            .map(|instant| instant.date_naive())
            .ok_or_else(|| AppError::field("as_of", crate::error::FieldCode::InvalidDate)),
    }
}
