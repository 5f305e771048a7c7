//! `/dataset/{name}/resource/{id}`: one file or link of a dataset — what it is, a big download
//! button, then a preview of the stored file (`crate::preview`). The dataset comes from
//! `package_show` and the stored file from `resource_download`, so the page shows exactly what
//! the API and the download URL let the caller see. Links get no preview: the server never
//! fetches remote URLs.

use actix_web::{web, HttpResponse};
use askama::Template;
use fluent_bundle::FluentValue;
use serde_json::json;

use super::cards;
use super::chrome::Chrome;
use super::{blocking, reply};
use crate::catalog::datasets::resources::resource_download;
use crate::catalog::datasets::view::{DatasetView, ResourceView};
use crate::catalog::{actions, AppContext, Dict};
use crate::enums::UrlType;
use crate::error::{AppError, ErrorCode, Lang};
use crate::http::auth::Caller;
use crate::preview::{self, Language, Limits, Preview, Reason};

/// The resource page.
#[derive(Template)]
#[template(path = "resource.html")]
pub struct ResourcePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The dataset's URL name.
    pub dataset_name: String,
    /// The dataset's title in the page's language.
    pub dataset_title: String,
    /// True when only members may see the dataset.
    pub private: bool,
    /// The resource's id.
    pub id: String,
    /// Its name (the file name or a stand-in when it has none).
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its format label, upper case.
    pub format: String,
    /// Its size as people read it, when known.
    pub size: Option<String>,
    /// Its last change in the page's language, and as `YYYY-MM-DD`.
    pub modified: Option<(String, String)>,
    /// The download URL of an upload, or the link.
    pub url: String,
    /// True for an uploaded file.
    pub is_upload: bool,
    /// True when the link may be offered as one (http, https or ftp).
    pub safe_link: bool,
    /// What the page shows of the file.
    pub preview: Preview,
}

/// `GET /dataset/{name}/resource/{id}`.
pub async fn resource_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (dataset_id, resource_id) = path.into_inner();
    let data = blocking(&ctx, caller, move |ctx, actor| {
        let mut show = Dict::new();
        show.insert("id".into(), json!(dataset_id));
        let dataset: DatasetView = actions::call_as(ctx, &actor, "package_show", &show)?;
        let resource = dataset
            .resources
            .iter()
            .find(|r| r.id == resource_id)
            .cloned()
            .ok_or_else(|| AppError::not_found(ErrorCode::ResourceNotFound, &resource_id))?;
        let preview = if resource.url_type == UrlType::Upload {
            // The download's own rules find the file (or say there is none to see).
            match resource_download(ctx, &actor, &dataset.id, &resource.id) {
                Ok(file) => preview::preview(
                    &file.path,
                    &resource.format,
                    &file.mimetype,
                    &Limits::default(),
                ),
                // An upload without a stored file (an import that brought only its name).
                Err(error) if error.is_not_found() => Preview::None(Reason::Unreadable),
                Err(error) => return Err(error),
            }
        } else {
            Preview::None(Reason::Link)
        };
        Ok((dataset, resource, preview))
    })
    .await;
    match data {
        Ok((dataset, resource, preview)) => {
            let page = ResourcePage::of(&chrome, &dataset, resource, preview);
            reply::page(&chrome, &page)
        }
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

impl<'a> ResourcePage<'a> {
    fn of(
        chrome: &'a Chrome,
        dataset: &DatasetView,
        resource: ResourceView,
        preview: Preview,
    ) -> ResourcePage<'a> {
        let is_upload = resource.url_type == UrlType::Upload;
        let name = if resource.name.trim().is_empty() {
            chrome.t("resource-fallback-name").to_owned()
        } else {
            resource.name
        };
        let safe_link = is_upload
            || url::Url::parse(&resource.url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "ftp"));
        ResourcePage {
            chrome,
            dataset_name: dataset.name.clone(),
            dataset_title: chrome.pick(&dataset.title, &dataset.title_en).to_owned(),
            private: dataset.private,
            id: resource.id,
            name,
            description: resource.description,
            format: resource.format.trim().to_uppercase(),
            size: resource.size.map(|bytes| cards::size(chrome.lang, bytes)),
            modified: resource
                .last_modified
                .as_deref()
                .or(Some(resource.metadata_modified.as_str()))
                .filter(|d| !d.is_empty())
                .map(|d| (cards::date(chrome.lang, d), d.chars().take(10).collect())),
            url: resource.url,
            is_upload,
            safe_link,
            preview,
        }
    }

    /// The file's URL for showing it inside the page (an image, a PDF): served inline and not
    /// counted as a download.
    pub fn inline_url(&self) -> String {
        format!("{}?inline=1", self.url)
    }

    /// The table's cell class of a column: numbers are right-aligned.
    pub fn align(&self, column: impl std::borrow::Borrow<usize>) -> &'static str {
        match &self.preview {
            Preview::Table(t) if t.right_aligned.get(*column.borrow()) == Some(&true) => "num",
            _ => "",
        }
    }

    /// The caption of the table preview.
    pub fn table_caption(&self) -> String {
        let Preview::Table(table) = &self.preview else {
            return String::new();
        };
        let id = if table.truncated {
            "preview-caption-some"
        } else {
            "preview-caption-all"
        };
        self.chrome.tn(id, table.rows.len() as u64)
    }

    /// The names of a workbook's sheets after the one shown.
    pub fn other_sheets(&self) -> String {
        match &self.preview {
            Preview::Table(t) => t
                .sheets
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }

    /// How a CSV was read: its encoding and delimiter.
    pub fn table_reading(&self) -> String {
        let Preview::Table(table) = &self.preview else {
            return String::new();
        };
        let mut parts = Vec::new();
        if let Some(encoding) = table.encoding {
            parts.push(self.chrome.t1("preview-encoding", "encoding", encoding));
        }
        let delimiter = match table.delimiter {
            Some(',') => Some("preview-delimiter-comma"),
            Some(';') => Some("preview-delimiter-semicolon"),
            Some('\t') => Some("preview-delimiter-tab"),
            Some('|') => Some("preview-delimiter-pipe"),
            _ => None,
        };
        parts.extend(delimiter.map(|id| self.chrome.t(id).to_owned()));
        parts.join(" · ")
    }

    /// The message saying why there is no preview.
    pub fn no_preview(&self, reason: &Reason) -> String {
        match reason {
            Reason::TooLarge { limit } => self.chrome.t1(
                reason.message_id(),
                "size",
                cards::size(self.chrome.lang, i64::try_from(*limit).unwrap_or(i64::MAX)),
            ),
            _ => self.chrome.t(reason.message_id()).to_owned(),
        }
    }

    /// A map's extent in degrees, as the reader writes numbers; empty when the coordinates are
    /// not longitude and latitude.
    pub fn map_extent(&self) -> String {
        let Preview::Map(map) = &self.preview else {
            return String::new();
        };
        if !map.geographic {
            return String::new();
        }
        let number = |v: f64| {
            let text = format!("{v:.4}");
            FluentValue::from(match self.chrome.lang {
                Lang::Vi => text.replace('.', ","),
                Lang::En => text,
            })
        };
        let [west, south, east, north] = map.bbox;
        self.chrome.texts.with(
            "preview-map-extent",
            &[
                ("west", number(west)),
                ("east", number(east)),
                ("south", number(south)),
                ("north", number(north)),
            ],
        )
    }
}
