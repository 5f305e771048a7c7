//! The catalogue and its figures as files: `/catalogue.{csv,xlsx,json}` (the page's filters)
//! and `/catalogue/figures.{csv,xlsx,json}` (`as_of`, `owner_org`). JSON is the action's typed
//! view itself (`catalogue_entry_list` with every matching entry, `catalogue_compliance_show`);
//! CSV and XLSX are one table in the reader's language, dates in ISO form. The CSV starts with
//! a UTF-8 byte order mark: without it Excel reads Vietnamese letters as Windows-1252.

use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpResponse};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use serde_json::json;

use super::list::all_entries;
use super::{compliance, CatalogueQuery, Line};
use crate::catalog::catalogue::compliance::{ComplianceView, DepartmentFigures};
use crate::catalog::{actions, AppContext, Dict};
use crate::error::{AppError, AppResult};
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::{blocking, reply};

/// The file formats offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Xlsx,
    Json,
}

impl Kind {
    /// The route's extension (`csv`, `xlsx` or `json`: the route admits no other).
    fn of(ext: &str) -> Kind {
        match ext {
            "csv" => Kind::Csv,
            "xlsx" => Kind::Xlsx,
            _ => Kind::Json,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Kind::Csv => "text/csv; charset=utf-8",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Json => "application/json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::Xlsx => "xlsx",
            Kind::Json => "json",
        }
    }
}

/// One cell of an exported table.
enum Cell {
    Text(String),
    Number(usize),
    /// A share (0–1): a percentage in XLSX, percent with one decimal in CSV.
    Share(Option<f64>),
}

/// An exported table: its sheet's name, headings and rows.
struct Table {
    sheet: String,
    headings: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// `GET /catalogue.{csv,xlsx,json}?q=&owner_org=&status=&sort=`.
pub async fn catalogue_export(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    ext: web::Path<String>,
) -> HttpResponse {
    let kind = Kind::of(&ext);
    let query = CatalogueQuery::of(&chrome);
    let found = blocking(&ctx, caller, move |ctx, actor| {
        Ok((
            all_entries(ctx, &actor, &query)?,
            compliance(ctx, &actor, "")?,
        ))
    })
    .await;
    let (entries, figures) = match found {
        Ok(found) => found,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let name = format!("{} {}", chrome.t("cat-export-file"), figures.as_of);
    if kind == Kind::Json {
        return file_reply(&chrome, kind, &name, json_bytes(&entries));
    }
    let lines: Vec<Line> = entries
        .results
        .into_iter()
        .map(|entry| Line::of(&chrome, entry, &figures))
        .collect();
    let table = catalogue_table(&chrome, &ctx.site_url, &lines);
    file_reply(&chrome, kind, &name, table_bytes(kind, &table))
}

/// `GET /catalogue/figures.{csv,xlsx,json}?as_of=&owner_org=`.
pub async fn figures_export(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
    ext: web::Path<String>,
) -> HttpResponse {
    let kind = Kind::of(&ext);
    let mut dict = Dict::new();
    for key in ["as_of", "owner_org"] {
        let value = chrome.param(key).trim();
        if !value.is_empty() {
            dict.insert(key.into(), json!(value));
        }
    }
    let found = blocking(&ctx, caller, move |ctx, actor| {
        actions::call_as::<ComplianceView>(ctx, &actor, "catalogue_compliance_show", &dict)
    })
    .await;
    let view = match found {
        Ok(view) => view,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let name = format!("{} {}", chrome.t("cat-figures-file"), view.as_of);
    let bytes = match kind {
        Kind::Json => json_bytes(&view),
        _ => table_bytes(kind, &figures_table(&chrome, &view)),
    };
    file_reply(&chrome, kind, &name, bytes)
}

fn catalogue_table(chrome: &Chrome, site_url: &str, lines: &[Line]) -> Table {
    let headings = [
        "cat-col-title",
        "cat-col-department",
        "cat-col-status",
        "cat-col-themes",
        "cat-col-formats",
        "cat-col-access",
        "cat-col-frequency",
        "cat-col-planned",
        "cat-col-publication",
        "cat-col-next-update",
        "cat-col-datasets",
        "cat-col-versions",
        "cat-col-legal",
        "cat-col-description",
        "cat-col-link",
    ];
    let rows = lines
        .iter()
        .map(|line| {
            let entry = &line.entry;
            let datasets: Vec<String> = line
                .public_datasets()
                .iter()
                .map(|d| format!("{site_url}/dataset/{}", d.name))
                .collect();
            let versions: Vec<String> = entry.versions.iter().map(i32::to_string).collect();
            vec![
                text(&entry.title),
                text(&line.department),
                text(&line.status),
                text(line.themes.join(", ")),
                text(entry.formats.join(", ")),
                text(line.access.join(", ")),
                text(&line.frequency),
                text(&entry.planned_publication),
                text(line.publication(chrome)),
                text(line.next_update()),
                text(datasets.join(" ")),
                text(versions.join(", ")),
                text(&entry.legal_basis),
                text(&entry.description),
                text(format!("{site_url}/catalogue/entry/{}", entry.id)),
            ]
        })
        .collect();
    Table {
        sheet: chrome.t("cat-heading").to_owned(),
        headings: headings.iter().map(|id| chrome.t(id).to_owned()).collect(),
        rows,
    }
}

fn figures_table(chrome: &Chrome, view: &ComplianceView) -> Table {
    let headings = [
        "cat-figures-as-of",
        "cat-col-department",
        "cat-col-approved",
        "cat-col-on-time",
        "cat-col-late",
        "cat-col-overdue",
        "cat-col-pending",
        "cat-col-stale",
        "cat-col-share",
    ];
    let row = |title: &str, d: &DepartmentFigures| {
        vec![
            text(&view.as_of),
            text(title),
            Cell::Number(d.approved),
            Cell::Number(d.published_on_time),
            Cell::Number(d.published_late),
            Cell::Number(d.not_published_overdue),
            Cell::Number(d.not_published_pending),
            Cell::Number(d.stale_datasets),
            Cell::Share(d.share_on_time),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = view.departments.iter().map(|d| row(&d.title, d)).collect();
    rows.push(row(chrome.t("cat-figures-province"), &view.totals));
    Table {
        sheet: chrome.t("cat-figures-table").to_owned(),
        headings: headings.iter().map(|id| chrome.t(id).to_owned()).collect(),
        rows,
    }
}

fn json_bytes(view: &impl Serialize) -> AppResult<Vec<u8>> {
    serde_json::to_vec(view)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("an export as JSON")))
}

fn table_bytes(kind: Kind, table: &Table) -> AppResult<Vec<u8>> {
    match kind {
        Kind::Xlsx => xlsx_bytes(table)
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("an export as XLSX"))),
        _ => csv_bytes(table),
    }
}

fn csv_bytes(table: &Table) -> AppResult<Vec<u8>> {
    let failed =
        |e: csv::Error| AppError::Internal(anyhow::Error::new(e).context("an export as CSV"));
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    out.write_record(&table.headings).map_err(failed)?;
    for row in &table.rows {
        let fields = row.iter().map(|cell| match cell {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Share(share) => share.map_or(String::new(), |s| format!("{:.1}", s * 100.0)),
        });
        out.write_record(fields).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("an export as CSV: {e}")))
}

fn xlsx_bytes(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    // A sheet's name has at most 31 characters and none of `[]:*?/\`.
    let name: String = table
        .sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(name)?;
    for (col, heading) in (0u16..).zip(&table.headings) {
        sheet.write_string_with_format(0, col, heading, &bold)?;
    }
    for (row, cells) in (1u32..).zip(&table.rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(s) => sheet.write_string(row, col, s)?,
                Cell::Number(n) => sheet.write_number(row, col, *n as f64)?,
                Cell::Share(Some(share)) => {
                    sheet.write_number_with_format(row, col, *share, &percent)?
                }
                Cell::Share(None) => sheet.write_string(row, col, "")?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

/// The file, with its type and a name in ASCII and in UTF-8 (CSV and XLSX as attachments,
/// JSON shown in the browser).
fn file_reply(chrome: &Chrome, kind: Kind, name: &str, bytes: AppResult<Vec<u8>>) -> HttpResponse {
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => return reply::error_page_in(chrome, &error),
    };
    let file_name = format!("{name}.{}", kind.extension());
    let ascii = format!(
        "{}.{}",
        crate::catalog::vocab::suggest_name(name),
        kind.extension()
    );
    let disposition = ContentDisposition {
        disposition: if kind == Kind::Json {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: file_name.into_bytes(),
            }),
        ],
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, kind.media_type()))
        .insert_header(disposition)
        .insert_header((header::CONTENT_LANGUAGE, chrome.lang.code()))
        // What a caller sees depends on their session (a department sees its drafts).
        .insert_header((header::VARY, "Cookie, Authorization"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "Số liệu: theo đơn vị / tỉnh [2026]".to_owned(),
            headings: vec!["Đơn vị".to_owned(), "Số mục".to_owned(), "Tỷ lệ".to_owned()],
            rows: vec![vec![
                text("Sở Y tế"),
                Cell::Number(2),
                Cell::Share(Some(0.5)),
            ]],
        }
    }

    #[test]
    fn the_csv_starts_with_a_bom_and_keeps_vietnamese_letters() {
        let bytes = csv_bytes(&table()).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("Sở Y tế,2,50.0\n"), "{text}");
    }

    #[test]
    fn an_xlsx_is_a_zip_whatever_its_sheet_name() {
        let bytes = xlsx_bytes(&table()).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
