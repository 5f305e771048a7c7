//! A client of a remote CKAN Action API (`/api/3/action/...`): the pull source that pages
//! `package_search` by `metadata_modified`, and the push target that sends datasets with
//! `package_create` / `package_update` / `package_delete` and an API token, inside one remote
//! organisation, matched by a stable guid kept in an extra.

use serde_json::{json, Value};

use crate::fetch::{FetchError, Fetcher, Reply};
use crate::{Dict, Outgoing, PullSource, PushTarget, RemoteRecord};

/// The extra in which a pushed dataset carries its guid (our dataset id), so a resend finds it
/// even when the run that created it died before learning the target's id.
pub const GUID_EXTRA: &str = "guid";

/// Keys of our `package_show` dict that the target computes or owns itself.
const LOCAL_KEYS: &[&str] = &[
    "id",
    "owner_org",
    "organization",
    "metadata_created",
    "metadata_modified",
    "num_tags",
    "num_resources",
    "license_title",
    "license_url",
    "creator_user_id",
    "state",
    "type",
    "revision_id",
    "isopen",
    "private",
    "relationships_as_object",
    "relationships_as_subject",
];

/// Keys of a resource that describe it rather than its place at the source.
const RESOURCE_KEYS: &[&str] = &[
    "name",
    "description",
    "format",
    "mimetype",
    "url",
    "size",
    "hash",
];

/// A remote CKAN Action API.
#[derive(Debug, Clone)]
pub struct CkanClient {
    /// The site's base URL, without `/api/3/action` and without a trailing slash.
    base: String,
    token: Option<String>,
    fetcher: Fetcher,
}

impl CkanClient {
    /// A client of the CKAN at `url` (its site URL; `/api/3` or `/api/3/action` at the end is
    /// accepted too), sending `token` with every call when given.
    pub fn new(url: &str, token: Option<String>, fetcher: Fetcher) -> Result<Self, FetchError> {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| FetchError::Request(format!("\"{url}\": {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::Request(format!("\"{url}\": not http(s)")));
        }
        let mut base = parsed.as_str().trim_end_matches('/').to_owned();
        for suffix in ["/api/3/action", "/api/3", "/api/action"] {
            if let Some(stripped) = base.strip_suffix(suffix) {
                base = stripped.to_owned();
                break;
            }
        }
        Ok(CkanClient {
            base,
            token,
            fetcher,
        })
    }

    fn action_url(&self, name: &str) -> String {
        format!("{}/api/3/action/{name}", self.base)
    }

    /// A read action by GET with query parameters; its `result`.
    pub fn get(&self, name: &str, query: &[(&str, String)]) -> Result<Value, FetchError> {
        let url = self.action_url(name);
        let reply = self.fetcher.send(|client| {
            let request = client.get(&url).query(query);
            self.authorise(request)
        })?;
        envelope(reply)
    }

    /// A write action by POST with a JSON body; its `result`.
    pub fn post(&self, name: &str, body: &Value) -> Result<Value, FetchError> {
        let url = self.action_url(name);
        let reply = self.fetcher.send(|client| {
            let request = client.post(&url).json(body);
            self.authorise(request)
        })?;
        envelope(reply)
    }

    fn authorise(
        &self,
        request: reqwest::blocking::RequestBuilder,
    ) -> reqwest::blocking::RequestBuilder {
        match &self.token {
            Some(token) => request.header(reqwest::header::AUTHORIZATION, token),
            None => request,
        }
    }

    /// `package_show`; None when the remote has no such dataset.
    pub fn package_show(&self, id: &str) -> Result<Option<Dict>, FetchError> {
        match self.get("package_show", &[("id", id.to_owned())]) {
            Ok(Value::Object(dict)) => Ok(Some(dict)),
            Ok(other) => Err(FetchError::Invalid(format!(
                "package_show answered {}",
                kind_of(&other)
            ))),
            Err(error) if error.status() == Some(404) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// One page of `package_search` over public datasets, oldest change first: the count the
    /// remote reports and the records.
    pub fn package_search(&self, start: u64, rows: u64) -> Result<(u64, Vec<Value>), FetchError> {
        let result = self.get(
            "package_search",
            &[
                ("q", "*:*".to_owned()),
                ("sort", "metadata_modified asc".to_owned()),
                ("rows", rows.to_string()),
                ("start", start.to_string()),
            ],
        )?;
        let count = result.get("count").and_then(Value::as_u64).ok_or_else(|| {
            FetchError::Invalid("package_search: no \"count\" in the result".to_owned())
        })?;
        match result.get("results") {
            Some(Value::Array(results)) => Ok((count, results.clone())),
            _ => Err(FetchError::Invalid(
                "package_search: no \"results\" list in the result".to_owned(),
            )),
        }
    }
}

/// Reads CKAN's envelope: `result` on success, the remote's refusal otherwise.
fn envelope(reply: Reply) -> Result<Value, FetchError> {
    let body = match reply.json() {
        Ok(body) => body,
        // A proxy's HTML error page or a 5xx without JSON: the status says what happened.
        Err(error) if reply.status >= 400 => {
            let detail: String = String::from_utf8_lossy(&reply.body)
                .chars()
                .take(200)
                .collect();
            let _ = error;
            return Err(FetchError::Status {
                status: reply.status,
                detail,
            });
        }
        Err(error) => return Err(error),
    };
    if reply.status < 400 && body.get("success") == Some(&Value::Bool(true)) {
        return body
            .get("result")
            .cloned()
            .ok_or_else(|| FetchError::Invalid("no \"result\" in the envelope".to_owned()));
    }
    let error = body.get("error");
    let kind = error
        .and_then(|e| e.get("__type"))
        .and_then(Value::as_str)
        .unwrap_or("error")
        .to_owned();
    let message = match error {
        Some(Value::Object(fields)) => fields
            .iter()
            .filter(|(key, _)| key.as_str() != "__type")
            .map(|(key, value)| format!("{key}: {}", short(value)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => short(other),
        None => "the envelope says no success".to_owned(),
    };
    Err(FetchError::Refused {
        status: if reply.status < 400 {
            502
        } else {
            reply.status
        },
        kind,
        message,
    })
}

/// A value as short text for a message.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.chars().take(300).collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Pulls a remote CKAN's public datasets, `rows` at a time, oldest change first.
pub struct CkanSource {
    client: CkanClient,
    rows: u64,
    start: u64,
    pages: u32,
    total: Option<u64>,
    done: bool,
}

impl CkanSource {
    /// A source over `client`, reading `rows` records per page (1 to 1000).
    pub fn new(client: CkanClient, rows: u64) -> CkanSource {
        CkanSource {
            client,
            rows: rows.clamp(1, 1000),
            start: 0,
            pages: 0,
            total: None,
            done: false,
        }
    }
}

impl PullSource for CkanSource {
    fn next_page(&mut self) -> Result<Option<Vec<RemoteRecord>>, FetchError> {
        if self.done {
            return Ok(None);
        }
        let max_pages = self.client.fetcher.limits().max_pages;
        if self.pages >= max_pages {
            return Err(FetchError::TooManyPages(max_pages));
        }
        self.pages += 1;
        let (count, results) = self.client.package_search(self.start, self.rows)?;
        self.total = Some(count);
        self.start += results.len() as u64;
        if results.is_empty() || self.start >= count {
            self.done = true;
        }
        if results.is_empty() {
            return Ok(None);
        }
        let records = results.into_iter().map(record).collect::<Result<_, _>>()?;
        Ok(Some(records))
    }

    fn reported_total(&self) -> Option<u64> {
        self.total
    }
}

/// A `package_search` result as a remote record; a result that is not a dict breaks the page.
fn record(value: Value) -> Result<RemoteRecord, FetchError> {
    let Value::Object(dict) = value else {
        return Err(FetchError::Invalid(format!(
            "package_search: a result is {}, not a dataset dict",
            kind_of(&value)
        )));
    };
    let text = |key: &str| dict.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(RemoteRecord {
        guid: text("id").unwrap_or_default(),
        modified: text("metadata_modified"),
        dict,
    })
}

/// Pushes datasets into one organisation of a remote CKAN.
pub struct CkanTarget {
    client: CkanClient,
    owner_org: String,
}

impl CkanTarget {
    /// A target over `client` (which carries the API token), into `owner_org` at the remote.
    pub fn new(client: CkanClient, owner_org: &str) -> CkanTarget {
        CkanTarget {
            client,
            owner_org: owner_org.to_owned(),
        }
    }

    fn update(&self, mut payload: Dict, remote_id: &str) -> Result<String, FetchError> {
        payload.insert("id".to_owned(), json!(remote_id));
        let stored = self
            .client
            .post("package_update", &Value::Object(payload))?;
        remote_id_of(&stored)
    }
}

impl PushTarget for CkanTarget {
    fn send(&mut self, dataset: Outgoing<'_>) -> Result<String, FetchError> {
        let payload = remote_package(dataset.dict, dataset.guid, &self.owner_org);
        if let Some(remote_id) = dataset.remote_id {
            match self.update(payload.clone(), remote_id) {
                Err(error) if error.status() == Some(404) => {}
                done => return done,
            }
        }
        // No id known (first send, or the run that created it died before recording it):
        // look for it by name, and take it only if it carries our guid.
        let name = payload
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        match self.client.package_show(&name)? {
            Some(existing) if guid_of(&existing) == Some(dataset.guid) => {
                let remote_id = existing.get("id").and_then(Value::as_str).unwrap_or(&name);
                self.update(payload, remote_id)
            }
            Some(_) => Err(FetchError::Refused {
                status: 409,
                kind: "Conflict".to_owned(),
                message: format!(
                    "tên \"{name}\" đã có ở cổng đích, là bộ dữ liệu khác / the name \"{name}\" \
                     is taken at the target by a dataset not sent from here"
                ),
            }),
            None => {
                let stored = self
                    .client
                    .post("package_create", &Value::Object(payload))?;
                remote_id_of(&stored)
            }
        }
    }

    fn withdraw(&mut self, _guid: &str, remote_id: &str) -> Result<(), FetchError> {
        match self
            .client
            .post("package_delete", &json!({ "id": remote_id }))
        {
            Err(error) if error.status() == Some(404) => Ok(()),
            other => other.map(|_| ()),
        }
    }
}

fn remote_id_of(stored: &Value) -> Result<String, FetchError> {
    stored
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| FetchError::Invalid("the stored dataset has no \"id\"".to_owned()))
}

/// The guid extra of a remote dataset dict.
pub fn guid_of(dict: &Dict) -> Option<&str> {
    dict.get("extras")?
        .as_array()?
        .iter()
        .find(|e| e.get("key").and_then(Value::as_str) == Some(GUID_EXTRA))?
        .get("value")?
        .as_str()
}

/// Our `package_show` dict as a package for a remote CKAN: what the remote computes itself
/// dropped, public, inside `owner_org`, tags and groups by name, resources as links, and the
/// guid in an extra.
pub fn remote_package(dict: &Dict, guid: &str, owner_org: &str) -> Dict {
    let mut payload = dict.clone();
    for key in LOCAL_KEYS {
        payload.remove(*key);
    }
    payload.insert("owner_org".to_owned(), json!(owner_org));
    payload.insert("private".to_owned(), json!(false));
    for key in ["tags", "groups"] {
        if let Some(Value::Array(items)) = dict.get(key) {
            let names: Vec<Value> = items
                .iter()
                .filter_map(|item| item.get("name").cloned())
                .map(|name| json!({ "name": name }))
                .collect();
            payload.insert(key.to_owned(), Value::Array(names));
        }
    }
    let mut extras: Vec<Value> = match dict.get("extras") {
        Some(Value::Array(extras)) => extras
            .iter()
            .filter(|e| e.get("key").and_then(Value::as_str) != Some(GUID_EXTRA))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    extras.push(json!({ "key": GUID_EXTRA, "value": guid }));
    payload.insert("extras".to_owned(), Value::Array(extras));
    if let Some(Value::Array(resources)) = dict.get("resources") {
        let links: Vec<Value> = resources
            .iter()
            .map(|resource| {
                let kept: Dict = RESOURCE_KEYS
                    .iter()
                    .filter_map(|key| {
                        resource
                            .get(*key)
                            .filter(|v| !v.is_null())
                            .map(|v| ((*key).to_owned(), v.clone()))
                    })
                    .collect();
                Value::Object(kept)
            })
            .collect();
        payload.insert("resources".to_owned(), Value::Array(links));
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pushed_package_carries_the_guid_and_none_of_our_ids() {
        let dict = json!({
            "id": "ours", "name": "gia-dat", "owner_org": "local", "organization": {"name": "x"},
            "metadata_modified": "2026-01-01", "private": true, "state": "active",
            "tags": [{"name": "đất", "id": "t1"}],
            "extras": [{"key": "guid", "value": "stale"}, {"key": "nguon", "value": "A"}],
            "resources": [{"id": "r1", "package_id": "ours", "name": "CSV", "url": "https://a/x.csv", "url_type": "upload"}],
        });
        let Value::Object(dict) = dict else { panic!() };
        let payload = remote_package(&dict, "ours", "remote-org");
        assert_eq!(payload["owner_org"], json!("remote-org"));
        assert_eq!(payload["private"], json!(false));
        assert!(!payload.contains_key("id") && !payload.contains_key("organization"));
        assert_eq!(payload["tags"], json!([{"name": "đất"}]));
        assert_eq!(guid_of(&payload), Some("ours"));
        assert_eq!(payload["extras"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            payload["resources"],
            json!([{"name": "CSV", "url": "https://a/x.csv"}])
        );
    }

    #[test]
    fn the_base_url_may_name_the_api() {
        let fetcher = Fetcher::new(crate::Limits::default()).unwrap();
        let client = CkanClient::new("https://data.gov.vn/api/3/action/", None, fetcher).unwrap();
        assert_eq!(
            client.action_url("package_show"),
            "https://data.gov.vn/api/3/action/package_show"
        );
        assert!(CkanClient::new(
            "ftp://x",
            None,
            Fetcher::new(crate::Limits::default()).unwrap()
        )
        .is_err());
    }
}
