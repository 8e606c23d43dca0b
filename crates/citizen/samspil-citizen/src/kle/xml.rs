//! Reading KLE's XML safely: the checks before the tree is built, the tree
//! itself (roxmltree, no DTD), and a reader of an element's children that
//! refuses what the format does not have at that place.
//!
//! KLE's files have no namespace: elements are matched by local name and
//! must be in no namespace.

use std::collections::HashMap;

use roxmltree::{Document, Node, NodeType, ParsingOptions};
use time::Date;

use super::parse::{KleRefusal, KleRefusalKind};
use super::{MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES};

pub type Result<T> = std::result::Result<T, KleRefusal>;

/// Size, encoding, the byte-level guard, then the tree with no DTD and a
/// node limit, then the exact depth.
pub fn document(bytes: &[u8]) -> Result<Document<'_>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(KleRefusal::new(
            KleRefusalKind::TooLarge,
            "",
            format!("the file is larger than {MAX_FILE_BYTES} bytes"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        KleRefusal::new(
            KleRefusalKind::NotUtf8,
            format!("byte {}", error.valid_up_to()),
            "the file is not UTF-8 (KL publishes KLE in UTF-8)",
        )
    })?;
    super::guard::check(text.as_bytes())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|error| {
        let position = error.pos();
        let at = format!("line {}, column {}", position.row, position.col);
        match error {
            roxmltree::Error::DtdDetected => KleRefusal::new(
                KleRefusalKind::Dtd,
                "",
                "a document type declaration (<!DOCTYPE>) is not allowed",
            ),
            roxmltree::Error::UnknownEntityReference(..)
            | roxmltree::Error::EntityReferenceLoop(..) => KleRefusal::new(
                KleRefusalKind::Entity,
                at,
                "entity references other than the five predefined ones are not allowed",
            ),
            roxmltree::Error::NodesLimitReached => KleRefusal::new(
                KleRefusalKind::TooManyNodes,
                "",
                format!("the file has more than {MAX_NODES} XML nodes"),
            ),
            other => {
                let text = other.to_string();
                let message = text.split_once(" at ").map_or(text.as_str(), |(m, _)| m);
                KleRefusal::new(
                    KleRefusalKind::Malformed,
                    at,
                    format!("the file is not well-formed XML: {message}"),
                )
            }
        }
    })?;
    check_depth(&document)?;
    Ok(document)
}

fn check_depth(document: &Document) -> Result<()> {
    // Iterative, each node's depth from its parent's: a hostile document
    // cannot exhaust the stack here.
    let mut depths = vec![0usize; document.descendants().count() + 1];
    for node in document.root().descendants().skip(1) {
        let parent_depth = node
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .unwrap_or(0);
        let depth = parent_depth + usize::from(node.is_element());
        if depth > MAX_DEPTH {
            return Err(super::guard::too_deep());
        }
        if let Some(slot) = depths.get_mut(node.id().get_usize()) {
            *slot = depth;
        }
    }
    Ok(())
}

/// The child elements of one element, taken by name in any order; whatever
/// is not taken or skipped is refused by [`Children::finish`].
pub struct Children<'a, 'i> {
    parent: Node<'a, 'i>,
    by_name: HashMap<&'a str, Vec<Node<'a, 'i>>>,
    /// Names in the order first seen, so that the first leftover is named.
    order: Vec<&'a str>,
}

impl<'a, 'i> Children<'a, 'i> {
    /// Text other than whitespace between the children is refused: none of
    /// the format's structural elements has mixed content.
    pub fn of(parent: Node<'a, 'i>) -> Result<Self> {
        let mut by_name: HashMap<&'a str, Vec<Node<'a, 'i>>> = HashMap::new();
        let mut order = Vec::new();
        for child in parent.children() {
            match child.node_type() {
                NodeType::Element => {
                    if child.tag_name().namespace().is_some() {
                        return Err(KleRefusal::at(
                            KleRefusalKind::UnexpectedElement,
                            child,
                            "KLE's elements are in no namespace; this one is in a namespace",
                        ));
                    }
                    let name = child.tag_name().name();
                    let nodes = by_name.entry(name).or_default();
                    if nodes.is_empty() {
                        order.push(name);
                    }
                    nodes.push(child);
                }
                NodeType::Text if !child.text().unwrap_or("").trim().is_empty() => {
                    return Err(KleRefusal::at(
                        KleRefusalKind::UnexpectedText,
                        parent,
                        "text is not allowed here, only child elements",
                    ));
                }
                _ => {}
            }
        }
        Ok(Children {
            parent,
            by_name,
            order,
        })
    }

    /// Exactly one `name`.
    pub fn one(&mut self, name: &str) -> Result<Node<'a, 'i>> {
        self.optional(name)?.ok_or_else(|| {
            KleRefusal::at(
                KleRefusalKind::MissingElement,
                self.parent,
                format!("required element {name} is missing"),
            )
        })
    }

    /// At most one `name`.
    pub fn optional(&mut self, name: &str) -> Result<Option<Node<'a, 'i>>> {
        let nodes = self.by_name.remove(name).unwrap_or_default();
        match nodes.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            [_, second, ..] => Err(KleRefusal::at(
                KleRefusalKind::UnexpectedElement,
                *second,
                format!("{name} may occur only once here"),
            )),
        }
    }

    /// Any number of `name`, in document order.
    pub fn many(&mut self, name: &str) -> Vec<Node<'a, 'i>> {
        self.by_name.remove(name).unwrap_or_default()
    }

    /// Elements the format has here but the index does not need (guidance
    /// texts, legal references, filters): accepted, not read.
    pub fn skip(&mut self, names: &[&str]) {
        for name in names {
            self.by_name.remove(*name);
        }
    }

    /// Refuses the first child that was neither taken nor skipped.
    pub fn finish(self) -> Result<()> {
        let leftover = self
            .order
            .iter()
            .find_map(|name| self.by_name.get(name).and_then(|nodes| nodes.first()));
        match leftover {
            None => Ok(()),
            Some(node) => Err(KleRefusal::at(
                KleRefusalKind::UnexpectedElement,
                *node,
                format!(
                    "element {} is not part of the KLE format at this place",
                    node.tag_name().name()
                ),
            )),
        }
    }
}

/// The text of a simple element, trimmed: every text child joined (so a
/// comment inside does not split it); a child element is refused.
pub fn text(node: Node) -> Result<String> {
    let mut out = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(KleRefusal::at(
                KleRefusalKind::UnexpectedElement,
                child,
                "a simple value cannot contain elements",
            ));
        }
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
        }
    }
    Ok(out.trim().to_owned())
}

/// A title: its text, not empty.
pub fn title(node: Node) -> Result<String> {
    let title = text(node)?;
    if title.is_empty() {
        return Err(KleRefusal::at(
            KleRefusalKind::InvalidValue,
            node,
            "a title may not be empty",
        ));
    }
    Ok(title)
}

/// An `xs:date` as KLE writes it: `YYYY-MM-DD`, no time zone.
pub fn date(node: Node) -> Result<Date> {
    let text = text(node)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    // `[year]` alone would also take a sign or fewer digits.
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match Date::parse(&text, &format) {
        Ok(date) if shaped => Ok(date),
        _ => Err(KleRefusal::at(
            KleRefusalKind::InvalidValue,
            node,
            "a date is written YYYY-MM-DD (a real calendar date)",
        )),
    }
}

/// The XPath-like location of an element: `/KLE-Emneplan/Hovedgruppe[33]/
/// Gruppe[4]/Emne[2]/EmneNr`, with a 1-based position where the element
/// has siblings of the same name.
pub fn location(node: Node) -> String {
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
            if same_before > 0 || same_after {
                format!("{}[{}]", name.name(), same_before + 1)
            } else {
                name.name().to_owned()
            }
        })
        .collect();
    steps.reverse();
    let mut out = String::new();
    for step in steps {
        out.push('/');
        out.push_str(&step);
    }
    out
}
