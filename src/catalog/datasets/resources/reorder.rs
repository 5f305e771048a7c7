//! CKAN's `package_resource_reorder {id, order}`: the resources named in `order` come first,
//! in that order; the others follow in the order they had. Every id must be an active
//! resource of the dataset, each named once.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::actions::{editable_dataset, record_dataset_change};
use super::active_rows;
use crate::catalog::params::{self, Errors};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::resources;
use crate::error::{AppError, AppResult, FieldCode};

/// Most ids in one `order` (a dataset holds far fewer resources).
const MAX_ORDER: usize = 1000;

/// CKAN's `package_resource_reorder`.
pub fn package_resource_reorder(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    let order = params::list(dict, "order", &mut errors);
    errors.into_result()?;
    let order = order.ok_or_else(|| AppError::field("order", params::missing()))?;
    if order.len() > MAX_ORDER {
        return Err(AppError::field(
            "order",
            FieldCode::ListTooLong.arg("max", MAX_ORDER),
        ));
    }
    let mut wanted: Vec<String> = Vec::with_capacity(order.len());
    for item in &order {
        let Some(text) = item.as_str() else {
            return Err(AppError::field("order", FieldCode::NotAString));
        };
        if wanted.iter().any(|w| w == text) {
            return Err(AppError::field(
                "order",
                FieldCode::OrderRepeats.arg("id", text),
            ));
        }
        wanted.push(text.to_owned());
    }
    ctx.write(|conn| {
        let dataset = editable_dataset(conn, actor, &id)?;
        let current = active_rows(conn, &dataset.id)?;
        if let Some(stranger) = wanted.iter().find(|w| !current.iter().any(|r| &&r.id == w)) {
            return Err(AppError::field(
                "order",
                FieldCode::ResourceNotInDataset.arg("id", stranger),
            ));
        }
        let rest = current
            .iter()
            .map(|r| r.id.clone())
            .filter(|id| !wanted.contains(id));
        let new_order: Vec<String> = wanted.iter().cloned().chain(rest).collect();
        let mut moved = false;
        for (position, resource_id) in new_order.iter().enumerate() {
            let position = i32::try_from(position).unwrap_or(i32::MAX);
            if current
                .iter()
                .any(|r| &r.id == resource_id && r.position != position)
            {
                diesel::update(resources::table.find(resource_id))
                    .set(resources::position.eq(position))
                    .execute(conn)?;
                moved = true;
            }
        }
        // An order that changes nothing records nothing.
        if moved {
            record_dataset_change(ctx, conn, actor, &dataset, None)?;
        }
        Ok(json!({ "id": dataset.id, "order": new_order }))
    })
}
