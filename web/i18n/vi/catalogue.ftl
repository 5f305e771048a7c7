# Các trang công khai của danh mục dữ liệu mở (issue 12): danh mục, mục, phiên bản, số liệu.

nav-catalogue = Danh mục dữ liệu mở
footer-catalogue-figures = Số liệu tuân thủ danh mục

cat-heading = Danh mục dữ liệu mở
cat-lead = Dữ liệu các sở, ngành của tỉnh { $province } cam kết công bố, theo quyết định của Chủ tịch Ủy ban nhân dân tỉnh (Quyết định 142/QĐ-TTg, Phụ lục II, nhiệm vụ I.1).
cat-no-version = Chưa có danh mục nào được ban hành.
cat-decision-heading = Quyết định ban hành
cat-version-label = Phiên bản { $version }
cat-decision-number = Số quyết định
cat-decision-date = Ngày quyết định
cat-signer = Người ký
cat-decision-pdf = Tải quyết định (PDF)
cat-version-entries = { $count ->
    [0] không có mục nào
   *[other] { $count } mục
}
cat-versions-link = Các phiên bản đã ban hành
cat-figures-link = Số liệu tuân thủ theo đơn vị
cat-filters = Lọc danh mục
cat-filter-q = Từ khóa
cat-filter-department = Đơn vị
cat-filter-status = Trạng thái
cat-filter-any = Tất cả
cat-filter-apply = Lọc
cat-filter-clear = Bỏ lọc
cat-sort = Sắp xếp
cat-sort-title = Theo tên
cat-sort-planned = Theo ngày dự kiến công bố
cat-sort-modified = Mới thay đổi
cat-count = { $count ->
    [0] Không có mục nào
   *[other] { $count } mục
}
cat-none-found = Không có mục nào khớp với bộ lọc.
cat-exports = Tải danh mục
cat-export-csv = CSV (Excel)
cat-export-xlsx = XLSX
cat-export-json = JSON
cat-export-file = Danh mục dữ liệu mở
cat-figures-file = Số liệu tuân thủ danh mục dữ liệu mở
cat-table-caption = Các mục của danh mục dữ liệu mở
cat-scroll-label = Bảng cuộn ngang

cat-col-title = Tên dữ liệu
cat-col-department = Đơn vị chịu trách nhiệm
cat-col-status = Trạng thái
cat-col-themes = Chủ đề
cat-col-formats = Định dạng cam kết
cat-col-access = Cách truy cập
cat-col-frequency = Tần suất cập nhật
cat-col-planned = Dự kiến công bố
cat-col-next-update = Hạn cập nhật tiếp theo
cat-col-publication = Tình hình công bố
cat-col-datasets = Bộ dữ liệu
cat-col-versions = Phiên bản
cat-col-legal = Căn cứ pháp lý
cat-col-priority = Mức ưu tiên
cat-col-description = Mô tả
cat-col-link = Địa chỉ

cat-status-draft = Bản nháp
cat-status-submitted = Đã gửi duyệt
cat-status-changes_requested = Được yêu cầu sửa
cat-status-approved = Đã duyệt
cat-status-rejected = Bị từ chối
cat-status-issued = Đã ban hành
cat-status-published = Đã công bố
cat-status-withdrawn = Đã rút khỏi danh mục

cat-pub-on_time = Công bố đúng hạn
cat-pub-late = Công bố trễ hạn
cat-pub-overdue = Quá hạn, chưa công bố
cat-pub-pending = Chưa đến hạn công bố
cat-days-overdue = quá hạn { $count } ngày

cat-access-download = Tải tệp
cat-access-api = API

cat-entry-heading = Mục danh mục
cat-entry-due = Hạn và tình hình công bố
cat-entry-publication-due = Hạn công bố lần đầu
cat-entry-published = Ngày công bố
cat-entry-not-in-force = Mục này không thuộc danh mục đang có hiệu lực.
cat-entry-datasets = Dữ liệu đã công bố
cat-entry-no-datasets = Chưa có bộ dữ liệu nào được công bố cho mục này.
cat-entry-not-public = chưa công khai
cat-entry-stale = Quá hạn cập nhật từ { $date }
cat-entry-history = Lịch sử trạng thái
cat-entry-history-caption = Các lần đổi trạng thái: khi nào, ai, từ đâu sang đâu, vì sao
cat-entry-when = Thời điểm
cat-entry-who = Người thực hiện
cat-entry-move = Thay đổi
cat-entry-why = Lý do
cat-entry-merged = Đã gộp vào mục khác
cat-entry-system = Hệ thống

cat-versions-heading = Các phiên bản danh mục đã ban hành
cat-versions-lead = Mỗi phiên bản giữ nguyên các mục như quyết định đã ban hành; phiên bản sau không làm thay đổi phiên bản trước.
cat-versions-none = Chưa có phiên bản nào.
cat-versions-caption = Các phiên bản, mới nhất trước
cat-col-version = Phiên bản
cat-col-entries = Số mục
cat-version-heading = Danh mục dữ liệu mở, phiên bản { $version }
cat-version-changes = Thay đổi so với phiên bản trước
cat-version-first = Phiên bản đầu tiên: mọi mục đều mới.
cat-version-added = Mục thêm mới
cat-version-changed = Mục thay đổi
cat-version-withdrawn = Mục rút khỏi danh mục
cat-version-none-added = Không có mục thêm mới.
cat-version-none-changed = Không có mục thay đổi.
cat-version-none-withdrawn = Không có mục bị rút.
cat-version-all = Các mục của phiên bản này
cat-version-changed-fields = Trường thay đổi
cat-version-issued-by = Ghi nhận bởi { $user } lúc { $date }

cat-field-title = Tên
cat-field-description = Mô tả
cat-field-owner_org = Đơn vị
cat-field-organization_title = Tên đơn vị
cat-field-themes = Chủ đề
cat-field-formats = Định dạng
cat-field-access_methods = Cách truy cập
cat-field-frequency = Tần suất
cat-field-planned_publication = Ngày dự kiến công bố
cat-field-legal_basis = Căn cứ pháp lý
cat-field-priority = Mức ưu tiên

cat-figures-heading = Số liệu tuân thủ danh mục dữ liệu mở
cat-figures-lead = Theo từng đơn vị: số mục đã ban hành, công bố đúng hạn, trễ hạn, chưa công bố và dữ liệu quá hạn cập nhật. Đây là số liệu dữ liệu mở tỉnh báo cáo trong bộ chỉ số chuyển đổi số (DTI).
cat-figures-as-of = Số liệu tính đến ngày
cat-figures-show = Xem
cat-figures-version = Theo danh mục phiên bản { $version }, ban hành ngày { $date }.
cat-figures-no-version = Đến ngày này chưa có danh mục nào được ban hành.
cat-figures-review-due = Hạn rà soát danh mục tiếp theo: { $date }.
cat-figures-legal = Căn cứ: { $review }; { $update }.
cat-figures-table = Bảng số liệu theo đơn vị
cat-figures-caption = Số liệu tuân thủ theo đơn vị, tính đến { $date }
cat-figures-chart = Biểu đồ
cat-figures-chart-title = Tình hình công bố các mục danh mục theo đơn vị, tính đến { $date }
cat-figures-chart-desc = Mỗi thanh là một đơn vị (thanh đầu là toàn tỉnh), chia theo: công bố đúng hạn, công bố trễ hạn, quá hạn chưa công bố, chưa đến hạn. Số liệu đầy đủ ở bảng bên dưới.
cat-figures-chart-note = Biểu đồ có bảng số liệu tương ứng ngay bên dưới.
cat-figures-province = Toàn tỉnh
cat-figures-share = { $share } đúng hạn
cat-figures-share-none = chưa có mục đến hạn
cat-col-approved = Số mục đã ban hành
cat-col-on-time = Công bố đúng hạn
cat-col-late = Công bố trễ hạn
cat-col-overdue = Quá hạn, chưa công bố
cat-col-pending = Chưa đến hạn
cat-col-stale = Dữ liệu quá hạn cập nhật
cat-col-share = Tỷ lệ đúng hạn (%)
cat-figures-overdue = Các mục quá hạn công bố
cat-figures-overdue-none = Không có mục nào quá hạn công bố.
cat-figures-stale = Bộ dữ liệu quá hạn cập nhật
cat-figures-stale-none = Không có bộ dữ liệu nào quá hạn cập nhật.
cat-col-due = Hạn
cat-col-days-late = Số ngày quá hạn
cat-figures-exports = Tải số liệu
cat-entry-staff-heading = Dành cho đơn vị và Văn phòng dữ liệu
cat-entry-staff-manage = Gửi duyệt, duyệt, nhận xét, gắn dữ liệu
