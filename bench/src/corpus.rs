//! Scaling the 320-record Tây Ninh fixture catalogue to any number of
//! realistic CKAN package dicts.
//!
//! Record `i` is built from fixture record `i % 320` (its "template") and a
//! variant number `k = i / 320`. Variant 0 is the template itself; later
//! variants move the data back in time (years in titles, notes, resources and
//! temporal coverage) and/or narrow it to one of the 96 communes/wards, the
//! way a real provincial catalogue grows: yearly editions and per-commune
//! tables of the same dataset. Names stay unique (checked; a clash becomes a
//! further issue, "-dot-N" / "(đợt N)") and the output depends only on the seed.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::places::TAY_NINH_PLACES;
use crate::text::{first_year, has_year, shift_date, shift_years, slugify, truncate_slug};

/// One line of `tay-ninh-catalogue.jsonl` (see ../shared/data/README.md).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureRecord {
    /// URL slug of the dataset.
    pub name: String,
    /// Vietnamese title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub notes: String,
    /// Slug of the publishing department.
    pub organization: String,
    /// Display name of the publishing department.
    pub organization_title: String,
    /// Theme slugs (the 12 national themes).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Free-text keywords.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Licence id; some fixture records leave it empty on purpose.
    #[serde(default)]
    pub license_id: Option<String>,
    /// Update frequency (daily, monthly, annual, irregular, ...).
    #[serde(default)]
    pub frequency: Option<String>,
    /// Place covered ("Toàn tỉnh" or a commune/ward name).
    #[serde(default)]
    pub spatial: Option<String>,
    /// Start of temporal coverage, YYYY-MM-DD.
    #[serde(default)]
    pub temporal_start: Option<String>,
    /// End of temporal coverage, YYYY-MM-DD.
    #[serde(default)]
    pub temporal_end: Option<String>,
    /// Distributions.
    #[serde(default)]
    pub resources: Vec<FixtureResource>,
}

/// One resource of a fixture record.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureResource {
    /// Display name.
    pub name: String,
    /// File format (CSV, XLSX, PDF, ...).
    #[serde(default)]
    pub format: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Download URL (illustrative, not live).
    #[serde(default)]
    pub url: String,
}

/// Reads the fixture catalogue, one JSON object per line.
pub fn load_fixture(path: &Path) -> Result<Vec<FixtureRecord>> {
    let file = File::open(path).with_context(|| format!("opening fixture {}", path.display()))?;
    let mut records = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: FixtureRecord = serde_json::from_str(&line)
            .with_context(|| format!("{} line {}: not a fixture record", path.display(), n + 1))?;
        records.push(record);
    }
    if records.is_empty() {
        bail!("fixture {} holds no records", path.display());
    }
    Ok(records)
}

/// Longest dataset name CKAN (and our server) accepts.
const MAX_NAME: usize = 100;

/// Number of year editions per (template, place): the template's own year plus
/// this many earlier years.
const YEAR_SHIFTS: u64 = 20;

/// The year appended to titles that carry none, counted back from this one.
const LATEST_YEAR: u32 = 2026;

/// Deterministic generator of CKAN package dicts; see the module docs.
pub struct Generator {
    fixture: Vec<FixtureRecord>,
    seed: u64,
    /// Communes/wards in a seed-dependent order, so different seeds spread the
    /// generated datasets over different places.
    places: Vec<(&'static str, &'static str)>,
    next_index: u64,
    seen: HashSet<String>,
}

impl Generator {
    /// A generator over `fixture` (which must not be empty) for `seed`.
    pub fn new(fixture: Vec<FixtureRecord>, seed: u64) -> Result<Self> {
        if fixture.is_empty() {
            bail!("the corpus generator needs at least one fixture record");
        }
        let mut places = TAY_NINH_PLACES.to_vec();
        places.shuffle(&mut StdRng::seed_from_u64(seed));
        Ok(Self {
            fixture,
            seed,
            places,
            next_index: 0,
            seen: HashSet::new(),
        })
    }

    /// The next package dict; names never repeat within one generator.
    pub fn next_dataset(&mut self) -> Value {
        let i = self.next_index;
        self.next_index += 1;
        let len = self.fixture.len() as u64;
        let template = &self.fixture[(i % len) as usize];
        let variant = i / len;
        // A per-record RNG keeps record i identical whatever else is generated.
        let mut rng = StdRng::seed_from_u64(self.seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut dataset = build_variant(template, variant, &self.places, &mut rng);
        let (name, issue) = unique_name(&mut self.seen, &dataset.name);
        if let Some(n) = issue {
            // Another template already made this edition (the fixture holds
            // several years of some series): publish it as a further issue.
            dataset.title = format!("{} (đợt {n})", dataset.title);
        }
        dataset.name = name;
        dataset.into_json(template)
    }
}

/// `name`, or `name-dot-N` with the smallest free N ≥ 2 (returned too); the
/// result is recorded in `seen`.
fn unique_name(seen: &mut HashSet<String>, name: &str) -> (String, Option<u64>) {
    let mut candidate = name.to_string();
    let mut issue = None;
    let mut n = 2;
    while seen.contains(&candidate) {
        let suffix = format!("-dot-{n}");
        candidate = format!("{}{suffix}", truncate_slug(name, MAX_NAME - suffix.len()));
        issue = Some(n);
        n += 1;
    }
    seen.insert(candidate.clone());
    (candidate, issue)
}

/// The fields of one generated dataset that differ from its template.
struct Variant {
    name: String,
    title: String,
    notes: String,
    tags: Vec<String>,
    spatial: Option<String>,
    temporal_start: Option<String>,
    temporal_end: Option<String>,
    resources: Vec<FixtureResource>,
}

/// Builds variant `k` of `t`: `k` selects a year edition, a place and, past
/// all combinations, an issue number ("đợt").
fn build_variant(t: &FixtureRecord, k: u64, places: &[(&str, &str)], rng: &mut StdRng) -> Variant {
    let editions = YEAR_SHIFTS + 1;
    let combos = editions * (places.len() as u64 + 1);
    let back = (k % editions) as u32;
    let place = ((k / editions) % (places.len() as u64 + 1)) as usize;
    let issue = k / combos;

    let mut v = Variant {
        name: t.name.clone(),
        title: t.title.clone(),
        notes: t.notes.clone(),
        tags: t.tags.clone(),
        spatial: t.spatial.clone(),
        temporal_start: t.temporal_start.clone(),
        temporal_end: t.temporal_end.clone(),
        resources: t.resources.clone(),
    };
    let mut suffix = String::new();

    if back > 0 {
        if has_year(&t.title) {
            // A dated series: the same dataset for an earlier year.
            v.title = shift_years(&t.title, back);
            v.notes = shift_years(&t.notes, back);
            v.name = shift_years(&t.name, back);
            v.tags = t.tags.iter().map(|tag| shift_years(tag, back)).collect();
            v.temporal_start = t.temporal_start.as_deref().map(|d| shift_date(d, back));
            v.temporal_end = t.temporal_end.as_deref().map(|d| shift_date(d, back));
            for r in &mut v.resources {
                r.name = shift_years(&r.name, back);
                r.description = shift_years(&r.description, back);
            }
            if v.name == t.name {
                // The year is in the title but not in the (truncated) name.
                suffix.push_str(&format!("-nam-{}", LATEST_YEAR - back));
            }
        } else {
            // An undated dataset published as a yearly snapshot.
            let year = LATEST_YEAR - back;
            v.title = format!("{} năm {year}", t.title);
            v.notes = format!("{} Số liệu năm {year}.", t.notes);
            v.temporal_start = Some(format!("{year}-01-01"));
            v.temporal_end = Some(format!("{year}-12-31"));
            suffix.push_str(&format!("-nam-{year}"));
        }
        if let Some(year) = first_year(&v.title).filter(|_| rng.gen_bool(0.5)) {
            v.tags.push(format!("năm {year}"));
        }
    }

    if place > 0 {
        let (kind, ward) = places[place - 1];
        let place_text = format!("{} {ward}", kind.to_lowercase());
        localise(&mut v, t, &place_text, &mut suffix);
        v.notes = format!("{} Phạm vi: {place_text}, tỉnh Tây Ninh.", v.notes);
        v.spatial = Some(ward.to_string());
        v.tags.push(ward.to_string());
    }

    if issue > 0 {
        v.title = format!("{} (đợt {})", v.title, issue + 1);
        suffix.push_str(&format!("-dot-{}", issue + 1));
    }

    // Real catalogues are inconsistent about keywords: drop one now and then
    // and vary their order, without losing the fixture's search traps often.
    if v.tags.len() > 2 && rng.gen_bool(0.2) {
        let drop = rng.gen_range(0..v.tags.len());
        v.tags.remove(drop);
    }
    v.tags.shuffle(rng);
    let mut seen = HashSet::new();
    v.tags.retain(|tag| seen.insert(tag.to_lowercase()));

    v.name = format!(
        "{}{suffix}",
        truncate_slug(&v.name, MAX_NAME - suffix.len())
    );
    v
}

/// Narrows a variant to one commune/ward: replaces the template's own place
/// ("phường Hòa Thành") when its title names one, else appends the place.
fn localise(v: &mut Variant, t: &FixtureRecord, place_text: &str, suffix: &mut String) {
    let own = t.spatial.as_deref().filter(|s| *s != "Toàn tỉnh");
    let old = own.and_then(|s| {
        ["phường", "xã", "Phường", "Xã"]
            .iter()
            .map(|kind| format!("{kind} {s}"))
            .find(|candidate| v.title.contains(candidate.as_str()))
    });
    let old_slug = old.as_deref().map(slugify);
    match (old, old_slug) {
        (Some(old), Some(old_slug)) if v.name.contains(&old_slug) => {
            v.title = v.title.replace(&old, place_text);
            v.notes = v.notes.replace(&old, place_text);
            v.name = v.name.replace(&old_slug, &slugify(place_text));
        }
        _ => {
            v.title = format!("{} – {place_text}", v.title);
            suffix.push('-');
            suffix.push_str(&slugify(place_text));
        }
    }
}

impl Variant {
    /// The CKAN package dict, in the shape `package_create` and
    /// `dataportal import` accept.
    fn into_json(self, t: &FixtureRecord) -> Value {
        let resources: Vec<Value> = self
            .resources
            .iter()
            .map(|r| {
                json!({
                    "name": r.name,
                    "format": r.format,
                    "description": r.description,
                    // Fixture URLs embed the dataset name; keep them plausible.
                    "url": r.url.replace(&format!("/dataset/{}/", t.name), &format!("/dataset/{}/", self.name)),
                })
            })
            .collect();
        json!({
            "name": self.name,
            "title": self.title,
            "notes": self.notes,
            "owner_org": t.organization,
            "organization": {"name": t.organization, "title": t.organization_title},
            "private": false,
            "license_id": t.license_id.clone().unwrap_or_default(),
            "tags": self.tags.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
            "groups": t.groups.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
            "frequency": t.frequency,
            "spatial_name": self.spatial,
            "temporal_start": self.temporal_start,
            "temporal_end": self.temporal_end,
            "resources": resources,
        })
    }
}

/// Writes `count` generated datasets to `out` as JSONL and returns their names
/// in order, so callers can pick existing datasets without re-reading the file.
pub fn write_corpus(gen: &mut Generator, count: u64, out: &Path) -> Result<Vec<String>> {
    let file = File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = BufWriter::new(file);
    let mut names = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let dataset = gen.next_dataset();
        serde_json::to_writer(&mut w, &dataset).context("serialising a dataset")?;
        w.write_all(b"\n")
            .with_context(|| format!("writing {}", out.display()))?;
        if let Some(name) = dataset["name"].as_str() {
            names.push(name.to_string());
        }
    }
    w.flush()
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(names)
}

#[cfg(test)]
#[path = "corpus_tests.rs"]
mod tests;
