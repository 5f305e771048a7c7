//! Tables: CSV and TSV read from a bounded prefix, and the shape every tabular preview takes
//! (XLSX builds the same [`Table`] from its cells). The delimiter (`,` `;` tab `|`) is the one
//! that splits the first lines into the most regular rows; the first row is a header unless
//! it looks like the data under it (numbers under text headers say it is one); rows may be
//! ragged; columns whose every value is a number are right-aligned.

use super::encoding::{decode, Prefix};
use super::Limits;

/// A table as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The header row; empty when the file's first row is data.
    pub headers: Vec<String>,
    /// The rows shown, each as long as the widest (ragged rows padded with "").
    pub rows: Vec<Vec<String>>,
    /// Per column: true when every value in it is a number.
    pub right_aligned: Vec<bool>,
    /// True when the file has more rows than are shown.
    pub truncated: bool,
    /// Columns past the limit, not shown.
    pub hidden_columns: usize,
    /// XLSX: every sheet's name, the one shown first.
    pub sheets: Vec<String>,
    /// CSV: the encoding read (`UTF-8`, `windows-1258`, ...).
    pub encoding: Option<&'static str>,
    /// CSV: the delimiter found.
    pub delimiter: Option<char>,
}

/// The delimiters tried, in the order that breaks ties.
const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// The lines that decide the delimiter and the header.
const SAMPLE_ROWS: usize = 30;

/// The preview of a CSV or TSV prefix; `tab_first` when the file says it is TSV.
pub fn csv_table(prefix: &Prefix, tab_first: bool, limits: &Limits) -> Option<Table> {
    let decoded = decode(prefix);
    let text = decoded.text.as_str();
    if looks_binary(text) {
        return None;
    }
    let delimiter = find_delimiter(text, tab_first);
    // The header, the rows shown, and one more to learn whether there are more.
    let wanted = limits.max_rows + 2;
    let parsed = parse(text, delimiter, wanted, limits.max_cell_chars);
    let mut records = parsed.rows;
    if !prefix.complete && !parsed.last_row_ended && !records.is_empty() {
        // The prefix cut the last row short: show only whole rows.
        records.pop();
    }
    let more_in_file = !prefix.complete || !parsed.consumed_all;
    let mut table = Table::from_records(records, limits, more_in_file);
    table.encoding = Some(decoded.encoding.name());
    table.delimiter = Some(delimiter);
    Some(table)
}

impl Table {
    /// A table from raw records: decides the header, pads ragged rows, cuts to the limits.
    /// `more` says the source goes on past the records given.
    pub fn from_records(mut records: Vec<Vec<String>>, limits: &Limits, more: bool) -> Table {
        let has_header = records
            .first()
            .is_some_and(|first| looks_like_header(first, &records[1..]));
        let widest = records.iter().map(Vec::len).max().unwrap_or(0);
        let columns = widest.min(limits.max_columns);
        for record in &mut records {
            record.resize(columns, String::new());
        }
        let headers = if has_header {
            records.remove(0)
        } else {
            Vec::new()
        };
        let truncated = more || records.len() > limits.max_rows;
        records.truncate(limits.max_rows);
        let right_aligned = (0..columns)
            .map(|c| {
                let mut values = records
                    .iter()
                    .map(|r| r[c].trim())
                    .filter(|v| !v.is_empty());
                let mut any = false;
                let all = values.all(|v| {
                    any = true;
                    is_number(v)
                });
                any && all
            })
            .collect();
        Table {
            headers,
            rows: records,
            right_aligned,
            truncated,
            hidden_columns: widest - columns,
            sheets: Vec::new(),
            encoding: None,
            delimiter: None,
        }
    }
}

/// Text with NUL or many other control characters is no CSV (a binary file mislabelled).
fn looks_binary(text: &str) -> bool {
    let sample = text.chars().take(4096);
    let mut controls = 0;
    for c in sample {
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            controls += 1;
        }
    }
    controls > 32
}

/// The delimiter that splits the sample into the most rows of one width (wider wins ties).
pub(crate) fn find_delimiter(text: &str, tab_first: bool) -> char {
    let sample = match text.char_indices().nth(64 * 1024) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let mut best = (if tab_first { '\t' } else { ',' }, 0, 0);
    let order = if tab_first {
        ['\t', ',', ';', '|']
    } else {
        DELIMITERS
    };
    for delimiter in order {
        let rows = parse(sample, delimiter, SAMPLE_ROWS, 0).rows;
        let mut widths: Vec<usize> = rows.iter().map(Vec::len).filter(|w| *w > 1).collect();
        widths.sort_unstable();
        // The most common width, and how many rows have it.
        let (mut modal, mut agree) = (0, 0);
        for run in widths.chunk_by(|a, b| a == b) {
            if run.len() > agree || (run.len() == agree && run[0] > modal) {
                (modal, agree) = (run[0], run.len());
            }
        }
        if (agree, modal) > (best.1, best.2) {
            best = (delimiter, agree, modal);
        }
    }
    best.0
}

/// Records parsed from text.
struct Parsed {
    rows: Vec<Vec<String>>,
    /// True when the text held no more records than those returned.
    consumed_all: bool,
    /// True when the last record ended with a line break (not the end of the text).
    last_row_ended: bool,
}

/// RFC 4180 records, tolerant: quotes only open a field at its start, a stray quote inside a
/// field is text, blank lines are skipped. Fields are cut at `max_cell` characters (0: no cut).
fn parse(text: &str, delimiter: char, max_rows: usize, max_cell: usize) -> Parsed {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = Cell::new(max_cell);
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_untouched() => {
                in_quotes = true;
                field.quoted = true;
            }
            c if c == delimiter => {
                row.push(std::mem::replace(&mut field, Cell::new(max_cell)).done())
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::replace(&mut field, Cell::new(max_cell)).done());
                let blank = row.len() == 1 && row[0].is_empty();
                if !blank {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
                if rows.len() == max_rows {
                    return Parsed {
                        rows,
                        consumed_all: chars.peek().is_none(),
                        last_row_ended: true,
                    };
                }
            }
            c => field.push(c),
        }
    }
    let open = !row.is_empty() || !field.is_untouched();
    if open {
        row.push(field.done());
        rows.push(row);
    }
    Parsed {
        rows,
        consumed_all: true,
        last_row_ended: !open,
    }
}

/// A field being read, cut at a number of characters.
struct Cell {
    text: String,
    chars: usize,
    max: usize,
    quoted: bool,
}

impl Cell {
    fn new(max: usize) -> Cell {
        Cell {
            text: String::new(),
            chars: 0,
            max,
            quoted: false,
        }
    }

    fn push(&mut self, c: char) {
        self.chars += 1;
        if self.max == 0 || self.chars <= self.max {
            self.text.push(c);
        }
    }

    fn is_untouched(&self) -> bool {
        self.chars == 0 && !self.quoted
    }

    fn done(mut self) -> String {
        if self.max > 0 && self.chars > self.max {
            self.text.push('…');
        }
        self.text
    }
}

/// Whether the first row names the columns, after Python's `csv.Sniffer`: a column of numbers
/// under a header that is not one votes yes, under a number no; a column of values of one
/// length votes yes under a header of another length, no under a header found among them.
/// Without votes (text everywhere), a first row of distinct, non-empty names that do not recur
/// in their columns is taken as a header, as most published files have one.
pub fn looks_like_header(first: &[String], rest: &[Vec<String>]) -> bool {
    if first.is_empty() || rest.is_empty() {
        return false;
    }
    let sample = &rest[..rest.len().min(SAMPLE_ROWS)];
    let column = |c: usize| -> Vec<&str> {
        sample
            .iter()
            .filter_map(|r| r.get(c).map(|v| v.trim()))
            .filter(|v| !v.is_empty())
            .collect()
    };
    let mut votes = 0i32;
    for (c, head) in first.iter().enumerate() {
        let values = column(c);
        let head = head.trim();
        if values.is_empty() {
            continue;
        }
        if values.iter().all(|v| is_number(v)) {
            votes += if is_number(head) { -1 } else { 1 };
        } else if values.len() > 1 {
            let length = values[0].chars().count();
            if values.iter().all(|v| v.chars().count() == length) {
                if head.chars().count() != length {
                    votes += 1;
                } else if values.contains(&head) {
                    votes -= 1;
                }
            }
        }
    }
    if votes != 0 {
        return votes > 0;
    }
    let mut names: Vec<&str> = first.iter().map(|h| h.trim()).collect();
    let recurs = names
        .iter()
        .enumerate()
        .any(|(c, name)| column(c).contains(name));
    if recurs || names.iter().any(|n| n.is_empty() || is_number(n)) {
        return false;
    }
    names.sort_unstable();
    names.windows(2).all(|w| w[0] != w[1])
}

/// A number as published: `-12`, `1234.5`, `1,234.5`, `1.234,5` (Vietnamese), `12,5%`.
pub fn is_number(value: &str) -> bool {
    let v = value.trim();
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    let v = v.strip_suffix('%').unwrap_or(v).trim_end();
    if !v.starts_with(|c: char| c.is_ascii_digit()) || !v.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut previous_separator = false;
    for c in v.chars() {
        match c {
            '0'..='9' => previous_separator = false,
            '.' | ',' if !previous_separator => previous_separator = true,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    fn table(text: &str) -> Table {
        let prefix = Prefix {
            bytes: text.as_bytes().to_vec(),
            complete: true,
        };
        csv_table(&prefix, false, &limits()).unwrap()
    }

    #[test]
    fn each_delimiter_is_found() {
        for d in [",", ";", "\t", "|"] {
            let text = format!("Mã{d}Tên{d}Dân số\n1{d}Phường 1{d}1200\n2{d}Xã Bình Minh{d}980\n");
            let t = table(&text);
            assert_eq!(t.delimiter, Some(d.chars().next().unwrap()), "{d:?}");
            assert_eq!(t.headers, ["Mã", "Tên", "Dân số"]);
            assert_eq!(t.rows[1], ["2", "Xã Bình Minh", "980"]);
        }
    }

    #[test]
    fn decimal_commas_inside_semicolon_files_do_not_fool_the_delimiter() {
        let t = table("Huyện;Diện tích;Tỷ lệ\nGò Dầu;250,5;12,5%\nBến Cầu;233,1;11,2%\n");
        assert_eq!(t.delimiter, Some(';'));
        assert_eq!(t.rows[0], ["Gò Dầu", "250,5", "12,5%"]);
        assert_eq!(t.right_aligned, [false, true, true]);
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let t = table("ten,ghi_chu\n\"Sở Tài chính, Tây Ninh\",\"Nói \"\"có\"\"\nhai dòng\"\n");
        assert_eq!(t.rows[0][0], "Sở Tài chính, Tây Ninh");
        assert_eq!(t.rows[0][1], "Nói \"có\"\nhai dòng");
    }

    #[test]
    fn ragged_rows_are_padded_and_blank_lines_skipped() {
        let t = table("a,b,c\n1,2\n\n3,4,5,6\r\n7\n");
        assert_eq!(t.headers, ["a", "b", "c", ""]);
        assert_eq!(
            t.rows,
            [["1", "2", "", ""], ["3", "4", "5", "6"], ["7", "", "", ""]]
        );
    }

    #[test]
    fn a_first_row_of_data_is_not_taken_for_a_header() {
        let t = table("1,Phường 1,1200\n2,Phường 2,980\n3,Xã Long Chữ,1500\n");
        assert!(t.headers.is_empty());
        assert_eq!(t.rows.len(), 3);
        let texts = table("Tây Ninh,Long An\nGò Dầu,Bến Lức\n");
        assert_eq!(
            texts.headers,
            ["Tây Ninh", "Long An"],
            "text-only: a header"
        );
        // A column of one repeated value as long as its header's name.
        let wards = table("province,ward\nAn Giang,An Biên\nAn Giang,An Châu\nAn Giang,Ba Chúc\n");
        assert_eq!(wards.headers, ["province", "ward"]);
        let repeated = table("Tây Ninh,Gò Dầu\nTây Ninh,Bến Cầu\n");
        assert!(
            repeated.headers.is_empty(),
            "a first row that recurs below is data"
        );
    }

    #[test]
    fn only_the_first_rows_and_columns_are_kept() {
        let mut text = String::new();
        let header: Vec<String> = (0..60).map(|c| format!("cot{c}")).collect();
        text.push_str(&header.join(","));
        text.push('\n');
        for r in 0..150 {
            let row: Vec<String> = (0..60).map(|c| (r * 100 + c).to_string()).collect();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let t = table(&text);
        assert_eq!(t.rows.len(), 100);
        assert!(t.truncated);
        assert_eq!(t.headers.len(), 50);
        assert_eq!(t.hidden_columns, 10);
        assert!(t.right_aligned.iter().all(|r| *r));
        let small = table("a,b\n1,2\n");
        assert!(!small.truncated);
    }

    #[test]
    fn a_row_cut_by_the_prefix_is_not_shown() {
        let prefix = Prefix {
            bytes: b"ma,ten\n1,Phuong 1\n2,Phu".to_vec(),
            complete: false,
        };
        let t = csv_table(&prefix, false, &limits()).unwrap();
        assert_eq!(t.rows, [["1", "Phuong 1"]]);
        assert!(t.truncated);
    }

    #[test]
    fn tsv_and_windows_1258_read_as_vietnamese() {
        let text = "Mã\tTên đơn vị\tDân số\n1\tPhường Hòa Thành\t41253\n2\tXã Trường Đông\t18005\n";
        let prefix = Prefix {
            bytes: crate::preview::encoding::tests::windows_1258(text),
            complete: true,
        };
        let t = csv_table(&prefix, true, &limits()).unwrap();
        assert_eq!(t.encoding, Some("windows-1258"));
        assert_eq!(t.delimiter, Some('\t'));
        assert_eq!(t.rows[0][1], "Phường Hòa Thành");
        assert_eq!(t.rows[1][1], "Xã Trường Đông");
        assert_eq!(t.right_aligned, [true, false, true]);
    }

    #[test]
    fn binary_content_is_no_table() {
        let prefix = Prefix {
            bytes: b"PK\x03\x04\x14\0\0\0\x08\0binary".to_vec(),
            complete: true,
        };
        assert!(csv_table(&prefix, false, &limits()).is_none());
    }

    #[test]
    fn long_cells_are_cut() {
        let long = "x".repeat(2000);
        let t = table(&format!("a,b\n1,{long}\n"));
        assert_eq!(t.rows[0][1].chars().count(), limits().max_cell_chars + 1);
        assert!(t.rows[0][1].ends_with('…'));
    }

    #[test]
    fn numbers_as_published() {
        for yes in ["12", "-3", "1,234.5", "1.234,5", "12,5%", "+7"] {
            assert!(is_number(yes), "{yes}");
        }
        for no in ["", "1,,2", "12a", "Phường 1", "2025-01-01", ".5", "1."] {
            assert!(!is_number(no), "{no}");
        }
    }
}
