//! Columns: what a header says about its values, what each column was found to hold (counts
//! and two masked samples per kind), and the rule for personal names, which are only personal
//! data worth a review next to a birth date or an address.

use unicode_normalization::UnicodeNormalization;

use super::detect::{self, Hit};
use super::{Finding, FindingKind, Sample};

/// Samples kept per kind and column.
const SAMPLES: usize = 2;

/// Vietnamese text folded to lowercase ASCII ("Họ và tên" → "ho va ten"), so headers match
/// with or without diacritics.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// True when a word (or words) of `words` stands as whole words in the folded header.
fn says(header: &str, words: &[&str]) -> bool {
    let padded = format!(
        " {} ",
        header
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    words.iter().any(|w| padded.contains(&format!(" {w} ")))
}

/// What a column's header says about its values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// An identity document number (CMND, CCCD, passport): 9-digit numbers count.
    pub identity: bool,
    /// A phone number: numbers whose leading 0 was lost count.
    pub phone: bool,
    /// A code that is no phone number (tax code, account): not read for phones.
    pub not_phone: bool,
    /// A person's name.
    pub name: bool,
    /// A birth date.
    pub birth: bool,
    /// An address.
    pub address: bool,
}

impl Evidence {
    /// The evidence of a header.
    pub fn of(header: &str) -> Evidence {
        let h = fold(header);
        let address = says(
            &h,
            &[
                "dia chi",
                "address",
                "noi o",
                "cho o",
                "thuong tru",
                "tam tru",
                "que quan",
                "noi cu tru",
                "so nha",
            ],
        );
        Evidence {
            identity: says(
                &h,
                &[
                    "cmnd",
                    "cmtnd",
                    "cccd",
                    "chung minh",
                    "can cuoc",
                    "dinh danh",
                    "ho chieu",
                    "passport",
                    "id card",
                    "so cm",
                ],
            ),
            phone: says(
                &h,
                &[
                    "dien thoai",
                    "dt",
                    "sdt",
                    "so dt",
                    "phone",
                    "mobile",
                    "di dong",
                    "tel",
                ],
            ),
            not_phone: says(&h, &["mst", "ma so thue", "tax", "tai khoan", "account"]),
            name: !address
                && says(
                    &h,
                    &[
                        "ho ten",
                        "ho va ten",
                        "hoten",
                        "ten",
                        "name",
                        "full name",
                        "fullname",
                        "nguoi",
                        "chu ho",
                        "chu so huu",
                        "nguoi dai dien",
                    ],
                ),
            birth: says(
                &h,
                &[
                    "ngay sinh",
                    "nam sinh",
                    "sinh ngay",
                    "ngay thang nam sinh",
                    "birth",
                    "birthday",
                    "dob",
                    "date of birth",
                ],
            ),
            address,
        }
    }
}

/// The family names that open most Vietnamese personal names (folded): the fifteen most common
/// cover about nine in ten people; the rest are common enough to meet in a provincial list.
/// Left out on purpose, though people bear them: those that also open place and office names
/// (Hà Nội, Tô/Tổ dân phố, Văn phòng, Quận, Sơn La, La Gi, Kim Bảng).
const SURNAMES: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dao", "doan", "trinh", "dinh", "lam", "mai", "truong", "cao",
    "luu", "luong", "ta", "chau", "quach", "thai", "trieu", "tang", "khuc", "kieu", "lai", "nong",
    "tong", "thach",
];

/// True for a value written as a Vietnamese personal name: two to five capitalised words of
/// letters, the first a common family name ("Nguyễn Văn An"; not "Phường Tân Ninh").
pub fn looks_like_name(value: &str) -> bool {
    if !value.starts_with(char::is_uppercase) || !value.contains(' ') {
        return false;
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) {
        return false;
    }
    let shaped = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
    });
    shaped && SURNAMES.contains(&fold(words[0]).as_str())
}

/// The initials of a name, the rest hidden ("Nguyễn Văn An" → "N*** V*** A***").
pub fn mask_name(value: &str) -> String {
    value
        .split_whitespace()
        .map(|w| format!("{}***", w.chars().next().unwrap_or('*')))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What was found of one kind in a column.
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    samples: Vec<Sample>,
}

impl Tally {
    fn add(&mut self, row: u64, masked: String) {
        self.count += 1;
        if self.samples.len() < SAMPLES {
            self.samples.push(Sample { row, value: masked });
        }
    }
}

/// One column being scanned.
#[derive(Debug)]
pub struct Column {
    /// Its header (or "" when none).
    pub header: String,
    evidence: Evidence,
    tallies: Vec<(FindingKind, Tally)>,
    values: u64,
    names: Tally,
}

impl Column {
    /// A column under a header.
    pub fn new(header: &str) -> Column {
        Column {
            header: header.trim().to_owned(),
            evidence: Evidence::of(header),
            tallies: Vec::new(),
            values: 0,
            names: Tally::default(),
        }
    }

    /// Reads one value of the column, at `row` of the file (1-based).
    pub fn read(&mut self, row: u64, value: &str, current_year: u16) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        self.values += 1;
        for Hit { kind, masked } in detect::hits(value, self.evidence, current_year) {
            match self.tallies.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, tally)) => tally.add(row, masked),
                None => {
                    let mut tally = Tally::default();
                    tally.add(row, masked);
                    self.tallies.push((kind, tally));
                }
            }
        }
        if looks_like_name(value) {
            self.names.add(row, mask_name(value));
        }
    }

    /// A column of personal names: a name header over at least a third of name-shaped
    /// values, or (no such header) four in five values of at least three.
    fn holds_names(&self) -> bool {
        let (names, values) = (self.names.count, self.values);
        if self.evidence.address || values == 0 {
            return false;
        }
        if self.evidence.name {
            names * 3 >= values
        } else {
            values >= 3 && names * 5 >= values * 4
        }
    }
}

/// The findings of a table's columns (`sheet` for a workbook's sheet).
pub fn findings(columns: Vec<Column>, sheet: Option<&str>) -> Vec<Finding> {
    let companion = |wanted: fn(&Evidence) -> bool| {
        columns
            .iter()
            .find(|c| wanted(&c.evidence))
            .map(|c| c.header.clone())
    };
    let birth = companion(|e| e.birth);
    let address = companion(|e| e.address);
    let mut found = Vec::new();
    for (index, column) in columns.iter().enumerate() {
        let label = column_label(&column.header, index);
        for (kind, tally) in &column.tallies {
            found.push(Finding {
                sheet: sheet.map(str::to_owned),
                column: label.clone(),
                column_index: index,
                kind: *kind,
                count: tally.count,
                samples: tally.samples.clone(),
                related_column: None,
            });
        }
        if !column.holds_names() {
            continue;
        }
        let pair = match (&birth, &address) {
            (Some(b), _) => Some((FindingKind::NameWithBirthDate, b)),
            (None, Some(a)) => Some((FindingKind::NameWithAddress, a)),
            (None, None) => None,
        };
        if let Some((kind, related)) = pair {
            found.push(Finding {
                sheet: sheet.map(str::to_owned),
                column: label.clone(),
                column_index: index,
                kind,
                count: column.names.count,
                samples: column.names.samples.clone(),
                related_column: Some(related.clone()),
            });
        }
    }
    found
}

/// A column's header, or its position when it has none ("#3").
fn column_label(header: &str, index: usize) -> String {
    if header.is_empty() {
        format!("#{}", index + 1)
    } else {
        header.chars().take(100).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_say_what_their_columns_hold() {
        assert!(Evidence::of("Họ và tên").name);
        assert!(Evidence::of("HO TEN").name);
        assert!(Evidence::of("Ho va ten chu ho").name);
        assert!(Evidence::of("Số CMND").identity);
        assert!(Evidence::of("Căn cước công dân").identity);
        assert!(Evidence::of("Số điện thoại").phone);
        assert!(Evidence::of("SĐT").phone);
        assert!(Evidence::of("Ngày sinh").birth);
        assert!(Evidence::of("Địa chỉ thường trú").address);
        assert!(!Evidence::of("Địa chỉ").name);
        assert!(Evidence::of("Mã số thuế").not_phone);
        assert_eq!(Evidence::of("Dân số"), Evidence::default());
        assert_eq!(Evidence::of("Mã phường"), Evidence::default());
    }

    #[test]
    fn personal_names_and_place_names() {
        for name in [
            "Nguyễn Văn An",
            "Trần Thị Bích Ngọc",
            "Lê Lợi",
            "NGUYỄN VĂN AN",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
        for not_name in [
            "Phường Tân Ninh",
            "Xã Hòa Thành",
            "Nguyễn",
            "Sở Tài chính",
            "Nguyễn Văn An 2",
            "trần văn an",
        ] {
            assert!(!looks_like_name(not_name), "{not_name}");
        }
        assert_eq!(mask_name("Nguyễn Văn An"), "N*** V*** A***");
    }

    fn table(headers: &[&str], rows: &[&[&str]]) -> Vec<Finding> {
        let mut columns: Vec<Column> = headers.iter().map(|h| Column::new(h)).collect();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                columns[c].read(r as u64 + 2, value, 2026);
            }
        }
        findings(columns, None)
    }

    #[test]
    fn names_count_only_next_to_a_birth_date_or_an_address() {
        let people = [
            &["Nguyễn Văn An", "1990-03-15"][..],
            &["Trần Thị Bình", "1985-11-02"],
            &["Lê Văn Cường", "2001-07-30"],
        ];
        let found = table(&["Họ và tên", "Ngày sinh"], &people);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, FindingKind::NameWithBirthDate);
        assert_eq!(found[0].related_column.as_deref(), Some("Ngày sinh"));
        assert_eq!(found[0].samples[0].value, "N*** V*** A***");
        assert_eq!(found[0].samples[0].row, 2);
        let alone = table(&["Họ và tên", "Điểm"], &[&["Nguyễn Văn An", "9"]]);
        assert!(alone.is_empty(), "{alone:?}");
    }

    #[test]
    fn a_statistics_table_has_no_findings() {
        let found = table(
            &[
                "Mã xã",
                "Tên đơn vị",
                "Mã bưu chính",
                "Dân số",
                "Ngân sách (đồng)",
                "Ngày",
            ],
            &[
                &[
                    "25747",
                    "Phường Tân Ninh",
                    "840000",
                    "41.253",
                    "125000000000",
                    "2023-12-15",
                ],
                &[
                    "25750",
                    "Xã Hòa Thành",
                    "840100",
                    "18005",
                    "987.654.321.012",
                    "15/03/2024",
                ],
                &[
                    "25753",
                    "Phường Trảng Bàng",
                    "840200",
                    "1234567890",
                    "1,234,567,890",
                    "01.01.2025",
                ],
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
