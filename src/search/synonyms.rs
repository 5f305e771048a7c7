//! Synonym groups of public-administration terms (issue 13): "UBND" and "Ủy ban nhân dân",
//! "THCS" and "trung học cơ sở"... A search for one spelling of a group also finds the others.
//! The groups are data an administrator extends (`config/synonyms.txt`, read at start, with
//! the list shipped in the binary as default), applied at query time, so the index never
//! needs rebuilding for a new line.

use std::collections::HashMap;
use std::path::Path;

use super::analyzer;

/// The list shipped with the portal.
pub const DEFAULT: &str = include_str!("../../config/synonyms.txt");

/// Longest spelling, in folded terms, looked for at a position of a query.
const MAX_TERMS: usize = 8;

/// Synonym groups, each spelling as its folded terms ("UBND" -> ["ubnd"], "Ủy ban nhân dân"
/// -> ["uy", "ban", "nhan", "dan"]).
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
    /// Group of each spelling, by its terms joined with spaces.
    by_spelling: HashMap<String, usize>,
}

impl Synonyms {
    /// Groups from text: one group per line, spellings separated by `=`, `#` starts a comment.
    pub fn parse(text: &str) -> Synonyms {
        let mut folded = analyzer::folded();
        let mut synonyms = Synonyms::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let spellings: Vec<Vec<String>> = line
                .split('=')
                .map(|s| analyzer::terms(&mut folded, s))
                .filter(|terms| !terms.is_empty() && terms.len() <= MAX_TERMS)
                .collect();
            if spellings.len() < 2 {
                continue;
            }
            let group = synonyms.groups.len();
            for spelling in &spellings {
                synonyms.by_spelling.insert(spelling.join(" "), group);
            }
            synonyms.groups.push(spellings);
        }
        synonyms
    }

    /// The groups of a file, or the shipped list when there is no such file.
    pub fn load(path: &Path) -> anyhow::Result<Synonyms> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Synonyms::parse(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Synonyms::shipped()),
            Err(e) => Err(anyhow::Error::new(e).context(format!("reading {}", path.display()))),
        }
    }

    /// The list shipped with the portal.
    pub fn shipped() -> Synonyms {
        Synonyms::parse(DEFAULT)
    }

    /// Groups read.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True without any group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest spelling of a group that the folded terms start with: how many terms it
    /// takes and every spelling of its group.
    pub fn at(&self, terms: &[String]) -> Option<(usize, &[Vec<String>])> {
        (1..=terms.len().min(MAX_TERMS)).rev().find_map(|n| {
            let group = *self.by_spelling.get(&terms[..n].join(" "))?;
            Some((n, self.groups[group].as_slice()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        analyzer::terms(&mut analyzer::folded(), text)
    }

    #[test]
    fn an_acronym_and_its_spelled_out_form_find_each_other() {
        let synonyms = Synonyms::parse("# comment\nHĐND = Hội đồng nhân dân\nonly one\n");
        assert_eq!(synonyms.len(), 1);
        let (n, spellings) = synonyms.at(&folded("hđnd tỉnh")).unwrap();
        assert_eq!(n, 1);
        assert!(spellings.contains(&folded("hoi dong nhan dan")));
        let (n, spellings) = synonyms.at(&folded("Hội đồng nhân dân tỉnh")).unwrap();
        assert_eq!(n, 4);
        assert!(spellings.contains(&folded("HĐND")));
        assert!(synonyms.at(&folded("hội đồng")).is_none());
    }

    #[test]
    fn the_longest_spelling_wins() {
        let synonyms = Synonyms::parse("CCCD = căn cước công dân = căn cước\n");
        assert_eq!(synonyms.at(&folded("căn cước công dân")).unwrap().0, 4);
        assert_eq!(synonyms.at(&folded("căn cước xe")).unwrap().0, 2);
    }

    #[test]
    fn the_shipped_list_reads() {
        let synonyms = Synonyms::shipped();
        for acronym in [
            "UBND", "HĐND", "THPT", "THCS", "KCN", "CCN", "BHYT", "BHXH", "CCCD",
        ] {
            assert!(synonyms.at(&folded(acronym)).is_some(), "{acronym}");
        }
        for acronym in ["GPLX", "OCOP", "FDI"] {
            assert!(synonyms.at(&folded(acronym)).is_some(), "{acronym}");
        }
    }
}
