//! What samspil sends as a service provider: the AuthnRequest, for the
//! HTTP-Redirect binding, and the SP metadata the identity provider is
//! configured with.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The NSIS level we ask the identity provider for, at least.
pub const REQUESTED_LOA: &str = "https://data.gov.dk/concept/core/nsis/loa/Substantial";

/// Our side of the federation.
#[derive(Clone, Debug)]
pub struct ServiceProvider {
    pub entity_id: String,
    pub acs_url: String,
    /// Our certificate (PEM), published in the metadata so the identity
    /// provider can verify signed requests. Optional: without it the
    /// metadata says that our requests are unsigned.
    pub certificate_pem: Option<String>,
}

/// An AuthnRequest for one login. Keep `id` with the login attempt (the
/// pre-login cookie): the response must answer this ID, once.
#[derive(Clone, Debug)]
pub struct AuthnRequest {
    pub id: String,
    pub issue_instant: OffsetDateTime,
    pub destination: String,
}

/// Makes an ID for a request: an xs:ID must not start with a digit, so the
/// caller's random secret is prefixed.
pub fn request_id(random_secret: &str) -> String {
    let safe: String = random_secret
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("_{safe}")
}

fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl AuthnRequest {
    pub fn xml(&self, sp: &ServiceProvider) -> String {
        let instant = self
            .issue_instant
            .replace_nanosecond(0)
            .unwrap_or(self.issue_instant)
            .format(&Rfc3339)
            .unwrap_or_default();
        format!(
            concat!(
                r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#,
                r#" ID="{id}" Version="2.0" IssueInstant="{instant}" Destination="{destination}""#,
                r#" AssertionConsumerServiceURL="{acs}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">"#,
                r#"<saml:Issuer>{issuer}</saml:Issuer>"#,
                r#"<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/>"#,
                r#"<samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>{loa}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>"#,
                r#"</samlp:AuthnRequest>"#
            ),
            id = escape(&self.id),
            instant = instant,
            destination = escape(&self.destination),
            acs = escape(&sp.acs_url),
            issuer = escape(&sp.entity_id),
            loa = REQUESTED_LOA,
        )
    }

    /// The URL to send the browser to (HTTP-Redirect binding: the request
    /// deflated, base64-encoded and URL-encoded in `SAMLRequest`). Unsigned;
    /// an identity provider that demands signed requests needs the SP key
    /// added here (see ARCHITECTURE.md, SAML).
    pub fn redirect_url(&self, sp: &ServiceProvider, relay_state: Option<&str>) -> String {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(self.xml(sp).as_bytes());
        let deflated = encoder.finish().unwrap_or_default();
        let separator = if self.destination.contains('?') {
            '&'
        } else {
            '?'
        };
        let mut url = format!(
            "{}{separator}SAMLRequest={}",
            self.destination,
            urlencoding::encode(&STANDARD.encode(deflated))
        );
        if let Some(relay_state) = relay_state {
            url.push_str("&RelayState=");
            url.push_str(&urlencoding::encode(relay_state));
        }
        url
    }
}

/// The body of a PEM certificate, as metadata's `ds:X509Certificate` wants it.
fn certificate_body(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .map(str::trim)
        .collect()
}

/// SP metadata (SAML 2.0 metadata, OIOSAML 3 shape): our entity ID, that we
/// want signed assertions, the persistent NameID format and the ACS
/// (HTTP-POST).
pub fn metadata(sp: &ServiceProvider) -> String {
    let key_descriptor = sp
        .certificate_pem
        .as_deref()
        .map(|pem| {
            format!(
                concat!(
                    r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">"#,
                    r#"<ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data>"#,
                    r#"</ds:KeyInfo></md:KeyDescriptor>"#
                ),
                certificate_body(pem)
            )
        })
        .unwrap_or_default();
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}">"#,
            r#"<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">"#,
            "{keys}",
            r#"<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>"#,
            r#"<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="0" isDefault="true"/>"#,
            r#"</md:SPSSODescriptor></md:EntityDescriptor>"#,
            "\n"
        ),
        entity = escape(&sp.entity_id),
        acs = escape(&sp.acs_url),
        keys = key_descriptor,
    )
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::DeflateDecoder;
    use time::macros::datetime;

    use super::*;

    fn sp() -> ServiceProvider {
        ServiceProvider {
            entity_id: "https://samspil.example/saml".into(),
            acs_url: "https://samspil.example/login/saml/acs?x=1&y=2".into(),
            certificate_pem: None,
        }
    }

    #[test]
    fn the_redirect_url_carries_the_deflated_request_and_relay_state() {
        let request = AuthnRequest {
            id: request_id("abc/123+"),
            issue_instant: datetime!(2026-01-15 10:00:00.5 UTC),
            destination: "https://idp.example/sso?tenant=1".into(),
        };
        let url = request.redirect_url(&sp(), Some("/opgaver?a=1"));
        let (base, query) = url.split_once("?tenant=1&").expect("keeps the IdP's query");
        assert_eq!(base, "https://idp.example/sso");
        let mut parts = query.split('&');
        let saml_request = parts
            .next()
            .and_then(|p| p.strip_prefix("SAMLRequest="))
            .expect("SAMLRequest first");
        assert_eq!(parts.next(), Some("RelayState=%2Fopgaver%3Fa%3D1"));
        let deflated = STANDARD
            .decode(
                urlencoding::decode(saml_request)
                    .expect("url-encoded")
                    .as_bytes(),
            )
            .expect("base64");
        let mut xml = String::new();
        DeflateDecoder::new(deflated.as_slice())
            .read_to_string(&mut xml)
            .expect("raw deflate");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed request");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "AuthnRequest");
        assert_eq!(root.attribute("ID"), Some("_abc_123_"));
        assert_eq!(root.attribute("IssueInstant"), Some("2026-01-15T10:00:00Z"));
        assert_eq!(
            root.attribute("AssertionConsumerServiceURL"),
            Some("https://samspil.example/login/saml/acs?x=1&y=2")
        );
        assert!(xml.contains(REQUESTED_LOA));
    }

    #[test]
    fn metadata_is_well_formed_and_names_the_acs() {
        let mut provider = sp();
        provider.certificate_pem =
            Some("-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----\n".into());
        let xml = metadata(&provider);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed metadata");
        let acs = doc
            .descendants()
            .find(|n| n.has_tag_name("AssertionConsumerService"))
            .expect("an ACS");
        assert_eq!(acs.attribute("Location"), Some(provider.acs_url.as_str()));
        let certificate = doc
            .descendants()
            .find(|n| n.has_tag_name("X509Certificate"))
            .and_then(|n| n.text());
        assert_eq!(certificate, Some("MIIBAAAA"));
    }
}
