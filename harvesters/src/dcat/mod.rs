//! DCAT-AP 3.0.1: the model ([`model`]), its serialisers as streams ([`write`]: RDF/XML with
//! quick-xml, Turtle, JSON-LD) and its parsers ([`parse`], over oxigraph's `oxrdfio`).
//! Everything written validates against the official SHACL shapes (the main crate's test
//! suite runs pyshacl over its exports).

mod graph;
mod jsonld;
pub mod model;
pub mod parse;
mod rdfxml;
mod turtle;
pub mod vocab;
pub mod write;

#[cfg(test)]
mod tests;

pub use graph::clean_iri;
pub use model::*;
pub use parse::{parse, parse_reader, Document, ParseError};
pub use write::{to_bytes, Format, StreamWriter};
