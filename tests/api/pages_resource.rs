//! The resource page: what a visitor sees of a dataset's file — its facts, the download
//! button, and a preview of the stored file, escaped; 404 pages for what they may not see.

use std::io::Write;

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    a_windows_1258_csv_previews_as_a_vietnamese_table,
    hostile_file_content_is_shown_as_text,
    unknown_and_private_resources_are_not_found,
    a_link_gets_no_preview_but_its_link,
    workbooks_json_maps_and_images_preview,
);

/// Uploads a file as a new resource of `package`; returns the resource dict.
pub async fn upload(app: &TestApp, package: &str, file_name: &str, bytes: Vec<u8>) -> Value {
    let form = Form::new()
        .text("package_id", package.to_owned())
        .part("upload", Part::bytes(bytes).file_name(file_name.to_owned()));
    let response = app
        .client
        .post(format!("{}/api/3/action/resource_create", app.address))
        .header("Authorization", app.admin_token.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

/// GETs a page (optionally with a token); returns the status and the HTML.
async fn page(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A dataset owned by a new organisation, without resources.
async fn empty_dataset(app: &TestApp, name: &str, private: bool) {
    app.organization("so-tai-chinh").await;
    let mut dict = dataset(name, "so-tai-chinh");
    dict["resources"] = json!([]);
    dict["private"] = json!(private);
    app.admin("package_create", dict).await.ok();
}

/// True when the page shows `raw` as text: its markup characters escaped (by name or number).
fn shows_escaped(html: &str, raw: &str) -> bool {
    let named = raw.replace('<', "&lt;").replace('>', "&gt;");
    let numbered = raw.replace('<', "&#60;").replace('>', "&#62;");
    html.contains(&named) || html.contains(&numbered)
}

fn resource_path(dataset: &str, resource: &Value) -> String {
    format!(
        "/dataset/{dataset}/resource/{}",
        resource["id"].as_str().unwrap()
    )
}

async fn a_windows_1258_csv_previews_as_a_vietnamese_table(backend: Backend) {
    let app = spawn_app(backend).await;
    empty_dataset(&app, "dan-so-xa-phuong", false).await;
    let text = "Mã;Tên đơn vị;Dân số;Ghi chú\n\
                25747;Phường Tân Ninh;41253;Trung tâm hành chính, mật độ dân cư cao nhất\n\
                25750;Xã Hòa Thành;18005;Nơi có Tòa Thánh Cao Đài\n\
                25753;Phường Trảng Bàng;32410;Đường Xuyên Á\n";
    let bytes = windows_1258(text);
    assert!(std::str::from_utf8(&bytes).is_err());
    let resource = upload(&app, "dan-so-xa-phuong", "dan-so.csv", bytes).await;

    let (status, html) = page(&app, &resource_path("dan-so-xa-phuong", &resource), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(r#"<th scope="col" class="num">Mã</th>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<th scope="col" class="">Tên đơn vị</th>"#),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"\">Phường Trảng Bàng</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"\">Nơi có Tòa Thánh Cao Đài</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"\">Trung tâm hành chính, mật độ dân cư cao nhất</td>"),
        "{html}"
    );
    assert!(html.contains(r#"<td class="num">41253</td>"#), "{html}");
    assert!(html.contains("windows-1258"), "{html}");
    assert!(html.contains("Toàn bộ 3 dòng của tệp"), "{html}");
    // The breadcrumb leads back to the dataset; the button downloads the upload.
    assert!(html.contains(r#"<a href="/dataset/dan-so-xa-phuong">Bảng giá đất tỉnh Tây Ninh"#));
    let download = resource["url"].as_str().unwrap();
    let relative = download.trim_start_matches(&app.address);
    assert!(
        html.contains(&format!(
            r#"class="button download-button" href="{relative}" download"#
        )) || html.contains(&format!(
            r#"class="button download-button" href="{download}" download"#
        )),
        "{html}"
    );
    assert!(html.contains("Tải xuống"));

    let (status, english) = page(
        &app,
        &format!("{}?lang=en", resource_path("dan-so-xa-phuong", &resource)),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(english.contains("All 3 rows of the file"), "{english}");
    assert!(english.contains("Phường Tân Ninh"));
}

async fn hostile_file_content_is_shown_as_text(backend: Backend) {
    let app = spawn_app(backend).await;
    empty_dataset(&app, "du-lieu-doc-hai", false).await;
    let csv = b"ten,ghi_chu\n<script>alert(1)</script>,\"<img src=x onerror=alert(2)>\"\n".to_vec();
    let resource = upload(&app, "du-lieu-doc-hai", "doc-hai.csv", csv).await;
    let (status, html) = page(&app, &resource_path("du-lieu-doc-hai", &resource), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(shows_escaped(&html, "<script>alert(1)</script>"), "{html}");
    assert!(
        shows_escaped(&html, "<img src=x onerror=alert(2)>"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));

    let json = br#"{"a": "</code></pre><script>alert(3)</script>"}"#.to_vec();
    let resource = upload(&app, "du-lieu-doc-hai", "doc-hai.json", json).await;
    let (status, html) = page(&app, &resource_path("du-lieu-doc-hai", &resource), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(shows_escaped(&html, "<script>alert(3)"), "{html}");
    assert!(!html.contains("<script>alert"));

    let xml = b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"http://127.0.0.1:9/\">]><a onload=\"alert(4)\">&x;<script>alert(5)</script></a>".to_vec();
    let resource = upload(&app, "du-lieu-doc-hai", "doc-hai.xml", xml).await;
    let (status, html) = page(&app, &resource_path("du-lieu-doc-hai", &resource), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(shows_escaped(&html, "<script>alert(5)"), "{html}");
    assert!(!html.contains("<script>alert") && !html.contains("<a onload"));
}

async fn unknown_and_private_resources_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    empty_dataset(&app, "noi-bo", true).await;
    let mut public = dataset("cong-khai", "so-tai-chinh");
    public["resources"] = json!([]);
    app.admin("package_create", public).await.ok();
    let secret = upload(&app, "noi-bo", "mat.csv", b"a,b\n1,2\n".to_vec()).await;
    let open = upload(&app, "cong-khai", "mo.csv", b"a,b\n1,2\n".to_vec()).await;

    // A private dataset's file: 404 for a visitor, the page for its publisher.
    let (status, html) = page(&app, &resource_path("noi-bo", &secret), None).await;
    assert_eq!(status, 404, "{html}");
    assert!(!html.contains("<table"));
    let (status, html) = page(
        &app,
        &resource_path("noi-bo", &secret),
        Some(&app.admin_token),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("noindex"));

    // An unknown id, and a real resource under another dataset's name.
    let unknown = json!({"id": "0191a0a0-0000-7000-8000-000000000000"});
    let (status, html) = page(&app, &resource_path("cong-khai", &unknown), None).await;
    assert_eq!(status, 404);
    assert!(html.contains("404"), "{html}");
    let (status, _) = page(&app, &resource_path("cong-khai", &secret), None).await;
    assert_eq!(status, 404);
    let (status, _) = page(&app, &resource_path("noi-bo", &open), None).await;
    assert_eq!(status, 404);
    let (status, _) = page(&app, &resource_path("khong-co", &open), None).await;
    assert_eq!(status, 404);
    // The dataset's id works as well as its name.
    let id = app
        .get("package_show", None, &[("id", "cong-khai")])
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = page(&app, &resource_path(&id, &open), None).await;
    assert_eq!(status, 200);
}

async fn a_link_gets_no_preview_but_its_link(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    let created = app
        .admin("package_create", dataset("gia-dat", "so-tai-chinh"))
        .await
        .ok();
    let link = &created["resources"][0];
    let (status, html) = page(&app, &resource_path("gia-dat", link), None).await;
    assert_eq!(status, 200, "{html}");
    let href =
        r#"href="https://data.tayninh.gov.vn/files/bang-gia-dat.csv" rel="noopener external""#;
    assert!(html.contains(href), "{html}");
    assert!(html.contains("preview-none"), "{html}");
    assert!(html.contains("không tải tệp từ trang bên ngoài"), "{html}");
    assert!(!html.contains("<table"));
}

async fn workbooks_json_maps_and_images_preview(backend: Backend) {
    let app = spawn_app(backend).await;
    empty_dataset(&app, "nhieu-dinh-dang", false).await;

    let book = workbook(&[
        (
            "Trường học",
            &[
                &["Tên trường", "Số học sinh"],
                &["THPT Hoàng Lê Kha", "1520"],
            ],
        ),
        ("Nguồn", &[&["Sở Giáo dục và Đào tạo"]]),
    ]);
    let xlsx = upload(&app, "nhieu-dinh-dang", "truong-hoc.xlsx", book).await;
    assert_eq!(xlsx["format"], "XLSX");
    let (status, html) = page(&app, &resource_path("nhieu-dinh-dang", &xlsx), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<td class=\"\">THPT Hoàng Lê Kha</td>"),
        "{html}"
    );
    assert!(html.contains(r#"<td class="num">1520</td>"#), "{html}");
    assert!(html.contains("Các trang tính khác: Nguồn"), "{html}");

    let json = r#"{"ten":"Sở Y tế","so_giuong":[120,80]}"#.as_bytes().to_vec();
    let resource = upload(&app, "nhieu-dinh-dang", "benh-vien.json", json).await;
    let (_, html) = page(&app, &resource_path("nhieu-dinh-dang", &resource), None).await;
    assert!(
        html.contains("{\n  &quot;ten&quot;: &quot;Sở Y tế&quot;,")
            || html.contains("{\n  &#34;ten&#34;: &#34;Sở Y tế&#34;,"),
        "{html}"
    );

    let geo = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ten":"<b>Hồ Dầu Tiếng</b>"},
        "geometry":{"type":"Polygon","coordinates":[[[106.2,11.3],[106.4,11.3],[106.4,11.5],[106.2,11.3]]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106.1,11.4]}}]}"#
        .as_bytes()
        .to_vec();
    let resource = upload(&app, "nhieu-dinh-dang", "ho.geojson", geo).await;
    let (_, html) = page(&app, &resource_path("nhieu-dinh-dang", &resource), None).await;
    assert!(html.contains("<svg viewBox="), "{html}");
    assert!(html.contains(r#"<path d="M"#), "{html}");
    assert!(html.contains("<circle cx="), "{html}");
    assert!(html.contains("2 đối tượng"), "{html}");
    assert!(!html.contains("Hồ Dầu Tiếng"), "properties are not drawn");

    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let image = upload(&app, "nhieu-dinh-dang", "anh.png", png).await;
    let (_, html) = page(&app, &resource_path("nhieu-dinh-dang", &image), None).await;
    let url = image["url"].as_str().unwrap();
    let relative = url.trim_start_matches(&app.address);
    assert!(
        html.contains(&format!(r#"<img src="{relative}?inline=1""#))
            || html.contains(&format!(r#"<img src="{url}?inline=1""#)),
        "{html}"
    );
    let shown = app
        .client
        .get(format!("{url}?inline=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status().as_u16(), 200);
    let disposition = shown.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("inline"), "{disposition}");
    // Asking for a CSV inline still gets an attachment.
    let csv = upload(&app, "nhieu-dinh-dang", "a.csv", b"a\n1\n".to_vec()).await;
    let sent = app
        .client
        .get(format!("{}?inline=1", csv["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    let disposition = sent.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
}

/// Vietnamese as Windows-1258 writes it: â ă ê ô ơ ư đ precomposed, tone marks combining
/// (the only form its encoder maps).
pub fn windows_1258(text: &str) -> Vec<u8> {
    use unicode_normalization::{char::compose, UnicodeNormalization};
    let mut legacy = String::new();
    // Tone marks wait until the letter's other marks are composed: NFD puts the dot below
    // of "ệ" before its circumflex.
    let mut tones = String::new();
    for c in text.nfd() {
        if matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}') {
            tones.push(c);
            continue;
        }
        let joined = matches!(c, '\u{302}' | '\u{306}' | '\u{31B}')
            .then(|| legacy.chars().next_back().and_then(|base| compose(base, c)))
            .flatten();
        if let Some(letter) = joined {
            legacy.pop();
            legacy.push(letter);
        } else {
            legacy.push_str(&tones);
            tones.clear();
            legacy.push(c);
        }
    }
    legacy.push_str(&tones);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&legacy);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

/// A minimal XLSX: inline strings, numbers as numbers, one sheet per entry.
pub fn workbook(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, body: String| {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    const SHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let n = sheets.len();
    let overrides: String = (1..=n)
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET}.worksheet+xml"/>"#))
        .collect();
    put(
        "[Content_Types].xml",
        format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{SHEET}.sheet.main+xml"/>{overrides}</Types>"#
        ),
    );
    put(
        "_rels/.rels",
        format!(
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        ),
    );
    let names: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            format!(
                r#"<sheet name="{name}" sheetId="{0}" r:id="rId{0}"/>"#,
                i + 1
            )
        })
        .collect();
    put(
        "xl/workbook.xml",
        format!(
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{RELS}"><sheets>{names}</sheets></workbook>"#
        ),
    );
    let rels: String = (1..=n)
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    put(
        "xl/_rels/workbook.xml.rels",
        format!(
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for (i, (_, rows)) in sheets.iter().enumerate() {
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, value) in row.iter().enumerate() {
                let cell = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if value.parse::<f64>().is_ok() {
                    data.push_str(&format!(r#"<c r="{cell}"><v>{value}</v></c>"#));
                } else {
                    data.push_str(&format!(
                        r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#
                    ));
                }
            }
            data.push_str("</row>");
        }
        put(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        );
    }
    zip.finish().unwrap().into_inner()
}
