//! actix-web only: routes, request extraction, CKAN's envelope, file downloads.

mod api;
mod auth;
mod download;
mod errors;
mod payload;

use actix_web::web;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/3/action/{name}", web::route().to(api::action))
        .route("/api/action/{name}", web::route().to(api::action))
        .route(
            "/dataset/{dataset}/resource/{resource}/download",
            web::get().to(download::resource_file),
        )
        .route(
            "/dataset/{dataset}/resource/{resource}/download/{file_name}",
            web::get().to(download::resource_file),
        );
}
