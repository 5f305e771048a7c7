//! The web pages (Vietnamese first, English second): they call the same actions as the API and
//! render the same typed views, at CKAN's URLs so links into the CKAN portals provinces run
//! today keep working. Everything works without JavaScript; `portal.js` only adds search-box
//! suggestions and table sorting.
//!
//! An error becomes a page with the same code and words as under `/api`, never JSON.

mod account;
mod admin_roles;
mod admin_users;
mod assets;
mod cards;
mod catalogue;
mod chrome;
mod dataset;
mod history;
mod home;
mod info;
mod lifecycle;
mod listing;
mod login;
mod org_forms;
mod org_members;
mod owners;
mod privacy;
mod publish;
mod reply;
mod resource;
mod resource_form;
mod search;
mod sitemap;
mod texts;

pub use chrome::Chrome;
pub use reply::{error_page, error_page_in};
pub use texts::set_province;

use actix_web::web;

use crate::catalog::{Actor, AppContext};
use crate::error::{AppError, AppResult};
use crate::http::auth::Caller;

/// Registers the pages' routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", page().to(home::home_page))
        .route("/dataset", page().to(search::search_page))
        .route("/dataset/", page().to(search::search_page))
        .route("/dataset/new", page().to(publish::new_page))
        .route("/dataset/new", web::post().to(publish::create))
        .route("/dataset/edit/{name}", page().to(publish::edit_page))
        .route("/dataset/edit/{name}", web::post().to(publish::update))
        .route("/dataset/{name}", page().to(dataset::dataset_page))
        .route("/dataset/{name}/privacy", page().to(privacy::review_page))
        .route("/dataset/{name}/privacy", web::post().to(privacy::confirm))
        // Staff pages of a dataset (issue 10); `resource/new` before `resource/{id}`.
        .route("/dataset/activity/{name}", page().to(history::history_page))
        .route(
            "/dataset/delete/{name}",
            page().to(lifecycle::delete_dataset_page),
        )
        .route(
            "/dataset/delete/{name}",
            web::post().to(lifecycle::delete_dataset),
        )
        .route(
            "/dataset/{name}/state",
            web::post().to(lifecycle::change_state),
        )
        .route(
            "/dataset/{name}/resource/new",
            page().to(resource_form::new_page),
        )
        .route(
            "/dataset/{name}/resource/new",
            web::post().to(resource_form::create),
        )
        .route(
            "/dataset/{name}/resource/{id}/edit",
            page().to(resource_form::edit_page),
        )
        .route(
            "/dataset/{name}/resource/{id}/edit",
            web::post().to(resource_form::update),
        )
        .route(
            "/dataset/{name}/resource/{id}/delete",
            page().to(lifecycle::delete_resource_page),
        )
        .route(
            "/dataset/{name}/resource/{id}/delete",
            web::post().to(lifecycle::delete_resource),
        )
        .route(
            "/dataset/{name}/resource/{id}/move",
            web::post().to(lifecycle::move_resource),
        )
        .route(
            "/dataset/{name}/resource/{id}",
            page().to(resource::resource_page),
        )
        .route("/organization", page().to(owners::organization_list_page))
        .route("/organization/new", page().to(org_forms::new_page))
        .route("/organization/new", web::post().to(org_forms::create))
        .route("/organization/{name}", page().to(owners::organization_page))
        .route("/group", page().to(owners::group_list_page))
        .route("/group/{name}", page().to(owners::group_page))
        .route("/about", page().to(info::about_page))
        .route("/terms", page().to(info::terms_page))
        .route("/api", page().to(info::api_page))
        .route("/sitemap.xml", page().to(sitemap::sitemap_index))
        .route("/sitemap-pages.xml", page().to(sitemap::sitemap_pages))
        .route(
            "/sitemap-datasets-{n}",
            page().to(sitemap::sitemap_datasets),
        )
        .route("/robots.txt", page().to(sitemap::robots))
        .route("/dashboard/datasets", page().to(publish::dashboard_page))
        .route("/user/login", page().to(login::login_page))
        .route("/user/login", web::post().to(login::login_submit))
        .route("/user/_logout", web::post().to(login::logout))
        .route("/user", page().to(admin_users::user_list_page))
        .route("/user/new", page().to(admin_users::new_user_page))
        .route("/user/new", web::post().to(admin_users::new_user_submit))
        .route("/user/reset/{token}", page().to(admin_users::reset_page))
        .route(
            "/user/reset/{token}",
            web::post().to(admin_users::reset_submit),
        )
        .route(
            "/user/{name}/reset",
            web::post().to(admin_users::reset_create),
        )
        .route("/user/{name}/disable", web::post().to(admin_users::disable))
        .route("/user/{name}/enable", web::post().to(admin_users::enable))
        .route(
            "/user/{name}/role",
            web::post().to(admin_roles::change_role),
        )
        .route("/user/me", page().to(account::account_page))
        .route(
            "/user/me/password",
            web::post().to(account::change_password),
        )
        .route("/user/me/tokens", web::post().to(account::create_token))
        .route(
            "/user/me/tokens/revoke",
            web::post().to(account::revoke_token),
        )
        .route(
            "/user/me/logout-everywhere",
            web::post().to(login::logout_everywhere),
        )
        .route("/organization/edit/{name}", page().to(org_forms::edit_page))
        .route(
            "/organization/edit/{name}",
            web::post().to(org_forms::update),
        )
        .route(
            "/organization/delete/{name}",
            page().to(org_forms::delete_page),
        )
        .route(
            "/organization/delete/{name}",
            web::post().to(org_forms::delete),
        )
        .route(
            "/organization/members/{name}",
            page().to(org_members::members_page),
        )
        .route(
            "/organization/member_new/{name}",
            web::post().to(org_members::member_add),
        )
        .route(
            "/organization/member_delete/{name}",
            page().to(org_members::remove_page),
        )
        .route(
            "/organization/member_delete/{name}",
            web::post().to(org_members::member_remove),
        )
        .route("/static/{file}", page().to(assets::static_file))
        // The open-data catalogue's public pages and exports (issue 12).
        .configure(catalogue::routes);
}

/// A page route: GET, and HEAD for link checkers and uptime monitors (actix sends the
/// headers without the body).
fn page() -> actix_web::Route {
    web::route().guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
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
