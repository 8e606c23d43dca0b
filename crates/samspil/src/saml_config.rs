//! The `[[saml]]` sections of the configuration file: OIOSAML 3 identity
//! providers, turned into what the web layer needs. See
//! docs/CONFIGURATION.md.

use std::path::PathBuf;

use anyhow::{Context, bail};
use samspil_domain::federation::{DEFAULT_ADMIN_ROLE, DEFAULT_USER_ROLE, RoleNames};
use samspil_saml::SigningCertificate;
use samspil_web::login_saml::SamlProviderConfig;
use serde::Deserialize;

use crate::oidc_config::MunicipalityEntry;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlSection {
    pub id: String,
    pub label: String,
    pub idp_entity_id: String,
    pub idp_sso_url: String,
    /// PEM file with the certificate(s) the provider signs with.
    pub idp_certificate_file: PathBuf,
    pub municipalities: Vec<MunicipalityEntry>,
    #[serde(default = "default_admin_role")]
    pub admin_role: String,
    #[serde(default = "default_user_role")]
    pub user_role: String,
    #[serde(default = "default_clock_skew")]
    pub clock_skew_seconds: u16,
}

fn default_admin_role() -> String {
    DEFAULT_ADMIN_ROLE.into()
}
fn default_user_role() -> String {
    DEFAULT_USER_ROLE.into()
}
fn default_clock_skew() -> u16 {
    120
}

impl SamlSection {
    fn to_web(&self) -> anyhow::Result<SamlProviderConfig> {
        let context = || format!("SAML identity provider {}", self.id);
        if self.id.is_empty()
            || self.id.len() > 40
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || ["acs", "metadata"].contains(&self.id.as_str())
        {
            bail!(
                "the SAML identity provider id '{}' must be 1–40 lower-case letters, digits or '-', and not 'acs' or 'metadata'",
                self.id
            );
        }
        let sso = url::Url::parse(&self.idp_sso_url)
            .with_context(|| format!("idp_sso_url '{}'", self.idp_sso_url))
            .with_context(context)?;
        if !matches!(sso.scheme(), "https" | "http") {
            bail!("{}: idp_sso_url must be an http(s) URL", context());
        }
        let pem = std::fs::read_to_string(&self.idp_certificate_file)
            .with_context(|| format!("cannot read {}", self.idp_certificate_file.display()))
            .with_context(context)?;
        let idp_certificates = SigningCertificate::from_pem(&pem)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("in {}", self.idp_certificate_file.display()))
            .with_context(context)?;
        let municipalities = crate::oidc_config::trusted_municipalities(&self.municipalities)
            .with_context(context)?;
        Ok(SamlProviderConfig {
            id: self.id.clone(),
            label: self.label.clone(),
            idp_entity_id: self.idp_entity_id.clone(),
            idp_sso_url: self.idp_sso_url.clone(),
            idp_certificates,
            municipalities,
            roles: RoleNames {
                admin: self.admin_role.clone(),
                user: self.user_role.clone(),
            },
            clock_skew: time::Duration::seconds(i64::from(self.clock_skew_seconds)),
        })
    }
}

pub fn web_providers(
    sections: &[SamlSection],
    public_url: Option<&url::Url>,
) -> anyhow::Result<Vec<SamlProviderConfig>> {
    let providers = sections
        .iter()
        .map(SamlSection::to_web)
        .collect::<anyhow::Result<Vec<_>>>()?;
    crate::oidc_config::check_providers(
        "SAML identity providers",
        providers.iter().map(|p| p.id.as_str()),
        public_url,
    )?;
    Ok(providers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn section(certificate: &str) -> String {
        format!(
            r#"
[[saml]]
id = "aarhus-saml"
label = "Aarhus Kommune (SAML)"
idp_entity_id = "https://idp.aarhus.example"
idp_sso_url = "https://idp.aarhus.example/sso"
idp_certificate_file = "{certificate}"
municipalities = [{{ code = 751, cvr = "55133018" }}]
"#
        )
    }

    fn fixture() -> String {
        format!(
            "{}/../platform/samspil-saml/tests/fixtures/test-only-idp-cert.pem",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    fn public() -> url::Url {
        url::Url::parse("https://samspil.example.dk").expect("valid")
    }

    #[test]
    fn a_section_reads_its_certificate_and_gets_the_defaults() {
        let config = Config::parse(&section(&fixture())).expect("parses");
        let providers = web_providers(&config.saml, Some(&public())).expect("valid");
        assert_eq!(providers[0].idp_certificates.len(), 1);
        assert_eq!(providers[0].roles, RoleNames::default());
        assert_eq!(providers[0].clock_skew, time::Duration::minutes(2));
    }

    #[test]
    fn a_missing_certificate_or_public_url_stops_the_start_with_the_reason() {
        let config = Config::parse(&section("/nowhere/idp.pem")).expect("parses");
        let error = web_providers(&config.saml, Some(&public())).expect_err("refused");
        assert!(
            format!("{error:#}").contains("/nowhere/idp.pem"),
            "{error:#}"
        );
        let config = Config::parse(&section(&fixture())).expect("parses");
        let error = web_providers(&config.saml, None).expect_err("refused");
        assert!(error.to_string().contains("--public-url"), "{error}");
    }
}
