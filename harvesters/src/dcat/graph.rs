//! The model flattened into nodes (a subject, its types and its properties), the one shape
//! the three serialisers render. Values are made safe here, once for every format: IRIs
//! checked and percent-encoded where RDF forbids a character, literals in NFC, dates typed
//! by their lexical form (an unreadable date is left out rather than written wrong).

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::model::{
    Agent, Catalog, Concept, ConceptScheme, ContactPoint, Dataset, Distribution, LicenseDocument,
    Location, Paging, PeriodOfTime, Text,
};

/// An object of a property.
#[derive(Debug, Clone)]
pub(crate) enum Object {
    /// A node by IRI.
    Iri(String),
    /// A literal, maybe language-tagged.
    Text(Text),
    /// A typed literal: value and prefixed datatype (`xsd:date`).
    Typed(String, &'static str),
    /// A blank node written inside its subject.
    Node(Node),
}

/// A subject with its types and properties; predicates and types are prefixed names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// Its IRI; None for a blank node (only ever written nested).
    pub iri: Option<String>,
    /// Its `rdf:type`s, the first one naming the element in RDF/XML.
    pub types: Vec<&'static str>,
    /// Its properties, in order.
    pub props: Vec<(&'static str, Object)>,
}

impl Node {
    fn new(iri: Option<String>, kind: &'static str) -> Node {
        Node {
            iri,
            types: vec![kind],
            props: Vec::new(),
        }
    }

    fn iri(&mut self, predicate: &'static str, iri: Option<String>) {
        if let Some(iri) = iri {
            self.props.push((predicate, Object::Iri(iri)));
        }
    }

    fn texts(&mut self, predicate: &'static str, texts: &[Text]) {
        for text in texts {
            if let Some(text) = clean_text(text) {
                self.props.push((predicate, Object::Text(text)));
            }
        }
    }

    fn typed(&mut self, predicate: &'static str, value: Option<&str>) {
        if let Some((value, datatype)) = value.and_then(date_type) {
            self.props
                .push((predicate, Object::Typed(value.to_owned(), datatype)));
        }
    }
}

/// What one model object becomes: nodes always written, and shared nodes (vocabulary
/// terms, publishers, licences) that a stream writes the first time it meets them.
#[derive(Debug, Default)]
pub(crate) struct Flat {
    /// Written every time, in order.
    pub nodes: Vec<Node>,
    /// Written once per document, keyed by IRI.
    pub shared: Vec<Node>,
}

/// A literal's text in NFC with its language tag checked; None when empty.
fn clean_text(text: &Text) -> Option<Text> {
    if text.value.is_empty() {
        return None;
    }
    let lang = text
        .lang
        .as_deref()
        .filter(|l| is_language_tag(l))
        .map(str::to_ascii_lowercase);
    Some(Text {
        value: nfc(&text.value).into_owned(),
        lang,
    })
}

/// `text` in Unicode NFC (a quick check first: nearly all text already is).
pub(crate) fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// A simple BCP 47 check: letters, digits and `-`, starting with 2–8 letters.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The XSD datatype of a date by its form: `YYYY` gYear, `YYYY-MM-DD` date,
/// `YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]` dateTime; None for anything else.
pub(crate) fn date_type(value: &str) -> Option<(&str, &'static str)> {
    let value = value.trim();
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if b.len() == 4 && digits(0..4) {
        return Some((value, "xsd:gYear"));
    }
    if date && b.len() == 10 {
        return Some((value, "xsd:date"));
    }
    let time = date
        && b.len() >= 19
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !time {
        return None;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3]
                .bytes()
                .chain(rest[4..6].bytes())
                .all(|c| c.is_ascii_digit()));
    zone_ok.then_some((value, "xsd:dateTime"))
}

/// An absolute IRI safe to write in every format: characters RDF forbids inside an IRI
/// (spaces, `<>"{}|\^` and backquote, controls) percent-encoded, then checked with oxiri.
/// None for a relative or unreadable reference, or a scheme we do not link to.
pub fn clean_iri(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let scheme = raw.split_once(':')?.0.to_ascii_lowercase();
    // A scheme that is also one of our prefixes would read as a prefixed name in JSON-LD.
    if !matches!(
        scheme.as_str(),
        "http" | "https" | "ftp" | "mailto" | "tel" | "urn"
    ) {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let forbidden = c <= ' '
            || matches!(
                c,
                '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`' | '\u{7f}'
            )
            || ('\u{80}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{fffe}' | '\u{ffff}');
        if forbidden {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    let out = nfc(&out).into_owned();
    oxiri::Iri::parse(out.as_str()).ok()?;
    Some(out)
}

fn concept(c: &Concept, shared: &mut Vec<Node>) -> Option<String> {
    let iri = clean_iri(&c.iri)?;
    let mut node = Node::new(Some(iri.clone()), "skos:Concept");
    node.texts("skos:prefLabel", &c.pref_label);
    if let Some(scheme) = &c.in_scheme {
        node.iri("skos:inScheme", concept_scheme(scheme, shared));
    }
    for matched in &c.exact_match {
        node.iri("skos:exactMatch", clean_iri(matched));
    }
    shared.push(node);
    Some(iri)
}

fn concept_scheme(scheme: &ConceptScheme, shared: &mut Vec<Node>) -> Option<String> {
    let iri = clean_iri(&scheme.iri)?;
    let mut node = Node::new(Some(iri.clone()), "skos:ConceptScheme");
    node.texts("dct:title", &scheme.title);
    shared.push(node);
    Some(iri)
}

fn agent(a: &Agent, shared: &mut Vec<Node>) -> Option<String> {
    let iri = clean_iri(&a.iri)?;
    let mut node = Node::new(Some(iri.clone()), "foaf:Agent");
    node.texts("foaf:name", &a.name);
    if let Some(kind) = &a.kind {
        node.iri("dct:type", concept(kind, shared));
    }
    shared.push(node);
    Some(iri)
}

fn license(l: &LicenseDocument, shared: &mut Vec<Node>) -> Option<String> {
    let iri = clean_iri(&l.iri)?;
    let mut node = Node::new(Some(iri.clone()), "dct:LicenseDocument");
    node.texts("dct:title", &l.title);
    if let Some(kind) = &l.kind {
        node.iri("dct:type", concept(kind, shared));
    }
    shared.push(node);
    Some(iri)
}

/// A bare typed node for an IRI (range shapes want the class stated).
fn typed_term(iri: &str, kind: &'static str, shared: &mut Vec<Node>) -> Option<String> {
    let iri = clean_iri(iri)?;
    shared.push(Node::new(Some(iri.clone()), kind));
    Some(iri)
}

fn contact(c: &ContactPoint) -> Option<Node> {
    let mut node = Node::new(None, "vcard:Kind");
    if let Some(name) = &c.name {
        node.texts("vcard:fn", &[Text::plain(name.as_str())]);
    }
    if let Some(email) = &c.email {
        node.iri(
            "vcard:hasEmail",
            clean_iri(&format!("mailto:{}", email.trim())),
        );
    }
    if let Some(tel) = &c.telephone {
        let digits: String = tel.chars().filter(|c| !c.is_whitespace()).collect();
        node.iri("vcard:hasTelephone", clean_iri(&format!("tel:{digits}")));
    }
    (!node.props.is_empty()).then_some(node)
}

fn location(l: &Location, shared: &mut Vec<Node>) -> Option<Object> {
    let iri = l.iri.as_deref().and_then(clean_iri);
    let mut node = Node::new(iri.clone(), "dct:Location");
    if let Some(code) = &l.identifier {
        node.texts("dct:identifier", &[Text::plain(code.as_str())]);
    }
    node.texts("skos:prefLabel", &l.name);
    match iri {
        Some(iri) => {
            shared.push(node);
            Some(Object::Iri(iri))
        }
        None => (!node.props.is_empty()).then_some(Object::Node(node)),
    }
}

fn period(p: &PeriodOfTime) -> Option<Node> {
    let mut node = Node::new(None, "dct:PeriodOfTime");
    node.typed("dcat:startDate", p.start.as_deref());
    node.typed("dcat:endDate", p.end.as_deref());
    (!node.props.is_empty()).then_some(node)
}

fn distribution(
    d: &Distribution,
    fallback_access: Option<&str>,
    shared: &mut Vec<Node>,
) -> Option<Node> {
    let iri = clean_iri(&d.iri)?;
    let access = clean_iri(&d.access_url).or_else(|| fallback_access.map(str::to_owned))?;
    let mut node = Node::new(Some(iri), "dcat:Distribution");
    node.texts("dct:title", &d.title);
    node.texts("dct:description", &d.description);
    node.iri("dcat:accessURL", Some(access));
    node.iri(
        "dcat:downloadURL",
        d.download_url.as_deref().and_then(clean_iri),
    );
    if let Some(format) = &d.format {
        node.iri(
            "dct:format",
            typed_term(format, "dct:MediaTypeOrExtent", shared),
        );
    }
    if let Some(media) = &d.media_type {
        node.iri("dcat:mediaType", typed_term(media, "dct:MediaType", shared));
    }
    if let Some(l) = &d.license {
        node.iri("dct:license", license(l, shared));
    }
    if let Some(size) = d.byte_size {
        node.props.push((
            "dcat:byteSize",
            Object::Typed(size.to_string(), "xsd:nonNegativeInteger"),
        ));
    }
    if let Some(sum) = &d.checksum {
        let hex = sum.value.trim().to_ascii_lowercase();
        let algorithm = clean_iri(&sum.algorithm);
        if let (Some(algorithm), true) = (
            algorithm,
            !hex.is_empty() && hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        ) {
            let mut checksum = Node::new(None, "spdx:Checksum");
            checksum.iri("spdx:algorithm", Some(algorithm));
            checksum
                .props
                .push(("spdx:checksumValue", Object::Typed(hex, "xsd:hexBinary")));
            node.props.push(("spdx:checksum", Object::Node(checksum)));
        }
    }
    if let Some(a) = &d.availability {
        node.iri("dcatap:availability", concept(a, shared));
    }
    node.typed("dct:issued", d.issued.as_deref());
    node.typed("dct:modified", d.modified.as_deref());
    Some(node)
}

/// A dataset's nodes: the dataset, then its distributions; shared terms beside.
pub(crate) fn dataset(d: &Dataset) -> Option<Flat> {
    let mut flat = Flat::default();
    let shared = &mut flat.shared;
    let iri = clean_iri(&d.iri)?;
    let mut node = Node::new(Some(iri.clone()), "dcat:Dataset");
    if let Some(id) = &d.identifier {
        node.texts("dct:identifier", &[Text::plain(id.as_str())]);
    }
    node.texts("dct:title", &d.title);
    node.texts("dct:description", &d.description);
    node.texts("dcat:keyword", &d.keywords);
    for theme in &d.themes {
        node.iri("dcat:theme", concept(theme, shared));
    }
    if let Some(publisher) = &d.publisher {
        node.iri("dct:publisher", agent(publisher, shared));
    }
    for c in d.contact_points.iter().filter_map(contact) {
        node.props.push(("dcat:contactPoint", Object::Node(c)));
    }
    node.typed("dct:issued", d.issued.as_deref());
    node.typed("dct:modified", d.modified.as_deref());
    if let Some(f) = &d.frequency {
        if let Some(f_iri) = clean_iri(&f.iri) {
            let mut term = Node::new(Some(f_iri.clone()), "dct:Frequency");
            term.texts("skos:prefLabel", &f.label);
            shared.push(term);
            node.iri("dct:accrualPeriodicity", Some(f_iri));
        }
    }
    for l in &d.spatial {
        if let Some(object) = location(l, shared) {
            node.props.push(("dct:spatial", object));
        }
    }
    for p in d.temporal.iter().filter_map(period) {
        node.props.push(("dct:temporal", Object::Node(p)));
    }
    for language in &d.languages {
        node.iri(
            "dct:language",
            typed_term(language, "dct:LinguisticSystem", shared),
        );
    }
    let landing = d.landing_page.as_deref().and_then(clean_iri);
    if let Some(page) = &landing {
        node.iri(
            "dcat:landingPage",
            typed_term(page, "foaf:Document", shared),
        );
    }
    if let Some(version) = &d.version {
        node.texts("dcat:version", &[Text::plain(version.as_str())]);
    }
    let fallback = landing.as_deref().or(Some(iri.as_str()));
    let distributions: Vec<Node> = d
        .distributions
        .iter()
        .filter_map(|dist| distribution(dist, fallback, shared))
        .collect();
    for dist in &distributions {
        node.iri("dcat:distribution", dist.iri.clone());
    }
    flat.nodes.push(node);
    flat.nodes.extend(distributions);
    Some(flat)
}

/// The catalogue's own node (without its `dcat:dataset` links, written per dataset).
pub(crate) fn catalog(c: &Catalog) -> Option<Flat> {
    let mut flat = Flat::default();
    let shared = &mut flat.shared;
    let mut node = Node::new(Some(clean_iri(&c.iri)?), "dcat:Catalog");
    node.texts("dct:title", &c.title);
    node.texts("dct:description", &c.description);
    node.iri("dct:publisher", agent(&c.publisher, shared));
    if let Some(home) = &c.homepage {
        node.iri("foaf:homepage", typed_term(home, "foaf:Document", shared));
    }
    for language in &c.languages {
        node.iri(
            "dct:language",
            typed_term(language, "dct:LinguisticSystem", shared),
        );
    }
    if let Some(l) = &c.license {
        node.iri("dct:license", license(l, shared));
    }
    for l in &c.spatial {
        if let Some(object) = location(l, shared) {
            node.props.push(("dct:spatial", object));
        }
    }
    node.typed("dct:issued", c.issued.as_deref());
    node.typed("dct:modified", c.modified.as_deref());
    for scheme in &c.theme_taxonomies {
        node.iri("dcat:themeTaxonomy", concept_scheme(scheme, shared));
    }
    flat.nodes.push(node);
    Some(flat)
}

/// The paging node (hydra), with both the older `nextPage` names CKAN writes and `next`.
pub(crate) fn paging(p: &Paging) -> Option<Node> {
    let mut node = Node::new(Some(clean_iri(&p.page)?), "hydra:PagedCollection");
    node.props.push((
        "hydra:totalItems",
        Object::Typed(p.total_items.to_string(), "xsd:integer"),
    ));
    node.props.push((
        "hydra:itemsPerPage",
        Object::Typed(p.items_per_page.to_string(), "xsd:integer"),
    ));
    let links = [
        ("hydra:firstPage", &p.first),
        ("hydra:lastPage", &p.last),
        ("hydra:nextPage", &p.next),
        ("hydra:next", &p.next),
        ("hydra:previousPage", &p.previous),
        ("hydra:previous", &p.previous),
    ];
    for (predicate, link) in links {
        node.iri(predicate, link.as_deref().and_then(clean_iri));
    }
    Some(node)
}
