//! The OIO Basic Privilege Profile's privilege list, as OIOSAML 3 carries
//! it in the `privilegesIntermediate` attribute: base64 of
//! `<bpp:PrivilegeList>` with `<PrivilegeGroup Scope="…">` groups of
//! `<Privilege>` values.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::{Document, Node, ParsingOptions};

use crate::SamlError;
use crate::attributes::PRIVILEGES_INTERMEDIATE;
use crate::dsig::full_text;

pub const BPP_NS: &str = "http://digst.dk/oiosaml/basic_privilege_profile";
pub const CVR_SCOPE_PREFIX: &str = "urn:dk:gov:saml:cvrNumberIdentifier:";

/// One privilege and the organisation (CVR) its group is scoped to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Privilege {
    pub scope_cvr: String,
    pub privilege: String,
}

pub fn is_cvr(value: &str) -> bool {
    value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit())
}

fn invalid(reason: impl Into<String>) -> SamlError {
    SamlError::InvalidValue {
        name: PRIVILEGES_INTERMEDIATE,
        reason: reason.into(),
    }
}

/// Groups and privileges may be written with or without the profile's
/// namespace: the profile's examples leave the groups unqualified.
fn is_bpp(node: &Node, local_name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local_name
        && matches!(node.tag_name().namespace(), None | Some(BPP_NS))
}

/// Decodes the attribute value. Only groups scoped to a CVR number count;
/// groups with other scopes (production units, SE numbers) and groups that
/// carry Constraints are left out, because samspil's roles apply to a whole
/// municipality and a constrained privilege is narrower than that.
pub fn parse_privilege_list(encoded: &str) -> Result<Vec<Privilege>, SamlError> {
    let compact: Vec<u8> = encoded
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let decoded = STANDARD
        .decode(compact)
        .map_err(|_| invalid("not base64"))?;
    let text = String::from_utf8(decoded).map_err(|_| invalid("not UTF-8"))?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 20_000,
        ..ParsingOptions::default()
    };
    let document =
        Document::parse_with_options(&text, options).map_err(|e| invalid(e.to_string()))?;
    let list = document.root_element();
    if list.tag_name().namespace() != Some(BPP_NS) || list.tag_name().name() != "PrivilegeList" {
        return Err(invalid("the root element is not bpp:PrivilegeList"));
    }
    let mut privileges = Vec::new();
    for group in list.children().filter(|n| is_bpp(n, "PrivilegeGroup")) {
        let scope = group.attribute("Scope").unwrap_or("");
        let Some(cvr) = scope.strip_prefix(CVR_SCOPE_PREFIX) else {
            continue;
        };
        if !is_cvr(cvr) {
            return Err(invalid(format!(
                "the scope {scope:?} has no valid CVR number"
            )));
        }
        if group.children().any(|n| is_bpp(&n, "Constraint")) {
            continue;
        }
        for privilege in group.children().filter(|n| is_bpp(n, "Privilege")) {
            let value = full_text(privilege).trim().to_owned();
            if !value.is_empty() {
                privileges.push(Privilege {
                    scope_cvr: cvr.to_owned(),
                    privilege: value,
                });
            }
        }
    }
    Ok(privileges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(xml: &str) -> String {
        STANDARD.encode(xml)
    }

    #[test]
    fn groups_are_read_with_their_cvr_scope() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">
    <Privilege>http://klik.dk/roles/KLIK-bruger</Privilege>
    <Privilege>http://klik.dk/roles/KLIK-administrator</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:55133018">
    <Privilege>http://klik.dk/roles/KLIK-administrator</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:productionUnitIdentifier:1003388394">
    <Privilege>http://klik.dk/roles/KLIK-administrator</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">
    <Privilege>http://klik.dk/roles/constrained</Privilege>
    <Constraint Name="urn:dk:kombit:KLE">00.*</Constraint>
  </PrivilegeGroup>
</bpp:PrivilegeList>"#;
        let privileges = parse_privilege_list(&encode(xml)).expect("valid list");
        let pairs: Vec<(&str, &str)> = privileges
            .iter()
            .map(|p| (p.scope_cvr.as_str(), p.privilege.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("29189846", "http://klik.dk/roles/KLIK-bruger"),
                ("29189846", "http://klik.dk/roles/KLIK-administrator"),
                ("55133018", "http://klik.dk/roles/KLIK-administrator"),
            ]
        );
    }

    #[test]
    fn malformed_lists_are_errors() {
        assert!(parse_privilege_list("!!!").is_err());
        assert!(parse_privilege_list(&encode("<not-closed>")).is_err());
        assert!(parse_privilege_list(&encode("<PrivilegeList/>")).is_err());
        let bad_scope = r#"<bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile"><PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:12"><Privilege>x</Privilege></PrivilegeGroup></bpp:PrivilegeList>"#;
        assert!(parse_privilege_list(&encode(bad_scope)).is_err());
        let dtd = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile"/>"#;
        assert!(parse_privilege_list(&encode(dtd)).is_err());
    }
}
