//! What a batch of the import reads once instead of once per record: the stored datasets
//! its records name, and the lookups of validation answered from them.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;

use crate::catalog::datasets::validate::Lookups;
use crate::catalog::datasets::{self, Current};
use crate::db::models::DatasetRow;
use crate::db::schema::datasets as datasets_table;
use crate::db::{rows_per_statement, DbConnection};
use crate::error::AppResult;

/// The stored datasets a batch names, read with one query.
pub(super) struct Stored {
    /// By the name the record gives (matched as a name, else as an id), with their dicts.
    pub(super) current: HashMap<String, Current>,
    /// Who holds each looked-up name (None: nobody).
    pub(super) holders: HashMap<String, Option<String>>,
}

impl Stored {
    /// Reads the datasets named (by name or id) by `names`; their dicts too when they are to
    /// be updated (the history records what changed).
    pub(super) fn load(
        conn: &mut DbConnection,
        names: &[&str],
        with_dicts: bool,
    ) -> AppResult<Stored> {
        let mut rows: Vec<DatasetRow> = Vec::new();
        for chunk in names.chunks(rows_per_statement(2)) {
            rows.extend(
                datasets_table::table
                    .filter(
                        datasets_table::name
                            .eq_any(chunk)
                            .or(datasets_table::id.eq_any(chunk)),
                    )
                    .select(DatasetRow::as_select())
                    .load::<DatasetRow>(conn)?,
            );
        }
        let dicts = match with_dicts {
            true => datasets::dicts_for(conn, &rows, "")?,
            false => vec![Value::Null; rows.len()],
        };
        let mut holders: HashMap<String, Option<String>> = names
            .iter()
            .map(|name| ((*name).to_owned(), None))
            .collect();
        let mut by_id = HashMap::new();
        let mut current = HashMap::new();
        for (row, before) in rows.into_iter().zip(dicts) {
            holders.insert(row.name.clone(), Some(row.id.clone()));
            let found = Current { row, before };
            if holders.contains_key(&found.row.id) {
                by_id.insert(found.row.id.clone(), found);
            } else {
                current.insert(found.row.name.clone(), found);
            }
        }
        // A name matches a dataset's name before another's id, as `datasets::find` would
        // mostly have it.
        for (id, found) in by_id {
            current.entry(id).or_insert(found);
        }
        Ok(Stored { current, holders })
    }

    /// Reads one dataset again, after the batch stored it.
    pub(super) fn reload(
        &mut self,
        conn: &mut DbConnection,
        name: &str,
        with_dicts: bool,
    ) -> AppResult<()> {
        let again = Stored::load(conn, &[name], with_dicts)?;
        self.current.extend(again.current);
        self.holders.extend(again.holders);
        Ok(())
    }
}

/// What validation looks up, answered from what the batch read; what it did not read (a
/// name written differently after trimming, say) is asked of the database.
pub(super) struct BatchLookups<'a> {
    /// Asked what the batch did not read.
    pub(super) conn: &'a mut DbConnection,
    /// The datasets the batch named.
    pub(super) stored: &'a Stored,
    /// Organisation ids by name and id.
    pub(super) orgs: &'a HashMap<String, String>,
    /// Theme ids by name and id.
    pub(super) themes: &'a HashMap<String, String>,
}

impl Lookups for BatchLookups<'_> {
    fn name_taken(&mut self, name: &str, except_id: &str) -> AppResult<bool> {
        match self.stored.holders.get(name) {
            Some(holder) => Ok(holder.as_deref().is_some_and(|id| id != except_id)),
            None => self.conn.name_taken(name, except_id),
        }
    }

    fn organization_id(&mut self, id_or_name: &str) -> AppResult<Option<String>> {
        match self.orgs.get(id_or_name) {
            Some(id) => Ok(Some(id.clone())),
            None => self.conn.organization_id(id_or_name),
        }
    }

    fn theme_id(&mut self, name_or_id: &str) -> AppResult<Option<String>> {
        Ok(self.themes.get(name_or_id).cloned())
    }
}
