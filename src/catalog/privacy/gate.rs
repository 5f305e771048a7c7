//! The gate itself: run inside the write that would make a dataset's files public, it scans
//! the tabular files no review covers yet and refuses the write (`privacy_review_required`,
//! the findings in the error) when they hold personal data, so the transaction rolls back and
//! nothing stored changes. Actions scan before their write begins (`prescan_dataset`,
//! `prescan_upload`), so inside the write the gate usually finds every scan in the cache and
//! holds the write lock only for a lookup; what changed in between is scanned there.

use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde_json::json;

use super::reviews;
use super::FileFindings;
use crate::catalog::datasets::resources::active_rows;
use crate::catalog::AppContext;
use crate::db::models::DatasetRow;
use crate::db::DbConnection;
use crate::enums::{DatasetState, UrlType};
use crate::error::{AppError, AppResult, ErrorCode, PrivacyGate};
use crate::privacy::{scan, FileScan, Tabular};

/// What a write makes public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The whole dataset becomes public: every file is checked.
    Dataset,
    /// A file is added to or replaced in a dataset already public: that file is checked.
    Resource(&'a str),
}

/// True when everyone may see the dataset.
pub fn is_public(row: &DatasetRow) -> bool {
    row.state == DatasetState::Active && !row.private
}

/// A stored file the scan reads.
pub(super) struct TabularFile {
    pub resource_id: String,
    pub name: String,
    /// Its SHA-256 (or, for a file stored without one, its storage key).
    pub hash: String,
    pub path: PathBuf,
    pub kind: Tabular,
}

/// The dataset's uploaded CSV, TSV and XLSX files. Links are not read: the portal never
/// fetches remote files, so what they hold is the publisher's word.
pub(super) fn tabular_files(
    ctx: &AppContext,
    conn: &mut DbConnection,
    dataset_id: &str,
) -> AppResult<Vec<TabularFile>> {
    let mut files = Vec::new();
    for row in active_rows(conn, dataset_id)? {
        let Some(key) = row
            .storage_key
            .as_deref()
            .filter(|_| row.url_type == UrlType::Upload)
        else {
            continue;
        };
        let (Some(kind), Some(path)) = (
            Tabular::of(&row.format, &row.mimetype),
            ctx.files.path_of(key),
        ) else {
            continue;
        };
        let hash = if row.hash.is_empty() {
            format!("key:{key}")
        } else {
            row.hash.clone()
        };
        files.push(TabularFile {
            resource_id: row.id,
            name: row.name,
            hash,
            path,
            kind,
        });
    }
    Ok(files)
}

/// The year that bounds plausible birth dates in a scan.
fn this_year() -> u16 {
    u16::try_from(chrono::Utc::now().year()).unwrap_or(u16::MAX)
}

/// Scans one stored file, or takes its scan from the cache.
fn scan_cached(
    ctx: &AppContext,
    hash: &str,
    path: &Path,
    kind: Tabular,
) -> std::io::Result<FileScan> {
    let year = this_year();
    if let Some(scanned) = ctx.privacy.scans.get(hash, kind, year) {
        return Ok(scanned);
    }
    let scanned = scan(path, kind, &ctx.privacy.bounds, year)?;
    ctx.privacy.scans.put(hash, kind, year, scanned.clone());
    Ok(scanned)
}

/// Scans files (those an action scanned before its write are taken from the cache); a file
/// the machine cannot read at all is an internal error (the stored file is missing or
/// unreadable), never a pass.
pub(super) fn scan_files(ctx: &AppContext, files: &[TabularFile]) -> AppResult<Vec<FileFindings>> {
    files
        .iter()
        .map(|file| {
            let scanned = scan_cached(ctx, &file.hash, &file.path, file.kind).map_err(|e| {
                AppError::Internal(anyhow::Error::new(e).context(format!(
                    "scanning resource {} for personal data",
                    file.resource_id
                )))
            })?;
            Ok(FileFindings {
                resource_id: file.resource_id.clone(),
                resource_name: file.name.clone(),
                hash: file.hash.clone(),
                rows_scanned: scanned.rows,
                complete: scanned.complete,
                findings: scanned.findings,
            })
        })
        .collect()
}

/// Before a write that may make the dataset public: scans, outside the write lock, the files
/// no review covers, so the gate inside the write finds their scans ready. Best effort: what
/// fails here is scanned (and reported) by the gate itself.
pub fn prescan_dataset(ctx: &AppContext, dataset_id: &str) {
    let pending = ctx.db.read(|conn| {
        let public =
            crate::catalog::datasets::find(conn, dataset_id)?.is_some_and(|d| is_public(&d));
        if public {
            // Already public: the write cannot make it public, so the gate will not scan.
            return Ok(Vec::new());
        }
        let mut files = tabular_files(ctx, conn, dataset_id)?;
        let covered = reviews::covered(conn, dataset_id)?;
        files.retain(|f| !covered.hashes.contains(&f.hash));
        Ok(files)
    });
    match pending {
        Ok(files) => {
            for file in files {
                if let Err(error) = scan_cached(ctx, &file.hash, &file.path, file.kind) {
                    tracing::debug!(error = %error, "a scan before the write failed");
                }
            }
        }
        Err(error) => tracing::debug!(error = %error, "listing files to scan before the write"),
    }
}

/// Before the write of an uploaded file (placed in the store, not yet recorded): scans it
/// outside the write lock when it is tabular, so the gate finds the scan ready.
pub fn prescan_upload(ctx: &AppContext, hash: &str, path: &Path, format: &str, mimetype: &str) {
    let Some(kind) = Tabular::of(format, mimetype) else {
        return;
    };
    if let Err(error) = scan_cached(ctx, hash, path, kind) {
        tracing::debug!(error = %error, "a scan of an upload before its write failed");
    }
}

/// Lets a write that makes `scope` of the dataset public go on, or refuses it: files no
/// review covers are scanned, and findings (or, with `require_review_always`, any publication
/// of the whole dataset without a review of every file) need the checklist first.
pub fn require_clearance(
    ctx: &AppContext,
    conn: &mut DbConnection,
    dataset_id: &str,
    scope: Scope<'_>,
) -> AppResult<()> {
    let mut files = tabular_files(ctx, conn, dataset_id)?;
    if let Scope::Resource(id) = scope {
        files.retain(|f| f.resource_id == id);
    }
    if files.is_empty() && !ctx.privacy.require_review_always {
        return Ok(());
    }
    let covered = reviews::covered(conn, dataset_id)?;
    files.retain(|f| !covered.hashes.contains(&f.hash));
    let scans = scan_files(ctx, &files)?;
    let findings: usize = scans.iter().map(|s| s.findings.len()).sum();
    if ctx.privacy.require_review_always {
        // A file added to a public dataset was published with the dataset's review: only its
        // own contents need a new one.
        let reviewed = covered.any || matches!(scope, Scope::Resource(_));
        if files.is_empty() && reviewed {
            return Ok(());
        }
        return Err(refusal(PrivacyGate::Always, files.len().max(1), scans));
    }
    if findings == 0 {
        return Ok(());
    }
    let with_findings = scans
        .into_iter()
        .filter(|s| !s.findings.is_empty())
        .collect();
    Err(refusal(PrivacyGate::Findings, findings, with_findings))
}

fn refusal(reason: PrivacyGate, count: usize, scans: Vec<FileFindings>) -> AppError {
    AppError::new(ErrorCode::PrivacyReviewRequired)
        .arg("reason", reason)
        .arg("count", count)
        .detail("findings", json!(scans))
        .detail("review_action", json!("package_privacy_review"))
}
