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

use crate::{Limits, XmlRefusal};

pub fn check(input: &[u8], limits: &Limits) -> Result<(), XmlRefusal> {
    // The namespace declarations of each open element, and their sum.
    let mut open: Vec<usize> = Vec::new();
    let mut in_scope: usize = 0;
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
            // Saturating: a stray end tag in malformed input must not
            // panic here; the parser refuses it.
            in_scope = in_scope.saturating_sub(open.pop().unwrap_or(0));
            at = skip_past(input, at, b">");
        } else {
            // A start tag (or a declaration, which the parser refuses).
            let Tag {
                end,
                attributes,
                namespaces,
                self_closing,
            } = scan_tag(input, at);
            if attributes > limits.max_attributes {
                return Err(XmlRefusal::TooManyAttributes {
                    limit: limits.max_attributes,
                });
            }
            if in_scope + namespaces > limits.max_namespaces_in_scope {
                return Err(XmlRefusal::TooManyNamespaces {
                    limit: limits.max_namespaces_in_scope,
                });
            }
            if !self_closing {
                if open.len() >= limits.max_depth {
                    return Err(XmlRefusal::TooDeep {
                        limit: limits.max_depth,
                    });
                }
                open.push(namespaces);
                in_scope += namespaces;
            }
            at = end;
        }
    }
    Ok(())
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

struct Tag {
    /// Just after the tag's `>`.
    end: usize,
    /// How many `name=value` pairs it holds.
    attributes: usize,
    /// How many of them declare a namespace (`xmlns` or `xmlns:p`).
    namespaces: usize,
    self_closing: bool,
}

/// Scans a tag from just after its `<`.
fn scan_tag(input: &[u8], from: usize) -> Tag {
    let mut tag = Tag {
        end: input.len(),
        attributes: 0,
        namespaces: 0,
        self_closing: false,
    };
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
                b'=' => tag.attributes += 1,
                b'>' => {
                    tag.end = at + 1;
                    tag.self_closing = previous == b'/';
                    return tag;
                }
                b if b.is_ascii_whitespace() && declares_namespace(&input[at + 1..]) => {
                    tag.namespaces += 1;
                }
                _ => {}
            },
        }
        if !byte.is_ascii_whitespace() {
            previous = byte;
        }
        at += 1;
    }
    tag
}

fn declares_namespace(rest: &[u8]) -> bool {
    rest.strip_prefix(b"xmlns")
        .and_then(|after| after.first())
        .is_some_and(|b| matches!(b, b':' | b'=' | b' ' | b'\t' | b'\r' | b'\n'))
}
