# Trang tài nguyên và bản xem trước (src/http/pages/resource.rs, web/templates/resource.html).
resource-fallback-name = Tài nguyên
resource-format = Định dạng
resource-size = Dung lượng
resource-modified = Cập nhật lần cuối
resource-download = Tải xuống
resource-open-link = Mở liên kết
resource-link-note = Tài nguyên này là một liên kết tới trang bên ngoài cổng dữ liệu.
resource-details = Thông tin tài nguyên
resource-back-to-dataset = Quay lại bộ dữ liệu
preview-heading = Xem trước
preview-column = Cột { $number }
preview-caption-some = { $count ->
    [one] Dòng đầu tiên của tệp
   *[other] { $count } dòng đầu tiên của tệp
}
preview-caption-all = { $count ->
    [one] Toàn bộ { $count } dòng của tệp
   *[other] Toàn bộ { $count } dòng của tệp
}
preview-hidden-columns = { $count ->
    [one] Còn { $count } cột nữa không hiển thị; tải tệp về để xem đầy đủ.
   *[other] Còn { $count } cột nữa không hiển thị; tải tệp về để xem đầy đủ.
}
preview-encoding = Bảng mã: { $encoding }
preview-delimiter-comma = dấu phân cách: dấu phẩy (,)
preview-delimiter-semicolon = dấu phân cách: dấu chấm phẩy (;)
preview-delimiter-tab = dấu phân cách: dấu tab
preview-delimiter-pipe = dấu phân cách: dấu gạch đứng (|)
preview-sheet-shown = Đang xem trang tính “{ $sheet }”.
preview-other-sheets = Các trang tính khác: { $sheets }
preview-sort-hint = Bấm vào tiêu đề cột để sắp xếp.
preview-text-truncated = Chỉ hiển thị phần đầu của tệp; tải tệp về để xem đầy đủ.
preview-text-plain = Nội dung không đúng cú pháp nên được hiển thị nguyên văn.
preview-map-title = Bản đồ các đối tượng trong tệp
preview-map-features = { $count ->
    [one] { $count } đối tượng
   *[other] { $count } đối tượng
}
preview-map-partial = Chỉ vẽ { $count } đối tượng đầu tiên.
preview-map-extent = Kinh độ { $west } – { $east }, vĩ độ { $south } – { $north }
preview-map-note = Bản đồ được vẽ từ tọa độ trong tệp, không có nền bản đồ.
preview-image-alt = Ảnh { $name }
preview-pdf-fallback = Trình duyệt không hiển thị được tệp PDF ngay trên trang.
preview-pdf-open = Mở tệp PDF
preview-none-link = Cổng dữ liệu không tải tệp từ trang bên ngoài nên không có bản xem trước. Hãy mở liên kết để xem dữ liệu.
preview-none-unsupported = Định dạng này chưa có bản xem trước. Hãy tải tệp về để xem.
preview-none-too-large = Tệp lớn hơn { $size } nên không được xem trước. Hãy tải tệp về để xem.
preview-none-unreadable = Không đọc được nội dung tệp theo định dạng đã khai báo. Hãy tải tệp về để xem.
preview-none-empty = Tệp không có dữ liệu để xem trước.
