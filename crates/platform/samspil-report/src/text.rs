//! Small text helpers the exports share.

/// `value` made safe as XML character data or as an attribute value in
/// double or single quotes: the five markup characters become entities,
/// line breaks and tabs become spaces, and characters XML 1.0 forbids
/// (other control characters, U+FFFE, U+FFFF) are dropped.
pub(crate) fn xml_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `value` cut to at most `max_chars` characters, the last of which is an
/// ellipsis when anything was cut.
pub(crate) fn truncate(value: &str, max_chars: usize) -> String {
    if value.chars().count() <= max_chars {
        return value.to_owned();
    }
    if max_chars == 0 {
        return String::new();
    }
    let kept: String = value.chars().take(max_chars.saturating_sub(1)).collect();
    let mut out = kept.trim_end().to_owned();
    out.push('…');
    out
}

/// Excel's limit on the text of one cell, in UTF-16 code units: a longer
/// text makes the XLSX writer fail, and Excel splits or cuts it in a CSV.
pub(crate) const MAX_CELL_UNITS: usize = 32_767;

/// What ends a text cut to fit a cell: the mark for text left out, the
/// same in Danish and English.
pub(crate) const CUT_MARK: &str = " […]";

/// `value` as it fits one Excel cell: unchanged within
/// [`MAX_CELL_UNITS`], otherwise cut on a character boundary and ended by
/// [`CUT_MARK`], so the reader sees that the rest is missing rather than
/// the export failing.
pub(crate) fn fit_cell(value: &str) -> std::borrow::Cow<'_, str> {
    let units = |text: &str| text.encode_utf16().count();
    if units(value) <= MAX_CELL_UNITS {
        return std::borrow::Cow::Borrowed(value);
    }
    let room = MAX_CELL_UNITS - units(CUT_MARK);
    let mut used = 0;
    let mut end = 0;
    for (index, c) in value.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = index + c.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}{CUT_MARK}", &value[..end]))
}

/// 64-bit FNV-1a: a stable, dependency-free digest for element ids.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate the parts so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            xml_escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(xml_escape("a\tb\nc\u{0}\u{7}\u{FFFF}d"), "a b cd");
        assert_eq!(xml_escape("Påbegyndt ✓"), "Påbegyndt ✓");
    }

    #[test]
    fn truncates_on_characters_with_an_ellipsis() {
        assert_eq!(truncate("kort", 10), "kort");
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("ææææææ", 4), "æææ…");
        assert_eq!(truncate("ab   cdef", 5), "ab…");
        assert_eq!(truncate("abc", 1), "…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn a_text_over_excels_limit_is_cut_with_a_mark() {
        assert_eq!(fit_cell("kort"), "kort");
        let exact = "x".repeat(MAX_CELL_UNITS);
        assert_eq!(fit_cell(&exact), exact.as_str());
        let cut = fit_cell(&"x".repeat(40_000)).into_owned();
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cut.ends_with("x […]"));
        // Characters outside the BMP take two units and are never split.
        let emoji = fit_cell(&"😀".repeat(20_000)).into_owned();
        assert!(emoji.encode_utf16().count() <= MAX_CELL_UNITS);
        assert!(emoji.ends_with("😀 […]"));
    }

    #[test]
    fn the_digest_is_stable_and_separates_parts() {
        assert_eq!(fnv1a(&[b"a"]), fnv1a(&[b"a"]));
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
    }
}
