//! The DCAT-AP 3.0.1 model: the classes a catalogue export and a harvest need, each field
//! named after its property. Multi-valued properties are lists; [`Dataset::canonical`] sorts
//! them so that a graph (which has no order) read back compares equal to what was written.

/// A literal with an optional language tag (`"Giá đất"@vi`, `"Land prices"@en`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Text {
    /// The lexical value.
    pub value: String,
    /// BCP 47 language tag, lowercase (`vi`, `en`), or none.
    pub lang: Option<String>,
}

impl Text {
    /// A literal tagged `lang`.
    pub fn tagged(value: impl Into<String>, lang: &str) -> Text {
        Text {
            value: value.into(),
            lang: Some(lang.to_ascii_lowercase()),
        }
    }

    /// A literal without a language.
    pub fn plain(value: impl Into<String>) -> Text {
        Text {
            value: value.into(),
            lang: None,
        }
    }
}

/// `skos:ConceptScheme`: a controlled vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ConceptScheme {
    /// Its IRI.
    pub iri: String,
    /// `dct:title`.
    pub title: Vec<Text>,
}

/// `skos:Concept`: a term of a vocabulary (themes, agent and licence types, availability).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Concept {
    /// Its IRI.
    pub iri: String,
    /// `skos:prefLabel`, one per language.
    pub pref_label: Vec<Text>,
    /// `skos:inScheme`.
    pub in_scheme: Option<ConceptScheme>,
    /// `skos:exactMatch`: the same term in another vocabulary (a national theme's EU theme).
    pub exact_match: Vec<String>,
}

/// `foaf:Agent`: a publisher.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Agent {
    /// Its IRI.
    pub iri: String,
    /// `foaf:name`, one per language.
    pub name: Vec<Text>,
    /// `dct:type` (ADMS publisher type).
    pub kind: Option<Concept>,
}

/// `vcard:Kind`: a contact point (a blank node).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ContactPoint {
    /// `vcard:fn`, the formatted name.
    pub name: Option<String>,
    /// `vcard:hasEmail`, the address without `mailto:`.
    pub email: Option<String>,
    /// `vcard:hasTelephone`, the number without `tel:`.
    pub telephone: Option<String>,
}

/// `dct:LicenseDocument`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LicenseDocument {
    /// Its IRI (where the text is published).
    pub iri: String,
    /// `dct:title`, one per language.
    pub title: Vec<Text>,
    /// `dct:type` (ADMS licence type).
    pub kind: Option<Concept>,
}

/// `dct:Frequency`: a term of the EU frequency vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Frequency {
    /// Its IRI (`…/authority/frequency/MONTHLY`).
    pub iri: String,
    /// `skos:prefLabel`, one per language.
    pub label: Vec<Text>,
}

/// `dct:Location`: a place (a blank node unless it has an IRI).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    /// Its IRI, if it has one.
    pub iri: Option<String>,
    /// `dct:identifier`: our administrative unit code.
    pub identifier: Option<String>,
    /// `skos:prefLabel`: its name.
    pub name: Vec<Text>,
}

/// `dct:PeriodOfTime` (a blank node): `dcat:startDate`/`dcat:endDate` as `YYYY-MM-DD` (or any
/// `xsd:date`, `xsd:dateTime`, `xsd:gYear` form).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct PeriodOfTime {
    /// `dcat:startDate`.
    pub start: Option<String>,
    /// `dcat:endDate`.
    pub end: Option<String>,
}

/// `spdx:Checksum`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Checksum {
    /// `spdx:algorithm` IRI (`spdx:checksumAlgorithm_sha256`).
    pub algorithm: String,
    /// `spdx:checksumValue`, lowercase hex.
    pub value: String,
}

/// `dcat:Distribution`: a resource of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Distribution {
    /// Its IRI.
    pub iri: String,
    /// `dct:title`.
    pub title: Vec<Text>,
    /// `dct:description`.
    pub description: Vec<Text>,
    /// `dcat:accessURL` (mandatory: the download link, or the dataset page).
    pub access_url: String,
    /// `dcat:downloadURL`.
    pub download_url: Option<String>,
    /// `dct:format`: an EU file-type IRI.
    pub format: Option<String>,
    /// `dcat:mediaType`: an IANA media type IRI.
    pub media_type: Option<String>,
    /// `dct:license`.
    pub license: Option<LicenseDocument>,
    /// `dcat:byteSize`.
    pub byte_size: Option<u64>,
    /// `spdx:checksum`.
    pub checksum: Option<Checksum>,
    /// `dcatap:availability`.
    pub availability: Option<Concept>,
    /// `dct:issued`.
    pub issued: Option<String>,
    /// `dct:modified`.
    pub modified: Option<String>,
}

/// `dcat:Dataset`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Dataset {
    /// Its IRI (the dataset page).
    pub iri: String,
    /// `dct:identifier`: a stable id (our dataset id).
    pub identifier: Option<String>,
    /// `dct:title`, one per language.
    pub title: Vec<Text>,
    /// `dct:description`, one per language.
    pub description: Vec<Text>,
    /// `dcat:keyword`.
    pub keywords: Vec<Text>,
    /// `dcat:theme`.
    pub themes: Vec<Concept>,
    /// `dct:publisher`.
    pub publisher: Option<Agent>,
    /// `dcat:contactPoint`.
    pub contact_points: Vec<ContactPoint>,
    /// `dct:issued`.
    pub issued: Option<String>,
    /// `dct:modified`.
    pub modified: Option<String>,
    /// `dct:accrualPeriodicity`.
    pub frequency: Option<Frequency>,
    /// `dct:spatial`.
    pub spatial: Vec<Location>,
    /// `dct:temporal`.
    pub temporal: Vec<PeriodOfTime>,
    /// `dct:language`: EU language authority IRIs.
    pub languages: Vec<String>,
    /// `dcat:landingPage`.
    pub landing_page: Option<String>,
    /// `dcat:version`.
    pub version: Option<String>,
    /// `dcat:distribution`.
    pub distributions: Vec<Distribution>,
}

/// `dcat:Catalog`: what a catalogue export says about itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Catalog {
    /// Its IRI (the portal's address).
    pub iri: String,
    /// `dct:title`, one per language.
    pub title: Vec<Text>,
    /// `dct:description`, one per language.
    pub description: Vec<Text>,
    /// `dct:publisher`.
    pub publisher: Agent,
    /// `foaf:homepage`.
    pub homepage: Option<String>,
    /// `dct:language`: EU language authority IRIs.
    pub languages: Vec<String>,
    /// `dct:license`: the licence of the catalogue's metadata.
    pub license: Option<LicenseDocument>,
    /// `dct:spatial`.
    pub spatial: Vec<Location>,
    /// `dct:issued`.
    pub issued: Option<String>,
    /// `dct:modified`.
    pub modified: Option<String>,
    /// `dcat:themeTaxonomy`.
    pub theme_taxonomies: Vec<ConceptScheme>,
}

/// `hydra:PagedCollection`: where a page of a catalogue sits among the others.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paging {
    /// This page's address.
    pub page: String,
    /// `hydra:totalItems`.
    pub total_items: u64,
    /// `hydra:itemsPerPage`.
    pub items_per_page: u64,
    /// `hydra:firstPage`.
    pub first: Option<String>,
    /// `hydra:lastPage`.
    pub last: Option<String>,
    /// `hydra:nextPage` (also written and read as `hydra:next`).
    pub next: Option<String>,
    /// `hydra:previousPage` (also `hydra:previous`).
    pub previous: Option<String>,
}

impl Concept {
    fn sorted(mut self) -> Concept {
        self.pref_label.sort();
        self.exact_match.sort();
        if let Some(scheme) = &mut self.in_scheme {
            scheme.title.sort();
        }
        self
    }
}

impl LicenseDocument {
    fn sorted(mut self) -> LicenseDocument {
        self.title.sort();
        self.kind = self.kind.map(Concept::sorted);
        self
    }
}

impl Dataset {
    /// The dataset with every list sorted (graphs have no order): compare canonical forms.
    pub fn canonical(mut self) -> Dataset {
        self.title.sort();
        self.description.sort();
        self.keywords.sort();
        self.themes = sorted(self.themes.into_iter().map(Concept::sorted).collect());
        if let Some(agent) = &mut self.publisher {
            agent.name.sort();
            agent.kind = agent.kind.take().map(Concept::sorted);
        }
        self.contact_points.sort();
        if let Some(frequency) = &mut self.frequency {
            frequency.label.sort();
        }
        for location in &mut self.spatial {
            location.name.sort();
        }
        self.spatial.sort();
        self.temporal.sort();
        self.languages.sort();
        for d in &mut self.distributions {
            d.title.sort();
            d.description.sort();
            d.license = d.license.take().map(LicenseDocument::sorted);
            d.availability = d.availability.take().map(Concept::sorted);
        }
        self.distributions.sort();
        self
    }
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}
