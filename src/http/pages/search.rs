//! `/dataset`: the search page (CKAN's URL and parameters), and the same list under an
//! organisation's or a theme's page. It calls `package_search` as the API does and renders
//! its results, facets as filters to add and remove, sorting and pages.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

use super::cards::DatasetCard;
use super::chrome::Chrome;
use super::listing::{FacetItem, PageQuery, SearchResults, FILTERS, ROWS, SORTS};
use super::{blocking, reply};
use crate::catalog::{actions, Actor, AppContext, Dict};
use crate::error::AppResult;
use crate::http::auth::Caller;

/// Deepest page offered: `package_search` pages through the first 100,000 results.
const MAX_PAGE: u64 = 100_000 / ROWS;

/// A filter's values as links that add or remove it.
pub struct FacetView {
    /// The filter's field.
    pub field: &'static str,
    /// Its title.
    pub title: String,
    /// Its values.
    pub items: Vec<FacetLink>,
}

/// One value of a filter.
pub struct FacetLink {
    /// What the reader sees.
    pub label: String,
    /// Datasets with it among the results.
    pub count: u64,
    /// The search with this value added (or removed when active).
    pub url: String,
    /// True when the search filters on it already.
    pub active: bool,
}

/// A page of a long list.
pub struct PageLink {
    /// Its number.
    pub number: u64,
    /// Its URL.
    pub url: String,
    /// True for the page shown.
    pub current: bool,
}

/// The results part shared by the search, organisation and theme pages.
pub struct ResultsView {
    /// Where the search runs (`/dataset`, `/organization/{name}`, `/group/{name}`).
    pub path: String,
    /// The query.
    pub query: PageQuery,
    /// Datasets found.
    pub count: u64,
    /// This page's datasets.
    pub cards: Vec<DatasetCard>,
    /// Filters to add or remove.
    pub facets: Vec<FacetView>,
    /// Active filters: label and the URL without it.
    pub active: Vec<(String, String)>,
    /// Sort choices: CKAN sort, label, selected.
    pub sorts: Vec<(&'static str, String, bool)>,
    /// Page links around the current one.
    pub pages: Vec<PageLink>,
    /// The previous and next page's URLs.
    pub previous: Option<String>,
    /// The next page's URL.
    pub next: Option<String>,
    /// Help when nothing is found: the query without diacritics.
    pub unaccented: Option<(String, String)>,
    /// Help when nothing is found: datasets whose titles start like the query.
    pub suggestions: Vec<(String, String)>,
    /// Help when nothing is found: single words of the query that find something, with
    /// their counts and URLs.
    pub single_words: Vec<(String, u64, String)>,
    /// Corrected queries ("did you mean") and their URLs.
    pub did_you_mean: Vec<(String, String)>,
    /// The results are closest matches: no dataset has every word of the query.
    pub relaxed: bool,
}

impl ResultsView {
    /// The view of `package_search`'s results; `fixed` names the filter the page itself
    /// applies (not offered again).
    pub fn build(
        chrome: &Chrome,
        path: &str,
        query: PageQuery,
        results: SearchResults,
        fixed: Option<&str>,
    ) -> ResultsView {
        let cards = results
            .results
            .into_iter()
            .map(|hit| DatasetCard::of(chrome, &hit.dataset, hit.search_snippet))
            .collect();
        let mut facets = Vec::new();
        let mut active = Vec::new();
        for &field in FILTERS.iter().filter(|f| Some(**f) != fixed) {
            let items = results
                .search_facets
                .get(field)
                .map(|g| g.items.as_slice())
                .unwrap_or_default();
            let (facet, chips) = facet_view(chrome, path, &query, field, items);
            active.extend(chips);
            if !facet.items.is_empty() {
                facets.push(facet);
            }
        }
        let selected = if query.sort.is_empty() {
            if query.q.is_empty() {
                SORTS[1].0
            } else {
                SORTS[0].0
            }
        } else {
            query.sort.as_str()
        };
        let sorts = SORTS
            .iter()
            .map(|(sort, id)| (*sort, chrome.t(id).to_owned(), *sort == selected))
            .collect();
        let did_you_mean = results
            .search_suggestions
            .into_iter()
            .map(|text| {
                let url = query.url(path, |q| {
                    q.q = text.clone();
                    q.page = 1;
                });
                (text, url)
            })
            .collect();
        let last = results.count.div_ceil(ROWS).clamp(1, MAX_PAGE);
        let current = query.page.min(last);
        let page_url = |n: u64| query.url(path, |q| q.page = n);
        let pages = (current.saturating_sub(2).max(1)..=(current + 2).min(last))
            .map(|number| PageLink {
                number,
                url: page_url(number),
                current: number == current,
            })
            .collect();
        ResultsView {
            path: path.to_owned(),
            count: results.count,
            cards,
            facets,
            active,
            sorts,
            pages,
            previous: (current > 1).then(|| page_url(current - 1)),
            next: (current < last).then(|| page_url(current + 1)),
            unaccented: None,
            suggestions: Vec::new(),
            single_words: Vec::new(),
            did_you_mean,
            relaxed: results.search_relaxed,
            query,
        }
    }

    /// The URL of the search without any filter.
    pub fn clear_url(&self) -> String {
        self.query.url(&self.path, |q| {
            q.filters.clear();
            q.page = 1;
        })
    }
}

/// One filter's values as links that add or remove them, and the chips (label, URL without
/// it) of the values the search filters on.
fn facet_view(
    chrome: &Chrome,
    path: &str,
    query: &PageQuery,
    field: &'static str,
    items: &[FacetItem],
) -> (FacetView, Vec<(String, String)>) {
    let label_of = |item: &FacetItem| {
        chrome
            .pick(&item.display_name, &item.display_name_en)
            .to_owned()
    };
    let links = items
        .iter()
        .map(|item| {
            let active = query.has(field, &item.name);
            let url = query.url(path, |q| {
                q.page = 1;
                if active {
                    q.filters.retain(|(k, v)| !(k == field && *v == item.name));
                } else {
                    q.filters.push((field.to_owned(), item.name.clone()));
                }
            });
            FacetLink {
                label: label_of(item),
                count: item.count,
                url,
                active,
            }
        })
        .collect();
    let title = facet_title(chrome, field);
    let chips = query
        .filters
        .iter()
        .filter(|(k, _)| k == field)
        .map(|(_, value)| {
            // A value the results no longer count is shown as it was asked.
            let label = items
                .iter()
                .find(|i| &i.name == value)
                .map_or_else(|| value.clone(), label_of);
            let remove = query.url(path, |q| {
                q.page = 1;
                q.filters.retain(|(k, v)| !(k == field && v == value));
            });
            (format!("{title}: {label}"), remove)
        })
        .collect();
    let facet = FacetView {
        field,
        title: title.to_owned(),
        items: links,
    };
    (facet, chips)
}

/// The title of a filter.
pub fn facet_title<'a>(chrome: &'a Chrome, field: &str) -> &'a str {
    match field {
        "organization" => chrome.t("facet-organization"),
        "groups" => chrome.t("facet-groups"),
        "res_format" => chrome.t("facet-res_format"),
        "license_id" => chrome.t("facet-license_id"),
        "frequency" => chrome.t("facet-frequency"),
        "place" => chrome.t("facet-place"),
        _ => chrome.t("facet-tags"),
    }
}

/// The search page.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The results.
    pub view: ResultsView,
}

/// `GET /dataset`.
pub async fn search_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let query = PageQuery::of(&chrome);
    let found = blocking(&ctx, caller, move |ctx, actor| {
        search_with_help(ctx, &actor, &query, &[])
    })
    .await;
    match found {
        Ok((query, results, help)) => {
            let mut view = ResultsView::build(&chrome, "/dataset", query, results, None);
            view.unaccented = help.unaccented;
            view.suggestions = help.suggestions;
            view.single_words = help.single_words;
            reply::page(
                &chrome,
                &SearchPage {
                    chrome: &chrome,
                    view,
                },
            )
        }
        Err(error) => reply::error_page_in(&chrome, &error),
    }
}

/// What the page offers when nothing is found.
#[derive(Default)]
pub struct NothingFound {
    /// The query without diacritics and its URL, when that differs from the query.
    pub unaccented: Option<(String, String)>,
    /// Titles starting like the query: (title, dataset URL).
    pub suggestions: Vec<(String, String)>,
    /// Words of the query that find datasets on their own: (word, count, URL).
    pub single_words: Vec<(String, u64, String)>,
}

/// Most words of a query tried one by one when the whole query finds nothing.
const MAX_SINGLE_WORDS: usize = 5;

/// Runs the search of a page; when nothing is found for typed words, gathers the help.
pub fn search_with_help(
    ctx: &AppContext,
    actor: &Actor,
    query: &PageQuery,
    fixed: &[(&str, &str)],
) -> AppResult<(PageQuery, SearchResults, NothingFound)> {
    let results: SearchResults =
        actions::call_as(ctx, actor, "package_search", &query.search_dict(fixed))?;
    let mut help = NothingFound::default();
    if results.count == 0 && !query.q.is_empty() {
        let folded =
            crate::search::analyzer::terms(&mut crate::search::analyzer::folded(), &query.q)
                .join(" ");
        if !folded.is_empty() && folded != query.q {
            let url = query.url("/dataset", |q| {
                q.q = folded.clone();
                q.page = 1;
            });
            help.unaccented = Some((folded, url));
        }
        let mut dict = Dict::new();
        dict.insert(
            "q".into(),
            json!(query.q.chars().take(100).collect::<String>()),
        );
        dict.insert("limit".into(), json!(5));
        let suggested: Vec<Suggested> =
            actions::call_as(ctx, actor, "package_autocomplete", &dict)?;
        help.suggestions = suggested
            .into_iter()
            .map(|s| (s.title, format!("/dataset/{}", s.name)))
            .collect();
        help.single_words = single_words(ctx, actor, query, fixed)?;
    }
    Ok((query.clone(), results, help))
}

/// The words of a query of several words that find datasets on their own (same filters).
fn single_words(
    ctx: &AppContext,
    actor: &Actor,
    query: &PageQuery,
    fixed: &[(&str, &str)],
) -> AppResult<Vec<(String, u64, String)>> {
    let words: Vec<&str> = query.q.split_whitespace().collect();
    if words.len() < 2 {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for word in words.into_iter().take(MAX_SINGLE_WORDS) {
        let mut alone = query.clone();
        alone.q = word.to_owned();
        alone.page = 1;
        let mut dict = alone.search_dict(fixed);
        dict.insert("rows".into(), json!(0));
        dict.remove("facet.field");
        let results: SearchResults = actions::call_as(ctx, actor, "package_search", &dict)?;
        if results.count > 0 {
            let url = alone.url("/dataset", |_| {});
            found.push((word.to_owned(), results.count, url));
        }
    }
    Ok(found)
}

#[derive(serde::Deserialize)]
struct Suggested {
    name: String,
    title: String,
}
