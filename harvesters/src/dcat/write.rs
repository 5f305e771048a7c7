//! Writing a catalogue as a stream: the head (namespaces, the catalogue, the paging), then
//! each dataset as it comes, then the tail. Memory stays flat however many datasets pass:
//! only the IRIs of shared terms already written are remembered (vocabularies, publishers,
//! licences: a few hundred), and even that set is dropped past [`SEEN_LIMIT`] (writing a
//! term twice repeats triples, which RDF ignores).
//!
//! Hand-written rather than through an RDF library's serialiser: those take triples, so a
//! dataset would first become a few dozen owned triples, and their RDF/XML writers buffer a
//! subject's triples to group them; here each node is written straight from the model.

use std::collections::HashSet;
use std::io::{self, Write};

use super::graph::{self, Node};
use super::model::{Catalog, Dataset, Paging};
use super::{jsonld, rdfxml, turtle};

/// Shared-term IRIs remembered before the set is cleared (bounds memory on hostile input).
const SEEN_LIMIT: usize = 10_000;

/// The RDF syntaxes we write and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RDF/XML (`application/rdf+xml`).
    RdfXml,
    /// Turtle (`text/turtle`).
    Turtle,
    /// JSON-LD (`application/ld+json`).
    JsonLd,
}

impl Format {
    /// The media type to send.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::RdfXml => "application/rdf+xml",
            Format::Turtle => "text/turtle",
            Format::JsonLd => "application/ld+json",
        }
    }

    /// The format of a file extension (`rdf`, `xml`, `ttl`, `jsonld`).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext {
            "rdf" | "xml" => Some(Format::RdfXml),
            "ttl" => Some(Format::Turtle),
            "jsonld" | "json-ld" => Some(Format::JsonLd),
            _ => None,
        }
    }

    /// The format of a media type (parameters such as `; charset=utf-8` ignored).
    pub fn from_media_type(media: &str) -> Option<Format> {
        let essence = media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/rdf+xml" | "application/xml" | "text/xml" => Some(Format::RdfXml),
            "text/turtle" | "application/x-turtle" => Some(Format::Turtle),
            "application/ld+json" | "application/json" => Some(Format::JsonLd),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::RdfXml => "rdf",
            Format::Turtle => "ttl",
            Format::JsonLd => "jsonld",
        }
    }
}

/// Writes one RDF document to `out` piece by piece.
pub struct StreamWriter<W: Write> {
    out: W,
    format: Format,
    catalog: Option<String>,
    seen: HashSet<String>,
    /// JSON-LD: whether a node was already written into `@graph` (a comma comes next).
    started_graph: bool,
}

impl<W: Write> StreamWriter<W> {
    /// Starts a document: namespaces, then the catalogue's node and the paging when given
    /// (a single dataset's document has neither).
    pub fn start(
        out: W,
        format: Format,
        catalog: Option<&Catalog>,
        paging: Option<&Paging>,
    ) -> io::Result<StreamWriter<W>> {
        let mut writer = StreamWriter {
            out,
            format,
            catalog: None,
            seen: HashSet::new(),
            started_graph: false,
        };
        match format {
            Format::RdfXml => rdfxml::head(&mut writer.out)?,
            Format::Turtle => turtle::head(&mut writer.out)?,
            Format::JsonLd => jsonld::head(&mut writer.out)?,
        }
        if let Some(flat) = catalog.and_then(graph::catalog) {
            writer.catalog = flat.nodes.first().and_then(|n| n.iri.clone());
            writer.write_flat(flat)?;
        }
        if let Some(node) = paging.and_then(graph::paging) {
            writer.node(&node)?;
        }
        Ok(writer)
    }

    /// Writes a dataset, its distributions and the shared terms not written yet, and links
    /// it to the catalogue. A dataset without a usable IRI is skipped (returns false).
    pub fn dataset(&mut self, dataset: &Dataset) -> io::Result<bool> {
        let Some(flat) = graph::dataset(dataset) else {
            return Ok(false);
        };
        if let (Some(catalog), Some(iri)) = (
            &self.catalog,
            flat.nodes.first().and_then(|n| n.iri.clone()),
        ) {
            let link = Node {
                iri: Some(catalog.clone()),
                types: Vec::new(),
                props: vec![("dcat:dataset", graph::Object::Iri(iri))],
            };
            self.node(&link)?;
        }
        self.write_flat(flat)?;
        Ok(true)
    }

    /// Ends the document and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::RdfXml => rdfxml::tail(&mut self.out)?,
            Format::Turtle => {}
            Format::JsonLd => jsonld::tail(&mut self.out)?,
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// The output so far (to flush a chunk of a streamed reply).
    pub fn output(&mut self) -> &mut W {
        &mut self.out
    }

    fn write_flat(&mut self, flat: graph::Flat) -> io::Result<()> {
        if self.seen.len() > SEEN_LIMIT {
            self.seen.clear();
        }
        for node in &flat.shared {
            let Some(iri) = &node.iri else { continue };
            if self.seen.insert(iri.clone()) {
                self.node(node)?;
            }
        }
        for node in &flat.nodes {
            self.node(node)?;
        }
        Ok(())
    }

    fn node(&mut self, node: &Node) -> io::Result<()> {
        match self.format {
            Format::RdfXml => rdfxml::node(&mut self.out, node),
            Format::Turtle => turtle::node(&mut self.out, node),
            Format::JsonLd => {
                if self.started_graph {
                    self.out.write_all(b",\n")?;
                }
                self.started_graph = true;
                jsonld::node(&mut self.out, node)
            }
        }
    }
}

/// A whole document in memory: the catalogue (if any), paging, and `datasets`.
pub fn to_bytes<'a>(
    format: Format,
    catalog: Option<&Catalog>,
    paging: Option<&Paging>,
    datasets: impl IntoIterator<Item = &'a Dataset>,
) -> io::Result<Vec<u8>> {
    let mut writer = StreamWriter::start(Vec::new(), format, catalog, paging)?;
    for dataset in datasets {
        writer.dataset(dataset)?;
    }
    writer.finish()
}
