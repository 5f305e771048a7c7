//! The figures table printed at the end of a run.

use std::fmt::Write as _;

/// How a figure compares with its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Goal met.
    Pass,
    /// Goal missed.
    Miss,
    /// No goal; printed for information.
    Info,
    /// The measurement itself failed.
    Error,
}

impl Verdict {
    /// `Pass` when `ok`, else `Miss`.
    pub fn of(ok: bool) -> Self {
        if ok {
            Verdict::Pass
        } else {
            Verdict::Miss
        }
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Miss => "MISS",
            Verdict::Info => "",
            Verdict::Error => "ERROR",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// The measured value, formatted with its unit.
    pub value: String,
    /// The goal, formatted ("≤ 1 ms"), or empty.
    pub goal: String,
    /// Comparison with the goal.
    pub verdict: Verdict,
}

/// Figures in the order they were measured.
#[derive(Debug, Default)]
pub struct Report {
    figures: Vec<Figure>,
}

impl Report {
    /// Adds a row and echoes it to stderr as progress.
    pub fn add(&mut self, name: &str, value: String, goal: &str, verdict: Verdict) {
        eprintln!("  {name}: {value} {}", verdict.label());
        self.figures.push(Figure {
            name: name.to_string(),
            value,
            goal: goal.to_string(),
            verdict,
        });
    }

    /// Adds a row without a goal.
    pub fn info(&mut self, name: &str, value: String) {
        self.add(name, value, "", Verdict::Info);
    }

    /// Adds a row for a measurement that failed.
    pub fn error(&mut self, name: &str, error: &anyhow::Error) {
        self.add(name, format!("{error:#}"), "", Verdict::Error);
    }

    /// Whether nothing has been recorded yet.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }

    /// Whether any figure missed its goal or failed.
    pub fn any_failed(&self) -> bool {
        self.figures
            .iter()
            .any(|f| matches!(f.verdict, Verdict::Miss | Verdict::Error))
    }

    /// The table as aligned plain text.
    pub fn render(&self) -> String {
        let headers = ["figure", "value", "goal", "result"];
        let rows: Vec<[String; 4]> = self
            .figures
            .iter()
            .map(|f| {
                // Long error messages would stretch the table; keep one line.
                let mut value = f.value.replace('\n', " ");
                if value.chars().count() > 100 {
                    value = value.chars().take(97).collect::<String>() + "...";
                }
                [
                    f.name.clone(),
                    value,
                    f.goal.clone(),
                    f.verdict.label().to_string(),
                ]
            })
            .collect();
        let mut widths = headers.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let mut line = |cells: [&str; 4]| {
            let mut text = String::new();
            for (cell, w) in cells.iter().zip(widths) {
                let pad = w - cell.chars().count();
                let _ = write!(text, "{cell}{}  ", " ".repeat(pad));
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(headers);
        line(widths.map(|w| "-".repeat(w)).each_ref().map(String::as_str));
        for row in &rows {
            line(row.each_ref().map(String::as_str));
        }
        out
    }
}
