//! Reminders of the catalogue: in-app notices to the responsible department before and after
//! each due date (first publication, updates), and the periodic catalogue review reminder to
//! the data office (Decree 47/2020 art. 17(2): at least every six months, configurable).
//!
//! A run (`catalogue_reminders_run {as_of}`, and the server's tick by its clock) computes what
//! is due from the compliance figures and records each reminder once: one row per (entry, due
//! date, kind), so a second run, on this server or another, adds nothing. Each row says when
//! it was notified in-app and, once the mail sender has sent it, when it was e-mailed
//! ([`pending_email`], [`mark_emailed`]).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::compliance::{compute, Publication};
use super::{as_of, review};
use crate::catalog::access;
use crate::catalog::params::{self, Errors};
use crate::catalog::{organizations, Actor, AppContext, Dict};
use crate::config::CatalogueSettings;
use crate::db::schema::catalogue_reminders;
use crate::db::{new_id, DbConnection};
use crate::enums::ReminderKind;
use crate::error::{AppError, AppResult, Forbidden};

/// The audience of reminders meant for the data office.
pub const DATA_OFFICE: &str = "data_office";
/// The subject of the catalogue review reminder.
pub const CATALOGUE: &str = "catalogue";

/// A reminder as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Queryable, Selectable)]
#[diesel(table_name = catalogue_reminders)]
pub struct Notice {
    /// Id.
    pub id: String,
    /// The entry id, or `catalogue` for the review.
    pub subject: String,
    /// The due date it is about.
    pub due_date: String,
    /// What it is about (a `ReminderKind` word).
    pub kind: String,
    /// The department's organisation id, or `data_office`.
    pub audience: String,
    /// The entry's title when recorded.
    pub entry_title: String,
    /// When it was notified in-app.
    pub notified_at: String,
    /// When it was e-mailed (empty until the mail sender sends it).
    pub emailed_at: Option<String>,
}

/// A reminder to record.
struct Due {
    subject: String,
    due_date: String,
    kind: ReminderKind,
    audience: String,
    title: String,
}

/// What is due at `day`, from the compliance figures.
fn due_at(
    conn: &mut DbConnection,
    settings: &CatalogueSettings,
    day: chrono::NaiveDate,
) -> AppResult<Vec<Due>> {
    let figures = compute(conn, settings, day, None)?;
    let soon = day + chrono::Days::new(u64::from(settings.remind_before_days));
    let soon = soon.to_string();
    let mut out = Vec::new();
    for entry in &figures.entries {
        let kind = match entry.publication {
            Publication::Overdue => Some(ReminderKind::PublicationOverdue),
            Publication::Pending if entry.publication_due <= soon => {
                Some(ReminderKind::PublicationDueSoon)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(Due {
                subject: entry.id.clone(),
                due_date: entry.publication_due.clone(),
                kind,
                audience: entry.owner_org.clone(),
                title: entry.title.clone(),
            });
        }
        for stale in &entry.stale_datasets {
            out.push(Due {
                subject: entry.id.clone(),
                due_date: stale.due.clone(),
                kind: ReminderKind::UpdateOverdue,
                audience: entry.owner_org.clone(),
                title: entry.title.clone(),
            });
        }
        let today = day.to_string();
        if let Some(next) = entry
            .next_update_due
            .as_ref()
            .filter(|d| **d >= today && **d <= soon)
        {
            out.push(Due {
                subject: entry.id.clone(),
                due_date: next.clone(),
                kind: ReminderKind::UpdateDueSoon,
                audience: entry.owner_org.clone(),
                title: entry.title.clone(),
            });
        }
    }
    if let Some(review_due) = figures.review_due.filter(|d| *d <= soon) {
        out.push(Due {
            subject: CATALOGUE.to_owned(),
            due_date: review_due,
            kind: ReminderKind::CatalogueReview,
            audience: DATA_OFFICE.to_owned(),
            title: format!(
                "Rà soát danh mục / catalogue review ({})",
                settings.legal_review
            ),
        });
    }
    Ok(out)
}

/// Records the reminders due at `day` that are not yet recorded; returns the new ones.
pub fn run(
    conn: &mut DbConnection,
    settings: &CatalogueSettings,
    day: chrono::NaiveDate,
    at: &str,
) -> AppResult<Vec<Notice>> {
    let mut added = Vec::new();
    for due in due_at(conn, settings, day)? {
        let exists: i64 = catalogue_reminders::table
            .filter(catalogue_reminders::subject.eq(&due.subject))
            .filter(catalogue_reminders::due_date.eq(&due.due_date))
            .filter(catalogue_reminders::kind.eq(due.kind.as_str()))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            continue;
        }
        let notice = Notice {
            id: new_id(),
            subject: due.subject,
            due_date: due.due_date,
            kind: due.kind.as_str().to_owned(),
            audience: due.audience,
            entry_title: due.title,
            notified_at: at.to_owned(),
            emailed_at: None,
        };
        diesel::insert_into(catalogue_reminders::table)
            .values((
                catalogue_reminders::id.eq(&notice.id),
                catalogue_reminders::subject.eq(&notice.subject),
                catalogue_reminders::due_date.eq(&notice.due_date),
                catalogue_reminders::kind.eq(&notice.kind),
                catalogue_reminders::audience.eq(&notice.audience),
                catalogue_reminders::entry_title.eq(&notice.entry_title),
                catalogue_reminders::notified_at.eq(&notice.notified_at),
            ))
            .execute(conn)?;
        added.push(notice);
    }
    Ok(added)
}

/// What a run recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// The date it ran for.
    pub as_of: String,
    /// Entries that became published meanwhile.
    pub published: usize,
    /// Reminders recorded by this run (none for a repeated run).
    pub added: Vec<Notice>,
    /// What the mail sender did with the reminders not yet e-mailed (this run's and earlier
    /// ones the relay refused).
    pub emailed: super::reminder_mail::MailReport,
}

/// `catalogue_reminders_run {as_of?}` (the data office, and the server's tick): records what is
/// due, then e-mails what is not yet e-mailed.
pub fn reminders_run(ctx: &AppContext, dict: &Dict) -> AppResult<RunReport> {
    let day = as_of(dict, &ctx.catalogue.clock)?;
    let at = ctx.catalogue.clock.now_text();
    let settings = ctx.catalogue.settings.clone();
    let published = review::follow_publication(ctx)?;
    let added = ctx.db.write(|conn| run(conn, &settings, day, &at))?;
    let emailed = super::reminder_mail::send_pending(ctx)?;
    Ok(RunReport {
        as_of: day.to_string(),
        published,
        added,
        emailed,
    })
}

/// `catalogue_notice_list {owner_org?, limit?}`: the data office sees every notice (or one
/// audience's: a department, or `data_office`); a department's members see their department's.
pub fn notice_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Vec<Notice>> {
    let mut errors = Errors::default();
    let audience = params::text(dict, "owner_org", 200, &mut errors).filter(|s| !s.is_empty());
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(100);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let own: Vec<String> = access::memberships_of(conn, actor)?
            .into_iter()
            .map(|(org, _)| org)
            .collect();
        let wanted: Option<String> = match &audience {
            Some(word) if word == DATA_OFFICE => Some(DATA_OFFICE.to_owned()),
            Some(name) => Some(
                organizations::find(conn, name)?
                    .map(|o| o.id)
                    .unwrap_or_default(),
            ),
            None => None,
        };
        let mut query = catalogue_reminders::table.into_boxed();
        match (&wanted, actor.is_reviewer()) {
            (Some(one), true) => {
                query = query.filter(catalogue_reminders::audience.eq(one.clone()))
            }
            (None, true) => {}
            (Some(one), false) if own.contains(one) => {
                query = query.filter(catalogue_reminders::audience.eq(one.clone()));
            }
            (Some(_), false) => return Err(AppError::forbidden(Forbidden::CatalogueNotices)),
            (None, false) => query = query.filter(catalogue_reminders::audience.eq_any(own)),
        }
        Ok(query
            .order((
                catalogue_reminders::notified_at.desc(),
                catalogue_reminders::due_date.asc(),
            ))
            .limit(limit)
            .select(Notice::as_select())
            .load(conn)?)
    })
}

/// Reminders not yet e-mailed, oldest first (for the mail sender).
pub fn pending_email(conn: &mut DbConnection, limit: i64) -> AppResult<Vec<Notice>> {
    Ok(catalogue_reminders::table
        .filter(catalogue_reminders::emailed_at.is_null())
        .order(catalogue_reminders::notified_at.asc())
        .limit(limit)
        .select(Notice::as_select())
        .load(conn)?)
}

/// Records that a reminder was e-mailed; false when another sender already did.
pub fn mark_emailed(conn: &mut DbConnection, id: &str, at: &str) -> AppResult<bool> {
    let changed = diesel::update(
        catalogue_reminders::table
            .find(id)
            .filter(catalogue_reminders::emailed_at.is_null()),
    )
    .set(catalogue_reminders::emailed_at.eq(at))
    .execute(conn)?;
    Ok(changed > 0)
}

/// The server's tick: publishes what became public, writes API reads and records reminders
/// due by the context's clock, every `period`, until the task is dropped.
pub async fn run_periodically(ctx: AppContext, period: std::time::Duration) {
    if period.is_zero() {
        return;
    }
    loop {
        tokio::time::sleep(period).await;
        let step = ctx.clone();
        let outcome = tokio::task::spawn_blocking(move || reminders_run(&step, &Dict::new())).await;
        match outcome {
            Ok(Ok(report)) if !report.added.is_empty() => {
                tracing::info!(added = report.added.len(), "catalogue reminders recorded");
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(error = %error, "catalogue reminders"),
            Err(error) => tracing::warn!(error = %error, "the catalogue reminder tick stopped"),
        }
    }
}
