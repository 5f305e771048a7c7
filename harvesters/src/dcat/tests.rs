use super::*;

const FORMATS: [Format; 3] = [Format::RdfXml, Format::Turtle, Format::JsonLd];
const CAP: usize = 10 << 20;

fn theme() -> Concept {
    Concept {
        iri: "https://portal.example/group/nong-nghiep".into(),
        pref_label: vec![
            Text::tagged("Nông nghiệp", "vi"),
            Text::tagged("Agriculture", "en"),
        ],
        in_scheme: Some(ConceptScheme {
            iri: "https://portal.example/group".into(),
            title: vec![Text::tagged("12 chủ đề dữ liệu quốc gia", "vi")],
        }),
        exact_match: vec![vocab::eu_theme_iri("AGRI")],
    }
}

fn licence() -> LicenseDocument {
    LicenseDocument {
        iri: "https://creativecommons.org/licenses/by/4.0/".into(),
        title: vec![
            Text::tagged("Creative Commons Ghi công 4.0", "vi"),
            Text::tagged("Creative Commons Attribution 4.0", "en"),
        ],
        kind: Some(Concept {
            iri: format!("{}Attribution", vocab::ADMS_LICENCE_TYPE),
            pref_label: vec![Text::tagged("Attribution", "en")],
            ..Concept::default()
        }),
    }
}

fn dataset(name: &str, notes: &str) -> Dataset {
    let iri = format!("https://portal.example/dataset/{name}");
    Dataset {
        iri: iri.clone(),
        identifier: Some(format!("id-{name}")),
        title: vec![
            Text::tagged(format!("Giá đất {name}"), "vi"),
            Text::tagged("Land prices", "en"),
        ],
        description: vec![Text::tagged(notes, "vi")],
        keywords: vec![Text::tagged("đất đai", "vi"), Text::tagged("giá", "vi")],
        themes: vec![theme()],
        publisher: Some(Agent {
            iri: "https://portal.example/organization/so-tnmt".into(),
            name: vec![Text::tagged("Sở Nông nghiệp & Môi trường", "vi")],
            kind: Some(Concept {
                iri: format!("{}RegionalAuthority", vocab::ADMS_PUBLISHER_TYPE),
                pref_label: vec![Text::tagged("Regional authority", "en")],
                ..Concept::default()
            }),
        }),
        contact_points: vec![ContactPoint {
            name: Some("Phòng \"Dữ liệu\" <số>".into()),
            email: Some("du-lieu@tayninh.gov.vn".into()),
            telephone: Some("+842763822222".into()),
        }],
        issued: Some("2026-07-25T07:16:15+07:00".into()),
        modified: Some("2026-08-20T14:37:58.123456".into()),
        frequency: Some(Frequency {
            iri: format!("{}MONTHLY", vocab::EU_FREQUENCY),
            label: vec![
                Text::tagged("Hằng tháng", "vi"),
                Text::tagged("Monthly", "en"),
            ],
        }),
        spatial: vec![Location {
            iri: None,
            identifier: Some("72".into()),
            name: vec![Text::tagged("Tây Ninh", "vi")],
        }],
        temporal: vec![PeriodOfTime {
            start: Some("2025-01-01".into()),
            end: Some("2025-12-31".into()),
        }],
        languages: vec![format!("{}VIE", vocab::EU_LANGUAGE)],
        landing_page: Some(iri.clone()),
        version: Some("1.0".into()),
        distributions: vec![Distribution {
            iri: format!("{iri}/resource/r1"),
            title: vec![Text::tagged("Bảng giá", "vi")],
            description: vec![Text::tagged("Tệp CSV", "vi")],
            access_url: format!("{iri}/resource/r1/download/gia%20dat.csv"),
            download_url: Some(format!("{iri}/resource/r1/download/gia%20dat.csv")),
            format: Some(format!("{}CSV", vocab::EU_FILE_TYPE)),
            media_type: Some(format!("{}text/csv", vocab::IANA_MEDIA_TYPE)),
            license: Some(licence()),
            byte_size: Some(123_456),
            checksum: Some(Checksum {
                algorithm: vocab::SPDX_SHA256.into(),
                value: "ab".repeat(32),
            }),
            availability: Some(Concept {
                iri: vocab::AVAILABILITY_STABLE.into(),
                pref_label: vec![Text::tagged("stable", "en")],
                ..Concept::default()
            }),
            issued: Some("2026-07-25".into()),
            modified: Some("2026".into()),
        }],
    }
}

fn catalog() -> Catalog {
    Catalog {
        iri: "https://portal.example/".into(),
        title: vec![Text::tagged("Cổng dữ liệu mở", "vi")],
        description: vec![Text::tagged("Dữ liệu mở của tỉnh", "vi")],
        publisher: Agent {
            iri: "https://portal.example/organization".into(),
            name: vec![Text::tagged("UBND tỉnh", "vi")],
            kind: None,
        },
        homepage: Some("https://portal.example/".into()),
        languages: vec![format!("{}VIE", vocab::EU_LANGUAGE)],
        license: Some(licence()),
        spatial: Vec::new(),
        issued: None,
        modified: Some("2026-08-20".into()),
        theme_taxonomies: vec![ConceptScheme {
            iri: "https://portal.example/group".into(),
            title: vec![Text::tagged("12 chủ đề dữ liệu quốc gia", "vi")],
        }],
    }
}

fn round_trip(format: Format, datasets: &[Dataset]) -> Document {
    let bytes = to_bytes(format, Some(&catalog()), None, datasets).unwrap();
    parse(&bytes, format, CAP, None)
        .unwrap_or_else(|e| panic!("{format:?}: {e}\n{}", String::from_utf8_lossy(&bytes)))
}

#[test]
fn every_format_reads_back_to_the_same_model() {
    let datasets = vec![dataset("a", "Mô tả"), dataset("b", "Khác")];
    for format in FORMATS {
        let document = round_trip(format, &datasets);
        let read: Vec<Dataset> = document
            .datasets
            .into_iter()
            .map(Dataset::canonical)
            .collect();
        let written: Vec<Dataset> = datasets.iter().cloned().map(Dataset::canonical).collect();
        assert_eq!(read, written, "{format:?}");
        let read_catalog = document.catalog.unwrap();
        assert_eq!(read_catalog.title, catalog().title, "{format:?}");
        assert_eq!(read_catalog.license.unwrap().title.len(), 2, "{format:?}");
        assert_eq!(
            read_catalog.theme_taxonomies,
            catalog().theme_taxonomies,
            "{format:?}"
        );
    }
}

#[test]
fn awkward_text_survives_every_format() {
    let long = "Dữ liệu rất dài. ".repeat(20_000);
    let awkward = [
        "Trích \"dẫn\" & <thẻ> ]]> 'nháy' \\ gạch",
        "dòng một\ndòng hai\r\ndòng ba\ttab",
        long.as_str(),
        "emoji 🌾 and \u{2028} separators",
    ];
    for (i, text) in awkward.iter().enumerate() {
        let written = dataset(&format!("t{i}"), text);
        for format in FORMATS {
            let document = round_trip(format, std::slice::from_ref(&written));
            assert_eq!(
                document.datasets[0].description, written.description,
                "{format:?} case {i}"
            );
        }
    }
}

#[test]
fn decomposed_text_is_written_composed() {
    let decomposed = "gia\u{301} \u{111}a\u{302}\u{301}t";
    let written = dataset("nfd", decomposed);
    for format in FORMATS {
        let document = round_trip(format, std::slice::from_ref(&written));
        assert_eq!(
            document.datasets[0].description[0].value, "giá đất",
            "{format:?}"
        );
    }
}

#[test]
fn characters_xml_cannot_carry_are_replaced_not_written() {
    let written = dataset("ctl", "a\u{1}b\u{fffe}c");
    let document = round_trip(Format::RdfXml, std::slice::from_ref(&written));
    assert_eq!(
        document.datasets[0].description[0].value,
        "a\u{fffd}b\u{fffd}c"
    );
    let document = round_trip(Format::Turtle, std::slice::from_ref(&written));
    assert_eq!(
        document.datasets[0].description[0].value,
        "a\u{1}b\u{fffe}c"
    );
}

#[test]
fn unsafe_iris_are_encoded_or_dropped() {
    assert_eq!(
        clean_iri("https://x.example/a b<c>").as_deref(),
        Some("https://x.example/a%20b%3Cc%3E")
    );
    assert_eq!(clean_iri("relative/path"), None);
    assert_eq!(clean_iri("javascript:alert(1)"), None);
    assert_eq!(clean_iri("dcat:Dataset"), None);
    // A distribution without a usable link gets the dataset's page as its access URL.
    let mut written = dataset("nolink", "x");
    written.distributions[0].access_url = "not a link".into();
    let document = round_trip(Format::Turtle, std::slice::from_ref(&written));
    assert_eq!(
        document.datasets[0].distributions[0].access_url,
        written.iri
    );
}

#[test]
fn paging_links_are_read_back() {
    let paging = Paging {
        page: "https://portal.example/catalog.ttl?page=2".into(),
        total_items: 250,
        items_per_page: 100,
        first: Some("https://portal.example/catalog.ttl?page=1".into()),
        last: Some("https://portal.example/catalog.ttl?page=3".into()),
        next: Some("https://portal.example/catalog.ttl?page=3".into()),
        previous: Some("https://portal.example/catalog.ttl?page=1".into()),
    };
    for format in FORMATS {
        let bytes = to_bytes(format, Some(&catalog()), Some(&paging), &[]).unwrap();
        let document = parse(&bytes, format, CAP, None).unwrap();
        assert_eq!(document.paging.as_ref(), Some(&paging), "{format:?}");
    }
    // hydra:next alone (the newer vocabulary), as another portal may write it.
    let turtle = br#"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
        <https://a.example/c?page=1> hydra:next <https://a.example/c?page=2> ."#;
    let document = parse(turtle, Format::Turtle, CAP, None).unwrap();
    assert_eq!(
        document.paging.unwrap().next.as_deref(),
        Some("https://a.example/c?page=2")
    );
}

#[test]
fn billion_laughs_is_refused_before_expansion() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let previous = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    xml.push_str("]>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:dct=\"http://purl.org/dc/terms/\"><rdf:Description rdf:about=\"http://a.example/\"><dct:title>&lol9;</dct:title></rdf:Description></rdf:RDF>");
    assert!(matches!(
        parse(xml.as_bytes(), Format::RdfXml, CAP, None),
        Err(ParseError::Doctype)
    ));
}

#[test]
fn oversized_and_broken_documents_fail_clearly() {
    let bytes = to_bytes(Format::Turtle, Some(&catalog()), None, &[dataset("a", "x")]).unwrap();
    let cap = bytes.len() - 1;
    assert!(matches!(
        parse(&bytes, Format::Turtle, cap, None),
        Err(ParseError::TooLarge { .. })
    ));
    let endless = std::io::repeat(b' ');
    assert!(matches!(
        parse_reader(endless, Format::Turtle, 1000, None),
        Err(ParseError::TooLarge { limit: 1000 })
    ));
    let error = parse(b"<rdf:RDF><unclosed>", Format::RdfXml, CAP, None).unwrap_err();
    assert!(error.to_string().starts_with("invalid RDF/XML"), "{error}");
    let error = parse(b"<a> <b> \"unterminated .", Format::Turtle, CAP, None).unwrap_err();
    assert!(error.to_string().starts_with("invalid Turtle"), "{error}");
    // A remote context is never fetched.
    let remote =
        br#"{"@context": "https://example.org/context.jsonld", "@id": "https://a.example/d"}"#;
    assert!(parse(remote, Format::JsonLd, CAP, None).is_err());
}

#[test]
fn a_stream_writes_shared_terms_once() {
    let datasets: Vec<Dataset> = (0..50).map(|i| dataset(&format!("d{i}"), "x")).collect();
    let bytes = to_bytes(Format::Turtle, Some(&catalog()), None, &datasets).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text.matches("<https://portal.example/group/nong-nghiep>\n    a skos:Concept")
            .count(),
        1
    );
    assert_eq!(
        text.matches("dcat:dataset <https://portal.example/dataset/")
            .count(),
        50
    );
}
