//! XLSX workbooks: the first sheet's first rows, read cell by cell with calamine's cell reader
//! (the sheet is never loaded whole), the other sheets named. A ZIP archive needs random
//! access, so only files up to a size limit are opened at all.

use std::io::{Read, Seek};

use calamine::{DataRef, Reader, Xlsx};

use super::table::Table;
use super::Limits;

/// The preview of a workbook; `None` when it is no XLSX or has no sheet.
pub fn xlsx_table(reader: impl Read + Seek, limits: &Limits) -> Option<Table> {
    let mut workbook = Xlsx::new(reader).ok()?;
    let sheets = workbook.sheet_names();
    let first = sheets.first()?.clone();
    let mut cells = workbook.worksheet_cells_reader(&first).ok()?;
    let columns = limits.max_columns + 1;
    // The header, the rows shown and one more (to know there are more).
    let wanted = limits.max_rows + 2;
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut first_row = None;
    let mut more = false;
    let mut widest = 0u32;
    while let Ok(Some(cell)) = cells.next_cell() {
        let (row, column) = cell.get_position();
        let top = *first_row.get_or_insert(row);
        let index = (row - top) as usize;
        if index >= wanted {
            more = true;
            break;
        }
        widest = widest.max(column + 1);
        let value = text(cell.get_value(), limits.max_cell_chars);
        if value.is_empty() || column as usize >= columns {
            continue;
        }
        if records.len() <= index {
            records.resize_with(index + 1, Vec::new);
        }
        let record = &mut records[index];
        if record.len() <= column as usize {
            record.resize(column as usize + 1, String::new());
        }
        record[column as usize] = value;
    }
    // Rows left empty in the sheet are not shown (a CSV's blank lines are not either).
    records.retain(|r| !r.is_empty());
    let mut table = Table::from_records(records, limits, more);
    table.hidden_columns = (widest as usize).saturating_sub(limits.max_columns);
    table.sheets = sheets;
    Some(table)
}

/// A cell as text: whole numbers without `.0`, dates as ISO dates.
pub(crate) fn text(value: &DataRef<'_>, max_chars: usize) -> String {
    let text = match value {
        DataRef::Empty => return String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    };
    let text = crate::text::nfc(&text);
    if text.chars().count() > max_chars {
        let mut cut: String = text.chars().take(max_chars).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// A minimal XLSX (inline strings, one or more sheets) written with the zip crate.
    pub fn workbook(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let mut put = |name: &str, body: String| {
            zip.start_file(name, options).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        };
        let overrides: String = (1..=sheets.len())
            .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
            .collect();
        put(
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
            ),
        );
        put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned());
        let entries: String = sheets
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                format!(
                    r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
                    i + 1,
                    i + 1
                )
            })
            .collect();
        put(
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>"#
            ),
        );
        let rels: String = (1..=sheets.len())
            .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
            .collect();
        put(
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
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
                        let escaped = value.replace('&', "&amp;").replace('<', "&lt;");
                        data.push_str(&format!(
                            r#"<c r="{cell}" t="inlineStr"><is><t>{escaped}</t></is></c>"#
                        ));
                    }
                }
                data.push_str("</row>");
            }
            put(
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
                ),
            );
        }
        zip.finish().unwrap().into_inner()
    }

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn the_first_sheet_is_shown_and_the_others_named() {
        let bytes = workbook(&[
            (
                "Dân số",
                rows(&[
                    &["Mã", "Xã, phường", "Dân số"],
                    &["25747", "Phường Tân Ninh", "41253"],
                    &["25750", "Xã Hòa Thành", "18005.5"],
                ]),
            ),
            ("Ghi chú", rows(&[&["Nguồn: Cục Thống kê"]])),
        ]);
        let t = xlsx_table(Cursor::new(bytes), &Limits::default()).unwrap();
        assert_eq!(t.sheets, ["Dân số", "Ghi chú"]);
        assert_eq!(t.headers, ["Mã", "Xã, phường", "Dân số"]);
        assert_eq!(t.rows[0], ["25747", "Phường Tân Ninh", "41253"]);
        assert_eq!(t.rows[1][2], "18005.5");
        assert_eq!(t.right_aligned, [true, false, true]);
        assert!(!t.truncated);
    }

    #[test]
    fn only_the_first_rows_are_read() {
        let mut many = vec![vec!["STT".to_owned(), "Tên".to_owned()]];
        many.extend((1..=500).map(|i| vec![i.to_string(), format!("Ấp {i}")]));
        let bytes = workbook(&[("Sheet1", many)]);
        let t = xlsx_table(Cursor::new(bytes), &Limits::default()).unwrap();
        assert_eq!(t.rows.len(), 100);
        assert_eq!(t.rows[99], ["100", "Ấp 100"]);
        assert!(t.truncated);
    }

    #[test]
    fn not_a_workbook_is_none() {
        assert!(xlsx_table(Cursor::new(b"ma,ten\n1,a\n".to_vec()), &Limits::default()).is_none());
    }
}
