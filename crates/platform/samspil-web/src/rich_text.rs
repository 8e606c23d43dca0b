//! A task's description is written as Markdown (headings, lists, links,
//! emphasis) and shown as HTML that cannot carry markup of its own: raw
//! HTML in the text is shown as text, and links go only to web, mail and
//! local addresses.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The description as safe HTML.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        // Markup typed into the text is shown, never interpreted.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            // Images would load from anywhere: show the address instead.
            Event::Text(CowStr::from(format!("{title} {dest_url}")))
        }
        Event::End(pulldown_cmark::TagEnd::Image) => Event::Text(CowStr::from("")),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let allowed = ["https://", "http://", "mailto:", "/", "#"]
        .iter()
        .any(|prefix| lower.starts_with(prefix));
    if allowed { url } else { CowStr::from("#") }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_becomes_headings_lists_and_links() {
        let html =
            to_html("## Sådan\n\n- Bestil **certifikat**\n- Se [vejledning](https://kombit.dk)");
        assert!(html.contains("<h2>Sådan</h2>"), "{html}");
        assert!(
            html.contains("<li>Bestil <strong>certifikat</strong></li>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://kombit.dk\">vejledning</a>"),
            "{html}"
        );
    }

    #[test]
    fn typed_markup_and_script_links_stay_harmless() {
        let html = to_html(
            "<script>alert(1)</script>\n\nTekst <img src=x onerror=alert(1)> [klik](javascript:alert(1)) ![x](https://evil.example/t.png)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
