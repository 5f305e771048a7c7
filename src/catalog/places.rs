//! The communes and wards a dataset may cover: the 3,321 units of the 2025 reform
//! (`demo/vn-wards-2025.csv`, compiled in), of the province this portal serves. The list has
//! names only, no codes, so a place is stored by name in `spatial_name` (the search index's
//! `place` keyword takes the name when `spatial_code` is empty).

/// The list: `province,ward,merged_from`, the last field quoted.
const WARDS_CSV: &str = include_str!("../../demo/vn-wards-2025.csv");

/// The places of `province` as the dataset form offers them: the whole province first
/// ("Tỉnh Tây Ninh"), then its communes and wards in the list's (alphabetical) order.
pub fn places_of(province: &str) -> Vec<String> {
    let province = crate::text::nfc(province.trim());
    let mut places = vec![format!("Tỉnh {province}")];
    // Hand-split rather than a CSV crate: the first two fields never hold commas or quotes
    // (checked over the whole file), and only they are read.
    places.extend(WARDS_CSV.lines().skip(1).filter_map(|line| {
        let mut fields = line.splitn(3, ',');
        let (from, ward) = (fields.next()?, fields.next()?);
        (crate::text::nfc(from) == province).then(|| crate::text::nfc(ward.trim()))
    }));
    places
}

#[cfg(test)]
mod tests {
    #[test]
    fn tay_ninh_has_its_96_communes_and_wards_after_the_province() {
        let places = super::places_of("Tây Ninh");
        assert_eq!(places.len(), 97);
        assert_eq!(places[0], "Tỉnh Tây Ninh");
        assert!(places.iter().any(|p| p == "An Tịnh"));
        assert_eq!(super::places_of("Nơi không có").len(), 1);
    }
}
