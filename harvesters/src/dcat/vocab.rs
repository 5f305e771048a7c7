//! Namespaces and the EU vocabularies DCAT-AP points at (frequencies, data themes, languages,
//! file types, availability, ADMS types), as IRIs.

/// A namespace: its usual prefix and IRI.
pub struct Namespace {
    /// The prefix written in Turtle, RDF/XML and the JSON-LD context.
    pub prefix: &'static str,
    /// The namespace IRI.
    pub iri: &'static str,
}

macro_rules! namespaces {
    ($($name:ident = $prefix:literal $iri:literal;)*) => {
        $(
            #[doc = concat!("`", $prefix, ":` = <", $iri, ">")]
            pub const $name: &str = $iri;
        )*
        /// Every namespace the serialisers declare.
        pub const NAMESPACES: &[Namespace] = &[$(Namespace { prefix: $prefix, iri: $iri }),*];
    };
}

namespaces! {
    RDF = "rdf" "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    XSD = "xsd" "http://www.w3.org/2001/XMLSchema#";
    DCAT = "dcat" "http://www.w3.org/ns/dcat#";
    DCT = "dct" "http://purl.org/dc/terms/";
    DCATAP = "dcatap" "http://data.europa.eu/r5r/";
    FOAF = "foaf" "http://xmlns.com/foaf/0.1/";
    VCARD = "vcard" "http://www.w3.org/2006/vcard/ns#";
    SKOS = "skos" "http://www.w3.org/2004/02/skos/core#";
    SPDX = "spdx" "http://spdx.org/rdf/terms#";
    LOCN = "locn" "http://www.w3.org/ns/locn#";
    HYDRA = "hydra" "http://www.w3.org/ns/hydra/core#";
}

/// The EU frequency vocabulary; a term is this plus `MONTHLY`, `ANNUAL`, ...
pub const EU_FREQUENCY: &str = "http://publications.europa.eu/resource/authority/frequency/";
/// The EU data-theme vocabulary (a `skos:ConceptScheme`).
pub const EU_DATA_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme";
/// The EU language vocabulary; a term is this plus `VIE`, `ENG`, ...
pub const EU_LANGUAGE: &str = "http://publications.europa.eu/resource/authority/language/";
/// The EU file-type vocabulary; a term is this plus `CSV`, `XLSX`, ...
pub const EU_FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
/// IANA media types; a term is this plus `text/csv`.
pub const IANA_MEDIA_TYPE: &str = "http://www.iana.org/assignments/media-types/";
/// SHA-256 in the SPDX vocabulary.
pub const SPDX_SHA256: &str = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256";
/// The EU planned-availability term for data kept for good.
pub const AVAILABILITY_STABLE: &str =
    "http://publications.europa.eu/resource/authority/planned-availability/STABLE";
/// The ADMS publisher types; a term is this plus `RegionalAuthority`, ...
pub const ADMS_PUBLISHER_TYPE: &str = "http://purl.org/adms/publishertype/";
/// The ADMS licence types; a term is this plus `Attribution`, `PublicDomain`, ...
pub const ADMS_LICENCE_TYPE: &str = "http://purl.org/adms/licencetype/";

/// The EU data themes: code (after `data-theme/`), English label.
pub const EU_DATA_THEMES: &[(&str, &str)] = &[
    ("AGRI", "Agriculture, fisheries, forestry and food"),
    ("ECON", "Economy and finance"),
    ("EDUC", "Education, culture and sport"),
    ("ENER", "Energy"),
    ("ENVI", "Environment"),
    ("GOVE", "Government and public sector"),
    ("HEAL", "Health"),
    ("INTR", "International issues"),
    ("JUST", "Justice, legal system and public safety"),
    ("REGI", "Regions and cities"),
    ("SOCI", "Population and society"),
    ("TECH", "Science and technology"),
    ("TRAN", "Transport"),
];

/// The IRI of an EU data theme by code.
pub fn eu_theme_iri(code: &str) -> String {
    format!("{EU_DATA_THEME}/{code}")
}

/// Expands a prefixed name (`dcat:Dataset`) with [`NAMESPACES`].
pub fn expand(name: &str) -> Option<String> {
    let (prefix, local) = name.split_once(':')?;
    NAMESPACES
        .iter()
        .find(|n| n.prefix == prefix)
        .map(|n| format!("{}{local}", n.iri))
}
