//! Small pieces many pages show, computed once in Rust so templates stay plain: a dataset as a
//! card in a list, dates in the reader's language, and file sizes.

use super::chrome::Chrome;
use crate::catalog::datasets::view::DatasetView;
use crate::error::Lang;

/// A dataset in a list of results.
pub struct DatasetCard {
    /// Its URL name.
    pub name: String,
    /// Its title in the page's language.
    pub title: String,
    /// The publishing organisation's title.
    pub organization: String,
    /// The highlighted passage (HTML escaped by the engine, `<b>` marks), when text was searched.
    pub snippet_html: String,
    /// The start of the description, as text, when there is no snippet.
    pub excerpt: String,
    /// Distinct formats of its files.
    pub formats: Vec<String>,
    /// Number of files.
    pub resources: usize,
    /// Last change, in the page's language.
    pub modified: String,
    /// Machine-readable last change (`YYYY-MM-DD`).
    pub modified_iso: String,
}

impl DatasetCard {
    /// The card of a dataset, with the search's passage when it has one.
    pub fn of(chrome: &Chrome, dataset: &DatasetView, snippet_html: String) -> DatasetCard {
        let notes = chrome.pick(&dataset.notes, &dataset.notes_en);
        let excerpt = if snippet_html.is_empty() {
            excerpt(notes, 220)
        } else {
            String::new()
        };
        let mut formats: Vec<String> = dataset
            .resources
            .iter()
            .map(|r| r.format.trim().to_uppercase())
            .filter(|f| !f.is_empty())
            .collect();
        formats.sort();
        formats.dedup();
        let organization = dataset
            .organization
            .as_ref()
            .map(|o| {
                chrome
                    .pick(&o.title, o.title_en.as_deref().unwrap_or(""))
                    .to_owned()
            })
            .unwrap_or_default();
        DatasetCard {
            name: dataset.name.clone(),
            title: chrome.pick(&dataset.title, &dataset.title_en).to_owned(),
            organization,
            snippet_html,
            excerpt,
            formats,
            resources: dataset.resources.len(),
            modified: date(chrome.lang, &dataset.metadata_modified),
            modified_iso: dataset.metadata_modified.chars().take(10).collect(),
        }
    }
}

/// The first `max` characters of a Markdown text as plain text, cut at a word.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let plain: String = markdown
        .chars()
        .filter(|c| !matches!(c, '#' | '*' | '_' | '`' | '>' | '[' | ']'))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() <= max {
        return plain;
    }
    let cut: String = plain.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A date or date-time (`YYYY-MM-DD…`) as the reader writes it: `12/05/2026` in Vietnamese,
/// `12 May 2026` in English; anything else as it is.
pub fn date(lang: Lang, iso: &str) -> String {
    let Some(day) = iso
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return iso.to_owned();
    };
    match lang {
        Lang::Vi => day.format("%d/%m/%Y").to_string(),
        Lang::En => day.format("%-d %B %Y").to_string(),
    }
}

/// A byte count as people read it (`1,2 MB` in Vietnamese, `1.2 MB` in English).
pub fn size(lang: Lang, bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = if unit == 0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let text = match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_sizes_read_as_each_language_writes_them() {
        assert_eq!(date(Lang::Vi, "2026-05-12T10:42:05+07:00"), "12/05/2026");
        assert_eq!(date(Lang::En, "2026-05-12"), "12 May 2026");
        assert_eq!(date(Lang::Vi, "2026"), "2026");
        assert_eq!(size(Lang::Vi, 1_300_000), "1,2 MB");
        assert_eq!(size(Lang::En, 512), "512 B");
    }

    #[test]
    fn an_excerpt_is_cut_at_a_word_and_loses_markdown_marks() {
        assert_eq!(excerpt("# Tiêu đề\n\n**Giá** đất", 100), "Tiêu đề Giá đất");
        assert_eq!(excerpt("một hai ba bốn", 9), "một hai…");
    }
}
