//! Building dataset views from rows, for many datasets at once (one query per related table,
//! not one per dataset).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;

use super::view::{DatasetParts, DatasetView, OrganizationSummary, ResourceView, ThemeSummary};
use crate::db::models::{DatasetRow, OrganizationRow, ResourceRow, ThemeRow};
use crate::db::schema::{
    dataset_tags, dataset_themes, organizations as orgs, resources as res, themes,
};
use crate::db::DbConnection;
use crate::enums::ObjectState;
use crate::error::AppResult;

/// Dataset dicts for `rows`, in the same order, upload links under `site_url` ("" keeps
/// them relative).
pub fn dicts_for(
    conn: &mut DbConnection,
    rows: &[DatasetRow],
    site_url: &str,
) -> AppResult<Vec<Value>> {
    views_for(conn, rows)?
        .into_iter()
        .map(|view| to_dict(view.with_site_url(site_url)))
        .collect()
}

/// A view serialised as CKAN's dict.
pub fn to_dict(view: DatasetView) -> AppResult<Value> {
    serde_json::to_value(view).map_err(|e| {
        crate::error::AppError::Internal(anyhow::Error::new(e).context("serialising a dataset"))
    })
}

/// Dataset views for `rows`, in the same order, upload links relative.
pub fn views_for(conn: &mut DbConnection, rows: &[DatasetRow]) -> AppResult<Vec<DatasetView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut org_ids: Vec<&str> = rows.iter().map(|r| r.owner_org.as_str()).collect();
    org_ids.sort_unstable();
    org_ids.dedup();

    let org_rows: Vec<OrganizationRow> = orgs::table
        .filter(orgs::id.eq_any(&org_ids))
        .select(OrganizationRow::as_select())
        .load(conn)?;
    let orgs_by_id: HashMap<String, OrganizationSummary> = org_rows
        .iter()
        .map(|o| (o.id.clone(), OrganizationSummary::of(o)))
        .collect();

    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(String, String)> = dataset_tags::table
        .filter(dataset_tags::dataset_id.eq_any(&ids))
        .order((dataset_tags::dataset_id, dataset_tags::tag))
        .select((dataset_tags::dataset_id, dataset_tags::tag))
        .load(conn)?;
    for (dataset_id, tag) in tag_rows {
        tags.entry(dataset_id).or_default().push(tag);
    }
    // Sorted here, not by the database, so both backends give the same order whatever
    // their collation.
    tags.values_mut().for_each(|t| t.sort_unstable());

    let mut groups: HashMap<String, Vec<ThemeSummary>> = HashMap::new();
    let theme_rows: Vec<(String, ThemeRow)> = dataset_themes::table
        .inner_join(themes::table)
        .filter(dataset_themes::dataset_id.eq_any(&ids))
        .order((dataset_themes::dataset_id, themes::name))
        .select((dataset_themes::dataset_id, ThemeRow::as_select()))
        .load(conn)?;
    for (dataset_id, theme) in theme_rows {
        groups
            .entry(dataset_id)
            .or_default()
            .push(ThemeSummary::of(&theme));
    }

    let mut resource_views: HashMap<String, Vec<ResourceView>> = HashMap::new();
    let resource_rows: Vec<ResourceRow> = res::table
        .filter(res::dataset_id.eq_any(&ids))
        .filter(res::state.eq(ObjectState::Active))
        .order((res::dataset_id, res::position))
        .select(ResourceRow::as_select())
        .load(conn)?;
    for row in &resource_rows {
        resource_views
            .entry(row.dataset_id.clone())
            .or_default()
            .push(ResourceView::of(row));
    }

    Ok(rows
        .iter()
        .map(|row| {
            let parts = DatasetParts {
                organization: orgs_by_id.get(&row.owner_org).cloned(),
                tags: tags.remove(&row.id).unwrap_or_default(),
                groups: groups.remove(&row.id).unwrap_or_default(),
                resources: resource_views.remove(&row.id).unwrap_or_default(),
            };
            DatasetView::of(row, parts)
        })
        .collect())
}

/// A dataset just written, as its writer holds it.
pub struct Parts<'a> {
    /// Its row.
    pub row: &'a DatasetRow,
    /// Its tags.
    pub tags: &'a [String],
    /// Its theme ids.
    pub theme_ids: &'a [String],
    /// Its active resources, in order.
    pub resources: &'a [ResourceRow],
}

/// The dicts of datasets just written, from the rows the writer already holds (saves
/// re-reading tags and resources): one query for their organisations, one for the themes.
pub fn dicts_from_parts(
    conn: &mut DbConnection,
    parts: &[Parts<'_>],
    site_url: &str,
) -> AppResult<Vec<Value>> {
    let mut org_ids: Vec<&str> = parts.iter().map(|p| p.row.owner_org.as_str()).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs_by_id: HashMap<String, OrganizationSummary> = orgs::table
        .filter(orgs::id.eq_any(&org_ids))
        .select(OrganizationRow::as_select())
        .load::<OrganizationRow>(conn)?
        .iter()
        .map(|o| (o.id.clone(), OrganizationSummary::of(o)))
        .collect();
    // All twelve themes through one cached statement beats a fresh IN (...) per dataset.
    let all_themes: Vec<ThemeRow> = if parts.iter().all(|p| p.theme_ids.is_empty()) {
        Vec::new()
    } else {
        themes::table
            .order(themes::name)
            .select(ThemeRow::as_select())
            .load::<ThemeRow>(conn)?
    };
    parts
        .iter()
        .map(|part| {
            let mut tags = part.tags.to_vec();
            tags.sort_unstable();
            let view_parts = DatasetParts {
                organization: orgs_by_id.get(&part.row.owner_org).cloned(),
                tags,
                groups: all_themes
                    .iter()
                    .filter(|t| part.theme_ids.contains(&t.id))
                    .map(ThemeSummary::of)
                    .collect(),
                resources: part.resources.iter().map(ResourceView::of).collect(),
            };
            to_dict(DatasetView::of(part.row, view_parts).with_site_url(site_url))
        })
        .collect()
}
