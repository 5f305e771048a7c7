//! Catalogue versions: the chairman's decision issues the approved entries as version N
//! (`catalogue_version_issue`), with the signed decision PDF kept byte-for-byte in the file
//! store; each version freezes a copy of its entries, so a later version or edit never alters
//! it (`catalogue_version_show` reads only the frozen copies). A version also withdraws the
//! entries the decision names.

use std::path::PathBuf;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::entries::{views, EntryView};
use super::review::publish_ready;
use super::status::{self, Step};
use super::{find_entry, transition, EntryRow};
use crate::catalog::params::{self, Errors};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::{catalogue_entries, catalogue_version_entries, catalogue_versions, users};
use crate::db::DbConnection;
use crate::enums::EntryStatus;
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};
use crate::storage::StagedFile;

/// An entry as a version froze it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenEntry {
    /// Entry id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Department id.
    pub owner_org: String,
    /// Department title.
    pub organization_title: String,
    /// Theme names.
    pub themes: Vec<String>,
    /// Promised formats.
    pub formats: Vec<String>,
    /// `download`, `api`.
    pub access_methods: Vec<String>,
    /// Promised update frequency.
    pub frequency: String,
    /// Date of first publication.
    pub planned_publication: String,
    /// Legal basis.
    pub legal_basis: String,
    /// Declared priority.
    pub priority: i32,
}

impl FrozenEntry {
    fn of(view: &EntryView) -> FrozenEntry {
        FrozenEntry {
            id: view.id.clone(),
            title: view.title.clone(),
            description: view.description.clone(),
            owner_org: view.owner_org.clone(),
            organization_title: view
                .organization
                .as_ref()
                .map(|o| o.title.clone())
                .unwrap_or_default(),
            themes: view.themes.clone(),
            formats: view.formats.clone(),
            access_methods: view.access_methods.clone(),
            frequency: view.frequency.clone(),
            planned_publication: view.planned_publication.clone(),
            legal_basis: view.legal_basis.clone(),
            priority: view.priority,
        }
    }
}

/// The signed decision of a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionFile {
    /// The uploaded file's name.
    pub name: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// MIME type.
    pub mimetype: String,
    /// Where to download it.
    pub url: String,
}

/// A version without its entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// Version number, from 1.
    pub version: i32,
    /// The decision's number ("123/QĐ-UBND").
    pub decision_number: String,
    /// The decision's date.
    pub decision_date: String,
    /// Who signed it.
    pub signer: String,
    /// The signed decision.
    pub decision: DecisionFile,
    /// Who recorded it (login name).
    pub issued_by: String,
    /// When it was recorded.
    pub created: String,
    /// Entries in it.
    pub entry_count: usize,
}

/// An entry whose frozen fields differ from the previous version's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedEntry {
    /// The entry as this version froze it.
    pub entry: FrozenEntry,
    /// The fields that differ.
    pub fields: Vec<String>,
}

/// A version with its entries and what changed since the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    /// Number, decision, file.
    #[serde(flatten)]
    pub summary: VersionSummary,
    /// Every entry of this version.
    pub entries: Vec<FrozenEntry>,
    /// Entries new in this version.
    pub added: Vec<FrozenEntry>,
    /// Entries whose fields changed since the previous version.
    pub changed: Vec<ChangedEntry>,
    /// Entries of the previous version that this one no longer has.
    pub withdrawn: Vec<FrozenEntry>,
}

/// `catalogue_version_issue {decision_number, decision_date, signer, upload, withdraw?}`: the
/// data office records the chairman's decision. Approved entries become issued; the entries
/// named in `withdraw` (issued or published) are withdrawn; the version holds every entry in
/// force afterwards.
pub fn version_issue(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<VersionView> {
    let mut errors = Errors::default();
    let required = |field: &str, max: usize, errors: &mut Errors| {
        let value = params::text(dict, field, max, errors).unwrap_or_default();
        if value.is_empty() && !errors.0.contains_key(field) {
            errors.add(field, params::missing());
        }
        value
    };
    let decision_number = required("decision_number", 100, &mut errors);
    let decision_date = required("decision_date", 20, &mut errors);
    let signer = required("signer", 200, &mut errors);
    if !decision_date.is_empty() && NaiveDate::parse_from_str(&decision_date, "%Y-%m-%d").is_err() {
        errors.add("decision_date", FieldCode::InvalidDate);
    }
    let withdraw: Vec<String> = params::list(dict, "withdraw", &mut errors)
        .unwrap_or_default()
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string())
        })
        .collect();
    let is_pdf = |file: &StagedFile| -> AppResult<bool> {
        let signed = file.starts_with(b"%PDF-").map_err(|e| {
            AppError::Internal(anyhow::Error::new(e).context("reading an uploaded decision"))
        })?;
        Ok(file.mimetype == "application/pdf" && signed)
    };
    match &upload {
        None => errors.add("upload", params::missing()),
        // The signature, not only the type (which falls back to the name: a text file named
        // `.pdf` would pass): a decision is kept as issued, so it must be a PDF.
        Some(file) if !is_pdf(file)? => {
            errors.add("upload", FieldCode::UnknownChoice.arg("choices", "PDF"));
        }
        Some(_) => {}
    }
    errors.into_result()?;
    let Some(upload) = upload else {
        return Err(AppError::field("upload", params::missing()));
    };
    let placed = ctx.files.place(upload, &crate::db::new_id())?;
    let at = ctx.catalogue.clock.now_text();
    let number = ctx.write(|conn| {
        let last: Option<i32> = catalogue_versions::table
            .select(diesel::dsl::max(catalogue_versions::number))
            .first(conn)?;
        let number = last.unwrap_or(0) + 1;
        let reason = format!("Quyết định / decision {decision_number} ({decision_date})");
        let mut moved = 0;
        for id in &withdraw {
            let entry = find_entry(conn, id)?;
            transition(conn, actor, &entry, Step::Withdraw, &reason, &at)?;
            moved += 1;
        }
        let approved: Vec<EntryRow> = catalogue_entries::table
            .filter(catalogue_entries::status.eq(EntryStatus::Approved))
            .filter(catalogue_entries::deleted.eq(false))
            .select(EntryRow::as_select())
            .load(conn)?;
        for entry in &approved {
            transition(conn, actor, entry, Step::Issue, &reason, &at)?;
            moved += 1;
        }
        if moved == 0 {
            return Err(AppError::new(ErrorCode::CatalogueNothingToIssue));
        }
        diesel::insert_into(catalogue_versions::table)
            .values((
                catalogue_versions::number.eq(number),
                catalogue_versions::decision_number.eq(&decision_number),
                catalogue_versions::decision_date.eq(&decision_date),
                catalogue_versions::signer.eq(&signer),
                catalogue_versions::file_key.eq(&placed.key),
                catalogue_versions::file_name.eq(&placed.file_name),
                catalogue_versions::file_size.eq(i64::try_from(placed.size).unwrap_or(i64::MAX)),
                catalogue_versions::file_sha256.eq(&placed.sha256),
                catalogue_versions::file_mimetype.eq(&placed.mimetype),
                catalogue_versions::issued_by.eq(&actor.user_id),
                catalogue_versions::created.eq(&at),
            ))
            .execute(conn)?;
        freeze(conn, number)?;
        publish_ready(conn, &at)?;
        Ok(number)
    })?;
    placed.keep();
    ctx.db
        .read(|conn| version_view(conn, &ctx.site_url, number))
}

/// Freezes every entry in force as version `number`.
fn freeze(conn: &mut DbConnection, number: i32) -> AppResult<()> {
    let rows: Vec<EntryRow> = catalogue_entries::table
        .filter(catalogue_entries::status.eq_any([EntryStatus::Issued, EntryStatus::Published]))
        .filter(catalogue_entries::deleted.eq(false))
        .select(EntryRow::as_select())
        .load(conn)?;
    for view in views(conn, rows, false)? {
        debug_assert!(status::in_force(view.status));
        let frozen = FrozenEntry::of(&view);
        let snapshot = serde_json::to_string(&frozen)
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("freezing an entry")))?;
        diesel::insert_into(catalogue_version_entries::table)
            .values((
                catalogue_version_entries::version.eq(number),
                catalogue_version_entries::entry_id.eq(&frozen.id),
                catalogue_version_entries::owner_org.eq(&frozen.owner_org),
                catalogue_version_entries::snapshot.eq(&snapshot),
            ))
            .execute(conn)?;
    }
    Ok(())
}

type VersionRow = (
    i32,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    String,
);

fn summary_of(
    conn: &mut DbConnection,
    site_url: &str,
    row: VersionRow,
) -> AppResult<VersionSummary> {
    let (
        number,
        decision_number,
        decision_date,
        signer,
        file_name,
        size,
        sha256,
        mimetype,
        by,
        created,
    ) = row;
    let issued_by = match by {
        Some(id) => users::table
            .find(id)
            .select(users::name)
            .first::<String>(conn)
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    };
    let entry_count: i64 = catalogue_version_entries::table
        .filter(catalogue_version_entries::version.eq(number))
        .count()
        .get_result(conn)?;
    Ok(VersionSummary {
        version: number,
        decision: DecisionFile {
            url: format!("{site_url}/catalogue/version/{number}/decision"),
            name: file_name,
            size,
            sha256,
            mimetype,
        },
        decision_number,
        decision_date,
        signer,
        issued_by,
        created,
        entry_count: usize::try_from(entry_count).unwrap_or(0),
    })
}

fn version_rows(conn: &mut DbConnection, number: Option<i32>) -> AppResult<Vec<VersionRow>> {
    let mut query = catalogue_versions::table
        .select((
            catalogue_versions::number,
            catalogue_versions::decision_number,
            catalogue_versions::decision_date,
            catalogue_versions::signer,
            catalogue_versions::file_name,
            catalogue_versions::file_size,
            catalogue_versions::file_sha256,
            catalogue_versions::file_mimetype,
            catalogue_versions::issued_by,
            catalogue_versions::created,
        ))
        .order(catalogue_versions::number.desc())
        .into_boxed();
    if let Some(number) = number {
        query = query.filter(catalogue_versions::number.eq(number));
    }
    Ok(query.load(conn)?)
}

/// The frozen entries of a version (none for version 0, the empty catalogue before the first).
pub fn frozen_entries(conn: &mut DbConnection, number: i32) -> AppResult<Vec<FrozenEntry>> {
    let snapshots: Vec<String> = catalogue_version_entries::table
        .filter(catalogue_version_entries::version.eq(number))
        .select(catalogue_version_entries::snapshot)
        .load(conn)?;
    let mut entries: Vec<FrozenEntry> = snapshots
        .iter()
        .map(|s| serde_json::from_str(s))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("reading a frozen entry")))?;
    entries
        .sort_by(|a, b| (&a.organization_title, &a.title).cmp(&(&b.organization_title, &b.title)));
    Ok(entries)
}

fn differing_fields(old: &FrozenEntry, new: &FrozenEntry) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    b.iter()
        .filter(|(key, value)| a.get(*key) != Some(value))
        .map(|(key, _)| key.clone())
        .collect()
}

fn version_view(conn: &mut DbConnection, site_url: &str, number: i32) -> AppResult<VersionView> {
    let row = version_rows(conn, Some(number))?.pop().ok_or_else(|| {
        AppError::not_found(ErrorCode::CatalogueVersionNotFound, &number.to_string())
    })?;
    let summary = summary_of(conn, site_url, row)?;
    let entries = frozen_entries(conn, number)?;
    let previous = frozen_entries(conn, number - 1)?;
    let added = entries
        .iter()
        .filter(|e| !previous.iter().any(|p| p.id == e.id))
        .cloned()
        .collect();
    let changed = entries
        .iter()
        .filter_map(|e| {
            let old = previous.iter().find(|p| p.id == e.id)?;
            let fields = differing_fields(old, e);
            (!fields.is_empty()).then(|| ChangedEntry {
                entry: e.clone(),
                fields,
            })
        })
        .collect();
    let withdrawn = previous
        .iter()
        .filter(|p| !entries.iter().any(|e| e.id == p.id))
        .cloned()
        .collect();
    Ok(VersionView {
        summary,
        entries,
        added,
        changed,
        withdrawn,
    })
}

fn version_number(dict: &Dict) -> AppResult<i32> {
    let mut errors = Errors::default();
    let number = params::integer(dict, "version", i64::from(i32::MAX), &mut errors);
    if number.is_none() && errors.is_empty() {
        errors.add("version", params::missing());
    }
    errors.into_result()?;
    Ok(number.and_then(|n| i32::try_from(n).ok()).unwrap_or(0))
}

/// `catalogue_version_show {version}`: anyone may read an issued catalogue.
pub fn version_show(ctx: &AppContext, dict: &Dict) -> AppResult<VersionView> {
    let number = version_number(dict)?;
    ctx.db
        .read(|conn| version_view(conn, &ctx.site_url, number))
}

/// `catalogue_version_list`: every version, newest first.
pub fn version_list(ctx: &AppContext) -> AppResult<Vec<VersionSummary>> {
    ctx.db.read(|conn| {
        version_rows(conn, None)?
            .into_iter()
            .map(|row| summary_of(conn, &ctx.site_url, row))
            .collect()
    })
}

/// The latest version issued on or before `day` (its number and decision date).
pub fn latest_by(conn: &mut DbConnection, day: NaiveDate) -> AppResult<Option<(i32, String)>> {
    let day = day.format("%Y-%m-%d").to_string();
    Ok(catalogue_versions::table
        .filter(catalogue_versions::decision_date.le(day))
        .order(catalogue_versions::number.desc())
        .select((
            catalogue_versions::number,
            catalogue_versions::decision_date,
        ))
        .first(conn)
        .optional()?)
}

/// Where the signed decision of a version is, for its download.
#[derive(Debug, Clone)]
pub struct DecisionDownload {
    /// The file on disk.
    pub path: PathBuf,
    /// The uploaded file's name.
    pub file_name: String,
    /// Its MIME type.
    pub mimetype: String,
}

/// The decision file of version `number` (anyone: decisions are public).
pub fn decision_download(ctx: &AppContext, number: i32) -> AppResult<DecisionDownload> {
    let (key, file_name, mimetype): (String, String, String) = ctx
        .db
        .read(|conn| {
            Ok(catalogue_versions::table
                .find(number)
                .select((
                    catalogue_versions::file_key,
                    catalogue_versions::file_name,
                    catalogue_versions::file_mimetype,
                ))
                .first(conn)
                .optional()?)
        })?
        .ok_or_else(|| {
            AppError::not_found(ErrorCode::CatalogueVersionNotFound, &number.to_string())
        })?;
    let path = ctx
        .files
        .path_of(&key)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("refusing the stored key {key:?}")))?;
    Ok(DecisionDownload {
        path,
        file_name,
        mimetype,
    })
}

/// The storage keys of every decision file (kept by the start-up sweep of the file store).
pub fn decision_keys(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    Ok(catalogue_versions::table
        .select(catalogue_versions::file_key)
        .load(conn)?)
}

/// Entries in force in the current catalogue, as views (for compliance and reminders).
pub fn in_force(conn: &mut DbConnection) -> AppResult<Vec<EntryView>> {
    let rows: Vec<EntryRow> = catalogue_entries::table
        .filter(catalogue_entries::status.eq_any([EntryStatus::Issued, EntryStatus::Published]))
        .filter(catalogue_entries::deleted.eq(false))
        .select(EntryRow::as_select())
        .load(conn)?;
    views(conn, rows, false)
}
