//! Downloads of uploaded files: streamed from disk with Range support, the stored MIME type
//! and the original file name; images and PDFs also inline, for the resource page's preview.

use actix_files::NamedFile;
use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpRequest, HttpResponse, Responder};

use super::auth::actor_of;
use crate::catalog::datasets::resources;
use crate::catalog::AppContext;
use crate::error::AppError;

/// Path parameters of a download URL (the trailing file name is cosmetic).
#[derive(serde::Deserialize)]
pub struct DownloadPath {
    dataset: String,
    resource: String,
}

/// `GET /dataset/{dataset}/resource/{resource}/download[/{file_name}]`.
pub async fn resource_file(
    req: HttpRequest,
    path: web::Path<DownloadPath>,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    match serve_file(&req, path, ctx).await {
        Ok(reply) => reply,
        Err(error) => super::pages::error_page(&req, &error),
    }
}

async fn serve_file(
    req: &HttpRequest,
    path: web::Path<DownloadPath>,
    ctx: web::Data<AppContext>,
) -> Result<HttpResponse, AppError> {
    let actor = actor_of(&ctx, req).await?;
    let path = path.into_inner();
    let lookup_cat = ctx.clone();
    let download = web::block(move || {
        resources::resource_download(&lookup_cat, &actor, &path.dataset, &path.resource)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("download lookup thread: {e}")))??;
    send(req, &ctx, download, true).await
}

/// Path parameters of a file version's URL (the history's links).
#[derive(serde::Deserialize)]
pub struct VersionPath {
    dataset: String,
    resource: String,
    file: String,
}

/// `GET /dataset/{dataset}/resource/{resource}/file/{file}`: one stored version of a
/// resource's file, current or replaced, as the dataset's history links it.
pub async fn resource_file_version(
    req: HttpRequest,
    path: web::Path<VersionPath>,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let served = async {
        let actor = actor_of(&ctx, &req).await?;
        let path = path.into_inner();
        let lookup = ctx.clone();
        let download = web::block(move || {
            resources::files::file_download(
                &lookup,
                &actor,
                &path.dataset,
                &path.resource,
                &path.file,
            )
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("download lookup thread: {e}")))??;
        // An old version is not counted as a download of the resource.
        send(&req, &ctx, download, false).await
    };
    match served.await {
        Ok(reply) => reply,
        Err(error) => super::pages::error_page(&req, &error),
    }
}

/// Sends a stored file; `counted` when it is the resource's current download.
async fn send(
    req: &HttpRequest,
    ctx: &web::Data<AppContext>,
    download: resources::Download,
    counted: bool,
) -> Result<HttpResponse, AppError> {
    let mime: mime_guess::mime::Mime = download
        .mimetype
        .parse()
        .unwrap_or(mime_guess::mime::APPLICATION_OCTET_STREAM);
    let file = NamedFile::open_async(&download.path).await.map_err(|e| {
        AppError::Internal(
            anyhow::Error::new(e).context(format!("opening {}", download.path.display())),
        )
    })?;
    let inline = shown_inline(req, mime.essence_str());
    let disposition = disposition(&download.file_name, inline);
    // A download is counted once: a HEAD, or a range that resumes a download, is not another.
    let resumes = req
        .headers()
        .get(actix_web::http::header::RANGE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|range| !range.trim().starts_with("bytes=0-"));
    if counted && req.method() == actix_web::http::Method::GET && !resumes && !inline {
        ctx.downloads
            .record(&download.dataset_id, &download.resource_id);
    }
    // No charset: the portal keeps files as published and does not know their encoding.
    let mut reply = file
        .prefer_utf8(false)
        .set_content_type(mime)
        .set_content_disposition(disposition)
        .respond_to(req)
        .map_into_boxed_body();
    reply.headers_mut().insert(
        actix_web::http::header::X_CONTENT_TYPE_OPTIONS,
        actix_web::http::header::HeaderValue::from_static("nosniff"),
    );
    Ok(reply)
}

/// `Content-Disposition` for a stored file: inline or attachment, its name in ASCII and in
/// UTF-8.
fn disposition(file_name: &str, inline: bool) -> ContentDisposition {
    let ascii_name: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(ascii_name),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file_name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// `GET /catalogue/version/{version}/decision`: the signed decision of a catalogue version,
/// byte-for-byte as uploaded (`?inline=1` shows it in the browser). Decisions are public.
pub async fn catalogue_decision(
    req: HttpRequest,
    version: web::Path<String>,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let number = version.into_inner();
    let served = async {
        let Ok(number) = number.parse::<i32>() else {
            return Err(AppError::not_found(
                crate::error::ErrorCode::CatalogueVersionNotFound,
                &number,
            ));
        };
        let lookup = ctx.clone();
        let download = web::block(move || {
            crate::catalog::catalogue::versions::decision_download(&lookup, number)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("decision lookup thread: {e}")))??;
        let file = NamedFile::open_async(&download.path).await.map_err(|e| {
            AppError::Internal(
                anyhow::Error::new(e).context(format!("opening {}", download.path.display())),
            )
        })?;
        let mime: mime_guess::mime::Mime = download
            .mimetype
            .parse()
            .unwrap_or(mime_guess::mime::APPLICATION_OCTET_STREAM);
        let inline = shown_inline(&req, mime.essence_str());
        let mut reply = file
            .prefer_utf8(false)
            .set_content_type(mime)
            .set_content_disposition(disposition(&download.file_name, inline))
            .respond_to(&req)
            .map_into_boxed_body();
        reply.headers_mut().insert(
            actix_web::http::header::X_CONTENT_TYPE_OPTIONS,
            actix_web::http::header::HeaderValue::from_static("nosniff"),
        );
        Ok::<_, AppError>(reply)
    };
    match served.await {
        Ok(reply) => reply,
        Err(error) => super::pages::error_page(&req, &error),
    }
}

/// `?inline=1` asks for an image or a PDF shown inside the resource page: sent inline and not
/// counted as a download. Any other type stays an attachment, so an uploaded HTML or SVG file
/// never opens as a page of the portal.
fn shown_inline(req: &HttpRequest, mime: &str) -> bool {
    let asked = url::form_urlencoded::parse(req.query_string().as_bytes())
        .any(|(key, value)| key == "inline" && value == "1");
    asked && (crate::preview::IMAGE_TYPES.contains(&mime) || mime == "application/pdf")
}
