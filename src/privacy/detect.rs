//! What one cell may hold: Vietnamese identity-card numbers, phone numbers and e-mail
//! addresses, each found with its Vietnamese structure so that the numbers a statistics table
//! is full of (budget amounts, ward and postal codes, dates, tax codes) do not look like them,
//! and masked before anyone sees them.
//!
//! Hand-written rather than with `regex`: the rules are about digit counts and prefixes after
//! separators are dropped ("0912.345.678", "+84 912 345 678", "(0276) 3822 123"), which one
//! pass over the characters does more plainly than patterns would.

use super::columns::Evidence;
use super::FindingKind;

/// The province codes that open a 12-digit citizen identity (CCCD) number: the 63 provinces
/// as numbered by Circular 07/2016/TT-BCA (the 2025 merger kept the numbers already issued).
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// The second and third digits of a 10-digit mobile number, after the 2018 change to ten
/// digits: Viettel 032-039, 086, 096-098; VinaPhone 081-085, 088, 091, 094; MobiFone 070,
/// 076-079, 089, 090, 093; Vietnamobile 052, 056, 058, 092; Gmobile 059, 099; Itel 087;
/// Reddi 055.
const MOBILE_PREFIXES: [&str; 35] = [
    "32", "33", "34", "35", "36", "37", "38", "39", "52", "55", "56", "58", "59", "70", "76", "77",
    "78", "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94",
    "96", "97", "98",
];

/// One thing found in a cell, already masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What it is.
    pub kind: FindingKind,
    /// The value with most of it hidden.
    pub masked: String,
}

/// A run of digits as written, separators dropped.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    digits: String,
    /// Written with a leading `+` (an international number).
    plus: bool,
}

/// Separators allowed inside one written number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '(' | ')')
}

/// The numbers written in a cell: digits joined by at most two separator characters at a
/// time ("0912 345 678", "(0276) 3822-123"); anything else ends a number, so "1.234,5",
/// "15/03/1990" or "0912345678 / 0987654321" break where they should.
fn runs(cell: &str) -> Vec<Run> {
    let chars: Vec<char> = cell.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_plus = c == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let glued = i > 0 && chars[i - 1].is_alphanumeric();
        if !(c.is_ascii_digit() || starts_plus) || glued {
            i += 1;
            continue;
        }
        let mut run = Run {
            digits: String::new(),
            plus: starts_plus,
        };
        if starts_plus {
            i += 1;
        }
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                run.digits.push(chars[i]);
                i += 1;
                continue;
            }
            let gap = chars[i..].iter().take_while(|c| is_separator(**c)).count();
            if (1..=2).contains(&gap) && chars.get(i + gap).is_some_and(char::is_ascii_digit) {
                i += gap;
                continue;
            }
            break;
        }
        // A number glued to letters after it ("12ab") is a code, not a number.
        if !chars.get(i).is_some_and(|c| c.is_alphabetic()) {
            found.push(run);
        }
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
    }
    found
}

/// True for a 12-digit citizen identity number: province code, then the century-and-sex digit
/// (0/1 born 1900-1999, 2/3 born 2000-2099; later centuries are not yet born), then the last
/// two digits of a birth year that has already come.
pub fn is_cccd(digits: &str, current_year: u16) -> bool {
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| digits[range].parse::<u16>().unwrap_or(u16::MAX);
    if !PROVINCE_CODES.contains(&number(0..3)) {
        return false;
    }
    let year = number(4..6);
    match number(3..4) {
        0 | 1 => true,
        2 | 3 => 2000 + year <= current_year,
        _ => false,
    }
}

/// The national form (leading 0) of a Vietnamese phone number, or None: ten-digit mobiles with
/// a current carrier prefix, eleven-digit landlines (02 + area code + subscriber). `+84`
/// (or `84` where the column says phone) replaces the 0; where the column says phone, a
/// mobile whose leading 0 a spreadsheet dropped counts too.
fn phone(run: &Run, phone_column: bool) -> Option<String> {
    let digits = run.digits.as_str();
    let international = (run.plus || phone_column) && digits.len() >= 11;
    let national = if let Some(rest) = digits.strip_prefix("84").filter(|_| international) {
        format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
    } else if run.plus {
        return None;
    } else if phone_column && digits.len() == 9 && !digits.starts_with('0') {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    let mobile = national.len() == 10
        && national.starts_with('0')
        && MOBILE_PREFIXES.contains(&&national[1..3]);
    let landline = national.len() == 11 && national.starts_with("02");
    (mobile || landline).then_some(national)
}

/// What a cell holds, given what its column's header says.
pub fn hits(cell: &str, evidence: Evidence, current_year: u16) -> Vec<Hit> {
    let mut found = Vec::new();
    // Most cells of a statistics table are words or short numbers: every number looked for
    // has 9 digits or more, an e-mail address an `@`.
    let numbers = if cell.bytes().filter(u8::is_ascii_digit).count() >= 9 {
        runs(cell)
    } else {
        Vec::new()
    };
    for run in numbers {
        if run.digits.len() < 9 {
            continue;
        }
        let digits = run.digits.as_str();
        if !run.plus && is_cccd(digits, current_year) {
            found.push(Hit {
                kind: FindingKind::Cccd,
                masked: mask(digits, 4, 2, false),
            });
            continue;
        }
        if evidence.identity && !run.plus {
            // A spreadsheet that stored the number as a number dropped its leading 0.
            let padded = format!("0{digits}");
            if digits.len() == 11 && is_cccd(&padded, current_year) {
                found.push(Hit {
                    kind: FindingKind::Cccd,
                    masked: mask(&padded, 4, 2, false),
                });
                continue;
            }
            if digits.len() == 9 {
                found.push(Hit {
                    kind: FindingKind::Cmnd,
                    masked: mask(digits, 2, 2, false),
                });
                continue;
            }
        }
        if evidence.not_phone {
            continue;
        }
        if let Some(national) = phone(&run, evidence.phone) {
            found.push(Hit {
                kind: FindingKind::Phone,
                masked: mask(&national, 4, 3, true),
            });
        }
    }
    if !cell.contains('@') {
        return found;
    }
    found.extend(emails(cell).into_iter().map(|masked| Hit {
        kind: FindingKind::Email,
        masked,
    }));
    found
}

/// Keeps `head` characters and `tail` characters, stars between; `spaced` sets them apart as
/// phone numbers are read ("0912 *** 678").
pub fn mask(value: &str, head: usize, tail: usize, spaced: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    let stars = "*".repeat(chars.len() - head - tail);
    if spaced {
        format!("{start} {stars} {end}")
    } else {
        format!("{start}{stars}{end}")
    }
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// The e-mail addresses of a cell, masked to their first letter and domain
/// ("n***@gmail.com"): a local part, `@`, and a domain of dotted labels ending in letters.
fn emails(cell: &str) -> Vec<String> {
    let chars: Vec<char> = cell.chars().collect();
    let mut found = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let local_start = chars[..at]
            .iter()
            .rposition(|c| !is_local_char(*c))
            .map_or(0, |p| p + 1);
        let domain_end = chars[at + 1..]
            .iter()
            .position(|c| !is_domain_char(*c))
            .map_or(chars.len(), |p| at + 1 + p);
        let local: String = chars[local_start..at].iter().collect();
        let domain: String = chars[at + 1..domain_end].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let labels: Vec<&str> = domain.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        let local = local.trim_start_matches('.');
        if local.is_empty() || labels.len() < 2 || labels.iter().any(|l| l.is_empty()) || !tld_ok {
            continue;
        }
        let first: String = local.chars().take(1).collect();
        found.push(format!("{first}***@{domain}"));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: u16 = 2026;

    fn kinds(cell: &str, evidence: Evidence) -> Vec<FindingKind> {
        hits(cell, evidence, YEAR)
            .into_iter()
            .map(|h| h.kind)
            .collect()
    }

    fn none() -> Evidence {
        Evidence::default()
    }

    #[test]
    fn citizen_identity_numbers_have_their_structure() {
        // Hà Nội (001), male born 1990.
        assert!(is_cccd("001090012345", YEAR));
        // Tây Ninh (072), female born 2005.
        assert!(is_cccd("072305001234", YEAR));
        // Not yet born: a woman of 2045.
        assert!(!is_cccd("012345678901", YEAR));
        // No province 003, no century digit 5 yet.
        assert!(!is_cccd("003090012345", YEAR));
        assert!(!is_cccd("001590012345", YEAR));
        assert_eq!(
            hits("001090012345", none(), YEAR),
            [Hit {
                kind: FindingKind::Cccd,
                masked: "0010******45".into()
            }]
        );
    }

    #[test]
    fn budget_figures_are_not_identity_numbers() {
        for budget in [
            "125000000000",
            "125.000.000.000",
            "1.234.567.890.123",
            "987654321012",
            "12,500,000,000",
            "450000000",
        ] {
            assert_eq!(kinds(budget, none()), [], "{budget}");
        }
    }

    #[test]
    fn nine_digit_identity_cards_need_their_column_to_say_so() {
        assert_eq!(kinds("280123456", none()), []);
        let id_column = Evidence {
            identity: true,
            ..Evidence::default()
        };
        assert_eq!(
            hits("280123456", id_column, YEAR),
            [Hit {
                kind: FindingKind::Cmnd,
                masked: "28*****56".into()
            }]
        );
        // A CCCD stored as a number lost its leading 0.
        assert_eq!(kinds("72305001234", id_column), [FindingKind::Cccd]);
        assert_eq!(kinds("72305001234", none()), []);
    }

    #[test]
    fn phone_numbers_as_people_write_them() {
        for phone in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "+84 912 345 678",
            "+84912345678",
            "+84 (0) 912 345 678",
            "ĐT: 0386123456",
            "(0276) 3822 123",
            "024 3825 1234",
        ] {
            assert_eq!(kinds(phone, none()), [FindingKind::Phone], "{phone}");
        }
        assert_eq!(hits("0912.345.678", none(), YEAR)[0].masked, "0912 *** 678");
        assert_eq!(kinds("0912345678 - 0987654321", none()).len(), 2);
        let phone_column = Evidence {
            phone: true,
            ..Evidence::default()
        };
        assert_eq!(kinds("912345678", phone_column), [FindingKind::Phone]);
        assert_eq!(kinds("912345678", none()), []);
    }

    #[test]
    fn dates_codes_and_amounts_are_not_phone_numbers() {
        for not_phone in [
            "2023-12-15",
            "15/03/1990",
            "15.03.1990",
            "25747",
            "840000",
            "1.234.567.890",
            "1234567890",
            "0301234567",
            "0100109106",
            "3900244389",
            "012345678",
            "0123456789",
            "84912345678",
            "Tờ 12, thửa 0912345678ab",
        ] {
            assert_eq!(kinds(not_phone, none()), [], "{not_phone}");
        }
        let tax_column = Evidence {
            not_phone: true,
            ..Evidence::default()
        };
        assert_eq!(kinds("0321234567", tax_column), []);
    }

    #[test]
    fn email_addresses_are_found_and_masked() {
        assert_eq!(
            hits("Liên hệ: nguyenvana@gmail.com.", none(), YEAR),
            [Hit {
                kind: FindingKind::Email,
                masked: "n***@gmail.com".into()
            }]
        );
        for not_email in ["@tayninh", "a@b", "giá 5@kg", "x@y.1"] {
            assert_eq!(kinds(not_email, none()), [], "{not_email}");
        }
    }

    #[test]
    fn masks_keep_the_ends_only() {
        assert_eq!(mask("0912345678", 4, 3, true), "0912 *** 678");
        assert_eq!(mask("001090012345", 4, 2, false), "0010******45");
        assert_eq!(mask("123", 4, 2, false), "***");
    }
}
