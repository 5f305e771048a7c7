//! The data office's view of the stored privacy confirmations (issue 12: "the confirmation
//! (who, when, findings, answers) is stored with the dataset and shown to the data office"):
//! `privacy_review_list`, newest first across every dataset, paged.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::reviews::{ReviewRow, ReviewView};
use crate::catalog::params::{self, Errors};
use crate::catalog::{AppContext, Dict};
use crate::db::schema::{datasets, organizations, privacy_reviews};
use crate::error::AppResult;

/// A review with the dataset it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewListed {
    /// Who, when, the files with their findings, the answers.
    #[serde(flatten)]
    pub review: ReviewView,
    /// The dataset's URL name.
    pub dataset_name: String,
    /// Its title.
    pub dataset_title: String,
    /// Its organisation's title.
    pub organization_title: String,
}

/// `privacy_review_list {limit?, offset?}` (the data office, by the action's rule).
pub fn privacy_review_list(ctx: &AppContext, dict: &Dict) -> AppResult<Vec<ReviewListed>> {
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(100);
    let offset = params::integer(dict, "offset", 1_000_000, &mut errors).unwrap_or(0);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let rows: Vec<(ReviewRow, String, String, String)> = privacy_reviews::table
            .inner_join(datasets::table.inner_join(organizations::table))
            .order((privacy_reviews::created.desc(), privacy_reviews::id.desc()))
            .limit(limit)
            .offset(offset)
            .select((
                ReviewRow::as_select(),
                datasets::name,
                datasets::title,
                organizations::title,
            ))
            .load(conn)?;
        rows.into_iter()
            .map(|(row, dataset_name, dataset_title, organization_title)| {
                Ok(ReviewListed {
                    review: row.view()?,
                    dataset_name,
                    dataset_title,
                    organization_title,
                })
            })
            .collect()
    })
}
