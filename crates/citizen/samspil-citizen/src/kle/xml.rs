//! Reading KLE's XML safely: the checks before the tree is built, the tree
//! itself (roxmltree, no DTD), and a reader of an element's children that
//! refuses what the format does not have at that place.
//!
//! KLE's files have no namespace: elements are matched by local name and
//! must be in no namespace.

use std::collections::HashMap;

use roxmltree::{Document, Node, NodeType};
use time::Date;

use super::parse::{KleRefusal, KleRefusalKind};
use super::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NAMESPACES_IN_SCOPE, MAX_NODES};

pub type Result<T> = std::result::Result<T, KleRefusal>;

/// The bounds a KLE file stays within (see the constants).
const LIMITS: samspil_xml::Limits = samspil_xml::Limits {
    max_bytes: MAX_FILE_BYTES,
    max_nodes: MAX_NODES,
    max_depth: MAX_DEPTH,
    max_attributes: MAX_ATTRIBUTES,
    max_namespaces_in_scope: MAX_NAMESPACES_IN_SCOPE,
};

/// Size, encoding, the byte-level shape check, then the tree with no DTD
/// and a node limit, then the exact depth (samspil-xml).
pub fn document(bytes: &[u8]) -> Result<Document<'_>> {
    samspil_xml::parse(bytes, &LIMITS).map_err(KleRefusal::from)
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
/// Gruppe[4]/Emne[2]/EmneNr` (KLE's files have no namespace).
pub fn location(node: Node) -> String {
    samspil_xml::location(node, |_| None)
}
