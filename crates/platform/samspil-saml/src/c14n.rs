//! Exclusive XML Canonicalization 1.0 without comments
//! (<http://www.w3.org/2001/10/xml-exc-c14n#>), of one element's subtree in a
//! parsed document, optionally leaving out one descendant (the enveloped
//! signature). That is the only canonicalization XML signatures in SAML use,
//! so it is the only one implemented: an inclusive or with-comments
//! canonicalization is refused before we get here.

use std::collections::BTreeMap;

use roxmltree::{Node, NodeId};

/// Canonicalizes `apex` and everything under it except `omit` (and its
/// subtree). `inclusive_prefixes` is the InclusiveNamespaces PrefixList,
/// where `#default` stands for the default namespace.
pub fn canonicalize(apex: Node, omit: Option<NodeId>, inclusive_prefixes: &[String]) -> String {
    let mut out = String::new();
    let mut rendered: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    write_node(apex, omit, inclusive_prefixes, &mut rendered, &mut out);
    out
}

fn write_node(
    node: Node,
    omit: Option<NodeId>,
    inclusive_prefixes: &[String],
    rendered: &mut Vec<BTreeMap<String, String>>,
    out: &mut String,
) {
    if Some(node.id()) == omit {
        return;
    }
    if node.is_text() {
        escape_text(node.text().unwrap_or_default(), out);
    } else if node.is_pi() {
        if let Some(pi) = node.pi() {
            out.push_str("<?");
            out.push_str(pi.target);
            if let Some(value) = pi.value {
                out.push(' ');
                out.push_str(value);
            }
            out.push_str("?>");
        }
    } else if node.is_element() {
        write_element(node, omit, inclusive_prefixes, rendered, out);
    }
    // Comments are not part of the "without comments" canonical form.
}

fn write_element(
    element: Node,
    omit: Option<NodeId>,
    inclusive_prefixes: &[String],
    rendered: &mut Vec<BTreeMap<String, String>>,
    out: &mut String,
) {
    let qname = element_qname(element);
    let element_prefix = prefix_of(qname);

    // The prefixes this element visibly uses, plus the ones the signer
    // asked to be treated inclusively. "" is the default namespace.
    let mut utilized: Vec<String> = vec![element_prefix.to_owned()];
    let mut attributes: Vec<(&str, &str, String, &str)> = Vec::new();
    for attribute in element.attributes() {
        let source = element.document().input_text();
        let attribute_qname = &source[attribute.range_qname()];
        let prefix = prefix_of(attribute_qname);
        if !prefix.is_empty() && prefix != "xml" {
            utilized.push(prefix.to_owned());
        }
        attributes.push((
            attribute.namespace().unwrap_or(""),
            attribute.name(),
            attribute_qname.to_owned(),
            attribute.value(),
        ));
    }
    for prefix in inclusive_prefixes {
        let prefix = if prefix == "#default" {
            ""
        } else {
            prefix.as_str()
        };
        let in_scope = if prefix.is_empty() {
            element.default_namespace().is_some()
        } else {
            element.lookup_namespace_uri(Some(prefix)).is_some()
        };
        if in_scope {
            utilized.push(prefix.to_owned());
        }
    }
    utilized.sort();
    utilized.dedup();

    let inherited = rendered.last().cloned().unwrap_or_default();
    let mut now_rendered = inherited.clone();
    let mut declarations: Vec<(String, String)> = Vec::new();
    for prefix in utilized {
        // The xml prefix is bound by definition and never declared.
        if prefix == "xml" {
            continue;
        }
        let uri = if prefix.is_empty() {
            element.default_namespace().unwrap_or("")
        } else {
            element.lookup_namespace_uri(Some(&prefix)).unwrap_or("")
        };
        let already = inherited.get(&prefix).map(String::as_str);
        let needed = match already {
            Some(previous) => previous != uri,
            // An empty default namespace needs no declaration unless an
            // output ancestor declared a non-empty one.
            None => !(prefix.is_empty() && uri.is_empty()),
        };
        if needed {
            declarations.push((prefix.clone(), uri.to_owned()));
            now_rendered.insert(prefix, uri.to_owned());
        }
    }

    out.push('<');
    out.push_str(qname);
    // Namespace declarations sort by prefix, the default one first; then
    // attributes by namespace URI and local name, unqualified ones first.
    for (prefix, uri) in &declarations {
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        escape_attribute(uri, out);
        out.push('"');
    }
    attributes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, _, attribute_qname, value) in &attributes {
        out.push(' ');
        out.push_str(attribute_qname);
        out.push_str("=\"");
        escape_attribute(value, out);
        out.push('"');
    }
    out.push('>');

    rendered.push(now_rendered);
    for child in element.children() {
        write_node(child, omit, inclusive_prefixes, rendered, out);
    }
    rendered.pop();

    out.push_str("</");
    out.push_str(qname);
    out.push('>');
}

/// The element's name as written in the document, with its prefix: the
/// parser keeps only the expanded name, and two prefixes may be bound to
/// the same namespace, so the prefix is read back from the source.
pub fn element_qname<'a>(element: Node<'a, '_>) -> &'a str {
    let source = element.document().input_text();
    let start = element.range().start + 1;
    let rest = &source[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

fn prefix_of(qname: &str) -> &str {
    qname
        .split_once(':')
        .map(|(prefix, _)| prefix)
        .unwrap_or("")
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

fn escape_attribute(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n_of(xml: &str, path: &[&str]) -> String {
        let doc = roxmltree::Document::parse(xml).expect("test XML parses");
        let mut node = doc.root_element();
        for name in path {
            node = node
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == *name)
                .expect("path exists");
        }
        canonicalize(node, None, &[])
    }

    #[test]
    fn only_visibly_used_namespaces_are_rendered_at_the_apex() {
        let xml = r#"<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><b:child c:attr="1" z="2" y="&amp;&lt;&quot;"/></a:root>"#;
        assert_eq!(
            c14n_of(xml, &["child"]),
            r#"<b:child xmlns:b="urn:b" xmlns:c="urn:c" y="&amp;&lt;&quot;" z="2" c:attr="1"></b:child>"#
        );
    }

    #[test]
    fn a_namespace_rendered_by_an_ancestor_is_not_repeated() {
        let xml = r#"<a:root xmlns:a="urn:a"><a:x><a:y>t &gt; &amp;</a:y></a:x></a:root>"#;
        assert_eq!(
            c14n_of(xml, &[]),
            r#"<a:root xmlns:a="urn:a"><a:x><a:y>t &gt; &amp;</a:y></a:x></a:root>"#
        );
    }

    #[test]
    fn comments_are_dropped_and_text_around_them_kept() {
        let xml = r#"<r><n>admin@x.dk<!-- c -->.evil</n></r>"#;
        assert_eq!(c14n_of(xml, &[]), r#"<r><n>admin@x.dk.evil</n></r>"#);
    }

    #[test]
    fn an_empty_default_namespace_is_declared_only_to_undo_an_outer_one() {
        let xml = r#"<r xmlns="urn:d"><s xmlns=""><t/></s></r>"#;
        assert_eq!(
            c14n_of(xml, &[]),
            r#"<r xmlns="urn:d"><s xmlns=""><t></t></s></r>"#
        );
        assert_eq!(c14n_of(xml, &["s"]), r#"<s><t></t></s>"#);
    }

    #[test]
    fn inclusive_prefixes_are_rendered_when_in_scope() {
        let xml = r#"<r xmlns:xs="urn:xs" xmlns:q="urn:q"><v type="xs:string">1</v></r>"#;
        let doc = roxmltree::Document::parse(xml).expect("parses");
        let v = doc.root_element().first_element_child().expect("child");
        assert_eq!(
            canonicalize(v, None, &["xs".to_owned(), "absent".to_owned()]),
            r#"<v xmlns:xs="urn:xs" type="xs:string">1</v>"#
        );
    }
}
