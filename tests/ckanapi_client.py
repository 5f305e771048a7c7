"""Drives the portal with the real CKAN client library `ckanapi`, exactly as against CKAN.

Run by tests/api/ckan_client.rs with DATAPORTAL_URL, DATAPORTAL_TOKEN and FIXTURE set.
"""
import hashlib
import os
import urllib.request

import ckanapi

url = os.environ["DATAPORTAL_URL"]
token = os.environ["DATAPORTAL_TOKEN"]
fixture = os.environ["FIXTURE"]

admin = ckanapi.RemoteCKAN(url, apikey=token, user_agent="ckanapi-compat-test")
anonymous = ckanapi.RemoteCKAN(url, user_agent="ckanapi-compat-test")

assert anonymous.action.status_show()["locale_default"] == "vi"
admin.action.organization_create(name="so-noi-vu", title="Sở Nội vụ tỉnh Tây Ninh")
created = admin.action.package_create(
    name="danh-sach-xa-phuong",
    title="Danh sách xã, phường sau sắp xếp",
    owner_org="so-noi-vu",
    tags=[{"name": "đơn vị hành chính"}],
    groups=[{"name": "dia-phuong"}],
    resources=[{"name": "Trang nguồn", "url": "https://tayninh.gov.vn/xa-phuong"}],
)
assert created["name"] == "danh-sach-xa-phuong"

with open(fixture, "rb") as f:
    resource = admin.action.resource_create(
        package_id="danh-sach-xa-phuong", name="Danh sách (CSV)", upload=f
    )
expected = open(fixture, "rb").read()
assert resource["size"] == len(expected), resource
assert resource["hash"] == hashlib.sha256(expected).hexdigest(), resource
with urllib.request.urlopen(resource["url"]) as response:
    assert response.read() == expected

shown = anonymous.action.package_show(id="danh-sach-xa-phuong")
assert shown["num_resources"] == 2, shown
admin.action.package_patch(id="danh-sach-xa-phuong", notes="Cập nhật tháng 7/2025")
found = anonymous.action.package_search(fq="organization:so-noi-vu", **{"facet.field": ["res_format"]})
assert found["count"] == 1, found
assert found["facets"]["res_format"]["CSV"] == 1, found

try:
    anonymous.action.package_create(name="khong-duoc", owner_org="so-noi-vu")
    raise SystemExit("anonymous create must fail")
except ckanapi.NotAuthorized:
    pass
try:
    admin.action.package_create(name="Tên Có Dấu", owner_org="so-noi-vu")
    raise SystemExit("invalid name must fail")
except ckanapi.ValidationError as error:
    assert "ten-co-dau" in str(error), error
admin.action.package_delete(id="danh-sach-xa-phuong")
try:
    anonymous.action.package_show(id="danh-sach-xa-phuong")
    raise SystemExit("deleted dataset must be gone")
except ckanapi.NotFound:
    pass
print("OK ckanapi", ckanapi.__name__)
