//! Our fixed vocabularies in DCAT terms: the 12 national themes as a concept scheme matched to
//! the EU data themes, licences as licence documents with their ADMS type, frequencies as EU
//! frequency terms, languages and file formats as EU authority IRIs.

use dataportal_harvesters::dcat::vocab::{
    eu_theme_iri, ADMS_LICENCE_TYPE, ADMS_PUBLISHER_TYPE, AVAILABILITY_STABLE, EU_DATA_THEME,
    EU_DATA_THEMES, EU_FILE_TYPE, EU_FREQUENCY, EU_LANGUAGE,
};
use dataportal_harvesters::dcat::{Concept, ConceptScheme, Frequency, LicenseDocument, Text};

use crate::catalog::vocab::{self, License};

/// Each national theme's EU data theme: the closest of the 13 (labour statistics sit with
/// population and society, infrastructure with transport, local government with regions).
const EU_THEME_OF: &[(&str, &str)] = &[
    ("nong-nghiep", "AGRI"),
    ("kinh-te-thuong-mai", "ECON"),
    ("giao-duc", "EDUC"),
    ("y-te", "HEAL"),
    ("lao-dong", "SOCI"),
    ("moi-truong", "ENVI"),
    ("tai-chinh", "ECON"),
    ("nang-luong", "ENER"),
    ("co-so-ha-tang", "TRAN"),
    ("xa-hoi", "SOCI"),
    ("cong-nghe", "TECH"),
    ("dia-phuong", "REGI"),
];

/// The scheme of the 12 national themes, at `{site}/group`.
pub fn national_scheme(site: &str) -> ConceptScheme {
    ConceptScheme {
        iri: format!("{site}/group"),
        title: vec![
            Text::tagged("12 chủ đề dữ liệu quốc gia", "vi"),
            Text::tagged("The 12 national data themes", "en"),
        ],
    }
}

/// The EU data-theme scheme.
pub fn eu_scheme() -> ConceptScheme {
    ConceptScheme {
        iri: EU_DATA_THEME.to_owned(),
        title: vec![Text::tagged("Data theme", "en")],
    }
}

/// A national theme (by slug and titles) and the EU theme it matches, as two concepts.
pub fn themes(site: &str, slug: &str, title: &str, title_en: Option<&str>) -> Vec<Concept> {
    let fixed = vocab::NATIONAL_THEMES.iter().find(|t| t.0 == slug);
    let title_en = title_en
        .filter(|t| !t.trim().is_empty())
        .or(fixed.map(|t| t.2));
    let mut pref_label = vec![Text::tagged(title, "vi")];
    pref_label.extend(title_en.map(|t| Text::tagged(t, "en")));
    let eu = EU_THEME_OF
        .iter()
        .find(|(s, _)| *s == slug)
        .and_then(|(_, code)| EU_DATA_THEMES.iter().find(|(c, _)| c == code));
    let mut concepts = vec![Concept {
        iri: format!("{site}/group/{slug}"),
        pref_label,
        in_scheme: Some(national_scheme(site)),
        exact_match: eu.iter().map(|(code, _)| eu_theme_iri(code)).collect(),
    }];
    concepts.extend(eu.map(|(code, label)| Concept {
        iri: eu_theme_iri(code),
        pref_label: vec![Text::tagged(*label, "en")],
        in_scheme: Some(eu_scheme()),
        exact_match: Vec::new(),
    }));
    concepts
}

/// The ADMS type of a publisher: a provincial body is a regional authority.
pub fn regional_authority() -> Concept {
    Concept {
        iri: format!("{ADMS_PUBLISHER_TYPE}RegionalAuthority"),
        pref_label: vec![
            Text::tagged("Cơ quan cấp tỉnh", "vi"),
            Text::tagged("Regional authority", "en"),
        ],
        ..Concept::default()
    }
}

/// Data kept for good (a published dataset stays published, Decree 47/2020 art. 18).
pub fn stable_availability() -> Concept {
    Concept {
        iri: AVAILABILITY_STABLE.to_owned(),
        pref_label: vec![Text::tagged("Ổn định", "vi"), Text::tagged("Stable", "en")],
        ..Concept::default()
    }
}

/// The licence document of a licence id; an empty id is the legal default (Decree 47/2020
/// art. 18 applies to open data published without other terms). A licence without a
/// published text (`other-open`) has no document to point at.
pub fn license(id: &str) -> Option<LicenseDocument> {
    let id = if id.trim().is_empty() {
        vocab::DEFAULT_LICENSE_ID
    } else {
        id
    };
    let l: &License = vocab::license(id)?;
    if l.url.is_empty() {
        return None;
    }
    let kind = match l.id {
        "cc0-1.0" => "PublicDomain",
        "cc-by-sa-4.0" | "odc-odbl" => "ViralEffect",
        _ => "Attribution",
    };
    Some(LicenseDocument {
        iri: l.url.to_owned(),
        title: vec![Text::tagged(l.title, "vi"), Text::tagged(l.title_en, "en")],
        kind: Some(Concept {
            iri: format!("{ADMS_LICENCE_TYPE}{kind}"),
            pref_label: vec![Text::tagged(kind, "en")],
            ..Concept::default()
        }),
    })
}

/// The EU frequency term of a frequency code.
pub fn frequency(code: &str) -> Option<Frequency> {
    let (_, vi, en, eu) = vocab::FREQUENCIES.iter().find(|f| f.0 == code)?;
    Some(Frequency {
        iri: format!("{EU_FREQUENCY}{eu}"),
        label: vec![Text::tagged(*vi, "vi"), Text::tagged(*en, "en")],
    })
}

/// ISO 639-1 codes and their EU language authority codes, for the languages a provincial
/// dataset is likely to be in.
const LANGUAGES: &[(&str, &str)] = &[
    ("vi", "VIE"),
    ("en", "ENG"),
    ("fr", "FRA"),
    ("zh", "ZHO"),
    ("km", "KHM"),
    ("lo", "LAO"),
    ("ja", "JPN"),
    ("ko", "KOR"),
    ("de", "DEU"),
    ("ru", "RUS"),
    ("th", "THA"),
];

/// The EU language IRIs of a `language` field ("vi", "vi,en"); Vietnamese when empty.
pub fn languages(field: &str) -> Vec<String> {
    let mut codes: Vec<&str> = field
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        codes.push("vi");
    }
    codes
        .iter()
        .filter_map(|code| {
            LANGUAGES
                .iter()
                .find(|(iso, _)| iso.eq_ignore_ascii_case(code))
        })
        .map(|(_, eu)| format!("{EU_LANGUAGE}{eu}"))
        .collect()
}

/// File formats with an EU file-type term (the name is the term).
const FILE_TYPES: &[&str] = &[
    "CSV",
    "XLSX",
    "XLS",
    "ODS",
    "JSON",
    "GEOJSON",
    "XML",
    "PDF",
    "DOC",
    "DOCX",
    "ODT",
    "ZIP",
    "SHP",
    "KML",
    "KMZ",
    "GML",
    "TXT",
    "HTML",
    "RDF_XML",
    "RDF_TURTLE",
    "JSON_LD",
    "TIFF",
    "PNG",
    "JPEG",
    "WMS_SRVC",
    "WFS_SRVC",
];

/// The EU file-type IRI of a resource's format ("csv", "XLSX", "RDF/XML").
pub fn file_type(format: &str) -> Option<String> {
    let name = format
        .trim()
        .to_ascii_uppercase()
        .replace(['/', ' ', '-'], "_");
    let name = match name.as_str() {
        "JPG" => "JPEG".to_owned(),
        "TTL" | "TURTLE" => "RDF_TURTLE".to_owned(),
        "JSONLD" => "JSON_LD".to_owned(),
        "WMS" => "WMS_SRVC".to_owned(),
        "WFS" => "WFS_SRVC".to_owned(),
        _ => name,
    };
    FILE_TYPES
        .contains(&name.as_str())
        .then(|| format!("{EU_FILE_TYPE}{name}"))
}

/// The national theme's slug of a theme IRI written by a dataportal (`{site}/group/{slug}`);
/// None for other vocabularies' terms.
pub fn theme_slug(iri: &str) -> Option<String> {
    let (_, slug) = iri.trim_end_matches('/').rsplit_once("/group/")?;
    crate::catalog::vocab::is_valid_name(slug).then(|| slug.to_owned())
}

/// Our licence id of a licence document's IRI: the legal default as no licence (empty), an
/// unknown IRI as None.
pub fn license_id(iri: &str) -> Option<&'static str> {
    let wanted = iri.trim().trim_end_matches('/');
    let found = vocab::LICENSES
        .iter()
        .find(|l| !l.url.is_empty() && l.url.trim_end_matches('/') == wanted)?;
    Some(if found.id == vocab::DEFAULT_LICENSE_ID {
        ""
    } else {
        found.id
    })
}

/// Our frequency code of an EU frequency IRI.
pub fn frequency_code(iri: &str) -> Option<&'static str> {
    let term = iri.strip_prefix(EU_FREQUENCY)?;
    vocab::FREQUENCIES.iter().find(|f| f.3 == term).map(|f| f.0)
}

/// The ISO 639-1 code of an EU language IRI.
pub fn language_code(iri: &str) -> Option<&'static str> {
    let term = iri.strip_prefix(EU_LANGUAGE)?;
    LANGUAGES
        .iter()
        .find(|(_, eu)| *eu == term)
        .map(|(iso, _)| *iso)
}

/// A resource format label of an EU file-type IRI (`…/file-type/CSV` is `CSV`); another
/// IRI's last segment, or the text itself.
pub fn format_name(iri: &str) -> String {
    let term = iri
        .strip_prefix(EU_FILE_TYPE)
        .unwrap_or_else(|| iri.trim_end_matches('/').rsplit('/').next().unwrap_or(iri));
    match term {
        "RDF_TURTLE" => "TTL".to_owned(),
        "RDF_XML" => "RDF".to_owned(),
        "JSON_LD" => "JSON-LD".to_owned(),
        "WMS_SRVC" => "WMS".to_owned(),
        "WFS_SRVC" => "WFS".to_owned(),
        other => other.to_owned(),
    }
}
