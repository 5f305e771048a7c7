//! Accessibility checks with axe-core (vendored, see README.md beside this file).

use std::fmt;

use serde::Deserialize;

use super::harness::Browser;

/// axe-core 4.14.1 (MPL-2.0), unchanged from its npm package.
const AXE_SOURCE: &str = include_str!("axe.min.js");

/// One rule the page breaks, with the elements that break it.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeViolation {
    /// The axe rule, e.g. `color-contrast`, `html-has-lang`.
    pub id: String,
    /// `serious` or `critical` (lesser ones are not returned).
    pub impact: String,
    /// What the rule asks for, in a sentence.
    pub help: String,
    /// CSS selectors of the offending elements.
    pub targets: Vec<String>,
}

impl fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {} — {}",
            self.id,
            self.impact,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Runs axe on the whole document and hands back each violation's essentials (the full
/// result is large and mostly passes). Nested targets (iframes, shadow DOM) are joined.
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] })
        .then(result => done(result.violations.map(v => ({
            id: v.id,
            impact: v.impact || '',
            help: v.help,
            targets: v.nodes.map(n => n.target
                .map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' ')),
        }))))
        .catch(e => done({ error: String(e) }));
"#;

impl Browser {
    /// The page's accessibility violations of impact `serious` or `critical`, as axe-core
    /// finds them in the current document (an empty list is a pass).
    pub async fn axe_violations(&self) -> Vec<AxeViolation> {
        // A navigation drops the injected script, so inject once per document.
        if self.js("return typeof window.axe").await != "object" {
            self.client()
                .execute(AXE_SOURCE, Vec::new())
                .await
                .unwrap_or_else(|e| panic!("axe-core did not load: {e}"));
        }
        let result = self.js_async(RUN_AXE).await;
        if let Some(error) = result.get("error") {
            panic!("axe.run failed: {error}");
        }
        let violations: Vec<AxeViolation> =
            serde_json::from_value(result).expect("axe violations in the mapped shape");
        violations
            .into_iter()
            .filter(|v| v.impact == "serious" || v.impact == "critical")
            .collect()
    }
}
