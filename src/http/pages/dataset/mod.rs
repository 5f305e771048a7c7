//! `/dataset/{name}`: a dataset's page (CKAN's URL). It calls `package_show` as the API does
//! and shows what a reader needs to use the data: the description (Markdown made safe), the
//! files with their download links, the publisher and its contact point, the licence with a
//! ready-to-copy attribution (Decree 47/2020 art. 18), the update frequency and whether the
//! promised update is late, the coverage in space and time, and the same dataset in the API.
//! Search engines get a schema.org `Dataset` in the head; print gets its own stylesheet
//! (Decree 42/2022 art. 7).

mod jsonld;
mod markdown;

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{DateTime, FixedOffset, Utc};
use fluent_bundle::FluentValue;
use serde_json::json;

use super::cards;
use super::chrome::Chrome;
use super::{blocking, reply};
use crate::catalog::datasets::freshness::{parse_timestamp, Freshness};
use crate::catalog::datasets::view::{DatasetView, ResourceView};
use crate::catalog::{actions, vocab, AppContext, Dict};
use crate::enums::DatasetState;
use crate::http::auth::Caller;

/// Vietnam's time (UTC+7, no summer time): the day a reader here accessed the data.
const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// A link to an organisation or a theme.
pub struct NamedLink {
    /// URL name.
    pub name: String,
    /// Title in the page's language.
    pub title: String,
}

/// How to reach the people who answer for the dataset.
#[derive(Default)]
pub struct Contact {
    /// A person or office.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Telephone number as written.
    pub phone: String,
    /// The number for a `tel:` link (digits and `+`).
    pub phone_link: String,
}

impl Contact {
    /// The dataset's contact point, the maintainer when it names none.
    fn of(view: &DatasetView) -> Contact {
        let or = |first: &str, second: &str| {
            let first = first.trim();
            if first.is_empty() {
                second.trim().to_owned()
            } else {
                first.to_owned()
            }
        };
        let phone = view.contact_phone.trim().to_owned();
        Contact {
            name: or(&view.contact_name, &view.maintainer),
            email: or(&view.contact_email, &view.maintainer_email),
            phone_link: phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
            phone,
        }
    }

    /// True when there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.email.is_empty() && self.phone.is_empty()
    }
}

/// The licence or terms of use.
pub struct LicenseLink {
    /// Its title in the page's language.
    pub title: String,
    /// Where to read it (`/terms` for the default terms), when known.
    pub url: Option<String>,
}

impl LicenseLink {
    fn of(chrome: &Chrome, view: &DatasetView) -> LicenseLink {
        let id = view.license_id.trim();
        // A dataset without a licence falls under the legal default terms.
        let id = if id.is_empty() {
            vocab::DEFAULT_LICENSE_ID
        } else {
            id
        };
        if id == vocab::DEFAULT_LICENSE_ID {
            let title = vocab::license(id).map_or("", |l| chrome.pick(l.title, l.title_en));
            return LicenseLink {
                title: title.to_owned(),
                url: Some("/terms".to_owned()),
            };
        }
        match vocab::license(id) {
            Some(license) => LicenseLink {
                title: chrome.pick(license.title, license.title_en).to_owned(),
                url: (!license.url.is_empty()).then(|| license.url.to_owned()),
            },
            // A licence of another portal, kept as imported.
            None => LicenseLink {
                title: view.license_title.clone().unwrap_or_else(|| id.to_owned()),
                url: view
                    .license_url
                    .as_deref()
                    .and_then(|url| absolute_url("", url)),
            },
        }
    }
}

/// One file (resource) of the dataset.
pub struct ResourceLine {
    /// Its name (or a stand-in when it has none).
    pub name: String,
    /// The start of its description, as text.
    pub description: String,
    /// Its format, upper case.
    pub format: String,
    /// The format as a CSS class suffix (`csv`, `geojson`).
    pub format_class: String,
    /// Its size as people read it, when known.
    pub size: String,
    /// Its last change, in the page's language.
    pub modified: String,
    /// The same as `YYYY-MM-DD`.
    pub modified_iso: String,
    /// Its page on the portal.
    pub page_url: String,
    /// Where to download it, when its link is one a browser may follow.
    pub download_url: Option<String>,
}

impl ResourceLine {
    fn of(chrome: &Chrome, dataset: &str, resource: &ResourceView) -> ResourceLine {
        let format = resource.format.trim().to_uppercase();
        let modified = resource
            .last_modified
            .as_deref()
            .filter(|m| !m.is_empty())
            .unwrap_or(&resource.metadata_modified);
        let name = resource.name.trim();
        ResourceLine {
            name: if name.is_empty() {
                chrome.t("dataset-resource-unnamed").to_owned()
            } else {
                name.to_owned()
            },
            description: cards::excerpt(&resource.description, 200),
            format_class: format
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect(),
            format,
            size: resource
                .size
                .map(|bytes| cards::size(chrome.lang, bytes))
                .unwrap_or_default(),
            modified: cards::date(chrome.lang, modified),
            modified_iso: modified.chars().take(10).collect(),
            page_url: format!("/dataset/{dataset}/resource/{}", resource.id),
            download_url: absolute_url(&chrome.site_url, &resource.url),
        }
    }
}

/// The dataset's page.
#[derive(Template)]
#[template(path = "dataset.html")]
pub struct DatasetPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// URL name.
    pub name: String,
    /// Title in the page's language.
    pub title: String,
    /// The description as clean HTML (empty when there is none).
    pub description_html: String,
    /// The start of the description as text (meta description, Open Graph).
    pub excerpt: String,
    /// Shown to its organisation only.
    pub private: bool,
    /// Draft or deleted, for the editors who may see those.
    pub state: DatasetState,
    /// The publisher.
    pub organization: Option<NamedLink>,
    /// Its contact point.
    pub contact: Contact,
    /// National themes.
    pub themes: Vec<NamedLink>,
    /// Tags: the word and the search for it.
    pub tags: Vec<(String, String)>,
    /// Licence or terms of use.
    pub license: LicenseLink,
    /// The sentence to cite the data with.
    pub attribution: String,
    /// Update frequency in the page's language (empty when not given).
    pub frequency: String,
    /// Last change, in the page's language.
    pub modified: String,
    /// The same as `YYYY-MM-DD`.
    pub modified_iso: String,
    /// First publication, in the page's language.
    pub created: String,
    /// The same as `YYYY-MM-DD`.
    pub created_iso: String,
    /// The promised next update: true when late, and the sentence saying so.
    pub freshness: Option<(bool, String)>,
    /// Place name.
    pub spatial_name: String,
    /// Place code, as "code 72".
    pub spatial_code: String,
    /// The period the data covers, in words.
    pub temporal: String,
    /// Version.
    pub version: String,
    /// The dataset's page elsewhere (CKAN's `url`), when a browser may follow it.
    pub source_url: Option<String>,
    /// The files.
    pub resources: Vec<ResourceLine>,
    /// The dataset in the API.
    pub api_url: String,
    /// Custom fields (CKAN's `extras`, as harvested portals send them): key, value.
    pub extras: Vec<(String, String)>,
    /// The schema.org description, ready to sit inside its script element.
    pub jsonld: String,
    /// The viewer may edit the dataset (an editor of its organisation): the "Edit" link.
    pub can_edit: bool,
}

/// `GET /dataset/{name}`.
pub async fn dataset_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        let view = actions::call_as::<DatasetView>(ctx, &actor, "package_show", &dict)?;
        let can_edit = super::publish::may_edit(ctx, &actor, &view.owner_org)?;
        Ok((view, can_edit))
    })
    .await;
    match found {
        Ok((view, can_edit)) => {
            let mut page = DatasetPage::of(&chrome, &view, Utc::now());
            page.can_edit = can_edit;
            reply::page(&chrome, &page)
        }
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

impl<'a> DatasetPage<'a> {
    /// The page of a dataset as seen at `now`.
    pub fn of(chrome: &'a Chrome, view: &DatasetView, now: DateTime<Utc>) -> DatasetPage<'a> {
        let title = chrome.pick(&view.title, &view.title_en).to_owned();
        let notes = chrome.pick(&view.notes, &view.notes_en);
        let organization = view.organization.as_ref().map(|org| NamedLink {
            name: org.name.clone(),
            title: chrome
                .pick(&org.title, org.title_en.as_deref().unwrap_or(""))
                .to_owned(),
        });
        let license = LicenseLink::of(chrome, view);
        let plain = markdown::to_plain_text(notes);
        let catalog = jsonld::Catalog {
            site_url: &chrome.site_url,
            name: chrome.t("dataset-portal"),
            lang: chrome.lang,
            license_url: license.url.as_deref(),
        };
        let jsonld = jsonld::script_text(&jsonld::dataset(view, &plain, &catalog));
        DatasetPage {
            chrome,
            name: view.name.clone(),
            description_html: markdown::to_safe_html(notes),
            excerpt: cards::excerpt(&plain, 200),
            private: view.private,
            state: view.state,
            attribution: attribution(chrome, view, &title, organization.as_ref(), now),
            organization,
            contact: Contact::of(view),
            themes: view
                .groups
                .iter()
                .map(|theme| NamedLink {
                    name: theme.name.clone(),
                    title: chrome
                        .pick(&theme.title, theme.title_en.as_deref().unwrap_or(""))
                        .to_owned(),
                })
                .collect(),
            tags: view
                .tags
                .iter()
                .map(|tag| {
                    let query: String = url::form_urlencoded::Serializer::new(String::new())
                        .append_pair("tags", &tag.name)
                        .finish();
                    (tag.name.clone(), format!("/dataset?{query}"))
                })
                .collect(),
            license,
            frequency: frequency_label(chrome, &view.frequency),
            modified: cards::date(chrome.lang, &view.metadata_modified),
            modified_iso: view.metadata_modified.chars().take(10).collect(),
            created: cards::date(chrome.lang, &view.metadata_created),
            created_iso: view.metadata_created.chars().take(10).collect(),
            freshness: freshness_note(chrome, view, now),
            spatial_name: view.spatial_name.trim().to_owned(),
            spatial_code: match view.spatial_code.trim() {
                "" => String::new(),
                code => chrome.t1("dataset-spatial-code", "code", code),
            },
            temporal: temporal(chrome, &view.temporal_start, &view.temporal_end),
            version: view.version.trim().to_owned(),
            source_url: absolute_url("", &view.url),
            resources: view
                .resources
                .iter()
                .map(|r| ResourceLine::of(chrome, &view.name, r))
                .collect(),
            api_url: format!("/api/3/action/package_show?id={}", view.name),
            extras: extras(&view.extras),
            title,
            jsonld,
            can_edit: false,
        }
    }

    /// The text of the state badge, for a dataset not (yet, or no longer) published.
    pub fn state_label(&self) -> Option<&str> {
        match self.state {
            DatasetState::Active => None,
            DatasetState::Draft => Some(self.chrome.t("dataset-state-draft")),
            DatasetState::Deleted => Some(self.chrome.t("dataset-state-deleted")),
        }
    }

    /// The address of this page, whatever name or id it was asked by.
    pub fn canonical_url(&self) -> String {
        format!("{}/dataset/{}", self.chrome.site_url, self.name)
    }
}

/// `url` when a browser may follow it: `http(s)://…` as it is, a path from the site's root
/// under `site_url`; None for other schemes (`javascript:`, `data:`) and for nothing.
pub fn absolute_url(site_url: &str, url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https") if url.contains("://") => Some(url.to_owned()),
        _ if url.starts_with('/') && !url.starts_with("//") => Some(format!("{site_url}{url}")),
        _ => None,
    }
}

/// The sentence to cite the dataset with, dated today in Vietnam.
fn attribution(
    chrome: &Chrome,
    view: &DatasetView,
    title: &str,
    organization: Option<&NamedLink>,
    now: DateTime<Utc>,
) -> String {
    let today = FixedOffset::east_opt(VIETNAM_OFFSET_SECS)
        .map(|vietnam| now.with_timezone(&vietnam).date_naive())
        .unwrap_or_else(|| now.date_naive());
    let mut args = vec![
        ("title", FluentValue::from(title.to_owned())),
        (
            "portal",
            FluentValue::from(chrome.t("dataset-portal").to_owned()),
        ),
        (
            "url",
            FluentValue::from(format!("{}/dataset/{}", chrome.site_url, view.name)),
        ),
        (
            "date",
            FluentValue::from(cards::date(chrome.lang, &today.to_string())),
        ),
    ];
    match organization {
        Some(org) => {
            args.push(("org", FluentValue::from(org.title.clone())));
            chrome.texts.with("dataset-attribution-text", &args)
        }
        None => chrome.texts.with("dataset-attribution-text-no-org", &args),
    }
}

/// A frequency code in the page's language; an unknown code as it is.
fn frequency_label(chrome: &Chrome, code: &str) -> String {
    vocab::FREQUENCIES
        .iter()
        .find(|(c, ..)| *c == code)
        .map_or_else(
            || code.to_owned(),
            |(_, vi, en, _)| chrome.pick(vi, en).to_owned(),
        )
}

/// Whether the next update promised by the frequency is late, in words.
fn freshness_note(
    chrome: &Chrome,
    view: &DatasetView,
    now: DateTime<Utc>,
) -> Option<(bool, String)> {
    let last = parse_timestamp(&view.metadata_modified)?;
    let freshness = Freshness::of(&view.frequency, last, now);
    let due = cards::date(chrome.lang, &freshness.due()?.to_rfc3339());
    let id = if freshness.is_overdue() {
        "dataset-overdue"
    } else {
        "dataset-next-update"
    };
    Some((freshness.is_overdue(), chrome.t1(id, "date", due)))
}

/// The period covered, in words ("01/01/2025 – 31/12/2029", "from 1 January 2025").
fn temporal(chrome: &Chrome, start: &str, end: &str) -> String {
    let (start, end) = (start.trim(), end.trim());
    match (start.is_empty(), end.is_empty()) {
        (true, true) => String::new(),
        (false, false) => format!(
            "{} – {}",
            cards::date(chrome.lang, start),
            cards::date(chrome.lang, end)
        ),
        (false, true) => chrome.t1(
            "dataset-temporal-from",
            "date",
            cards::date(chrome.lang, start),
        ),
        (true, false) => chrome.t1(
            "dataset-temporal-until",
            "date",
            cards::date(chrome.lang, end),
        ),
    }
}

/// CKAN's `extras` (`[{"key", "value"}]`) as pairs to list; a value that is not text is shown
/// as its JSON, an entry without a key is left out.
fn extras(extras: &serde_json::Value) -> Vec<(String, String)> {
    extras
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let key = item.get("key")?.as_str()?.trim();
                    let value = match item.get("value")? {
                        serde_json::Value::String(text) => text.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (!key.is_empty()).then(|| (key.to_owned(), value))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_a_browser_may_follow_are_offered() {
        let site = "https://data.tayninh.gov.vn";
        assert_eq!(
            absolute_url(site, "/dataset/a/resource/b/download/x.csv").as_deref(),
            Some("https://data.tayninh.gov.vn/dataset/a/resource/b/download/x.csv")
        );
        assert_eq!(
            absolute_url(site, " HTTPS://x.vn/a.csv").as_deref(),
            Some("HTTPS://x.vn/a.csv")
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/html,x",
            "//evil.example/x",
            "",
            "tệp.csv",
        ] {
            assert_eq!(absolute_url(site, bad), None, "{bad}");
        }
    }
}
