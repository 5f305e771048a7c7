//! A DCAT endpoint as a push target: each dataset's own DCAT document (RDF/XML or JSON-LD)
//! sent with an auth header, withdrawn with DELETE.
//!
//! The address of a dataset at the target is `{url}/{guid}` (the guid percent-encoded as one
//! path segment), for sending and for withdrawing alike. One address per dataset, derived from
//! its stable guid, is what makes the push idempotent without asking the target anything: a
//! resend (after a crash, a timeout whose request did arrive) replaces the same document
//! instead of adding a second, and a withdrawal needs no id learnt from an earlier reply. PUT
//! is the verb for "this document at this address"; POST to the same address is offered for
//! endpoints that accept only POST (`config.method`).

use crate::dcat::{self, Dataset, Format};
use crate::fetch::{FetchError, Fetcher, Reply};
use crate::{Outgoing, PushTarget};

/// Turns one outgoing dataset (our `package_show` dict) into its DCAT model.
pub type RenderDataset = Box<dyn FnMut(&Outgoing<'_>) -> Result<Dataset, FetchError> + Send>;

/// The verb that sends a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `PUT {url}/{guid}` (the default).
    Put,
    /// `POST {url}/{guid}`.
    Post,
}

impl Method {
    /// The method by its name (`PUT`, `POST`, any case).
    pub fn parse(name: &str) -> Option<Method> {
        match name.trim().to_ascii_uppercase().as_str() {
            "PUT" => Some(Method::Put),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

/// How a DCAT endpoint is spoken to.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The base address; a dataset lives at `{url}/{guid}`.
    pub url: String,
    /// The syntax sent (RDF/XML or JSON-LD).
    pub format: Format,
    /// The verb that sends.
    pub method: Method,
    /// The header carrying the token (`Authorization` by default).
    pub auth_header: String,
    /// Written before the token in that header (`Bearer` by default for `Authorization`,
    /// nothing for other headers); empty for none.
    pub auth_scheme: String,
}

/// Pushes DCAT documents to an endpoint.
pub struct DcatPushTarget {
    endpoint: Endpoint,
    auth: Option<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    fetcher: Fetcher,
    render: RenderDataset,
}

impl DcatPushTarget {
    /// A target at `endpoint`, sending `token` (when not empty) in its auth header.
    pub fn new(
        endpoint: Endpoint,
        token: &str,
        fetcher: Fetcher,
        render: RenderDataset,
    ) -> Result<DcatPushTarget, FetchError> {
        let parsed = url::Url::parse(endpoint.url.trim())
            .map_err(|e| FetchError::Request(format!("\"{}\": {e}", endpoint.url)))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(FetchError::Request(format!(
                "\"{}\": not an http(s) address",
                endpoint.url
            )));
        }
        let auth = if token.is_empty() {
            None
        } else {
            let name = reqwest::header::HeaderName::from_bytes(endpoint.auth_header.as_bytes())
                .map_err(|_| {
                    FetchError::Request(format!(
                        "tên tiêu đề xác thực sai / invalid auth header name \"{}\"",
                        endpoint.auth_header
                    ))
                })?;
            let text = if endpoint.auth_scheme.is_empty() {
                token.to_owned()
            } else {
                format!("{} {token}", endpoint.auth_scheme)
            };
            // The token itself never enters a message: it is a secret.
            let mut value = reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
                FetchError::Request(
                    "mã truy cập có ký tự không gửi được trong tiêu đề / the token has \
                     characters a header cannot carry"
                        .to_owned(),
                )
            })?;
            value.set_sensitive(true);
            Some((name, value))
        };
        let mut endpoint = endpoint;
        endpoint.url = parsed.as_str().trim_end_matches('/').to_owned();
        Ok(DcatPushTarget {
            endpoint,
            auth,
            fetcher,
            render,
        })
    }

    /// The address of the dataset `guid` at the target: `{url}/{guid}`.
    pub fn address(&self, guid: &str) -> String {
        address(&self.endpoint.url, guid)
    }

    fn exchange(
        &self,
        build: impl FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
    ) -> Result<Reply, FetchError> {
        self.fetcher.send(|client| {
            let request = build(client);
            match &self.auth {
                Some((name, value)) => request.header(name.clone(), value.clone()),
                None => request,
            }
        })
    }
}

/// `{base}/{guid}`, the guid percent-encoded as one path segment.
pub fn address(base: &str, guid: &str) -> String {
    match url::Url::parse(&format!("{base}/")) {
        Ok(mut url) => {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop_if_empty().push(guid);
            }
            url.into()
        }
        Err(_) => format!("{base}/{guid}"),
    }
}

impl PushTarget for DcatPushTarget {
    fn send(&mut self, dataset: Outgoing<'_>) -> Result<String, FetchError> {
        let model = (self.render)(&dataset)?;
        let format = self.endpoint.format;
        let body = dcat::to_bytes(format, None, None, [&model])
            .map_err(|e| FetchError::Invalid(format!("writing DCAT: {e}")))?;
        let url = self.address(dataset.guid);
        let method = self.endpoint.method;
        let reply = self.exchange(|client| {
            let request = match method {
                Method::Put => client.put(&url),
                Method::Post => client.post(&url),
            };
            request
                .header(reqwest::header::CONTENT_TYPE, format.media_type())
                .body(body)
        })?;
        checked(&reply)?;
        Ok(dataset.guid.to_owned())
    }

    fn withdraw(&mut self, guid: &str, _remote_id: &str) -> Result<(), FetchError> {
        let url = self.address(guid);
        let reply = self.exchange(|client| client.delete(&url))?;
        // Already gone is withdrawn.
        if matches!(reply.status, 404 | 410) {
            return Ok(());
        }
        checked(&reply)
    }
}

/// A 2xx is done; a 5xx or 429 may pass later (retryable); any other status is the target
/// refusing the document.
fn checked(reply: &Reply) -> Result<(), FetchError> {
    let detail: String = String::from_utf8_lossy(&reply.body)
        .chars()
        .take(300)
        .collect();
    match reply.status {
        200..=299 => Ok(()),
        status if status >= 500 || status == 429 => Err(FetchError::Status { status, detail }),
        status => Err(FetchError::Refused {
            status,
            kind: format!("HTTP {status}"),
            message: detail,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_lives_at_one_address_under_the_endpoint() {
        assert_eq!(
            address("https://data.gov.vn/dcat/datasets", "7d1c-ab"),
            "https://data.gov.vn/dcat/datasets/7d1c-ab"
        );
        assert_eq!(
            address("https://data.gov.vn/dcat", "a b/c"),
            "https://data.gov.vn/dcat/a%20b%2Fc"
        );
    }

    #[test]
    fn statuses_say_whether_to_retry() {
        let reply = |status| Reply {
            status,
            content_type: String::new(),
            body: b"no".to_vec(),
        };
        assert!(checked(&reply(204)).is_ok());
        assert!(checked(&reply(503)).unwrap_err().is_retryable());
        assert!(!checked(&reply(401)).unwrap_err().is_retryable());
        assert_eq!(Method::parse(" post "), Some(Method::Post));
        assert_eq!(Method::parse("PATCH"), None);
    }
}
