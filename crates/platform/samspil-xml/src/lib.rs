//! Reading XML that comes from outside — SF1470 SOAP requests from vendor
//! systems, KL's KLE files — without letting its shape cost more than its
//! size. [`parse`] checks, in this order: the size, UTF-8, a linear scan of
//! the raw bytes for too many attributes, namespace declarations and too
//! deep nesting ([`shape`]), then builds the tree with roxmltree with no
//! DTD (so no entity can be declared or expanded) and a node limit, and
//! finally measures the depth exactly on the tree.
//!
//! Each caller keeps its own refusal type (its kinds, its locations, its
//! wording) and maps an [`XmlRefusal`] into it: this crate only knows what
//! is wrong with the XML as XML. Messages never quote the input, so no
//! value (a CPR number) can leak from them into a log.

mod shape;

use roxmltree::{Document, Node, ParsingOptions};
use std::fmt;

/// The bounds a document must stay within; each caller sets its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_nodes: u32,
    pub max_depth: usize,
    /// Attributes (namespace declarations included) on one element.
    pub max_attributes: usize,
    /// Namespace declarations in scope at any element: the parser copies
    /// the in-scope list for every element that declares one.
    pub max_namespaces_in_scope: usize,
}

/// What is wrong with a document as XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlRefusal {
    TooLarge {
        limit: usize,
    },
    /// Not UTF-8; the first bad byte is at `valid_up_to`.
    NotUtf8 {
        valid_up_to: usize,
    },
    TooManyAttributes {
        limit: usize,
    },
    TooManyNamespaces {
        limit: usize,
    },
    TooDeep {
        limit: usize,
    },
    TooManyNodes {
        limit: u32,
    },
    /// A `<!DOCTYPE>`: DTDs are never processed.
    Dtd,
    /// An entity reference other than XML's five predefined ones.
    Entity {
        line: u32,
        column: u32,
    },
    /// Not well-formed; `problem` is the parser's description without the
    /// position and without any of the input.
    Malformed {
        line: u32,
        column: u32,
        problem: String,
    },
}

impl XmlRefusal {
    /// Where in the input, for the refusals that have a place: `line 3,
    /// column 7` or `byte 120`; empty when the whole document is at fault.
    pub fn location(&self) -> String {
        match self {
            XmlRefusal::NotUtf8 { valid_up_to } => format!("byte {valid_up_to}"),
            XmlRefusal::Entity { line, column } | XmlRefusal::Malformed { line, column, .. } => {
                format!("line {line}, column {column}")
            }
            _ => String::new(),
        }
    }

    /// The refusal in a sentence about `what` ("the request", "the file").
    pub fn message(&self, what: &str) -> String {
        match self {
            XmlRefusal::TooLarge { limit } => format!("{what} is larger than {limit} bytes"),
            XmlRefusal::NotUtf8 { .. } => format!("{what} is not UTF-8"),
            XmlRefusal::TooManyAttributes { limit } => {
                format!("an element has more than {limit} attributes and namespace declarations")
            }
            XmlRefusal::TooManyNamespaces { limit } => {
                format!("more than {limit} namespace declarations are in scope")
            }
            XmlRefusal::TooDeep { limit } => {
                format!("elements are nested deeper than {limit} levels")
            }
            XmlRefusal::TooManyNodes { limit } => format!("{what} has more than {limit} XML nodes"),
            XmlRefusal::Dtd => {
                "a document type declaration (<!DOCTYPE>) is not allowed".to_string()
            }
            XmlRefusal::Entity { .. } => {
                "entity references other than the five predefined ones are not allowed".to_string()
            }
            XmlRefusal::Malformed { problem, .. } => {
                format!("{what} is not well-formed XML: {problem}")
            }
        }
    }
}

impl fmt::Display for XmlRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("the document"))
    }
}

impl std::error::Error for XmlRefusal {}

/// Size and encoding, then the linear shape check: the text to give
/// [`parse_text`], with a byte order mark removed.
pub fn checked_text<'i>(bytes: &'i [u8], limits: &Limits) -> Result<&'i str, XmlRefusal> {
    if bytes.len() > limits.max_bytes {
        return Err(XmlRefusal::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|error| XmlRefusal::NotUtf8 {
        valid_up_to: error.valid_up_to(),
    })?;
    shape::check(text.as_bytes(), limits)?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// The tree of a text that passed [`checked_text`]: no DTD, at most
/// `max_nodes` nodes, at most `max_depth` elements deep.
pub fn parse_text<'i>(text: &'i str, limits: &Limits) -> Result<Document<'i>, XmlRefusal> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|error| {
        let position = error.pos();
        let (line, column) = (position.row, position.col);
        match error {
            roxmltree::Error::DtdDetected => XmlRefusal::Dtd,
            roxmltree::Error::UnknownEntityReference(..)
            | roxmltree::Error::EntityReferenceLoop(..) => XmlRefusal::Entity { line, column },
            roxmltree::Error::NodesLimitReached => XmlRefusal::TooManyNodes {
                limit: limits.max_nodes,
            },
            other => XmlRefusal::Malformed {
                line,
                column,
                problem: describe(&other),
            },
        }
    })?;
    check_depth(&document, limits.max_depth)?;
    Ok(document)
}

/// [`checked_text`] and [`parse_text`] in one step.
pub fn parse<'i>(bytes: &'i [u8], limits: &Limits) -> Result<Document<'i>, XmlRefusal> {
    parse_text(checked_text(bytes, limits)?, limits)
}

/// The XPath-like location of an element — `/KLE-Emneplan/Hovedgruppe[33]/
/// Gruppe[4]/Emne[2]/EmneNr`, or with prefixes `/env:Envelope/env:Body/
/// sdi:SagIndeks[2]` — with a 1-based position where the element has
/// siblings of the same name. `prefix` names an element's namespace in the
/// path (`None`: the bare local name, for documents without namespaces),
/// so that the path reads the same whatever prefixes the sender chose.
pub fn location(node: Node, prefix: impl Fn(&str) -> Option<&'static str>) -> String {
    let mut steps: Vec<String> = node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|element| {
            let name = element.tag_name();
            let same_before = element
                .prev_siblings()
                .skip(1)
                .filter(|s| s.is_element() && s.tag_name() == name)
                .count();
            let same_after = element
                .next_siblings()
                .skip(1)
                .any(|s| s.is_element() && s.tag_name() == name);
            let step = match prefix(name.namespace().unwrap_or("")) {
                Some(prefix) => format!("{prefix}:{}", name.name()),
                None => name.name().to_owned(),
            };
            if same_before > 0 || same_after {
                format!("{step}[{}]", same_before + 1)
            } else {
                step
            }
        })
        .collect();
    steps.reverse();
    steps.iter().map(|step| format!("/{step}")).collect()
}

/// roxmltree's message, without the position (given as the location) and
/// without quoting any of the input.
fn describe(error: &roxmltree::Error) -> String {
    let text = error.to_string();
    match text.split_once(" at ") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

fn check_depth(document: &Document, max_depth: usize) -> Result<(), XmlRefusal> {
    // One pass in document order, each element's depth from its parent's:
    // iterative, so a hostile document cannot exhaust the stack here.
    let mut depths = vec![0usize; document.descendants().count() + 1];
    for node in document.root().descendants().skip(1) {
        let parent_depth = node
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .unwrap_or(0);
        let depth = parent_depth + usize::from(node.is_element());
        if depth > max_depth {
            return Err(XmlRefusal::TooDeep { limit: max_depth });
        }
        if let Some(slot) = depths.get_mut(node.id().get_usize()) {
            *slot = depth;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_bytes: 1000,
        max_nodes: 50,
        max_depth: 4,
        max_attributes: 3,
        max_namespaces_in_scope: 2,
    };

    #[test]
    fn a_plain_document_parses() {
        let document =
            parse("\u{FEFF}<a x='1'><b>t</b></a>".as_bytes(), &LIMITS).expect("a plain document");
        assert_eq!(document.root_element().tag_name().name(), "a");
    }

    #[test]
    fn each_bound_is_refused_with_its_limit() {
        let cases: [(&[u8], XmlRefusal); 8] = [
            (&[b'x'; 1001], XmlRefusal::TooLarge { limit: 1000 }),
            (b"<a>\xff</a>", XmlRefusal::NotUtf8 { valid_up_to: 3 }),
            (
                b"<a p='1' q='2' r='3' s='4'/>",
                XmlRefusal::TooManyAttributes { limit: 3 },
            ),
            (
                b"<a xmlns:p='u1'><b xmlns:q='u2'><c xmlns:r='u3'/></b></a>",
                XmlRefusal::TooManyNamespaces { limit: 2 },
            ),
            (
                b"<a><b><c><d><e/></d></c></b></a>",
                XmlRefusal::TooDeep { limit: 4 },
            ),
            (b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", XmlRefusal::Dtd),
            (b"<a>&x;</a>", XmlRefusal::Entity { line: 1, column: 4 }),
            (
                b"<a>",
                XmlRefusal::Malformed {
                    line: 1,
                    column: 4,
                    problem: "unexpected end of stream".into(),
                },
            ),
        ];
        for (input, expected) in cases {
            let refusal = parse(input, &LIMITS).expect_err("refused");
            match (&refusal, &expected) {
                (XmlRefusal::Malformed { .. }, XmlRefusal::Malformed { .. }) => {}
                _ => assert_eq!(refusal, expected, "{}", String::from_utf8_lossy(input)),
            }
        }
        let many = format!("<a>{}</a>", "<b/>".repeat(60));
        assert_eq!(
            parse(many.as_bytes(), &LIMITS).expect_err("too many nodes"),
            XmlRefusal::TooManyNodes { limit: 50 }
        );
    }

    #[test]
    fn a_location_names_each_step_and_its_position_among_namesakes() {
        let document = parse(b"<a><b/><b><c/></b></a>", &LIMITS).expect("parses");
        let c = document
            .descendants()
            .find(|n| n.has_tag_name("c"))
            .expect("c");
        assert_eq!(location(c, |_| None), "/a/b[2]/c");
        assert_eq!(location(c, |_| Some("x")), "/x:a/x:b[2]/x:c");
    }

    #[test]
    fn messages_never_quote_the_input() {
        let secret = "0101701234";
        let refusal =
            parse(format!("<a>{secret}<</a>").as_bytes(), &LIMITS).expect_err("malformed");
        assert!(!refusal.message("the file").contains(secret), "{refusal}");
        assert!(!refusal.location().contains(secret));
    }
}
