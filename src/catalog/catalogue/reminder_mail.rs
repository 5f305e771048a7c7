//! Reminders by e-mail (issue 12): after each reminder run, the notices not yet e-mailed go
//! through the configured relay (`crate::mail`) to the department's contact address
//! (organisation `contact_email`), or to its admins when it has none; the catalogue review
//! reminder goes to the data office (users with the site role `reviewer`, else sysadmins).
//!
//! At most one e-mail per entry and due date: a notice of an entry and due date already
//! e-mailed (the "due soon" one, say, when the "overdue" one follows) is marked without a new
//! mail. A notice is marked only after the relay accepted it, so a failing relay means the
//! next run tries again; the in-app notice is there meanwhile, and nothing is lost. With no
//! relay configured nothing is sent or marked.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::reminders::{mark_emailed, pending_email, Notice, DATA_OFFICE};
use crate::catalog::AppContext;
use crate::db::schema::{catalogue_reminders, memberships, organizations, user_site_roles, users};
use crate::db::DbConnection;
use crate::enums::{ReminderKind, SiteRole};
use crate::error::AppResult;
use crate::mail::{MailOutcome, OutgoingMail};

/// Most notices e-mailed by one run (a province's catalogue has hundreds of entries).
const BATCH: i64 = 1000;

/// Failed sends in a row after which a run stops trying: one bad address does not stop the
/// others, a relay that is down does not hold the run.
const GIVE_UP_AFTER: usize = 3;

/// What a run of the mail sender did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailReport {
    /// E-mails the relay accepted.
    pub sent: usize,
    /// Notices covered by an earlier e-mail of the same entry and due date.
    pub covered: usize,
    /// Notices left for the next run (the relay failed, or nobody has an address).
    pub failed: usize,
}

/// Whether an e-mail was already sent for this entry (or the catalogue) and due date.
fn already_mailed(conn: &mut DbConnection, notice: &Notice) -> AppResult<bool> {
    let mailed: i64 = catalogue_reminders::table
        .filter(catalogue_reminders::subject.eq(&notice.subject))
        .filter(catalogue_reminders::due_date.eq(&notice.due_date))
        .filter(catalogue_reminders::emailed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(mailed > 0)
}

/// The addresses a notice goes to.
fn recipients(conn: &mut DbConnection, notice: &Notice) -> AppResult<Vec<String>> {
    let mut found: Vec<String> = if notice.audience == DATA_OFFICE {
        let reviewers: Vec<String> = users::table
            .inner_join(user_site_roles::table)
            .filter(user_site_roles::role.eq(SiteRole::Reviewer.as_str()))
            .filter(users::state.eq("active"))
            .select(users::email)
            .load(conn)?;
        if reviewers.is_empty() {
            users::table
                .filter(users::sysadmin.eq(true))
                .filter(users::state.eq("active"))
                .select(users::email)
                .load(conn)?
        } else {
            reviewers
        }
    } else {
        let contact: Option<String> = organizations::table
            .find(&notice.audience)
            .select(organizations::contact_email)
            .first(conn)
            .optional()?;
        match contact.filter(|c| !c.trim().is_empty()) {
            Some(contact) => vec![contact],
            None => memberships::table
                .inner_join(users::table)
                .filter(memberships::organization_id.eq(&notice.audience))
                .filter(memberships::capacity.eq("admin"))
                .filter(users::state.eq("active"))
                .select(users::email)
                .load(conn)?,
        }
    };
    found.retain(|address| !address.trim().is_empty());
    found.sort();
    found.dedup();
    Ok(found)
}

/// The message of a notice, Vietnamese first, then English.
fn message(ctx: &AppContext, notice: &Notice) -> (String, String) {
    let (vi, en) = match notice.kind.parse::<ReminderKind>() {
        Ok(ReminderKind::PublicationDueSoon) => ("Sắp đến hạn công bố", "Publication due soon"),
        Ok(ReminderKind::PublicationOverdue) => ("Quá hạn công bố", "Publication overdue"),
        Ok(ReminderKind::UpdateDueSoon) => ("Sắp đến hạn cập nhật", "Update due soon"),
        Ok(ReminderKind::UpdateOverdue) => ("Quá hạn cập nhật", "Update overdue"),
        Ok(ReminderKind::CatalogueReview) => ("Đến hạn rà soát danh mục", "Catalogue review due"),
        Err(_) => (
            "Nhắc việc danh mục dữ liệu mở",
            "Open-data catalogue reminder",
        ),
    };
    let page = if notice.audience == DATA_OFFICE {
        "/catalogue/office"
    } else {
        "/catalogue/mine"
    };
    let link = format!("{}{page}", ctx.site_url.trim_end_matches('/'));
    let subject = format!("[Danh mục dữ liệu mở] {vi}: {}", notice.entry_title);
    let text = format!(
        "{vi}: {title}\nHạn: {due}\nXem và cập nhật tại: {link}\n\n\
         --\n{en}: {title}\nDue date: {due}\nSee and update it at: {link}\n",
        title = notice.entry_title,
        due = notice.due_date,
    );
    (subject, text)
}

/// Sends one notice to every recipient; true when at least one accepted it (so it counts as
/// e-mailed: sending again would mail those who already have it).
fn send_notice(ctx: &AppContext, notice: &Notice, to: &[String]) -> bool {
    let (subject, text) = message(ctx, notice);
    let mut accepted = false;
    for address in to {
        let mail = OutgoingMail {
            to: address.clone(),
            subject: subject.clone(),
            text: text.clone(),
        };
        accepted |= ctx.mail.send_or_log(mail) == MailOutcome::Sent;
    }
    accepted
}

/// One sender at a time in this process: the server's tick and a `catalogue_reminders_run`
/// call must not both mail a notice neither has marked yet.
static SENDING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// E-mails the notices not yet e-mailed (see the module doc). Blocking: it waits for the relay.
pub fn send_pending(ctx: &AppContext) -> AppResult<MailReport> {
    let mut report = MailReport::default();
    if !ctx.mail.is_enabled() {
        return Ok(report);
    }
    // A poisoned lock only means another send panicked; the marks in the database still hold.
    let _one_sender = SENDING.lock().unwrap_or_else(|p| p.into_inner());
    let pending = ctx.db.read(|conn| pending_email(conn, BATCH))?;
    let total = pending.len();
    let mut failing = 0;
    for (done, notice) in pending.into_iter().enumerate() {
        if failing >= GIVE_UP_AFTER {
            // The relay is down (or hangs, up to its timeout per step): the rest wait for the
            // next run instead of holding this one for minutes.
            report.failed += total - done;
            break;
        }
        let (covered, to) = ctx
            .db
            .read(|conn| Ok((already_mailed(conn, &notice)?, recipients(conn, &notice)?)))?;
        if covered {
            let at = ctx.catalogue.clock.now_text();
            ctx.db.write(|conn| mark_emailed(conn, &notice.id, &at))?;
            report.covered += 1;
            continue;
        }
        if to.is_empty() {
            tracing::warn!(audience = %notice.audience, "a reminder has nobody to e-mail");
            report.failed += 1;
            continue;
        }
        // The mail goes before the mark: a crash between the two sends it again rather than
        // never (the relay is outside our transaction either way).
        if send_notice(ctx, &notice, &to) {
            failing = 0;
            let at = ctx.catalogue.clock.now_text();
            if ctx.db.write(|conn| mark_emailed(conn, &notice.id, &at))? {
                report.sent += 1;
            }
        } else {
            failing += 1;
            report.failed += 1;
        }
    }
    Ok(report)
}
