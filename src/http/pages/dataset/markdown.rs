//! A description in Markdown (as CKAN keeps `notes`) made safe to show: rendered with
//! pulldown-cmark, then cleaned by ammonia to a list of harmless tags, attributes and link
//! schemes. Raw HTML inside the Markdown passes through the same cleaner, so a `<script>`, an
//! `onclick` or a `javascript:` link never reaches the page, whatever an importer brought in.

use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The cleaner: ammonia's default tags less images (a description's picture would be fetched
/// from a third party's server at every visit), links marked as the publisher's, not ours.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut cleaner = ammonia::Builder::default();
    cleaner.rm_tags(["img"]).link_rel(Some("nofollow noopener"));
    cleaner
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// One heading level down (`#` becomes `<h2>`): the page's title is its only `<h1>`.
fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The Markdown as clean HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    CLEANER.clean(&html).to_string()
}

/// The Markdown's words as plain text on one line (for search engines' descriptions): marks,
/// link targets and raw HTML left out, with the text of inline `<script>` and `<style>`
/// elements (which the HTML cleaner drops too).
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let mut in_code_element = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::InlineHtml(tag) => {
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    in_code_element = true;
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    in_code_element = false;
                }
            }
            Event::Text(_) | Event::Code(_) if in_code_element => {}
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_one_heading_level_down() {
        let html = to_safe_html("# Giới thiệu\n\nBảng **giá đất** năm 2025.\n\n- một\n- hai");
        assert!(html.contains("<h2>Giới thiệu</h2>"), "{html}");
        assert!(html.contains("<strong>giá đất</strong>"), "{html}");
        assert!(html.contains("<li>một</li>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let markdown = "Xem <script>alert(1)</script> [đây](javascript:alert(2)) và \
                        <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">kia</a> \
                        <img src=x onerror=alert(5)> <iframe src=\"https://x\"></iframe>";
        let html = to_safe_html(markdown);
        for bad in [
            "<script",
            "alert(",
            "javascript:",
            "onclick",
            "onerror",
            "<img",
            "<iframe",
        ] {
            assert!(!html.contains(bad), "{bad} left in {html}");
        }
        assert!(html.contains("đây"), "{html}");
    }

    #[test]
    fn links_are_marked_nofollow_noopener() {
        let html = to_safe_html("[Sở Tài chính](https://stc.tayninh.gov.vn)");
        assert!(
            html.contains(r#"<a href="https://stc.tayninh.gov.vn" rel="nofollow noopener">"#),
            "{html}"
        );
    }

    #[test]
    fn plain_text_keeps_the_words_only() {
        let text = to_plain_text(
            "# Tiêu đề\n\nBảng **giá** [đất](https://x.vn)<b>!</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert_eq!(text, "Tiêu đề Bảng giá đất! a b 1 2");
        let text =
            to_plain_text("Giá <script>alert(1)</script>đất\n\n<script>\nalert(2)\n</script>");
        assert_eq!(text, "Giá đất");
    }
}
