//! The index schema, in one place: text fields in an accent-keeping and an accent-folding copy,
//! keyword fields for filters and facets (fast, multi-valued), times for ranges and sorting.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, SchemaBuilder, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};

use super::analyzer::{BIGRAM, EXACT, FOLDED};

/// Keyword fields usable in `fq` and as facets, by their CKAN names.
pub const KEYWORD_FIELDS: &[&str] = &[
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "frequency",
    "state",
    "private",
    "owner_org",
    "creator_user_id",
    "spatial_code",
    "name",
    "place",
];

/// Fields a `field:value` query searches as text (words, not whole values).
pub const TEXT_QUERY_FIELDS: &[&str] = &[
    "title",
    "text",
    "notes",
    "title_en",
    "notes_en",
    "res_name",
    "res_description",
];

/// Time fields usable in range queries and sorting.
pub const TIME_FIELDS: &[&str] = &["metadata_modified", "metadata_created"];

/// Handles to every field.
#[derive(Clone)]
pub struct Fields {
    /// Dataset id (stored, for suggestions).
    pub id: Field,
    /// The whole dataset dict as compact JSON, stored only: result pages come from here.
    pub dict: Field,
    /// "true" for active public datasets: what anonymous visitors may see, as one term.
    pub public: Field,
    /// Title, accents kept.
    pub title: Field,
    /// Title, folded.
    pub title_folded: Field,
    /// Everything else searchable, accents kept.
    pub body: Field,
    /// Title and everything else searchable, folded: what every searched word must match.
    pub all_folded: Field,
    /// Folded syllable pairs of title and body.
    pub bigrams: Field,
    /// Lowercased folded title, for `title_string` sorting.
    pub title_sort: Field,
    /// Creation time, microseconds since the epoch.
    pub metadata_created: Field,
    /// Last change, microseconds since the epoch.
    pub metadata_modified: Field,
    /// Keyword fields, in `KEYWORD_FIELDS` order.
    pub keywords: Vec<Field>,
}

impl Fields {
    /// The keyword field with a CKAN name.
    pub fn keyword(&self, name: &str) -> Option<Field> {
        KEYWORD_FIELDS
            .iter()
            .position(|k| *k == name)
            .map(|i| self.keywords[i])
    }
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut builder = SchemaBuilder::new();
    let times = NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        dict: builder.add_text_field("dict", STORED),
        public: builder.add_text_field("public", STRING),
        title: builder.add_text_field("title", text(EXACT, false)),
        title_folded: builder.add_text_field("title_folded", text(FOLDED, false)),
        body: builder.add_text_field("body", text(EXACT, false)),
        all_folded: builder.add_text_field("all_folded", text(FOLDED, false)),
        bigrams: builder.add_text_field("bigrams", text(BIGRAM, false)),
        title_sort: builder.add_text_field("title_sort", STRING | FAST),
        metadata_created: builder.add_i64_field("metadata_created", times.clone()),
        metadata_modified: builder.add_i64_field("metadata_modified", times),
        keywords: KEYWORD_FIELDS
            .iter()
            .map(|name| builder.add_text_field(name, STRING | FAST))
            .collect(),
    };
    (builder.build(), fields)
}
