//! Stored reviews: `package_privacy_review` records an editor's confirmed checklist with the
//! files it covers (their hashes and what the scan found), `package_privacy_show` tells an
//! editor where a dataset stands, and `package_show` carries the reviews to those who may
//! see them. Reviews are never changed: a new file needs a new review.

use std::collections::HashSet;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::checklist::{self, Question, QUESTIONS};
use super::gate::{self, is_public};
use super::FileFindings;
use crate::catalog::datasets::{self, view::DatasetView};
use crate::catalog::{access, params, Actor, AppContext, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::privacy_reviews;
use crate::db::{new_id, now_text, DbConnection};
use crate::enums::DatasetState;
use crate::error::{AppError, AppResult, ErrorCode};

/// A stored review, as editors and the data office see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    /// Its id.
    pub id: String,
    /// The dataset reviewed.
    pub dataset_id: String,
    /// Who confirmed the checklist (login name).
    pub reviewer: String,
    /// When (UTC, ISO 8601).
    pub reviewed_at: String,
    /// The files covered, each with its hash and the scan's (masked) findings.
    pub files: Vec<FileFindings>,
    /// The checklist's answers by question.
    pub answers: Dict,
}

/// A stored review as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = privacy_reviews)]
pub(super) struct ReviewRow {
    id: String,
    dataset_id: String,
    reviewer_name: String,
    created: String,
    files: String,
    answers: String,
}

impl ReviewRow {
    /// The review as shown (its JSON columns read).
    pub(super) fn view(self) -> AppResult<ReviewView> {
        let stored = |what: &str, e: serde_json::Error| {
            AppError::Internal(
                anyhow::Error::new(e)
                    .context(format!("reading the {what} of privacy review {}", self.id)),
            )
        };
        let files = serde_json::from_str(&self.files).map_err(|e| stored("files", e))?;
        let answers = serde_json::from_str(&self.answers).map_err(|e| stored("answers", e))?;
        Ok(ReviewView {
            id: self.id.clone(),
            dataset_id: self.dataset_id.clone(),
            reviewer: self.reviewer_name.clone(),
            reviewed_at: self.created.clone(),
            files,
            answers,
        })
    }
}

/// The reviews of a dataset, newest first.
pub fn list(conn: &mut DbConnection, dataset_id: &str) -> AppResult<Vec<ReviewView>> {
    privacy_reviews::table
        .filter(privacy_reviews::dataset_id.eq(dataset_id))
        .order((privacy_reviews::created.desc(), privacy_reviews::id.desc()))
        .select(ReviewRow::as_select())
        .load::<ReviewRow>(conn)?
        .into_iter()
        .map(ReviewRow::view)
        .collect()
}

/// What the dataset's reviews cover.
pub(super) struct Covered {
    /// At least one review exists.
    pub any: bool,
    /// The hashes of every file reviewed.
    pub hashes: HashSet<String>,
}

pub(super) fn covered(conn: &mut DbConnection, dataset_id: &str) -> AppResult<Covered> {
    let reviews = list(conn, dataset_id)?;
    Ok(Covered {
        any: !reviews.is_empty(),
        hashes: reviews
            .into_iter()
            .flat_map(|r| r.files.into_iter().map(|f| f.hash))
            .collect(),
    })
}

/// The dataset an editor reviews: one they may see and edit, not deleted.
fn editable(conn: &mut DbConnection, actor: &Actor, id: &str) -> AppResult<DatasetRow> {
    let dataset = datasets::find_visible(conn, actor, id)?;
    if dataset.state == DatasetState::Deleted {
        return Err(datasets::not_found(id));
    }
    access::require_dataset_edit(conn, actor, &dataset.owner_org)?;
    Ok(dataset)
}

/// `package_privacy_review` (editors of the dataset's organisation): confirms the checklist
/// for the dataset's current files. The files are scanned outside the write (a scan takes up
/// to a second on the largest files, and the write lock is the whole database's on SQLite);
/// the review records exactly the hashes scanned, so a file replaced meanwhile is not covered.
pub fn package_privacy_review(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<ReviewView> {
    let id = params::required_id(dict, "id")?;
    let files = ctx.db.read(|conn| {
        let dataset = editable(conn, actor, &id)?;
        gate::tabular_files(ctx, conn, &dataset.id)
    })?;
    let answers = checklist::validate(dict.get("answers"))?;
    let scans = gate::scan_files(ctx, &files)?;
    let files_json = serde_json::to_string(&scans)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("encoding a review")))?;
    let answers_json = serde_json::to_string(&answers)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("encoding a review")))?;
    ctx.write(|conn| {
        let dataset = editable(conn, actor, &id)?;
        let reviewer = actor.user_name.clone().unwrap_or_else(|| "system".into());
        let view = ReviewView {
            id: new_id(),
            dataset_id: dataset.id.clone(),
            reviewer,
            reviewed_at: now_text(),
            files: scans,
            answers,
        };
        diesel::insert_into(privacy_reviews::table)
            .values((
                privacy_reviews::id.eq(&view.id),
                privacy_reviews::dataset_id.eq(&view.dataset_id),
                privacy_reviews::reviewer_id.eq(actor.user_id.as_deref()),
                privacy_reviews::reviewer_name.eq(&view.reviewer),
                privacy_reviews::created.eq(&view.reviewed_at),
                privacy_reviews::files.eq(&files_json),
                privacy_reviews::answers.eq(&answers_json),
            ))
            .execute(conn)?;
        tracing::info!(dataset.id = %view.dataset_id, review.id = %view.id, "privacy checklist confirmed");
        Ok(view)
    })
}

/// Where a dataset stands before publication, for its editors.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrivacyStatusView {
    /// The dataset's id.
    pub dataset_id: String,
    /// Its URL name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Everyone may see it now.
    pub public: bool,
    /// The portal asks for the checklist before every publication.
    pub require_review_always: bool,
    /// Publishing it now would be refused with `privacy_review_required`.
    pub review_required: bool,
    /// Every current tabular file with what the scan finds in it, and whether a review
    /// covers it.
    pub files: Vec<FileStatus>,
    /// The checklist to confirm.
    pub checklist: Vec<QuestionView>,
    /// The reviews made, newest first.
    pub reviews: Vec<ReviewView>,
}

/// One file's scan and whether a review covers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileStatus {
    /// What the scan found.
    #[serde(flatten)]
    pub scan: FileFindings,
    /// A review covers this very file (its hash).
    pub reviewed: bool,
}

/// A question of the checklist.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionView {
    /// The key of its answer.
    pub id: String,
    /// How it is answered.
    pub kind: checklist::AnswerKind,
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl From<&Question> for QuestionView {
    fn from(q: &Question) -> QuestionView {
        QuestionView {
            id: q.id.to_owned(),
            kind: q.kind,
            vi: q.vi.to_owned(),
            en: q.en.to_owned(),
        }
    }
}

/// `package_privacy_show` (editors of the dataset's organisation): the scan of the dataset's
/// files, the checklist and the reviews made. Reads only.
pub fn package_privacy_show(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<PrivacyStatusView> {
    let id = params::required_id(dict, "id")?;
    let (dataset, files, reviews) = ctx.db.read(|conn| {
        let dataset = editable(conn, actor, &id)?;
        let files = gate::tabular_files(ctx, conn, &dataset.id)?;
        let reviews = list(conn, &dataset.id)?;
        Ok((dataset, files, reviews))
    })?;
    let hashes: HashSet<&str> = reviews
        .iter()
        .flat_map(|r| r.files.iter().map(|f| f.hash.as_str()))
        .collect();
    let files: Vec<FileStatus> = gate::scan_files(ctx, &files)?
        .into_iter()
        .map(|scan| FileStatus {
            reviewed: hashes.contains(scan.hash.as_str()),
            scan,
        })
        .collect();
    let review_required = if ctx.privacy.require_review_always {
        reviews.is_empty() || files.iter().any(|f| !f.reviewed)
    } else {
        files
            .iter()
            .any(|f| !f.reviewed && !f.scan.findings.is_empty())
    };
    Ok(PrivacyStatusView {
        dataset_id: dataset.id.clone(),
        public: is_public(&dataset),
        name: dataset.name,
        title: dataset.title,
        require_review_always: ctx.privacy.require_review_always,
        review_required,
        files,
        checklist: QUESTIONS.iter().map(QuestionView::from).collect(),
        reviews,
    })
}

/// CKAN's `package_show` dict with the dataset's privacy reviews for those who may see them
/// (editors of its organisation and sysadmins; later the data office), and only when there
/// are any: a dataset without reviews reads exactly as before.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShownDataset {
    /// The dataset.
    #[serde(flatten)]
    pub dataset: DatasetView,
    /// Its privacy reviews, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_reviews: Option<Vec<ReviewView>>,
}

/// `package_show`, with the privacy reviews for their readers.
pub fn package_show(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<ShownDataset> {
    let dataset = datasets::package_show(ctx, actor, dict)?.with_site_url(&ctx.site_url);
    if !actor.is_authenticated() {
        return Ok(ShownDataset {
            dataset,
            privacy_reviews: None,
        });
    }
    let privacy_reviews = ctx.db.read(|conn| {
        match access::require_dataset_edit(conn, actor, &dataset.owner_org) {
            Ok(()) => {}
            Err(e) if e.code() == ErrorCode::NotAuthorized => return Ok(None),
            Err(e) => return Err(e),
        }
        let reviews = list(conn, &dataset.id)?;
        Ok(Some(reviews).filter(|r: &Vec<ReviewView>| !r.is_empty()))
    })?;
    Ok(ShownDataset {
        dataset,
        privacy_reviews,
    })
}
