//! Verification of one enveloped XML signature (XML-DSig) the way SAML uses
//! it: one Reference, to the signature's own parent element by its `ID`,
//! transformed by enveloped-signature and exclusive canonicalization, and
//! RSA with SHA-2 only. Everything else is refused rather than supported,
//! because every option an XML signature allows is a way to make the
//! signed bytes differ from the element that is read.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::{Node, NodeId};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::sha2::{Digest, Sha256, Sha384, Sha512};

use crate::c14n::canonicalize;
use crate::{SamlError, SigningCertificate};

pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

#[derive(Clone, Copy)]
enum Sha {
    Sha256,
    Sha384,
    Sha512,
}

impl Sha {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Sha::Sha256 => Sha256::digest(data).to_vec(),
            Sha::Sha384 => Sha384::digest(data).to_vec(),
            Sha::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Sha::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Sha::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Sha::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

fn signature_method(uri: &str) -> Result<Sha, SamlError> {
    match uri {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Ok(Sha::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Ok(Sha::Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Ok(Sha::Sha512),
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => {
            Err(SamlError::WeakAlgorithm(uri.to_owned()))
        }
        other => Err(SamlError::UnsupportedAlgorithm(other.to_owned())),
    }
}

fn digest_method(uri: &str) -> Result<Sha, SamlError> {
    match uri {
        "http://www.w3.org/2001/04/xmlenc#sha256" => Ok(Sha::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Ok(Sha::Sha384),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Ok(Sha::Sha512),
        "http://www.w3.org/2000/09/xmldsig#sha1" => Err(SamlError::WeakAlgorithm(uri.to_owned())),
        other => Err(SamlError::UnsupportedAlgorithm(other.to_owned())),
    }
}

fn is_dsig(node: &Node, local_name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(DSIG_NS)
        && node.tag_name().name() == local_name
}

fn element_children<'a, 'input>(node: Node<'a, 'input>) -> Vec<Node<'a, 'input>> {
    node.children().filter(Node::is_element).collect()
}

fn malformed(what: &str) -> SamlError {
    SamlError::MalformedSignature(what.to_owned())
}

/// The element's text with all its text nodes joined, so that a comment
/// or a child cannot hide the rest of the value.
pub fn full_text(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

fn base64_value(node: Node, what: &str) -> Result<Vec<u8>, SamlError> {
    let text: String = full_text(node)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(text.as_bytes())
        .map_err(|_| malformed(&format!("{what} is not base64")))
}

/// The InclusiveNamespaces PrefixList of a canonicalization element.
fn inclusive_prefixes(method: Node) -> Result<Vec<String>, SamlError> {
    let mut prefixes = Vec::new();
    for child in element_children(method) {
        if child.tag_name().namespace() == Some(EXC_C14N)
            && child.tag_name().name() == "InclusiveNamespaces"
        {
            let list = child.attribute("PrefixList").unwrap_or("");
            prefixes.extend(list.split_ascii_whitespace().map(str::to_owned));
        } else {
            return Err(malformed(
                "unexpected element inside a canonicalization method",
            ));
        }
    }
    Ok(prefixes)
}

fn canonicalization(method: Node) -> Result<Vec<String>, SamlError> {
    match method.attribute("Algorithm") {
        Some(EXC_C14N) => inclusive_prefixes(method),
        // With comments, a comment inside a value would be signed text.
        Some(EXC_C14N_WITH_COMMENTS) | None => Err(SamlError::UnsupportedAlgorithm(
            method.attribute("Algorithm").unwrap_or("(none)").to_owned(),
        )),
        Some(other) => Err(SamlError::UnsupportedAlgorithm(other.to_owned())),
    }
}

/// Verifies `signature` (a `ds:Signature` element) and returns the element
/// it signs, which is always the signature's parent: the caller reads only
/// that element.
pub fn verify_enveloped_signature(
    signature: Node,
    certificates: &[SigningCertificate],
) -> Result<NodeId, SamlError> {
    let signed = signature
        .parent_element()
        .ok_or_else(|| malformed("a signature without a parent element"))?;

    let parts = element_children(signature);
    let (signed_info, signature_value) = match parts.as_slice() {
        [info, value] | [info, value, _]
            if is_dsig(info, "SignedInfo") && is_dsig(value, "SignatureValue") =>
        {
            (*info, *value)
        }
        _ => {
            return Err(malformed(
                "a signature must hold SignedInfo, SignatureValue and at most KeyInfo",
            ));
        }
    };
    if let Some(extra) = parts.get(2)
        && !is_dsig(extra, "KeyInfo")
    {
        return Err(malformed(
            "a signature may hold only KeyInfo after its value",
        ));
    }

    let info_parts = element_children(signed_info);
    let (canonicalization_method, method, reference) = match info_parts.as_slice() {
        [c, s, r]
            if is_dsig(c, "CanonicalizationMethod")
                && is_dsig(s, "SignatureMethod")
                && is_dsig(r, "Reference") =>
        {
            (*c, *s, *r)
        }
        _ => {
            return Err(malformed(
                "SignedInfo must hold one CanonicalizationMethod, one SignatureMethod and exactly one Reference",
            ));
        }
    };
    let info_prefixes = canonicalization(canonicalization_method)?;
    let signature_sha = signature_method(method.attribute("Algorithm").unwrap_or(""))?;
    if !element_children(method).is_empty() {
        return Err(malformed("SignatureMethod parameters are not supported"));
    }

    // The reference must name the signature's own parent by its ID. IDs
    // are unique in the document (checked by the caller), so this is the
    // one element the digest covers.
    let uri = reference.attribute("URI").unwrap_or("");
    let signed_id = signed
        .attribute("ID")
        .ok_or_else(|| malformed("the signed element has no ID"))?;
    if uri.strip_prefix('#') != Some(signed_id) {
        return Err(SamlError::ReferenceMismatch);
    }

    let reference_parts = element_children(reference);
    let (transforms, digest_node, digest_value) = match reference_parts.as_slice() {
        [t, m, v]
            if is_dsig(t, "Transforms")
                && is_dsig(m, "DigestMethod")
                && is_dsig(v, "DigestValue") =>
        {
            (*t, *m, *v)
        }
        _ => {
            return Err(malformed(
                "Reference must hold Transforms, DigestMethod and DigestValue",
            ));
        }
    };
    let transform_list = element_children(transforms);
    let reference_prefixes = match transform_list.as_slice() {
        [enveloped, exclusive]
            if is_dsig(enveloped, "Transform")
                && is_dsig(exclusive, "Transform")
                && enveloped.attribute("Algorithm") == Some(ENVELOPED)
                && element_children(*enveloped).is_empty() =>
        {
            canonicalization(*exclusive)?
        }
        _ => {
            return Err(malformed(
                "the only transforms accepted are enveloped-signature followed by exclusive canonicalization",
            ));
        }
    };
    let digest_sha = digest_method(digest_node.attribute("Algorithm").unwrap_or(""))?;

    let expected_digest = base64_value(digest_value, "DigestValue")?;
    let signature_bytes = base64_value(signature_value, "SignatureValue")?;

    let canonical_info = canonicalize(signed_info, None, &info_prefixes);
    let signed_info_hash = signature_sha.digest(canonical_info.as_bytes());
    let key_matches = certificates.iter().any(|certificate| {
        certificate
            .key
            .verify(
                signature_sha.pkcs1v15(),
                &signed_info_hash,
                &signature_bytes,
            )
            .is_ok()
    });
    if !key_matches {
        return Err(SamlError::SignatureInvalid);
    }

    let canonical_element = canonicalize(signed, Some(signature.id()), &reference_prefixes);
    if digest_sha.digest(canonical_element.as_bytes()) != expected_digest {
        return Err(SamlError::DigestMismatch);
    }
    Ok(signed.id())
}
