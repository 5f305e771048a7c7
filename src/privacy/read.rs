//! Reading tables row by row for the scan: CSV decoded as a stream (the encoding and the
//! delimiter decided on the first 64 KiB, as the preview decides them) and parsed by the `csv`
//! crate one record at a time; XLSX sheets read cell by cell with calamine. Nothing holds more
//! than a row, the columns' tallies and the decoder's buffers.

use std::borrow::Cow;
use std::io::{Read, Seek};

use calamine::{Reader, Xlsx};
use encoding_rs::{CoderResult, Decoder, Encoding};

use super::columns::{self, Column};
use super::{detect, Bounds, FileScan};
use crate::preview::encoding::{decode, read_prefix};
use crate::preview::table::find_delimiter;

/// Bytes that decide a CSV's encoding and delimiter.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Characters of a cell read (longer cells are notes, read in part).
const MAX_CELL_CHARS: usize = 2000;

/// The columns of one table, made from its first row.
struct Table {
    columns: Vec<Column>,
    max_columns: usize,
    year: u16,
}

impl Table {
    fn new(max_columns: usize, year: u16) -> Table {
        Table {
            columns: Vec::new(),
            max_columns,
            year,
        }
    }

    /// Reads one row (`row` 1-based); the first row also names the columns, unless a value
    /// of it is itself personal data (a file without a header: its first row never becomes a
    /// label, which is shown unmasked).
    fn row<'a>(&mut self, row: u64, cells: impl Iterator<Item = (usize, &'a str)>) {
        for (index, raw) in cells {
            if index >= self.max_columns {
                break;
            }
            // ASCII is already NFC: only Vietnamese text pays for normalising.
            let cell: Cow<'_, str> = if raw.is_ascii() {
                Cow::Borrowed(raw)
            } else {
                Cow::Owned(crate::text::nfc(raw))
            };
            while self.columns.len() <= index {
                let header = if row == 1 && is_label(&cell, self.year) {
                    cell.as_ref()
                } else {
                    ""
                };
                self.columns.push(Column::new(header));
            }
            self.columns[index].read(row, &cell, self.year);
        }
    }
}

/// True when a first-row value may be shown as a column's label.
fn is_label(cell: &str, year: u16) -> bool {
    detect::hits(cell, columns::Evidence::default(), year).is_empty()
        && !columns::looks_like_name(cell)
}

/// Scans a CSV; None when it is not text.
pub fn csv(
    mut file: std::fs::File,
    tab_first: bool,
    bounds: &Bounds,
    year: u16,
) -> std::io::Result<Option<FileScan>> {
    let size = file.metadata()?.len();
    let prefix = read_prefix(&mut file, SAMPLE_BYTES)?;
    let sample = decode(&prefix);
    if sample.text.contains('\0') {
        return Ok(None);
    }
    let delimiter = find_delimiter(&sample.text, tab_first);
    file.rewind()?;
    let mut limited = file.take(bounds.max_bytes);
    let decoding = Decoding::new(&mut limited, sample.encoding);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(u8::try_from(delimiter).unwrap_or(b','))
        .from_reader(decoding);
    let mut table = Table::new(bounds.max_columns, year);
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    let mut ended = false;
    while rows < bounds.max_rows {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                ended = true;
                break;
            }
            // Only I/O can fail here: the decoder's output is always UTF-8.
            Err(e) => return Err(std::io::Error::other(e)),
        }
        rows += 1;
        let cells = record
            .iter()
            .map(|cell| match cell.char_indices().nth(MAX_CELL_CHARS) {
                Some((end, _)) => &cell[..end],
                None => cell,
            })
            .enumerate();
        table.row(rows, cells);
    }
    let complete = ended && size <= bounds.max_bytes;
    Ok(Some(FileScan {
        findings: columns::findings(table.columns, None),
        rows,
        complete,
    }))
}

/// Scans every sheet of a workbook; None when it is no XLSX.
pub fn xlsx(reader: impl Read + Seek, bounds: &Bounds, year: u16) -> Option<FileScan> {
    let mut workbook = Xlsx::new(reader).ok()?;
    let mut findings = Vec::new();
    let mut rows = 0u64;
    let mut complete = true;
    for sheet in workbook.sheet_names() {
        let mut reader = workbook.worksheet_cells_reader(&sheet).ok()?;
        let mut table = Table::new(bounds.max_columns, year);
        let mut current: Option<u32> = None;
        let mut row_cells: Vec<(usize, String)> = Vec::new();
        let mut first_row = None;
        let mut flush = |table: &mut Table, at: Option<u32>, cells: &mut Vec<(usize, String)>| {
            if let Some(at) = at {
                let top = *first_row.get_or_insert(at);
                table.row(
                    u64::from(at - top) + 1,
                    cells.iter().map(|(c, v)| (*c, v.as_str())),
                );
            }
            cells.clear();
        };
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(_) => return None,
            };
            let (row, column) = cell.get_position();
            if current != Some(row) {
                flush(&mut table, current, &mut row_cells);
                if rows >= bounds.max_rows {
                    complete = false;
                    break;
                }
                rows += 1;
                current = Some(row);
            }
            let value = crate::preview::xlsx::text(cell.get_value(), MAX_CELL_CHARS);
            if !value.is_empty() {
                row_cells.push((column as usize, value));
            }
        }
        flush(&mut table, current, &mut row_cells);
        findings.extend(columns::findings(table.columns, Some(&sheet)));
        if !complete {
            break;
        }
    }
    Some(FileScan {
        findings,
        rows,
        complete,
    })
}

/// A reader of UTF-8 decoded from another encoding as it is read (encoding_rs streams; its
/// `encoding_rs_io` adapter would be one more crate for these forty lines).
struct Decoding<R> {
    inner: R,
    decoder: Decoder,
    /// Bytes read and not yet decoded.
    pending: Vec<u8>,
    /// Decoded bytes, served from `served`.
    out: Vec<u8>,
    served: usize,
    eof: bool,
    finished: bool,
}

impl<R: Read> Decoding<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Decoding<R> {
        Decoding {
            inner,
            // The BOM was seen by the sample: removed here, not read as text.
            decoder: encoding.new_decoder_with_bom_removal(),
            pending: Vec::with_capacity(SAMPLE_BYTES),
            out: Vec::new(),
            served: 0,
            eof: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.served < self.out.len() {
                let n = buf.len().min(self.out.len() - self.served);
                buf[..n].copy_from_slice(&self.out[self.served..self.served + n]);
                self.served += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.pending.is_empty() && !self.eof {
                let mut chunk = [0u8; 16 * 1024];
                let n = self.inner.read(&mut chunk)?;
                if n == 0 {
                    self.eof = true;
                }
                self.pending.extend_from_slice(&chunk[..n]);
            }
            self.out.resize(3 * self.pending.len().max(16) + 16, 0);
            let (result, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.pending, &mut self.out, self.eof);
            self.pending.drain(..read);
            self.out.truncate(written);
            self.served = 0;
            if self.eof && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}
