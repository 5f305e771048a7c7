//! Adding and editing a resource in the browser (issue 10), at CKAN's URLs:
//! `/dataset/{name}/resource/new` (where a new dataset's author lands) and
//! `/dataset/{name}/resource/{id}/edit`. The form is multipart: its body is read by the API's
//! own reader (`http::api::payload`), so a file streams to a `StagedFile` exactly as an API
//! upload does, and the write is `resource_create` / `resource_patch`. A POST whose CSRF token
//! is missing or stale is refused after reading, and its staged file removed (nothing stored).
//!
//! After saving, the edit page shows what the portal detected (type, size, SHA-256) and warns,
//! without refusing, when the format is not machine-readable open data.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde_json::{json, Value};

use super::chrome::Chrome;
use super::reply::see_other;
use super::{blocking, cards, reply};
use crate::catalog::datasets::resources::open_formats::is_closed_format;
use crate::catalog::datasets::view::{DatasetView, ResourceView};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::enums::{DatasetState, UrlType};
use crate::error::{render, AppError, AppResult, ErrorCode, Forbidden};
use crate::http::api::payload;
use crate::http::auth::Caller;
use crate::http::session::{check_csrf, csrf_token, CSRF_FIELD};
use crate::http::HttpLimits;

/// The fields of the form sent to the action as they are.
const TEXT_FIELDS: &[&str] = &["name", "description", "format", "url"];

/// The resource form, new or edit.
#[derive(Template)]
#[template(path = "resource_form.html")]
pub struct ResourceFormPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The session's CSRF token.
    pub csrf: String,
    /// The dataset.
    pub dataset: DatasetView,
    /// The resource when editing.
    pub resource: Option<ResourceView>,
    /// The values shown, by field name.
    pub values: std::collections::HashMap<String, String>,
    /// Messages per field, in the page's language.
    pub errors: std::collections::HashMap<String, Vec<String>>,
    /// The message of an error, when there is one.
    pub notice: Option<String>,
    /// True right after a save (`?saved=1`): the page confirms what was stored.
    pub saved: bool,
}

impl ResourceFormPage<'_> {
    /// The value of a field (empty when none).
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// The messages of a field.
    pub fn errors_of(&self, name: &str) -> &[String] {
        self.errors.get(name).map_or(&[][..], Vec::as_slice)
    }

    /// Whether a field has messages.
    pub fn has_error(&self, name: &str) -> bool {
        !self.errors_of(name).is_empty()
    }

    /// Where the form posts to.
    pub fn action(&self) -> String {
        match &self.resource {
            Some(r) => format!("/dataset/{}/resource/{}/edit", self.dataset.name, r.id),
            None => format!("/dataset/{}/resource/new", self.dataset.name),
        }
    }

    /// The dataset's title in the page's language.
    pub fn dataset_title(&self) -> &str {
        self.chrome
            .pick(&self.dataset.title, &self.dataset.title_en)
    }

    /// True when the dataset is still a draft (the page then offers to publish it).
    pub fn is_draft(&self) -> bool {
        self.dataset.state == DatasetState::Draft
    }

    /// The stored file of the resource: (type, size, SHA-256), when it is an upload.
    pub fn stored_file(&self) -> Option<(String, String, String)> {
        let r = self.resource.as_ref()?;
        (r.url_type == UrlType::Upload).then(|| {
            let size = r
                .size
                .map(|n| cards::size(self.chrome.lang, n))
                .unwrap_or_default();
            let hash = r.hash.trim_start_matches("sha256:").to_owned();
            (r.mimetype.clone(), size, hash)
        })
    }

    /// True when the stored resource is in a closed format (the page warns).
    pub fn closed_format(&self) -> bool {
        self.resource
            .as_ref()
            .is_some_and(|r| is_closed_format(&r.format, &r.mimetype))
    }

    /// The link of a resource that is a link (empty for an upload).
    pub fn link(&self) -> &str {
        match &self.resource {
            Some(r) if r.url_type != UrlType::Upload => &r.url,
            _ => "",
        }
    }
}

/// The dataset `name` if the actor may edit it (403 otherwise): what every staff page of a
/// dataset checks first, with the same rule the actions apply.
pub(super) fn editable(ctx: &AppContext, actor: &Actor, name: &str) -> AppResult<DatasetView> {
    let mut show = Dict::new();
    show.insert("id".into(), json!(name));
    let dataset: DatasetView = actions::call_as(ctx, actor, "package_show", &show)?;
    if !super::publish::may_edit(ctx, actor, &dataset.owner_org)? {
        return Err(AppError::forbidden(Forbidden::EditOrganizationDatasets));
    }
    Ok(dataset)
}

/// The dataset and one of its resources, if the actor may edit them.
fn editable_resource(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    id: &str,
) -> AppResult<(DatasetView, ResourceView)> {
    let dataset = editable(ctx, actor, name)?;
    let resource = dataset
        .resources
        .iter()
        .find(|r| r.id == id)
        .cloned()
        .ok_or_else(|| AppError::not_found(ErrorCode::ResourceNotFound, id))?;
    Ok((dataset, resource))
}

/// `GET /dataset/{name}/resource/new`.
pub async fn new_page(
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/{name}/resource/new"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| editable(ctx, &actor, &name)).await;
    match found {
        Ok(dataset) => form_reply(&chrome, &session, dataset, None, Default::default(), None),
        Err(e) => reply::error_page_in(&chrome, &e),
    }
}

/// `GET /dataset/{name}/resource/{id}/edit`.
pub async fn edit_page(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (name, id) = path.into_inner();
    if chrome.user.is_none() {
        return reply::to_login(&format!("/dataset/{name}/resource/{id}/edit"));
    }
    let found = blocking(&ctx, caller, move |ctx, actor| {
        editable_resource(ctx, &actor, &name, &id)
    })
    .await;
    let (dataset, resource) = match found {
        Ok(found) => found,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let values = [
        ("name", &resource.name),
        ("description", &resource.description),
        ("format", &resource.format),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let saved = req.query_string().split('&').any(|p| p == "saved=1");
    let mut page = ResourceFormPage {
        chrome: &chrome,
        csrf: String::new(),
        dataset,
        resource: Some(resource),
        values,
        errors: Default::default(),
        notice: None,
        saved,
    };
    match csrf_token(&session) {
        Ok(csrf) => page.csrf = csrf,
        Err(e) => return reply::error_page_in(&chrome, &e),
    }
    reply::no_store(reply::page(&chrome, &page))
}

/// The form with the values and the error of a failed save.
fn form_reply(
    chrome: &Chrome,
    session: &Session,
    dataset: DatasetView,
    resource: Option<ResourceView>,
    values: std::collections::HashMap<String, String>,
    error: Option<&AppError>,
) -> HttpResponse {
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
        None => (Default::default(), None),
    };
    let status = error.map_or(StatusCode::OK, reply::status_of);
    let page = ResourceFormPage {
        chrome,
        csrf,
        dataset,
        resource,
        values,
        errors,
        notice,
        saved: false,
    };
    reply::no_store(reply::page_with_status(chrome, &page, status))
}

/// `POST /dataset/{name}/resource/new` (multipart).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    limits: web::Data<HttpLimits>,
    name: web::Path<String>,
    body: web::Payload,
) -> HttpResponse {
    let name = name.into_inner();
    save(req, chrome, caller, session, ctx, limits, body, name, None).await
}

/// `POST /dataset/{name}/resource/{id}/edit` (multipart).
#[allow(clippy::too_many_arguments)]
pub async fn update(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    limits: web::Data<HttpLimits>,
    path: web::Path<(String, String)>,
    body: web::Payload,
) -> HttpResponse {
    let (name, id) = path.into_inner();
    save(
        req,
        chrome,
        caller,
        session,
        ctx,
        limits,
        body,
        name,
        Some(id),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn save(
    req: HttpRequest,
    chrome: Chrome,
    caller: Caller,
    session: Session,
    ctx: web::Data<AppContext>,
    limits: web::Data<HttpLimits>,
    body: web::Payload,
    name: String,
    editing: Option<String>,
) -> HttpResponse {
    // Nobody's body is read before we know there is a logged-in user behind it.
    let actor = match caller.0 {
        Ok(actor) if chrome.user.is_some() && actor.is_authenticated() => actor,
        Ok(_) => return reply::to_login(&format!("/dataset/{name}")),
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let input = match payload::read(&req, body, &ctx, &limits, true).await {
        Ok(input) => input,
        Err(e) => return reply::error_page_in(&chrome, &e),
    };
    let token = input.dict.get(CSRF_FIELD).and_then(Value::as_str);
    if let Err(e) = check_csrf(&session, token) {
        // `input.upload` is dropped here, and its staged file with it.
        return reply::error_page_in(&chrome, &e);
    }
    let values: std::collections::HashMap<String, String> = TEXT_FIELDS
        .iter()
        .filter_map(|f| {
            let v = input.dict.get(*f)?.as_str()?.trim().to_owned();
            Some(((*f).to_owned(), v))
        })
        .collect();
    let mut dict = Dict::new();
    for (field, value) in &values {
        // An empty link keeps what the resource has (a file, or its link).
        if field == "url" && value.is_empty() {
            continue;
        }
        dict.insert(field.clone(), json!(value));
    }
    let upload = input.upload;
    let (shown_name, shown_id) = (name.clone(), editing.clone());
    let saved = blocking(&ctx, Caller(Ok(actor)), move |ctx, actor| {
        let (dataset, resource) = match &shown_id {
            Some(id) => {
                let (dataset, resource) = editable_resource(ctx, &actor, &shown_name, id)?;
                (dataset, Some(resource))
            }
            None => (editable(ctx, &actor, &shown_name)?, None),
        };
        let action = match &resource {
            Some(resource) => {
                dict.insert("id".into(), json!(resource.id));
                "resource_patch"
            }
            None => {
                dict.insert("package_id".into(), json!(dataset.id));
                "resource_create"
            }
        };
        let result = actions::call_value(ctx, &actor, action, &dict, upload).and_then(|v| {
            v.get("id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("{action} gave no id")))
        });
        Ok((dataset, resource, result))
    })
    .await;
    match saved {
        Ok((dataset, _, Ok(id))) => see_other(&format!(
            "/dataset/{}/resource/{id}/edit?saved=1",
            dataset.name
        )),
        Ok((dataset, resource, Err(e @ AppError::Validation(_)))) => {
            form_reply(&chrome, &session, dataset, resource, values, Some(&e))
        }
        Ok((_, _, Err(e))) | Err(e) => reply::error_page_in(&chrome, &e),
    }
}
