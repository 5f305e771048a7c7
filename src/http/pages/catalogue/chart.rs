//! The figures' bar chart, drawn on the server as SVG (readable without JavaScript): one bar
//! per department, the province's first, split into published on time, published late,
//! overdue and not yet due. Widths are percentages of the chart and text is in pixels, so on a
//! 360 px phone the bars shrink while the words stay readable. Each part has its own pattern
//! and its count written on it (colour is never the only cue), and the figures' table beside
//! it is the chart's data alternative.

use crate::catalog::catalogue::compliance::{DepartmentFigures, Publication};

/// Height of one department's row: its label line, then its bar.
const ROW: u32 = 58;
/// Where the bar starts under the label line.
const BAR_TOP: u32 = 24;
/// Height of a bar.
const BAR: u32 = 26;
/// Narrowest part (percent of the chart) whose count is written on it; a narrower one still
/// has it in its tooltip and in the table.
const LABELLED: f64 = 5.0;

/// The parts of a bar, in drawing order.
pub const PARTS: [Publication; 4] = [
    Publication::OnTime,
    Publication::Late,
    Publication::Overdue,
    Publication::Pending,
];

/// One part of a bar.
pub struct Part {
    /// Its publication state's class (`on-time`, `late`, ...): pattern and text colour.
    pub class: &'static str,
    /// Left edge, percent of the chart's width.
    pub x: f64,
    /// Width, percent.
    pub width: f64,
    /// Entries in it.
    pub count: usize,
    /// The state's name with the count (the part's tooltip).
    pub title: String,
}

impl Part {
    /// Whether its count fits on it.
    pub fn labelled(&self) -> bool {
        self.width >= LABELLED
    }

    /// The middle of the part, percent (where its count is written).
    pub fn middle(&self) -> f64 {
        self.x + self.width / 2.0
    }
}

/// One department's bar.
pub struct Bar {
    /// Department (or province) and its share on time, as written above the bar.
    pub label: String,
    /// The province's bar.
    pub total: bool,
    /// Top of the label line's baseline, pixels.
    pub label_y: u32,
    /// Top of the bar, pixels.
    pub bar_y: u32,
    /// Baseline of the counts written on the bar.
    pub count_y: u32,
    /// Its parts (empty ones left out).
    pub parts: Vec<Part>,
}

/// The chart.
pub struct Chart {
    /// Height, pixels.
    pub height: u32,
    /// Bar height, pixels.
    pub bar_height: u32,
    /// The bars.
    pub bars: Vec<Bar>,
}

/// The count of `figures` in `state`.
pub fn count(figures: &DepartmentFigures, state: Publication) -> usize {
    match state {
        Publication::OnTime => figures.published_on_time,
        Publication::Late => figures.published_late,
        Publication::Overdue => figures.not_published_overdue,
        Publication::Pending => figures.not_published_pending,
    }
}

/// Lays out the bars of the province (`totals`, labelled `province`) and its departments;
/// `label` writes a department's line, `part_title` a part's tooltip. Bars share one scale
/// (the largest count of entries), so departments compare at a glance.
pub fn layout(
    totals: &DepartmentFigures,
    province: &str,
    departments: &[DepartmentFigures],
    label: impl Fn(&str, &DepartmentFigures) -> String,
    part_title: impl Fn(Publication, usize) -> String,
) -> Chart {
    let scale = departments
        .iter()
        .chain(std::iter::once(totals))
        .map(|d| d.approved)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let rows = std::iter::once((province, totals, true))
        .chain(departments.iter().map(|d| (d.title.as_str(), d, false)));
    let mut bars = Vec::new();
    for (index, (name, figures, total)) in rows.enumerate() {
        let top = u32::try_from(index).unwrap_or(0) * ROW;
        let mut x = 0.0;
        let mut parts = Vec::new();
        for state in PARTS {
            let n = count(figures, state);
            if n == 0 {
                continue;
            }
            let width = n as f64 / scale * 100.0;
            parts.push(Part {
                class: super::publication_class(state),
                x,
                width,
                count: n,
                title: part_title(state, n),
            });
            x += width;
        }
        bars.push(Bar {
            label: label(name, figures),
            total,
            label_y: top + 17,
            bar_y: top + BAR_TOP,
            count_y: top + BAR_TOP + 18,
            parts,
        });
    }
    Chart {
        height: u32::try_from(bars.len()).unwrap_or(0) * ROW,
        bar_height: BAR,
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(title: &str, on_time: usize, late: usize, overdue: usize) -> DepartmentFigures {
        DepartmentFigures {
            title: title.to_owned(),
            approved: on_time + late + overdue,
            published_on_time: on_time,
            published_late: late,
            not_published_overdue: overdue,
            ..Default::default()
        }
    }

    #[test]
    fn bars_share_one_scale_and_parts_follow_each_other() {
        let health = figures("Sở Y tế", 1, 0, 1);
        let labour = figures("Sở Lao động", 0, 1, 0);
        let totals = figures("", 1, 1, 1);
        let chart = layout(
            &totals,
            "Toàn tỉnh",
            &[health, labour],
            |name, _| name.to_owned(),
            |_, n| n.to_string(),
        );
        assert_eq!(chart.bars.len(), 3);
        assert!(chart.bars[0].total);
        assert_eq!(chart.bars[0].parts.len(), 3);
        let health = &chart.bars[1];
        assert_eq!(health.label, "Sở Y tế");
        assert_eq!(health.parts[0].class, "on-time");
        assert!((health.parts[0].width - 100.0 / 3.0).abs() < 1e-9);
        assert!((health.parts[1].x - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(health.parts[1].class, "overdue");
        assert_eq!(chart.height, 3 * ROW);
        assert!(chart.bars[2].bar_y > chart.bars[1].bar_y);
    }

    #[test]
    fn an_empty_catalogue_draws_the_province_without_parts() {
        let chart = layout(
            &DepartmentFigures::default(),
            "Toàn tỉnh",
            &[],
            |name, _| name.to_owned(),
            |_, n| n.to_string(),
        );
        assert_eq!(chart.bars.len(), 1);
        assert!(chart.bars[0].parts.is_empty());
    }
}
