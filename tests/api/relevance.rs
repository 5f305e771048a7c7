//! Relevance on the Tây Ninh demo catalogue: what citizens type, with and without diacritics,
//! decomposed input, spelling and tone variants, department and commune names, acronyms and
//! typos — the intended dataset must come first or among the first three.

use unicode_normalization::UnicodeNormalization;

use crate::both_backends;
use crate::helpers::{spawn_app, Backend, TestApp};

both_backends!(citizens_find_what_they_mean);

async fn names(app: &TestApp, q: &str) -> Vec<String> {
    let found = app
        .get("package_search", None, &[("q", q), ("rows", "3")])
        .await
        .ok();
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn first(app: &TestApp, q: &str, expected: &str) {
    let top = names(app, q).await;
    assert_eq!(
        top.first().map(String::as_str),
        Some(expected),
        "query {q:?} gave {top:?}"
    );
}

async fn top3(app: &TestApp, q: &str, expected: &str) {
    let top = names(app, q).await;
    assert!(
        top.iter().any(|n| n == expected),
        "query {q:?}: {expected} not in {top:?}"
    );
}

async fn citizens_find_what_they_mean(backend: Backend) {
    let app = spawn_app(backend).await;
    dataportal::demo::load_demo(&app.catalog).await.unwrap();
    let catalog = app.catalog.clone();
    tokio::task::spawn_blocking(move || {
        dataportal::catalog::indexing::rebuild(&catalog, &|_, _| {})
    })
    .await
    .unwrap()
    .unwrap();

    let land = "gia-dat-nong-nghiep-nam-2025";
    first(&app, "giá đất nông nghiệp năm 2025", land).await;
    first(&app, "gia dat nong nghiep nam 2025", land).await;
    first(&app, "GIÁ ĐẤT NÔNG NGHIỆP NĂM 2025", land).await;
    first(
        &app,
        &"giá đất nông nghiệp năm 2025".nfd().collect::<String>(),
        land,
    )
    .await;

    // Result lists can show the matching passage, accents kept, for an unaccented query.
    let found = app
        .get(
            "package_search",
            None,
            &[("q", "gia dat nong nghiep"), ("rows", "1")],
        )
        .await
        .ok();
    let snippet = found["results"][0]["search_snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>đất</b>"), "{snippet}");

    // Tone traps: the accents typed decide.
    let top = names(&app, "đạt chuẩn").await;
    assert!(top[0].contains("dat-chuan"), "{top:?}");
    top3(
        &app,
        "thuê đất khu công nghiệp",
        "gia-thue-dat-trong-khu-cong-nghiep",
    )
    .await;
    first(
        &app,
        "thuế tài nguyên",
        "bang-gia-tinh-thue-tai-nguyen-nam-2026",
    )
    .await;

    // Spelling variants: qui/quy, kĩ/kỹ, hòa/hoà, thủy/thuỷ.
    first(
        &app,
        "quy hoạch sử dụng đất Đức Hòa",
        "qui-hoach-su-dung-dat-xa-duc-hoa-den-nam-2030",
    )
    .await;
    first(
        &app,
        "hạ tầng kỹ thuật đô thị",
        "danh-muc-cong-trinh-ha-tang-ki-thuat-do-thi",
    )
    .await;
    first(
        &app,
        "công trình thủy lợi",
        "danh-muc-cong-trinh-thuy-loi-do-tinh-quan-ly",
    )
    .await;
    top3(&app, "tổ hòa giải", "danh-sach-to-hoa-giai-o-co-so").await;

    // Titles with colons and hyphens, typed as they are.
    first(
        &app,
        "Dân số và lao động: số liệu năm 2024",
        "dan-so-va-lao-dong-so-lieu-nam-2024",
    )
    .await;
    first(
        &app,
        "di tích lịch sử - văn hóa cấp tỉnh",
        "danh-muc-di-tich-lich-su-van-hoa-cap-tinh",
    )
    .await;

    // Acronyms, communes, departments.
    first(&app, "GIS", "dich-vu-ban-do-nen-gis-dung-chung-cua-tinh").await;
    top3(
        &app,
        "OCOP",
        "danh-sach-san-pham-ocop-duoc-cong-nhan-nam-2025",
    )
    .await;
    first(
        &app,
        "Khánh Hậu",
        "quy-hoach-phan-khu-phuong-khanh-hau-ty-le-1-2000",
    )
    .await;
    top3(
        &app,
        "trường học Bến Lức",
        "danh-sach-truong-hoc-tren-dia-ban-xa-ben-luc",
    )
    .await;
    let found = app
        .get(
            "package_search",
            None,
            &[("q", "Sở Nông nghiệp và Môi trường"), ("rows", "1")],
        )
        .await
        .ok();
    assert_eq!(
        found["results"][0]["organization"]["name"],
        "so-nong-nghiep-va-moi-truong"
    );

    // One typo per word is forgiven.
    top3(
        &app,
        "quy hoạc sử dụng đất",
        "quy-hoach-su-dung-dat-thoi-ky-2021-2030",
    )
    .await;

    // The search box suggests titles with the typed words in the typed order first; typed
    // accents decide between "giá đất" and "gia đình".
    for (typed, within) in [("giá đ", 1), ("bang gia d", 1), ("gia d", 3)] {
        let suggested = app
            .get("package_autocomplete", None, &[("q", typed)])
            .await
            .ok();
        let titles: Vec<String> = suggested
            .as_array()
            .unwrap()
            .iter()
            .take(within)
            .map(|d| d["title"].as_str().unwrap_or_default().to_lowercase())
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("giá đất")),
            "{typed:?} suggested {titles:?}"
        );
    }
}
