//! Reading RDF/XML, Turtle or JSON-LD back into the model, for harvesting remote
//! catalogues. The syntax is oxigraph's `oxrdfio` (default features only: no async runtime,
//! no RDF 1.2), the graph `oxrdf`'s in-memory one; the model is then read from the graph by
//! property. Hardened for hostile sources: the caller's size cap is enforced before parsing
//! (a reader is never read past it); a DOCTYPE is refused outright in RDF/XML, because
//! oxrdfxml expands internal entities (a "billion laughs" document would grow to gigabytes)
//! and no catalogue needs one; JSON-LD remote contexts are never fetched.

use std::io::Read;

use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};
use oxrdfio::{JsonLdProfileSet, RdfFormat, RdfParser};
use quick_xml::events::Event;

use super::model::{
    Agent, Catalog, Checksum, Concept, ConceptScheme, ContactPoint, Dataset, Distribution,
    Frequency, LicenseDocument, Location, Paging, PeriodOfTime, Text,
};
use super::vocab::{DCAT, DCATAP, DCT, FOAF, HYDRA, SKOS, SPDX, VCARD};
use super::write::Format;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Larger than the caller allows.
    #[error("the document is larger than {limit} bytes")]
    TooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// An XML document type declaration (entities are never expanded).
    #[error("XML document type declarations (DOCTYPE, entities) are refused")]
    Doctype,
    /// Not valid in its syntax.
    #[error("invalid {format}: {message}")]
    Syntax {
        /// The syntax expected.
        format: &'static str,
        /// The parser's message, with its position.
        message: String,
    },
    /// Reading the input failed.
    #[error("reading the document: {0}")]
    Io(#[from] std::io::Error),
}

/// What a DCAT document holds.
#[derive(Debug, Default)]
pub struct Document {
    /// The catalogue's own description, when there is one.
    pub catalog: Option<Catalog>,
    /// Every `dcat:Dataset` with an IRI, sorted by IRI.
    pub datasets: Vec<Dataset>,
    /// The paging, when the document is one page of a catalogue.
    pub paging: Option<Paging>,
}

/// Reads at most `max_bytes` from `reader` and parses them; a longer input fails with
/// [`ParseError::TooLarge`] without being read further.
pub fn parse_reader(
    reader: impl Read,
    format: Format,
    max_bytes: usize,
    base_iri: Option<&str>,
) -> Result<Document, ParseError> {
    let mut bytes = Vec::new();
    reader.take(max_bytes as u64 + 1).read_to_end(&mut bytes)?;
    parse(&bytes, format, max_bytes, base_iri)
}

/// Parses a whole document of at most `max_bytes`; relative IRIs resolve against `base_iri`.
pub fn parse(
    bytes: &[u8],
    format: Format,
    max_bytes: usize,
    base_iri: Option<&str>,
) -> Result<Document, ParseError> {
    if bytes.len() > max_bytes {
        return Err(ParseError::TooLarge { limit: max_bytes });
    }
    let graph = graph_of(bytes, format, base_iri)?;
    Ok(read_document(&graph))
}

fn syntax(format: Format, message: impl ToString) -> ParseError {
    let format = match format {
        Format::RdfXml => "RDF/XML",
        Format::Turtle => "Turtle",
        Format::JsonLd => "JSON-LD",
    };
    ParseError::Syntax {
        format,
        message: message.to_string(),
    }
}

/// Refuses any DOCTYPE: a full pass of quick-xml's tokenizer (cheap beside RDF parsing).
fn refuse_doctype(bytes: &[u8]) -> Result<(), ParseError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::DocType(_)) => return Err(ParseError::Doctype),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(syntax(Format::RdfXml, e)),
        }
        buffer.clear();
    }
}

fn graph_of(bytes: &[u8], format: Format, base_iri: Option<&str>) -> Result<Graph, ParseError> {
    let rdf_format = match format {
        Format::RdfXml => {
            refuse_doctype(bytes)?;
            RdfFormat::RdfXml
        }
        Format::Turtle => RdfFormat::Turtle,
        Format::JsonLd => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    };
    let mut parser = RdfParser::from_format(rdf_format).without_named_graphs();
    if let Some(base) = base_iri {
        parser = parser
            .with_base_iri(base)
            .map_err(|e| syntax(format, format!("base IRI {base}: {e}")))?;
    }
    let mut graph = Graph::new();
    for quad in parser.for_slice(bytes) {
        let quad = quad.map_err(|e| syntax(format, e))?;
        graph.insert(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
    }
    Ok(graph)
}

/// Reads the model out of a graph.
fn read_document(g: &Graph) -> Document {
    let reader = Reader { g };
    let mut datasets: Vec<Dataset> = reader
        .typed(DCAT, "Dataset")
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(reader.dataset(n)),
            _ => None,
        })
        .collect();
    datasets.sort_by(|a, b| a.iri.cmp(&b.iri));
    let catalog = reader.typed(DCAT, "Catalog").find_map(|s| match s {
        NamedOrBlankNodeRef::NamedNode(n) => Some(reader.catalog(n)),
        _ => None,
    });
    Document {
        catalog,
        datasets,
        paging: reader.paging(),
    }
}

struct Reader<'g> {
    g: &'g Graph,
}

fn term(ns: &str, local: &str) -> String {
    format!("{ns}{local}")
}

impl<'g> Reader<'g> {
    fn objects(&self, s: NamedOrBlankNodeRef<'_>, ns: &str, local: &str) -> Vec<TermRef<'g>> {
        let p = term(ns, local);
        self.g
            .objects_for_subject_predicate(s, NamedNodeRef::new_unchecked(&p))
            .collect()
    }

    fn typed(&self, ns: &str, local: &str) -> impl Iterator<Item = NamedOrBlankNodeRef<'g>> + 'g {
        let rdf_type =
            NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        let class = oxrdf::NamedNode::new_unchecked(term(ns, local));
        let subjects: Vec<NamedOrBlankNodeRef<'g>> = self
            .g
            .subjects_for_predicate_object(rdf_type, class.as_ref())
            .collect();
        subjects.into_iter()
    }

    fn texts(&self, s: NamedOrBlankNodeRef<'_>, ns: &str, local: &str) -> Vec<Text> {
        let mut texts: Vec<Text> = self
            .objects(s, ns, local)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::Literal(l) => Some(Text {
                    value: l.value().to_owned(),
                    lang: l.language().map(str::to_owned),
                }),
                _ => None,
            })
            .collect();
        texts.sort();
        texts
    }

    fn literal(&self, s: NamedOrBlankNodeRef<'_>, ns: &str, local: &str) -> Option<String> {
        self.objects(s, ns, local)
            .into_iter()
            .find_map(|o| match o {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    }

    fn iris(&self, s: NamedOrBlankNodeRef<'_>, ns: &str, local: &str) -> Vec<String> {
        let mut iris: Vec<String> = self
            .objects(s, ns, local)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        iris.sort();
        iris
    }

    fn iri(&self, s: NamedOrBlankNodeRef<'_>, ns: &str, local: &str) -> Option<String> {
        self.iris(s, ns, local).into_iter().next()
    }

    fn resources(
        &self,
        s: NamedOrBlankNodeRef<'_>,
        ns: &str,
        local: &str,
    ) -> Vec<NamedOrBlankNodeRef<'g>> {
        self.objects(s, ns, local)
            .into_iter()
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(NamedOrBlankNodeRef::NamedNode(n)),
                TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::BlankNode(b)),
                _ => None,
            })
            .collect()
    }

    fn concept(&self, iri: &str) -> Concept {
        let s = NamedOrBlankNodeRef::NamedNode(NamedNodeRef::new_unchecked(iri));
        Concept {
            iri: iri.to_owned(),
            pref_label: self.texts(s, SKOS, "prefLabel"),
            in_scheme: self.iri(s, SKOS, "inScheme").map(|scheme| ConceptScheme {
                title: self.texts(named(&scheme), DCT, "title"),
                iri: scheme,
            }),
            exact_match: self.iris(s, SKOS, "exactMatch"),
        }
    }

    fn agent(&self, iri: &str) -> Agent {
        let s = named(iri);
        Agent {
            iri: iri.to_owned(),
            name: self.texts(s, FOAF, "name"),
            kind: self.iri(s, DCT, "type").map(|k| self.concept(&k)),
        }
    }

    fn license(&self, iri: &str) -> LicenseDocument {
        let s = named(iri);
        LicenseDocument {
            iri: iri.to_owned(),
            title: self.texts(s, DCT, "title"),
            kind: self.iri(s, DCT, "type").map(|k| self.concept(&k)),
        }
    }

    fn contact(&self, s: NamedOrBlankNodeRef<'_>) -> ContactPoint {
        let strip = |iri: Option<String>, scheme: &str| {
            iri.map(|i| i.strip_prefix(scheme).map(str::to_owned).unwrap_or(i))
        };
        ContactPoint {
            name: self.literal(s, VCARD, "fn"),
            email: strip(self.iri(s, VCARD, "hasEmail"), "mailto:"),
            telephone: strip(self.iri(s, VCARD, "hasTelephone"), "tel:"),
        }
    }

    fn location(&self, s: NamedOrBlankNodeRef<'_>) -> Location {
        Location {
            iri: match s {
                NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            },
            identifier: self.literal(s, DCT, "identifier"),
            name: self.texts(s, SKOS, "prefLabel"),
        }
    }

    fn distribution(&self, s: NamedOrBlankNodeRef<'_>, iri: String) -> Distribution {
        let checksum = self
            .resources(s, SPDX, "checksum")
            .first()
            .map(|&c| Checksum {
                algorithm: self.iri(c, SPDX, "algorithm").unwrap_or_default(),
                value: self.literal(c, SPDX, "checksumValue").unwrap_or_default(),
            });
        Distribution {
            iri,
            title: self.texts(s, DCT, "title"),
            description: self.texts(s, DCT, "description"),
            access_url: self.iri(s, DCAT, "accessURL").unwrap_or_default(),
            download_url: self.iri(s, DCAT, "downloadURL"),
            format: self.iri(s, DCT, "format"),
            media_type: self.iri(s, DCAT, "mediaType"),
            license: self.iri(s, DCT, "license").map(|l| self.license(&l)),
            byte_size: self
                .literal(s, DCAT, "byteSize")
                .and_then(|b| b.trim().parse().ok()),
            checksum,
            availability: self
                .iri(s, DCATAP, "availability")
                .map(|a| self.concept(&a)),
            issued: self.literal(s, DCT, "issued"),
            modified: self.literal(s, DCT, "modified"),
        }
    }

    fn dataset(&self, n: NamedNodeRef<'_>) -> Dataset {
        let s = NamedOrBlankNodeRef::NamedNode(n);
        let mut contact_points: Vec<ContactPoint> = self
            .resources(s, DCAT, "contactPoint")
            .into_iter()
            .map(|c| self.contact(c))
            .collect();
        contact_points.sort();
        let mut spatial: Vec<Location> = self
            .resources(s, DCT, "spatial")
            .into_iter()
            .map(|l| self.location(l))
            .collect();
        spatial.sort();
        let mut temporal: Vec<PeriodOfTime> = self
            .resources(s, DCT, "temporal")
            .into_iter()
            .map(|p| PeriodOfTime {
                start: self.literal(p, DCAT, "startDate"),
                end: self.literal(p, DCAT, "endDate"),
            })
            .collect();
        temporal.sort();
        let mut distributions: Vec<Distribution> = self
            .resources(s, DCAT, "distribution")
            .into_iter()
            .map(|d| {
                let iri = match d {
                    NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
                    NamedOrBlankNodeRef::BlankNode(_) => String::new(),
                };
                self.distribution(d, iri)
            })
            .collect();
        distributions.sort();
        Dataset {
            iri: n.as_str().to_owned(),
            identifier: self.literal(s, DCT, "identifier"),
            title: self.texts(s, DCT, "title"),
            description: self.texts(s, DCT, "description"),
            keywords: self.texts(s, DCAT, "keyword"),
            themes: self
                .iris(s, DCAT, "theme")
                .iter()
                .map(|t| self.concept(t))
                .collect(),
            publisher: self.iri(s, DCT, "publisher").map(|p| self.agent(&p)),
            contact_points,
            issued: self.literal(s, DCT, "issued"),
            modified: self.literal(s, DCT, "modified"),
            frequency: self.iri(s, DCT, "accrualPeriodicity").map(|f| Frequency {
                label: self.texts(named(&f), SKOS, "prefLabel"),
                iri: f,
            }),
            spatial,
            temporal,
            languages: self.iris(s, DCT, "language"),
            landing_page: self.iri(s, DCAT, "landingPage"),
            version: self.literal(s, DCAT, "version"),
            distributions,
        }
    }

    fn catalog(&self, n: NamedNodeRef<'_>) -> Catalog {
        let s = NamedOrBlankNodeRef::NamedNode(n);
        let theme_taxonomies = self
            .iris(s, DCAT, "themeTaxonomy")
            .into_iter()
            .map(|t| ConceptScheme {
                title: self.texts(named(&t), DCT, "title"),
                iri: t,
            })
            .collect();
        Catalog {
            iri: n.as_str().to_owned(),
            title: self.texts(s, DCT, "title"),
            description: self.texts(s, DCT, "description"),
            publisher: self
                .iri(s, DCT, "publisher")
                .map(|p| self.agent(&p))
                .unwrap_or_default(),
            homepage: self.iri(s, FOAF, "homepage"),
            languages: self.iris(s, DCT, "language"),
            license: self.iri(s, DCT, "license").map(|l| self.license(&l)),
            spatial: self
                .resources(s, DCT, "spatial")
                .into_iter()
                .map(|l| self.location(l))
                .collect(),
            issued: self.literal(s, DCT, "issued"),
            modified: self.literal(s, DCT, "modified"),
            theme_taxonomies,
        }
    }

    /// The paging of a page: the node with a `hydra:next`/`nextPage` link, or else one typed
    /// as a hydra collection or view.
    fn paging(&self) -> Option<Paging> {
        let linked = ["next", "nextPage", "totalItems"].iter().find_map(|local| {
            let p = term(HYDRA, local);
            self.g
                .triples_for_predicate(NamedNodeRef::new_unchecked(&p))
                .next()
                .map(|t| t.subject)
        });
        let s = linked.or_else(|| {
            ["PagedCollection", "PartialCollectionView", "Collection"]
                .iter()
                .find_map(|class| self.typed(HYDRA, class).next())
        })?;
        let link = |a: &str, b: &str| self.iri(s, HYDRA, a).or_else(|| self.iri(s, HYDRA, b));
        let number = |local: &str| {
            self.literal(s, HYDRA, local)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        Some(Paging {
            page: match s {
                NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
                _ => String::new(),
            },
            total_items: number("totalItems"),
            items_per_page: number("itemsPerPage"),
            first: link("firstPage", "first"),
            last: link("lastPage", "last"),
            next: link("nextPage", "next"),
            previous: link("previousPage", "previous"),
        })
    }
}

fn named(iri: &str) -> NamedOrBlankNodeRef<'_> {
    NamedOrBlankNodeRef::NamedNode(NamedNodeRef::new_unchecked(iri))
}
