//! The web pages (Vietnamese first, English second): they call the same actions as the API and
//! render the same typed views, at CKAN's URLs so links into the CKAN portals provinces run
//! today keep working. Everything works without JavaScript; `portal.js` only adds search-box
//! suggestions and table sorting.
//!
//! An error becomes a page with the same code and words as under `/api`, never JSON.

mod assets;
mod cards;
mod chrome;
mod home;
mod info;
mod listing;
mod owners;
mod reply;
mod resource;
mod search;
mod sitemap;
mod texts;

pub use chrome::Chrome;
pub use reply::{error_page, error_page_in};

use actix_web::web;

use crate::catalog::{Actor, AppContext};
use crate::error::{AppError, AppResult};
use crate::http::auth::Caller;

/// Registers the pages' routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home_page))
        .route("/dataset", web::get().to(search::search_page))
        .route("/dataset/", web::get().to(search::search_page))
        .route(
            "/dataset/{name}/resource/{id}",
            web::get().to(resource::resource_page),
        )
        .route(
            "/organization",
            web::get().to(owners::organization_list_page),
        )
        .route(
            "/organization/{name}",
            web::get().to(owners::organization_page),
        )
        .route("/group", web::get().to(owners::group_list_page))
        .route("/group/{name}", web::get().to(owners::group_page))
        .route("/about", web::get().to(info::about_page))
        .route("/terms", web::get().to(info::terms_page))
        .route("/api", web::get().to(info::api_page))
        .route("/sitemap.xml", web::get().to(sitemap::sitemap))
        .route("/robots.txt", web::get().to(sitemap::robots))
        .route("/static/{file}", web::get().to(assets::static_file));
}

/// Runs `work` with the caller's actor off the async threads (the actions block on the
/// database): the pages' way through the one door.
pub async fn blocking<T, F>(ctx: &web::Data<AppContext>, caller: Caller, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppContext, Actor) -> AppResult<T> + Send + 'static,
{
    let actor = caller.0?;
    let ctx = ctx.clone();
    web::block(move || work(&ctx, actor))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("page worker thread: {e}")))?
}
