//! Reading an action's data dict from a request: query string, JSON body, form body (CKAN
//! also takes a JSON document sent as a form, as `curl -d '{...}'` does), or multipart with an
//! uploaded file in the field `upload`, streamed to storage.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;
use serde_json::Value;

use crate::catalog::{AppContext, Dict};
use crate::error::{AppError, AppResult, ErrorCode, Forbidden, Oversize};
use crate::http::body_timeout::{BodyPolicy, TimedBody};
use crate::http::HttpLimits;
use crate::storage::{too_large, StagedFile};

/// The request body, under the time limits of its kind.
type Body = TimedBody<web::Payload>;

/// Largest text field accepted inside a multipart body.
const MULTIPART_FIELD_BYTES: usize = 1024 * 1024;

/// The data dict and the uploaded file of an action call.
pub struct ActionInput {
    /// Parameters.
    pub dict: Dict,
    /// The uploaded file, if any.
    pub upload: Option<StagedFile>,
}

/// Adds `key=value` pairs; a repeated key becomes a list, as CKAN reads repeated parameters.
fn insert_pair(dict: &mut Dict, key: String, value: String) {
    match dict.get_mut(&key) {
        Some(Value::Array(items)) => items.push(Value::String(value)),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, Value::String(value)]);
        }
        None => {
            dict.insert(key, Value::String(value));
        }
    }
}

fn form_pairs(dict: &mut Dict, encoded: &[u8]) {
    for (key, value) in url::form_urlencoded::parse(encoded) {
        insert_pair(dict, key.into_owned(), value.into_owned());
    }
}

fn json_object(body: &[u8]) -> AppResult<Dict> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AppError::new(ErrorCode::BodyNotObject)),
        Err(e) => Err(AppError::new(ErrorCode::MalformedJson).arg("detail", e.to_string())),
    }
}

async fn read_body(mut payload: Body, limit: usize) -> AppResult<web::BytesMut> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| AppError::new(ErrorCode::BodyUnreadable).arg("detail", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::new(ErrorCode::PayloadTooLarge)
                .arg("what", Oversize::Body)
                .arg("limit", limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads the action's input. `allow_upload` is false for actions without files and for
/// anonymous callers, whose uploads are refused before a byte is stored.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    ctx: &AppContext,
    limits: &HttpLimits,
    allow_upload: bool,
) -> AppResult<ActionInput> {
    let mut dict = Dict::new();
    form_pairs(&mut dict, req.query_string().as_bytes());
    if req.method() == actix_web::http::Method::GET {
        return Ok(ActionInput { dict, upload: None });
    }
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let multipart = content_type.starts_with("multipart/form-data");
    let policy = if multipart && allow_upload {
        BodyPolicy::for_upload(limits)
    } else {
        BodyPolicy::for_body(limits)
    };
    let (body, expired) = TimedBody::new(payload, policy);
    let read = if multipart {
        read_multipart(req, body, ctx, dict, limits.body_limit_bytes, allow_upload).await
    } else {
        read_plain(body, &content_type, dict, limits.body_limit_bytes).await
    };
    // The multipart parser and the file store word stream errors their own way; a body cut
    // off by a time limit is answered 408 whichever reader noticed (unless it was already
    // refused as too large, and only the reading of its rest timed out).
    match (read, expired.get()) {
        (Err(error), Some(expiry)) if error.code() != ErrorCode::PayloadTooLarge => {
            Err(expiry.error())
        }
        (read, _) => read,
    }
}

/// A JSON body, a form body, or a JSON document sent as a form.
async fn read_plain(
    payload: Body,
    content_type: &str,
    mut dict: Dict,
    body_limit: usize,
) -> AppResult<ActionInput> {
    let body = read_body(payload, body_limit).await?;
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Ok(ActionInput { dict, upload: None });
    }
    if content_type.starts_with("application/x-www-form-urlencoded") && trimmed[0] != b'{' {
        form_pairs(&mut dict, &body);
    } else {
        dict.extend(json_object(&body)?);
    }
    Ok(ActionInput { dict, upload: None })
}

async fn read_multipart(
    req: &HttpRequest,
    payload: Body,
    ctx: &AppContext,
    mut dict: Dict,
    body_limit: usize,
    allow_upload: bool,
) -> AppResult<ActionInput> {
    let declared: Option<u64> = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    // Refuse at once when the declared size is clearly over the limit (1 MiB for the fields).
    if declared.is_some_and(|n| n > ctx.files.max_upload_bytes() + MULTIPART_FIELD_BYTES as u64) {
        return Err(too_large(ctx.files.max_upload_bytes()));
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut upload = None;
    let mut text_bytes = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed_multipart)?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        if let Some(file_name) = file_name.filter(|f| !f.is_empty()) {
            if name != "upload" {
                return Err(AppError::new(ErrorCode::UnexpectedFile).arg("field", name));
            }
            if !allow_upload {
                return Err(AppError::forbidden(Forbidden::UploadHere));
            }
            upload = Some(ctx.files.stage(&file_name, &mut field).await?);
            continue;
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed_multipart)?;
            text_bytes += chunk.len();
            if value.len() + chunk.len() > MULTIPART_FIELD_BYTES || text_bytes > body_limit {
                return Err(AppError::new(ErrorCode::PayloadTooLarge)
                    .arg("what", Oversize::Field)
                    .arg("field", name));
            }
            value.extend_from_slice(&chunk);
        }
        if name == "upload" && value.is_empty() {
            continue;
        }
        let text = String::from_utf8(value)
            .map_err(|_| AppError::new(ErrorCode::NotUtf8).arg("field", &name))?;
        insert_pair(&mut dict, name, text);
    }
    Ok(ActionInput { dict, upload })
}

fn malformed_multipart(error: actix_multipart::MultipartError) -> AppError {
    AppError::new(ErrorCode::MalformedMultipart).arg("detail", error.to_string())
}
