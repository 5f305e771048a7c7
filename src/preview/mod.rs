//! Previews of stored files for the resource page, free of HTTP: given a file's path, its
//! format label and its (sniffed) MIME type, a typed [`Preview`] — a table (CSV, TSV, XLSX),
//! indented text (JSON, XML), a map (GeoJSON drawn as SVG on the server), an image or a PDF to
//! embed from the download URL, or the reason there is none.
//!
//! Every reader is bounded ([`Limits`]): text formats read a prefix only, so a 2 GB CSV
//! previews as fast as a small one; formats that need the whole file (XLSX, GeoJSON) are only
//! opened up to a size. Nothing here fetches anything, and nothing from the file is ever
//! markup: the page escapes every value, and map paths are written from numbers.

use std::fs::File;
use std::path::Path;

pub mod encoding;
pub mod geojson;
pub mod table;
pub mod text;
pub mod xlsx;

pub use geojson::{Map, Shape};
pub use table::Table;
pub use text::{Language, Pretty};

/// How much of a file a preview may read and show.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Rows of a table shown.
    pub max_rows: usize,
    /// Columns of a table shown.
    pub max_columns: usize,
    /// Characters of a cell shown.
    pub max_cell_chars: usize,
    /// Bytes of a CSV read.
    pub table_prefix_bytes: usize,
    /// Bytes of a JSON or XML file read.
    pub text_prefix_bytes: usize,
    /// Largest XLSX opened (a ZIP needs the whole file).
    pub max_xlsx_bytes: u64,
    /// Largest GeoJSON drawn (it is parsed whole).
    pub max_geojson_bytes: u64,
    /// Features of a GeoJSON drawn.
    pub max_features: usize,
    /// Positions of a GeoJSON drawn (the size of the SVG).
    pub max_positions: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_rows: 100,
            max_columns: 50,
            max_cell_chars: 500,
            table_prefix_bytes: 1024 * 1024,
            text_prefix_bytes: 256 * 1024,
            max_xlsx_bytes: 30 * 1024 * 1024,
            max_geojson_bytes: 10 * 1024 * 1024,
            max_features: 1000,
            max_positions: 100_000,
        }
    }
}

/// What the resource page shows of a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    /// The first rows of a table.
    Table(Table),
    /// Indented text.
    Pretty(Pretty),
    /// Shapes drawn as SVG.
    Map(Map),
    /// An image, shown from the download URL.
    Image,
    /// A PDF, embedded from the download URL.
    Pdf,
    /// No preview, and why.
    None(Reason),
}

/// Why a file has no preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The resource is a link: the server never fetches remote files.
    Link,
    /// The format has no preview.
    Unsupported,
    /// The file is larger than its format's preview limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The file does not read as its format says.
    Unreadable,
    /// The file holds nothing to show.
    Empty,
}

impl Reason {
    /// The message id of the reason (`web/i18n/*/preview.ftl`).
    pub fn message_id(self) -> &'static str {
        match self {
            Reason::Link => "preview-none-link",
            Reason::Unsupported => "preview-none-unsupported",
            Reason::TooLarge { .. } => "preview-none-too-large",
            Reason::Unreadable => "preview-none-unreadable",
            Reason::Empty => "preview-none-empty",
        }
    }
}

/// The kinds of preview, chosen from the format label and the MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Comma (or other) separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// An Office Open XML workbook.
    Xlsx,
    /// JSON.
    Json,
    /// GeoJSON.
    GeoJson,
    /// XML (and XML formats: RDF, KML, GML).
    Xml,
    /// A raster image browsers show.
    Image,
    /// PDF.
    Pdf,
    /// Nothing to preview.
    Other,
}

/// The raster image types shown with `<img>` (never SVG: it is a document that can script).
pub const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

impl Kind {
    /// The kind of a file. The MIME type was sniffed from the content at upload, so it wins
    /// for binary types; the publisher's format label decides between text formats.
    pub fn of(format: &str, mimetype: &str) -> Kind {
        let mime = mimetype
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if IMAGE_TYPES.contains(&mime.as_str()) {
            return Kind::Image;
        }
        match mime.as_str() {
            "application/pdf" => return Kind::Pdf,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                return Kind::Xlsx
            }
            "application/geo+json" => return Kind::GeoJson,
            _ => {}
        }
        let binary = !(mime.is_empty()
            || mime.starts_with("text/")
            || mime == "application/octet-stream"
            || mime.ends_with("json")
            || mime.ends_with("xml"));
        let format = format.trim().trim_start_matches('.').to_ascii_uppercase();
        match format.as_str() {
            "XLSX" if mime == "application/zip" || mime.is_empty() => Kind::Xlsx,
            _ if binary => Kind::Other,
            "CSV" => Kind::Csv,
            "TSV" | "TAB" => Kind::Tsv,
            "GEOJSON" => Kind::GeoJson,
            "JSON" => Kind::Json,
            "XML" | "RDF" | "KML" | "GML" | "SVG" => Kind::Xml,
            _ => match mime.as_str() {
                "text/csv" => Kind::Csv,
                "text/tab-separated-values" => Kind::Tsv,
                "application/json" => Kind::Json,
                "application/xml" | "text/xml" | "image/svg+xml" => Kind::Xml,
                _ => Kind::Other,
            },
        }
    }
}

/// The preview of a stored file.
pub fn preview(path: &Path, format: &str, mimetype: &str, limits: &Limits) -> Preview {
    let kind = Kind::of(format, mimetype);
    match read(path, kind, limits) {
        Ok(preview) => preview,
        Err(error) => {
            tracing::warn!(path = %path.display(), error = %error, "a stored file could not be read for its preview");
            Preview::None(Reason::Unreadable)
        }
    }
}

fn read(path: &Path, kind: Kind, limits: &Limits) -> std::io::Result<Preview> {
    let prefix = |limit: usize| -> std::io::Result<encoding::Prefix> {
        encoding::read_prefix(File::open(path)?, limit)
    };
    let whole_up_to = |limit: u64| -> std::io::Result<Result<File, Preview>> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        Ok(if size > limit {
            Err(Preview::None(Reason::TooLarge { limit }))
        } else {
            Ok(file)
        })
    };
    Ok(match kind {
        Kind::Csv | Kind::Tsv => {
            let prefix = prefix(limits.table_prefix_bytes)?;
            match table::csv_table(&prefix, kind == Kind::Tsv, limits) {
                Some(t) if t.rows.is_empty() && t.headers.is_empty() => {
                    Preview::None(Reason::Empty)
                }
                Some(t) => Preview::Table(t),
                None => Preview::None(Reason::Unreadable),
            }
        }
        Kind::Xlsx => match whole_up_to(limits.max_xlsx_bytes)? {
            Ok(file) => xlsx::xlsx_table(std::io::BufReader::new(file), limits)
                .map_or(Preview::None(Reason::Unreadable), Preview::Table),
            Err(too_large) => too_large,
        },
        Kind::Json => Preview::Pretty(text::json(&prefix(limits.text_prefix_bytes)?)),
        Kind::Xml => Preview::Pretty(text::xml(&prefix(limits.text_prefix_bytes)?)),
        Kind::GeoJson => match whole_up_to(limits.max_geojson_bytes)? {
            Ok(file) => match geojson::map(file, limits) {
                Some(map) => Preview::Map(map),
                // Not GeoJSON after all (or nothing drawable): show it as JSON.
                None => Preview::Pretty(text::json(&prefix(limits.text_prefix_bytes)?)),
            },
            Err(too_large) => too_large,
        },
        Kind::Image => Preview::Image,
        Kind::Pdf => Preview::Pdf,
        Kind::Other => Preview::None(Reason::Unsupported),
    })
}

#[cfg(test)]
mod tests;
