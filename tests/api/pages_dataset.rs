//! The dataset page `/dataset/{name}`: what a reader sees (title, publisher, licence, the
//! sentence to cite it with), in Vietnamese and English; the schema.org description search
//! engines read; a description that tries to run code does not; private and unknown datasets
//! are a 404 page.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    custom_fields_from_a_ckan_dump_are_listed,
    the_page_shows_title_publisher_licence_and_attribution,
    english_pages_show_the_english_title_when_there_is_one,
    search_engines_read_the_dataset_with_absolute_download_links,
    code_in_a_description_is_neutralised,
    a_private_dataset_is_not_found_by_anonymous_visitors,
    an_unknown_dataset_is_the_not_found_page_in_the_readers_language,
);

/// A page as text: status, `Content-Type`, `Content-Language` and body.
struct Page {
    status: u16,
    content_type: String,
    language: String,
    body: String,
}

async fn page(app: &TestApp, path: &str, token: Option<&str>) -> Page {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, language) = (header("Content-Type"), header("Content-Language"));
    let status = response.status().as_u16();
    Page {
        status,
        content_type,
        language,
        body: response.text().await.unwrap(),
    }
}

impl Page {
    fn ok(self) -> Page {
        assert_eq!(self.status, 200, "{}", self.body);
        assert!(
            self.content_type.starts_with("text/html"),
            "{}",
            self.content_type
        );
        self
    }

    fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    /// The schema.org JSON-LD of the head, parsed.
    fn json_ld(&self) -> Value {
        let open = r#"<script type="application/ld+json">"#;
        let start = self.body.find(open).expect("a JSON-LD script") + open.len();
        let end = start + self.body[start..].find("</script>").unwrap();
        serde_json::from_str(&self.body[start..end]).unwrap()
    }
}

/// Publishes a dataset of `org` (created too) with extra fields; returns its dict.
async fn publish(app: &TestApp, name: &str, org: &str, extra: Value) -> Value {
    app.organization(org).await;
    let mut dict = dataset(name, org);
    for (key, value) in extra.as_object().unwrap() {
        dict[key] = value.clone();
    }
    app.admin("package_create", dict).await.ok()
}

/// A CKAN dump carries what its portal added in `extras`: the page lists it, escaped.
async fn custom_fields_from_a_ckan_dump_are_listed(backend: Backend) {
    let app = spawn_app(backend).await;
    let extras = json!({"extras": [
        {"key": "don_vi_tinh", "value": "đồng/m²"},
        {"key": "nguon_goc", "value": "<b>Sở</b> & Phòng"},
    ]});
    publish(&app, "bang-gia-dat", "so-tai-chinh", extras).await;
    let page = page(&app, "/dataset/bang-gia-dat", None).await.ok();
    assert!(page.body.contains("Thông tin bổ sung"), "{}", page.body);
    assert!(page.body.contains("<dt>don_vi_tinh</dt><dd>đồng/m²</dd>"));
    assert!(
        !page.body.contains("<b>Sở</b>"),
        "a value is text, not HTML"
    );
}

async fn the_page_shows_title_publisher_licence_and_attribution(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = publish(&app, "bang-gia-dat", "so-tai-chinh", json!({})).await;
    let page = page(&app, "/dataset/bang-gia-dat", None).await.ok();
    assert_eq!(page.language, "vi");

    let title = "Bảng giá đất tỉnh Tây Ninh giai đoạn 2025–2029";
    assert!(page.has(&format!("<h1>{title}</h1>")), "{}", page.body);
    assert!(page.has(r#"<a href="/organization/so-tai-chinh">Sở so-tai-chinh</a>"#));
    assert!(page.has("Phòng Quản lý giá") && page.has("mailto:qlgia@tayninh.gov.vn"));
    assert!(page.has(r#"href="tel:02763822111""#));
    assert!(page.has("Creative Commons Ghi công 4.0"));
    assert!(page.has(r#"href="https://creativecommons.org/licenses/by/4.0/" rel="license""#));
    let url = format!("{}/dataset/bang-gia-dat", app.address);
    let attribution = format!(
        "Nguồn: Sở so-tai-chinh, “{title}”, Cổng dữ liệu mở tỉnh Tây Ninh, {url}, truy cập ngày "
    );
    assert!(page.has(&attribution), "{}", page.body);
    assert!(page.has("<dt>Tần suất cập nhật</dt><dd>Hằng năm</dd>"));
    assert!(page.has("01/01/2025 – 31/12/2029") && page.has("Tỉnh Tây Ninh"));
    assert!(page.has(r#"href="/group/tai-chinh""#));
    assert!(page.has(r#"href="/dataset?tags=gi%C3%A1+%C4%91%E1%BA%A5t""#));
    let resource = created["resources"][0]["id"].as_str().unwrap();
    assert!(page.has(&format!(
        r#"href="/dataset/bang-gia-dat/resource/{resource}""#
    )));
    assert!(page.has(r#"href="https://data.tayninh.gov.vn/files/bang-gia-dat.csv""#));
    assert!(page.has(r#"href="/api/3/action/package_show?id=bang-gia-dat""#));
    // Updated today with an annual frequency: not overdue.
    assert!(page.has("Lần cập nhật tiếp theo") && !page.has("Quá hạn"));
    // The DCAT-AP documents of the dataset are announced to harvesters (issue 11).
    assert!(page.has(r#"type="application/rdf+xml""#) && page.has("/dataset/bang-gia-dat.rdf\""));
    assert!(page.has("/dataset/bang-gia-dat.ttl\"") && page.has("/dataset/bang-gia-dat.jsonld\""));

    // The default terms of use link to the portal's terms page.
    publish(
        &app,
        "dan-so",
        "cuc-thong-ke",
        json!({"license_id": "vn-nd47-2020"}),
    )
    .await;
    let page = self::page(&app, "/dataset/dan-so", None).await.ok();
    assert!(
        page.has(r#"<a href="/terms" rel="license">"#),
        "{}",
        page.body
    );
}

async fn english_pages_show_the_english_title_when_there_is_one(backend: Backend) {
    let app = spawn_app(backend).await;
    publish(&app, "bang-gia-dat", "so-tai-chinh", json!({})).await;
    let page = page(&app, "/dataset/bang-gia-dat?lang=en", None).await.ok();
    assert_eq!(page.language, "en");
    let title = "Land price table of Tay Ninh province 2025-2029";
    assert!(page.has(&format!("<h1>{title}</h1>")), "{}", page.body);
    assert!(page.has(&format!(
        "Source: Sở so-tai-chinh, “{title}”, Tay Ninh Province Open Data Portal"
    )));
    assert!(page.has("<dd>Annual</dd>") && page.has("Creative Commons Attribution 4.0"));
    assert_eq!(page.json_ld()["name"], title);

    // Without an English title the Vietnamese one stands.
    publish(&app, "dan-so", "cuc-thong-ke", json!({"title_en": ""})).await;
    let page = self::page(&app, "/dataset/dan-so?lang=en", None).await.ok();
    assert!(page.has("<h1>Bảng giá đất tỉnh Tây Ninh giai đoạn 2025–2029</h1>"));
}

async fn search_engines_read_the_dataset_with_absolute_download_links(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = publish(&app, "bang-gia-dat", "so-tai-chinh", json!({})).await;
    let form = Form::new()
        .text("package_id", "bang-gia-dat")
        .text("name", "Bảng giá (tải lên)")
        .part(
            "upload",
            Part::bytes(b"ma,gia\n1,2\n".to_vec()).file_name("gia.csv"),
        );
    let response = app
        .client
        .post(format!("{}/api/3/action/resource_create", app.address))
        .header("Authorization", &app.admin_token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let page = page(&app, "/dataset/bang-gia-dat", None).await.ok();
    let ld = page.json_ld();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["name"], created["title"]);
    assert_eq!(ld["identifier"], created["id"]);
    assert_eq!(ld["url"], format!("{}/dataset/bang-gia-dat", app.address));
    assert_eq!(
        ld["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(ld["publisher"]["name"], "Sở so-tai-chinh");
    assert_eq!(ld["temporalCoverage"], "2025-01-01/2029-12-31");
    assert_eq!(ld["isAccessibleForFree"], true);
    let files = ld["distribution"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{ld}");
    let upload = &files[1];
    assert_eq!(upload["@type"], "DataDownload");
    let content_url = upload["contentUrl"].as_str().unwrap();
    assert!(
        content_url.starts_with(&format!("{}/dataset/", app.address)),
        "{content_url}"
    );
    assert_eq!(upload["encodingFormat"], "text/csv");
    // The page's Open Graph description is its plain text.
    assert!(page.has(r#"<meta property="og:type" content="article">"#));
    assert!(page.has(r#"<meta property="og:description" content="Bảng giá các loại đất"#));
}

async fn code_in_a_description_is_neutralised(backend: Backend) {
    let app = spawn_app(backend).await;
    let notes = "Bảng **giá đất** <script>alert('x')</script> và \
                 [bấm vào](javascript:alert(1)) hay \
                 <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">đây</a>; \
                 [nguồn](https://stc.tayninh.gov.vn). </script><script>alert(4)</script>";
    publish(
        &app,
        "bang-gia-dat",
        "so-tai-chinh",
        json!({"notes": notes, "title": "Giá đất </script><script>alert(5)</script>"}),
    )
    .await;
    let page = page(&app, "/dataset/bang-gia-dat", None).await.ok();
    assert!(page.has("<strong>giá đất</strong>"), "{}", page.body);
    assert!(page.has(r#"<a href="https://stc.tayninh.gov.vn" rel="nofollow noopener">nguồn</a>"#));
    for bad in [
        "javascript:",
        "onclick",
        "<script>alert",
        "alert(4)</script>",
    ] {
        assert!(!page.has(bad), "{bad} in {}", page.body);
    }
    // Two script elements: the JSON-LD and portal.js; the title did not open a third.
    assert_eq!(page.body.matches("<script").count(), 2, "{}", page.body);
    assert_eq!(page.body.matches("</script>").count(), 2);
    let ld = page.json_ld();
    assert_eq!(ld["name"], "Giá đất </script><script>alert(5)</script>");
}

async fn a_private_dataset_is_not_found_by_anonymous_visitors(backend: Backend) {
    let app = spawn_app(backend).await;
    publish(
        &app,
        "ho-ngheo",
        "so-lao-dong",
        json!({"private": true, "title": "Danh sách hộ nghèo"}),
    )
    .await;
    let anonymous = page(&app, "/dataset/ho-ngheo", None).await;
    assert_eq!(anonymous.status, 404);
    assert!(anonymous.content_type.starts_with("text/html"));
    assert!(anonymous.has("Không tìm thấy trang"));
    assert!(!anonymous.has("Danh sách hộ nghèo"));

    let admin = page(&app, "/dataset/ho-ngheo", Some(&app.admin_token))
        .await
        .ok();
    assert!(admin.has("<h1>Danh sách hộ nghèo</h1>") && admin.has("Riêng tư"));
    assert!(admin.has(r#"<meta name="robots" content="noindex, nofollow">"#));
}

async fn an_unknown_dataset_is_the_not_found_page_in_the_readers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let vietnamese = page(&app, "/dataset/khong-co", None).await;
    assert_eq!(
        (vietnamese.status, vietnamese.language.as_str()),
        (404, "vi")
    );
    assert!(vietnamese.content_type.starts_with("text/html"));
    assert!(vietnamese.has("Không tìm thấy trang") && vietnamese.has("dataset_not_found"));

    let english = page(&app, "/dataset/khong-co?lang=en", None).await;
    assert_eq!((english.status, english.language.as_str()), (404, "en"));
    assert!(english.has("Page not found") && english.has("dataset_not_found"));
}
