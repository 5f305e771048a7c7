//! The harvesters of dataportal: the DCAT-AP 3.0.1 model with its RDF serialisers and
//! parsers, and the clients that push to and pull from remote portals (a CKAN Action API, a
//! DCAT catalogue). This crate knows nothing of dataportal's database or of actix: the main
//! crate maps its dataset views to the model here, and persists runs as its own jobs.
//!
//! A kind of source or target is one implementation of [`PullSource`] or [`PushTarget`]: the
//! main crate's run loop (gathering, per-dataset outcomes, retries, resuming) is the same for
//! all of them.

pub mod ckan;
pub mod dcat;
pub mod dcat_push;
pub mod dcat_source;
pub mod fetch;

pub use fetch::{FetchError, Fetcher, Limits};

/// A CKAN-style dataset dict (`package_show`'s shape).
pub type Dict = serde_json::Map<String, serde_json::Value>;

/// One record of a remote catalogue, as a pull source lists it.
#[derive(Debug, Clone)]
pub struct RemoteRecord {
    /// Its stable identity at the source (CKAN's id, DCAT's identifier or IRI); empty when the
    /// source gave none (the record is then reported, never stored).
    pub guid: String,
    /// When the source last changed it, as the source writes it.
    pub modified: Option<String>,
    /// The record as a CKAN package dict.
    pub dict: Dict,
}

/// A remote catalogue to pull from, read a page at a time.
pub trait PullSource {
    /// The next page of records; None once the listing is over. Fails on any broken page
    /// (the run records why and stops: a half-read listing deletes nothing).
    fn next_page(&mut self) -> Result<Option<Vec<RemoteRecord>>, FetchError>;

    /// How many records the source says it holds, when it says so: a listing that saw fewer
    /// distinct records than this was disturbed (records moved while paging), and what it did
    /// not see must not be taken as deleted.
    fn reported_total(&self) -> Option<u64>;
}

/// One of our datasets on its way to a target.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// Its stable identity (our dataset id), kept at the target so a resend finds it.
    pub guid: &'a str,
    /// The target's id of it, when an earlier run learnt it.
    pub remote_id: Option<&'a str>,
    /// The dataset as our `package_show` gives it.
    pub dict: &'a Dict,
}

/// A remote catalogue to push to.
pub trait PushTarget {
    /// Creates or updates the dataset at the target; returns the target's id of it. Sending
    /// the same dataset twice leaves one copy.
    fn send(&mut self, dataset: Outgoing<'_>) -> Result<String, FetchError>;

    /// Withdraws a dataset sent earlier (made private or deleted here). Withdrawing what the
    /// target no longer has succeeds.
    fn withdraw(&mut self, guid: &str, remote_id: &str) -> Result<(), FetchError>;
}
