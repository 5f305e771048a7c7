//! Our dataset view in DCAT-AP terms. IRIs live under the site URL: a dataset is
//! `{site}/dataset/{id}` (the id never changes, so a harvester's guid stays stable when a
//! dataset is renamed), its landing page `{site}/dataset/{name}`, a distribution
//! `{site}/dataset/{id}/resource/{resource id}`, a publisher `{site}/organization/{name}`.

use dataportal_harvesters::dcat::vocab::{IANA_MEDIA_TYPE, SPDX_SHA256};
use dataportal_harvesters::dcat::{
    Agent, Catalog, Checksum, ContactPoint, Dataset, Distribution, Location, PeriodOfTime, Text,
};

use super::terms;
use crate::catalog::datasets::view::{DatasetView, ResourceView};
use crate::catalog::vocab::nfc;
use crate::enums::UrlType;

/// Texts in Vietnamese and, when there is one, English; empty ones left out.
fn bilingual(vi: &str, en: &str) -> Vec<Text> {
    [(vi, "vi"), (en, "en")]
        .into_iter()
        .filter(|(text, _)| !text.trim().is_empty())
        .map(|(text, lang)| Text::tagged(nfc(text), lang))
        .collect()
}

fn some(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| nfc(text))
}

/// The DCAT dataset of a view whose upload links are already absolute (`with_site_url`).
pub fn dataset(view: &DatasetView, site: &str) -> Dataset {
    let landing = format!("{site}/dataset/{}", view.name);
    let mut description = bilingual(&view.notes, &view.notes_en);
    if description.is_empty() {
        // dct:description is mandatory in DCAT-AP; a dataset without one is described by its
        // title rather than failing validation (CKAN's exporter writes none and fails).
        description = bilingual(&view.title, &view.title_en);
    }
    let mut themes = Vec::new();
    for group in &view.groups {
        themes.extend(terms::themes(
            site,
            &group.name,
            &group.title,
            group.title_en.as_deref(),
        ));
    }
    let license = terms::license(&view.license_id);
    Dataset {
        iri: format!("{site}/dataset/{}", view.id),
        identifier: Some(view.id.clone()),
        title: bilingual(&view.title, &view.title_en),
        description,
        keywords: view
            .tags
            .iter()
            .map(|t| Text::plain(nfc(&t.name)))
            .collect(),
        themes,
        publisher: view.organization.as_ref().map(|org| Agent {
            iri: format!("{site}/organization/{}", org.name),
            name: bilingual(&org.title, org.title_en.as_deref().unwrap_or_default()),
            kind: Some(terms::regional_authority()),
        }),
        contact_points: contact(view).into_iter().collect(),
        issued: some(&view.metadata_created),
        modified: some(&view.metadata_modified),
        frequency: terms::frequency(&view.frequency),
        spatial: place(view).into_iter().collect(),
        temporal: period(view).into_iter().collect(),
        languages: terms::languages(&view.language),
        landing_page: Some(landing.clone()),
        version: some(&view.version),
        distributions: view
            .resources
            .iter()
            .map(|r| distribution(view, r, site, &landing, license.clone()))
            .collect(),
    }
}

/// The contact point: the dataset's contact, else its maintainer, else its author.
fn contact(view: &DatasetView) -> Option<ContactPoint> {
    let candidates = [
        (
            &view.contact_name,
            &view.contact_email,
            view.contact_phone.as_str(),
        ),
        (&view.maintainer, &view.maintainer_email, ""),
        (&view.author, &view.author_email, ""),
    ];
    candidates
        .into_iter()
        .map(|(name, email, phone)| ContactPoint {
            name: some(name),
            email: some(email),
            telephone: some(phone),
        })
        .find(|c| c.name.is_some() || c.email.is_some() || c.telephone.is_some())
}

fn place(view: &DatasetView) -> Option<Location> {
    let location = Location {
        iri: None,
        identifier: some(&view.spatial_code),
        name: bilingual(&view.spatial_name, ""),
    };
    (location.identifier.is_some() || !location.name.is_empty()).then_some(location)
}

fn period(view: &DatasetView) -> Option<PeriodOfTime> {
    let period = PeriodOfTime {
        start: some(&view.temporal_start),
        end: some(&view.temporal_end),
    };
    (period.start.is_some() || period.end.is_some()).then_some(period)
}

fn distribution(
    view: &DatasetView,
    r: &ResourceView,
    site: &str,
    landing: &str,
    license: Option<dataportal_harvesters::dcat::LicenseDocument>,
) -> Distribution {
    let url = r.url.trim();
    // An uploaded file is a download; a link may be a page or a service, so only its access.
    let download = (r.url_type == UrlType::Upload && !url.is_empty()).then(|| url.to_owned());
    let hash = r.hash.trim().trim_start_matches("sha256:");
    let checksum =
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Checksum {
            algorithm: SPDX_SHA256.to_owned(),
            value: hash.to_ascii_lowercase(),
        });
    let media = r.mimetype.trim();
    let media_ok = media.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && !media.contains(char::is_whitespace)
    });
    Distribution {
        iri: format!("{site}/dataset/{}/resource/{}", view.id, r.id),
        title: bilingual(&r.name, ""),
        description: bilingual(&r.description, ""),
        access_url: if url.is_empty() {
            landing.to_owned()
        } else {
            url.to_owned()
        },
        download_url: download,
        format: terms::file_type(&r.format),
        media_type: media_ok.then(|| format!("{IANA_MEDIA_TYPE}{}", media.to_ascii_lowercase())),
        license,
        byte_size: r.size.and_then(|s| u64::try_from(s).ok()),
        checksum,
        availability: Some(terms::stable_availability()),
        issued: some(&r.created),
        modified: r
            .last_modified
            .as_deref()
            .and_then(some)
            .or_else(|| some(&r.metadata_modified)),
    }
}

/// The catalogue itself: `{site}/catalog`, published by the province, in Vietnamese and
/// English, with the themes' two schemes; `issued`/`modified` are the first publication and
/// the last change of its public datasets.
pub fn catalog(site: &str, issued: Option<String>, modified: Option<String>) -> Catalog {
    Catalog {
        iri: format!("{site}/catalog"),
        title: bilingual("Cổng dữ liệu mở", "Open data portal"),
        description: bilingual(
            "Danh mục dữ liệu mở cấp tỉnh (Nghị định 42/2022/NĐ-CP), theo DCAT-AP 3.0.1",
            "Provincial open data catalogue (Decree 42/2022/ND-CP), as DCAT-AP 3.0.1",
        ),
        publisher: Agent {
            iri: format!("{site}/about"),
            name: bilingual("Ủy ban nhân dân tỉnh", "Provincial People's Committee"),
            kind: Some(terms::regional_authority()),
        },
        homepage: Some(format!("{site}/")),
        languages: terms::languages("vi,en"),
        license: terms::license(""),
        spatial: Vec::new(),
        issued,
        modified,
        theme_taxonomies: vec![terms::national_scheme(site), terms::eu_scheme()],
    }
}
