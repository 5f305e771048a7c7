//! The pages about the portal itself: about (who runs it, the publishing organisations and
//! the contact point, in Vietnamese and English: Decree 42/2022 art. 7(2)), the terms of use
//! (Decree 47/2020 art. 18 and every licence offered), and the API page with examples that
//! call this portal's own address.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::chrome::Chrome;
use super::home::{facet_counts, lists_without_counts, OwnerItem};
use super::listing::SearchResults;
use super::{blocking, reply};
use crate::catalog::{actions, vocab, AppContext, Dict};
use crate::config::PortalSettings;
use crate::http::auth::Caller;

/// The about page.
#[derive(Template)]
#[template(path = "about.html")]
pub struct AboutPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Who runs the portal.
    pub portal: PortalSettings,
    /// The publishing organisations: Vietnamese title, English title, URL name, datasets.
    pub organizations: Vec<OwnerItem>,
}

/// `GET /about`.
pub async fn about_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    portal: web::Data<PortalSettings>,
) -> HttpResponse {
    let organizations = blocking(&ctx, caller, |ctx, actor| {
        let mut organizations: Vec<OwnerItem> =
            actions::call_as(ctx, &actor, "organization_list", &lists_without_counts())?;
        // Counts from the index as facets, not a count query per organisation.
        let mut counts = Dict::new();
        counts.insert("rows".into(), json!(0));
        counts.insert("facet.field".into(), json!(["organization"]));
        counts.insert("facet.limit".into(), json!(-1));
        let search: SearchResults = actions::call_as(ctx, &actor, "package_search", &counts)?;
        let count = facet_counts(&search, "organization");
        for organization in &mut organizations {
            organization.package_count = Some(count(&organization.name));
        }
        Ok(organizations)
    })
    .await;
    match organizations {
        Ok(organizations) => reply::page(
            &chrome,
            &AboutPage {
                chrome: &chrome,
                portal: portal.get_ref().clone(),
                organizations,
            },
        ),
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

/// A licence as the terms page lists it.
pub struct LicenseLine {
    /// Its id (the anchor of its section).
    pub id: &'static str,
    /// Its title in the page's language.
    pub title: &'static str,
    /// Where its full text is.
    pub url: &'static str,
}

/// The terms-of-use page.
#[derive(Template)]
#[template(path = "terms.html")]
pub struct TermsPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The licences offered.
    pub licenses: Vec<LicenseLine>,
}

/// `GET /terms`.
pub async fn terms_page(chrome: Chrome) -> HttpResponse {
    let licenses = vocab::LICENSES
        .iter()
        .map(|l| LicenseLine {
            id: l.id,
            title: chrome.pick(l.title, l.title_en),
            url: l.url,
        })
        .collect();
    reply::page(
        &chrome,
        &TermsPage {
            chrome: &chrome,
            licenses,
        },
    )
}

/// The API page.
#[derive(Template)]
#[template(path = "api.html")]
pub struct ApiPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
}

/// `GET /api`.
pub async fn api_page(chrome: Chrome) -> HttpResponse {
    reply::page(&chrome, &ApiPage { chrome: &chrome })
}
