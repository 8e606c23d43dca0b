//! The SOAP 1.2 envelope: reading it safely (size, DTD, entities, depth),
//! its header blocks, and the one body element that names the operation.

use roxmltree::{Document, Node};

use crate::common::{BasicOutput, MultipleOutput, UuidNoteInput};
use crate::ns::{BI, HEADER, OEF, SDI, SOAP11, SOAP12, WSA, WSSE, YI};
use crate::refusal::{Refusal, RefusalKind, location};
use crate::simple::Text;
use crate::xml::{self, Writer, XmlValue, is, xml_struct};
use crate::{
    MAX_ATTRIBUTES, MAX_BODY_BYTES, MAX_DEPTH, MAX_NAMESPACES_IN_SCOPE, MAX_NODES, sagdok, ydelse,
};

xml_struct! {
    /// `header:RequestHeader` (`RequestHeader.xsd`): the transaction UUID
    /// the WSDLs carry in the SOAP header of every request and response.
    /// (The schema's `xs:all` holds this one element, so it reads as a
    /// sequence.)
    pub struct RequestHeader {
        pub transaction_uuid: Text<1, { usize::MAX }> = one(HEADER, "TransactionUUID"),
    }
}

/// The `wsse:Security` header block, exposed as sent and not verified.
///
/// OIOIDWS, the production security model of SF1470 3.0, puts a SAML
/// assertion issued by the security token service and a signature over the
/// body and the addressing headers here. Verifying it needs the whole
/// document (the signature covers elements outside this block by their
/// `wsu:Id`), so this block is exposed as its exact text together with the
/// namespace declarations in scope where it stands, and the door keeps the
/// request's bytes for a verifier that parses them in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityHeader {
    /// The block's XML, byte for byte as sent.
    pub xml: String,
    /// The namespace declarations in scope at the block (prefix, URI); the
    /// default namespace has the empty prefix.
    pub namespaces: Vec<(String, String)>,
    /// Whether the sender set `env:mustUnderstand`. The codec does not
    /// refuse it: whether it is understood is for the door to decide.
    pub must_understand: bool,
}

/// The WS-Addressing headers OIOIDWS requests carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Addressing {
    pub action: Option<String>,
    pub message_id: Option<String>,
    pub to: Option<String>,
}

/// The SOAP header blocks the door reads. Other blocks are ignored unless
/// they carry `env:mustUnderstand="true"`, which is refused as SOAP 1.2
/// requires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    pub request_header: Option<RequestHeader>,
    pub security: Option<SecurityHeader>,
    pub addressing: Addressing,
}

/// The services and operations the door serves, by the body element that
/// names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    SagDokumentImporter,
    SagDokumentOpdater,
    SagDokumentFjern,
    SagDokumentFremsoeg,
    YdelseImporter,
    YdelseOpdater,
    YdelseFremsoeg,
    BevillingFjern,
    EffektueringFjern,
}

impl OperationKind {
    pub const ALL: [OperationKind; 9] = [
        OperationKind::SagDokumentImporter,
        OperationKind::SagDokumentOpdater,
        OperationKind::SagDokumentFjern,
        OperationKind::SagDokumentFremsoeg,
        OperationKind::YdelseImporter,
        OperationKind::YdelseOpdater,
        OperationKind::YdelseFremsoeg,
        OperationKind::BevillingFjern,
        OperationKind::EffektueringFjern,
    ];

    /// The WSDL operation's name.
    pub fn operation(self) -> &'static str {
        match self {
            OperationKind::SagDokumentImporter | OperationKind::YdelseImporter => "importer",
            OperationKind::SagDokumentOpdater | OperationKind::YdelseOpdater => "opdater",
            OperationKind::SagDokumentFjern
            | OperationKind::BevillingFjern
            | OperationKind::EffektueringFjern => "fjern",
            OperationKind::SagDokumentFremsoeg | OperationKind::YdelseFremsoeg => "fremsoeg",
        }
    }

    /// The WSDL service the operation belongs to.
    pub fn service(self) -> &'static str {
        match self {
            OperationKind::SagDokumentImporter
            | OperationKind::SagDokumentOpdater
            | OperationKind::SagDokumentFjern
            | OperationKind::SagDokumentFremsoeg => "SagDokumentIndeksService_6",
            OperationKind::YdelseImporter
            | OperationKind::YdelseOpdater
            | OperationKind::YdelseFremsoeg => "YdelseIndeksService",
            OperationKind::BevillingFjern => "BevillingIndeksService",
            OperationKind::EffektueringFjern => "OekonomiskEffektueringIndeksService",
        }
    }

    /// The binding's `soapAction`. The body element decides the operation;
    /// a door that receives an `action` (Content-Type parameter or
    /// `wsa:Action`) can compare it with this.
    pub fn soap_action(self) -> &'static str {
        match self {
            OperationKind::SagDokumentImporter => "http://kombit.dk/sts/sagdokumentindeks/importer",
            OperationKind::SagDokumentOpdater => "http://kombit.dk/sts/sagdokumentindeks/opdater",
            OperationKind::SagDokumentFjern => "http://kombit.dk/sts/sagdokumentindeks/fjern",
            OperationKind::SagDokumentFremsoeg => "http://kombit.dk/sts/sagdokumentindeks/fremsoeg",
            OperationKind::YdelseImporter => "http://kombit.dk/sts/ydelseindeks/importer",
            OperationKind::YdelseOpdater => "http://kombit.dk/sts/ydelseindeks/opdater",
            OperationKind::YdelseFremsoeg => "http://kombit.dk/sts/ydelseindeks/fremsoeg",
            OperationKind::BevillingFjern => {
                "http://kombit.dk/sts/ydelseindeks/bevillingindeks/fjern"
            }
            OperationKind::EffektueringFjern => {
                "http://kombit.dk/sts/ydelseindeks/oekonomiskEffektuering/fjern"
            }
        }
    }

    /// The request's body element.
    pub fn request_element(self) -> (&'static str, &'static str) {
        match self {
            OperationKind::SagDokumentImporter => (SDI, "ImporterSagDokumentIndeksInput"),
            OperationKind::SagDokumentOpdater => (SDI, "OpdaterSagDokumentIndeksInput"),
            OperationKind::SagDokumentFjern => (SDI, "FjernSagDokumentIndeksInput"),
            OperationKind::SagDokumentFremsoeg => (SDI, "FremsoegSagDokumentIndeksInput"),
            OperationKind::YdelseImporter => (YI, "ImporterYdelseIndeksInput"),
            OperationKind::YdelseOpdater => (YI, "OpdaterYdelseIndeksInput"),
            OperationKind::YdelseFremsoeg => (YI, "FremsoegYdelseIndeksInput"),
            OperationKind::BevillingFjern => (BI, "FjernInput"),
            OperationKind::EffektueringFjern => (OEF, "FjernInput"),
        }
    }

    /// The response's body element.
    pub fn response_element(self) -> (&'static str, &'static str) {
        match self {
            OperationKind::SagDokumentImporter => (SDI, "ImporterSagDokumentIndeksOutput"),
            OperationKind::SagDokumentOpdater => (SDI, "OpdaterSagDokumentIndeksOutput"),
            OperationKind::SagDokumentFjern => (SDI, "FjernSagDokumentIndeksOutput"),
            OperationKind::SagDokumentFremsoeg => (SDI, "FremsoegSagDokumentIndeksOutput"),
            OperationKind::YdelseImporter => (YI, "ImporterYdelseIndeksOutput"),
            OperationKind::YdelseOpdater => (YI, "OpdaterYdelseIndeksOutput"),
            OperationKind::YdelseFremsoeg => (YI, "FremsoegYdelseIndeksOutput"),
            OperationKind::BevillingFjern => (BI, "FjernOutput"),
            OperationKind::EffektueringFjern => (OEF, "FjernOutput"),
        }
    }

    fn by_element(
        node: Node,
        element: fn(OperationKind) -> (&'static str, &'static str),
    ) -> Option<Self> {
        OperationKind::ALL.into_iter().find(|kind| {
            let (ns, name) = element(*kind);
            is(node, ns, name)
        })
    }
}

/// A request, typed by its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    SagDokumentImporter(sagdok::ImporterInput),
    SagDokumentOpdater(sagdok::OpdaterInput),
    SagDokumentFjern(sagdok::FjernInput),
    SagDokumentFremsoeg(sagdok::FremsoegInput),
    YdelseImporter(ydelse::ImporterInput),
    YdelseOpdater(ydelse::OpdaterInput),
    YdelseFremsoeg(ydelse::FremsoegInput),
    BevillingFjern(UuidNoteInput),
    EffektueringFjern(UuidNoteInput),
}

impl Request {
    pub fn kind(&self) -> OperationKind {
        match self {
            Request::SagDokumentImporter(_) => OperationKind::SagDokumentImporter,
            Request::SagDokumentOpdater(_) => OperationKind::SagDokumentOpdater,
            Request::SagDokumentFjern(_) => OperationKind::SagDokumentFjern,
            Request::SagDokumentFremsoeg(_) => OperationKind::SagDokumentFremsoeg,
            Request::YdelseImporter(_) => OperationKind::YdelseImporter,
            Request::YdelseOpdater(_) => OperationKind::YdelseOpdater,
            Request::YdelseFremsoeg(_) => OperationKind::YdelseFremsoeg,
            Request::BevillingFjern(_) => OperationKind::BevillingFjern,
            Request::EffektueringFjern(_) => OperationKind::EffektueringFjern,
        }
    }

    fn read(kind: OperationKind, node: Node) -> xml::Result<Self> {
        Ok(match kind {
            OperationKind::SagDokumentImporter => {
                Request::SagDokumentImporter(XmlValue::read(node)?)
            }
            OperationKind::SagDokumentOpdater => Request::SagDokumentOpdater(XmlValue::read(node)?),
            OperationKind::SagDokumentFjern => Request::SagDokumentFjern(XmlValue::read(node)?),
            OperationKind::SagDokumentFremsoeg => {
                Request::SagDokumentFremsoeg(XmlValue::read(node)?)
            }
            OperationKind::YdelseImporter => Request::YdelseImporter(XmlValue::read(node)?),
            OperationKind::YdelseOpdater => Request::YdelseOpdater(XmlValue::read(node)?),
            OperationKind::YdelseFremsoeg => Request::YdelseFremsoeg(XmlValue::read(node)?),
            OperationKind::BevillingFjern => Request::BevillingFjern(XmlValue::read(node)?),
            OperationKind::EffektueringFjern => Request::EffektueringFjern(XmlValue::read(node)?),
        })
    }

    fn write(&self, w: &mut Writer) {
        let (ns, name) = self.kind().request_element();
        match self {
            Request::SagDokumentImporter(v) => v.write(w, ns, name),
            Request::SagDokumentOpdater(v) => v.write(w, ns, name),
            Request::SagDokumentFjern(v) => v.write(w, ns, name),
            Request::SagDokumentFremsoeg(v) => v.write(w, ns, name),
            Request::YdelseImporter(v) => v.write(w, ns, name),
            Request::YdelseOpdater(v) => v.write(w, ns, name),
            Request::YdelseFremsoeg(v) => v.write(w, ns, name),
            Request::BevillingFjern(v) | Request::EffektueringFjern(v) => v.write(w, ns, name),
        }
    }
}

/// A response, typed by its operation, in the WSDL's output shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    SagDokumentImporter(MultipleOutput),
    SagDokumentOpdater(MultipleOutput),
    SagDokumentFjern(MultipleOutput),
    SagDokumentFremsoeg(sagdok::FremsoegOutput),
    YdelseImporter(MultipleOutput),
    YdelseOpdater(MultipleOutput),
    YdelseFremsoeg(ydelse::FremsoegOutput),
    BevillingFjern(BasicOutput),
    EffektueringFjern(BasicOutput),
}

impl Response {
    pub fn kind(&self) -> OperationKind {
        match self {
            Response::SagDokumentImporter(_) => OperationKind::SagDokumentImporter,
            Response::SagDokumentOpdater(_) => OperationKind::SagDokumentOpdater,
            Response::SagDokumentFjern(_) => OperationKind::SagDokumentFjern,
            Response::SagDokumentFremsoeg(_) => OperationKind::SagDokumentFremsoeg,
            Response::YdelseImporter(_) => OperationKind::YdelseImporter,
            Response::YdelseOpdater(_) => OperationKind::YdelseOpdater,
            Response::YdelseFremsoeg(_) => OperationKind::YdelseFremsoeg,
            Response::BevillingFjern(_) => OperationKind::BevillingFjern,
            Response::EffektueringFjern(_) => OperationKind::EffektueringFjern,
        }
    }

    fn read(kind: OperationKind, node: Node) -> xml::Result<Self> {
        Ok(match kind {
            OperationKind::SagDokumentImporter => {
                Response::SagDokumentImporter(XmlValue::read(node)?)
            }
            OperationKind::SagDokumentOpdater => {
                Response::SagDokumentOpdater(XmlValue::read(node)?)
            }
            OperationKind::SagDokumentFjern => Response::SagDokumentFjern(XmlValue::read(node)?),
            OperationKind::SagDokumentFremsoeg => {
                Response::SagDokumentFremsoeg(XmlValue::read(node)?)
            }
            OperationKind::YdelseImporter => Response::YdelseImporter(XmlValue::read(node)?),
            OperationKind::YdelseOpdater => Response::YdelseOpdater(XmlValue::read(node)?),
            OperationKind::YdelseFremsoeg => Response::YdelseFremsoeg(XmlValue::read(node)?),
            OperationKind::BevillingFjern => Response::BevillingFjern(XmlValue::read(node)?),
            OperationKind::EffektueringFjern => Response::EffektueringFjern(XmlValue::read(node)?),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let (ns, name) = self.kind().response_element();
        match self {
            Response::SagDokumentImporter(v)
            | Response::SagDokumentOpdater(v)
            | Response::SagDokumentFjern(v)
            | Response::YdelseImporter(v)
            | Response::YdelseOpdater(v) => v.write(w, ns, name),
            Response::SagDokumentFremsoeg(v) => v.write(w, ns, name),
            Response::YdelseFremsoeg(v) => v.write(w, ns, name),
            Response::BevillingFjern(v) | Response::EffektueringFjern(v) => v.write(w, ns, name),
        }
    }
}

/// A parsed request: its header blocks and its typed body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub header: Header,
    pub request: Request,
}

/// The bounds every incoming request stays within (see the constants).
const LIMITS: samspil_xml::Limits = samspil_xml::Limits {
    max_bytes: MAX_BODY_BYTES,
    max_nodes: MAX_NODES,
    max_depth: MAX_DEPTH,
    max_attributes: MAX_ATTRIBUTES,
    max_namespaces_in_scope: MAX_NAMESPACES_IN_SCOPE,
};

/// The checks every incoming document passes before its content is read:
/// size, encoding, no DTD and no entities, node count and depth.
fn parse_document(body: &[u8]) -> Result<Document<'_>, Refusal> {
    samspil_xml::parse(body, &LIMITS).map_err(Refusal::from)
}

/// The envelope's Header (if any) and Body, after checking the root.
fn envelope_parts<'a, 'i>(
    document: &'a Document<'i>,
) -> Result<(Option<Node<'a, 'i>>, Node<'a, 'i>), Refusal> {
    let root = document.root_element();
    if root.tag_name().name() == "Envelope" && root.tag_name().namespace() != Some(SOAP12) {
        let message = if root.tag_name().namespace() == Some(SOAP11) {
            "SOAP 1.1 is not supported: the services are bound to SOAP 1.2 (http://www.w3.org/2003/05/soap-envelope)"
        } else {
            "only SOAP 1.2 envelopes (http://www.w3.org/2003/05/soap-envelope) are supported"
        };
        return Err(Refusal::at(RefusalKind::VersionMismatch, root, message));
    }
    if !is(root, SOAP12, "Envelope") {
        return Err(Refusal::at(
            RefusalKind::NotSoap,
            root,
            "the request is not a SOAP 1.2 envelope",
        ));
    }
    let mut seq = xml::Seq::new(root).map_err(|r| Refusal {
        kind: RefusalKind::NotSoap,
        ..r
    })?;
    let header = seq.next_if(SOAP12, "Header")?;
    let body = seq
        .next_if(SOAP12, "Body")?
        .ok_or_else(|| Refusal::at(RefusalKind::NotSoap, root, "the envelope has no env:Body"))?;
    seq.finish().map_err(|r| Refusal {
        kind: RefusalKind::NotSoap,
        ..r
    })?;
    Ok((header, body))
}

fn must_understand(node: Node) -> bool {
    matches!(
        node.attribute((SOAP12, "mustUnderstand")).map(str::trim),
        Some("true") | Some("1")
    )
}

fn read_header(header: Option<Node>) -> Result<Header, Refusal> {
    let mut out = Header::default();
    let Some(header) = header else {
        return Ok(out);
    };
    for block in header.children().filter(|n| n.is_element()) {
        let duplicate = || {
            Refusal::at(
                RefusalKind::UnexpectedElement,
                block,
                "this header block may occur only once",
            )
        };
        if is(block, HEADER, "RequestHeader") {
            if out.request_header.is_some() {
                return Err(duplicate());
            }
            out.request_header = Some(RequestHeader::read(block)?);
        } else if is(block, WSSE, "Security") {
            if out.security.is_some() {
                return Err(duplicate());
            }
            let range = block.range();
            out.security = Some(SecurityHeader {
                xml: block.document().input_text()[range].to_string(),
                namespaces: block
                    .namespaces()
                    .map(|n| (n.name().unwrap_or("").to_string(), n.uri().to_string()))
                    .collect(),
                must_understand: must_understand(block),
            });
        } else if block.tag_name().namespace() == Some(WSA) && block.tag_name().name() == "Action" {
            out.addressing.action = Some(xml::simple_text(block)?.trim().to_string());
        } else if block.tag_name().namespace() == Some(WSA)
            && block.tag_name().name() == "MessageID"
        {
            out.addressing.message_id = Some(xml::simple_text(block)?.trim().to_string());
        } else if block.tag_name().namespace() == Some(WSA) && block.tag_name().name() == "To" {
            out.addressing.to = Some(xml::simple_text(block)?.trim().to_string());
        } else if must_understand(block) {
            return Err(Refusal::at(
                RefusalKind::MustUnderstand,
                block,
                format!(
                    "header block {} in namespace {} has mustUnderstand and is not understood",
                    block.tag_name().name(),
                    block.tag_name().namespace().unwrap_or("(none)")
                ),
            ));
        }
    }
    Ok(out)
}

/// The body's one element.
fn body_element<'a, 'i>(body: Node<'a, 'i>) -> Result<Node<'a, 'i>, Refusal> {
    let seq = xml::Seq::new(body)?;
    let mut elements = body.children().filter(|n| n.is_element());
    let first = elements
        .next()
        .ok_or_else(|| Refusal::at(RefusalKind::UnknownOperation, body, "the body is empty"))?;
    if let Some(second) = elements.next() {
        return Err(Refusal::at(
            RefusalKind::UnexpectedElement,
            second,
            "the body must hold exactly one element (document/literal binding)",
        ));
    }
    drop(seq);
    Ok(first)
}

fn unknown_operation(
    element: Node,
    known: fn(OperationKind) -> (&'static str, &'static str),
) -> Refusal {
    let name = element.tag_name().name();
    if let Some(kind) = OperationKind::ALL.into_iter().find(|k| known(*k).1 == name) {
        let (ns, _) = known(kind);
        return Refusal::at(
            RefusalKind::WrongNamespace,
            element,
            format!(
                "element {name} must be in namespace {ns}, found {}",
                element.tag_name().namespace().unwrap_or("(no namespace)")
            ),
        );
    }
    Refusal::at(
        RefusalKind::UnknownOperation,
        element,
        "the body's element is not the input of an operation of SagDokumentIndeksService 6 or the benefit index",
    )
}

/// Parses a request envelope into its operation and typed request, or
/// refuses it saying what is wrong and where.
pub fn parse_request(body: &[u8]) -> Result<Envelope, Refusal> {
    let document = parse_document(body)?;
    let (header, body) = envelope_parts(&document)?;
    let header = read_header(header)?;
    let element = body_element(body)?;
    let kind = OperationKind::by_element(element, OperationKind::request_element)
        .ok_or_else(|| unknown_operation(element, OperationKind::request_element))?;
    let request = Request::read(kind, element).map_err(|r| r.for_operation(kind))?;
    Ok(Envelope { header, request })
}

/// Parses a response envelope (what a client of the index reads back).
/// A SOAP fault is refused with its reason as the message.
pub fn parse_response(body: &[u8]) -> Result<(Option<RequestHeader>, Response), Refusal> {
    let document = parse_document(body)?;
    let (header, body) = envelope_parts(&document)?;
    let header = read_header(header)?;
    let element = body_element(body)?;
    if is(element, SOAP12, "Fault") {
        let reason = element
            .descendants()
            .find(|n| is(*n, SOAP12, "Text"))
            .and_then(|n| n.text())
            .unwrap_or("")
            .to_string();
        return Err(Refusal::new(
            RefusalKind::Fault,
            location(element),
            format!("SOAP fault: {reason}"),
        ));
    }
    let kind = OperationKind::by_element(element, OperationKind::response_element)
        .ok_or_else(|| unknown_operation(element, OperationKind::response_element))?;
    let response = Response::read(kind, element).map_err(|r| r.for_operation(kind))?;
    Ok((header.request_header, response))
}

fn write_envelope(header: Option<&RequestHeader>, body: impl FnOnce(&mut Writer)) -> String {
    let mut w = Writer::new();
    w.start(SOAP12, "Envelope");
    if let Some(header) = header {
        w.start(SOAP12, "Header");
        header.write(&mut w, HEADER, "RequestHeader");
        w.end(SOAP12, "Header");
    }
    w.start(SOAP12, "Body");
    body(&mut w);
    w.end(SOAP12, "Body");
    w.end(SOAP12, "Envelope");
    w.finish()
}

/// Writes a request envelope with its `header:RequestHeader` (a client's
/// side, and the tests'). A security header is never written: an OIOIDWS
/// client signs the finished envelope and adds its own.
pub fn write_request(header: Option<&RequestHeader>, request: &Request) -> String {
    write_envelope(header, |w| request.write(w))
}

/// Writes a response envelope in the WSDL's output shape, echoing the
/// request's `header:RequestHeader` as the WSDL's response message does.
pub fn write_response(header: Option<&RequestHeader>, response: &Response) -> String {
    write_envelope(header, |w| response.write(w))
}

/// The SOAP 1.2 fault codes the door answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultCode {
    /// `env:Sender`: the request is at fault (malformed, not SOAP, refused).
    Sender,
    /// `env:Receiver`: the index failed; the request may be retried.
    Receiver,
    /// `env:VersionMismatch`: not a SOAP 1.2 envelope.
    VersionMismatch,
    /// `env:MustUnderstand`: a mandatory header block we do not process.
    MustUnderstand,
}

impl FaultCode {
    fn qname(self) -> &'static str {
        match self {
            FaultCode::Sender => "env:Sender",
            FaultCode::Receiver => "env:Receiver",
            FaultCode::VersionMismatch => "env:VersionMismatch",
            FaultCode::MustUnderstand => "env:MustUnderstand",
        }
    }

    /// The HTTP status the SOAP 1.2 HTTP binding gives a fault.
    pub fn http_status(self) -> u16 {
        match self {
            FaultCode::Receiver => 500,
            _ => 400,
        }
    }
}

/// Writes a SOAP 1.2 fault with an English reason (escaped). A
/// VersionMismatch fault carries the `env:Upgrade` header naming the
/// envelope version we support, as SOAP 1.2 asks.
pub fn write_fault(code: FaultCode, reason: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.push_str("<env:Envelope xmlns:env=\"");
    out.push_str(SOAP12);
    out.push_str("\">");
    if code == FaultCode::VersionMismatch {
        out.push_str(
            "<env:Header><env:Upgrade><env:SupportedEnvelope qname=\"env:Envelope\"/></env:Upgrade></env:Header>",
        );
    }
    out.push_str("<env:Body><env:Fault><env:Code><env:Value>");
    out.push_str(code.qname());
    out.push_str("</env:Value></env:Code><env:Reason><env:Text xml:lang=\"en\">");
    xml::escape_into(&mut out, reason);
    out.push_str("</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>");
    out
}

/// What to answer a refused request with: the body and its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub http_status: u16,
    pub body: String,
}

/// The answer to a refusal. When the request was a recognisable operation
/// whose content broke the schema, the answer is that operation's response
/// with `StatusKode` 40 and the refusal (message and location) as
/// `FejlbeskedTekst`, HTTP 200 — as the index answers any invalid input.
/// Anything before that (size, not XML, DTD, entities, depth, not SOAP, an
/// unknown operation) is a SOAP fault.
pub fn answer_refusal(refusal: &Refusal, header: Option<&RequestHeader>) -> Answer {
    match refusal.operation {
        Some(kind) if !refusal.kind.is_envelope_level() => Answer {
            http_status: 200,
            body: write_response(
                header,
                &crate::response::status_only(
                    kind,
                    crate::common::StatusKode::Inputfejl,
                    &refusal.to_string(),
                ),
            ),
        },
        _ => {
            let code = match refusal.kind {
                RefusalKind::VersionMismatch => FaultCode::VersionMismatch,
                RefusalKind::MustUnderstand => FaultCode::MustUnderstand,
                _ => FaultCode::Sender,
            };
            Answer {
                http_status: code.http_status(),
                body: write_fault(code, &refusal.to_string()),
            }
        }
    }
}
