//! The SOAP codec of samspil's citizen indexes: KOMBIT's SF1470
//! `SagDokumentIndeksService` 6 (cases and documents: `importer`, `opdater`,
//! `fjern`, `fremsoeg`) and the benefit index (grants and payments:
//! `YdelseIndeks` `importer`, `opdater`, `fremsoeg`, and the `fjern` of
//! `BevillingIndeks` and `OekonomiskEffektueringIndeks`).
//!
//! The types follow the vendored XSDs (`schemas/`) element by element: the
//! namespace each element is declared in, the nesting, every `Virkning`
//! (`FraTidspunkt`/`TilTidspunkt`/`AktoerRef`/`AktoerTypeKode`/`NoteTekst`)
//! on attribute groups, states and relations, each registration with its
//! `Tidspunkt`, the length and pattern facets, and amounts as integer øre
//! ([`simple::Oere`], read exactly from the decimal text). A type named
//! `…Felter` is the base type an XSD extension starts with, read from the
//! same element.
//!
//! Entry points: [`parse_request`] takes the HTTP body and returns the
//! operation with its typed request ([`Envelope`]) or a [`Refusal`] saying
//! what is wrong and where (an XPath-like location); [`write_response`],
//! [`response::status_only`] and [`response::unik_retur`] build the answer
//! in the WSDL's response shape (`StandardRetur` with `StatusKode`, see
//! [`common::StatusKode`] for the codes); [`answer_refusal`] turns a refusal
//! into the right answer: the operation's response with `StatusKode` 40 when
//! the content broke the schema, a SOAP 1.2 fault (`env:Sender`,
//! `env:VersionMismatch`, `env:MustUnderstand`) for anything that is not a
//! readable request, and [`write_fault`] with [`FaultCode::Receiver`] is
//! for the index's own failures. [`write_request`] and [`parse_response`]
//! are the client's side, used by tests and the demo's synthetic vendors.
//!
//! ```
//! use samspil_sf1470::common::StatusKode;
//! use samspil_sf1470::response::status_only;
//! use samspil_sf1470::{Request, answer_refusal, parse_request, write_response};
//!
//! let body = br#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>
//!   <bi:FjernInput xmlns:bi="urn:oio:sts:ydelse:bevillingindeks:6" xmlns:sd="urn:oio:sagdok:3.0.0">
//!     <sd:UUIDIdentifikator>a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d</sd:UUIDIdentifikator>
//!   </bi:FjernInput></e:Body></e:Envelope>"#;
//! let (status, answer) = match parse_request(body) {
//!     Ok(envelope) => {
//!         let Request::BevillingFjern(input) = &envelope.request else { unreachable!() };
//!         assert_eq!(input.uuid.as_str(), "a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d");
//!         // ... the store removes the grant, then:
//!         let response = status_only(envelope.request.kind(), StatusKode::Ok, "");
//!         (200, write_response(envelope.header.request_header.as_ref(), &response))
//!     }
//!     Err(refusal) => {
//!         let answer = answer_refusal(&refusal, None);
//!         (answer.http_status, answer.body)
//!     }
//! };
//! assert_eq!(status, 200);
//! assert!(answer.contains("<bi:FjernOutput"));
//! assert!(answer.contains("<sd:StatusKode>20</sd:StatusKode>"));
//! ```
//!
//! # What the SOAP door accepts today
//!
//! - SOAP 1.2 only (`http://www.w3.org/2003/05/soap-envelope`), as the
//!   WSDLs bind it. A SOAP 1.1 envelope is answered with a VersionMismatch
//!   fault naming the supported envelope; there is no 1.1 fallback, since
//!   no SF1470 client speaks it.
//! - UTF-8, at most [`MAX_BODY_BYTES`]; no `<!DOCTYPE>` (so no entity can
//!   be declared) and no entity references but XML's five predefined ones
//!   and character references; at most [`MAX_NODES`] nodes nested at most
//!   [`MAX_DEPTH`] deep, at most [`MAX_ATTRIBUTES`] attributes on an
//!   element and [`MAX_NAMESPACES_IN_SCOPE`] namespace declarations in
//!   scope. Nesting, attributes and declarations are counted in one linear
//!   pass over the bytes before the XML parser runs.
//! - Namespaces are resolved: a sender may use any prefixes, and an element
//!   in the wrong namespace is refused. Elements the schema does not allow
//!   are refused (the schemas have no open content but the local extension
//!   lists, whose `xs:any` is `processContents="strict"`: the extension
//!   elements the index schemas declare are read, any other is refused).
//! - Header blocks: `header:RequestHeader` (its `TransactionUUID` is echoed
//!   in the response), `wsse:Security` (exposed, not verified, see below),
//!   WS-Addressing `Action`, `MessageID` and `To`; any other block is
//!   ignored unless marked `mustUnderstand`, which is refused.
//! - Authentication today is the door's, not the envelope's: the system
//!   presents its samspil credential as `Authorization: Bearer` on the
//!   HTTP request, and the codec never looks at it.
//!
//! # How OIOIDWS fits in later
//!
//! OIOIDWS (WS-Security with a SAML token, the production security model of
//! SF1470 3.0) puts a token from the security token service and a signature
//! over the body in the `wsse:Security` header. The codec already parses
//! and exposes that block ([`SecurityHeader`]: its exact text, the namespace
//! declarations in scope, and `mustUnderstand`) and keeps the whole
//! document for a verifier ([`parse_request`] leaves the input untouched).
//! A verifier, in a crate of its own beside `samspil-saml`, will check the
//! token's issuer and validity, the signature over the body and the
//! addressing headers, and map the token's system to a registered vendor
//! system; the door will then accept that instead of, or in addition to,
//! the bearer credential. Nothing in the request types changes.
//!
//! No I/O, no async, no database, no HTTP here: the door in the citizen web
//! crate reads the body, calls this crate, and writes what it returns.

pub mod bevilling;
pub mod common;
pub mod dokument;
pub mod effektuering;
mod envelope;
pub mod ns;
mod refusal;
pub mod response;
pub mod sag;
pub mod sagdok;
pub mod simple;
mod xml;
pub mod ydelse;

pub use envelope::{
    Addressing, Answer, Envelope, FaultCode, Header, OperationKind, Request, RequestHeader,
    Response, SecurityHeader, answer_refusal, parse_request, parse_response, write_fault,
    write_request, write_response,
};
pub use refusal::{Refusal, RefusalKind};

/// The largest request body read: 32 MiB. A case with its full history,
/// parties, classes and a journal note is about 12 KB and 350 XML nodes
/// (the `measure_parsing_an_initial_load_of_a_thousand_cases` test prints
/// it), so an initial load of some 2,500 such cases fits in one request; a
/// larger backlog goes in several, which the index makes idempotent.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The most XML nodes (elements, texts, comments; roxmltree's count) a
/// request may hold: bounds the parser's memory whatever the body's shape.
/// At about 33 bytes a node in real envelopes, it matches [`MAX_BODY_BYTES`].
pub const MAX_NODES: u32 = 1_000_000;

/// The most attributes (namespace declarations included) on one element.
/// A real envelope declares a dozen namespaces at most; the XML parser
/// compares each attribute with the element's others, so this bounds that
/// work too.
pub const MAX_ATTRIBUTES: usize = 64;

/// The most namespace declarations in scope at any element (summed over
/// its ancestors). A real envelope has a few dozen even when its writer
/// repeats the default namespace on every element; the XML parser copies the
/// in-scope list for each element that declares another, so this bounds
/// that memory.
pub const MAX_NAMESPACES_IN_SCOPE: usize = 64;

/// The deepest nesting of elements. A case's deepest element (a search word
/// inside a class relation's local extension) is about fifteen levels below
/// the envelope; search expressions nest through `NOT` and `SoegUdtryk`.
pub const MAX_DEPTH: usize = 48;
