//! OIOSAML 3 for samspil's service provider: turns an identity provider's
//! `<samlp:Response>` into a verified [`SamlIdentity`] or a clear refusal
//! ([`verify_response`]), and builds what we send the identity provider: the
//! AuthnRequest for the HTTP-Redirect binding and our SP metadata
//! ([`sp`]). No HTTP, no storage, no C libraries: the signature is checked
//! in Rust (see ARCHITECTURE.md, SAML, for why).
//!
//! The defence against signature wrapping is structural: the document must
//! hold exactly one Assertion, a direct child of the Response; every
//! signature must sit directly in the element it signs (the Assertion or the
//! Response) and reference it by an `ID` that occurs once in the document;
//! and everything is read from that one Assertion, never looked up anew.

mod c14n;
mod dsig;
mod privileges;
pub mod sp;

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::{Document, Node, ParsingOptions};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::der::Encode;

use crate::dsig::{DSIG_NS, full_text, verify_enveloped_signature};
pub use crate::privileges::{Privilege, parse_privilege_list};

pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// OIOSAML 3.0 attribute names (OIOSAML Web SSO Profile 3.0, section 4).
pub mod attributes {
    pub const LEVEL_OF_ASSURANCE: &str = "https://data.gov.dk/concept/core/nsis/loa";
    pub const CVR: &str = "https://data.gov.dk/model/core/eid/professional/cvr";
    pub const PRIVILEGES_INTERMEDIATE: &str =
        "https://data.gov.dk/model/core/eid/privilegesIntermediate";
    pub const PROFESSIONAL_UUID: &str =
        "https://data.gov.dk/model/core/eid/professional/uuid/persistent";
    pub const EMAIL: &str = "https://data.gov.dk/model/core/eid/email";
    pub const FULL_NAME: &str = "https://data.gov.dk/model/core/eid/fullName";
    pub const SPEC_VERSION: &str = "https://data.gov.dk/model/core/specVersion";
}

/// A posted SAMLResponse larger than this is refused before it is decoded:
/// a real one is a few kilobytes, and the parser's work grows with size.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;
const MAX_XML_NODES: u32 = 20_000;
/// A real response nests about ten elements deep. The canonicalization
/// recurses, so deeper documents are refused before it runs.
const MAX_XML_DEPTH: usize = 64;

/// Why a response was refused. The messages are English and meant for the
/// log; a person gets a general "login failed" page.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SamlError {
    #[error("the SAML response is larger than {MAX_RESPONSE_BYTES} bytes")]
    TooLarge,
    #[error("the SAML response is not valid base64")]
    NotBase64,
    #[error("the SAML response is not well-formed XML without a DTD: {0}")]
    NotXml(String),
    #[error("the document is not a SAML 2.0 Response")]
    NotAResponse,
    #[error("the identity provider answered with status {0}")]
    StatusNotSuccess(String),
    #[error(
        "the assertion is encrypted, and samspil does not decrypt assertions; configure the identity provider to send it unencrypted over TLS"
    )]
    EncryptedAssertion,
    #[error("the response must hold exactly one Assertion directly in the Response, found {0}")]
    AssertionCount(usize),
    #[error("the assertion contains a comment or processing instruction")]
    CommentInAssertion,
    #[error("the ID {0:?} occurs more than once in the document")]
    DuplicateId(String),
    #[error("neither the assertion nor the response is signed")]
    Unsigned,
    #[error("a signature is placed where it signs neither the response nor the assertion")]
    MisplacedSignature,
    #[error("the signature's reference does not point to the element that holds it")]
    ReferenceMismatch,
    #[error("malformed signature: {0}")]
    MalformedSignature(String),
    #[error("the algorithm {0} is too weak (SHA-1)")]
    WeakAlgorithm(String),
    #[error("the algorithm {0} is not supported")]
    UnsupportedAlgorithm(String),
    #[error("the signature does not verify with any trusted certificate of the identity provider")]
    SignatureInvalid,
    #[error("the signed content was changed after signing (digest mismatch)")]
    DigestMismatch,
    #[error("the issuer {found:?} is not the expected identity provider {expected:?}")]
    WrongIssuer { expected: String, found: String },
    #[error("the response is addressed to {found:?}, not our ACS URL {expected:?}")]
    WrongDestination { expected: String, found: String },
    #[error("the response answers request {found:?}, not the request {expected:?} we sent")]
    WrongInResponseTo { expected: String, found: String },
    #[error("the assertion's audience does not include our entity ID {0:?}")]
    WrongAudience(String),
    #[error("the assertion is not valid yet (NotBefore {0})")]
    NotYetValid(String),
    #[error("the assertion has expired (NotOnOrAfter {0})")]
    Expired(String),
    #[error("no bearer SubjectConfirmation matches our ACS URL, our request and the current time")]
    NoValidSubjectConfirmation,
    #[error("the level of assurance {0:?} is below Substantial")]
    AssuranceTooLow(String),
    #[error("the required element or attribute {0} is missing")]
    Missing(&'static str),
    #[error("the value of {name} is invalid: {reason}")]
    InvalidValue { name: &'static str, reason: String },
    #[error("the identity provider certificate is unusable: {0}")]
    BadCertificate(String),
}

/// A certificate the identity provider signs with, from its metadata. The
/// certificate a response carries in its KeyInfo is never trusted.
#[derive(Clone, Debug)]
pub struct SigningCertificate {
    key: rsa::PublicKey,
}

impl SigningCertificate {
    /// Reads every certificate in a PEM text (one or a bundle).
    pub fn from_pem(pem: &str) -> Result<Vec<SigningCertificate>, SamlError> {
        let certificates = Certificate::load_pem_chain(pem.as_bytes())
            .map_err(|e| SamlError::BadCertificate(e.to_string()))?;
        if certificates.is_empty() {
            return Err(SamlError::BadCertificate(
                "no certificate in the PEM text".into(),
            ));
        }
        certificates
            .iter()
            .map(|certificate| {
                let spki = certificate
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .map_err(|e| SamlError::BadCertificate(e.to_string()))?;
                let key = rsa::PublicKey::from_public_key_der(&spki).map_err(|_| {
                    SamlError::BadCertificate("the certificate's key is not an RSA key".into())
                })?;
                if key.size() < 256 {
                    return Err(SamlError::BadCertificate(
                        "the RSA key is shorter than 2048 bits".into(),
                    ));
                }
                Ok(SigningCertificate { key })
            })
            .collect()
    }
}

/// What a response must match: who may have sent it, to whom, in answer to
/// which request, and when.
#[derive(Clone, Debug)]
pub struct Expectations {
    pub idp_entity_id: String,
    pub idp_certificates: Vec<SigningCertificate>,
    pub sp_entity_id: String,
    pub acs_url: String,
    /// The ID of the AuthnRequest we sent; unsolicited (IdP-initiated)
    /// responses are refused.
    pub request_id: String,
    pub now: OffsetDateTime,
    pub clock_skew: Duration,
}

/// The person an identity provider vouched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SamlIdentity {
    /// The organisation the person logged in as (the CVR attribute).
    pub cvr: String,
    /// The NameID.
    pub subject: String,
    /// The persistent professional UUID, when the IdP sends it.
    pub uuid: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// "Substantial" or "High".
    pub level_of_assurance: String,
    /// Every privilege in the privilege list, with the CVR it is scoped to.
    pub privileges: Vec<Privilege>,
}

impl SamlIdentity {
    /// The privileges granted for the organisation `cvr`; groups scoped to
    /// any other organisation never count.
    pub fn privileges_for<'a>(&'a self, cvr: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.privileges
            .iter()
            .filter(move |p| p.scope_cvr == cvr)
            .map(|p| p.privilege.as_str())
    }

    /// The privileges for the organisation the person logged in as.
    pub fn roles(&self) -> Vec<String> {
        self.privileges_for(&self.cvr).map(str::to_owned).collect()
    }
}

/// Verifies the `SAMLResponse` form field the browser POSTs to the ACS.
pub fn verify_posted_response(
    saml_response: &str,
    expectations: &Expectations,
) -> Result<SamlIdentity, SamlError> {
    // Base64 is 4/3 of the bytes, plus the line breaks some senders add.
    if saml_response.len() > MAX_RESPONSE_BYTES * 3 / 2 {
        return Err(SamlError::TooLarge);
    }
    let compact: Vec<u8> = saml_response
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let xml = STANDARD.decode(compact).map_err(|_| SamlError::NotBase64)?;
    verify_response(&xml, expectations)
}

fn is_saml(node: &Node, namespace: &str, local_name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(namespace)
        && node.tag_name().name() == local_name
}

fn child<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: &str,
    local_name: &str,
) -> Option<Node<'a, 'input>> {
    node.children().find(|c| is_saml(c, namespace, local_name))
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: &'a str,
    local_name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |c| is_saml(c, namespace, local_name))
}

fn instant(node: Node, attribute: &'static str) -> Result<Option<OffsetDateTime>, SamlError> {
    node.attribute(attribute)
        .map(|value| {
            OffsetDateTime::parse(value, &Rfc3339).map_err(|_| SamlError::InvalidValue {
                name: attribute,
                reason: format!("{value:?} is not an xs:dateTime"),
            })
        })
        .transpose()
}

/// Verifies a decoded `<samlp:Response>` against what we expect.
pub fn verify_response(xml: &[u8], expectations: &Expectations) -> Result<SamlIdentity, SamlError> {
    if xml.len() > MAX_RESPONSE_BYTES {
        return Err(SamlError::TooLarge);
    }
    let text = std::str::from_utf8(xml).map_err(|_| SamlError::NotXml("not UTF-8".into()))?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options)
        .map_err(|e| SamlError::NotXml(e.to_string()))?;
    check_depth(&document)?;
    let response = document.root_element();
    if !is_saml(&response, PROTOCOL_NS, "Response") || response.attribute("Version") != Some("2.0")
    {
        return Err(SamlError::NotAResponse);
    }

    check_status(response)?;
    let assertion = the_one_assertion(&document, response)?;
    check_ids_unique(&document)?;
    check_signatures(&document, response, assertion, expectations)?;

    // From here on, only the signed Response's own attributes and the one
    // signed Assertion are read.
    let destination = response
        .attribute("Destination")
        .ok_or(SamlError::Missing("Destination"))?;
    if destination != expectations.acs_url {
        return Err(SamlError::WrongDestination {
            expected: expectations.acs_url.clone(),
            found: destination.to_owned(),
        });
    }
    let in_response_to = response
        .attribute("InResponseTo")
        .ok_or(SamlError::Missing("InResponseTo"))?;
    if in_response_to != expectations.request_id {
        return Err(SamlError::WrongInResponseTo {
            expected: expectations.request_id.clone(),
            found: in_response_to.to_owned(),
        });
    }
    if let Some(issuer) = child(response, ASSERTION_NS, "Issuer") {
        check_issuer(issuer, expectations)?;
    }
    check_issuer(
        child(assertion, ASSERTION_NS, "Issuer").ok_or(SamlError::Missing("Assertion/Issuer"))?,
        expectations,
    )?;
    check_conditions(assertion, expectations)?;
    let subject = check_subject(assertion, expectations)?;
    if child(assertion, ASSERTION_NS, "AuthnStatement").is_none() {
        return Err(SamlError::Missing("AuthnStatement"));
    }
    read_identity(assertion, subject)
}

fn check_depth(document: &Document) -> Result<(), SamlError> {
    // Parents come before their children in document order, so one pass
    // gives every node's depth.
    let mut depths = vec![0usize; document.descendants().count() + 2];
    for node in document.descendants() {
        let depth = node
            .parent()
            .and_then(|p| depths.get(p.id().get_usize()).copied())
            .map_or(0, |d| d + 1);
        if depth > MAX_XML_DEPTH {
            return Err(SamlError::NotXml(format!(
                "elements nested deeper than {MAX_XML_DEPTH}"
            )));
        }
        if let Some(slot) = depths.get_mut(node.id().get_usize()) {
            *slot = depth;
        }
    }
    Ok(())
}

fn check_status(response: Node) -> Result<(), SamlError> {
    let status = child(response, PROTOCOL_NS, "Status").ok_or(SamlError::Missing("Status"))?;
    let code = child(status, PROTOCOL_NS, "StatusCode").ok_or(SamlError::Missing("StatusCode"))?;
    let value = code.attribute("Value").unwrap_or("");
    if value == STATUS_SUCCESS {
        return Ok(());
    }
    let detail = child(code, PROTOCOL_NS, "StatusCode")
        .and_then(|c| c.attribute("Value"))
        .map(|v| format!(" / {v}"))
        .unwrap_or_default();
    Err(SamlError::StatusNotSuccess(format!("{value}{detail}")))
}

fn the_one_assertion<'a, 'input>(
    document: &'a Document<'input>,
    response: Node<'a, 'input>,
) -> Result<Node<'a, 'input>, SamlError> {
    let encrypted = document
        .descendants()
        .any(|n| is_saml(&n, ASSERTION_NS, "EncryptedAssertion"));
    let assertions: Vec<Node> = document
        .descendants()
        .filter(|n| is_saml(n, ASSERTION_NS, "Assertion"))
        .collect();
    if encrypted && assertions.is_empty() {
        return Err(SamlError::EncryptedAssertion);
    }
    match assertions.as_slice() {
        [only] if only.parent() == Some(response) && !encrypted => {
            if only.descendants().any(|n| n.is_comment() || n.is_pi()) {
                return Err(SamlError::CommentInAssertion);
            }
            Ok(*only)
        }
        _ => Err(SamlError::AssertionCount(
            assertions.len() + usize::from(encrypted),
        )),
    }
}

/// A reference by ID is only unambiguous when the ID occurs once; some
/// wrapping attacks rely on a verifier and a reader resolving one ID to two
/// different elements.
fn check_ids_unique(document: &Document) -> Result<(), SamlError> {
    let mut seen = std::collections::BTreeSet::new();
    for node in document.descendants().filter(Node::is_element) {
        for attribute in node.attributes() {
            let name = attribute.name();
            if (name == "ID" || name == "Id" || name == "id") && !seen.insert(attribute.value()) {
                return Err(SamlError::DuplicateId(attribute.value().to_owned()));
            }
        }
    }
    Ok(())
}

fn check_signatures(
    document: &Document,
    response: Node,
    assertion: Node,
    expectations: &Expectations,
) -> Result<(), SamlError> {
    let signatures: Vec<Node> = document
        .descendants()
        .filter(|n| {
            n.is_element()
                && n.tag_name().namespace() == Some(DSIG_NS)
                && n.tag_name().name() == "Signature"
        })
        .collect();
    if signatures.is_empty() {
        return Err(SamlError::Unsigned);
    }
    for signature in signatures {
        let parent = signature.parent_element();
        if parent != Some(assertion) && parent != Some(response) {
            return Err(SamlError::MisplacedSignature);
        }
        let signed = verify_enveloped_signature(signature, &expectations.idp_certificates)?;
        // The signed element is the signature's parent: the Assertion we
        // read, or the Response whose only Assertion that is.
        debug_assert!(signed == assertion.id() || signed == response.id());
    }
    Ok(())
}

fn check_issuer(issuer: Node, expectations: &Expectations) -> Result<(), SamlError> {
    let found = full_text(issuer);
    if found.trim() != expectations.idp_entity_id {
        return Err(SamlError::WrongIssuer {
            expected: expectations.idp_entity_id.clone(),
            found,
        });
    }
    Ok(())
}

fn check_conditions(assertion: Node, expectations: &Expectations) -> Result<(), SamlError> {
    let conditions =
        child(assertion, ASSERTION_NS, "Conditions").ok_or(SamlError::Missing("Conditions"))?;
    let now = expectations.now;
    let skew = expectations.clock_skew;
    if let Some(not_before) = instant(conditions, "NotBefore")?
        && now + skew < not_before
    {
        return Err(SamlError::NotYetValid(
            conditions.attribute("NotBefore").unwrap_or("").into(),
        ));
    }
    let not_on_or_after = instant(conditions, "NotOnOrAfter")?
        .ok_or(SamlError::Missing("Conditions/@NotOnOrAfter"))?;
    if now - skew >= not_on_or_after {
        return Err(SamlError::Expired(
            conditions.attribute("NotOnOrAfter").unwrap_or("").into(),
        ));
    }
    // Every AudienceRestriction must name us (SAML core 2.5.1.4).
    let mut restrictions = children(conditions, ASSERTION_NS, "AudienceRestriction").peekable();
    if restrictions.peek().is_none() {
        return Err(SamlError::WrongAudience(expectations.sp_entity_id.clone()));
    }
    for restriction in restrictions {
        let names_us = children(restriction, ASSERTION_NS, "Audience")
            .any(|audience| full_text(audience).trim() == expectations.sp_entity_id);
        if !names_us {
            return Err(SamlError::WrongAudience(expectations.sp_entity_id.clone()));
        }
    }
    Ok(())
}

fn check_subject(assertion: Node, expectations: &Expectations) -> Result<String, SamlError> {
    let subject = child(assertion, ASSERTION_NS, "Subject").ok_or(SamlError::Missing("Subject"))?;
    let name_id = child(subject, ASSERTION_NS, "NameID").ok_or(SamlError::Missing("NameID"))?;
    if name_id.children().any(|c| c.is_element()) {
        return Err(SamlError::InvalidValue {
            name: "NameID",
            reason: "contains elements".into(),
        });
    }
    let confirmed = children(subject, ASSERTION_NS, "SubjectConfirmation")
        .filter(|c| c.attribute("Method") == Some(BEARER))
        .filter_map(|c| child(c, ASSERTION_NS, "SubjectConfirmationData"))
        .any(|data| {
            let on_time = matches!(
                instant(data, "NotOnOrAfter"),
                Ok(Some(until)) if expectations.now - expectations.clock_skew < until
            );
            on_time
                && data.attribute("Recipient") == Some(expectations.acs_url.as_str())
                && data.attribute("InResponseTo") == Some(expectations.request_id.as_str())
        });
    if !confirmed {
        return Err(SamlError::NoValidSubjectConfirmation);
    }
    let value = full_text(name_id).trim().to_owned();
    if value.is_empty() {
        return Err(SamlError::Missing("NameID"));
    }
    Ok(value)
}

/// The values of each attribute, by name.
fn attribute_values(assertion: Node) -> BTreeMap<String, Vec<String>> {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in children(assertion, ASSERTION_NS, "AttributeStatement") {
        for attribute in children(statement, ASSERTION_NS, "Attribute") {
            let name = attribute.attribute("Name").unwrap_or("").to_owned();
            let entry = values.entry(name).or_default();
            for value in children(attribute, ASSERTION_NS, "AttributeValue") {
                entry.push(full_text(value).trim().to_owned());
            }
        }
    }
    values
}

fn single<'a>(
    values: &'a BTreeMap<String, Vec<String>>,
    name: &'static str,
) -> Result<Option<&'a str>, SamlError> {
    match values.get(name).map(Vec::as_slice) {
        None | Some([]) => Ok(None),
        Some([one]) => Ok(Some(one.as_str())),
        Some(_) => Err(SamlError::InvalidValue {
            name,
            reason: "more than one value".into(),
        }),
    }
}

fn read_identity(assertion: Node, subject: String) -> Result<SamlIdentity, SamlError> {
    use attributes::*;
    let values = attribute_values(assertion);

    let level =
        single(&values, LEVEL_OF_ASSURANCE)?.ok_or(SamlError::Missing(LEVEL_OF_ASSURANCE))?;
    if level != "Substantial" && level != "High" {
        return Err(SamlError::AssuranceTooLow(level.to_owned()));
    }
    let cvr = single(&values, CVR)?.ok_or(SamlError::Missing(CVR))?;
    if !privileges::is_cvr(cvr) {
        return Err(SamlError::InvalidValue {
            name: CVR,
            reason: "a CVR number is eight digits".into(),
        });
    }
    let privileges = match single(&values, PRIVILEGES_INTERMEDIATE)? {
        Some(encoded) => parse_privilege_list(encoded)?,
        None => Vec::new(),
    };
    let non_empty = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(SamlIdentity {
        cvr: cvr.to_owned(),
        subject,
        uuid: non_empty(single(&values, PROFESSIONAL_UUID)?),
        email: non_empty(single(&values, EMAIL)?),
        name: non_empty(single(&values, FULL_NAME)?),
        level_of_assurance: level.to_owned(),
        privileges,
    })
}

#[cfg(test)]
mod tests;
