//! Publishing (issue 10): `/dataset/new` and `/dataset/edit/{name}`, CKAN's URLs. One form for
//! the main metadata fields, saved through `package_create` / `package_patch` — the API's own
//! actions, so the form and the API never disagree. On a validation error the form comes back
//! with the messages next to their fields and the input kept; nothing is stored.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, reply};
use crate::catalog::datasets::view::DatasetView;
use crate::catalog::{actions, vocab, Actor, AppContext, Dict};
use crate::enums::DatasetState;
use crate::error::{render, AppError, AppResult, ErrorCode, Forbidden};
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token};

/// The plain text fields of the form, each sent to the action under its own name.
const TEXT_FIELDS: &[&str] = &[
    "name",
    "title",
    "notes",
    "owner_org",
    "license_id",
    "frequency",
    "spatial_name",
    "temporal_start",
    "temporal_end",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title_en",
    "notes_en",
];

/// An organisation the user may publish for.
#[derive(Deserialize)]
pub struct OrgChoice {
    /// Its id.
    pub id: String,
    /// Its URL name.
    pub name: String,
    /// Its title.
    #[serde(default)]
    pub title: String,
}

/// The create and edit form.
#[derive(Template)]
#[template(path = "publish.html")]
pub struct PublishPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// Where the form posts to.
    pub action: String,
    /// The dataset's name when editing.
    pub editing: Option<String>,
    /// The values shown, by field name (`theme_<slug>` for the theme boxes).
    pub values: HashMap<String, String>,
    /// Messages per field, in the page's language.
    pub errors: HashMap<String, Vec<String>>,
    /// The message of an error, when there is one.
    pub notice: Option<String>,
    /// The organisations the user may publish for.
    pub organizations: Vec<OrgChoice>,
    /// The places the form offers: the province, its communes and wards.
    pub places: Vec<String>,
}

impl PublishPage<'_> {
    /// The value of a field (empty when none).
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// Whether a choice list's field holds `value`.
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    /// The messages of a field.
    pub fn errors_of(&self, name: &str) -> &[String] {
        self.errors.get(name).map_or(&[][..], Vec::as_slice)
    }

    /// Whether a field has messages.
    pub fn has_error(&self, name: &str) -> bool {
        !self.errors_of(name).is_empty()
    }

    /// The 12 national themes: slug and title in the page's language.
    pub fn themes(&self) -> Vec<(&'static str, &'static str)> {
        vocab::NATIONAL_THEMES
            .iter()
            .map(|(slug, vi, en)| (*slug, self.chrome.pick(vi, en)))
            .collect()
    }

    /// The licences: id and title in the page's language.
    pub fn licenses(&self) -> Vec<(&'static str, &'static str)> {
        vocab::LICENSES
            .iter()
            .map(|l| (l.id, self.chrome.pick(l.title, l.title_en)))
            .collect()
    }

    /// The frequencies: code and label in the page's language.
    pub fn frequencies(&self) -> Vec<(&'static str, &'static str)> {
        vocab::FREQUENCIES
            .iter()
            .map(|(code, vi, en, _)| (*code, self.chrome.pick(vi, en)))
            .collect()
    }

    /// Whether the dataset is (still) a draft: only then is "save as draft" offered.
    pub fn is_draft(&self) -> bool {
        self.editing.is_none() || self.is("was_state", "draft")
    }
}

/// `GET /dataset/new`.
pub async fn new_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/dataset/new");
    }
    let mut values = HashMap::new();
    values.insert("private".to_owned(), "false".to_owned());
    values.insert(
        "license_id".to_owned(),
        vocab::DEFAULT_LICENSE_ID.to_owned(),
    );
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    form_reply(
        &chrome,
        actor,
        &session,
        &ctx,
        None,
        values,
        None,
        StatusCode::OK,
    )
    .await
}

/// `GET /dataset/edit/{name}`.
pub async fn edit_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/edit/{name}"));
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let id = name.clone();
    let found = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(id));
        actions::call_as::<DatasetView>(ctx, &actor, "package_show", &dict)
    })
    .await;
    let view = match found {
        Ok(view) => view,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let values = values_of(&view);
    form_reply(
        &chrome,
        actor,
        &session,
        &ctx,
        Some(name),
        values,
        None,
        StatusCode::OK,
    )
    .await
}

/// The form's values from a stored dataset.
fn values_of(view: &DatasetView) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = [
        ("name", &view.name),
        ("title", &view.title),
        ("notes", &view.notes),
        ("owner_org", &view.owner_org),
        ("license_id", &view.license_id),
        ("frequency", &view.frequency),
        ("spatial_name", &view.spatial_name),
        ("temporal_start", &view.temporal_start),
        ("temporal_end", &view.temporal_end),
        ("contact_name", &view.contact_name),
        ("contact_email", &view.contact_email),
        ("contact_phone", &view.contact_phone),
        ("title_en", &view.title_en),
        ("notes_en", &view.notes_en),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let tags: Vec<&str> = view.tags.iter().map(|t| t.name.as_str()).collect();
    values.insert("tags".into(), tags.join(", "));
    for theme in &view.groups {
        values.insert(format!("theme_{}", theme.name), "on".into());
    }
    values.insert("private".into(), view.private.to_string());
    let state = if view.state == DatasetState::Draft {
        "draft"
    } else {
        "active"
    };
    values.insert("was_state".into(), state.into());
    values
}

/// The form page, or the login page, or a 403 page for a user who may publish for no
/// organisation.
#[allow(clippy::too_many_arguments)]
async fn form_reply(
    chrome: &Chrome,
    actor: Actor,
    session: &Session,
    ctx: &web::Data<AppContext>,
    editing: Option<String>,
    values: HashMap<String, String>,
    error: Option<&AppError>,
    status: StatusCode,
) -> HttpResponse {
    let organizations = match blocking(ctx, Caller(Ok(actor)), |ctx, actor| {
        editable_orgs(ctx, &actor)
    })
    .await
    {
        Ok(orgs) if orgs.is_empty() => {
            let refused = AppError::forbidden(Forbidden::EditOrganizationDatasets);
            return reply::error_page_in(chrome, &refused);
        }
        Ok(orgs) => orgs,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    if let Some(name) = &editing {
        let owner = values.get("owner_org").map_or("", String::as_str);
        if !organizations
            .iter()
            .any(|o| o.id == owner || o.name == owner)
        {
            let refused = AppError::forbidden(Forbidden::EditOrganizationDatasets);
            tracing::debug!(dataset = %name, "edit form refused");
            return reply::error_page_in(chrome, &refused);
        }
    }
    let csrf = match csrf_token(session) {
        Ok(csrf) => csrf,
        Err(e) => return reply::error_page_in(chrome, &e),
    };
    let (errors, notice) = match error {
        Some(e) => {
            let rendered = render(e, chrome.lang);
            (
                rendered.fields.into_iter().collect(),
                Some(rendered.message),
            )
        }
        None => (HashMap::new(), None),
    };
    let action = match &editing {
        Some(name) => format!("/dataset/edit/{name}"),
        None => "/dataset/new".to_owned(),
    };
    let page = PublishPage {
        chrome,
        csrf,
        action,
        editing,
        values,
        errors,
        notice,
        organizations,
        places: crate::catalog::places::places_of(&super::texts::province_name()),
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// The organisations where the actor may create and edit datasets.
pub(super) fn editable_orgs(ctx: &AppContext, actor: &Actor) -> AppResult<Vec<OrgChoice>> {
    if !actor.is_authenticated() {
        return Ok(Vec::new());
    }
    let mut dict = Dict::new();
    dict.insert("permission".into(), json!("create_dataset"));
    actions::call_as(ctx, actor, "organization_list_for_user", &dict)
}

/// Whether the actor may edit datasets of the organisation `owner_org` (an id).
pub fn may_edit(ctx: &AppContext, actor: &Actor, owner_org: &str) -> AppResult<bool> {
    Ok(editable_orgs(ctx, actor)?
        .iter()
        .any(|o| o.id == owner_org || o.name == owner_org))
}

/// The data dict the form's values make, for `package_create` or `package_patch`.
fn dict_of(values: &HashMap<String, String>) -> Dict {
    let mut dict = Dict::new();
    for field in TEXT_FIELDS {
        let value = values.get(*field).map_or("", |v| v.trim());
        dict.insert((*field).into(), json!(value));
    }
    let name = values.get("name").map_or("", |v| v.trim());
    if name.is_empty() {
        let title = values.get("title").map_or("", String::as_str);
        dict.insert("name".into(), json!(vocab::suggest_name(title)));
    }
    let tags: Vec<&str> = values
        .get("tags")
        .map_or("", String::as_str)
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    dict.insert("tags".into(), json!(tags));
    let themes: Vec<Value> = vocab::NATIONAL_THEMES
        .iter()
        .filter(|(slug, _, _)| values.contains_key(&format!("theme_{slug}")))
        .map(|(slug, _, _)| json!({ "name": slug }))
        .collect();
    dict.insert("groups".into(), Value::Array(themes));
    let private = values.get("private").is_some_and(|v| v == "true");
    dict.insert("private".into(), json!(private));
    // Only a draft offers "save as draft"; saving a published dataset keeps it published.
    let publish = values.get("save").is_some_and(|v| v == "publish");
    let state = if publish { "active" } else { "draft" };
    dict.insert("state".into(), json!(state));
    dict
}

/// `POST /dataset/new`.
pub async fn create(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    save(chrome, caller, session, ctx, None, form.into_inner()).await
}

/// `POST /dataset/edit/{name}`.
pub async fn update(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let name = name.into_inner();
    save(chrome, caller, session, ctx, Some(name), form.into_inner()).await
}

async fn save(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    editing: Option<String>,
    values: HashMap<String, String>,
) -> HttpResponse {
    if let Err(e) = check_csrf(&session, values.get("_csrf_token").map(String::as_str)) {
        return reply::error_page_in(&chrome, &e);
    }
    if chrome.user.is_none() {
        return reply::to_login("/dataset/new");
    }
    let actor = match caller.0 {
        Ok(actor) => actor,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    // The form asks for a title (the API, as CKAN's, would take none and show the name).
    if values.get("title").is_none_or(|t| t.trim().is_empty()) {
        let missing = AppError::field("title", crate::error::FieldCode::MissingValue);
        let status = reply::status_of(&missing);
        return form_reply(
            &chrome,
            actor,
            &session,
            &ctx,
            editing,
            values,
            Some(&missing),
            status,
        )
        .await;
    }
    let mut dict = dict_of(&values);
    let action = match &editing {
        Some(name) => {
            dict.insert("id".into(), json!(name));
            "package_patch"
        }
        None => "package_create",
    };
    let held_back = dict.clone();
    let saved = blocking(&ctx, Caller(Ok(actor.clone())), move |ctx, actor| {
        let view: DatasetView = actions::call_as(ctx, &actor, action, &dict)?;
        Ok(view.name)
    })
    .await;
    match saved {
        // A new dataset's author goes on to add its files, as in CKAN.
        Ok(name) if editing.is_none() => see_other(&format!("/dataset/{name}/resource/new")),
        Ok(name) => see_other(&format!("/dataset/{name}")),
        Err(e @ AppError::Validation(_)) => {
            let status = reply::status_of(&e);
            form_reply(
                &chrome,
                actor,
                &session,
                &ctx,
                editing,
                values,
                Some(&e),
                status,
            )
            .await
        }
        Err(e) if e.code() == ErrorCode::PrivacyReviewRequired => {
            let was_draft =
                editing.is_none() || values.get("was_state").is_some_and(|s| s == "draft");
            super::privacy::hold_back_and_review(&chrome, actor, &ctx, action, held_back, was_draft)
                .await
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// One text field of the form as the template draws it.
pub struct FieldRow {
    /// The field's name.
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// Its help text, in plain words.
    pub help: String,
    /// `text`, `textarea`, `email`, `tel` or `date`-like text.
    pub input: &'static str,
}

impl PublishPage<'_> {
    /// The text fields of a group of the form.
    pub fn rows(&self, group: &str) -> Vec<FieldRow> {
        let names: &[(&'static str, &'static str)] = match group {
            "main" => &[("title", "text"), ("name", "text"), ("notes", "textarea")],
            "tags" => &[("tags", "text")],
            "coverage" => &[
                ("spatial_name", "text"),
                ("temporal_start", "text"),
                ("temporal_end", "text"),
            ],
            "contact" => &[
                ("contact_name", "text"),
                ("contact_email", "email"),
                ("contact_phone", "tel"),
            ],
            "english" => &[("title_en", "text"), ("notes_en", "textarea")],
            _ => &[],
        };
        names
            .iter()
            .map(|(name, input)| self.row(name, input))
            .collect()
    }

    /// A field's label and help.
    pub fn row(&self, name: &'static str, input: &'static str) -> FieldRow {
        let label = format!("publish-{}", name.replace('_', "-"));
        let help = format!("{label}-help");
        FieldRow {
            name,
            label: self.chrome.t(&label).to_owned(),
            help: self.chrome.t(&help).to_owned(),
            input,
        }
    }
}

/// A dataset as the dashboard lists it.
#[derive(Deserialize)]
pub struct MyDataset {
    /// URL name.
    pub name: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// English title.
    #[serde(default)]
    pub title_en: String,
    /// Draft or active.
    pub state: DatasetState,
    /// Members only.
    #[serde(default)]
    pub private: bool,
    /// Update frequency code.
    #[serde(default)]
    pub frequency: String,
    /// Last change.
    #[serde(default)]
    pub metadata_modified: String,
}

impl MyDataset {
    /// Whole days past its next update's due date, when published and overdue.
    fn days_overdue(&self, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
        use crate::catalog::datasets::freshness::{parse_timestamp, Freshness};
        if self.state != DatasetState::Active {
            return None;
        }
        match Freshness::of(
            &self.frequency,
            parse_timestamp(&self.metadata_modified)?,
            now,
        ) {
            Freshness::Overdue { days_late, .. } => Some(days_late),
            _ => None,
        }
    }
}

/// One organisation's datasets on the dashboard.
pub struct OrgDatasets {
    /// The organisation.
    pub org: OrgChoice,
    /// Drafts.
    pub drafts: Vec<MyDataset>,
    /// Published, members only.
    pub private: Vec<MyDataset>,
    /// Published for everyone.
    pub published: Vec<MyDataset>,
    /// Published (privately or not) and overdue for an update: name, title, days late.
    pub overdue: Vec<(String, String, i64)>,
}

impl OrgDatasets {
    /// The three lists with their headings' text ids.
    pub fn sections(&self) -> [(&'static str, &[MyDataset]); 3] {
        [
            ("dashboard-drafts", &self.drafts),
            ("dashboard-private", &self.private),
            ("dashboard-published", &self.published),
        ]
    }
}

/// "My datasets": the user's organisations' datasets as drafts, private and published.
#[derive(Template)]
#[template(path = "dashboard_datasets.html")]
pub struct DashboardPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Per organisation.
    pub groups: Vec<OrgDatasets>,
}

/// Most datasets listed per organisation (one page of `package_search`).
const DASHBOARD_ROWS: u64 = 1000;

/// `GET /dashboard/datasets`.
pub async fn dashboard_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    if chrome.user.is_none() {
        return reply::to_login("/dashboard/datasets");
    }
    let found = blocking(&ctx, caller, |ctx, actor| {
        let mut groups = Vec::new();
        for org in editable_orgs(ctx, &actor)? {
            let mut dict = Dict::new();
            dict.insert("fq".into(), json!(format!("owner_org:\"{}\"", org.id)));
            dict.insert("include_private".into(), json!(true));
            dict.insert("include_drafts".into(), json!(true));
            dict.insert("rows".into(), json!(DASHBOARD_ROWS));
            dict.insert("sort".into(), json!("metadata_modified desc"));
            let found: Value = actions::call_as(ctx, &actor, "package_search", &dict)?;
            let results: Vec<MyDataset> =
                serde_json::from_value(found["results"].clone()).unwrap_or_default();
            let mut group = OrgDatasets {
                org,
                drafts: Vec::new(),
                private: Vec::new(),
                published: Vec::new(),
                overdue: Vec::new(),
            };
            let now = chrono::Utc::now();
            for dataset in results {
                if let Some(days) = dataset.days_overdue(now) {
                    let title = if dataset.title.is_empty() {
                        dataset.name.clone()
                    } else {
                        dataset.title.clone()
                    };
                    group.overdue.push((dataset.name.clone(), title, days));
                }
                if dataset.state == DatasetState::Draft {
                    group.drafts.push(dataset);
                } else if dataset.private {
                    group.private.push(dataset);
                } else {
                    group.published.push(dataset);
                }
            }
            groups.push(group);
        }
        Ok(groups)
    })
    .await;
    match found {
        Ok(groups) => {
            let page = DashboardPage {
                chrome: &chrome,
                groups,
            };
            reply::page(&chrome, &page)
        }
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}
