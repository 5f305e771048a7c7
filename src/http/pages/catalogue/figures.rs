//! `/catalogue/figures?as_of=`: the per-department compliance figures
//! (`catalogue_compliance_show`) as a table and a server-rendered SVG bar chart, at any date,
//! with the entries overdue for publication and the datasets past their update.

use actix_web::{web, HttpResponse};
use askama::Template;
use fluent_bundle::FluentValue;

use super::chart::{self, Chart};
use super::{compliance, date, publication_id};
use crate::catalog::catalogue::compliance::{ComplianceView, DepartmentFigures};
use crate::catalog::AppContext;
use crate::http::auth::Caller;
use crate::http::pages::chrome::Chrome;
use crate::http::pages::{blocking, reply};

/// The figures' page.
#[derive(Template)]
#[template(path = "catalogue_figures.html")]
pub struct FiguresPage<'a> {
    /// The shared chrome.
    pub chrome: &'a Chrome,
    /// The figures.
    pub view: ComplianceView,
    /// Their chart.
    pub chart: Chart,
    /// `?as_of=` of the exports' links (or empty when the figures are today's).
    pub export_query: String,
}

impl FiguresPage<'_> {
    /// A date as the reader writes it.
    pub fn date(&self, iso: &str) -> String {
        date(self.chrome, iso)
    }

    /// The share on time as a percentage in the reader's way, or a dash while nothing is due.
    pub fn share(&self, figures: &DepartmentFigures) -> String {
        share_text(self.chrome, figures.share_on_time)
    }

    /// "Figures as of …" and similar messages with the page's date.
    pub fn with_date(&self, id: &str) -> String {
        self.chrome.t1(id, "date", self.date(&self.view.as_of))
    }

    /// The version line ("against version N, issued on …").
    pub fn version_line(&self) -> String {
        let (Some(version), Some(issued)) = (self.view.version, &self.view.version_date) else {
            return self.chrome.t("cat-figures-no-version").to_owned();
        };
        self.chrome.texts.with(
            "cat-figures-version",
            &[
                ("version", FluentValue::from(version.to_string())),
                ("date", FluentValue::from(self.date(issued))),
            ],
        )
    }

    /// The legal references the figures rest on.
    pub fn legal_line(&self) -> String {
        self.chrome.texts.with(
            "cat-figures-legal",
            &[
                ("review", FluentValue::from(self.view.legal.review.clone())),
                ("update", FluentValue::from(self.view.legal.update.clone())),
            ],
        )
    }

    /// A count of days, for a plural message.
    pub fn days(&self, days: &i64) -> u64 {
        u64::try_from(*days).unwrap_or(0)
    }
}

/// A share (0–1) as a percentage: `66,7 %` in Vietnamese, `66.7%` in English; `–` for none.
pub fn share_text(chrome: &Chrome, share: Option<f64>) -> String {
    let Some(share) = share else {
        return "–".to_owned();
    };
    let number = format!("{:.1}", share * 100.0);
    match chrome.lang {
        crate::error::Lang::Vi => format!("{} %", number.replace('.', ",")),
        crate::error::Lang::En => format!("{number}%"),
    }
}

/// The chart of `view`, in the reader's language.
pub fn chart_of(chrome: &Chrome, view: &ComplianceView) -> Chart {
    chart::layout(
        &view.totals,
        chrome.t("cat-figures-province"),
        &view.departments,
        |name, figures| {
            let share = match figures.share_on_time {
                Some(share) => chrome.t1(
                    "cat-figures-share",
                    "share",
                    share_text(chrome, Some(share)),
                ),
                None => chrome.t("cat-figures-share-none").to_owned(),
            };
            format!("{name} · {share}")
        },
        |state, count| format!("{}: {count}", chrome.t(publication_id(state))),
    )
}

/// `GET /catalogue/figures?as_of=YYYY-MM-DD`.
pub async fn figures_page(
    chrome: Chrome,
    caller: Caller,
    ctx: web::Data<AppContext>,
) -> HttpResponse {
    let as_of = chrome.param("as_of").trim().to_owned();
    let asked = as_of.clone();
    let found = blocking(&ctx, caller, move |ctx, actor| {
        compliance(ctx, &actor, &asked)
    })
    .await;
    let view = match found {
        Ok(view) => view,
        Err(error) => return reply::error_page_in(&chrome, &error),
    };
    let page = FiguresPage {
        chart: chart_of(&chrome, &view),
        chrome: &chrome,
        export_query: if as_of.is_empty() {
            String::new()
        } else {
            format!("?as_of={}", view.as_of)
        },
        view,
    };
    reply::page(&chrome, &page)
}
