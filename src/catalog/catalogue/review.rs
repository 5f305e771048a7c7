//! The review loop and what follows approval: the department submits
//! (`catalogue_entry_submit`), the data office decides (`catalogue_entry_review`), both talk
//! (`catalogue_entry_comment`), the data office merges duplicates (`catalogue_entry_merge`),
//! the department links the datasets that fulfil an entry (`catalogue_entry_link`/`unlink`),
//! and an issued entry becomes published once a linked dataset is public
//! ([`follow_publication`], which the context runs after every write, whoever made it public).

use diesel::prelude::*;

use super::entries::{entry_show_id, EntryView};
use super::status::{self, Step};
use super::{find_entry, is_department_editor, require_office_on, transition, visible_entry};
use crate::catalog::params::{self, Errors};
use crate::catalog::{access, datasets as dataset_store, Actor, AppContext, Dict};
use crate::db::schema::{
    catalogue_comments, catalogue_entries, catalogue_entry_datasets, datasets,
};
use crate::db::{new_id, DbConnection};
use crate::enums::{DatasetState, EntryStatus, ReviewDecision};
use crate::error::{AppError, AppResult, CatalogueStep, ErrorCode, FieldCode, Forbidden};

fn add_comment(
    conn: &mut DbConnection,
    actor: &Actor,
    entry_id: &str,
    text: &str,
    at: &str,
) -> AppResult<()> {
    diesel::insert_into(catalogue_comments::table)
        .values((
            catalogue_comments::id.eq(new_id()),
            catalogue_comments::entry_id.eq(entry_id),
            catalogue_comments::user_id.eq(&actor.user_id),
            catalogue_comments::comment.eq(text),
            catalogue_comments::created.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// `catalogue_entry_submit {id}`: the department sends a draft (or an entry sent back) to the
/// data office.
pub fn entry_submit(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        if !(is_department_editor(conn, actor, &entry)? || actor.sysadmin) {
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        let mut errors = Errors::default();
        let note = params::text(dict, "comment", 4_000, &mut errors).unwrap_or_default();
        errors.into_result()?;
        transition(conn, actor, &entry, Step::Submit, &note, &at)?;
        Ok(())
    })?;
    entry_show_id(ctx, actor, &id)
}

/// `catalogue_entry_review {id, decision, comment}`: the data office approves, rejects or
/// sends back an entry of another department; a reason is required to reject or send back.
pub fn entry_review(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    let decision = match params::text(dict, "decision", 40, &mut errors) {
        None => {
            errors.add("decision", params::missing());
            None
        }
        Some(word) => match word.parse::<ReviewDecision>() {
            Ok(decision) => Some(decision),
            Err(_) => {
                let all: Vec<&str> = ReviewDecision::ALL.iter().map(|d| d.as_str()).collect();
                errors.add(
                    "decision",
                    FieldCode::UnknownChoice.arg("choices", all.join(", ")),
                );
                None
            }
        },
    };
    let comment = params::text(dict, "comment", 4_000, &mut errors).unwrap_or_default();
    if comment.is_empty()
        && matches!(
            decision,
            Some(ReviewDecision::Reject | ReviewDecision::RequestChanges)
        )
    {
        errors.add("comment", FieldCode::ReasonRequired);
    }
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        require_office_on(conn, actor, &entry)?;
        errors.into_result()?;
        let step = match decision {
            Some(ReviewDecision::Approve) => Step::Approve,
            Some(ReviewDecision::Reject) => Step::Reject,
            _ => Step::RequestChanges,
        };
        transition(conn, actor, &entry, step, &comment, &at)?;
        if !comment.is_empty() {
            add_comment(conn, actor, &entry.id, &comment, &at)?;
        }
        Ok(())
    })?;
    entry_show_id(ctx, actor, &id)
}

/// `catalogue_entry_comment {id, comment}`: the department and the data office write to each
/// other on an entry.
pub fn entry_comment(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let comment = params::required_id(dict, "comment").and_then(|_| {
        let mut errors = Errors::default();
        let text = params::text(dict, "comment", 4_000, &mut errors).unwrap_or_default();
        errors.into_result().map(|()| text)
    })?;
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        if !(actor.is_reviewer() || super::department_role(conn, actor, &entry)?.is_some()) {
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        add_comment(conn, actor, &entry.id, &comment, &at)
    })?;
    entry_show_id(ctx, actor, &id)
}

/// `catalogue_entry_merge {id, into}`: the data office merges a duplicate into the entry that
/// stays. The duplicate is rejected with a reason naming that entry; its themes, formats, access
/// methods and linked datasets go to the entry that stays.
pub fn entry_merge(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let into = params::required_id(dict, "into")?;
    if id == into {
        return Err(AppError::new(ErrorCode::CatalogueMergeItself));
    }
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let gone = visible_entry(conn, actor, &id)?;
        let kept = visible_entry(conn, actor, &into)?;
        require_office_on(conn, actor, &gone)?;
        if Step::Merge.from(kept.status).is_none() && !status::in_force(kept.status) {
            return Err(status::refused(CatalogueStep::Merge, kept.status));
        }
        let reason = format!("Gộp vào / merged into: {} ({})", kept.title, kept.id);
        transition(conn, actor, &gone, Step::Merge, &reason, &at)?;
        let union = |a: &str, b: &str| {
            let mut items = super::EntryRow::list(a);
            for item in super::EntryRow::list(b) {
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            serde_json::to_string(&items).unwrap_or_else(|_| "[]".to_owned())
        };
        diesel::update(catalogue_entries::table.find(&gone.id))
            .set(catalogue_entries::merged_into.eq(&kept.id))
            .execute(conn)?;
        diesel::update(catalogue_entries::table.find(&kept.id))
            .set((
                catalogue_entries::themes.eq(union(&kept.themes, &gone.themes)),
                catalogue_entries::formats.eq(union(&kept.formats, &gone.formats)),
                catalogue_entries::access_methods
                    .eq(union(&kept.access_methods, &gone.access_methods)),
                catalogue_entries::modified.eq(&at),
            ))
            .execute(conn)?;
        let moved: Vec<String> = catalogue_entry_datasets::table
            .filter(catalogue_entry_datasets::entry_id.eq(&gone.id))
            .select(catalogue_entry_datasets::dataset_id)
            .load(conn)?;
        for dataset_id in moved {
            insert_link(conn, actor, &kept.id, &dataset_id, &at)?;
        }
        diesel::delete(
            catalogue_entry_datasets::table.filter(catalogue_entry_datasets::entry_id.eq(&gone.id)),
        )
        .execute(conn)?;
        Ok(())
    })?;
    entry_show_id(ctx, actor, &into)
}

fn insert_link(
    conn: &mut DbConnection,
    actor: &Actor,
    entry_id: &str,
    dataset_id: &str,
    at: &str,
) -> AppResult<()> {
    let exists: i64 = catalogue_entry_datasets::table
        .filter(catalogue_entry_datasets::entry_id.eq(entry_id))
        .filter(catalogue_entry_datasets::dataset_id.eq(dataset_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(catalogue_entry_datasets::table)
            .values((
                catalogue_entry_datasets::entry_id.eq(entry_id),
                catalogue_entry_datasets::dataset_id.eq(dataset_id),
                catalogue_entry_datasets::linked_by.eq(&actor.user_id),
                catalogue_entry_datasets::created.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// `catalogue_entry_link {id, package_id}`: the department links a dataset of its own that
/// fulfils an approved, issued or published entry. An issued entry with a public linked dataset
/// is published at once.
pub fn entry_link(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    link: bool,
) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let package = params::required_id(dict, "package_id")?;
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        if !(is_department_editor(conn, actor, &entry)? || actor.sysadmin) {
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        let dataset = dataset_store::find_visible(conn, actor, &package)?;
        if !link {
            let removed = diesel::delete(
                catalogue_entry_datasets::table
                    .filter(catalogue_entry_datasets::entry_id.eq(&entry.id))
                    .filter(catalogue_entry_datasets::dataset_id.eq(&dataset.id)),
            )
            .execute(conn)?;
            if removed == 0 {
                return Err(AppError::not_found(ErrorCode::CatalogueNotLinked, &package));
            }
            return Ok(());
        }
        if !status::linkable(entry.status) {
            return Err(status::refused(CatalogueStep::Link, entry.status));
        }
        if dataset.owner_org != entry.owner_org {
            return Err(AppError::forbidden(
                Forbidden::CatalogueDatasetOtherDepartment,
            ));
        }
        access::require_dataset_edit(conn, actor, &dataset.owner_org)?;
        insert_link(conn, actor, &entry.id, &dataset.id, &at)?;
        publish_ready(conn, &at)?;
        Ok(())
    })?;
    entry_show_id(ctx, actor, &id)
}

/// Issued entries that have a public linked dataset: (entry id, dataset name).
fn ready_to_publish(conn: &mut DbConnection) -> AppResult<Vec<(String, String)>> {
    Ok(catalogue_entries::table
        .inner_join(catalogue_entry_datasets::table.inner_join(datasets::table))
        .filter(catalogue_entries::status.eq(EntryStatus::Issued))
        .filter(catalogue_entries::deleted.eq(false))
        .filter(datasets::state.eq(DatasetState::Active))
        .filter(datasets::private.eq(false))
        .select((catalogue_entries::id, datasets::name))
        .load(conn)?)
}

/// Publishes every issued entry that has a public linked dataset, recording the move (by the
/// system, naming the dataset) and the date of first publication. Returns how many moved.
pub fn publish_ready(conn: &mut DbConnection, at: &str) -> AppResult<usize> {
    let ready = ready_to_publish(conn)?;
    let mut moved = 0;
    for (entry_id, dataset) in ready {
        let entry = find_entry(conn, &entry_id)?;
        if entry.status != EntryStatus::Issued {
            continue; // a second public dataset of an entry already moved
        }
        let reason = format!("Bộ dữ liệu công khai / public dataset: {dataset}");
        transition(conn, &Actor::system(), &entry, Step::Publish, &reason, at)?;
        diesel::update(catalogue_entries::table.find(&entry.id))
            .filter(catalogue_entries::first_published.is_null())
            .set(catalogue_entries::first_published.eq(at))
            .execute(conn)?;
        moved += 1;
    }
    Ok(moved)
}

/// Runs after every write of this process (`AppContext::write`) and on the server's ticks:
/// when a write made a linked dataset public, its issued entry becomes published. One read
/// when nothing is ready (the usual case); a write only when something is.
pub fn follow_publication(ctx: &AppContext) -> AppResult<usize> {
    if ctx.db.read(ready_to_publish)?.is_empty() {
        return Ok(0);
    }
    let at = ctx.catalogue.clock.now_text();
    ctx.db.write(|conn| publish_ready(conn, &at))
}
