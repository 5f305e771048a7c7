# Messages about one field, inside a validation_error (English). Every field code in
# src/error/codes.rs has a message here and one in ../vi/fields.ftl.

missing_value = Missing value
not_a_string = Must be a string
too_long = Longer than { $max } characters
not_a_boolean = Must be true or false
integer_out_of_range = Must be an integer from 0 to { $max }
not_a_json_list = Not a valid JSON list
not_a_list = Must be a list
link_scheme = Only http, https or ftp URLs are accepted
not_a_url = Not a valid URL
control_characters = Must not contain control characters (such as NUL)
invalid_name = Must be 2-100 characters of lowercase alphanumeric (ascii) characters and these symbols: -_
invalid_name_suggested = { invalid_name }. Suggested: "{ $suggestion }"
name_in_use = That URL is already in use.
value_in_use = That value is already in use
unknown_organization = Organization does not exist: "{ $id }"
dataset_state = State must be active or draft
unknown_license = Unknown licence "{ $id }" (see license_list)
unknown_frequency = Frequency must be one of: { $codes }
spatial_code_digits = Administrative unit code must be digits
invalid_date = Not a valid date, use YYYY-MM-DD
end_before_start = End must not be before start
language_codes = ISO 639-1 codes separated by commas (e.g. vi,en)
invalid_email = Not a valid e-mail address
invalid_phone = Not a valid phone number
too_many_resources = At most { $max } resources
too_many_extras = At most { $max } extras
extra_shape = Each extra needs a key (≤ { $key_max } chars) and a value (≤ { $value_max } chars)
extra_is_field = There is a schema field with the same name: { $key }
tag_needs_name = Each tag needs a name
tag_shape = Tags must be strings or { "{" }"name": ...{ "}" }
tag_length = Tag "{ $tag }" must be 2-100 characters
tag_characters = Tag "{ $tag }" must not contain commas, double quotes or control characters
too_many_tags = At most { $max } tags
group_needs_name = Each group needs a name
unknown_group = Group does not exist: { $id }
resource_not_object = A resource must be a JSON object
resource_id_not_uuid = A resource id must be a UUID (leave it out and the portal makes one)
resource_id_in_use = That resource id is already in use
url_or_upload = Provide a url or an upload
password_too_short = Password must be at least { $min } characters
login_name_deactivated = That login name belongs to a deactivated account; re-activate it with user_patch state=active
login_name_taken = That login name is not available
login_name_fixed = The login name cannot be changed (API tokens and links rely on it)
user_state = State must be active or deleted
self_lockout = You cannot deactivate your own account or change your own sysadmin flag; ask another sysadmin
organization_name_taken = Group name already exists in database
organization_has_datasets = Organization cannot be deleted while it still has datasets ({ $count })
invalid_role = Role must be admin, editor or member
object_type_user = Only object_type "user" is supported
page_too_deep = Only the first { $max } results can be paged (start + rows); to go further, sort by metadata_modified (sort=metadata_modified desc) and filter with fq=metadata_modified:[* TO <last value of the previous page>]
nested_too_deep = Parentheses nested deeper than { $depth } levels
too_many_clauses = The search has more than { $max } words and conditions (q, fq and fq_list together)
query_item_too_long = Each item may hold at most { $max } characters
list_too_long = The list has more than { $max } items
unknown_sort_key = Cannot sort by "{ $key }"; use score, metadata_modified, metadata_created, title_string or name
sort_direction = Sort direction "{ $direction }" is invalid; use asc or desc
time_in_future = The time lies in the future
not_an_object = Must be a JSON object ({"{"}"key": value{"}"})
unknown_question = The checklist has no question "{ $id }"
checklist_unconfirmed = This must be confirmed before publishing
answer_too_short = Answer with at least { $min } characters
resource_not_in_dataset = Resource "{ $id }" is not part of this dataset
order_repeats = Resource "{ $id }" appears twice in the order
unknown_rdf_format = RDF format must be one of: { $formats }
whole_catalogue_unfiltered = The whole catalogue (page=all) cannot be filtered; search through the pages of 100 datasets (page=1, 2, …)
