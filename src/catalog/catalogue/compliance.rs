//! Compliance with the issued catalogue, at any date (`catalogue_compliance_show {as_of?,
//! owner_org?}`): for every entry of the latest version issued by `as_of`, the due date of
//! its first publication (its `planned_publication`) and of its next update (from its promised
//! frequency, `datasets::freshness`; frequencies without a period fall back to the configured
//! update period, Decree 47/2020 art. 20(3)); the overdue entries and stale datasets; and per
//! department the figures the province reports in its digital transformation index.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::entries::EntryView;
use super::versions::{frozen_entries, latest_by};
use super::{as_of, EntryRow};
use crate::catalog::datasets::freshness::{self, Freshness};
use crate::catalog::params::{self, Errors};
use crate::catalog::{organizations, AppContext, Dict};
use crate::config::CatalogueSettings;
use crate::db::DbConnection;
use crate::error::AppResult;

/// Where an entry stands on its first publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// Published on or before its due date.
    OnTime,
    /// Published after its due date.
    Late,
    /// Not published, due date passed.
    Overdue,
    /// Not published, not yet due.
    Pending,
}

/// A linked dataset past its promised update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaleDataset {
    /// The entry it fulfils.
    pub entry_id: String,
    /// Dataset URL name.
    pub name: String,
    /// Dataset title.
    pub title: String,
    /// When its update fell due.
    pub due: String,
    /// Days since.
    pub days_late: i64,
}

/// One entry against its due dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryCompliance {
    /// Entry id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Department id.
    pub owner_org: String,
    /// Department title.
    pub organization_title: String,
    /// Promised frequency.
    pub frequency: String,
    /// Due date of first publication.
    pub publication_due: String,
    /// When it was published (date), if by `as_of`.
    pub published: Option<String>,
    /// Where it stands.
    pub publication: Publication,
    /// Days past the due date, for an overdue entry.
    pub days_overdue: i64,
    /// When the next update of its data falls (or fell) due, if published with a schedule.
    pub next_update_due: Option<String>,
    /// Its linked datasets past their update.
    pub stale_datasets: Vec<StaleDataset>,
}

/// The figures of one department (or of the province: `totals`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFigures {
    /// Department id (empty for the totals).
    pub owner_org: String,
    /// Department title.
    pub title: String,
    /// Entries in the issued catalogue.
    pub approved: usize,
    /// Published on time.
    pub published_on_time: usize,
    /// Published late.
    pub published_late: usize,
    /// Not yet published, past due.
    pub not_published_overdue: usize,
    /// Not yet published, not yet due.
    pub not_published_pending: usize,
    /// Linked datasets past their update frequency.
    pub stale_datasets: usize,
    /// Published on time / entries already due (None while nothing is due).
    pub share_on_time: Option<f64>,
}

impl DepartmentFigures {
    fn count(&mut self, entry: &EntryCompliance) {
        self.approved += 1;
        match entry.publication {
            Publication::OnTime => self.published_on_time += 1,
            Publication::Late => self.published_late += 1,
            Publication::Overdue => self.not_published_overdue += 1,
            Publication::Pending => self.not_published_pending += 1,
        }
        self.stale_datasets += entry.stale_datasets.len();
        let due = self.published_on_time + self.published_late + self.not_published_overdue;
        self.share_on_time = (due > 0).then(|| self.published_on_time as f64 / due as f64);
    }
}

/// The legal references the figures rest on (configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// Where the review period is set.
    pub review: String,
    /// Where the update period is set.
    pub update: String,
    /// Months between reviews.
    pub review_period_months: u32,
    /// Months within which data is updated when its frequency sets no period.
    pub update_period_months: u32,
}

/// `catalogue_compliance_show`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceView {
    /// The date of the figures.
    pub as_of: String,
    /// The version in force at that date (None before the first).
    pub version: Option<i32>,
    /// Its decision date.
    pub version_date: Option<String>,
    /// When the catalogue's next review falls due.
    pub review_due: Option<String>,
    /// Every entry of that version.
    pub entries: Vec<EntryCompliance>,
    /// Entries not published past their due date.
    pub overdue: Vec<EntryCompliance>,
    /// Linked datasets past their update.
    pub stale_datasets: Vec<StaleDataset>,
    /// Figures per department.
    pub departments: Vec<DepartmentFigures>,
    /// Figures of the province.
    pub totals: DepartmentFigures,
    /// Legal references and periods.
    pub legal: LegalBasis,
}

fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(23, 59, 59)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now)
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// When data published under `frequency`, last updated at `last`, is next due: the
/// frequency's own period, or the configured update period when the frequency has none
/// (but never for "never").
pub fn update_freshness(
    settings: &CatalogueSettings,
    frequency: &str,
    last: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Freshness {
    if freshness::max_age_days(frequency).is_some() || frequency == "never" {
        return Freshness::of(frequency, last, now);
    }
    let due = last
        .checked_add_months(Months::new(settings.update_period_months))
        .unwrap_or(last);
    if now > due {
        Freshness::Overdue {
            due,
            days_late: (now - due).num_days(),
        }
    } else {
        Freshness::Current { due }
    }
}

/// One entry against its due dates at `day`.
pub fn assess(settings: &CatalogueSettings, entry: &EntryView, day: NaiveDate) -> EntryCompliance {
    let now = end_of(day);
    let due = NaiveDate::parse_from_str(&entry.planned_publication, "%Y-%m-%d").unwrap_or(day);
    let published = entry
        .first_published
        .as_deref()
        .and_then(freshness::parse_timestamp)
        .map(|t| t.date_naive())
        .filter(|d| *d <= day);
    let publication = match published {
        Some(d) if d <= due => Publication::OnTime,
        Some(_) => Publication::Late,
        None if day > due => Publication::Overdue,
        None => Publication::Pending,
    };
    let mut stale = Vec::new();
    let mut next_update: Option<DateTime<Utc>> = None;
    if published.is_some() {
        for dataset in entry.datasets.iter().filter(|d| d.public) {
            let Some(last) = freshness::parse_timestamp(&dataset.metadata_modified) else {
                continue;
            };
            let state = update_freshness(settings, &entry.frequency, last, now);
            if let Some(due) = state.due() {
                next_update = Some(next_update.map_or(due, |n| n.min(due)));
            }
            if let Freshness::Overdue { due, days_late } = state {
                stale.push(StaleDataset {
                    entry_id: entry.id.clone(),
                    name: dataset.name.clone(),
                    title: dataset.title.clone(),
                    due: due.date_naive().to_string(),
                    days_late,
                });
            }
        }
    }
    EntryCompliance {
        id: entry.id.clone(),
        title: entry.title.clone(),
        owner_org: entry.owner_org.clone(),
        organization_title: entry
            .organization
            .as_ref()
            .map(|o| o.title.clone())
            .unwrap_or_default(),
        frequency: entry.frequency.clone(),
        publication_due: due.to_string(),
        published: published.map(|d| d.to_string()),
        publication,
        days_overdue: if publication == Publication::Overdue {
            (day - due).num_days()
        } else {
            0
        },
        next_update_due: next_update.map(|d| d.date_naive().to_string()),
        stale_datasets: stale,
    }
}

/// The figures at `day`, for one department or all.
pub fn compute(
    conn: &mut DbConnection,
    settings: &CatalogueSettings,
    day: NaiveDate,
    owner_org: Option<&str>,
) -> AppResult<ComplianceView> {
    let version = latest_by(conn, day)?;
    let mut entries = Vec::new();
    if let Some((number, _)) = &version {
        let ids: Vec<String> = frozen_entries(conn, *number)?
            .into_iter()
            .filter(|e| owner_org.is_none_or(|org| e.owner_org == org))
            .map(|e| e.id)
            .collect();
        let rows: Vec<EntryRow> = ids
            .iter()
            .map(|id| super::find_entry(conn, id))
            .collect::<AppResult<_>>()?;
        for view in super::entries::views(conn, rows, false)? {
            entries.push(assess(settings, &view, day));
        }
    }
    entries
        .sort_by(|a, b| (&a.organization_title, &a.title).cmp(&(&b.organization_title, &b.title)));
    let mut departments: BTreeMap<String, DepartmentFigures> = BTreeMap::new();
    let mut totals = DepartmentFigures::default();
    for entry in &entries {
        departments
            .entry(entry.owner_org.clone())
            .or_insert_with(|| DepartmentFigures {
                owner_org: entry.owner_org.clone(),
                title: entry.organization_title.clone(),
                ..Default::default()
            })
            .count(entry);
        totals.count(entry);
    }
    let mut departments: Vec<DepartmentFigures> = departments.into_values().collect();
    departments.sort_by(|a, b| a.title.cmp(&b.title));
    let review_due = version.as_ref().and_then(|(_, date)| {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .ok()
            .map(|d| add_months(d, settings.review_period_months).to_string())
    });
    Ok(ComplianceView {
        as_of: day.to_string(),
        version: version.as_ref().map(|(n, _)| *n),
        version_date: version.map(|(_, d)| d),
        review_due,
        overdue: entries
            .iter()
            .filter(|e| e.publication == Publication::Overdue)
            .cloned()
            .collect(),
        stale_datasets: entries
            .iter()
            .flat_map(|e| e.stale_datasets.iter().cloned())
            .collect(),
        entries,
        departments,
        totals,
        legal: LegalBasis {
            review: settings.legal_review.clone(),
            update: settings.legal_update.clone(),
            review_period_months: settings.review_period_months,
            update_period_months: settings.update_period_months,
        },
    })
}

/// `catalogue_compliance_show {as_of?, owner_org?}`: public figures, as the province reports
/// them.
pub fn compliance_show(ctx: &AppContext, dict: &Dict) -> AppResult<ComplianceView> {
    let day = as_of(dict, &ctx.catalogue.clock)?;
    let mut errors = Errors::default();
    let org = params::text(dict, "owner_org", 200, &mut errors).filter(|s| !s.is_empty());
    errors.into_result()?;
    ctx.db.read(|conn| {
        let org_id = match &org {
            Some(name) => Some(organizations::find(conn, name)?.map(|o| o.id).ok_or_else(
                || {
                    crate::error::AppError::field(
                        "owner_org",
                        crate::error::FieldCode::UnknownOrganization.arg("id", name),
                    )
                },
            )?),
            None => None,
        };
        compute(conn, &ctx.catalogue.settings, day, org_id.as_deref())
    })
}
