//! `dataportal demo`: a realistic catalogue of Tây Ninh province (the departments after the
//! 1 July 2025 restructure, the 12 national themes, 320 datasets, and the real list of
//! communes/wards after the 2025 merger as an uploaded CSV). Idempotent: a second run changes
//! nothing. The files are compiled in, so the demo works from any folder.

use anyhow::Context;
use serde_json::{json, Value};

use crate::catalog::{actions, organizations, Actor, AppContext, Dict};
use crate::enums::UrlType;
use crate::harvest::{import_lines, ImportReport, OnExisting};

/// The demo catalogue records (copied from the project's shared fixture).
const CATALOGUE: &str = include_str!("../demo/tay-ninh-catalogue.jsonl");
/// Communes and wards of the 34 provinces after the 2025 merger (MIT licence, see
/// demo/vn-wards-2025.LICENSE).
const WARDS_CSV: &[u8] = include_bytes!("../demo/vn-wards-2025.csv");
/// The dataset the wards file belongs to.
const WARDS_DATASET: &str = "danh-sach-don-vi-hanh-chinh-cap-xa-sau-sap-xep-nam-2025";
const WARDS_FILE: &str = "vn-wards-2025.csv";

/// The province's organisations: slug, Vietnamese title, English title.
const ORGANIZATIONS: &[(&str, &str, &str)] = &[
    (
        "van-phong-ubnd-tinh",
        "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh",
        "Office of the Tay Ninh Provincial People's Committee",
    ),
    (
        "so-noi-vu",
        "Sở Nội vụ tỉnh Tây Ninh",
        "Tay Ninh Department of Home Affairs",
    ),
    (
        "so-tai-chinh",
        "Sở Tài chính tỉnh Tây Ninh",
        "Tay Ninh Department of Finance",
    ),
    (
        "so-nong-nghiep-va-moi-truong",
        "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh",
        "Tay Ninh Department of Agriculture and Environment",
    ),
    (
        "so-xay-dung",
        "Sở Xây dựng tỉnh Tây Ninh",
        "Tay Ninh Department of Construction",
    ),
    (
        "so-cong-thuong",
        "Sở Công Thương tỉnh Tây Ninh",
        "Tay Ninh Department of Industry and Trade",
    ),
    (
        "so-khoa-hoc-va-cong-nghe",
        "Sở Khoa học và Công nghệ tỉnh Tây Ninh",
        "Tay Ninh Department of Science and Technology",
    ),
    (
        "so-y-te",
        "Sở Y tế tỉnh Tây Ninh",
        "Tay Ninh Department of Health",
    ),
    (
        "so-giao-duc-va-dao-tao",
        "Sở Giáo dục và Đào tạo tỉnh Tây Ninh",
        "Tay Ninh Department of Education and Training",
    ),
    (
        "so-van-hoa-the-thao-va-du-lich",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh",
        "Tay Ninh Department of Culture, Sports and Tourism",
    ),
    (
        "so-tu-phap",
        "Sở Tư pháp tỉnh Tây Ninh",
        "Tay Ninh Department of Justice",
    ),
    (
        "so-dan-toc-va-ton-giao",
        "Sở Dân tộc và Tôn giáo tỉnh Tây Ninh",
        "Tay Ninh Department of Ethnic and Religious Affairs",
    ),
    (
        "thanh-tra-tinh",
        "Thanh tra tỉnh Tây Ninh",
        "Tay Ninh Provincial Inspectorate",
    ),
    (
        "ban-quan-ly-cac-khu-kinh-te",
        "Ban Quản lý các Khu kinh tế tỉnh Tây Ninh",
        "Tay Ninh Economic Zones Authority",
    ),
    (
        "cuc-thong-ke-tinh",
        "Cục Thống kê tỉnh Tây Ninh",
        "Tay Ninh Statistics Office",
    ),
    (
        "cong-an-tinh",
        "Công an tỉnh Tây Ninh",
        "Tay Ninh Provincial Police",
    ),
];

/// What the demo loader did.
#[derive(Debug, Default)]
pub struct DemoReport {
    /// Organisations created now.
    pub organizations_created: usize,
    /// Datasets imported now (0 on a second run).
    pub datasets: ImportReport,
    /// Whether the wards CSV was uploaded now.
    pub wards_uploaded: bool,
}

/// Loads the demo catalogue; safe to run again.
pub async fn load_demo(ctx: &AppContext) -> anyhow::Result<DemoReport> {
    let mut report = DemoReport::default();
    let system = Actor::system();
    for (name, title, title_en) in ORGANIZATIONS {
        let exists = ctx
            .db
            .read(|conn| organizations::find(conn, name))?
            .is_some();
        if !exists {
            let dict = as_dict(json!({"name": name, "title": title, "title_en": title_en,
                "description": format!("{title} — cơ quan chuyên môn thuộc UBND tỉnh Tây Ninh sau sắp xếp bộ máy năm 2025.")}));
            organizations::organization_create(ctx, &system, &dict)
                .with_context(|| format!("creating organisation {name}"))?;
            report.organizations_created += 1;
        }
    }
    report.datasets = import_lines(ctx, CATALOGUE.as_bytes(), OnExisting::Skip, &|_| {})
        .context("importing the demo datasets")?;

    let dataset = actions::call_value(
        ctx,
        &system,
        "package_show",
        &as_dict(json!({"id": WARDS_DATASET})),
        None,
    )
    .context("finding the communes dataset")?;
    let has_file = dataset["resources"].as_array().is_some_and(|r| {
        r.iter().any(|r| {
            r["url_type"] == UrlType::Upload.as_str()
                && r["url"].as_str().is_some_and(|u| u.ends_with(WARDS_FILE))
        })
    });
    if !has_file {
        let chunks =
            futures_util::stream::iter(WARDS_CSV.chunks(64 * 1024).map(Ok::<_, std::io::Error>));
        let staged = ctx.files.stage(WARDS_FILE, chunks).await?;
        let dict = as_dict(json!({
            "package_id": WARDS_DATASET,
            "name": "Danh sách 3.321 xã, phường của 34 tỉnh, thành phố sau sắp xếp (CSV)",
            "description": "Tỉnh/thành phố, xã/phường mới và các đơn vị cũ được hợp nhất. Nguồn: truongnx-tdt/vietnamese_provinces_new_2025 (giấy phép MIT).",
            "format": "CSV",
        }));
        actions::call_value(ctx, &system, "resource_create", &dict, Some(staged))
            .context("uploading the communes CSV")?;
        report.wards_uploaded = true;
    }
    Ok(report)
}

fn as_dict(value: Value) -> Dict {
    match value {
        Value::Object(map) => map,
        _ => Dict::new(),
    }
}
