# The privacy review page before publication (src/http/pages/privacy.rs).
privacy-heading = Kiểm tra dữ liệu cá nhân trước khi công bố
privacy-breadcrumb = Vị trí trang
privacy-datasets = Bộ dữ liệu
privacy-intro = Trước khi bộ dữ liệu được công khai, cổng quét các tệp bảng (CSV, XLSX) để tìm dữ liệu cá nhân: số căn cước công dân, chứng minh nhân dân, số điện thoại, thư điện tử, họ tên đi kèm ngày sinh hoặc địa chỉ. Giá trị tìm thấy chỉ hiện một phần, phần còn lại được che.
privacy-found = { $count ->
   *[other] Có { $count } phát hiện chưa được xem xét. Bộ dữ liệu chưa được công bố: hãy kiểm tra lại tệp (bỏ hoặc che các cột không cần thiết), rồi xác nhận danh mục kiểm tra bên dưới.
}
privacy-always = Cổng yêu cầu xác nhận danh mục kiểm tra trước mọi lần công bố. Bộ dữ liệu chưa được công bố.
privacy-clear = Không có phát hiện nào cần xem xét: bộ dữ liệu có thể công bố.
privacy-published = Bộ dữ liệu đã được công bố; các tệp hiện có đã được xem xét hoặc không có phát hiện.
privacy-files-heading = Các tệp bảng đã quét
privacy-no-files = Bộ dữ liệu chưa có tệp CSV hoặc XLSX nào được tải lên.
privacy-file-reviewed = Đã xem xét
privacy-rows-scanned = { $count ->
   *[other] Đã đọc { $count } dòng.
}
privacy-scan-partial = Tệp lớn: chỉ phần đầu tệp được đọc.
privacy-file-clean = Không tìm thấy dữ liệu cá nhân.
privacy-findings-caption = Phát hiện theo cột
privacy-col-column = Cột
privacy-col-kind = Loại dữ liệu
privacy-col-count = Số giá trị
privacy-col-samples = Ví dụ (đã che)
privacy-related = cùng cột “{ $column }”
privacy-row = dòng { $row }
privacy-kind-cccd = Số căn cước công dân (12 số)
privacy-kind-cmnd = Số chứng minh nhân dân (9 số)
privacy-kind-phone = Số điện thoại
privacy-kind-email = Địa chỉ thư điện tử
privacy-kind-name-with-birth-date = Họ tên kèm ngày sinh
privacy-kind-name-with-address = Họ tên kèm địa chỉ
privacy-kind-not-scanned = Không đọc được tệp theo định dạng của nó: cần người kiểm tra
privacy-checklist-heading = Danh mục kiểm tra rủi ro nhận diện lại
privacy-checklist-intro = Người biên tập của đơn vị trả lời mọi câu hỏi. Lần xác nhận (người xác nhận, thời điểm, các phát hiện và câu trả lời) được lưu cùng bộ dữ liệu để bộ phận quản lý dữ liệu xem lại. Tệp mới hoặc tệp thay thế cần xác nhận lại.
privacy-submit = Xác nhận và công bố
privacy-cancel = Quay lại bộ dữ liệu, chưa công bố
privacy-confirmed = Đã xác nhận
privacy-reviews-heading = Các lần xác nhận trước
privacy-review-by = { $name } đã xác nhận
privacy-review-files = { $count ->
   *[other] { $count } tệp
}
privacy-fix-below = Chưa xác nhận được: hãy trả lời mọi câu hỏi của danh mục kiểm tra (xem thông báo bên cạnh từng câu).
