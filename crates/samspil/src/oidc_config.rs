//! The `[[oidc]]` sections of the configuration file: one per identity
//! provider (a municipality's own, or a broker for several). See
//! docs/CONFIGURATION.md.

use anyhow::{Context, bail};
use samspil_domain::MunicipalityCode;
use samspil_domain::federation::{
    Cvr, DEFAULT_ADMIN_ROLE, DEFAULT_USER_ROLE, RoleNames, TrustedMunicipality,
};
use samspil_web::login_oidc::{ClaimNames, OidcProviderConfig};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSection {
    pub id: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    /// The environment variable that holds the client secret; none for a
    /// public client (PKCE alone).
    pub client_secret_env: Option<String>,
    pub municipalities: Vec<MunicipalityEntry>,
    #[serde(default = "default_admin_role")]
    pub admin_role: String,
    #[serde(default = "default_user_role")]
    pub user_role: String,
    #[serde(default = "default_cvr_claim")]
    pub cvr_claim: String,
    #[serde(default = "default_roles_claim")]
    pub roles_claim: String,
    #[serde(default = "default_uuid_claim")]
    pub uuid_claim: String,
    /// The claim with the login's NSIS level where the ID token's `acr` is
    /// none.
    #[serde(default = "default_loa_claim")]
    pub loa_claim: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub allow_insecure_http: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityEntry {
    pub code: u16,
    pub cvr: String,
}

fn default_admin_role() -> String {
    DEFAULT_ADMIN_ROLE.into()
}
fn default_user_role() -> String {
    DEFAULT_USER_ROLE.into()
}
fn default_cvr_claim() -> String {
    "cvr".into()
}
fn default_roles_claim() -> String {
    "roles".into()
}
fn default_uuid_claim() -> String {
    "uuid".into()
}
fn default_loa_claim() -> String {
    "loa".into()
}
fn default_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

impl OidcSection {
    /// The web layer's configuration, with the secret read from the
    /// environment and every mistake named.
    pub fn to_web(&self) -> anyhow::Result<OidcProviderConfig> {
        let municipalities = trusted_municipalities(&self.municipalities)
            .with_context(|| format!("identity provider {}", self.id))?;
        let client_secret = self
            .client_secret_env
            .as_deref()
            .map(crate::config::secret_from_env)
            .transpose()
            .with_context(|| format!("the client secret of identity provider {}", self.id))?;
        let config = OidcProviderConfig {
            id: self.id.clone(),
            label: self.label.clone(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret,
            municipalities,
            roles: RoleNames {
                admin: self.admin_role.clone(),
                user: self.user_role.clone(),
            },
            claims: ClaimNames {
                cvr: self.cvr_claim.clone(),
                roles: self.roles_claim.clone(),
                uuid: self.uuid_claim.clone(),
                loa: self.loa_claim.clone(),
            },
            scopes: self.scopes.clone(),
            allow_insecure_http: self.allow_insecure_http,
        };
        config.check().map_err(anyhow::Error::msg)?;
        Ok(config)
    }
}

/// Every provider, checked; ids must differ and a public URL must exist.
/// The municipalities (code and CVR) a provider of either protocol may
/// log people in for.
pub fn trusted_municipalities(
    entries: &[MunicipalityEntry],
) -> anyhow::Result<Vec<TrustedMunicipality>> {
    entries
        .iter()
        .map(|entry| {
            Ok(TrustedMunicipality {
                code: MunicipalityCode::new(entry.code)
                    .map_err(|e| anyhow::anyhow!("{}", e.problem))?,
                cvr: Cvr::parse(&entry.cvr)
                    .map_err(|e| anyhow::anyhow!("'{}': {}", entry.cvr, e.problem))?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .context("in its municipalities")
}

pub fn web_providers(
    sections: &[OidcSection],
    public_url: Option<&url::Url>,
) -> anyhow::Result<Vec<OidcProviderConfig>> {
    let providers = sections
        .iter()
        .map(OidcSection::to_web)
        .collect::<anyhow::Result<Vec<_>>>()?;
    check_providers(
        "identity providers",
        providers.iter().map(|p| p.id.as_str()),
        public_url,
    )?;
    Ok(providers)
}

/// What holds for the providers of either protocol: each id once (it is
/// in their URLs), and samspil's public address to send people back to.
pub fn check_providers<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a str>,
    public_url: Option<&url::Url>,
) -> anyhow::Result<()> {
    let mut seen = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            bail!("two {kind} have the id '{id}'");
        }
        seen.push(id);
    }
    if !seen.is_empty() && public_url.is_none() {
        bail!(
            "{kind} are configured, so samspil needs its public address for their answers: set --public-url or SAMSPIL_PUBLIC_URL"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const AARHUS: &str = r#"
[[oidc]]
id = "aarhus"
label = "Aarhus Kommune"
issuer = "https://idp.aarhus.dk"
client_id = "samspil"
municipalities = [{ code = 751, cvr = "55133018" }]
"#;

    fn public() -> url::Url {
        url::Url::parse("https://samspil.example.dk").expect("valid")
    }

    #[test]
    fn a_provider_section_gets_the_documented_defaults() {
        let config = Config::parse(AARHUS).expect("parses");
        let providers = web_providers(&config.oidc, Some(&public())).expect("valid");
        assert_eq!(providers[0].roles, RoleNames::default());
        assert_eq!(providers[0].claims.cvr, "cvr");
        assert_eq!(providers[0].claims.roles, "roles");
        assert_eq!(providers[0].claims.uuid, "uuid");
        assert_eq!(providers[0].client_secret, None);
    }

    #[test]
    fn mistakes_are_refused_at_start_with_their_reason() {
        let config = Config::parse(AARHUS).expect("parses");
        let error = web_providers(&config.oidc, None).expect_err("no public URL");
        assert!(error.to_string().contains("--public-url"), "{error}");

        let twice = Config::parse(&format!("{AARHUS}{AARHUS}")).expect("parses");
        let error = web_providers(&twice.oidc, Some(&public())).expect_err("duplicate");
        assert!(error.to_string().contains("aarhus"), "{error}");

        let bad_cvr = Config::parse(&AARHUS.replace("55133018", "5513301")).expect("parses");
        let error = web_providers(&bad_cvr.oidc, Some(&public())).expect_err("bad CVR");
        assert!(format!("{error:#}").contains("8 digits"), "{error:#}");

        let plain = Config::parse(&AARHUS.replace("https://idp", "http://idp")).expect("parses");
        let error = web_providers(&plain.oidc, Some(&public())).expect_err("plain http");
        assert!(error.to_string().contains("https"), "{error}");

        let secret = Config::parse(&AARHUS.replace(
            "client_id = \"samspil\"",
            "client_id = \"samspil\"\nclient_secret_env = \"SAMSPIL_TEST_UNSET_SECRET_VARIABLE\"",
        ))
        .expect("parses");
        let error = web_providers(&secret.oidc, Some(&public())).expect_err("unset secret");
        assert!(
            format!("{error:#}").contains("SAMSPIL_TEST_UNSET_SECRET_VARIABLE"),
            "{error:#}"
        );
    }

    #[test]
    fn unknown_keys_in_a_provider_are_refused() {
        let error = Config::parse(&format!("{AARHUS}cvr_clam = \"x\"\n")).expect_err("refused");
        assert!(error.to_string().contains("cvr_clam"), "{error}");
    }
}
