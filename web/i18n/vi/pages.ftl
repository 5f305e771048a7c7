# Giao diện các trang (tiếng Việt, mặc định).

## Khung trang
site-name = Cổng dữ liệu mở
site-province = Tỉnh { $province }
site-description = Dữ liệu mở của các sở, ban, ngành tỉnh { $province }: tìm kiếm, xem trước và tải về miễn phí, không cần đăng ký.
skip-to-content = Bỏ qua, đến nội dung chính
nav-label = Điều hướng chính
nav-datasets = Bộ dữ liệu
nav-organizations = Cơ quan
nav-groups = Chủ đề
nav-about = Giới thiệu
nav-terms = Điều khoản sử dụng
nav-contact = Liên hệ
nav-api = API cho nhà phát triển
lang-switch = English
footer-owner = Ủy ban nhân dân tỉnh { $province }. Dữ liệu mở miễn phí, được tái sử dụng có ghi nguồn.
footer-legal = Nghị định 42/2022/NĐ-CP · Nghị định 47/2020/NĐ-CP · Quyết định 142/QĐ-TTg
back-home = Về trang chủ
nav-home = Trang chủ
breadcrumb-label = Vị trí trang

## Lỗi
error-not-found = Không tìm thấy trang
error-forbidden = Không có quyền truy cập
error-bad-request = Yêu cầu không hợp lệ
error-unavailable = Dịch vụ tạm thời gián đoạn
error-internal = Đã có lỗi xảy ra
error-code = Mã lỗi

## Tìm kiếm
search-label = Tìm bộ dữ liệu
search-placeholder = Ví dụ: giá đất, trường học, dân số…
search-button = Tìm kiếm
search-hint = Gõ có dấu hoặc không dấu đều được.
ask-for-data = Đề nghị cung cấp dữ liệu
results-count = { $count ->
    [0] Không tìm thấy bộ dữ liệu nào
   *[other] { $count } bộ dữ liệu
}
results-for = cho “{ $query }”
results-title = Bộ dữ liệu
results-title-query = Kết quả tìm “{ $query }”
filters-heading = Lọc kết quả
filters-active = Đang lọc
filter-remove = Bỏ lọc { $name }
filter-clear-all = Bỏ tất cả bộ lọc
facet-organization = Cơ quan
facet-groups = Chủ đề
facet-res_format = Định dạng
facet-license_id = Giấy phép
facet-frequency = Tần suất cập nhật
facet-tags = Từ khóa
facet-place = Địa bàn
facet-more = Xem thêm
sort-label = Sắp xếp
sort-relevance = Liên quan nhất
sort-modified = Mới cập nhật
sort-created = Mới đăng
sort-title = Tên A → Z
sort-apply = Áp dụng
page-label = Phân trang
page-previous = ← Trang trước
page-next = Trang sau →
page-current = Trang { $page }
page-of = Trang { $page } / { $pages }
no-results-heading = Không tìm thấy bộ dữ liệu phù hợp
no-results-try = Thử lại với:
no-results-unaccented = tìm không dấu: “{ $query }”
no-results-suggestion = có phải bạn muốn tìm: “{ $query }”
no-results-one-word = chỉ tìm “{ $word }”
no-results-fewer-filters = bỏ bớt bộ lọc
no-results-ask = Không có dữ liệu bạn cần? Hãy đề nghị cơ quan nhà nước cung cấp.
did-you-mean = Có phải bạn muốn tìm:
results-relaxed = Không có bộ dữ liệu chứa đủ mọi từ; đây là kết quả gần đúng.
resources-count = { $count ->
    [0] chưa có tệp
   *[other] { $count } tệp
}
updated-on = Cập nhật { $date }
deep-page-limit = Chỉ hiển thị 100.000 kết quả đầu tiên; hãy thêm từ khóa hoặc bộ lọc.

## Trang chủ
home-heading = Dữ liệu mở tỉnh { $province }
home-lead = Tìm, xem trước và tải về dữ liệu của các cơ quan nhà nước trong tỉnh. Miễn phí, không cần đăng ký, được tái sử dụng có ghi nguồn.
home-stat-datasets = bộ dữ liệu
home-stat-organizations = cơ quan
home-stat-groups = chủ đề
home-groups = Chủ đề dữ liệu quốc gia
home-organizations = Cơ quan cung cấp dữ liệu
home-newest = Mới đăng
home-popular = Được tải nhiều nhất
home-all-datasets = Xem tất cả bộ dữ liệu
home-all-organizations = Xem tất cả cơ quan
downloads-count = { $count } lượt tải
datasets-count = { $count ->
    [0] chưa có bộ dữ liệu
   *[other] { $count } bộ dữ liệu
}
home-no-popular = Chưa có lượt tải nào.

## Cơ quan và chủ đề
organizations-heading = Cơ quan cung cấp dữ liệu
organizations-lead = Các sở, ban, ngành và địa phương công bố dữ liệu mở trên cổng.
groups-heading = Chủ đề dữ liệu
groups-lead = 12 chủ đề dữ liệu mở quốc gia.
organization-datasets = Bộ dữ liệu của cơ quan
group-datasets = Bộ dữ liệu thuộc chủ đề

## Giới thiệu, điều khoản, API
about-heading = Giới thiệu
terms-heading = Điều khoản sử dụng dữ liệu mở
api-heading = API cho nhà phát triển
licenses-heading = Các giấy phép trên cổng
license-read = Xem toàn văn

## Nội dung trang giới thiệu, điều khoản và API
about-intro = Cổng dữ liệu mở tỉnh { $province } là cổng dữ liệu cấp tỉnh theo Nghị định 42/2022/NĐ-CP, kết nối với Cổng dữ liệu quốc gia (data.gov.vn). Cổng công bố dữ liệu mở của các cơ quan nhà nước trong tỉnh theo Danh mục dữ liệu mở do Chủ tịch Ủy ban nhân dân tỉnh ban hành (Quyết định 142/QĐ-TTg).
about-free = Mọi người được tìm kiếm, xem trước và tải về dữ liệu miễn phí, không cần đăng ký, và được tái sử dụng theo
about-terms-link = điều khoản sử dụng
about-structure = Cơ quan công bố dữ liệu
terms-intro = Dữ liệu trên cổng là dữ liệu mở theo Nghị định 47/2020/NĐ-CP (Điều 17–21; nay được kế thừa tại Nghị định 194/2025/NĐ-CP). Trừ khi bộ dữ liệu ghi giấy phép khác, áp dụng điều khoản sử dụng mặc định của Điều 18:
terms-free = Được truy cập, tải về, sao chép, sử dụng và chia sẻ dữ liệu miễn phí, không cần đăng ký hay cung cấp danh tính.
terms-reuse = Được tái sử dụng, kết hợp với dữ liệu khác, kể cả cho mục đích thương mại.
terms-attribution = Phải ghi rõ nguồn: tên cơ quan cung cấp và tên bộ dữ liệu (mỗi trang bộ dữ liệu có sẵn câu ghi nguồn để sao chép).
terms-no-resale = Không được bán lại dữ liệu gốc dưới dạng thô; không được xuyên tạc dữ liệu hay gây hiểu nhầm rằng cơ quan nhà nước bảo trợ sản phẩm của mình.
terms-as-is = Dữ liệu được cung cấp nguyên trạng; cơ quan nhà nước không chịu trách nhiệm về thiệt hại phát sinh từ việc sử dụng dữ liệu.
api-intro = Cổng cung cấp API tương thích CKAN Action API v3: các công cụ đã dùng với CKAN (Python ckanapi, R ckanr, bộ thu thập CKAN) dùng được ngay. Đọc dữ liệu công khai không cần khóa API.
api-docs-lead = Danh sách đầy đủ các hành động:
api-docs-link = tài liệu API
