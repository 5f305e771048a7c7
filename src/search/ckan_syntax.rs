//! CKAN's (Solr's) query syntax in `q`, `fq` and `fq_list`, read into an engine condition:
//! free words (all must match), `"phrases"`, `field:value`, `field:"quoted value"`,
//! `field:(a OR b)`, `field:[from TO to]` (dates, `*`, `NOW`, `NOW-7DAYS`), `AND`, `OR`, `NOT`,
//! `-`/`+` prefixes, parentheses and `*:*`. The implicit `AND` between words binds tighter than
//! `OR`, as in most boolean languages and as Vietnamese needs (its words are several
//! syllables): `bệnh viện OR ngân sách` is `(bệnh AND viện) OR (ngân AND sách)`. An unknown
//! field, an unclosed quote or a range that is not one is searched as plain text, as the issue
//! asks; the one error is nesting deeper than [`MAX_DEPTH`] parentheses.
//!
//! The parser recurses once per parenthesis and never per negation (a run of `NOT`/`-`
//! cancels in pairs), so the depth of a parsed condition, and of every recursive walk over it
//! (query building, ranking text, hashing, drop), is bounded by [`MAX_DEPTH`]: before, a `q`
//! of 500 `-` then `x` overflowed the stack and killed the process (issue 7).

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

use super::engine::Condition;
use super::schema;
use crate::text::nfc;

/// Fields CKAN clients filter on as whole values: the schema's keyword fields and the id.
fn is_keyword_field(field: &str) -> bool {
    field == "id" || schema::KEYWORD_FIELDS.contains(&field)
}

/// Fields whose values are searched as text.
fn is_text_field(field: &str) -> bool {
    schema::TEXT_QUERY_FIELDS.contains(&field)
}

fn is_time_field(field: &str) -> bool {
    schema::TIME_FIELDS.contains(&field)
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

/// Deepest nesting of parentheses (and `field:( … )` groups) read. CKAN's own pages send
/// none; 32 keeps every walk over a condition within a few hundred stack frames (a test runs
/// the deepest shape on a 256 KiB stack).
pub const MAX_DEPTH: usize = 32;

/// Why a query text cannot be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxError {
    /// Parentheses nest deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Reads tokens into conditions.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Groups open around the current token.
    depth: usize,
    /// Set when a group opened deeper than [`MAX_DEPTH`]; reading stops there.
    too_deep: bool,
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

    /// One clause with its negations; `None` when the tokens held nothing. A run of
    /// negations is counted, not recursed into: `NOT NOT x` is `x`.
    fn unary(&mut self, field: Option<&str>) -> Option<Condition> {
        let mut negated = false;
        while self.peek() == Some(&Token::Not) {
            self.at += 1;
            negated = !negated;
        }
        let inner = match self.peek().cloned()? {
            // A dangling negation says nothing; the token after it is the sequence's.
            Token::Close | Token::And | Token::Or | Token::Not => return None,
            Token::Open => {
                self.at += 1;
                self.group(field)?
            }
            Token::FieldGroup(name) => {
                // The field name and the parenthesis after it.
                self.at += 2;
                if is_keyword_field(&name) || is_text_field(&name) || is_time_field(&name) {
                    self.group(Some(&name))?
                } else {
                    self.group(field)?
                }
            }
            Token::Atom(text) => {
                self.at += 1;
                atom(&text, field)
            }
        };
        Some(if negated { negate(inner) } else { inner })
    }

    /// The clauses inside a parenthesis just read, or `None` (reading stopped) when it opens
    /// a group deeper than [`MAX_DEPTH`].
    fn group(&mut self, field: Option<&str>) -> Option<Condition> {
        if self.depth >= MAX_DEPTH {
            self.too_deep = true;
            self.at = self.tokens.len();
            return None;
        }
        self.depth += 1;
        let inner = self.sequence(field, true);
        self.depth -= 1;
        Some(inner)
    }
}

/// `NOT condition`, without a double negation (`-(-x)` is `x`).
fn negate(condition: Condition) -> Condition {
    match condition {
        Condition::Not(inner) => *inner,
        other => Condition::Not(Box::new(other)),
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
        return Some(match (bound(from)?, bound(to)?) {
            // `[* TO *]` holds for every dataset (tantivy panicked on a range open at both
            // ends: issue 7).
            (None, None) => Condition::All,
            (from, to) => Condition::Range(field.to_owned(), from, to),
        });
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
        "tags" => nfc(unquoted),
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
        // Not `split_at(1)`: "NOWé" would split inside a character and panic.
        let (sign, amount) = if let Some(a) = rest.strip_prefix('-') {
            (-1, a)
        } else if let Some(a) = rest.strip_prefix('+') {
            (1, a)
        } else {
            return None;
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
pub fn parse(text: &str) -> Result<Condition, SyntaxError> {
    let mut parser = Parser {
        tokens: tokens(text),
        at: 0,
        depth: 0,
        too_deep: false,
    };
    let condition = parser.sequence(None, false);
    if parser.too_deep {
        return Err(SyntaxError::TooDeep);
    }
    Ok(condition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::engine::{Search, SearchIndex};

    /// The condition of a text that must parse.
    fn parse(text: &str) -> Condition {
        super::parse(text).unwrap()
    }

    /// Runs `f` on a thread with a small stack: a walk that recursed once per character of a
    /// 2000-character query would overflow it.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

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

    #[test]
    fn negations_cancel_in_pairs_without_recursion() {
        let (even, odd) = on_small_stack(|| {
            let even = parse(&format!("{}x", "-".repeat(100_000)));
            let odd = parse(&format!("{}x", "NOT ".repeat(99_999)));
            (even, odd)
        });
        assert_eq!(even, words("x"));
        assert_eq!(odd, Condition::Not(Box::new(words("x"))));
        assert_eq!(parse("-(-x)"), words("x"));
        assert_eq!(
            parse("!-!x y"),
            Condition::Every(vec![Condition::Not(Box::new(words("x"))), words("y")])
        );
        assert_eq!(parse("a NOT"), words("a"));
        assert_eq!(
            parse("(a NOT) b"),
            Condition::Every(vec![words("a"), words("b")])
        );
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let nested =
            |depth: usize, open: &str| format!("{}x{}", open.repeat(depth), ")".repeat(depth));
        assert_eq!(parse(&nested(MAX_DEPTH, "(")), words("x"));
        assert_eq!(
            parse(&nested(MAX_DEPTH, "-(")),
            words("x"),
            "negations cancel"
        );
        assert_eq!(
            parse(&nested(MAX_DEPTH - 1, "-(")),
            Condition::Not(Box::new(words("x")))
        );
        for open in ["(", "-(", "NOT (", "tags:(", "unknown:(", "a OR ("] {
            assert_eq!(
                super::parse(&nested(MAX_DEPTH + 1, open)),
                Err(SyntaxError::TooDeep),
                "{open}"
            );
        }
        let unclosed = on_small_stack(|| super::parse(&"(".repeat(100_000)));
        assert_eq!(unclosed, Err(SyntaxError::TooDeep));
    }

    #[test]
    fn every_walk_over_the_deepest_condition_fits_a_small_stack() {
        // Three condition levels per group (any, every, not): the deepest shape accepted.
        let mut text = "x".to_owned();
        for _ in 0..MAX_DEPTH {
            text = format!("a b OR c -({text})");
        }
        let hits = on_small_stack(move || {
            let condition = super::parse(&text).unwrap();
            let mut ranking = String::new();
            condition.ranking_text(&mut ranking);
            assert!(condition.has_text());
            assert_eq!(condition.clauses(), 3 * MAX_DEPTH + 1);
            let search = Search::new(condition.clone());
            crate::search::cache::key(1, &search, "");
            let index = SearchIndex::in_memory().unwrap();
            let hits = index.search(&search).unwrap();
            drop((condition, search));
            hits.count
        });
        assert_eq!(hits, 0);
    }

    #[test]
    fn ranges_open_at_both_ends_match_everything() {
        assert_eq!(parse("metadata_modified:[* TO *]"), Condition::All);
        assert_eq!(parse("metadata_created:{* TO *}"), Condition::All);
        assert!(matches!(
            parse("metadata_modified:[2026-01-01 TO 2020-01-01]"),
            Condition::Range(_, Some(from), Some(to)) if from > to
        ));
        assert_eq!(bound("NOW-99999999YEARS"), None);
        assert_eq!(bound("NOW-99999999999999999999DAYS"), None);
        assert_eq!(bound("NOWé"), None);
        assert_eq!(bound("NOW-"), None);
    }
}
