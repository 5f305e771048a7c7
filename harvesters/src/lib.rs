//! The harvesters of dataportal: the DCAT-AP 3.0.1 model with its RDF serialisers and
//! parsers, and the clients that push to and pull from remote portals (a CKAN Action API, a
//! DCAT catalogue). This crate knows nothing of dataportal's database or of actix: the main
//! crate maps its dataset views to the model here, and persists runs as its own jobs.

pub mod dcat;
