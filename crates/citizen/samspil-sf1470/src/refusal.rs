//! Why a request was refused, and where.
//!
//! Messages are English and never repeat a value from the request: a refused
//! field may hold a CPR number, and refusals end up in delivery logs. They
//! say what the schema expects at the location instead.

use std::fmt;

use roxmltree::Node;

use crate::ns;

/// What is wrong with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    /// The body is larger than [`crate::MAX_BODY_BYTES`].
    TooLarge,
    /// The body is not UTF-8 (the only encoding the door accepts).
    NotUtf8,
    /// The document has a `<!DOCTYPE>`: DTDs are never processed.
    Dtd,
    /// An entity reference other than XML's five predefined ones and
    /// character references (possible only with a DTD, which is refused).
    Entity,
    /// Not well-formed XML.
    Malformed,
    /// Elements nested deeper than [`crate::MAX_DEPTH`].
    TooDeep,
    /// More XML nodes than [`crate::MAX_NODES`].
    TooManyNodes,
    /// An element with more attributes than [`crate::MAX_ATTRIBUTES`].
    TooManyAttributes,
    /// Well-formed XML, but not a SOAP envelope.
    NotSoap,
    /// A SOAP 1.1 (or other) envelope: the WSDLs bind SOAP 1.2 only.
    VersionMismatch,
    /// A header block with `mustUnderstand` that the door does not process.
    MustUnderstand,
    /// The body's element is not the input of an operation we serve.
    UnknownOperation,
    /// An element has the schema's name in another namespace.
    WrongNamespace,
    /// A required element is missing.
    MissingElement,
    /// An element the schema does not allow at this place.
    UnexpectedElement,
    /// Text where only elements are allowed.
    UnexpectedText,
    /// A value that does not match its type (a bad date, a too long text, ...).
    InvalidValue,
    /// A response that is a SOAP fault (only from [`crate::parse_response`]).
    Fault,
}

impl RefusalKind {
    /// Whether the refusal concerns the document or the envelope itself
    /// (answered with a SOAP fault) rather than the content of a recognised
    /// operation (answered in that operation's response shape with
    /// `StatusKode` 40).
    pub fn is_envelope_level(self) -> bool {
        matches!(
            self,
            RefusalKind::TooLarge
                | RefusalKind::NotUtf8
                | RefusalKind::Dtd
                | RefusalKind::Entity
                | RefusalKind::Malformed
                | RefusalKind::TooDeep
                | RefusalKind::TooManyNodes
                | RefusalKind::TooManyAttributes
                | RefusalKind::NotSoap
                | RefusalKind::VersionMismatch
                | RefusalKind::MustUnderstand
                | RefusalKind::UnknownOperation
                | RefusalKind::Fault
        )
    }
}

/// A refused request: what is wrong, where, and, once the body's element
/// was recognised, which operation it was meant for. The location is
/// XPath-like, with this crate's prefixes (see [`ns::PREFIXES`]; `?` for a
/// namespace outside the schemas) and a 1-based position where an element
/// has siblings of the same name; for input that is not XML it is the line
/// and column, and empty where the whole request is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub location: String,
    pub message: String,
    pub operation: Option<crate::OperationKind>,
}

impl Refusal {
    pub fn new(kind: RefusalKind, location: impl Into<String>, message: impl Into<String>) -> Self {
        Refusal {
            kind,
            location: location.into(),
            message: message.into(),
            operation: None,
        }
    }

    pub(crate) fn at(kind: RefusalKind, node: Node, message: impl Into<String>) -> Self {
        Refusal::new(kind, location(node), message)
    }

    pub(crate) fn missing(parent: Node, missing: &str, found: Option<Node>) -> Self {
        let message = match found {
            None => format!("required element {missing} is missing"),
            Some(node) => format!(
                "required element {missing} is missing (found {}:{} instead)",
                ns::prefix(node.tag_name().namespace().unwrap_or("")),
                node.tag_name().name()
            ),
        };
        Refusal::new(RefusalKind::MissingElement, location(parent), message)
    }

    pub(crate) fn for_operation(mut self, operation: crate::OperationKind) -> Self {
        self.operation = Some(operation);
        self
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.location)
        }
    }
}

impl std::error::Error for Refusal {}

impl From<samspil_xml::XmlRefusal> for Refusal {
    fn from(refusal: samspil_xml::XmlRefusal) -> Self {
        use samspil_xml::XmlRefusal as X;
        let kind = match refusal {
            X::TooLarge { .. } => RefusalKind::TooLarge,
            X::NotUtf8 { .. } => RefusalKind::NotUtf8,
            X::TooManyAttributes { .. } | X::TooManyNamespaces { .. } => {
                RefusalKind::TooManyAttributes
            }
            X::TooDeep { .. } => RefusalKind::TooDeep,
            X::TooManyNodes { .. } => RefusalKind::TooManyNodes,
            X::Dtd => RefusalKind::Dtd,
            X::Entity { .. } => RefusalKind::Entity,
            X::Malformed { .. } => RefusalKind::Malformed,
        };
        Refusal::new(kind, refusal.location(), refusal.message("the request"))
    }
}

/// The XPath-like location of an element, with this crate's prefixes:
/// `/env:Envelope/env:Body/sdi:ImporterSagDokumentIndeksInput/
/// sdi:SagIndeks[2]/sag:Registrering[1]`.
pub fn location(node: Node) -> String {
    samspil_xml::location(node, |uri| Some(ns::prefix(uri)))
}
