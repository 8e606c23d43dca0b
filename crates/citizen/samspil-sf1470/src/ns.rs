//! The namespaces of the SF1470 schemas, and the prefixes this crate writes
//! and uses in the locations of its refusals. A sender may use any prefixes
//! it likes: elements are matched by namespace URI.

/// SOAP 1.2 envelope (the WSDLs' binding is `soap12`).
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 envelope: recognised only to answer it with a VersionMismatch fault.
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// `SagDokObjekt.xsd`: the common OIO types (UUIDs, Virkning, StandardRetur).
pub const SD: &str = "urn:oio:sagdok:3.0.0";
/// `GenerelleDefinitioner.xsd`: RelationType, Registrering, LokalUdvidelseListe.
pub const GD: &str = "urn:oio:sts:generelledefinitioner:6";
/// `GenerelleOperationer.xsd`: search intervals, pagination.
pub const GO: &str = "urn:oio:sts:generelleoperationer:6";
/// `Sag.xsd`, `SagOperationer.xsd`: the case object.
pub const SAG: &str = "urn:oio:sts:sagdok:sag:6";
/// `SagIndeks.xsd`: the case index's local extensions.
pub const SI: &str = "urn:oio:sts:sagdok:sagindeks:6";
/// `DokumentIndeks.xsd`: the document object and its extensions.
pub const DI: &str = "urn:oio:sts:sagdok:dokumentindeks:6";
/// `SagDokumentIndeksOperationer.xsd`: the operations' messages.
pub const SDI: &str = "urn:oio:sts:sagdok:sagdokumentindeks:6";
/// `YdelseIndeksOperationer.xsd`: the benefit index's operations.
pub const YI: &str = "urn:oio:sts:ydelse:ydelseindeks:6";
/// `BevillingIndeks.xsd`: the grant object.
pub const BI: &str = "urn:oio:sts:ydelse:bevillingindeks:6";
/// `OekonomiskEffektueringIndeks.xsd`: the payment object.
pub const OEF: &str = "urn:oio:sts:ydelse:oekonomiskeffektueringindeks:6";
/// `RequestHeader.xsd`: the header with the transaction UUID.
pub const HEADER: &str = "http://kombit.dk/xml/schemas/RequestHeader/1/";
/// WS-Security 1.0 (OASIS): the OIOIDWS security header.
pub const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// WS-Addressing 1.0, which OIOIDWS requests carry.
pub const WSA: &str = "http://www.w3.org/2005/08/addressing";

/// The prefixes written, in the order they are declared on the envelope.
pub const PREFIXES: &[(&str, &str)] = &[
    ("env", SOAP12),
    ("header", HEADER),
    ("sd", SD),
    ("gd", GD),
    ("go", GO),
    ("sag", SAG),
    ("si", SI),
    ("di", DI),
    ("sdi", SDI),
    ("yi", YI),
    ("bi", BI),
    ("oef", OEF),
];

/// Our prefix for a namespace we know.
pub fn prefix_opt(uri: &str) -> Option<&'static str> {
    match uri {
        SOAP11 => Some("soap11"),
        WSSE => Some("wsse"),
        WSA => Some("wsa"),
        _ => PREFIXES
            .iter()
            .find(|(_, known)| *known == uri)
            .map(|(prefix, _)| *prefix),
    }
}

/// Our prefix for a namespace; `"?"` for one outside the schemas.
pub fn prefix(uri: &str) -> &'static str {
    prefix_opt(uri).unwrap_or("?")
}
