//! What each word of a free-text search asks for (issue 13): most words must match, but
//! function words ("và", "của", "danh sách"…) only rank, words naming a format ("excel",
//! "csv", "bản đồ"…) prefer datasets with such resources rather than the word in the text,
//! and a spelling of a synonym group ("UBND") matches every spelling of the group.

use std::ops::Range;

use super::synonyms::Synonyms;

/// One part of a search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A word that must match, as its spellings (folded terms each): the typed one, and the
    /// others of its synonym group.
    Content(Vec<Vec<String>>),
    /// Function words (folded terms): they rank, but never decide on their own which datasets
    /// match while other words do.
    Function(Vec<String>),
    /// Words naming a format (folded terms) and the resource formats they mean.
    Format(Vec<String>, &'static [&'static str]),
}

/// Function words and phrases, lowercase as typed: the accented spelling, and the unaccented
/// one where it is no other common word ("cua" is also "cửa", "tai" also "tai nạn", so they
/// are not here). "số" and "năm" carry meaning ("dân số", "năm 2025") and are not here either.
const FUNCTION_WORDS: &[&str] = &[
    "và",
    "của",
    "các",
    "trên",
    "địa bàn",
    "danh sách",
    "những",
    "có",
    "ở",
    "về",
    "cho",
    "tôi",
    "muốn",
    "tìm",
    "cần",
    "xem",
    "thông tin",
    "dữ liệu",
    "trong",
    "được",
    "đã",
    "bị",
    "với",
    "mỗi",
    "là",
    "tại",
    "bao nhiêu",
    "nào",
    "gì",
    "này",
    "đến",
    "vào",
    "từ",
    "file",
    "tệp",
    "bảng",
    "nhất",
    "mới nhất",
    "va",
    "cac",
    "tren",
    "dia ban",
    "danh sach",
    "nhung",
    "thong tin",
    "du lieu",
    "toi",
    "muon",
    "tim",
];

/// Words naming a format (folded), with the resource formats they mean (as indexed: upper case).
const FORMAT_WORDS: &[(&str, &[&str])] = &[
    ("excel", &["XLSX", "XLS"]),
    ("xlsx", &["XLSX", "XLS"]),
    ("xls", &["XLSX", "XLS"]),
    ("csv", &["CSV"]),
    ("json", &["JSON", "GEOJSON"]),
    ("geojson", &["GEOJSON"]),
    ("api", &["API"]),
    ("pdf", &["PDF"]),
    ("shp", &["SHP"]),
    ("shapefile", &["SHP"]),
    ("kml", &["KML"]),
    ("xml", &["XML"]),
    ("docx", &["DOCX", "DOC"]),
    ("ban do", &["GEOJSON", "SHP", "KML"]),
];

/// Whether `terms` start with the words of `entry` (separated by spaces).
fn starts_with(terms: &[String], entry: &str) -> Option<usize> {
    let words: Vec<&str> = entry.split(' ').collect();
    let n = words.len();
    (terms.len() >= n && terms[..n].iter().zip(&words).all(|(t, w)| t == w)).then_some(n)
}

/// The longest entry of `list` the terms start with, and its length.
fn longest<'l>(terms: &[String], list: impl Iterator<Item = &'l str>) -> Option<(usize, &'l str)> {
    list.filter_map(|entry| starts_with(terms, entry).map(|n| (n, entry)))
        .max_by_key(|(n, _)| *n)
}

/// The parts of a text given its exact and folded terms (the same words, in the same order),
/// each with the positions of the terms it takes.
pub fn parts(
    exact: &[String],
    folded: &[String],
    synonyms: Option<&Synonyms>,
) -> Vec<(Range<usize>, Part)> {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let (rest, rest_exact) = (&folded[i..], &exact[i.min(exact.len())..]);
        let synonym = synonyms.and_then(|s| s.at(rest));
        let format = longest(rest, FORMAT_WORDS.iter().map(|(w, _)| *w));
        let function = longest(rest_exact, FUNCTION_WORDS.iter().copied());
        // The longest reading wins; a synonym before a function word ("ủy ban nhân dân").
        let (n, part) = match (synonym, format, function) {
            (Some((n, spellings)), _, f) if f.is_none_or(|(m, _)| m <= n) => {
                (n, Part::Content(spellings.to_vec()))
            }
            (_, Some((n, word)), _) => {
                let formats = FORMAT_WORDS
                    .iter()
                    .find(|(w, _)| *w == word)
                    .map(|(_, f)| *f);
                (
                    n,
                    Part::Format(rest[..n].to_vec(), formats.unwrap_or_default()),
                )
            }
            (_, _, Some((n, _))) => (n, Part::Function(rest[..n].to_vec())),
            _ => (1, Part::Content(vec![vec![rest[0].clone()]])),
        };
        parts.push((i..i + n, part));
        i += n;
    }
    parts
}

/// How many of `n` required parts a relaxed search needs: half, rounded up.
pub fn relaxed_minimum(n: usize) -> usize {
    n.div_ceil(2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer;

    fn parts_of(text: &str) -> Vec<Part> {
        let exact = analyzer::terms(&mut analyzer::exact(), text);
        let folded = analyzer::terms(&mut analyzer::folded(), text);
        parts(
            &exact,
            &folded,
            Some(&Synonyms::parse("UBND = ủy ban nhân dân")),
        )
        .into_iter()
        .map(|(_, part)| part)
        .collect()
    }

    fn content(term: &str) -> Part {
        Part::Content(vec![vec![term.to_owned()]])
    }

    #[test]
    fn function_words_only_rank() {
        assert_eq!(
            parts_of("danh sách các bệnh viện"),
            [
                Part::Function(vec!["danh".into(), "sach".into()]),
                Part::Function(vec!["cac".into()]),
                content("benh"),
                content("vien"),
            ]
        );
        // Unaccented "cua" may be "cửa" (cửa khẩu): it stays a word that must match.
        assert_eq!(parts_of("cua khau")[0], content("cua"));
        assert_eq!(parts_of("dân số")[1], content("so"));
    }

    #[test]
    fn format_words_and_synonyms_are_recognised() {
        assert_eq!(
            parts_of("bản đồ ranh giới")[0],
            Part::Format(vec!["ban".into(), "do".into()], &["GEOJSON", "SHP", "KML"])
        );
        assert_eq!(
            parts_of("Excel")[0],
            Part::Format(vec!["excel".into()], &["XLSX", "XLS"])
        );
        let Part::Content(spellings) = &parts_of("ủy ban nhân dân tỉnh")[0] else {
            panic!("not a synonym")
        };
        assert!(spellings.contains(&vec!["ubnd".to_owned()]));
        assert_eq!(parts_of("ủy ban nhân dân tỉnh").len(), 2);
    }

    #[test]
    fn relaxed_searches_need_half_the_words() {
        assert_eq!(relaxed_minimum(1), 1);
        assert_eq!(relaxed_minimum(2), 1);
        assert_eq!(relaxed_minimum(5), 3);
    }
}
