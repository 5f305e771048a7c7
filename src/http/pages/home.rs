//! `/`: the home page. A search box, the catalogue's counts, the 12 national themes, the
//! departments, the newest and the most downloaded datasets. One `package_search` (newest
//! datasets, with theme and organisation counts as facets), `group_list`, `organization_list`
//! and `package_popular`: the same actions the API offers.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::cards::DatasetCard;
use super::chrome::Chrome;
use super::listing::SearchResults;
use super::{blocking, reply};
use crate::catalog::downloads::PopularDataset;
use crate::catalog::{actions, AppContext, Dict};
use crate::http::auth::Caller;

/// A theme or an organisation as the lists of the pages read it (`group_list` /
/// `organization_list` with `all_fields`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct OwnerItem {
    /// URL name.
    pub name: String,
    /// Vietnamese title.
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// Description.
    pub description: String,
    /// Public datasets.
    pub package_count: u64,
}

/// A theme or organisation shown in a list.
pub struct OwnerLink {
    /// URL name.
    pub name: String,
    /// Title in the page's language.
    pub title: String,
    /// Public datasets.
    pub count: u64,
}

impl OwnerLink {
    /// The link of a listed owner.
    pub fn of(chrome: &Chrome, item: &OwnerItem) -> OwnerLink {
        OwnerLink {
            name: item.name.clone(),
            title: chrome
                .pick(&item.title, item.title_en.as_deref().unwrap_or(""))
                .to_owned(),
            count: item.package_count,
        }
    }
}

/// The home page.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Public datasets.
    pub dataset_count: u64,
    /// The national themes.
    pub themes: Vec<OwnerLink>,
    /// Organisations with public datasets, most datasets first.
    pub organizations: Vec<OwnerLink>,
    /// Every organisation.
    pub organization_count: usize,
    /// The newest datasets.
    pub newest: Vec<DatasetCard>,
    /// The most downloaded: (name, title, downloads).
    pub popular: Vec<(String, String, i64)>,
}

struct HomeData {
    search: SearchResults,
    themes: Vec<OwnerItem>,
    organizations: Vec<OwnerItem>,
    popular: Vec<PopularDataset>,
}

/// `GET /`.
pub async fn home_page(chrome: Chrome, caller: Caller, ctx: web::Data<AppContext>) -> HttpResponse {
    let data = blocking(&ctx, caller, |ctx, actor| {
        let mut newest = Dict::new();
        newest.insert("rows".into(), json!(6));
        newest.insert("sort".into(), json!("metadata_created desc"));
        let mut all = Dict::new();
        all.insert("all_fields".into(), json!(true));
        let mut popular = Dict::new();
        popular.insert("limit".into(), json!(6));
        Ok(HomeData {
            search: actions::call_as(ctx, &actor, "package_search", &newest)?,
            themes: actions::call_as(ctx, &actor, "group_list", &all)?,
            organizations: actions::call_as(ctx, &actor, "organization_list", &all)?,
            popular: actions::call_as(ctx, &actor, "package_popular", &popular)?,
        })
    })
    .await;
    let data = match data {
        Ok(data) => data,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let mut organizations: Vec<&OwnerItem> = data.organizations.iter().collect();
    organizations.sort_by_key(|o| std::cmp::Reverse(o.package_count));
    let page = HomePage {
        chrome: &chrome,
        dataset_count: data.search.count,
        themes: theme_links(&chrome, &data.themes),
        organization_count: data.organizations.len(),
        organizations: organizations
            .into_iter()
            .filter(|o| o.package_count > 0)
            .take(8)
            .map(|o| OwnerLink::of(&chrome, o))
            .collect(),
        newest: data
            .search
            .results
            .iter()
            .map(|hit| DatasetCard::of(&chrome, &hit.dataset, String::new()))
            .collect(),
        popular: data
            .popular
            .into_iter()
            .map(|p| {
                let title = chrome.pick(&p.title, &p.title_en).to_owned();
                (p.name, title, p.downloads)
            })
            .collect(),
    };
    reply::page(&chrome, &page)
}

/// The themes in the national order (`vocab::NATIONAL_THEMES`), others after.
pub fn theme_links(chrome: &Chrome, themes: &[OwnerItem]) -> Vec<OwnerLink> {
    let rank = |name: &str| {
        crate::catalog::vocab::NATIONAL_THEMES
            .iter()
            .position(|(slug, _, _)| *slug == name)
            .unwrap_or(usize::MAX)
    };
    let mut sorted: Vec<&OwnerItem> = themes.iter().collect();
    sorted.sort_by_key(|t| rank(&t.name));
    sorted.into_iter().map(|t| OwnerLink::of(chrome, t)).collect()
}

impl HomePage<'_> {
    /// The icon of a national theme (an inline SVG symbol id), by its slug.
    pub fn icon(&self, theme: &str) -> &'static str {
        theme_icon(theme)
    }
}

/// The icon symbol of a theme (`web/static/icons/themes.svg`).
pub fn theme_icon(theme: &str) -> &'static str {
    match theme {
        "nong-nghiep" => "sprout",
        "kinh-te-thuong-mai" => "store",
        "giao-duc" => "graduation-cap",
        "y-te" => "heart-pulse",
        "lao-dong" => "briefcase",
        "moi-truong" => "trees",
        "tai-chinh" => "landmark",
        "nang-luong" => "zap",
        "co-so-ha-tang" => "construction",
        "xa-hoi" => "users",
        "cong-nghe" => "cpu",
        "dia-phuong" => "map-pin",
        _ => "folder",
    }
}
