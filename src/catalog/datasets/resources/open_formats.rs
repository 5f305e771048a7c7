//! Open, machine-readable formats (Decree 47/2020 art. 17): a file in a closed or
//! non-machine-readable format (PDF, images, Word, PowerPoint) may be published, but the
//! publisher is told to add the data as CSV or XLSX too. A warning, never a refusal: a scanned
//! decision is still worth publishing.

/// Format labels (upper case) that people read but programs cannot.
const CLOSED_FORMATS: &[&str] = &[
    "PDF", "DOC", "DOCX", "ODT", "RTF", "PPT", "PPTX", "ODP", "JPG", "JPEG", "PNG", "GIF", "TIF",
    "TIFF", "BMP", "WEBP", "HEIC",
];

/// MIME types of the same, for files whose label says nothing.
const CLOSED_TYPES: &[&str] = &[
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/rtf",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

/// True when a resource of this format label and MIME type is not machine-readable open data.
pub fn is_closed_format(format: &str, mimetype: &str) -> bool {
    let format = format.trim().trim_start_matches('.').to_ascii_uppercase();
    let mimetype = mimetype.trim().to_ascii_lowercase();
    CLOSED_FORMATS.contains(&format.as_str())
        || CLOSED_TYPES.contains(&mimetype.as_str())
        || mimetype.starts_with("image/")
}

#[cfg(test)]
mod tests {
    use super::is_closed_format;

    #[test]
    fn documents_and_images_are_closed_tables_are_open() {
        assert!(is_closed_format("PDF", ""));
        assert!(is_closed_format("docx", ""));
        assert!(is_closed_format("", "image/jpeg"));
        assert!(is_closed_format("", "application/pdf"));
        assert!(!is_closed_format("CSV", "text/csv"));
        assert!(!is_closed_format(
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ));
        assert!(!is_closed_format("GeoJSON", "application/geo+json"));
    }
}
