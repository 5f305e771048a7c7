//! Whole files through the scan: encodings, delimiters, workbooks, bounds.

use std::io::Write;

use super::*;
use crate::preview::encoding::tests::windows_1258;
use crate::preview::xlsx::tests::workbook;

const YEAR: u16 = 2026;

const PEOPLE: &str = "STT,Họ và tên,Ngày sinh,Số CCCD,Số điện thoại,Ghi chú\n\
    1,Nguyễn Văn An,15/03/1990,072090001234,0912 345 678,\n\
    2,Trần Thị Bình,02/11/1985,072185004321,0386.123.456,binh.tran@gmail.com\n\
    3,Lê Văn Cường,30/07/2001,072201009876,+84 987 654 321,\n";

fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file
}

fn scan_bytes(bytes: &[u8], kind: Tabular) -> FileScan {
    let file = file(bytes);
    scan(file.path(), kind, &Bounds::default(), YEAR).unwrap()
}

fn csv() -> Tabular {
    Tabular::Csv { tab_first: false }
}

fn kinds(scan: &FileScan) -> Vec<(String, FindingKind, u64)> {
    scan.findings
        .iter()
        .map(|f| (f.column.clone(), f.kind, f.count))
        .collect()
}

#[test]
fn a_list_of_people_is_found_column_by_column() {
    let scan = scan_bytes(PEOPLE.as_bytes(), csv());
    assert!(scan.complete);
    assert_eq!(scan.rows, 4);
    assert_eq!(
        kinds(&scan),
        [
            ("Họ và tên".into(), FindingKind::NameWithBirthDate, 3),
            ("Số CCCD".into(), FindingKind::Cccd, 3),
            ("Số điện thoại".into(), FindingKind::Phone, 3),
            ("Ghi chú".into(), FindingKind::Email, 1),
        ]
    );
    let cccd = &scan.findings[1];
    assert_eq!(cccd.samples.len(), 2);
    assert_eq!(
        cccd.samples[0],
        Sample {
            row: 2,
            value: "0720******34".into()
        }
    );
    let text = serde_json::to_string(&scan).unwrap();
    for whole in [
        "072090001234",
        "0912345678",
        "912 345 678",
        "Nguyễn Văn An",
        "binh.tran",
    ] {
        assert!(!text.contains(whole), "{whole} shown whole in {text}");
    }
}

#[test]
fn windows_1258_with_nfd_names_and_semicolons_reads_the_same() {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = PEOPLE.replace(',', ";").nfd().collect();
    let legacy = windows_1258(&nfd);
    assert!(std::str::from_utf8(&legacy).is_err());
    let scan = scan_bytes(&legacy, csv());
    assert_eq!(kinds(&scan), kinds(&scan_bytes(PEOPLE.as_bytes(), csv())));
    assert_eq!(scan.findings[0].column, "Họ và tên", "NFC again");
}

#[test]
fn utf16_with_a_bom_and_tabs_reads_the_same() {
    let tsv = PEOPLE.replace(',', "\t");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in tsv.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let scan = scan_bytes(&bytes, Tabular::Csv { tab_first: true });
    assert_eq!(kinds(&scan), kinds(&scan_bytes(PEOPLE.as_bytes(), csv())));
}

#[test]
fn a_workbook_is_read_on_every_sheet() {
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect()
    };
    let bytes = workbook(&[
        ("Tổng hợp", rows("Huyện,Dân số\nGò Dầu,150000\n")),
        ("Danh sách", rows(PEOPLE)),
    ]);
    let scan = scan_bytes(&bytes, Tabular::Xlsx);
    let found = kinds(&scan);
    assert!(
        found.contains(&("Số CCCD".into(), FindingKind::Cccd, 3)),
        "{found:?}"
    );
    assert!(found.contains(&("Số điện thoại".into(), FindingKind::Phone, 3)));
    assert_eq!(scan.findings[0].sheet.as_deref(), Some("Danh sách"));
}

#[test]
fn numbers_a_spreadsheet_stored_as_numbers_are_found_under_their_headers() {
    // The workbook helper writes numeric-looking values as numbers: leading zeros go.
    let bytes = workbook(&[(
        "Sheet1",
        vec![
            vec!["Số CCCD".into(), "SĐT".into()],
            vec!["72090001234".into(), "912345678".into()],
        ],
    )]);
    let found = kinds(&scan_bytes(&bytes, Tabular::Xlsx));
    assert_eq!(
        found,
        [
            ("Số CCCD".into(), FindingKind::Cccd, 1),
            ("SĐT".into(), FindingKind::Phone, 1)
        ]
    );
}

#[test]
fn open_data_of_budgets_codes_and_dates_has_no_findings() {
    let clean = "Mã xã;Tên đơn vị;Mã bưu chính;Ngày cập nhật;Dự toán (đồng);Mã số thuế\n\
        25747;Phường Tân Ninh;840000;15/03/2024;125.000.000.000;3900244389\n\
        25750;Xã Hòa Thành;840100;2024-12-31;012345678901;0301234567\n\
        25753;Phường Trảng Bàng;840200;01.01.2025;987654321012;0100109106\n";
    let scan = scan_bytes(clean.as_bytes(), csv());
    assert_eq!(kinds(&scan), []);
}

#[test]
fn a_file_without_a_header_never_shows_its_first_row() {
    let scan = scan_bytes(
        b"1,072090001234,0912345678\n2,072185004321,0386123456\n",
        csv(),
    );
    assert_eq!(scan.findings[0].column, "#2");
    assert_eq!(scan.findings[1].column, "#3");
}

#[test]
fn files_not_as_labelled_need_a_person() {
    let scan = scan_bytes(b"PK\x03\x04 not a workbook", Tabular::Xlsx);
    assert_eq!(scan.findings[0].kind, FindingKind::NotScanned);
    let binary = scan_bytes(b"\0\0\0binary\0", csv());
    assert_eq!(binary.findings[0].kind, FindingKind::NotScanned);
}

#[test]
fn the_scan_stops_at_its_bounds() {
    let mut text = String::from("STT,Số điện thoại\n");
    for i in 0..1000 {
        text.push_str(&format!("{i},0912{i:06}\n"));
    }
    let file = file(text.as_bytes());
    let bounds = Bounds {
        max_rows: 100,
        ..Bounds::default()
    };
    let scan = scan(file.path(), csv(), &bounds, YEAR).unwrap();
    assert_eq!(scan.rows, 100);
    assert!(!scan.complete);
    assert_eq!(scan.findings[0].count, 99);
    let bytes = Bounds {
        max_bytes: 1000,
        ..Bounds::default()
    };
    let cut = super::scan(file.path(), csv(), &bytes, YEAR).unwrap();
    assert!(!cut.complete);
    assert!(cut.rows < 100);
}

/// The measurement behind [`Bounds`]: `cargo nextest run --run-ignored only -E
/// 'test(measure_a_big_file)'` writes a CSV of ~1.1 GB and times its scan.
#[test]
#[ignore]
fn measure_a_big_file() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    {
        let mut out = std::io::BufWriter::new(file.as_file_mut());
        writeln!(
            out,
            "Mã,Tên đơn vị,Năm,Dân số,Diện tích,Dự toán,Ghi chú,A,B,C"
        )
        .unwrap();
        for i in 0..12_000_000u64 {
            writeln!(
                out,
                "{},Phường Tân Ninh {i},2024,{},{}.5,{}000000,ghi chú số {i},x,y,z",
                25_000 + i % 10_000,
                i * 7 % 100_000,
                i % 900,
                i % 999_999
            )
            .unwrap();
        }
    }
    let size = file.as_file().metadata().unwrap().len();
    for bounds in [
        Bounds::default(),
        Bounds {
            max_bytes: 30 * 1024 * 1024,
            max_rows: u64::MAX,
            ..Bounds::default()
        },
    ] {
        let started = std::time::Instant::now();
        let scan = scan(file.path(), csv(), &bounds, YEAR).unwrap();
        eprintln!(
            "file {} MB, bounds {} MB / {} rows: {} rows in {:?}, findings {}",
            size / 1_000_000,
            bounds.max_bytes / 1_000_000,
            bounds.max_rows,
            scan.rows,
            started.elapsed(),
            scan.findings.len()
        );
    }
}
