//! The privacy gate before publication (issue 12; Decree 47/2020 art. 20: open data carries no
//! personal data without a basis). When a dataset becomes public — created public, or changed
//! from private or draft — and when a file is added to or replaced in a dataset already
//! public, its uploaded CSV, TSV and XLSX files are scanned (`crate::privacy`). Findings
//! refuse the write with `privacy_review_required` (409, the masked findings in the error)
//! until an editor of the organisation confirms the re-identification risk checklist
//! (`package_privacy_review`); the review covers the files' hashes, so a new file needs a new
//! one. `[privacy] require_review_always` asks for the checklist before every publication.
//!
//! Files added to a public dataset are gated too: otherwise creating an empty public dataset
//! and uploading to it afterwards would skip the gate.

mod cache;
pub mod checklist;
mod gate;
mod reviews;

use serde::{Deserialize, Serialize};

pub use cache::ScanCache;
pub use gate::{is_public, prescan_dataset, prescan_upload, require_clearance, Scope};
pub use reviews::{
    list, package_privacy_review, package_privacy_show, package_show, FileStatus,
    PrivacyStatusView, QuestionView, ReviewView, ShownDataset,
};

use crate::privacy::{Bounds, Finding};

// The data office's list of the stored confirmations (issue 12).
mod office;
pub use office::{privacy_review_list, ReviewListed};

/// How the gate is set up.
#[derive(Debug, Clone, Default)]
pub struct PrivacyPolicy {
    /// Every publication needs a confirmed checklist, even of clean files.
    pub require_review_always: bool,
    /// How much of each file the scan reads.
    pub bounds: Bounds,
    /// Scans already made, by file: a write finds them here instead of scanning under the
    /// write lock.
    pub scans: std::sync::Arc<ScanCache>,
}

/// What the scan found in one file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFindings {
    /// The resource.
    pub resource_id: String,
    /// Its name.
    pub resource_name: String,
    /// The SHA-256 of the file scanned.
    pub hash: String,
    /// Rows read.
    pub rows_scanned: u64,
    /// False when the scan's bounds stopped before the end of the file.
    pub complete: bool,
    /// Column by column, masked.
    pub findings: Vec<Finding>,
}
