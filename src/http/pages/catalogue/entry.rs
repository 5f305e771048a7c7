//! `/catalogue/entry/{id}`: one entry, read-only: its status, department, promises, due dates,
//! linked data and status history. Whoever may not see it (a draft of another department) gets
//! the action's "not found". The staff's forms (submit, review, comment, merge) are another
//! page's: this one leaves them a place, `_catalogue_entry_staff.html`, rendered only for the
//! entry's department and the data office.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::{compliance, date, status_id, Line};
use crate::catalog::catalogue::entries::EntryView;
use crate::catalog::{actions, AppContext, Dict};
use crate::enums::EntryStatus;
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::{blocking, reply};

/// The entry's page.
#[derive(Template)]
#[template(path = "catalogue_entry.html")]
pub struct EntryPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The entry, in the reader's language, with its due dates.
    pub line: Line,
    /// The viewer belongs to the entry's department or is the data office: the staff's part
    /// of the page is shown.
    pub may_act: bool,
}

impl EntryPage<'_> {
    /// A date as the reader writes it.
    pub fn date(&self, iso: &str) -> String {
        date(self.chrome, iso)
    }

    /// A status's name.
    pub fn status(&self, status: &EntryStatus) -> &str {
        self.chrome.t(status_id(*status))
    }

    /// A count of days, for a plural message.
    pub fn days(&self, days: &i64) -> u64 {
        u64::try_from(*days).unwrap_or(0)
    }

    /// Whether an issued catalogue made the entry public (search engines may index it).
    pub fn is_public(&self) -> bool {
        crate::catalog::catalogue::status::public(self.line.entry.status)
    }

    /// The entry as the action returned it.
    pub fn entry(&self) -> &EntryView {
        &self.line.entry
    }
}

/// `GET /catalogue/entry/{id}`.
pub async fn entry_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    id: web::Path<String>,
) -> HttpResponse {
    let id = id.into_inner();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        let entry: EntryView = actions::call_as(ctx, &actor, "catalogue_entry_show", &dict)?;
        let figures = compliance(ctx, &actor, "")?;
        // The department's members (any role) and the data office act on the entry; which
        // actions they may take is the staff part's business.
        let may_act = actor.is_reviewer() || {
            let mut wanted = Dict::new();
            wanted.insert("permission".into(), json!("read"));
            let own: Vec<serde_json::Value> =
                actions::call_as(ctx, &actor, "organization_list_for_user", &wanted)?;
            actor.is_authenticated() && own.iter().any(|o| o["id"] == entry.owner_org.as_str())
        };
        Ok((entry, figures, may_act))
    })
    .await;
    let (entry, figures, may_act) = match found {
        Ok(found) => found,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let page = EntryPage {
        line: Line::of(&chrome, entry, &figures),
        chrome: &chrome,
        may_act,
    };
    reply::page(&chrome, &page)
}
