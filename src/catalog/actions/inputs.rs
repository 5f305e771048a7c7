//! Typed inputs of the actions whose parameters the registry reads itself (the others parse
//! theirs in their own module).

use serde_json::Value;

use crate::catalog::{action_specs, params, Dict};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};

/// A change of one organisation membership: CKAN names it two ways, `member_*` (`id`,
/// `object`, `object_type`, `capacity`) and `organization_member_*` (`id`, `username`, `role`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberChange {
    /// Organisation id or name.
    pub organization: String,
    /// User id or name.
    pub user: String,
    /// The role to give; empty for a removal.
    pub role: String,
}

impl MemberChange {
    /// Reads `member_create` (`with_role`) or `member_delete`. Only users can be members here:
    /// datasets belong to one organisation by `owner_org`.
    pub fn from_member_dict(dict: &Dict, with_role: bool) -> AppResult<MemberChange> {
        let object_type = dict
            .get("object_type")
            .and_then(Value::as_str)
            .unwrap_or("user");
        if object_type != "user" {
            return Err(AppError::field("object_type", FieldCode::ObjectTypeUser));
        }
        Ok(MemberChange {
            organization: params::required_id(dict, "id")?,
            user: params::required_id(dict, "object")?,
            role: role(dict, "capacity", with_role)?,
        })
    }

    /// Reads `organization_member_create` (`with_role`) or `organization_member_delete`,
    /// which also accepts `user_id` for the user.
    pub fn from_organization_dict(dict: &Dict, with_role: bool) -> AppResult<MemberChange> {
        let user = if with_role || dict.contains_key("username") {
            params::required_id(dict, "username")?
        } else {
            dict.get("user_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| AppError::field("username", params::missing()))?
        };
        Ok(MemberChange {
            organization: params::required_id(dict, "id")?,
            user,
            role: role(dict, "role", with_role)?,
        })
    }
}

fn role(dict: &Dict, field: &str, wanted: bool) -> AppResult<String> {
    if wanted {
        params::required_id(dict, field)
    } else {
        Ok(String::new())
    }
}

/// CKAN's `help_show`: the help text of the action named in `name`.
pub fn help(dict: &Dict) -> AppResult<String> {
    let wanted = params::required_id(dict, "name")?;
    let spec = action_specs::find(&wanted)
        .ok_or_else(|| AppError::not_found(ErrorCode::ActionNotFound, &wanted))?;
    Ok(action_specs::help_text(spec))
}
