//! A remote DCAT catalogue as a pull source: its pages read one at a time, in RDF/XML, Turtle
//! or JSON-LD (by the reply's content type, else by the address's extension), following
//! `hydra:next` until there is none. Every page goes through the hardened [`Fetcher`] (time,
//! size) and the hardened parser (no DOCTYPE, no remote JSON-LD context); a `next` that leads
//! back to a page already read, or a listing longer than the page cap, is an error rather
//! than a loop.
//!
//! What a dataset becomes is the caller's say (a closure from the model to a CKAN package
//! dict): the vocabularies that turn IRIs back into licence ids, frequency codes and themes
//! are the portal's, not this crate's.

use std::collections::HashSet;

use crate::dcat::{self, Dataset, Format, ParseError};
use crate::fetch::{FetchError, Fetcher, Reply};
use crate::{Dict, PullSource, RemoteRecord};

/// What we ask for, best first: every syntax we read.
const ACCEPT: &str = "application/rdf+xml, text/turtle;q=0.9, application/ld+json;q=0.8";

/// Content types that say nothing of the syntax: the address's extension decides.
const GENERIC_TYPES: &[&str] = &[
    "",
    "application/octet-stream",
    "text/plain",
    "binary/octet-stream",
];

/// Turns one DCAT dataset into a CKAN package dict.
pub type MapDataset = Box<dyn FnMut(&Dataset) -> Dict + Send>;

/// Pulls a remote DCAT catalogue page by page.
pub struct DcatSource {
    fetcher: Fetcher,
    next: Option<String>,
    read: HashSet<String>,
    total: Option<u64>,
    map: MapDataset,
}

impl DcatSource {
    /// A source starting at `url` (the catalogue's first page), each dataset mapped by `map`.
    pub fn new(url: &str, fetcher: Fetcher, map: MapDataset) -> Result<DcatSource, FetchError> {
        let first = checked_url(url)?;
        Ok(DcatSource {
            fetcher,
            next: Some(first),
            read: HashSet::new(),
            total: None,
            map,
        })
    }

    /// Reads and parses one page.
    fn page(&self, url: &str) -> Result<dcat::Document, FetchError> {
        let reply = self
            .fetcher
            .send(|client| client.get(url).header(reqwest::header::ACCEPT, ACCEPT))?;
        if reply.status >= 400 {
            return Err(FetchError::Status {
                status: reply.status,
                detail: snippet(&reply),
            });
        }
        let format = syntax_of(&reply, url)?;
        let limit = self.fetcher.limits().max_body_bytes;
        let cap = usize::try_from(limit).unwrap_or(usize::MAX);
        dcat::parse(&reply.body, format, cap, Some(url)).map_err(|error| match error {
            ParseError::TooLarge { .. } => FetchError::TooLarge { limit },
            other => FetchError::Invalid(other.to_string()),
        })
    }
}

impl PullSource for DcatSource {
    fn next_page(&mut self) -> Result<Option<Vec<RemoteRecord>>, FetchError> {
        let Some(url) = self.next.take() else {
            return Ok(None);
        };
        // Checked when the page is due, so the records of the page that pointed back are
        // still taken.
        if self.read.contains(&url) {
            return Err(FetchError::Invalid(format!(
                "hydra:next dẫn về trang đã đọc ({url}): vòng lặp / hydra:next leads back to a \
                 page already read ({url}): a loop"
            )));
        }
        let max_pages = self.fetcher.limits().max_pages;
        if self.read.len() >= max_pages as usize {
            return Err(FetchError::TooManyPages(max_pages));
        }
        self.read.insert(url.clone());
        let document = self.page(&url)?;
        if let Some(paging) = &document.paging {
            self.total = Some(paging.total_items);
            self.next = paging.next.as_deref().map(checked_url).transpose()?;
        }
        let records = document
            .datasets
            .iter()
            .map(|dataset| RemoteRecord {
                guid: dataset
                    .identifier
                    .clone()
                    .filter(|id| !id.trim().is_empty())
                    .unwrap_or_else(|| dataset.iri.clone()),
                modified: dataset.modified.clone(),
                dict: (self.map)(dataset),
            })
            .collect();
        Ok(Some(records))
    }

    fn reported_total(&self) -> Option<u64> {
        self.total
    }
}

/// An http(s) address, or a request error naming it.
fn checked_url(url: &str) -> Result<String, FetchError> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|e| FetchError::Request(format!("\"{url}\": {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::Request(format!("\"{url}\": not http(s)")));
    }
    Ok(parsed.into())
}

/// The syntax of a reply: its content type when that names an RDF syntax; the address's
/// extension when the type says nothing (`text/plain`, none); any other type (an HTML
/// maintenance page, say) is refused.
fn syntax_of(reply: &Reply, url: &str) -> Result<Format, FetchError> {
    if let Some(format) = Format::from_media_type(&reply.content_type) {
        return Ok(format);
    }
    let wrong = || FetchError::ContentType {
        found: reply.content_type.clone(),
        expected: "application/rdf+xml, text/turtle, application/ld+json",
    };
    if !GENERIC_TYPES.contains(&reply.content_type.as_str()) {
        return Err(wrong());
    }
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            let last = u.path_segments()?.next_back()?.to_owned();
            let (_, ext) = last.rsplit_once('.')?;
            Format::from_extension(&ext.to_ascii_lowercase())
        })
        .ok_or_else(wrong)
}

/// The start of a reply's body, for an error message.
fn snippet(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body)
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(content_type: &str) -> Reply {
        Reply {
            status: 200,
            content_type: content_type.to_owned(),
            body: Vec::new(),
        }
    }

    #[test]
    fn the_content_type_decides_then_the_extension() {
        let at = "https://a.gov.vn/catalog.ttl?page=2";
        assert_eq!(
            syntax_of(&reply("application/rdf+xml"), at).unwrap(),
            Format::RdfXml
        );
        assert_eq!(syntax_of(&reply("text/plain"), at).unwrap(), Format::Turtle);
        assert_eq!(
            syntax_of(&reply(""), "https://a.gov.vn/x.jsonld").unwrap(),
            Format::JsonLd
        );
        assert!(matches!(
            syntax_of(&reply("text/html"), at),
            Err(FetchError::ContentType { .. })
        ));
        assert!(syntax_of(&reply(""), "https://a.gov.vn/catalog").is_err());
    }

    #[test]
    fn only_web_addresses_are_followed() {
        assert!(checked_url("file:///etc/passwd").is_err());
        assert!(checked_url("not a url").is_err());
        assert_eq!(
            checked_url(" https://a.gov.vn/catalog.rdf ").unwrap(),
            "https://a.gov.vn/catalog.rdf"
        );
    }
}
