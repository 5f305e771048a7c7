//! The JSON-lines file source of `dataportal import`: one CKAN package dict per line.

use std::io::BufRead;

use anyhow::Context;
use serde_json::Value;

use super::Source;
use crate::catalog::Dict;

/// The lines of a file, gathered as bytes (a line that is not UTF-8, from a dump saved in
/// Windows-1258 say, is reported as failed instead of ending the import) and fetched by
/// parsing them.
pub struct JsonLines<R> {
    lines: std::iter::Enumerate<std::io::Split<R>>,
}

impl<R: BufRead> JsonLines<R> {
    /// Reads `reader` line by line.
    pub fn new(reader: R) -> JsonLines<R> {
        JsonLines {
            lines: reader.split(b'\n').enumerate(),
        }
    }
}

impl<R: BufRead> Source for JsonLines<R> {
    type Item = Vec<u8>;

    fn gather(&mut self, max: usize) -> anyhow::Result<Vec<(usize, Vec<u8>)>> {
        let mut gathered = Vec::with_capacity(max);
        while gathered.len() < max {
            let Some((index, line)) = self.lines.next() else {
                break;
            };
            let line = line.with_context(|| format!("reading line {}", index + 1))?;
            if !line.trim_ascii().is_empty() {
                gathered.push((index + 1, line));
            }
        }
        Ok(gathered)
    }

    fn fetch(&mut self, line: Vec<u8>) -> Result<Dict, String> {
        let Ok(text) = String::from_utf8(line) else {
            return Err("Dòng không phải UTF-8: hãy lưu tệp với mã hóa UTF-8 / \
                        The line is not UTF-8: save the file as UTF-8"
                .to_owned());
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(e) => Err(format!("malformed JSON: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_gathered_in_batches_and_fetched_one_by_one() {
        let text: &[u8] = b"{\"name\": \"a\"}\n\n  \n[1]\n{oops\n\xe1\n{\"name\": \"b\"}";
        let mut source = JsonLines::new(text);
        let first = source.gather(3).unwrap();
        let second = source.gather(3).unwrap();
        assert!(source.gather(3).unwrap().is_empty());
        let positions: Vec<usize> = first.iter().chain(&second).map(|(p, _)| *p).collect();
        assert_eq!(positions, [1, 4, 5, 6, 7], "blank lines are skipped");
        let fetched: Vec<Result<Dict, String>> = first
            .into_iter()
            .chain(second)
            .map(|(_, line)| source.fetch(line))
            .collect();
        assert_eq!(fetched[0].as_ref().unwrap()["name"], "a");
        assert_eq!(fetched[1].as_ref().unwrap_err(), "not a JSON object");
        assert!(fetched[2]
            .as_ref()
            .unwrap_err()
            .starts_with("malformed JSON"));
        assert!(fetched[3].as_ref().unwrap_err().contains("UTF-8"));
        assert_eq!(fetched[4].as_ref().unwrap()["name"], "b");
    }
}
