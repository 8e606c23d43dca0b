//! The status chart: a horizontal stacked bar per task, as SVG.

use std::fmt::Write as _;

use crate::text::{fnv1a, truncate, xml_escape};
use crate::{ChartLabels, StatusBar};

/// Width of the drawing in user units; the SVG scales to its container.
const WIDTH: u64 = 800;
const MARGIN: u64 = 16;
const BAR_WIDTH: u64 = WIDTH - 2 * MARGIN;
/// Bar geometry is computed in hundredths of a unit, so the segments add up
/// to the bar exactly.
const SCALE: u64 = 100;
const BAR_HEIGHT: u64 = 28;

const TITLE_SIZE: u64 = 18;
const TEXT_SIZE: u64 = 14;
const DETAIL_SIZE: u64 = 13;

/// Text on white: 15.8:1.
const TEXT_COLOUR: &str = "#1F2328";
/// The colours of completed, started and not started. Each has at least
/// 4.5:1 against white, so the segments meet WCAG 2.1's 3:1 for graphics
/// against the white background and the 2-unit white gaps between them,
/// and the white numbers inside them meet 4.5:1 for text. They differ in
/// hue and in lightness (relative luminance 0.108, 0.179, 0.052), so they
/// stay apart for colour-blind readers and in greyscale.
const COMPLETED_COLOUR: &str = "#0E6B2E";
const STARTED_COLOUR: &str = "#C05600";
const NOT_STARTED_COLOUR: &str = "#374151";
/// The outline of an empty bar: 4.55:1 against white.
const EMPTY_OUTLINE: &str = "#6E7781";

/// The pages' font (Det Fælles Designsystem's IBM Plex Sans), then the system's.
const FONT_FAMILY: &str =
    "'IBM Plex Sans', system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/// The status as a horizontal stacked bar chart in SVG, one bar per item:
/// completed, started and not started from left to right, each segment as
/// long as its share of the item's total.
///
/// For a person: a heading, a legend, each item's label above its bar, the
/// count inside each segment wide enough for it; when a segment is too
/// narrow, a line under the bar gives all three counts. Each segment's
/// tooltip (`<title>`) names the item, the status and the count of the
/// total. A label too long for the width is cut with an ellipsis; its full
/// text is in its tooltip. An item whose total is 0 gets an empty, outlined
/// bar with "0".
///
/// For assistive technology: `role="img"`, named by the `<title>` (the
/// labels' title) and described by the `<desc>`, which gives every count in
/// words.
///
/// For the page: no script and no `style` attribute, only presentation
/// attributes, so it passes a Content-Security-Policy without
/// `'unsafe-inline'`; a white background of its own; `width="100%"` and a
/// `viewBox`, so it fills its container and keeps its proportions. Every
/// string from the caller is XML-escaped. The ids of the `<title>` and
/// `<desc>` are derived from the content, so different charts on one page
/// do not clash. Classes (`status-chart`, `segment`, `completed`, …) are
/// there for styling from the site's stylesheet.
pub fn status_chart_svg(bars: &[StatusBar], labels: &ChartLabels) -> String {
    let id = chart_id(bars, labels);
    let mut body = String::new();
    let mut y = 0;

    // Heading.
    y += 28;
    let title_chars = max_chars(BAR_WIDTH, TITLE_SIZE, 0.62);
    let _ = write!(
        body,
        r#"<text x="{MARGIN}" y="{y}" font-size="{TITLE_SIZE}" font-weight="bold" fill="{TEXT_COLOUR}">{}</text>"#,
        xml_escape(&truncate(&labels.title, title_chars))
    );

    // Legend, wrapping onto more lines if the words are long.
    y += 16;
    body.push_str(r#"<g class="legend">"#);
    let mut x = MARGIN;
    for (text, colour) in [
        (&labels.completed, COMPLETED_COLOUR),
        (&labels.started, STARTED_COLOUR),
        (&labels.not_started, NOT_STARTED_COLOUR),
    ] {
        let text = truncate(text, max_chars(BAR_WIDTH - 20, TEXT_SIZE, 0.6));
        let item_width = 20 + text_width(&text, TEXT_SIZE, 0.6);
        if x > MARGIN && x + item_width > WIDTH - MARGIN {
            x = MARGIN;
            y += 22;
        }
        let _ = write!(
            body,
            r#"<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/><text x="{}" y="{}" font-size="{TEXT_SIZE}" fill="{TEXT_COLOUR}">{}</text>"#,
            x + 20,
            y + 12,
            xml_escape(&text)
        );
        x += item_width + 24;
    }
    body.push_str("</g>");
    y += 14 + 24;

    if bars.is_empty() {
        y += 14;
        let _ = write!(
            body,
            r#"<text x="{MARGIN}" y="{y}" font-size="{TEXT_SIZE}" fill="{TEXT_COLOUR}">{}</text>"#,
            xml_escape(&labels.no_data)
        );
        y += 16;
    }
    for bar in bars {
        y = draw_bar(&mut body, bar, labels, y);
    }
    let height = y + 8;

    let mut svg = String::with_capacity(body.len() + 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="status-chart" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" font-family="{FONT_FAMILY}">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        xml_escape(&labels.title),
        xml_escape(&description(bars, labels))
    );
    let _ = write!(
        svg,
        r##"<rect width="{WIDTH}" height="{height}" fill="#FFFFFF"/>"##
    );
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

/// Draws one item from `top`; returns where the next one starts.
fn draw_bar(body: &mut String, bar: &StatusBar, labels: &ChartLabels, top: u64) -> u64 {
    let total = bar.total();
    let label = truncate(&bar.label, max_chars(BAR_WIDTH, TEXT_SIZE, 0.6));
    let label_text = xml_escape(&label);
    let full_label = xml_escape(&bar.label);

    body.push_str(r#"<g class="bar">"#);
    let label_y = top + 14;
    if label.chars().count() < bar.label.chars().count() {
        let _ = write!(
            body,
            r#"<g><title>{full_label}</title><text x="{MARGIN}" y="{label_y}" font-size="{TEXT_SIZE}" fill="{TEXT_COLOUR}">{label_text}</text></g>"#
        );
    } else {
        let _ = write!(
            body,
            r#"<text x="{MARGIN}" y="{label_y}" font-size="{TEXT_SIZE}" fill="{TEXT_COLOUR}">{label_text}</text>"#
        );
    }

    let bar_y = top + 22;
    let number_y = bar_y + 19;
    let mut details = false;
    if total == 0 {
        let _ = write!(
            body,
            r##"<g class="segment empty"><title>{full_label}: {} 0</title><rect x="{MARGIN}" y="{bar_y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#FFFFFF" stroke="{EMPTY_OUTLINE}" stroke-width="1"/><text x="{}" y="{number_y}" font-size="{TEXT_SIZE}" font-weight="bold" fill="{TEXT_COLOUR}">0</text></g>"##,
            xml_escape(&labels.total),
            MARGIN + 10,
        );
    } else {
        let counts = [bar.completed, bar.started, bar.not_started];
        let widths = segment_widths(counts, BAR_WIDTH * SCALE);
        let mut x = MARGIN * SCALE;
        for (((count, width), name), (class, colour)) in counts
            .into_iter()
            .zip(widths)
            .zip([&labels.completed, &labels.started, &labels.not_started])
            .zip([
                ("completed", COMPLETED_COLOUR),
                ("started", STARTED_COLOUR),
                ("not-started", NOT_STARTED_COLOUR),
            ])
        {
            if count == 0 {
                continue;
            }
            let _ = write!(
                body,
                r##"<g class="segment {class}"><title>{full_label}: {} {count} / {total}</title><rect x="{}" y="{bar_y}" width="{}" height="{BAR_HEIGHT}" fill="{colour}" stroke="#FFFFFF" stroke-width="2"/>"##,
                xml_escape(name),
                units(x),
                units(width),
            );
            let number = count.to_string();
            if text_width(&number, TEXT_SIZE, 0.62) * SCALE + 10 * SCALE <= width {
                let _ = write!(
                    body,
                    r##"<text x="{}" y="{number_y}" font-size="{TEXT_SIZE}" font-weight="bold" fill="#FFFFFF" text-anchor="middle">{number}</text>"##,
                    units(x + width / 2),
                );
            } else {
                details = true;
            }
            body.push_str("</g>");
            x += width;
        }
    }

    let mut next = bar_y + BAR_HEIGHT;
    if details {
        next += 18;
        let _ = write!(
            body,
            r#"<text class="details" x="{MARGIN}" y="{next}" font-size="{DETAIL_SIZE}" fill="{TEXT_COLOUR}">{}</text>"#,
            xml_escape(&format!(
                "{} {} · {} {} · {} {}",
                labels.completed,
                bar.completed,
                labels.started,
                bar.started,
                labels.not_started,
                bar.not_started
            ))
        );
        next += 4;
    }
    body.push_str("</g>");
    next + 18
}

/// Each count's share of `width`, rounded by largest remainder so the
/// shares add up to `width` exactly. All zero when the counts are.
fn segment_widths(counts: [u32; 3], width: u64) -> [u64; 3] {
    let total: u64 = counts.iter().map(|c| u64::from(*c)).sum();
    if total == 0 {
        return [0; 3];
    }
    // count × width ≤ 3 × u32::MAX × 76,800 < 2^64.
    let exact = counts.map(|c| u64::from(c) * width);
    let mut shares = exact.map(|e| e / total);
    let mut left = width - shares.iter().sum::<u64>();
    let mut order = [0, 1, 2];
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i] % total));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// Hundredths of a unit as SVG's number: `1234` as `12.34`, `1200` as `12`.
fn units(hundredths: u64) -> String {
    let whole = hundredths / SCALE;
    match hundredths % SCALE {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// A rough width of `text`: the font's average advance is about
/// `em_share` of its size. Good enough to decide what fits.
fn text_width(text: &str, size: u64, em_share: f64) -> u64 {
    let chars = text.chars().count() as f64;
    (chars * size as f64 * em_share).ceil() as u64
}

fn max_chars(width: u64, size: u64, em_share: f64) -> usize {
    (width as f64 / (size as f64 * em_share)).floor() as usize
}

/// Every count in words, for the `<desc>`.
fn description(bars: &[StatusBar], labels: &ChartLabels) -> String {
    if bars.is_empty() {
        return labels.no_data.clone();
    }
    bars.iter()
        .map(|bar| {
            format!(
                "{}: {} {}, {} {}, {} {}, {} {}.",
                bar.label,
                labels.completed,
                bar.completed,
                labels.started,
                bar.started,
                labels.not_started,
                bar.not_started,
                labels.total,
                bar.total()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn chart_id(bars: &[StatusBar], labels: &ChartLabels) -> String {
    let mut parts: Vec<Vec<u8>> = vec![
        labels.title.as_bytes().to_vec(),
        labels.completed.as_bytes().to_vec(),
        labels.started.as_bytes().to_vec(),
        labels.not_started.as_bytes().to_vec(),
    ];
    for bar in bars {
        parts.push(bar.label.as_bytes().to_vec());
        parts.push(
            [bar.completed, bar.started, bar.not_started]
                .iter()
                .flat_map(|c| c.to_le_bytes())
                .collect(),
        );
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    format!("status-chart-{:016x}", fnv1a(&refs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> Vec<StatusBar> {
        vec![
            StatusBar::new(
                "Udskift kommunens organisationscertifikat med OCES3-certifikat",
                27,
                31,
                40,
            ),
            StatusBar::new("Etabler brugeradministration på KLIK", 35, 8, 55),
        ]
    }

    /// Checks that `svg` is well-formed as far as this module writes it:
    /// tags nest and close, attribute values are quoted, and every `&`
    /// starts one of the entities `xml_escape` writes. Returns the element
    /// names in document order.
    fn check_well_formed(svg: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut names = Vec::new();
        let mut rest = svg.trim_end();
        while let Some(start) = rest.find('<') {
            check_text(&rest[..start]);
            let end = rest[start..].find('>').expect("a tag closes") + start;
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "no '<' inside a tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split(' ').next().expect("a name").to_owned();
                let attributes = &tag[name.len()..];
                assert_eq!(attributes.matches('"').count() % 2, 0, "quotes in {tag}");
                check_text(attributes);
                names.push(name.clone());
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &rest[end + 1..];
        }
        assert!(rest.is_empty(), "nothing after the root: {rest}");
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        names
    }

    fn check_text(text: &str) {
        assert!(!text.contains('>'), "a bare '>' in {text}");
        for (at, _) in text.match_indices('&') {
            let entity = &text[at..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "a bare '&' in {text}"
            );
        }
    }

    /// The widths of each bar's segments, in hundredths, bar by bar.
    fn segment_widths_in(svg: &str) -> Vec<Vec<u64>> {
        svg.split(r#"<g class="bar">"#)
            .skip(1)
            .map(|bar| {
                bar.split(r#"<g class="segment "#)
                    .skip(1)
                    .map(|segment| {
                        let rect = &segment[segment.find("<rect").expect("a rect")..];
                        let width = attribute(rect, "width");
                        let (whole, fraction) = width.split_once('.').unwrap_or((width, ""));
                        let fraction = format!("{fraction:0<2}");
                        whole.parse::<u64>().expect("digits") * 100
                            + fraction.parse::<u64>().expect("digits")
                    })
                    .collect()
            })
            .collect()
    }

    fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
        let start = tag.find(&format!(r#" {name}=""#)).expect("the attribute") + name.len() + 3;
        let len = tag[start..].find('"').expect("a closing quote");
        &tag[start..start + len]
    }

    #[test]
    fn renders_the_seeds_example() {
        let svg = status_chart_svg(&seeds(), &ChartLabels::danish());
        let names = check_well_formed(&svg);
        assert_eq!(names[0], "svg");
        assert_eq!(names[1], "title");
        assert_eq!(names[2], "desc");

        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"width="100%""#));
        assert!(svg.contains(r#"viewBox="0 0 800 "#));
        let id = attribute(&svg, "aria-labelledby");
        assert!(svg.contains(&format!(
            r#"<title id="{id}">Kommunernes status pr. opgave</title>"#
        )));
        let desc_id = attribute(&svg, "aria-describedby");
        assert!(svg.contains(&format!(
            "<desc id=\"{desc_id}\">\
             Udskift kommunens organisationscertifikat med OCES3-certifikat: \
             Fuldført 27, Påbegyndt 31, Ikke påbegyndt 40, I alt 98. \
             Etabler brugeradministration på KLIK: \
             Fuldført 35, Påbegyndt 8, Ikke påbegyndt 55, I alt 98.</desc>"
        )));

        // Labels, legend and counts are visible.
        for text in [
            ">Udskift kommunens organisationscertifikat med OCES3-certifikat</text>",
            ">Etabler brugeradministration på KLIK</text>",
            ">Fuldført</text>",
            ">Påbegyndt</text>",
            ">Ikke påbegyndt</text>",
            ">27</text>",
            ">31</text>",
            ">40</text>",
            ">35</text>",
            ">8</text>",
            ">55</text>",
        ] {
            assert!(svg.contains(text), "{text} in {svg}");
        }
        // Each segment has its own tooltip.
        for tooltip in [
            "<title>Udskift kommunens organisationscertifikat med OCES3-certifikat: Fuldført 27 / 98</title>",
            "<title>Udskift kommunens organisationscertifikat med OCES3-certifikat: Påbegyndt 31 / 98</title>",
            "<title>Etabler brugeradministration på KLIK: Ikke påbegyndt 55 / 98</title>",
        ] {
            assert!(svg.contains(tooltip), "{tooltip}");
        }
        assert_eq!(svg.matches(r#"<g class="segment "#).count(), 6);
        // All fit inside their segments: no line of details.
        assert!(!svg.contains(r#"class="details""#));

        // Proportions: 27/98 of 768 is 211.59; all add up to the bar.
        let widths = segment_widths_in(&svg);
        assert_eq!(widths, [[21159, 24294, 31347], [27429, 6269, 43102]]);
        for bar in widths {
            assert_eq!(bar.iter().sum::<u64>(), BAR_WIDTH * SCALE);
        }
    }

    #[test]
    fn follows_the_content_security_policy_and_the_colours() {
        let svg = status_chart_svg(&seeds(), &ChartLabels::english());
        assert!(!svg.contains("style"), "no style attribute or element");
        assert!(!svg.contains("<script"));
        assert!(!svg.contains(" on"), "no event handler attributes");
        assert!(!svg.contains("href"));
        for colour in [COMPLETED_COLOUR, STARTED_COLOUR, NOT_STARTED_COLOUR] {
            assert!(svg.contains(&format!(r#"fill="{colour}""#)));
            // 4.5:1 against white, for the white numbers on them.
            assert!(contrast(colour, "#FFFFFF") >= 4.5, "{colour}");
        }
        // Segments are parted by white gaps.
        assert_eq!(
            svg.matches(r##"stroke="#FFFFFF" stroke-width="2""##)
                .count(),
            6
        );
        assert!(contrast(EMPTY_OUTLINE, "#FFFFFF") >= 3.0);
        assert!(contrast(TEXT_COLOUR, "#FFFFFF") >= 4.5);
        assert!(svg.contains(">Not started</text>"));
        assert!(svg.contains("Completed 27, Started 31, Not started 40, Total 98."));
    }

    /// WCAG 2.1's contrast ratio of two `#RRGGBB` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        fn luminance(hex: &str) -> f64 {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
                if c <= 0.040_45 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        }
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn escapes_everything_the_caller_supplies() {
        let labels = ChartLabels {
            title: "<b>T&T</b>".to_owned(),
            completed: "\"done\"".to_owned(),
            started: "it's".to_owned(),
            not_started: "<not>".to_owned(),
            total: "&sum;".to_owned(),
            no_data: "<none>".to_owned(),
        };
        let bars = [
            StatusBar::new("<script>alert(1)</script>", 1, 2, 3),
            StatusBar::new("\"/><script>x</script>\u{0}\u{1b}", 0, 0, 0),
        ];
        let svg = status_chart_svg(&bars, &labels);
        check_well_formed(&svg);
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<b>"));
        assert!(!svg.contains("<not>"));
        assert!(!svg.contains('\u{0}'));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("&lt;b&gt;T&amp;T&lt;/b&gt;"));
        assert!(svg.contains("&quot;done&quot;"));
        assert!(svg.contains("it&#39;s"));
        assert!(svg.contains("&amp;sum;"));

        let empty = status_chart_svg(&[], &labels);
        check_well_formed(&empty);
        assert!(empty.contains(">&lt;none&gt;</text>"));
        assert!(empty.contains("<desc id=\"status-chart-"));
    }

    #[test]
    fn a_zero_total_is_an_empty_bar_with_0() {
        let svg = status_chart_svg(
            &[StatusBar::new("Ny opgave", 0, 0, 0)],
            &ChartLabels::danish(),
        );
        check_well_formed(&svg);
        assert_eq!(svg.matches(r#"<g class="segment "#).count(), 1);
        assert!(svg.contains(r#"<g class="segment empty"><title>Ny opgave: I alt 0</title>"#));
        assert!(svg.contains(&format!(r#"width="{BAR_WIDTH}""#)));
        assert!(svg.contains(r##"fill="#FFFFFF" stroke="#6E7781""##));
        assert!(svg.contains(">0</text>"));
        assert!(svg.contains("Ny opgave: Fuldført 0, Påbegyndt 0, Ikke påbegyndt 0, I alt 0."));
    }

    #[test]
    fn a_zero_count_has_no_segment_and_the_rest_fill_the_bar() {
        let svg = status_chart_svg(
            &[StatusBar::new("Alle færdige", 98, 0, 0)],
            &ChartLabels::danish(),
        );
        assert_eq!(segment_widths_in(&svg), [[BAR_WIDTH * SCALE]]);
        assert!(svg.contains(r#"<g class="segment completed">"#));
        assert!(!svg.contains(r#"<g class="segment started">"#));
    }

    #[test]
    fn narrow_segments_get_their_numbers_on_a_line_below() {
        let svg = status_chart_svg(
            &[StatusBar::new("Næsten færdig", 95, 2, 1)],
            &ChartLabels::danish(),
        );
        check_well_formed(&svg);
        assert!(svg.contains(">95</text>"));
        assert!(!svg.contains(">2</text>"), "too narrow to hold it");
        assert!(svg.contains(
            r##"<text class="details" x="16" y="150" font-size="13" fill="#1F2328">Fuldført 95 · Påbegyndt 2 · Ikke påbegyndt 1</text>"##
        ), "{svg}");
        let widths = segment_widths_in(&svg);
        assert_eq!(widths[0].iter().sum::<u64>(), BAR_WIDTH * SCALE);
    }

    #[test]
    fn long_labels_are_cut_with_the_full_label_in_a_tooltip() {
        let long = format!("{} slut", "Meget lang opgavetekst ".repeat(8));
        let svg = status_chart_svg(
            &[StatusBar::new(long.clone(), 1, 1, 1)],
            &ChartLabels::danish(),
        );
        check_well_formed(&svg);
        let cut = truncate(&long, max_chars(BAR_WIDTH, TEXT_SIZE, 0.6));
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() < long.chars().count());
        assert!(svg.contains(&format!(
            r##"<g><title>{long}</title><text x="16" y="96" font-size="14" fill="#1F2328">{cut}</text></g>"##
        )), "{svg}");
        assert!(svg.contains(&format!("<title>{long}: Fuldført 1 / 3</title>")));
    }

    #[test]
    fn long_legend_words_wrap() {
        let labels = ChartLabels {
            completed: "Fuldført ".repeat(8),
            started: "Påbegyndt ".repeat(6),
            ..ChartLabels::danish()
        };
        let svg = status_chart_svg(&seeds(), &labels);
        check_well_formed(&svg);
        let legend = &svg[svg.find(r#"<g class="legend">"#).expect("a legend")..];
        let ys: Vec<&str> = legend
            .split("<rect ")
            .skip(1)
            .take(3)
            .map(|rect| attribute(rect, "y"))
            .collect();
        assert_ne!(ys[0], ys[1], "the second item wraps");
    }

    #[test]
    fn ids_differ_between_charts() {
        let one = status_chart_svg(&seeds(), &ChartLabels::danish());
        let other = status_chart_svg(&seeds()[..1], &ChartLabels::danish());
        assert_ne!(
            attribute(&one, "aria-labelledby"),
            attribute(&other, "aria-labelledby")
        );
        assert_eq!(
            one,
            status_chart_svg(&seeds(), &ChartLabels::danish()),
            "deterministic"
        );
    }

    #[test]
    fn segment_widths_add_up_exactly() {
        let cases = [
            [27, 31, 40],
            [35, 8, 55],
            [1, 1, 1],
            [0, 0, 1],
            [1, 0, 0],
            [97, 1, 0],
            [u32::MAX, u32::MAX, u32::MAX],
            [u32::MAX, 1, 0],
            [0, 0, 0],
        ];
        for counts in cases {
            let widths = segment_widths(counts, BAR_WIDTH * SCALE);
            let total: u64 = counts.iter().map(|c| u64::from(*c)).sum();
            if total == 0 {
                assert_eq!(widths, [0; 3]);
                continue;
            }
            assert_eq!(widths.iter().sum::<u64>(), BAR_WIDTH * SCALE, "{counts:?}");
            for (count, width) in counts.iter().zip(widths) {
                let exact = u64::from(*count) as f64 * (BAR_WIDTH * SCALE) as f64 / total as f64;
                assert!(
                    (width as f64 - exact).abs() < 1.0,
                    "{counts:?}: {width} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn units_are_short_decimals() {
        assert_eq!(units(0), "0");
        assert_eq!(units(76800), "768");
        assert_eq!(units(21159), "211.59");
        assert_eq!(units(21150), "211.5");
        assert_eq!(units(21105), "211.05");
    }
}
