//! The schema.org `Dataset` description that search engines read from a dataset page (a
//! `<script type="application/ld+json">` in its head), built as a JSON value and serialised by
//! serde_json, then made safe to sit inside a script element.

use serde_json::{json, Map, Value};

use super::absolute_url;
use crate::catalog::datasets::freshness::parse_timestamp;
use crate::catalog::datasets::view::DatasetView;
use crate::error::Lang;

/// Where the dataset is published: what the description links to.
pub struct Catalog<'a> {
    /// The portal's address, without a trailing slash.
    pub site_url: &'a str,
    /// The portal's name in the page's language.
    pub name: &'a str,
    /// The page's language.
    pub lang: Lang,
    /// The licence's address, absolute or from the site's root.
    pub license_url: Option<&'a str>,
}

fn pick<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::En && !en.trim().is_empty() {
        en
    } else {
        vi
    }
}

/// A stored timestamp as ISO 8601 with its zone; the text as it is when it does not parse.
fn timestamp(text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match parse_timestamp(text) {
        Some(time) => json!(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        None => json!(text),
    })
}

/// Puts `value` under `key` unless it is empty text.
fn put_text(map: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.trim().is_empty() {
        map.insert(key.to_owned(), json!(value));
    }
}

/// The schema.org `Dataset` of a dataset; `description` is its plain-text description.
pub fn dataset(view: &DatasetView, description: &str, catalog: &Catalog) -> Value {
    let site = catalog.site_url;
    let mut ld = Map::new();
    ld.insert("@context".into(), json!("https://schema.org"));
    ld.insert("@type".into(), json!("Dataset"));
    ld.insert(
        "name".into(),
        json!(pick(catalog.lang, &view.title, &view.title_en)),
    );
    // Google wants 50 to 5,000 characters; a shorter one is still better than none.
    let description: String = description.chars().take(5000).collect();
    put_text(&mut ld, "description", &description);
    ld.insert("url".into(), json!(format!("{site}/dataset/{}", view.name)));
    ld.insert("identifier".into(), json!(view.id));
    let keywords: Vec<&str> = view.tags.iter().map(|t| t.name.as_str()).collect();
    if !keywords.is_empty() {
        ld.insert("keywords".into(), json!(keywords));
    }
    if let Some(url) = catalog.license_url.and_then(|u| absolute_url(site, u)) {
        ld.insert("license".into(), json!(url));
    }
    if let Some(org) = &view.organization {
        let publisher = json!({
            "@type": "Organization",
            "name": pick(catalog.lang, &org.title, org.title_en.as_deref().unwrap_or("")),
            "url": format!("{site}/organization/{}", org.name),
        });
        ld.insert("creator".into(), publisher.clone());
        ld.insert("publisher".into(), publisher);
    }
    if let Some(modified) = timestamp(&view.metadata_modified) {
        ld.insert("dateModified".into(), modified);
    }
    if let Some(created) = timestamp(&view.metadata_created) {
        ld.insert("datePublished".into(), created);
    }
    let (start, end) = (view.temporal_start.trim(), view.temporal_end.trim());
    if !start.is_empty() || !end.is_empty() {
        let or_open = |d: &str| if d.is_empty() { ".." } else { d }.to_owned();
        ld.insert(
            "temporalCoverage".into(),
            json!(format!("{}/{}", or_open(start), or_open(end))),
        );
    }
    if !view.spatial_name.trim().is_empty() {
        let mut place = Map::new();
        place.insert("@type".into(), json!("Place"));
        place.insert("name".into(), json!(view.spatial_name));
        put_text(&mut place, "identifier", &view.spatial_code);
        ld.insert("spatialCoverage".into(), Value::Object(place));
    }
    let language = if view.language.trim().is_empty() {
        "vi"
    } else {
        view.language.trim()
    };
    ld.insert("inLanguage".into(), json!(language));
    put_text(&mut ld, "version", &view.version);
    ld.insert("isAccessibleForFree".into(), json!(true));
    ld.insert(
        "includedInDataCatalog".into(),
        json!({"@type": "DataCatalog", "name": catalog.name, "url": site}),
    );
    let distribution: Vec<Value> = view
        .resources
        .iter()
        .filter_map(|resource| {
            let url = absolute_url(site, &resource.url)?;
            let mut download = Map::new();
            download.insert("@type".into(), json!("DataDownload"));
            put_text(&mut download, "name", &resource.name);
            download.insert("contentUrl".into(), json!(url));
            let format = if resource.mimetype.trim().is_empty() {
                &resource.format
            } else {
                &resource.mimetype
            };
            put_text(&mut download, "encodingFormat", format);
            if let Some(modified) = resource.last_modified.as_deref().and_then(timestamp) {
                download.insert("dateModified".into(), modified);
            }
            Some(Value::Object(download))
        })
        .collect();
    if !distribution.is_empty() {
        ld.insert("distribution".into(), json!(distribution));
    }
    Value::Object(ld)
}

/// JSON to place inside a `<script>` element: `<`, `>` and `&` written as `\u003c`, `\u003e`,
/// `\u0026` (they only occur inside strings, where the escapes mean the same), so a text
/// holding `</script>` or `<!--` cannot end the element; also the two line separators
/// JavaScript once refused in strings.
pub fn script_text(value: &Value) -> String {
    let json = value.to_string();
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::datasets::view::{OrganizationSummary, ResourceView, TagView};
    use crate::enums::UrlType;

    fn sample() -> DatasetView {
        DatasetView {
            id: "0192-abc".into(),
            name: "gia-dat-2025".into(),
            title: "Bảng giá đất 2025".into(),
            title_en: "Land prices 2025".into(),
            tags: vec![TagView::of("giá đất"), TagView::of("đất đai")],
            organization: Some(OrganizationSummary {
                name: "so-tai-chinh".into(),
                title: "Sở Tài chính".into(),
                title_en: Some("Department of Finance".into()),
                ..Default::default()
            }),
            metadata_created: "2026-01-02T03:04:05.000000".into(),
            metadata_modified: "2026-05-12T10:42:05+07:00".into(),
            temporal_start: "2025-01-01".into(),
            temporal_end: "2029-12-31".into(),
            spatial_name: "Tỉnh Tây Ninh".into(),
            spatial_code: "72".into(),
            resources: vec![
                ResourceView {
                    name: "Bảng giá (CSV)".into(),
                    format: "CSV".into(),
                    url: "/dataset/0192-abc/resource/r1/download/gia.csv".into(),
                    url_type: UrlType::Upload,
                    ..Default::default()
                },
                ResourceView {
                    name: "Bản đồ".into(),
                    format: "GeoJSON".into(),
                    mimetype: "application/geo+json".into(),
                    url: "https://gis.tayninh.gov.vn/gia.geojson".into(),
                    ..Default::default()
                },
                ResourceView {
                    name: "Không phải liên kết".into(),
                    url: "javascript:alert(1)".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    fn catalog(lang: Lang) -> Catalog<'static> {
        Catalog {
            site_url: "https://data.tayninh.gov.vn",
            name: "Cổng dữ liệu mở tỉnh Tây Ninh",
            lang,
            license_url: Some("/terms"),
        }
    }

    #[test]
    fn a_dataset_is_described_for_search_engines() {
        let ld = dataset(&sample(), "Bảng giá các loại đất.", &catalog(Lang::Vi));
        assert_eq!(ld["@type"], "Dataset");
        assert_eq!(ld["name"], "Bảng giá đất 2025");
        assert_eq!(
            ld["url"],
            "https://data.tayninh.gov.vn/dataset/gia-dat-2025"
        );
        assert_eq!(ld["identifier"], "0192-abc");
        assert_eq!(ld["keywords"], json!(["giá đất", "đất đai"]));
        assert_eq!(ld["license"], "https://data.tayninh.gov.vn/terms");
        assert_eq!(ld["publisher"]["@type"], "Organization");
        assert_eq!(ld["creator"]["name"], "Sở Tài chính");
        assert_eq!(ld["dateModified"], "2026-05-12T03:42:05Z");
        assert_eq!(ld["datePublished"], "2026-01-02T03:04:05Z");
        assert_eq!(ld["temporalCoverage"], "2025-01-01/2029-12-31");
        assert_eq!(ld["spatialCoverage"]["name"], "Tỉnh Tây Ninh");
        assert_eq!(ld["inLanguage"], "vi");
        assert_eq!(ld["isAccessibleForFree"], true);
        let files = ld["distribution"].as_array().unwrap();
        assert_eq!(files.len(), 2, "the javascript: link is no download");
        assert_eq!(
            files[0]["contentUrl"],
            "https://data.tayninh.gov.vn/dataset/0192-abc/resource/r1/download/gia.csv"
        );
        assert_eq!(files[0]["encodingFormat"], "CSV");
        assert_eq!(files[1]["encodingFormat"], "application/geo+json");
    }

    #[test]
    fn english_pages_name_the_dataset_in_english_and_open_ends_are_dots() {
        let mut view = sample();
        view.temporal_end.clear();
        view.tags.clear();
        let ld = dataset(&view, "", &catalog(Lang::En));
        assert_eq!(ld["name"], "Land prices 2025");
        assert_eq!(ld["publisher"]["name"], "Department of Finance");
        assert_eq!(ld["temporalCoverage"], "2025-01-01/..");
        assert!(ld.get("description").is_none() && ld.get("keywords").is_none());
    }

    #[test]
    fn text_cannot_close_the_script_element() {
        let mut view = sample();
        view.title = "</script><script>alert('x')</script> & <!-- \u{2028}".into();
        let ld = dataset(&view, "a </SCRIPT> b", &catalog(Lang::Vi));
        let text = script_text(&ld);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ld, "the escapes read back as the same JSON");
        assert_eq!(back["description"], "a </SCRIPT> b");
    }
}
