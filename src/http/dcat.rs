//! The catalogue as DCAT-AP 3.0.1 over HTTP: `/catalog.{rdf,xml,ttl,jsonld}` (a page of 100
//! with hydra paging through `dcat_catalog_show`; `page=all` streams the whole catalogue),
//! `/dataset/{name}.{rdf,ttl,jsonld}` (`dcat_dataset_show`), and `/dataset/{name}` itself
//! when the `Accept` header prefers RDF to HTML. Errors are the pages' error pages.

use std::io::{self, Write};

use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use dataportal_harvesters::dcat::Format;
use serde_json::Value;
use tokio::sync::mpsc;

use super::auth::Caller;
use super::pages::{blocking, error_page};
use crate::catalog::{actions, dcat, AppContext, Dict};

/// Bytes handed to the connection at once while streaming the whole catalogue.
const CHUNK: usize = 64 * 1024;

/// Chunks waiting for a slow client: the export pauses rather than pile them up.
const CHUNKS_WAITING: usize = 4;

/// Registers the routes (before the pages': `/dataset/{name}` would take `name.rdf`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/catalog.{ext:rdf|xml|ttl|jsonld}", readable().to(catalog))
        .route(
            "/dataset/{name:[A-Za-z0-9_-]+}.{ext:rdf|xml|ttl|jsonld}",
            readable().to(dataset),
        )
        .route(
            "/dataset/{name:[A-Za-z0-9_-]+}",
            readable().guard(PrefersRdf).to(dataset_negotiated),
        );
}

fn readable() -> actix_web::Route {
    web::route().guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
}

/// The query string as a data dict, with the format of the extension.
fn dict_of(query: &[(String, String)], format: Format) -> Dict {
    let mut dict: Dict = query
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    dict.insert("format".into(), Value::String(format.extension().into()));
    dict
}

fn reply(format: Format, body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            format!("{}; charset=utf-8", format.media_type()),
        ))
        .insert_header((header::VARY, "Accept"))
        .body(body)
}

/// `GET /catalog.{ext}?page=&modified_since=&q=&fq=`.
pub async fn catalog(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
    ext: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let format = Format::from_extension(&ext).unwrap_or(Format::RdfXml);
    let dict = dict_of(&query, format);
    if dict.get("page").and_then(Value::as_str) == Some("all") {
        return match dcat::export_request(&dict) {
            Ok((format, since)) => stream_all(ctx, format, since),
            Err(error) => error_page(&req, &error),
        };
    }
    let document = blocking(&ctx, caller, move |ctx, actor| {
        actions::call_as::<String>(ctx, &actor, "dcat_catalog_show", &dict)
    })
    .await;
    match document {
        Ok(document) => reply(format, document),
        Err(error) => error_page(&req, &error),
    }
}

/// The whole catalogue, written by a blocking task into a bounded channel of chunks.
fn stream_all(
    ctx: web::Data<AppContext>,
    format: Format,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> HttpResponse {
    let (sender, mut receiver) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_WAITING);
    let ctx = ctx.into_inner();
    tokio::task::spawn_blocking(move || {
        let out = ChunkSender {
            buffer: Vec::with_capacity(CHUNK),
            sender,
        };
        if let Err(error) = dcat::export(&ctx, format, since, out) {
            // Headers are gone already: the client sees a cut document; the cause is logged.
            tracing::warn!(error = %error, "the DCAT export stopped");
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            format!("{}; charset=utf-8", format.media_type()),
        ))
        .streaming(body)
}

/// A `Write` that hands the connection [`CHUNK`]-sized pieces; a client gone away is an
/// error that stops the export.
struct ChunkSender {
    buffer: Vec<u8>,
    sender: mpsc::Sender<io::Result<Bytes>>,
}

impl ChunkSender {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.sender
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// `GET /dataset/{name}.{ext}`.
pub async fn dataset(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (name, ext) = path.into_inner();
    let format = Format::from_extension(&ext).unwrap_or(Format::RdfXml);
    show_dataset(req, caller, ctx, name, format).await
}

/// `GET /dataset/{name}` with an `Accept` header that prefers RDF.
pub async fn dataset_negotiated(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    let format = preferred_rdf(req.headers()).unwrap_or(Format::RdfXml);
    show_dataset(req, caller, ctx, name.into_inner(), format).await
}

async fn show_dataset(
    req: HttpRequest,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: String,
    format: Format,
) -> HttpResponse {
    let mut dict = Dict::new();
    dict.insert("id".into(), Value::String(name));
    dict.insert("format".into(), Value::String(format.extension().into()));
    let document = blocking(&ctx, caller, move |ctx, actor| {
        actions::call_as::<String>(ctx, &actor, "dcat_dataset_show", &dict)
    })
    .await;
    match document {
        Ok(document) => reply(format, document),
        Err(error) => error_page(&req, &error),
    }
}

/// The RDF syntax the `Accept` header prefers to HTML, if any: the highest `q` among
/// `text/turtle`, `application/rdf+xml` and `application/ld+json`, when higher than the
/// `q` of `text/html` (browsers' `*/*` and `application/xml` never count as asking for RDF).
fn preferred_rdf(headers: &header::HeaderMap) -> Option<Format> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?;
    let mut best: Option<(f32, Format)> = None;
    let mut html = 0.0f32;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let format = match media.as_str() {
            "text/turtle" => Some(Format::Turtle),
            "application/rdf+xml" => Some(Format::RdfXml),
            "application/ld+json" => Some(Format::JsonLd),
            "text/html" | "application/xhtml+xml" => {
                html = html.max(q);
                None
            }
            _ => None,
        };
        if let Some(format) = format {
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, format));
            }
        }
    }
    best.filter(|(q, _)| *q > html).map(|(_, f)| f)
}

/// Matches requests whose `Accept` header prefers an RDF syntax to HTML.
struct PrefersRdf;

impl Guard for PrefersRdf {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        preferred_rdf(ctx.head().headers()).is_some()
    }
}
