//! Fixed vocabularies: licences, update frequencies, the 12 national themes, and the rules
//! for URL names. Text is normalised to NFC on the way in so that NFD input from old keyboards
//! compares equal to precomposed text.

use serde_json::{json, Value};

/// A licence a dataset may carry.
pub struct License {
    /// Stable id used in `license_id`.
    pub id: &'static str,
    /// Vietnamese title.
    pub title: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// Where the text is published.
    pub url: &'static str,
}

/// Id of the default terms of use of Decree 47/2020/NĐ-CP art. 18: they apply by law to open
/// data published without other terms, so a dataset without a licence gets them.
pub const DEFAULT_LICENSE_ID: &str = "vn-nd47-2020";

/// The licences offered, the legal default first.
pub const LICENSES: &[License] = &[
    License {
        id: DEFAULT_LICENSE_ID,
        title: "Điều khoản sử dụng dữ liệu mở mặc định (Nghị định 47/2020/NĐ-CP, Điều 18)",
        title_en: "Default open data terms of use (Decree 47/2020/ND-CP, art. 18)",
        url: "https://vanban.chinhphu.vn/?pageid=27160&docid=199713",
    },
    License {
        id: "cc-by-4.0",
        title: "Creative Commons Ghi công 4.0 (CC-BY-4.0)",
        title_en: "Creative Commons Attribution 4.0",
        url: "https://creativecommons.org/licenses/by/4.0/",
    },
    License {
        id: "cc-by-sa-4.0",
        title: "Creative Commons Ghi công - Chia sẻ tương tự 4.0 (CC-BY-SA-4.0)",
        title_en: "Creative Commons Attribution Share-Alike 4.0",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
    },
    License {
        id: "cc0-1.0",
        title: "Creative Commons CC0 1.0 - Dành cho công chúng",
        title_en: "Creative Commons CC0 1.0 Universal (public domain dedication)",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    License {
        id: "odc-by",
        title: "Giấy phép Ghi công của Open Data Commons (ODC-BY)",
        title_en: "Open Data Commons Attribution License",
        url: "https://opendatacommons.org/licenses/by/1-0/",
    },
    License {
        id: "odc-odbl",
        title: "Giấy phép Cơ sở dữ liệu mở của Open Data Commons (ODbL)",
        title_en: "Open Data Commons Open Database License (ODbL)",
        url: "https://opendatacommons.org/licenses/odbl/1-0/",
    },
    License {
        id: "other-open",
        title: "Giấy phép mở khác",
        title_en: "Other (Open)",
        url: "",
    },
];

/// Finds a licence by id.
pub fn license(id: &str) -> Option<&'static License> {
    LICENSES.iter().find(|l| l.id == id)
}

/// CKAN's `license_list` entry for a licence.
pub fn license_dict(l: &License) -> Value {
    json!({
        "id": l.id,
        "title": l.title,
        "title_en": l.title_en,
        "url": l.url,
        "status": "active",
        "od_conformance": "approved",
        "osd_conformance": "not reviewed",
        "is_okd_compliant": true,
        "is_osi_compliant": false,
        "is_generic": l.id == "other-open",
        "domain_content": true,
        "domain_data": true,
        "domain_software": false,
        "family": "",
        "maintainer": "",
    })
}

/// Update frequencies: code, Vietnamese label, English label, EU frequency vocabulary term.
pub const FREQUENCIES: &[(&str, &str, &str, &str)] = &[
    ("continuous", "Liên tục", "Continuous", "CONT"),
    ("daily", "Hằng ngày", "Daily", "DAILY"),
    ("weekly", "Hằng tuần", "Weekly", "WEEKLY"),
    ("monthly", "Hằng tháng", "Monthly", "MONTHLY"),
    ("quarterly", "Hằng quý", "Quarterly", "QUARTERLY"),
    (
        "biannual",
        "6 tháng một lần",
        "Every six months",
        "BIANNUAL",
    ),
    ("annual", "Hằng năm", "Annual", "ANNUAL"),
    ("irregular", "Không định kỳ", "Irregular", "IRREG"),
    ("never", "Không cập nhật", "Never", "NEVER"),
];

/// The 12 national data themes: slug, Vietnamese title, English title.
pub const NATIONAL_THEMES: &[(&str, &str, &str)] = &[
    ("nong-nghiep", "Nông nghiệp", "Agriculture"),
    (
        "kinh-te-thuong-mai",
        "Kinh tế – Thương mại",
        "Economy and trade",
    ),
    ("giao-duc", "Giáo dục", "Education"),
    ("y-te", "Y tế", "Health"),
    ("lao-dong", "Lao động", "Labour"),
    ("moi-truong", "Môi trường", "Environment"),
    ("tai-chinh", "Tài chính", "Finance"),
    ("nang-luong", "Năng lượng", "Energy"),
    ("co-so-ha-tang", "Cơ sở hạ tầng", "Infrastructure"),
    ("xa-hoi", "Xã hội", "Society"),
    ("cong-nghe", "Công nghệ", "Technology"),
    ("dia-phuong", "Địa phương", "Local government"),
];

pub use crate::text::nfc;

/// A URL name is 2–100 characters of lowercase ASCII letters, digits, `-` and `_` (CKAN's rule).
pub fn is_valid_name(name: &str) -> bool {
    (2..=100).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A valid URL name derived from any text, Vietnamese letters folded (đ -> d, ấ -> a).
pub fn suggest_name(text: &str) -> String {
    let mut slug = slug::slugify(nfc(text));
    slug.truncate(100);
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The message for an invalid URL name, with a suggestion when one can be made.
pub fn invalid_name_message(given: &str) -> crate::error::FieldMessage {
    use crate::error::FieldCode;
    let suggestion = suggest_name(given);
    if is_valid_name(&suggestion) {
        FieldCode::InvalidNameSuggested.arg("suggestion", suggestion)
    } else {
        FieldCode::InvalidName.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_ascii_slug_for_vietnamese_title() {
        assert_eq!(
            suggest_name("Giá đất Tây Ninh 2025"),
            "gia-dat-tay-ninh-2025"
        );
        assert_eq!(suggest_name("Đường bộ"), "duong-bo");
        assert!(!is_valid_name("Giá đất"));
        assert!(is_valid_name("gia-dat_2025"));
        assert_eq!(
            invalid_name_message("Giá đất").args,
            [("suggestion", "gia-dat".into())]
        );
        let decomposed = "gia\u{301} \u{111}a\u{302}\u{301}t";
        assert_eq!(nfc(decomposed), "giá đất");
    }
}
