//! `/catalogue/versions` and `/catalogue/version/{n}`: every issued version with its decision,
//! and one version as its decision froze it, with what it added, changed and withdrawn since
//! the previous one (`catalogue_version_list`, `catalogue_version_show`).

use actix_web::{web, HttpResponse};
use askama::Template;
use fluent_bundle::FluentValue;
use serde_json::json;

use super::{date, frequency_label};
use crate::catalog::catalogue::versions::{VersionSummary, VersionView};
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{AppError, ErrorCode};
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::{blocking, reply};

/// The list of versions.
#[derive(Template)]
#[template(path = "catalogue_versions.html")]
pub struct VersionsPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Every version, newest first.
    pub versions: Vec<VersionSummary>,
}

impl VersionsPage<'_> {
    /// A date as the reader writes it.
    pub fn date(&self, iso: &str) -> String {
        date(self.chrome, iso)
    }
}

/// `GET /catalogue/versions`.
pub async fn versions_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let found = blocking(&ctx, caller, |ctx, actor| {
        actions::call_as::<Vec<VersionSummary>>(ctx, &actor, "catalogue_version_list", &Dict::new())
    })
    .await;
    match found {
        Ok(versions) => reply::page(
            &chrome,
            &VersionsPage {
                chrome: &chrome,
                versions,
            },
        ),
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

/// One version.
#[derive(Template)]
#[template(path = "catalogue_version.html")]
pub struct VersionPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The version as frozen, with its changes.
    pub view: VersionView,
}

impl VersionPage<'_> {
    /// A date as the reader writes it.
    pub fn date(&self, iso: &str) -> String {
        date(self.chrome, iso)
    }

    /// A frequency in the reader's language.
    pub fn frequency(&self, code: &str) -> String {
        frequency_label(self.chrome, code)
    }

    /// The names of changed fields, in the reader's language (the department's id and title
    /// change together: the title is named once).
    pub fn fields(&self, fields: &[String]) -> String {
        fields
            .iter()
            .filter(|f| {
                f.as_str() != "owner_org" || !fields.iter().any(|g| g == "organization_title")
            })
            .map(|f| match f.as_str() {
                "title" => self.chrome.t("cat-field-title"),
                "description" => self.chrome.t("cat-field-description"),
                "owner_org" => self.chrome.t("cat-field-owner_org"),
                "organization_title" => self.chrome.t("cat-field-organization_title"),
                "themes" => self.chrome.t("cat-field-themes"),
                "formats" => self.chrome.t("cat-field-formats"),
                "access_methods" => self.chrome.t("cat-field-access_methods"),
                "frequency" => self.chrome.t("cat-field-frequency"),
                "planned_publication" => self.chrome.t("cat-field-planned_publication"),
                "legal_basis" => self.chrome.t("cat-field-legal_basis"),
                "priority" => self.chrome.t("cat-field-priority"),
                other => other,
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Who recorded the version, and when.
    pub fn issued_by(&self) -> String {
        let summary = &self.view.summary;
        self.chrome.texts.with(
            "cat-version-issued-by",
            &[
                ("user", FluentValue::from(summary.issued_by.clone())),
                ("date", FluentValue::from(self.date(&summary.created))),
            ],
        )
    }

    /// True for the first version (everything in it is new).
    pub fn first(&self) -> bool {
        self.view.summary.version == 1
    }
}

/// `GET /catalogue/version/{n}`.
pub async fn version_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    number: web::Path<String>,
) -> HttpResponse {
    let number = number.into_inner();
    // Only a number names a version; anything else is a page that does not exist.
    let Ok(number) = number.parse::<u32>() else {
        let error = AppError::not_found(ErrorCode::CatalogueVersionNotFound, &number);
        return reply::error_page_in(&chrome, &error);
    };
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("version".into(), json!(number));
        actions::call_as::<VersionView>(ctx, &actor, "catalogue_version_show", &dict)
    })
    .await;
    match found {
        Ok(view) => reply::page(
            &chrome,
            &VersionPage {
                chrome: &chrome,
                view,
            },
        ),
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}
