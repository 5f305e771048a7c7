# Thông báo lỗi (tiếng Việt, ngôn ngữ mặc định). Mỗi mã lỗi trong src/error/codes.rs có một
# thông báo ở đây và một ở ../en/errors.ftl, cùng các đối số đã khai báo.

not_found = Không tìm thấy
dataset_not_found = Không tìm thấy bộ dữ liệu "{ $id }"
resource_not_found = Không tìm thấy tài nguyên "{ $id }"
organization_not_found = Không tìm thấy tổ chức "{ $id }"
user_not_found = Không tìm thấy người dùng "{ $id }"
group_not_found = Không tìm thấy chủ đề "{ $id }"
member_not_found = Không tìm thấy thành viên "{ $id }"
token_not_found = Không tìm thấy khóa API "{ $id }"
action_not_found = Không tìm thấy hành động "{ $id }"
page_not_found = Không có trang { $path }

validation_error = Dữ liệu chưa hợp lệ: { $fields }

not_authorized = { $reason ->
    [create_datasets_anonymously] Bạn không có quyền tạo bộ dữ liệu khi chưa đăng nhập
    [edit_dataset_anonymously] Bạn không có quyền sửa bộ dữ liệu này khi chưa đăng nhập
    [edit_organization_datasets] Bạn không có quyền sửa bộ dữ liệu của tổ chức này
    [update_organization] Bạn không có quyền sửa tổ chức này
    [manage_members] Bạn không có quyền quản lý thành viên của tổ chức này
    [list_members] Bạn không có quyền xem thành viên của tổ chức này
    [change_other_account] Bạn không có quyền sửa tài khoản của người dùng khác
    [see_other_account_history] Bạn không có quyền xem lịch sử tài khoản của người dùng khác
    [change_sysadmin_flag] Bạn không có quyền đổi quyền quản trị hệ thống
    [change_account_state] Bạn không có quyền đổi trạng thái tài khoản
    [create_token_for_other] Bạn không có quyền tạo khóa API cho người dùng khác
    [list_other_tokens] Bạn không có quyền xem khóa API của người dùng khác
    [revoke_other_token] Bạn không có quyền thu hồi khóa API của người dùng khác
    [upload_here] Bạn không có quyền tải tệp lên ở đây
    [sysadmin_only] Chỉ quản trị hệ thống được gọi { $action }
    [login_required] Cần đăng nhập (khóa API) để gọi { $action }
    [unreadable_token] Khóa API không đọc được (chỉ gồm ký tự ASCII)
    [invalid_token] Khóa API không hợp lệ hoặc đã bị thu hồi
    [reviewer_only] Chỉ Văn phòng dữ liệu (vai trò reviewer) được gọi { $action }
    [catalogue_entry_edit] Bạn không có quyền sửa mục danh mục này ở trạng thái hiện tại
    [catalogue_dataset_other_department] Bộ dữ liệu thuộc đơn vị khác, không gắn được vào mục này
    [catalogue_notices] Bạn không có quyền xem thông báo của đơn vị này
   *[other] Bạn không có quyền làm việc này
}

unknown_action = Không có hành động "{ $name }"
method_not_allowed = Hành động "{ $name }" cần gọi bằng POST
malformed_json = JSON không hợp lệ: { $detail }
body_not_object = Nội dung yêu cầu phải là một đối tượng JSON
body_unreadable = Không đọc được nội dung yêu cầu: { $detail }
malformed_multipart = Dữ liệu multipart không hợp lệ: { $detail }
unexpected_file = Tệp phải gửi trong trường "upload", không phải "{ $field }"
not_utf8 = Trường "{ $field }" không phải UTF-8
upload_interrupted = Tải tệp lên bị gián đoạn: { $detail }

# $limit: byte với nội dung yêu cầu, MiB với tệp.
payload_too_large = { $what ->
    [body] Nội dung yêu cầu vượt quá { $limit } byte
    [field] Trường "{ $field }" quá dài
   *[file] Tệp vượt quá giới hạn { $limit } MiB
}

request_timeout = { $reason ->
    [idle] Không nhận được dữ liệu nào trong { $seconds } giây, yêu cầu đã bị hủy
    [deadline] Nội dung yêu cầu không được gửi xong trong { $seconds } giây
   *[too_slow] Tải lên quá chậm (dưới { $kib } KiB/giây), đã bị hủy
}

rate_limited = Quá nhiều yêu cầu, vui lòng thử lại sau { $seconds } giây
login_failed = Tên đăng nhập (hoặc thư điện tử) hoặc mật khẩu không đúng.
login_rate_limited = Bạn đã thử đăng nhập quá nhiều lần. Để bảo đảm an toàn, việc đăng nhập tạm thời bị khóa; vui lòng thử lại sau { $minutes } phút.
csrf_failed = Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Vui lòng tải lại trang rồi gửi lại.
search_index_rebuilding = Chỉ mục tìm kiếm đang được xây dựng lại, vui lòng thử lại sau ít giây
internal_error = Lỗi máy chủ, vui lòng thử lại sau
privacy_review_required = { $reason ->
    [always] Cổng yêu cầu xác nhận danh mục kiểm tra rủi ro nhận diện lại trước mọi lần công bố ({ $count } tệp bảng chưa được xem xét). Người biên tập của đơn vị xác nhận bằng package_privacy_review (hoặc trang /dataset/…/privacy), rồi công bố lại.
   *[findings] Tệp dữ liệu có thể chứa dữ liệu cá nhân ({ $count } phát hiện, xem "findings"; giá trị đã được che). Chưa công bố: người biên tập của đơn vị cần xác nhận danh mục kiểm tra rủi ro nhận diện lại bằng package_privacy_review (hoặc trang /dataset/…/privacy), rồi công bố lại.
}
harvest_source_not_found = Không tìm thấy nguồn thu thập "{ $id }"
harvest_target_not_found = Không tìm thấy đích đẩy dữ liệu "{ $id }"
harvest_job_not_found = Không tìm thấy lượt thu thập "{ $id }"
harvest_type_not_supported = Loại "{ $kind }" chưa được hỗ trợ
harvest_job_pending = Đã có một lượt chạy đang chờ hoặc đang chạy ({ $id }); hãy đợi lượt đó xong

# Danh mục dữ liệu mở (issue 12).
catalogue_entry_not_found = Không tìm thấy mục danh mục dữ liệu "{ $id }"
catalogue_version_not_found = Không tìm thấy phiên bản danh mục "{ $id }"
catalogue_transition_refused = { $step ->
    [submit] Không gửi duyệt được mục đang ở trạng thái "{ $status }"; chỉ gửi được bản nháp hoặc mục được yêu cầu sửa
    [approve] Không phê duyệt được mục đang ở trạng thái "{ $status }"; chỉ duyệt được mục đã gửi
    [reject] Không từ chối được mục đang ở trạng thái "{ $status }"; chỉ từ chối được mục đã gửi
    [request_changes] Không yêu cầu sửa được mục đang ở trạng thái "{ $status }"; chỉ với mục đã gửi
    [issue] Không ban hành được mục đang ở trạng thái "{ $status }"
    [publish] Không công bố được mục đang ở trạng thái "{ $status }"
    [withdraw] Chỉ rút được mục đã ban hành hoặc đã công bố, không phải mục ở trạng thái "{ $status }"
    [merge] Không gộp được mục đang ở trạng thái "{ $status }"; chỉ gộp mục đã gửi, được yêu cầu sửa hoặc đã duyệt
    [edit] Không sửa được mục đang ở trạng thái "{ $status }"
    [delete] Chỉ xóa được bản nháp hoặc mục được yêu cầu sửa, không phải mục ở trạng thái "{ $status }"
   *[link] Chỉ gắn bộ dữ liệu vào mục đã duyệt, đã ban hành hoặc đã công bố, không phải mục ở trạng thái "{ $status }"
}
catalogue_own_review = Đơn vị không được tự duyệt mục danh mục của chính mình
catalogue_merge_itself = Không gộp một mục vào chính nó
catalogue_nothing_to_issue = Không có mục nào đã duyệt hay cần rút để ban hành phiên bản mới
catalogue_not_linked = Bộ dữ liệu "{ $id }" không gắn với mục này
