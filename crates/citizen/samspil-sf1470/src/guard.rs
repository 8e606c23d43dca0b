//! A linear pass over the raw bytes before the XML parser sees them. The
//! parser's own costs are not all linear: it checks each attribute against
//! the element's earlier ones (quadratic in the number of attributes), and
//! builds the whole tree before depth can be measured. This pass refuses
//! too many attributes on one element and too deep nesting first, in one
//! scan of the input and constant memory.
//!
//! It only has to be right for well-formed XML: whatever it miscounts in
//! malformed input, the parser refuses anyway, and the depth is measured
//! again exactly on the parsed tree.

use crate::refusal::{Refusal, RefusalKind};
use crate::{MAX_ATTRIBUTES, MAX_DEPTH};

pub fn check(input: &[u8]) -> Result<(), Refusal> {
    let mut depth: usize = 0;
    let mut at = 0;
    while let Some(offset) = memchr(b'<', &input[at..]) {
        at += offset + 1;
        let rest = &input[at..];
        if rest.starts_with(b"!--") {
            at = skip_past(input, at + 3, b"-->");
        } else if rest.starts_with(b"![CDATA[") {
            at = skip_past(input, at + 8, b"]]>");
        } else if rest.starts_with(b"?") {
            at = skip_past(input, at + 1, b"?>");
        } else if rest.starts_with(b"/") {
            depth = depth.saturating_sub(1);
            at = skip_past(input, at, b">");
        } else {
            // A start tag (or a declaration, which the parser refuses).
            let (end, attributes, self_closing) = scan_tag(input, at);
            if attributes > MAX_ATTRIBUTES {
                return Err(Refusal::new(
                    RefusalKind::TooManyAttributes,
                    "",
                    format!(
                        "an element has more than {MAX_ATTRIBUTES} attributes and namespace declarations"
                    ),
                ));
            }
            if !self_closing {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep());
                }
            }
            at = end;
        }
    }
    Ok(())
}

pub fn too_deep() -> Refusal {
    Refusal::new(
        RefusalKind::TooDeep,
        "",
        format!("elements are nested deeper than {MAX_DEPTH} levels"),
    )
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

fn skip_past(input: &[u8], from: usize, terminator: &[u8]) -> usize {
    let mut at = from;
    while at < input.len() {
        if input[at..].starts_with(terminator) {
            return at + terminator.len();
        }
        at += 1;
    }
    input.len()
}

/// From just after `<` to just after the tag's `>`: the position, how many
/// `name=value` pairs it holds, and whether it closes itself.
fn scan_tag(input: &[u8], from: usize) -> (usize, usize, bool) {
    let mut attributes = 0;
    let mut at = from;
    let mut quote: Option<u8> = None;
    let mut previous = 0u8;
    while at < input.len() {
        let byte = input[at];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None => match byte {
                b'"' | b'\'' => quote = Some(byte),
                b'=' => attributes += 1,
                b'>' => return (at + 1, attributes, previous == b'/'),
                _ => {}
            },
        }
        if !byte.is_ascii_whitespace() {
            previous = byte;
        }
        at += 1;
    }
    (input.len(), attributes, false)
}
