//! Reading a DCAT dataset of another portal (as the `dcat` pull source parses it) into a CKAN
//! package dict of our fields, the inverse of `catalog::dcat::mapping`: Vietnamese texts into
//! `title`/`notes` and English ones into `title_en`/`notes_en` (the way our datasets keep
//! English), keywords as tags, national themes as groups, IRIs of the EU vocabularies back to
//! our licence ids, frequency and language codes. The dict then goes through the same
//! `ckan::to_dataset_dict` and `package_create` as a CKAN record: what does not fit is refused
//! there, with its reason.

use dataportal_harvesters::dcat::vocab::IANA_MEDIA_TYPE;
use dataportal_harvesters::dcat::{Dataset, Distribution, Text};
use serde_json::{json, Value};

use crate::catalog::dcat::terms;
use crate::catalog::vocab::{is_valid_name, nfc, suggest_name};
use crate::catalog::Dict;

/// The extras in which a pulled dataset keeps what has no field of ours (ckanext-dcat's
/// names): its IRI at the source and its publisher.
const URI_EXTRA: &str = "uri";
const PUBLISHER_EXTRA: &str = "publisher_name";
const PUBLISHER_URI_EXTRA: &str = "publisher_uri";

/// The text in the language wanted: Vietnamese for our main fields (else untagged, else any
/// language but English), English for the `_en` ones.
fn pick(texts: &[Text], english: bool) -> String {
    let tagged = |lang: &str| {
        texts.iter().find(|t| {
            t.lang.as_deref().is_some_and(|l| {
                l.eq_ignore_ascii_case(lang)
                    || l.to_ascii_lowercase().starts_with(&format!("{lang}-"))
            })
        })
    };
    let found = if english {
        tagged("en")
    } else {
        tagged("vi")
            .or_else(|| texts.iter().find(|t| t.lang.is_none()))
            .or_else(|| {
                texts
                    .iter()
                    .find(|t| !t.lang.as_deref().is_some_and(|l| l.starts_with("en")))
            })
            .or_else(|| tagged("en"))
    };
    found.map(|t| nfc(t.value.trim())).unwrap_or_default()
}

/// The URL name: the landing page's last segment when it is one (a dataportal or CKAN
/// landing page ends with the dataset's name), else one made from the title.
fn name_of(dataset: &Dataset, title: &str) -> String {
    let from_page = dataset
        .landing_page
        .as_deref()
        .and_then(|page| url::Url::parse(page).ok())
        .and_then(|u| {
            u.path_segments()?
                .rev()
                .find(|s| !s.is_empty())
                .map(str::to_owned)
        })
        .filter(|segment| is_valid_name(segment));
    from_page.unwrap_or_else(|| {
        let made = suggest_name(title);
        if is_valid_name(&made) {
            made
        } else {
            suggest_name(&format!("dcat {}", dataset.iri))
        }
    })
}

/// A CKAN package dict of our fields for `dataset`.
pub fn to_package(dataset: &Dataset) -> Dict {
    let title = pick(&dataset.title, false);
    let title_en = pick(&dataset.title, true);
    let mut notes = pick(&dataset.description, false);
    let mut notes_en = pick(&dataset.description, true);
    // dct:description is mandatory, so exporters (ours too) write the title when a dataset
    // has no description: that carries nothing of its own.
    if notes == title && notes_en == title_en {
        notes.clear();
        notes_en.clear();
    }
    let mut tags: Vec<String> = dataset
        .keywords
        .iter()
        .map(|k| nfc(k.value.trim()))
        .filter(|k| !k.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    let groups: Vec<Value> = dataset
        .themes
        .iter()
        .filter_map(|theme| terms::theme_slug(&theme.iri))
        .map(|name| json!({ "name": name }))
        .collect();
    let license = dataset
        .distributions
        .iter()
        .find_map(|d| d.license.as_ref())
        .map(|l| terms::license_id(&l.iri));
    let place = dataset.spatial.first();
    let period = dataset.temporal.first();
    let contact = dataset.contact_points.first();
    let text = |value: Option<&String>| json!(value.map(|v| v.trim()).unwrap_or_default());
    let mut dict = Dict::new();
    dict.insert("name".into(), json!(name_of(dataset, &title)));
    dict.insert("title".into(), json!(title));
    dict.insert("title_en".into(), json!(title_en));
    dict.insert("notes".into(), json!(notes));
    dict.insert("notes_en".into(), json!(notes_en));
    dict.insert(
        "tags".into(),
        Value::Array(tags.into_iter().map(|t| json!({ "name": t })).collect()),
    );
    dict.insert("groups".into(), Value::Array(groups));
    // A licence we do not know by its address is no licence of ours: the dataset gets the
    // default terms, and the address is kept as an extra for a person to look at.
    if let Some(Some(id)) = license {
        dict.insert("license_id".into(), json!(id));
    }
    dict.insert(
        "frequency".into(),
        json!(dataset
            .frequency
            .as_ref()
            .and_then(|f| terms::frequency_code(&f.iri))
            .unwrap_or_default()),
    );
    dict.insert(
        "spatial_code".into(),
        text(place.and_then(|p| p.identifier.as_ref())),
    );
    dict.insert(
        "spatial_name".into(),
        json!(place.map(|p| pick(&p.name, false)).unwrap_or_default()),
    );
    dict.insert(
        "temporal_start".into(),
        text(period.and_then(|p| p.start.as_ref())),
    );
    dict.insert(
        "temporal_end".into(),
        text(period.and_then(|p| p.end.as_ref())),
    );
    dict.insert(
        "contact_name".into(),
        text(contact.and_then(|c| c.name.as_ref())),
    );
    dict.insert(
        "contact_email".into(),
        text(contact.and_then(|c| c.email.as_ref())),
    );
    dict.insert(
        "contact_phone".into(),
        text(contact.and_then(|c| c.telephone.as_ref())),
    );
    let languages: Vec<&str> = dataset
        .languages
        .iter()
        .filter_map(|iri| terms::language_code(iri))
        .collect();
    dict.insert("language".into(), json!(languages.join(",")));
    dict.insert("url".into(), text(dataset.landing_page.as_ref()));
    dict.insert("version".into(), text(dataset.version.as_ref()));
    dict.insert("extras".into(), Value::Array(extras(dataset)));
    dict.insert(
        "resources".into(),
        Value::Array(dataset.distributions.iter().map(resource).collect()),
    );
    dict
}

/// What has no field of ours: the IRI at the source, the publisher, a licence not ours.
fn extras(dataset: &Dataset) -> Vec<Value> {
    let mut extras = vec![json!({ "key": URI_EXTRA, "value": dataset.iri })];
    if let Some(publisher) = &dataset.publisher {
        let name = pick(&publisher.name, false);
        if !name.is_empty() {
            extras.push(json!({ "key": PUBLISHER_EXTRA, "value": name }));
        }
        extras.push(json!({ "key": PUBLISHER_URI_EXTRA, "value": publisher.iri }));
    }
    let unknown_license = dataset
        .distributions
        .iter()
        .filter_map(|d| d.license.as_ref())
        .find(|l| terms::license_id(&l.iri).is_none());
    if let Some(license) = unknown_license {
        extras.push(json!({ "key": "license_url", "value": license.iri }));
    }
    extras
}

/// A distribution as a resource: a link to its download (else access) address, with its
/// format, media type, size and checksum as CKAN names them.
fn resource(d: &Distribution) -> Value {
    let url = d
        .download_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or(&d.access_url);
    let media = d.media_type.as_deref().unwrap_or_default();
    json!({
        "name": pick(&d.title, false),
        "description": pick(&d.description, false),
        "url": url.trim(),
        "format": d.format.as_deref().map(terms::format_name).unwrap_or_default(),
        "mimetype": media.strip_prefix(IANA_MEDIA_TYPE).unwrap_or(media),
        "size": d.byte_size,
        "hash": d.checksum.as_ref().map(|c| c.value.clone()).unwrap_or_default(),
    })
}
