//! The machinery every schema type shares: reading an element's children as
//! an XSD sequence (in order, each with its cardinality), reading choices,
//! writing elements with the one prefix table, and the macros that declare a
//! type's content model once for both directions.
//!
//! Elements are matched by namespace URI and local name, never by prefix, so
//! whatever prefixes a sender declares work, and an element in the wrong
//! namespace is refused.

use roxmltree::{Node, NodeType};

use crate::ns;
use crate::refusal::{Refusal, RefusalKind};

pub type Result<T> = std::result::Result<T, Refusal>;

/// A value of an XSD type that is the content of one element.
pub trait XmlValue: Sized {
    /// Reads the value from `node`, the element that carries it.
    fn read(node: Node) -> Result<Self>;
    /// Writes the value as the element `{ns}name`.
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str);
}

/// A complex type's content: the children it reads from a sequence. Extension
/// types flatten their base's content before their own, as XSD defines.
pub trait XmlContent: Sized {
    fn read_content(seq: &mut Seq) -> Result<Self>;
    fn write_content(&self, w: &mut Writer);
}

/// One alternative of an `xs:choice` (or an `xs:any` we know the elements of):
/// the element itself names which alternative it is.
pub trait ChoiceItem: Sized {
    fn matches(node: Node) -> bool;
    fn read_item(node: Node) -> Result<Self>;
    fn write_item(&self, w: &mut Writer);
    /// The alternatives' names, for the message when none is there.
    fn expected() -> &'static str;
}

/// A cursor over an element's child elements, read in schema order.
pub struct Seq<'a, 'input> {
    parent: Node<'a, 'input>,
    children: Vec<Node<'a, 'input>>,
    position: usize,
}

impl<'a, 'input> Seq<'a, 'input> {
    /// The child elements of `parent`. Text other than whitespace between
    /// them is refused: none of the schema's complex types is mixed.
    pub fn new(parent: Node<'a, 'input>) -> Result<Self> {
        let mut children = Vec::new();
        for child in parent.children() {
            match child.node_type() {
                NodeType::Element => children.push(child),
                NodeType::Text if !child.text().unwrap_or("").trim().is_empty() => {
                    return Err(Refusal::at(
                        RefusalKind::UnexpectedText,
                        parent,
                        "text is not allowed here, only child elements",
                    ));
                }
                _ => {}
            }
        }
        Ok(Seq {
            parent,
            children,
            position: 0,
        })
    }

    pub fn parent(&self) -> Node<'a, 'input> {
        self.parent
    }

    pub fn peek(&self) -> Option<Node<'a, 'input>> {
        self.children.get(self.position).copied()
    }

    /// The next child if it is `{ns}name`. A child with the right local name
    /// in another namespace is refused here, with both namespaces named.
    pub fn next_if(&mut self, ns: &str, name: &str) -> Result<Option<Node<'a, 'input>>> {
        match self.peek() {
            Some(node) if is(node, ns, name) => {
                self.position += 1;
                Ok(Some(node))
            }
            Some(node) if node.tag_name().name() == name => Err(Refusal::at(
                RefusalKind::WrongNamespace,
                node,
                format!(
                    "element {name} must be in namespace {ns}, found {}",
                    node.tag_name().namespace().unwrap_or("(no namespace)")
                ),
            )),
            _ => Ok(None),
        }
    }

    pub fn next_choice<T: ChoiceItem>(&mut self) -> Option<Node<'a, 'input>> {
        match self.peek() {
            Some(node) if T::matches(node) => {
                self.position += 1;
                Some(node)
            }
            _ => None,
        }
    }

    pub fn missing(&self, ns: &str, name: &str) -> Refusal {
        let missing = format!("{}:{name}", ns::prefix(ns));
        Refusal::missing(self.parent, &missing, self.peek())
    }

    /// Every child must have been read: anything left is not allowed here by
    /// the schema (unknown, or out of order).
    pub fn finish(self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(node) => Err(unexpected(node)),
        }
    }
}

fn unexpected(node: Node) -> Refusal {
    let namespace = node.tag_name().namespace().unwrap_or("");
    let detail = if ns::prefix_opt(namespace).is_none() {
        format!(
            "element {} in namespace {} is not part of this message's schema",
            node.tag_name().name(),
            if namespace.is_empty() {
                "(none)"
            } else {
                namespace
            }
        )
    } else {
        format!(
            "element {}:{} is not allowed here (unknown at this place, repeated, or out of the schema's order)",
            ns::prefix(namespace),
            node.tag_name().name()
        )
    };
    Refusal::at(RefusalKind::UnexpectedElement, node, detail)
}

pub fn is(node: Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// The text content of a simple-typed element: all its text (CDATA
/// included) concatenated; a child element is refused.
pub fn simple_text<'a>(node: Node<'a, '_>) -> Result<std::borrow::Cow<'a, str>> {
    let mut first: Option<&'a str> = None;
    // Only text split by comments or processing instructions needs a copy;
    // it is appended to one buffer (never rebuilt per piece).
    let mut joined: Option<String> = None;
    for child in node.children() {
        if child.is_element() {
            return Err(Refusal::at(
                RefusalKind::UnexpectedElement,
                child,
                "a simple value cannot contain elements",
            ));
        }
        if !child.is_text() {
            continue;
        }
        let text = child.text().unwrap_or("");
        match (&mut joined, first) {
            (Some(buffer), _) => buffer.push_str(text),
            (None, None) => first = Some(text),
            (None, Some(previous)) => {
                let mut buffer = String::with_capacity(previous.len() + text.len());
                buffer.push_str(previous);
                buffer.push_str(text);
                joined = Some(buffer);
            }
        }
    }
    Ok(match (joined, first) {
        (Some(buffer), _) => std::borrow::Cow::Owned(buffer),
        (None, Some(text)) => std::borrow::Cow::Borrowed(text),
        (None, None) => std::borrow::Cow::Borrowed(""),
    })
}

/// Reads a complex type's element through its content model.
pub fn read_complex<T: XmlContent>(node: Node) -> Result<T> {
    let mut seq = Seq::new(node)?;
    let value = T::read_content(&mut seq)?;
    seq.finish()?;
    Ok(value)
}

/// The cardinalities of a sequence's particles. Each module reads a field
/// from the cursor and writes it back; the macros pick one by name.
pub mod card {
    use super::*;

    /// Exactly one (`minOccurs=1 maxOccurs=1`).
    pub mod one {
        use super::*;
        pub fn read<T: XmlValue>(seq: &mut Seq, ns: &'static str, name: &'static str) -> Result<T> {
            match seq.next_if(ns, name)? {
                Some(node) => T::read(node),
                None => Err(seq.missing(ns, name)),
            }
        }
        pub fn write<T: XmlValue>(w: &mut Writer, value: &T, ns: &'static str, name: &'static str) {
            value.write(w, ns, name);
        }
    }

    /// Zero or one.
    pub mod opt {
        use super::*;
        pub fn read<T: XmlValue>(
            seq: &mut Seq,
            ns: &'static str,
            name: &'static str,
        ) -> Result<Option<T>> {
            seq.next_if(ns, name)?.map(T::read).transpose()
        }
        pub fn write<T: XmlValue>(
            w: &mut Writer,
            value: &Option<T>,
            ns: &'static str,
            name: &'static str,
        ) {
            if let Some(value) = value {
                value.write(w, ns, name);
            }
        }
    }

    /// Zero or more.
    pub mod many {
        use super::*;
        pub fn read<T: XmlValue>(
            seq: &mut Seq,
            ns: &'static str,
            name: &'static str,
        ) -> Result<Vec<T>> {
            let mut out = Vec::new();
            while let Some(node) = seq.next_if(ns, name)? {
                out.push(T::read(node)?);
            }
            Ok(out)
        }
        pub fn write<T: XmlValue>(
            w: &mut Writer,
            values: &[T],
            ns: &'static str,
            name: &'static str,
        ) {
            for value in values {
                value.write(w, ns, name);
            }
        }
    }

    /// One or more.
    pub mod many1 {
        use super::*;
        pub fn read<T: XmlValue>(
            seq: &mut Seq,
            ns: &'static str,
            name: &'static str,
        ) -> Result<Vec<T>> {
            let out = many::read(seq, ns, name)?;
            if out.is_empty() {
                return Err(seq.missing(ns, name));
            }
            Ok(out)
        }
        pub fn write<T: XmlValue>(
            w: &mut Writer,
            values: &[T],
            ns: &'static str,
            name: &'static str,
        ) {
            many::write(w, values, ns, name);
        }
    }

    /// Zero up to a `maxOccurs` bound.
    pub mod many_max {
        use super::*;
        pub fn read<T: XmlValue>(
            seq: &mut Seq,
            ns: &'static str,
            name: &'static str,
            max: usize,
        ) -> Result<Vec<T>> {
            let out: Vec<T> = many::read(seq, ns, name)?;
            if out.len() > max {
                return Err(Refusal::at(
                    RefusalKind::UnexpectedElement,
                    seq.parent(),
                    format!("{}:{name} may occur at most {max} times", ns::prefix(ns)),
                ));
            }
            Ok(out)
        }
        pub fn write<T: XmlValue>(
            w: &mut Writer,
            values: &[T],
            ns: &'static str,
            name: &'static str,
            _max: usize,
        ) {
            many::write(w, values, ns, name);
        }
    }

    /// A base type's content, read from the same cursor (XSD extension).
    pub mod flatten {
        use super::*;
        pub fn read<T: XmlContent>(seq: &mut Seq) -> Result<T> {
            T::read_content(seq)
        }
        pub fn write<T: XmlContent>(w: &mut Writer, value: &T) {
            value.write_content(w);
        }
    }

    /// An `xs:choice` that occurs exactly once.
    pub mod choice_one {
        use super::*;
        pub fn read<T: ChoiceItem>(seq: &mut Seq) -> Result<T> {
            match seq.next_choice::<T>() {
                Some(node) => T::read_item(node),
                None => Err(Refusal::missing(seq.parent(), T::expected(), seq.peek())),
            }
        }
        pub fn write<T: ChoiceItem>(w: &mut Writer, value: &T) {
            value.write_item(w);
        }
    }

    /// An `xs:choice` (or known `xs:any`) repeated zero or more times.
    pub mod choice_many {
        use super::*;
        pub fn read<T: ChoiceItem>(seq: &mut Seq) -> Result<Vec<T>> {
            let mut out = Vec::new();
            while let Some(node) = seq.next_choice::<T>() {
                out.push(T::read_item(node)?);
            }
            Ok(out)
        }
        pub fn write<T: ChoiceItem>(w: &mut Writer, values: &[T]) {
            for value in values {
                value.write_item(w);
            }
        }
    }
}

/// Declares a struct for a complex type's sequence, and its reading and
/// writing, from one list of fields in schema order:
/// `pub field: Type = cardinality(NAMESPACE, "ElementName"),`.
macro_rules! xml_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty = $card:ident ( $($arg:expr),* )
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $crate::xml::XmlContent for $name {
            #[allow(unused_variables)]
            fn read_content(seq: &mut $crate::xml::Seq) -> $crate::xml::Result<Self> {
                $( let $field = $crate::xml::card::$card::read(seq $(, $arg)*)?; )*
                Ok(Self { $($field),* })
            }
            #[allow(unused_variables)]
            fn write_content(&self, w: &mut $crate::xml::Writer) {
                $( $crate::xml::card::$card::write(w, &self.$field $(, $arg)*); )*
            }
        }

        impl $crate::xml::XmlValue for $name {
            fn read(node: roxmltree::Node) -> $crate::xml::Result<Self> {
                $crate::xml::read_complex(node)
            }
            fn write(&self, w: &mut $crate::xml::Writer, ns: &'static str, name: &'static str) {
                w.start(ns, name);
                $crate::xml::XmlContent::write_content(self, w);
                w.end(ns, name);
            }
        }
    };
}

/// Declares an enum for an `xs:choice` whose alternatives are elements:
/// `Variant(Type) = (NAMESPACE, "ElementName"),`. As a value of its own
/// (an element whose content is the choice) exactly one alternative must be
/// there.
macro_rules! xml_choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident ( $ty:ty ) = ( $ns:expr, $el:literal )
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )+
        }

        impl $crate::xml::ChoiceItem for $name {
            fn matches(node: roxmltree::Node) -> bool {
                $( $crate::xml::is(node, $ns, $el) )||+
            }
            fn read_item(node: roxmltree::Node) -> $crate::xml::Result<Self> {
                $(
                    if $crate::xml::is(node, $ns, $el) {
                        return Ok($name::$variant(<$ty as $crate::xml::XmlValue>::read(node)?));
                    }
                )+
                Err($crate::refusal::Refusal::at(
                    $crate::refusal::RefusalKind::UnexpectedElement,
                    node,
                    concat!("expected one of: ", $( $el, " " ),+),
                ))
            }
            fn write_item(&self, w: &mut $crate::xml::Writer) {
                match self {
                    $( $name::$variant(value) => $crate::xml::XmlValue::write(value, w, $ns, $el), )+
                }
            }
            fn expected() -> &'static str {
                concat!("one of ", $( $el, " " ),+)
            }
        }

        impl $crate::xml::XmlContent for $name {
            fn read_content(seq: &mut $crate::xml::Seq) -> $crate::xml::Result<Self> {
                $crate::xml::card::choice_one::read(seq)
            }
            fn write_content(&self, w: &mut $crate::xml::Writer) {
                $crate::xml::card::choice_one::write(w, self);
            }
        }

        impl $crate::xml::XmlValue for $name {
            fn read(node: roxmltree::Node) -> $crate::xml::Result<Self> {
                $crate::xml::read_complex(node)
            }
            fn write(&self, w: &mut $crate::xml::Writer, ns: &'static str, name: &'static str) {
                w.start(ns, name);
                $crate::xml::ChoiceItem::write_item(self, w);
                w.end(ns, name);
            }
        }
    };
}

/// Declares an enum for a string enumeration: `Variant = "literal",`.
macro_rules! xml_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl Default for $name {
            /// The schema's first value (for building values field by field).
            fn default() -> Self {
                Self::ALL[0]
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the schema spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl $crate::xml::XmlValue for $name {
            fn read(node: roxmltree::Node) -> $crate::xml::Result<Self> {
                let text = $crate::xml::simple_text(node)?;
                $name::parse(&text).ok_or_else(|| {
                    $crate::refusal::Refusal::at(
                        $crate::refusal::RefusalKind::InvalidValue,
                        node,
                        concat!("must be one of: ", $( $text, "; " ),+),
                    )
                })
            }
            fn write(&self, w: &mut $crate::xml::Writer, ns: &'static str, name: &'static str) {
                w.text_element(ns, name, self.as_str());
            }
        }
    };
}

pub(crate) use {xml_choice, xml_enum, xml_struct};

/// Writes XML with the crate's one prefix table ([`ns::PREFIXES`]), declared
/// once on the root element. Every text is escaped.
pub struct Writer {
    out: String,
    root_open: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    pub fn new() -> Self {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            root_open: false,
        }
    }

    fn open_tag(&mut self, ns: &'static str, name: &'static str) {
        self.out.push('<');
        self.out.push_str(ns::prefix(ns));
        self.out.push(':');
        self.out.push_str(name);
        if !self.root_open {
            self.root_open = true;
            for (prefix, uri) in ns::PREFIXES {
                self.out.push_str(" xmlns:");
                self.out.push_str(prefix);
                self.out.push_str("=\"");
                escape_into(&mut self.out, uri);
                self.out.push('"');
            }
        }
    }

    pub fn start(&mut self, ns: &'static str, name: &'static str) {
        self.open_tag(ns, name);
        self.out.push('>');
    }

    pub fn end(&mut self, ns: &'static str, name: &'static str) {
        self.out.push_str("</");
        self.out.push_str(ns::prefix(ns));
        self.out.push(':');
        self.out.push_str(name);
        self.out.push('>');
    }

    pub fn text_element(&mut self, ns: &'static str, name: &'static str, text: &str) {
        self.start(ns, name);
        escape_into(&mut self.out, text);
        self.end(ns, name);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes text for element content and attribute values. Carriage return
/// is written as a character reference so that it survives the reader's
/// line-end normalisation; characters XML 1.0 cannot carry at all become
/// U+FFFD.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// XML 1.0's `Char` production.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
