//! The privacy scan of tabular files (Decree 13/2023 on personal data; Decree 47/2020 art. 20
//! asks that open data carry none), free of HTTP and of the database: given a stored CSV, TSV
//! or XLSX file, the columns that hold citizen identity numbers (CCCD, and 9-digit CMND where
//! the header says so), Vietnamese phone numbers, e-mail addresses, or personal names next to
//! a birth date or an address — each with a count and two masked samples, never a whole value.
//!
//! Files are read as the preview reads them (`crate::preview`: BOM, UTF-16, Windows-1258
//! guessed for Vietnamese, NFC), but row by row as a stream, and only up to [`Bounds`]: the
//! scan runs while a publication waits for it.

use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub mod columns;
pub mod detect;
mod read;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 12-digit citizen identity numbers (căn cước công dân).
    Cccd,
    /// 9-digit identity card numbers (chứng minh nhân dân), under a header that says so.
    Cmnd,
    /// Vietnamese mobile or landline numbers.
    Phone,
    /// E-mail addresses.
    Email,
    /// Personal names in a table that also has birth dates.
    NameWithBirthDate,
    /// Personal names in a table that also has addresses.
    NameWithAddress,
    /// The file could not be read within the bounds (too large a workbook, or not the format
    /// its label says): nothing vouches for it, so a person must.
    NotScanned,
}

impl FindingKind {
    /// The id of its label in `web/i18n/*/privacy.ftl`.
    pub fn message_id(self) -> &'static str {
        match self {
            FindingKind::Cccd => "privacy-kind-cccd",
            FindingKind::Cmnd => "privacy-kind-cmnd",
            FindingKind::Phone => "privacy-kind-phone",
            FindingKind::Email => "privacy-kind-email",
            FindingKind::NameWithBirthDate => "privacy-kind-name-with-birth-date",
            FindingKind::NameWithAddress => "privacy-kind-name-with-address",
            FindingKind::NotScanned => "privacy-kind-not-scanned",
        }
    }
}

/// A masked value and the row it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// The row of the file or sheet, 1-based (row 1 is usually the header).
    pub row: u64,
    /// The value, mostly hidden ("0912 *** 678").
    pub value: String,
}

/// What one column holds of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The workbook's sheet (XLSX only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The column's header, or `#n` when it has none.
    pub column: String,
    /// The column's position, 0-based.
    pub column_index: usize,
    /// What was found.
    pub kind: FindingKind,
    /// How many values of the kind were found in the rows scanned.
    pub count: u64,
    /// Up to two of them, masked.
    pub samples: Vec<Sample>,
    /// For names: the birth-date or address column beside them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_column: Option<String>,
}

/// How much of a file a scan reads.
///
/// The scan runs inside the write that publishes (so a refusal rolls everything back), which
/// holds the database's write lock: its time must not grow with the file. Measured on a
/// 1.1 GB CSV of 10 columns (`measure_a_big_file`, debug build of the tests, this shared
/// 2-core machine): 100,000 rows in 2.3 s; 354,000 rows (30 MB) in 8.0-9.6 s, about
/// 25 µs a row, every cell holding digits. Release builds are several times faster (not
/// measured here: a release build of the workspace did not fit the session). Personal data
/// fills whole columns, so the first 100,000 rows show it as surely as all of them; a column
/// that only starts to hold it past the bound is missed, the price of a publication that never
/// waits on a file's size (the review page says when a file was read in part).
#[derive(Debug, Clone)]
pub struct Bounds {
    /// Bytes of a CSV read (after that, the scan stops): 32 MiB hold 100,000 rows of up to
    /// 300 bytes.
    pub max_bytes: u64,
    /// Rows read, over all sheets of a workbook.
    pub max_rows: u64,
    /// Columns read per table.
    pub max_columns: usize,
    /// Largest workbook opened: a ZIP needs random access and its shared strings are read
    /// whole, so the size bounds the memory.
    pub max_xlsx_bytes: u64,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds {
            max_bytes: 32 * 1024 * 1024,
            max_rows: 100_000,
            max_columns: 200,
            max_xlsx_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The kind of file a scan reads, from the resource's format label and sniffed MIME type
/// (the preview's own choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tabular {
    /// Comma-, semicolon-, tab- or bar-separated text.
    Csv {
        /// The label says TSV.
        tab_first: bool,
    },
    /// An Office Open XML workbook.
    Xlsx,
}

impl Tabular {
    /// The tabular kind of a file, or None for files the scan does not read.
    pub fn of(format: &str, mimetype: &str) -> Option<Tabular> {
        use crate::preview::Kind;
        match Kind::of(format, mimetype) {
            Kind::Csv => Some(Tabular::Csv { tab_first: false }),
            Kind::Tsv => Some(Tabular::Csv { tab_first: true }),
            Kind::Xlsx => Some(Tabular::Xlsx),
            _ => None,
        }
    }
}

/// The result of scanning one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileScan {
    /// What its columns hold.
    pub findings: Vec<Finding>,
    /// Rows read.
    pub rows: u64,
    /// False when the bounds stopped the scan before the end of the file.
    pub complete: bool,
}

/// Scans a stored file. A file that cannot be read as its kind says is one finding of
/// [`FindingKind::NotScanned`]; only the machine failing to read it at all is an error.
pub fn scan(
    path: &Path,
    kind: Tabular,
    bounds: &Bounds,
    current_year: u16,
) -> std::io::Result<FileScan> {
    let file = File::open(path)?;
    let scanned = match kind {
        Tabular::Csv { tab_first } => read::csv(file, tab_first, bounds, current_year)?,
        Tabular::Xlsx => {
            if file.metadata()?.len() > bounds.max_xlsx_bytes {
                None
            } else {
                read::xlsx(std::io::BufReader::new(file), bounds, current_year)
            }
        }
    };
    Ok(scanned.unwrap_or_else(|| FileScan {
        findings: vec![Finding {
            sheet: None,
            column: String::new(),
            column_index: 0,
            kind: FindingKind::NotScanned,
            count: 0,
            samples: Vec::new(),
            related_column: None,
        }],
        rows: 0,
        complete: false,
    }))
}

#[cfg(test)]
mod tests;
