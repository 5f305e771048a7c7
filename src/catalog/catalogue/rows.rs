//! The stored rows of the catalogue, as diesel reads them.

use diesel::prelude::*;

use crate::db::schema::catalogue_entries;
use crate::enums::EntryStatus;

/// A catalogue entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = catalogue_entries)]
pub struct EntryRow {
    /// UUID.
    pub id: String,
    /// What data will be published.
    pub title: String,
    /// What it holds, for whom.
    pub description: String,
    /// The responsible department (organisation id).
    pub owner_org: String,
    /// Theme names, JSON list.
    pub themes: String,
    /// Promised formats, JSON list.
    pub formats: String,
    /// `download` and/or `api`, JSON list.
    pub access_methods: String,
    /// Promised update frequency (`vocab::FREQUENCIES`).
    pub frequency: String,
    /// Date of first publication (`YYYY-MM-DD`).
    pub planned_publication: String,
    /// The legal basis for publishing it.
    pub legal_basis: String,
    /// Declared priority, 1 (lowest) to 5 (highest).
    pub priority: i32,
    /// Where it stands.
    pub status: EntryStatus,
    /// The entry it was merged into.
    pub merged_into: Option<String>,
    /// When it became published.
    pub first_published: Option<String>,
    /// Deleted drafts are kept, hidden.
    pub deleted: bool,
    /// Who proposed it.
    pub creator_user_id: Option<String>,
    /// When it was proposed.
    pub created: String,
    /// Last change.
    pub modified: String,
}

impl EntryRow {
    /// A JSON list column as strings (an unreadable one reads as empty).
    pub fn list(column: &str) -> Vec<String> {
        serde_json::from_str(column).unwrap_or_default()
    }
}
