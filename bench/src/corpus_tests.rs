//! Tests of the corpus generator: unique names, the requested number of
//! lines, valid CKAN dicts, determinism.

use std::collections::HashSet;
use std::path::PathBuf;

use super::*;

/// A tiny fixture covering the generator's cases: a dated title, an undated
/// one, one tied to a ward, and a name at the 100-character limit.
const MINI: &str = r#"
{"name": "ket-qua-tuyen-dung-cong-chuc-nam-2025", "title": "Kết quả tuyển dụng công chức năm 2025", "notes": "Kết quả kỳ tuyển dụng năm 2025.", "organization": "so-noi-vu", "organization_title": "Sở Nội vụ", "groups": ["lao-dong"], "tags": ["tuyển dụng", "công chức"], "license_id": "cc-by-4.0", "frequency": "annual", "spatial": "Toàn tỉnh", "temporal_start": "2024-02-29", "temporal_end": "2025-12-31", "metadata_created": "2026-07-25T07:16:15+07:00", "metadata_modified": "2026-08-20T14:37:58+07:00", "resources": [{"name": "Danh sách trúng tuyển 2025", "format": "XLSX", "description": "Bảng tính.", "url": "https://data.tayninh.gov.vn/dataset/ket-qua-tuyen-dung-cong-chuc-nam-2025/resource/x/download/a.xlsx"}]}
{"name": "san-pham-ocop-dat-3-sao-tro-len", "title": "Sản phẩm OCOP đạt 3 sao trở lên", "notes": "Danh sách sản phẩm OCOP.", "organization": "so-nong-nghiep-va-moi-truong", "organization_title": "Sở Nông nghiệp và Môi trường", "groups": ["nong-nghiep", "kinh-te-thuong-mai"], "tags": ["OCOP", "nông sản", "đặc sản"], "license_id": "", "frequency": "irregular", "spatial": "Toàn tỉnh", "temporal_start": null, "temporal_end": null, "resources": [{"name": "Danh sách", "format": "CSV", "description": "", "url": ""}]}
{"name": "danh-sach-truong-hoc-phuong-hoa-thanh", "title": "Danh sách trường học phường Hòa Thành", "notes": "Các trường học trên địa bàn phường Hòa Thành.", "organization": "so-giao-duc-va-dao-tao", "organization_title": "Sở Giáo dục và Đào tạo", "groups": ["giao-duc"], "tags": ["trường học"], "license_id": "odc-by", "frequency": "annual", "spatial": "Hòa Thành", "temporal_start": "2025-09-01", "temporal_end": "2026-05-31", "resources": []}
{"name": "danh-muc-du-an-dau-tu-cong-trung-han-giai-doan-2026-2030-cua-tinh-tay-ninh-sau-khi-sap-xep-don-vi-hanh", "title": "Danh mục dự án đầu tư công trung hạn giai đoạn 2026–2030 của tỉnh Tây Ninh sau khi sắp xếp đơn vị hành chính", "notes": "", "organization": "so-tai-chinh", "organization_title": "Sở Tài chính", "groups": ["tai-chinh"], "tags": ["đầu tư công"], "license_id": "cc-by-4.0", "frequency": "irregular", "spatial": "Toàn tỉnh", "temporal_start": "2026-01-01", "temporal_end": "2030-12-31", "resources": []}
"#;

fn mini_fixture() -> Vec<FixtureRecord> {
    MINI.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("test fixture line parses"))
        .collect()
}

/// Checks the invariants every generated dict must satisfy.
fn assert_valid(d: &Value) {
    let name = d["name"].as_str().expect("name is a string");
    assert!((2..=100).contains(&name.len()), "name length: {name}");
    assert!(
        name.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "slug: {name}"
    );
    assert!(
        !name.starts_with('-') && !name.ends_with('-'),
        "slug: {name}"
    );
    assert!(d["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(d["owner_org"].is_string());
    assert_eq!(d["organization"]["name"], d["owner_org"]);
    assert!(d["organization"]["title"].is_string());
    for key in ["tags", "groups", "resources"] {
        assert!(d[key].is_array(), "{key} is a list");
    }
    for tag in d["tags"].as_array().into_iter().flatten() {
        assert!(tag["name"].as_str().is_some_and(|t| !t.is_empty()));
    }
    for key in ["temporal_start", "temporal_end"] {
        if let Some(date) = d[key].as_str() {
            assert_eq!(date.len(), 10, "{key}: {date}");
            let year: u32 = date[..4].parse().expect("year");
            let leap = crate::text::is_leap(year);
            assert!(leap || &date[5..] != "02-29", "{key}: {date} is not a date");
        }
    }
}

#[test]
fn names_are_unique_and_dicts_valid() {
    let fixture = mini_fixture();
    let mut gen = Generator::new(fixture, 7).expect("generator");
    let mut names = HashSet::new();
    // Enough to pass through every year × place combination of each template
    // (21 × 97) and into the "đợt" issues beyond.
    for _ in 0..(4 * 21 * 97 + 200) {
        let d = gen.next_dataset();
        assert_valid(&d);
        let name = d["name"].as_str().expect("name").to_string();
        assert!(names.insert(name.clone()), "duplicate name {name}");
    }
}

#[test]
fn variants_look_like_editions_and_places() {
    let mut gen = Generator::new(mini_fixture(), 1).expect("generator");
    let all: Vec<Value> = (0..4 * 30).map(|_| gen.next_dataset()).collect();
    // Variant 0 of each template is the fixture record itself.
    assert_eq!(all[0]["name"], "ket-qua-tuyen-dung-cong-chuc-nam-2025");
    assert_eq!(all[1]["spatial_name"], "Toàn tỉnh");
    // Variant 1 of the dated template is last year's edition.
    let prev = &all[4];
    assert_eq!(prev["name"], "ket-qua-tuyen-dung-cong-chuc-nam-2024");
    assert_eq!(prev["title"], "Kết quả tuyển dụng công chức năm 2024");
    assert_eq!(prev["temporal_start"], "2023-02-28");
    // Variant 1 of the undated template becomes a 2025 snapshot.
    assert_eq!(all[5]["name"], "san-pham-ocop-dat-3-sao-tro-len-nam-2025");
    assert_eq!(all[5]["temporal_end"], "2025-12-31");
    // The 100-character name keeps its limit when a suffix is added.
    assert!(all[7]["name"].as_str().is_some_and(|n| n.len() <= 100));
    // Variant 21 (place 1, no year shift) of the ward template swaps the ward.
    let ward = &all[4 * 21 + 2];
    let title = ward["title"].as_str().expect("title");
    assert!(!title.contains("Hòa Thành"), "{title}");
    assert!(title.starts_with("Danh sách trường học "), "{title}");
    assert!(!ward["name"].as_str().expect("name").contains("hoa-thanh"));
    assert_ne!(ward["spatial_name"], "Hòa Thành");
}

#[test]
fn same_seed_same_corpus_other_seed_differs() {
    let run = |seed| {
        let mut gen = Generator::new(mini_fixture(), seed).expect("generator");
        (0..500).map(|_| gen.next_dataset()).collect::<Vec<_>>()
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn write_corpus_writes_n_json_lines() {
    let dir = std::env::temp_dir().join(format!("dataportal-bench-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("corpus.jsonl");
    let mut gen = Generator::new(mini_fixture(), 42).expect("generator");
    let names = write_corpus(&mut gen, 1234, &out).expect("corpus written");
    let text = std::fs::read_to_string(&out).expect("corpus read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1234);
    assert_eq!(names.len(), 1234);
    for (line, name) in lines.iter().zip(&names) {
        let d: Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(d["name"].as_str(), Some(name.as_str()));
    }
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// The real fixture, where present (the repo copy or the shared original).
fn real_fixture() -> Option<Vec<FixtureRecord>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        root.join("demo/tay-ninh-catalogue.jsonl"),
        root.join("../shared/data/tay-ninh-catalogue.jsonl"),
    ]
    .iter()
    .find(|p| p.exists())
    .map(|p| load_fixture(p).expect("real fixture parses"))
}

#[test]
fn real_fixture_scales_to_20k_unique_valid_records() {
    let Some(fixture) = real_fixture() else {
        eprintln!("skipped: no tay-ninh-catalogue.jsonl found");
        return;
    };
    assert_eq!(fixture.len(), 320);
    let mut gen = Generator::new(fixture, 42).expect("generator");
    let mut names = HashSet::new();
    for _ in 0..20_000 {
        let d = gen.next_dataset();
        assert_valid(&d);
        assert!(names.insert(d["name"].as_str().expect("name").to_string()));
    }
}
