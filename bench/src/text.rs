//! Small text helpers for the corpus generator: Vietnamese-to-ASCII slugs and
//! shifting the years that appear in titles, notes and dates.

/// Precomposed Vietnamese lowercase letters grouped by their ASCII base letter.
/// A table rather than Unicode decomposition because the workspace has no
/// normalisation crate in this package's dependencies and the set is closed.
const FOLDS: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

/// Maps one lowercase character to its ASCII base letter when it is a
/// Vietnamese letter with diacritics; other characters are returned unchanged.
fn fold_char(c: char) -> char {
    FOLDS
        .iter()
        .find(|(_, set)| set.contains(c))
        .map_or(c, |(base, _)| *base)
}

/// Turns Vietnamese text into a CKAN-style slug: lowercase ASCII letters and
/// digits separated by single hyphens ("Xã Tân Lập" -> "xa-tan-lap").
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        // Combining marks (text typed in NFD) carry no letter of their own.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let c = fold_char(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Cuts a slug to at most `max` bytes without leaving a trailing hyphen.
/// Slugs are ASCII, so byte and character counts agree.
pub fn truncate_slug(slug: &str, max: usize) -> String {
    let mut s = slug[..slug.len().min(max)].to_string();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// The range of numbers treated as calendar years; outside it a four-digit
/// number is more likely a count or a code and is left alone.
const YEARS: std::ops::RangeInclusive<u32> = 1990..=2040;

/// Whether `text` contains a four-digit standalone number that looks like a year.
pub fn has_year(text: &str) -> bool {
    let mut found = false;
    map_years(text, |y| {
        found = true;
        y
    });
    found
}

/// The first standalone four-digit year in `text`, if any.
pub fn first_year(text: &str) -> Option<u32> {
    let mut first = None;
    map_years(text, |y| {
        first.get_or_insert(y);
        y
    });
    first
}

/// Subtracts `back` from every standalone four-digit year in `text`
/// ("quý II/2026" -> "quý II/2025", "2026–2031" -> "2025–2030").
pub fn shift_years(text: &str, back: u32) -> String {
    map_years(text, |y| y.saturating_sub(back))
}

/// Rewrites each run of exactly four ASCII digits whose value is in [`YEARS`].
fn map_years(text: &str, mut f: impl FnMut(u32) -> u32) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start != 4 {
            continue;
        }
        // Digits are ASCII, so these indices are char boundaries.
        let Ok(year) = text[start..i].parse::<u32>() else {
            continue;
        };
        if YEARS.contains(&year) {
            out.push_str(&text[last..start]);
            out.push_str(&f(year).to_string());
            last = i;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Shifts an ISO date (YYYY-MM-DD) back by `back` years, moving 29 February
/// to the 28th when the target year is not a leap year.
pub fn shift_date(date: &str, back: u32) -> String {
    let shifted = shift_years(date, back);
    match shifted.get(..4).and_then(|y| y.parse::<u32>().ok()) {
        Some(year) if shifted.ends_with("-02-29") && !is_leap(year) => {
            format!("{year}-02-28")
        }
        _ => shifted,
    }
}

/// Gregorian leap-year rule.
pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slugify("Xã Tân Lập"), "xa-tan-lap");
        assert_eq!(
            slugify("Sở Lao động – Thương binh và Xã hội: 2023!"),
            "so-lao-dong-thuong-binh-va-xa-hoi-2023"
        );
        assert_eq!(slugify("ĐẤT ĐAI quý II/2026"), "dat-dai-quy-ii-2026");
        // NFD input: "liệu" typed as base letters plus combining marks.
        assert_eq!(slugify("lie\u{323}\u{302}u"), "lieu");
    }

    #[test]
    fn years_shift_but_other_numbers_do_not() {
        assert_eq!(
            shift_years("PCI giai đoạn 2020–2024, 12345 hộ, 500 ha", 3),
            "PCI giai đoạn 2017–2021, 12345 hộ, 500 ha"
        );
        assert_eq!(shift_years("quý II/2026", 1), "quý II/2025");
        assert!(has_year("năm 2025"));
        assert_eq!(first_year("giai đoạn 2020–2024"), Some(2020));
        assert!(!has_year("Sản phẩm OCOP đạt 3 sao trở lên"));
    }

    #[test]
    fn leap_day_is_clamped() {
        assert_eq!(shift_date("2024-02-29", 1), "2023-02-28");
        assert_eq!(shift_date("2024-02-29", 4), "2020-02-29");
        assert_eq!(shift_date("2025-12-31", 5), "2020-12-31");
    }

    #[test]
    fn truncation_drops_trailing_hyphen() {
        assert_eq!(truncate_slug("abc-def", 4), "abc");
        assert_eq!(truncate_slug("abc", 10), "abc");
    }
}
