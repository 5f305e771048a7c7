//! GeoJSON drawn on the server as an inline SVG: no script, no tile server, no network, so the
//! map shows in any browser and in print. Longitude and latitude go through an
//! equirectangular projection (x = longitude × cos(middle latitude), y = −latitude), scaled so
//! the longer side is 1000 units; coordinates that are not longitude/latitude (a file in a
//! projected system such as VN-2000 metres) are drawn as they are. Path data is written from
//! numbers only, rounded to a tenth of a unit, repeated points dropped.

use serde::Deserialize;
use serde_json::Value;

use super::Limits;

/// A map of a GeoJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    /// The SVG's `viewBox`.
    pub view_box: String,
    /// Polygons and lines.
    pub shapes: Vec<Shape>,
    /// Points, as circle centres.
    pub points: Vec<(f64, f64)>,
    /// Radius of a point, in the view box's units.
    pub point_radius: f64,
    /// West, south, east, north of what is drawn.
    pub bbox: [f64; 4],
    /// True when the coordinates are longitude and latitude.
    pub geographic: bool,
    /// Features drawn.
    pub features_shown: usize,
    /// Features in the file.
    pub features_total: usize,
    /// True when not every feature (or not every point) is drawn.
    pub truncated: bool,
}

/// A polygon (its rings, holes included) or a line, as SVG path data.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The path data (`M…L…Z`).
    pub d: String,
    /// True for a polygon (filled), false for a line.
    pub area: bool,
}

/// The longer side of the drawing, in view box units.
const SIZE: f64 = 1000.0;

/// A GeoJSON object; properties are skipped unread.
#[derive(Deserialize)]
struct Object {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    features: Vec<Feature>,
    #[serde(default)]
    geometry: Option<Geometry>,
    #[serde(default)]
    coordinates: Option<Value>,
    #[serde(default)]
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    coordinates: Option<Value>,
    #[serde(default)]
    geometries: Vec<Geometry>,
}

/// A part of a geometry in source coordinates.
enum Part {
    Point([f64; 2]),
    Line(Vec<[f64; 2]>),
    Polygon(Vec<Vec<[f64; 2]>>),
}

/// The map of a GeoJSON text; `None` when it is not GeoJSON or has nothing to draw.
pub fn map(reader: impl std::io::Read, limits: &Limits) -> Option<Map> {
    let object: Object = serde_json::from_reader(std::io::BufReader::new(reader)).ok()?;
    let geometries: Vec<Geometry> = match object.kind.as_str() {
        "FeatureCollection" => object
            .features
            .into_iter()
            .map(|f| f.geometry.unwrap_or_else(Geometry::empty))
            .collect(),
        "Feature" => vec![object.geometry?],
        _ => vec![Geometry {
            kind: object.kind,
            coordinates: object.coordinates,
            geometries: object.geometries,
        }],
    };
    let features_total = geometries.len();
    let mut parts = Vec::new();
    let mut positions = 0usize;
    let mut features_shown = 0;
    let mut truncated = features_total > limits.max_features;
    for geometry in geometries.iter().take(limits.max_features) {
        let before = parts.len();
        collect(geometry, &mut parts, 0);
        positions += parts[before..].iter().map(Part::len).sum::<usize>();
        if positions > limits.max_positions {
            parts.truncate(before);
            truncated = true;
            break;
        }
        features_shown += 1;
    }
    let bbox = bounds(&parts)?;
    Some(draw(
        &parts,
        bbox,
        features_shown,
        features_total,
        truncated,
    ))
}

impl Geometry {
    fn empty() -> Geometry {
        Geometry {
            kind: String::new(),
            coordinates: None,
            geometries: Vec::new(),
        }
    }
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Point(_) => 1,
            Part::Line(line) => line.len(),
            Part::Polygon(rings) => rings.iter().map(Vec::len).sum(),
        }
    }
}

/// The parts of a geometry (collections nest at most a few levels).
fn collect(geometry: &Geometry, parts: &mut Vec<Part>, depth: usize) {
    let coordinates = geometry.coordinates.as_ref().unwrap_or(&Value::Null);
    match geometry.kind.as_str() {
        "Point" => parts.extend(position(coordinates).map(Part::Point)),
        "MultiPoint" => parts.extend(each(coordinates).filter_map(position).map(Part::Point)),
        "LineString" => parts.push(Part::Line(line(coordinates))),
        "MultiLineString" => parts.extend(each(coordinates).map(line).map(Part::Line)),
        "Polygon" => parts.push(Part::Polygon(each(coordinates).map(line).collect())),
        "MultiPolygon" => parts.extend(
            each(coordinates).map(|polygon| Part::Polygon(each(polygon).map(line).collect())),
        ),
        "GeometryCollection" if depth < 4 => {
            for inner in &geometry.geometries {
                collect(inner, parts, depth + 1);
            }
        }
        _ => {}
    }
}

fn each(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn position(value: &Value) -> Option<[f64; 2]> {
    let x = value.get(0)?.as_f64()?;
    let y = value.get(1)?.as_f64()?;
    (x.is_finite() && y.is_finite()).then_some([x, y])
}

fn line(value: &Value) -> Vec<[f64; 2]> {
    each(value).filter_map(position).collect()
}

/// West, south, east, north of every position; `None` when there is none.
fn bounds(parts: &[Part]) -> Option<[f64; 4]> {
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut visit = |[x, y]: [f64; 2]| {
        bbox = [
            bbox[0].min(x),
            bbox[1].min(y),
            bbox[2].max(x),
            bbox[3].max(y),
        ];
    };
    for part in parts {
        match part {
            Part::Point(p) => visit(*p),
            Part::Line(line) => line.iter().copied().for_each(&mut visit),
            Part::Polygon(rings) => rings.iter().flatten().copied().for_each(&mut visit),
        }
    }
    bbox[0].is_finite().then_some(bbox)
}

/// Projects and writes the parts.
fn draw(
    parts: &[Part],
    bbox: [f64; 4],
    features_shown: usize,
    features_total: usize,
    truncated: bool,
) -> Map {
    let [west, south, east, north] = bbox;
    let geographic = west >= -180.0 && east <= 180.0 && south >= -90.0 && north <= 90.0;
    let squeeze = if geographic {
        ((south + north) / 2.0).to_radians().cos()
    } else {
        1.0
    };
    let (width, height) = ((east - west) * squeeze, north - south);
    let longer = width.max(height);
    let scale = if longer > 0.0 { SIZE / longer } else { 1.0 };
    let project = |[x, y]: [f64; 2]| {
        let px = if longer > 0.0 {
            (x - west) * squeeze * scale
        } else {
            0.0
        };
        let py = if longer > 0.0 {
            (north - y) * scale
        } else {
            0.0
        };
        (round(px), round(py))
    };
    let mut shapes = Vec::new();
    let mut points = Vec::new();
    for part in parts {
        match part {
            Part::Point(p) => points.push(project(*p)),
            Part::Line(line) => {
                let mut d = String::new();
                path(&mut d, line, &project, false);
                if !d.is_empty() {
                    shapes.push(Shape { d, area: false });
                }
            }
            Part::Polygon(rings) => {
                let mut d = String::new();
                for ring in rings {
                    path(&mut d, ring, &project, true);
                }
                if !d.is_empty() {
                    shapes.push(Shape { d, area: true });
                }
            }
        }
    }
    let (w, h) = (round(width * scale), round(height * scale));
    let margin = 12.0;
    Map {
        view_box: format!(
            "{} {} {} {}",
            -margin,
            -margin,
            w + 2.0 * margin,
            h + 2.0 * margin
        ),
        shapes,
        points,
        point_radius: 8.0,
        bbox,
        geographic,
        features_shown,
        features_total,
        truncated,
    }
}

/// Appends `M x y L x y … [Z]`, dropping points that round onto the previous one.
fn path(d: &mut String, line: &[[f64; 2]], project: &impl Fn([f64; 2]) -> (f64, f64), close: bool) {
    use std::fmt::Write;
    let mut last = None;
    let mut count = 0;
    let start = d.len();
    for &p in line {
        let q = project(p);
        if last == Some(q) {
            continue;
        }
        let command = if last.is_none() { 'M' } else { 'L' };
        let _ = write!(d, "{command}{} {}", q.0, q.1);
        last = Some(q);
        count += 1;
    }
    if count < 2 {
        d.truncate(start);
    } else if close {
        d.push('Z');
    }
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Map> {
        map(text.as_bytes(), &Limits::default())
    }

    #[test]
    fn a_feature_collection_becomes_paths_and_circles() {
        let m = of(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"ten":"Phường Tân Ninh"},"geometry":{"type":"Polygon",
              "coordinates":[[[106.0,11.0],[106.2,11.0],[106.2,11.2],[106.0,11.2],[106.0,11.0]],
                             [[106.05,11.05],[106.1,11.05],[106.1,11.1],[106.05,11.05]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"LineString",
              "coordinates":[[106.0,11.0],[106.2,11.2]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint",
              "coordinates":[[106.1,11.1],[106.2,11.0]]}},
            {"type":"Feature","properties":{},"geometry":null}
        ]}"#)
        .unwrap();
        assert!(m.geographic);
        assert_eq!(m.features_total, 4);
        assert_eq!(m.shapes.len(), 2);
        assert!(m.shapes[0].area && !m.shapes[1].area);
        assert_eq!(m.shapes[0].d.matches('M').count(), 2, "outer ring and hole");
        assert!(m.shapes[0].d.ends_with('Z'));
        assert_eq!(m.points.len(), 2);
        // 0.2° of latitude is the longer side: 1000 units; longitude squeezed by cos(11.1°).
        assert!(m.shapes[0].d.starts_with("M0 1000L"), "{}", m.shapes[0].d);
        assert!(m.view_box.starts_with("-12 -12 "), "{}", m.view_box);
        assert!(m
            .shapes
            .iter()
            .all(|s| s.d.chars().all(|c| "MLZ .-0123456789".contains(c))));
    }

    #[test]
    fn single_geometries_and_collections_are_drawn() {
        let point = of(r#"{"type":"Point","coordinates":[106.1,11.3]}"#).unwrap();
        assert_eq!(point.points, [(0.0, 0.0)]);
        let feature = of(
            r#"{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[
            [[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}}"#,
        )
        .unwrap();
        assert_eq!(feature.shapes.len(), 2);
        let collection = of(r#"{"type":"GeometryCollection","geometries":[
            {"type":"Point","coordinates":[1,1]},{"type":"MultiLineString","coordinates":[[[0,0],[2,2]]]}]}"#)
        .unwrap();
        assert_eq!((collection.points.len(), collection.shapes.len()), (1, 1));
    }

    #[test]
    fn projected_coordinates_are_drawn_as_they_are() {
        let m = of(r#"{"type":"LineString","coordinates":[[570000,1230000],[580000,1240000]]}"#)
            .unwrap();
        assert!(!m.geographic);
        assert_eq!(m.shapes[0].d, "M0 1000L1000 0");
    }

    #[test]
    fn only_the_first_features_are_drawn() {
        let features: Vec<String> = (0..1500)
            .map(|i| {
                format!(
                    r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
                    i % 90,
                    i % 45
                )
            })
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let m = of(&text).unwrap();
        assert_eq!(m.features_total, 1500);
        assert_eq!(m.features_shown, Limits::default().max_features);
        assert!(m.truncated);
    }

    #[test]
    fn not_geojson_or_nothing_to_draw_is_none() {
        assert!(of(r#"{"ten": "không phải bản đồ"}"#).is_none());
        assert!(of(r#"{"type":"FeatureCollection","features":[]}"#).is_none());
        assert!(of("[1,2,3]").is_none());
        assert!(of("{not json").is_none());
    }
}
