//! CKAN's (Solr's) query syntax in `q`, `fq` and `fq_list`, read into an engine condition:
//! free words (all must match), `"phrases"`, `field:value`, `field:"quoted value"`,
//! `field:(a OR b)`, `field:[from TO to]` (dates, `*`, `NOW`, `NOW-7DAYS`), `AND`, `OR`, `NOT`,
//! `-`/`+` prefixes, parentheses and `*:*`. The implicit `AND` between words binds tighter than
//! `OR`, as in most boolean languages and as Vietnamese needs (its words are several
//! syllables): `bệnh viện OR ngân sách` is `(bệnh AND viện) OR (ngân AND sách)`. Nothing is an error: an unknown field, an
//! unclosed quote or a range that is not one is searched as plain text, as the issue asks.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

use super::vocab;
use crate::search::engine::Condition;

/// Fields CKAN clients filter on, with the engine's treatment.
fn is_keyword_field(field: &str) -> bool {
    matches!(
        field,
        "organization"
            | "owner_org"
            | "tags"
            | "groups"
            | "res_format"
            | "license_id"
            | "frequency"
            | "name"
            | "id"
            | "state"
            | "private"
            | "spatial_code"
            | "creator_user_id"
    )
}

/// Fields whose values are searched as text.
fn is_text_field(field: &str) -> bool {
    matches!(
        field,
        "title" | "text" | "notes" | "title_en" | "notes_en" | "res_name" | "res_description"
    )
}

fn is_time_field(field: &str) -> bool {
    matches!(field, "metadata_modified" | "metadata_created")
}

/// A lexical unit of the query text.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `field:` right before an opening parenthesis.
    FieldGroup(String),
    /// A word, a quoted phrase, or `field:value`.
    Atom(String),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            return out;
        };
        match first {
            '(' => {
                out.push(Token::Open);
                rest = &rest[1..];
                continue;
            }
            ')' => {
                out.push(Token::Close);
                rest = &rest[1..];
                continue;
            }
            '-' | '!' if rest.len() > 1 && !rest[1..].starts_with(char::is_whitespace) => {
                out.push(Token::Not);
                rest = &rest[1..];
                continue;
            }
            '+' => {
                rest = &rest[1..];
                continue;
            }
            _ => {}
        }
        let end = atom_end(rest);
        let (atom, remaining) = rest.split_at(end);
        rest = remaining;
        out.push(match atom {
            "AND" | "&&" => Token::And,
            "OR" | "||" => Token::Or,
            "NOT" => Token::Not,
            _ if atom.ends_with(':') && rest.starts_with('(') => {
                Token::FieldGroup(atom.trim_end_matches(':').to_owned())
            }
            _ => Token::Atom(atom.to_owned()),
        });
    }
}

/// Where the atom at the start of `text` ends: at whitespace or a parenthesis outside quotes
/// and brackets (an unclosed quote runs to the end).
fn atom_end(text: &str) -> usize {
    let mut quoted = false;
    let mut bracket = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' if !bracket => quoted = !quoted,
            '[' | '{' if !quoted => bracket = true,
            ']' | '}' if !quoted => bracket = false,
            '(' | ')' if !quoted && !bracket && i > 0 => return i,
            c if c.is_whitespace() && !quoted && !bracket => return i,
            _ => {}
        }
    }
    text.len()
}

/// Reads tokens into conditions.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// A run of clauses up to a closing parenthesis (consumed) or the end: groups of clauses
    /// that must all hold, separated by `OR`.
    fn sequence(&mut self, field: Option<&str>, nested: bool) -> Condition {
        let mut groups: Vec<Vec<Condition>> = vec![Vec::new()];
        while let Some(token) = self.peek().cloned() {
            match token {
                Token::Close if nested => {
                    self.at += 1;
                    break;
                }
                // A stray closing parenthesis or a dangling AND says nothing.
                Token::Close | Token::And => self.at += 1,
                Token::Or => {
                    self.at += 1;
                    if groups.last().is_some_and(|g| !g.is_empty()) {
                        groups.push(Vec::new());
                    }
                }
                _ => {
                    if let Some(unary) = self.unary(field) {
                        if let Some(group) = groups.last_mut() {
                            group.push(unary);
                        }
                    }
                }
            }
        }
        let mut alternatives: Vec<Condition> = groups
            .into_iter()
            .filter(|g| !g.is_empty())
            .map(|mut group| {
                if group.len() == 1 {
                    group.pop().unwrap_or(Condition::All)
                } else {
                    Condition::Every(group)
                }
            })
            .collect();
        match alternatives.len() {
            0 => Condition::All,
            1 => alternatives.pop().unwrap_or(Condition::All),
            _ => Condition::Any(alternatives),
        }
    }

    /// One clause with its negations; `None` when the tokens held nothing.
    fn unary(&mut self, field: Option<&str>) -> Option<Condition> {
        let token = self.peek().cloned()?;
        self.at += 1;
        match token {
            Token::Not => {
                let inner = self.unary(field)?;
                Some(Condition::Not(Box::new(inner)))
            }
            Token::Open => Some(self.sequence(field, true)),
            Token::FieldGroup(name) => {
                // The parenthesis after `field:`.
                self.at += 1;
                if is_keyword_field(&name) || is_text_field(&name) || is_time_field(&name) {
                    Some(self.sequence(Some(&name), true))
                } else {
                    Some(self.sequence(field, true))
                }
            }
            Token::Atom(text) => Some(atom(&text, field)),
            Token::Close | Token::And | Token::Or => None,
        }
    }
}

/// One atom, inside a `field:( … )` group when `field` is given.
fn atom(text: &str, field: Option<&str>) -> Condition {
    if text == "*:*" {
        return Condition::All;
    }
    if let Some(field) = field {
        return field_value(field, text).unwrap_or_else(|| free_text(text));
    }
    if let Some((name, value)) = text.split_once(':') {
        if !value.is_empty() {
            if let Some(condition) = field_value(name, value) {
                return condition;
            }
        }
    }
    free_text(text)
}

fn free_text(text: &str) -> Condition {
    let inner = text.trim_matches('"');
    if text.len() > 2 && text.starts_with('"') && text.ends_with('"') && inner.contains(' ') {
        Condition::Phrase(inner.to_owned())
    } else {
        Condition::Words(inner.to_owned())
    }
}

/// `field:value`, or `None` when the field is not one of ours or the value unreadable.
fn field_value(field: &str, value: &str) -> Option<Condition> {
    if is_time_field(field) {
        let inner = value
            .strip_prefix(['[', '{'])
            .and_then(|v| v.strip_suffix([']', '}']))?;
        let (from, to) = inner.split_once(" TO ")?;
        return Some(Condition::Range(field.to_owned(), bound(from)?, bound(to)?));
    }
    let unquoted = value.trim_matches('"');
    if unquoted.is_empty() {
        return None;
    }
    if is_text_field(field) {
        return Some(free_text(value));
    }
    if !is_keyword_field(field) {
        return None;
    }
    if unquoted == "*" {
        return Some(Condition::All);
    }
    let unquoted = match field {
        "res_format" => unquoted.to_uppercase(),
        "tags" => vocab::nfc(unquoted),
        _ => unquoted.to_owned(),
    };
    Some(Condition::Keyword(field.to_owned(), unquoted))
}

/// A range end in microseconds: `*` (open), a date or date-time (`Z` optional), `NOW` or
/// `NOW-<n>DAY(S)|MONTH(S)|YEAR(S)|HOUR(S)`. `None` when unreadable.
fn bound(text: &str) -> Option<Option<i64>> {
    let text = text.trim();
    if text == "*" {
        return Some(None);
    }
    if let Some(rest) = text.strip_prefix("NOW") {
        let rest = rest.split('/').next().unwrap_or("");
        let now = Utc::now().naive_utc();
        if rest.is_empty() {
            return Some(Some(now.and_utc().timestamp_micros()));
        }
        let (sign, amount) = match rest.split_at(1) {
            ("-", a) => (-1, a),
            ("+", a) => (1, a),
            _ => return None,
        };
        let digits = amount.chars().take_while(char::is_ascii_digit).count();
        let n: i64 = amount[..digits].parse().ok()?;
        let unit = amount[digits..].trim_end_matches('S');
        let delta = match unit {
            "HOUR" => Duration::try_hours(n)?,
            "DAY" => Duration::try_days(n)?,
            "MONTH" => Duration::try_days(n.checked_mul(30)?)?,
            "YEAR" => Duration::try_days(n.checked_mul(365)?)?,
            _ => return None,
        };
        let at = if sign < 0 {
            now.checked_sub_signed(delta)?
        } else {
            now.checked_add_signed(delta)?
        };
        return Some(Some(at.and_utc().timestamp_micros()));
    }
    let text = text.trim_end_matches('Z');
    let time = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    Some(Some(time.and_utc().timestamp_micros()))
}

/// The condition of one query text (`q`, `fq` or an `fq_list` item).
pub fn parse(text: &str) -> Condition {
    let mut parser = Parser {
        tokens: tokens(text),
        at: 0,
    };
    parser.sequence(None, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &str) -> Condition {
        Condition::Words(w.to_owned())
    }

    fn keyword(f: &str, v: &str) -> Condition {
        Condition::Keyword(f.to_owned(), v.to_owned())
    }

    #[test]
    fn fields_phrases_ranges_and_negation() {
        let parsed = parse(
            r#"giá đất organization:so-tai-chinh -tags:"quy hoạch" metadata_modified:[2025-01-01T00:00:00Z TO *]"#,
        );
        let Condition::Every(list) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(list[0], words("giá"));
        assert_eq!(list[2], keyword("organization", "so-tai-chinh"));
        assert_eq!(
            list[3],
            Condition::Not(Box::new(keyword("tags", "quy hoạch")))
        );
        assert!(matches!(&list[4], Condition::Range(f, Some(_), None) if f == "metadata_modified"));
        assert_eq!(
            parse(r#""quy hoạch xây dựng""#),
            Condition::Phrase("quy hoạch xây dựng".into())
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(
            parse("giá đất OR thuê"),
            Condition::Any(vec![
                Condition::Every(vec![words("giá"), words("đất")]),
                words("thuê")
            ])
        );
        assert_eq!(
            parse("res_format:(CSV OR xlsx) AND NOT (a b)"),
            Condition::Every(vec![
                Condition::Any(vec![
                    keyword("res_format", "CSV"),
                    keyword("res_format", "XLSX")
                ]),
                Condition::Not(Box::new(Condition::Every(vec![words("a"), words("b")]))),
            ])
        );
        assert_eq!(
            parse("a OR b OR c"),
            Condition::Any(vec![words("a"), words("b"), words("c")])
        );
        assert_eq!(parse("*:*"), Condition::All);
        assert_eq!(parse(""), Condition::All);
    }

    #[test]
    fn unreadable_input_becomes_text() {
        for junk in [
            "Sở Lao động - Thương binh và Xã hội dân số: 2023 \"unclosed",
            "((( ))) OR AND NOT - + !",
            "metadata_modified:[hôm qua TO *] unknown:field",
        ] {
            let parsed = parse(junk);
            let mut text = String::new();
            parsed.ranking_text(&mut text);
            assert!(
                !format!("{parsed:?}").contains("Keyword"),
                "{junk}: {parsed:?}"
            );
        }
        assert_eq!(
            parse("metadata_modified:[hôm qua TO *]"),
            words("metadata_modified:[hôm qua TO *]")
        );
    }

    #[test]
    fn now_ranges_are_relative() {
        let Some(Some(week_ago)) = bound("NOW-7DAYS") else {
            panic!()
        };
        let Some(Some(now)) = bound("NOW") else {
            panic!()
        };
        assert!((now - week_ago - 7 * 86_400_000_000).abs() < 5_000_000);
        assert_eq!(bound("2025-01-01"), bound("2025-01-01T00:00:00Z"));
        assert_eq!(bound("soon"), None);
    }
}
