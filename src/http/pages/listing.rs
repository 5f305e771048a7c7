//! The typed reading of a `package_search` reply that the pages render, and the search a page
//! asks for: CKAN's page parameters (`q`, `organization`, `groups`, `tags`, `res_format`,
//! `license_id`, `sort`, `page`, plus our `frequency` and `place`) turned into the same
//! `package_search` call the API makes.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::chrome::Chrome;
use crate::catalog::datasets::view::DatasetView;
use crate::catalog::Dict;

/// Results per page.
pub const ROWS: u64 = 20;

/// The filters a page offers, in the order shown; each is a `package_search` keyword field.
pub const FILTERS: &[&str] = &[
    "organization",
    "groups",
    "res_format",
    "license_id",
    "frequency",
    "place",
    "tags",
];

/// The sort orders offered: (CKAN's sort, message id).
pub const SORTS: &[(&str, &str)] = &[
    ("score desc, metadata_modified desc", "sort-relevance"),
    ("metadata_modified desc", "sort-modified"),
    ("metadata_created desc", "sort-created"),
    ("title_string asc", "sort-title"),
];

/// `package_search`'s result object, as pages read it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchResults {
    /// Datasets found.
    pub count: u64,
    /// This page of them.
    pub results: Vec<Hit>,
    /// Facet counts with display names.
    pub search_facets: BTreeMap<String, FacetGroup>,
    /// Corrected texts of the query ("did you mean").
    #[serde(default)]
    pub search_suggestions: Vec<String>,
    /// The results are closest matches: no dataset has every word.
    #[serde(default)]
    pub search_relaxed: bool,
}

/// One dataset found, with the highlighted passage of its description.
#[derive(Debug, Default, Deserialize)]
pub struct Hit {
    /// The dataset.
    #[serde(flatten)]
    pub dataset: DatasetView,
    /// HTML: the engine escapes the text and marks the matched words with `<b>`.
    #[serde(default)]
    pub search_snippet: String,
}

/// The counts of one facet.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FacetGroup {
    /// Its values, most frequent first.
    pub items: Vec<FacetItem>,
}

/// One value of a facet.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FacetItem {
    /// The value filtered on.
    pub name: String,
    /// Its Vietnamese title.
    pub display_name: String,
    /// Its English title, when known.
    pub display_name_en: String,
    /// Datasets with it.
    pub count: u64,
}

/// What a search page asks: words, filters, order and page.
#[derive(Debug, Clone, Default)]
pub struct PageQuery {
    /// The words typed.
    pub q: String,
    /// (filter, value) pairs, all of which must hold.
    pub filters: Vec<(String, String)>,
    /// CKAN's sort text, empty for the default.
    pub sort: String,
    /// 1-based page number.
    pub page: u64,
}

impl PageQuery {
    /// Reads the page parameters (unknown ones are ignored, as CKAN's pages do).
    pub fn of(chrome: &Chrome) -> PageQuery {
        let mut query = PageQuery {
            page: 1,
            ..PageQuery::default()
        };
        for (key, value) in &chrome.query {
            let value = value.trim();
            match key.as_str() {
                "q" => query.q = value.to_owned(),
                "sort" => query.sort = value.to_owned(),
                // A page number that is not one shows the first page.
                "page" => query.page = value.parse().unwrap_or(1).max(1),
                key if FILTERS.contains(&key) && !value.is_empty() => {
                    let pair = (key.to_owned(), value.to_owned());
                    if !query.filters.contains(&pair) {
                        query.filters.push(pair);
                    }
                }
                _ => {}
            }
        }
        query
    }

    /// The `package_search` dict, with `fixed` filters (an organisation's or theme's page).
    pub fn search_dict(&self, fixed: &[(&str, &str)]) -> Dict {
        let fq_list: Vec<String> = fixed
            .iter()
            .map(|(k, v)| (*k, *v))
            .chain(self.filters.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map(|(field, value)| format!("{field}:{}", quoted(value)))
            .collect();
        let start = (self.page.saturating_sub(1)).saturating_mul(ROWS);
        let mut dict = Dict::new();
        dict.insert("q".into(), json!(self.q));
        dict.insert("fq_list".into(), json!(fq_list));
        dict.insert("rows".into(), json!(ROWS));
        dict.insert("start".into(), json!(start));
        dict.insert("facet.field".into(), json!(FILTERS));
        dict.insert("facet.limit".into(), json!(50));
        if !self.sort.is_empty() {
            dict.insert("sort".into(), Value::String(self.sort.clone()));
        } else if self.q.is_empty() {
            // Nothing typed: relevance says nothing, the newest changes come first.
            dict.insert("sort".into(), json!("metadata_modified desc"));
        }
        dict
    }

    /// The URL of this search on `path` with its query changed by `change`.
    pub fn url(&self, path: &str, change: impl FnOnce(&mut PageQuery)) -> String {
        let mut next = self.clone();
        change(&mut next);
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        if !next.q.is_empty() {
            pairs.append_pair("q", &next.q);
        }
        for (k, v) in &next.filters {
            pairs.append_pair(k, v);
        }
        if !next.sort.is_empty() {
            pairs.append_pair("sort", &next.sort);
        }
        if next.page > 1 {
            pairs.append_pair("page", &next.page.to_string());
        }
        let query = pairs.finish();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }

    /// True when the filter holds this value.
    pub fn has(&self, field: &str, value: &str) -> bool {
        self.filters.iter().any(|(k, v)| k == field && v == value)
    }
}

/// A value quoted for CKAN's query syntax. The syntax has no escape inside quotes, so a `"`
/// in a value (never in the demo's or Tây Ninh's tags) is dropped rather than ending the quote.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_in_a_filter_value_cannot_end_the_quoted_value() {
        assert_eq!(quoted(r#"a "b" c"#), r#""a b c""#);
    }
}
