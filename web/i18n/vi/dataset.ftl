# Trang bộ dữ liệu (/dataset/{name}).

## Đầu trang
dataset-private = Riêng tư
dataset-state-draft = Bản nháp
dataset-state-deleted = Đã xóa
dataset-print = In trang
dataset-print-label = In trang thông tin bộ dữ liệu này
dataset-no-description = Bộ dữ liệu chưa có mô tả.

## Tệp dữ liệu
dataset-resources = Dữ liệu và tệp
dataset-resources-none = Bộ dữ liệu chưa có tệp nào.
dataset-resource-unnamed = Tệp không tên
dataset-resource-details = Xem chi tiết
dataset-download = Tải về
dataset-resource-modified = Cập nhật { $date }

## Thông tin
dataset-info = Thông tin bộ dữ liệu
dataset-organization = Cơ quan cung cấp
dataset-contact = Đầu mối liên hệ
dataset-email = Thư điện tử
dataset-phone = Điện thoại
dataset-themes = Chủ đề
dataset-tags = Từ khóa
dataset-frequency = Tần suất cập nhật
dataset-modified = Cập nhật lần cuối
dataset-created = Ngày đăng
dataset-overdue = Quá hạn cập nhật: lẽ ra phải cập nhật trước ngày { $date }.
dataset-next-update = Lần cập nhật tiếp theo: trước ngày { $date }.
dataset-spatial = Phạm vi địa lý
dataset-spatial-code = mã { $code }
dataset-temporal = Phạm vi thời gian
dataset-extras = Thông tin bổ sung
dataset-temporal-from = từ { $date }
dataset-temporal-until = đến { $date }
dataset-version = Phiên bản
dataset-source = Trang gốc

## Giấy phép và ghi nguồn
dataset-license-heading = Giấy phép và ghi nguồn
dataset-license = Giấy phép
dataset-license-read = Xem điều khoản
dataset-attribution = Câu ghi nguồn
dataset-attribution-hint = Khi sử dụng dữ liệu, hãy ghi nguồn như sau:
dataset-copy = Sao chép
dataset-copy-label = Sao chép câu ghi nguồn
dataset-copied = Đã sao chép câu ghi nguồn.
dataset-portal = Cổng dữ liệu mở tỉnh { $province }
dataset-attribution-text = Nguồn: { $org }, “{ $title }”, { $portal }, { $url }, truy cập ngày { $date }.
dataset-attribution-text-no-org = Nguồn: “{ $title }”, { $portal }, { $url }, truy cập ngày { $date }.

## Cho nhà phát triển
dataset-developers = Cho nhà phát triển
dataset-api = Bộ dữ liệu này qua API (JSON)
dataset-api-hint = Cùng thông tin, dạng JSON của API CKAN (package_show).
