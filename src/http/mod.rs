//! actix-web only: routes, request extraction, errors as replies, file downloads. `api/` is
//! the CKAN Action API; `pages/` the web pages; both call the same actions.

mod api;
mod auth;
mod body_timeout;
mod dcat;
mod download;
mod errors;
mod limits;
mod login_limit;
pub mod pages;
mod rate_limit;
mod request_log;
pub mod session;

pub use limits::HttpLimits;
pub use login_limit::LoginRateLimit;
pub use rate_limit::ApiRateLimit;
pub use request_log::log_request;

use actix_web::web;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/openapi.json",
        web::get().to(api::openapi::openapi_json),
    )
    .route("/api/docs", web::get().to(api::openapi::docs_page))
    .route("/api/3/action/{name}", web::route().to(api::action))
    .route("/api/action/{name}", web::route().to(api::action))
    .route(
        "/dataset/{dataset}/resource/{resource}/download",
        web::route().guard(readable()).to(download::resource_file),
    )
    .route(
        "/dataset/{dataset}/resource/{resource}/download/{file_name}",
        web::route().guard(readable()).to(download::resource_file),
    )
    .route(
        "/dataset/{dataset}/resource/{resource}/file/{file}",
        web::route()
            .guard(readable())
            .to(download::resource_file_version),
    )
    .configure(dcat::routes)
    .route(
        "/catalogue/version/{version}/decision",
        web::route()
            .guard(readable())
            .to(download::catalogue_decision),
    )
    .configure(pages::routes)
    .default_service(web::to(not_found));
}

fn readable() -> impl actix_web::guard::Guard {
    actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head())
}

/// Unknown paths: CKAN's JSON error under `/api`, the 404 page everywhere else.
async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let error =
        crate::error::AppError::new(crate::error::ErrorCode::PageNotFound).arg("path", req.path());
    if req.path().starts_with("/api/") {
        errors::error_reply(&req, &error, None)
    } else {
        pages::error_page(&req, &error)
    }
}
