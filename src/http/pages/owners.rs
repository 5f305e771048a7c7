//! The organisations' and themes' pages (`/organization`, `/organization/{name}`, `/group`,
//! `/group/{name}`): the lists, and each one's datasets with the search page's filters.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::chrome::Chrome;
use super::home::{
    facet_counts, lists_without_counts, theme_icon, theme_links, OwnerItem, OwnerLink,
};
use super::listing::{PageQuery, SearchResults};
use super::search::{search_with_help, ResultsView};
use super::{blocking, reply};
use crate::catalog::{actions, AppContext, Dict};
use crate::http::auth::Caller;

/// Which kind of owner a page is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    /// A publishing organisation (CKAN's organization).
    Organization,
    /// A national theme (CKAN's group).
    Group,
}

impl OwnerKind {
    fn list_action(self) -> &'static str {
        match self {
            OwnerKind::Organization => "organization_list",
            OwnerKind::Group => "group_list",
        }
    }

    fn show_action(self) -> &'static str {
        match self {
            OwnerKind::Organization => "organization_show",
            OwnerKind::Group => "group_show",
        }
    }

    /// The URL segment and `package_search` filter.
    pub fn path(self) -> &'static str {
        match self {
            OwnerKind::Organization => "organization",
            OwnerKind::Group => "group",
        }
    }

    fn filter(self) -> &'static str {
        match self {
            OwnerKind::Organization => "organization",
            OwnerKind::Group => "groups",
        }
    }
}

/// The list of organisations or themes.
#[derive(Template)]
#[template(path = "owner_list.html")]
pub struct OwnerListPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Organisations or themes.
    pub kind: OwnerKind,
    /// The owners.
    pub owners: Vec<(OwnerLink, String)>,
    /// The visitor may create organisations (a sysadmin on the organisations' list).
    pub can_create: bool,
}

impl OwnerListPage<'_> {
    /// The icon of a theme.
    pub fn icon(&self, name: &str) -> &'static str {
        theme_icon(name)
    }
}

/// `GET /organization`.
pub async fn organization_list_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    owner_list(chrome, caller, ctx, OwnerKind::Organization).await
}

/// `GET /group`.
pub async fn group_list_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    owner_list(chrome, caller, ctx, OwnerKind::Group).await
}

async fn owner_list(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    kind: OwnerKind,
) -> HttpResponse {
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let items: Vec<OwnerItem> =
            actions::call_as(ctx, &actor, kind.list_action(), &lists_without_counts())?;
        // The counts come from the index as facets, not a count query per owner.
        let mut counts = Dict::new();
        counts.insert("rows".into(), json!(0));
        counts.insert("facet.field".into(), json!([kind.filter()]));
        counts.insert("facet.limit".into(), json!(-1));
        let search: SearchResults = actions::call_as(ctx, &actor, "package_search", &counts)?;
        let can_create = kind == OwnerKind::Organization && actor.sysadmin;
        Ok((items, search, can_create))
    })
    .await;
    let (items, search, can_create) = match found {
        Ok(found) => found,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let count = facet_counts(&search, kind.filter());
    let links = match kind {
        OwnerKind::Group => theme_links(&chrome, &items, count),
        OwnerKind::Organization => items
            .iter()
            .map(|i| OwnerLink::of(&chrome, i, count(&i.name)))
            .collect(),
    };
    let owners = links
        .into_iter()
        .map(|link| {
            let description = items
                .iter()
                .find(|i| i.name == link.name)
                .map(|i| super::cards::excerpt(&i.description, 200))
                .unwrap_or_default();
            (link, description)
        })
        .collect();
    let page = OwnerListPage {
        chrome: &chrome,
        kind,
        owners,
        can_create,
    };
    reply::page(&chrome, &page)
}

/// An organisation's or theme's page: its description and its datasets.
#[derive(Template)]
#[template(path = "owner.html")]
pub struct OwnerPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// Organisation or theme.
    pub kind: OwnerKind,
    /// Its title in the page's language.
    pub title: String,
    /// Its description.
    pub description: String,
    /// Its datasets.
    pub view: ResultsView,
    /// An organisation's contact point and what the visitor may manage of it.
    pub org: OrgExtras,
}

/// What an organisation's page adds to a theme's: its contact point (`organization_show`) and
/// links to the pages the visitor may use (members and editing for its admins, deleting for
/// sysadmins).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct OrgExtras {
    /// The organisation's URL name.
    pub name: String,
    /// Contact e-mail.
    pub contact_email: String,
    /// Contact telephone.
    pub contact_phone: String,
    /// Postal address.
    pub address: String,
    /// The visitor administers it (members, editing).
    #[serde(skip)]
    pub can_manage: bool,
    /// The visitor is a sysadmin (deleting).
    #[serde(skip)]
    pub can_delete: bool,
}

impl OrgExtras {
    /// Whether there is a contact point to show.
    pub fn has_contact(&self) -> bool {
        !(self.contact_email.is_empty() && self.contact_phone.is_empty() && self.address.is_empty())
    }
}

/// The extras of an organisation's page, for this actor.
fn org_extras(
    ctx: &AppContext,
    actor: &crate::catalog::Actor,
    shown: &serde_json::Value,
) -> OrgExtras {
    let mut extras: OrgExtras = serde_json::from_value(shown.clone()).unwrap_or_default();
    if actor.sysadmin {
        extras.can_manage = true;
        extras.can_delete = true;
    } else if actor.is_authenticated() {
        let mut wanted = Dict::new();
        wanted.insert("permission".into(), json!("manage_group"));
        let managed: Vec<serde_json::Value> =
            actions::call_as(ctx, actor, "organization_list_for_user", &wanted).unwrap_or_default();
        extras.can_manage = managed.iter().any(|o| o["id"] == shown["id"]);
    }
    extras
}

/// `GET /organization/{name}`.
pub async fn organization_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    owner_page(
        chrome,
        caller,
        ctx,
        name.into_inner(),
        OwnerKind::Organization,
    )
    .await
}

/// `GET /group/{name}`.
pub async fn group_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: web::Path<String>,
) -> HttpResponse {
    owner_page(chrome, caller, ctx, name.into_inner(), OwnerKind::Group).await
}

async fn owner_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    name: String,
    kind: OwnerKind,
) -> HttpResponse {
    let query = PageQuery::of(&chrome);
    let found = blocking(&ctx, caller, move |ctx, actor| {
        let mut dict = Dict::new();
        dict.insert("id".into(), json!(name));
        // The page shows the search's count: no count query of its own.
        dict.insert("include_dataset_count".into(), json!(false));
        let shown: serde_json::Value = actions::call_as(ctx, &actor, kind.show_action(), &dict)?;
        let owner: OwnerItem = serde_json::from_value(shown.clone()).map_err(|e| {
            crate::error::AppError::Internal(anyhow::Error::new(e).context("an owner's view"))
        })?;
        let org = match kind {
            OwnerKind::Organization => org_extras(ctx, &actor, &shown),
            OwnerKind::Group => OrgExtras::default(),
        };
        let fixed = [(kind.filter(), owner.name.as_str())];
        let (query, results, _) = search_with_help(ctx, &actor, &query, &fixed)?;
        Ok((owner, org, query, results))
    })
    .await;
    let (owner, org, query, results) = match found {
        Ok(found) => found,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let path = format!("/{}/{}", kind.path(), owner.name);
    let view = ResultsView::build(&chrome, &path, query, results, Some(kind.filter()));
    let page = OwnerPage {
        chrome: &chrome,
        kind,
        title: chrome
            .pick(&owner.title, owner.title_en.as_deref().unwrap_or(""))
            .to_owned(),
        description: owner.description,
        view,
        org,
    };
    reply::page(&chrome, &page)
}
