# Thông báo về từng trường, trong một lỗi validation_error (tiếng Việt). Mỗi mã trường trong
# src/error/codes.rs có một thông báo ở đây và một ở ../en/fields.ftl.

missing_value = Thiếu giá trị bắt buộc
not_a_string = Phải là một chuỗi văn bản
too_long = Dài quá { $max } ký tự
not_a_boolean = Phải là true hoặc false
integer_out_of_range = Phải là số nguyên từ 0 đến { $max }
not_a_json_list = Danh sách JSON không hợp lệ
not_a_list = Phải là một danh sách
link_scheme = Chỉ chấp nhận địa chỉ http, https hoặc ftp
not_a_url = Địa chỉ URL không hợp lệ
control_characters = Không được chứa ký tự điều khiển (như NUL)
invalid_name = Tên (URL) phải dài 2–100 ký tự, chỉ gồm chữ thường không dấu, số, '-' và '_'
invalid_name_suggested = { invalid_name }. Gợi ý: "{ $suggestion }"
name_in_use = Tên (URL) này đã được sử dụng
value_in_use = Giá trị này đã được sử dụng
unknown_organization = Không tìm thấy tổ chức "{ $id }"
dataset_state = Trạng thái phải là active hoặc draft
unknown_license = Giấy phép "{ $id }" không có trong danh sách (xem license_list)
unknown_frequency = Tần suất cập nhật phải là một trong: { $codes }
spatial_code_digits = Mã đơn vị hành chính chỉ gồm chữ số
invalid_date = Ngày không hợp lệ, dùng dạng YYYY-MM-DD
end_before_start = Ngày kết thúc không được trước ngày bắt đầu
language_codes = Mã ngôn ngữ ISO 639-1, cách nhau bởi dấu phẩy (vd. vi,en)
invalid_email = Địa chỉ email không hợp lệ
invalid_phone = Số điện thoại không hợp lệ
too_many_resources = Tối đa { $max } tài nguyên
too_many_extras = Tối đa { $max } mục
extra_shape = Mỗi mục cần "key" (≤ { $key_max } ký tự) và "value" (≤ { $value_max } ký tự)
extra_is_field = "{ $key }" là một trường riêng, không đặt trong extras
tag_needs_name = Mỗi thẻ cần "name"
tag_shape = Thẻ phải là chuỗi hoặc { "{" }"name": ...{ "}" }
tag_length = Thẻ "{ $tag }" phải dài 2–100 ký tự
tag_characters = Thẻ "{ $tag }" không được chứa dấu phẩy, dấu ngoặc kép hay ký tự điều khiển
too_many_tags = Tối đa { $max } thẻ
group_needs_name = Mỗi chủ đề cần "name"
unknown_group = Không có chủ đề "{ $id }" (xem group_list)
resource_not_object = Tài nguyên phải là một đối tượng JSON
resource_id_not_uuid = Mã tài nguyên phải là một UUID (để trống để cổng tự tạo)
resource_id_in_use = Mã tài nguyên này đã được dùng
url_or_upload = Cần một đường dẫn (url) hoặc một tệp tải lên (upload)
password_too_short = Mật khẩu phải có ít nhất { $min } ký tự
login_name_deactivated = Tên đăng nhập thuộc một tài khoản đã bị vô hiệu hóa; mở lại bằng user_patch state=active
login_name_taken = Tên đăng nhập đã được sử dụng
login_name_fixed = Không đổi được tên đăng nhập (khóa API và đường dẫn dựa vào nó)
user_state = Trạng thái phải là active hoặc deleted
self_lockout = Không thể tự vô hiệu hóa hay bỏ quyền quản trị của chính mình; nhờ một quản trị hệ thống khác
organization_name_taken = Tên tổ chức đã được sử dụng
organization_has_datasets = Tổ chức còn { $count } bộ dữ liệu, hãy chuyển hoặc xóa chúng trước
invalid_role = Vai trò phải là admin, editor hoặc member
object_type_user = Chỉ hỗ trợ object_type "user"
page_too_deep = Chỉ phân trang được { $max } kết quả đầu tiên (start + rows); để xem tiếp, sắp xếp theo metadata_modified (sort=metadata_modified desc) và lọc bằng fq=metadata_modified:[* TO <mốc cuối của trang trước>]
nested_too_deep = Dấu ngoặc lồng nhau quá { $depth } cấp
too_many_clauses = Tìm kiếm có quá { $max } từ và điều kiện (q, fq và fq_list cộng lại)
query_item_too_long = Mỗi mục dài tối đa { $max } ký tự
list_too_long = Danh sách dài quá { $max } mục
unknown_sort_key = Không sắp xếp được theo "{ $key }"; dùng score, metadata_modified, metadata_created, title_string hoặc name
sort_direction = Chiều sắp xếp "{ $direction }" không hợp lệ; dùng asc hoặc desc
time_in_future = Thời điểm nằm ở tương lai
not_an_object = Phải là một đối tượng JSON ({"{"}"khóa": giá trị{"}"})
unknown_question = Không có câu hỏi "{ $id }" trong danh mục kiểm tra
checklist_unconfirmed = Cần xác nhận mục này trước khi công bố
answer_too_short = Cần trả lời ít nhất { $min } ký tự
resource_not_in_dataset = Tài nguyên "{ $id }" không thuộc bộ dữ liệu này
order_repeats = Tài nguyên "{ $id }" có mặt hai lần trong thứ tự
unknown_rdf_format = Định dạng RDF phải là một trong: { $formats }
whole_catalogue_unfiltered = Toàn bộ danh mục (page=all) không lọc được; dùng các trang 100 bộ dữ liệu (page=1, 2, …) để tìm kiếm
