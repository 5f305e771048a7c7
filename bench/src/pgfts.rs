//! PostgreSQL full-text search on the same corpus, as a CKAN site without Solr
//! would do it (ckanext-pgsearch style): title, notes, tags and organisation
//! in a weighted `tsvector` of `unaccent`ed text, a GIN index,
//! `websearch_to_tsquery` on the unaccented query, `ts_rank` order with
//! `LIMIT 10`, and the three facet counts by `GROUP BY` over the matching set,
//! all in one prepared statement per query shape (one round trip, as kind to
//! PostgreSQL as it gets). Runs in a scratch database that it creates and drops.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};
use serde_json::Value;

use crate::search::{Filter, SearchQuery};

/// The scratch database.
pub const DB_NAME: &str = "dp_bench_fts";

/// A loaded and indexed scratch database.
pub struct PgFts {
    client: Client,
    admin_url: String,
    statements: HashMap<(bool, u8), Statement>,
    /// Rows loaded.
    pub rows: u64,
    /// Time to COPY the corpus in.
    pub load_time: Duration,
    /// Time to build the tsvectors and the GIN index (and ANALYZE).
    pub index_time: Duration,
    /// Size of the GIN index.
    pub gin_bytes: u64,
    /// Size of the searched table.
    pub table_bytes: u64,
}

/// One answer: the number of matches (the page and facets are fetched too).
pub struct Answer {
    /// Matching datasets.
    pub count: u64,
}

/// `base` (server URL, no database) with `/db` appended.
pub fn url_for(base: &str, db: &str) -> String {
    let base = base.trim_end_matches('/');
    // Drop a database already named in the URL.
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    format!("{base}/{db}")
}

/// A value escaped for COPY's text format.
pub fn copy_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// One COPY line (tab-separated, newline-terminated) for a package dict:
/// name, title, notes, tags, organisation slug and title, groups and formats
/// (space-separated), private.
pub fn copy_line(dict: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let names = |list: &Value, key: &str| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item[key].as_str())
            .map(str::to_string)
            .collect()
    };
    let mut formats: Vec<String> = names(&dict["resources"], "format")
        .into_iter()
        .filter(|f| !f.is_empty())
        .map(|f| f.to_uppercase())
        .collect();
    formats.sort();
    formats.dedup();
    let fields = [
        text(&dict["name"]),
        text(&dict["title"]),
        text(&dict["notes"]),
        names(&dict["tags"], "name").join(" "),
        text(&dict["organization"]["name"]),
        text(&dict["organization"]["title"]),
        names(&dict["groups"], "name").join(" "),
        formats.join(" "),
        dict["private"].as_bool().unwrap_or(false).to_string(),
    ];
    let mut line = fields.map(|f| copy_escape(&f)).join("\t");
    line.push('\n');
    line
}

/// The statement for a query shape: with or without text, and which filter
/// (0 none, 1 organisation, 2 group, 3 format).
pub fn sql(text: bool, filter: u8) -> String {
    let mut from = String::from("fts_docs d");
    let mut conds = vec!["NOT d.private".to_string()];
    let mut rank = "0::real";
    let mut param = 1;
    if text {
        from.push_str(", websearch_to_tsquery('simple', unaccent($1)) query");
        conds.push("d.tsv @@ query".into());
        rank = "ts_rank(d.tsv, query)";
        param = 2;
    }
    match filter {
        1 => conds.push(format!("d.organization = ${param}")),
        2 => conds.push(format!("${param} = ANY(d.groups)")),
        3 => conds.push(format!("${param} = ANY(d.formats)")),
        _ => {}
    }
    let facet = |expr: &str, from: &str| {
        format!(
            "(SELECT coalesce(json_object_agg(v, c), '{{}}') FROM \
             (SELECT {expr} AS v, count(*) AS c FROM {from} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50) f)"
        )
    };
    format!(
        "WITH m AS MATERIALIZED (SELECT d.name, d.title, d.organization, d.groups, d.formats, \
         {rank} AS rank FROM {from} WHERE {conds}) \
         SELECT json_build_object(\
         'count', (SELECT count(*) FROM m), \
         'results', (SELECT coalesce(json_agg(json_build_object('name', name, 'title', title)), '[]') FROM \
         (SELECT name, title FROM m ORDER BY rank DESC, name LIMIT 10) r), \
         'organization', {org}, 'groups', {groups}, 'res_format', {formats})::text",
        conds = conds.join(" AND "),
        org = facet("m.organization", "m"),
        groups = facet("g", "m, unnest(m.groups) g"),
        formats = facet("f", "m, unnest(m.formats) f"),
    )
}

impl PgFts {
    /// Creates the scratch database (dropping a leftover one), loads the
    /// corpus and indexes it.
    pub fn setup(base_url: &str, corpus: &Path) -> Result<PgFts> {
        let admin_url = url_for(base_url, "postgres");
        let mut admin = Client::connect(&admin_url, NoTls)
            .with_context(|| format!("connecting to {admin_url}"))?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))?;
        admin.batch_execute(&format!("CREATE DATABASE {DB_NAME}"))?;
        drop(admin);
        let url = url_for(base_url, DB_NAME);
        let client =
            Client::connect(&url, NoTls).with_context(|| format!("connecting to {url}"))?;
        let mut pg = PgFts {
            client,
            admin_url,
            statements: HashMap::new(),
            rows: 0,
            load_time: Duration::ZERO,
            index_time: Duration::ZERO,
            gin_bytes: 0,
            table_bytes: 0,
        };
        if let Err(e) = pg.load(corpus) {
            let _ = pg.drop_database();
            return Err(e);
        }
        Ok(pg)
    }

    fn load(&mut self, corpus: &Path) -> Result<()> {
        self.client
            .batch_execute("CREATE EXTENSION unaccent")
            .context("CREATE EXTENSION unaccent (is postgresql-contrib installed?)")?;
        self.client.batch_execute(
            "CREATE UNLOGGED TABLE fts_raw (name text, title text, notes text, tags text, \
             org text, org_title text, groups text, formats text, private boolean)",
        )?;
        let started = Instant::now();
        let file = File::open(corpus).with_context(|| format!("opening {}", corpus.display()))?;
        let mut writer = self.client.copy_in("COPY fts_raw FROM STDIN")?;
        let mut rows = 0;
        for line in BufReader::new(file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let dict: Value = serde_json::from_str(&line).context("a corpus line")?;
            writer.write_all(copy_line(&dict).as_bytes())?;
            rows += 1;
        }
        writer.finish().context("COPY fts_raw")?;
        self.rows = rows;
        self.load_time = started.elapsed();

        let started = Instant::now();
        self.client.batch_execute(
            "CREATE TABLE fts_docs AS SELECT name, title, org AS organization, \
             string_to_array(groups, ' ') AS groups, string_to_array(formats, ' ') AS formats, \
             private, \
             setweight(to_tsvector('simple', unaccent(title)), 'A') || \
             setweight(to_tsvector('simple', unaccent(notes)), 'B') || \
             setweight(to_tsvector('simple', unaccent(tags)), 'B') || \
             setweight(to_tsvector('simple', unaccent(org_title)), 'C') AS tsv \
             FROM fts_raw; \
             CREATE INDEX fts_docs_tsv ON fts_docs USING gin (tsv); \
             DROP TABLE fts_raw;",
        )?;
        self.client.batch_execute("VACUUM ANALYZE fts_docs")?;
        self.index_time = started.elapsed();
        let row = self.client.query_one(
            "SELECT pg_relation_size('fts_docs_tsv'), pg_total_relation_size('fts_docs') \
             - pg_indexes_size('fts_docs')",
            &[],
        )?;
        self.gin_bytes = row.get::<_, i64>(0).max(0) as u64;
        self.table_bytes = row.get::<_, i64>(1).max(0) as u64;
        Ok(())
    }

    /// Runs one query: page of 10 by rank, count and the three facets.
    pub fn search(&mut self, query: &SearchQuery) -> Result<Answer> {
        let (kind, value) = match &query.filter {
            None => (0u8, ""),
            Some(Filter::Organization(v)) => (1, *v),
            Some(Filter::Group(v)) => (2, *v),
            Some(Filter::Format(v)) => (3, *v),
        };
        let text = !query.text.trim().is_empty();
        let key = (text, kind);
        if !self.statements.contains_key(&key) {
            let stmt = self.client.prepare(&sql(text, kind))?;
            self.statements.insert(key, stmt);
        }
        let stmt = &self.statements[&key];
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let text_param = query.text;
        if text {
            params.push(&text_param);
        }
        if kind != 0 {
            params.push(&value);
        }
        let row = self.client.query_one(stmt, &params)?;
        let json: String = row.get(0);
        let v: Value = serde_json::from_str(&json)?;
        let count = v["count"]
            .as_u64()
            .ok_or_else(|| anyhow!("no count in {json}"))?;
        Ok(Answer { count })
    }

    /// Drops the scratch database.
    pub fn teardown(self) -> Result<()> {
        self.drop_database()
    }

    fn drop_database(self) -> Result<()> {
        let PgFts {
            client, admin_url, ..
        } = self;
        drop(client);
        let mut admin = Client::connect(&admin_url, NoTls)?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls() {
        assert_eq!(
            url_for("postgres://postgres@127.0.0.1:5432", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            url_for("postgres://postgres@127.0.0.1:5432/other/", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
    }

    #[test]
    fn copy_lines_escape_and_flatten() {
        assert_eq!(copy_escape("a\tb\\c\nd\re"), "a\\tb\\\\c\\nd\\re");
        let dict = json!({
            "name": "gia-dat", "title": "Giá đất", "notes": "dòng 1\ndòng 2",
            "tags": [{"name": "giá đất"}, {"name": "bản đồ"}],
            "organization": {"name": "so-tai-chinh", "title": "Sở Tài chính"},
            "groups": [{"name": "tai-chinh"}, {"name": "dia-phuong"}],
            "resources": [{"format": "csv"}, {"format": "XLSX"}, {"format": "CSV"}, {"format": ""}],
        });
        assert_eq!(
            copy_line(&dict),
            "gia-dat\tGiá đất\tdòng 1\\ndòng 2\tgiá đất bản đồ\tso-tai-chinh\tSở Tài chính\t\
             tai-chinh dia-phuong\tCSV XLSX\tfalse\n"
        );
    }

    #[test]
    fn sql_shapes_number_their_parameters() {
        let s = sql(true, 1);
        assert!(s.contains("unaccent($1)") && s.contains("d.organization = $2"));
        let s = sql(false, 3);
        assert!(!s.contains("$2") && s.contains("$1 = ANY(d.formats)"));
        assert!(!sql(false, 0).contains('$'));
        assert!(sql(true, 0).contains("LIMIT 10"));
    }
}
