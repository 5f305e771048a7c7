//! package_search: CKAN's parameters, result shape and facets.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(
    search_honours_ckan_parameters,
    browsers_get_the_same_page_compressed_once,
);

async fn search_honours_ckan_parameters(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.organization("so-y-te").await;
    let mut one = dataset("gia-dat-2025", "so-tai-chinh");
    one["resources"] = json!([{"url": "https://x.vn/a.csv"}, {"url": "https://x.vn/b.xlsx"}]);
    app.admin("package_create", one).await.ok();
    let mut two = dataset("benh-vien-cong-lap", "so-y-te");
    two["title"] = json!("Danh sách bệnh viện công lập");
    two["notes"] = json!("Các bệnh viện tuyến tỉnh");
    two["tags"] = json!(["y tế", "bệnh viện"]);
    two["groups"] = json!([{"name": "y-te"}]);
    two["license_id"] = json!("odc-by");
    app.admin("package_create", two).await.ok();
    let mut three = dataset("thu-ngan-sach", "so-tai-chinh");
    three["title"] = json!("Thu ngân sách nhà nước");
    three["frequency"] = json!("monthly");
    app.admin("package_create", three).await.ok();

    let all = app.get("package_search", None, &[("q", "*:*")]).await.ok();
    assert_eq!(all["count"], 3);
    assert_eq!(
        all["results"][0]["name"], "thu-ngan-sach",
        "newest first by default"
    );
    assert!(
        all["results"][0]["resources"].is_array(),
        "results are whole dataset dicts"
    );

    let found = app
        .get("package_search", None, &[("q", "bệnh viện")])
        .await
        .ok();
    assert_eq!(found["count"], 1);
    assert_eq!(found["results"][0]["name"], "benh-vien-cong-lap");

    let by_org = app
        .get(
            "package_search",
            None,
            &[("fq", "organization:so-tai-chinh"), ("sort", "name asc")],
        )
        .await
        .ok();
    assert_eq!(by_org["count"], 2);
    assert_eq!(by_org["results"][0]["name"], "gia-dat-2025");
    let by_tag = app
        .get("package_search", None, &[("fq", "tags:\"bệnh viện\"")])
        .await
        .ok();
    assert_eq!(by_tag["count"], 1);
    let by_format = app
        .get("package_search", None, &[("fq", "res_format:XLSX")])
        .await
        .ok();
    assert_eq!(by_format["count"], 1);
    let not_finance = app
        .get(
            "package_search",
            None,
            &[("fq", "-organization:so-tai-chinh")],
        )
        .await
        .ok();
    assert_eq!(not_finance["count"], 1);
    let list = app
        .post(
            "package_search",
            None,
            json!({"fq_list": ["groups:tai-chinh", "frequency:monthly"]}),
        )
        .await
        .ok();
    assert_eq!(list["count"], 1);
    assert_eq!(list["results"][0]["name"], "thu-ngan-sach");
    let recent = app
        .get(
            "package_search",
            None,
            &[("fq", "metadata_modified:[2020-01-01T00:00:00Z TO *]")],
        )
        .await
        .ok();
    assert_eq!(recent["count"], 3);
    let none = app
        .get(
            "package_search",
            None,
            &[("fq", "metadata_modified:[* TO 2020-01-01T00:00:00Z]")],
        )
        .await
        .ok();
    assert_eq!(none["count"], 0);

    // CKAN's boolean syntax: OR, NOT, parentheses and field groups.
    let count = |q: &'static str| {
        let app = &app;
        async move {
            app.get("package_search", None, &[("q", q)]).await.ok()["count"]
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(count("bệnh viện OR ngân sách").await, 2);
    assert_eq!(count("(bệnh viện) OR (ngân sách)").await, 2);
    assert_eq!(count("organization:(so-y-te OR so-tai-chinh)").await, 3);
    assert_eq!(count("res_format:(pdf OR xlsx)").await, 1);
    assert_eq!(count("*:* NOT organization:so-y-te").await, 2);
    assert_eq!(count("ngân sách AND NOT bệnh").await, 1);
    assert_eq!(count("metadata_modified:[NOW-1DAY TO NOW+1DAY]").await, 3);
    for junk in [
        "((",
        "OR",
        "AND NOT",
        ")",
        "tags:(",
        "metadata_modified:[x TO y]",
    ] {
        app.get("package_search", None, &[("q", junk)]).await.ok();
    }

    let page = app
        .get(
            "package_search",
            None,
            &[("sort", "title_string asc"), ("rows", "1"), ("start", "1")],
        )
        .await
        .ok();
    assert_eq!(page["count"], 3);
    assert_eq!(page["results"].as_array().unwrap().len(), 1);
    assert_eq!(page["results"][0]["name"], "benh-vien-cong-lap");
    let names = |reply: serde_json::Value| -> Vec<String> {
        reply["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let bad_sort = app
        .get("package_search", None, &[("sort", "organization desc")])
        .await
        .err(409);
    assert!(
        bad_sort["sort"][0]
            .as_str()
            .is_some_and(|m| m.contains("organization") && m.contains("sắp xếp")),
        "the error names the field, in Vietnamese first: {bad_sort}"
    );
    let two_keys = app
        .get(
            "package_search",
            None,
            &[("sort", "title_string desc, name asc"), ("q", "*:*")],
        )
        .await
        .ok();
    assert_eq!(
        names(two_keys),
        ["thu-ngan-sach", "benh-vien-cong-lap", "gia-dat-2025"]
    );
    let relevance_then_time = app
        .get(
            "package_search",
            None,
            &[("sort", "score desc, metadata_modified desc"), ("q", "sở")],
        )
        .await
        .ok();
    assert_eq!(relevance_then_time["count"], 3);

    let facets = app
        .get(
            "package_search",
            None,
            &[
                (
                    "facet.field",
                    "[\"organization\",\"res_format\",\"license_id\",\"groups\"]",
                ),
                ("rows", "0"),
            ],
        )
        .await
        .ok();
    assert_eq!(facets["results"], json!([]));
    assert_eq!(facets["facets"]["organization"]["so-tai-chinh"], 2);
    let orgs = &facets["search_facets"]["organization"];
    assert_eq!(
        orgs["items"][0],
        json!({"name": "so-tai-chinh", "display_name": "Sở so-tai-chinh", "display_name_en": "", "count": 2})
    );
    assert_eq!(facets["facets"]["res_format"]["CSV"], 3);
    assert_eq!(facets["facets"]["res_format"]["XLSX"], 1);
    assert_eq!(facets["facets"]["license_id"]["odc-by"], 1);
    assert_eq!(facets["facets"]["groups"]["tai-chinh"], 2);
    let limited = app
        .get(
            "package_search",
            None,
            &[
                ("facet.field", "[\"res_format\"]"),
                ("facet.limit", "1"),
                ("facet.mincount", "2"),
            ],
        )
        .await
        .ok();
    assert_eq!(limited["facets"]["res_format"], json!({"CSV": 3}));

    // Whatever a user types, the answer is a result, not an error.
    for q in [
        "Sở Lao động - Thương binh và Xã hội",
        "dân số: 2023",
        "\"không đóng",
        "AND OR NOT",
        "title:",
        "[ TO ]",
        "%_\\",
    ] {
        app.get("package_search", None, &[("q", q)]).await.ok();
    }
}

/// What a browser sends, `Accept-Encoding: gzip`: the same page, compressed, and the same bytes
/// again for a repeated search (kept with the cached page, not compressed per hit).
async fn browsers_get_the_same_page_compressed_once(backend: Backend) {
    use std::io::Read;
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("gia-dat-2025", "so-tai-chinh"))
        .await
        .ok();
    let url = format!(
        "{}/api/3/action/package_search?q=gi%C3%A1+%C4%91%E1%BA%A5t",
        app.address
    );
    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("Content-Encoding").is_none());
    let plain: serde_json::Value = plain.json().await.unwrap();
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let response = app
            .client
            .get(&url)
            .header("Accept-Encoding", "gzip, deflate, br, zstd")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["Content-Encoding"], "gzip");
        assert_eq!(response.headers()["Vary"], "Accept-Encoding");
        bodies.push(response.bytes().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bodies[0][..])
        .read_to_string(&mut text)
        .unwrap();
    let unpacked: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(unpacked, plain);
    assert_eq!(unpacked["result"]["count"], 1);
    // A client that refuses gzip gets text.
    let refused = app
        .client
        .get(&url)
        .header("Accept-Encoding", "gzip;q=0, identity")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("Content-Encoding").is_none());
}
