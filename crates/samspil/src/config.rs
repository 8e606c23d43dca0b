//! The deployment's configuration file (`--config FILE`, TOML): what differs
//! per municipality, such as its identity provider and its directory source.
//! Command-line options and environment variables stay for what is one
//! value per deployment (listen address, database, SMTP relay).
//!
//! Each feature owns one section (a field below, with its own type in its
//! own module); unknown keys are refused so that a misspelt section is an
//! error at start, not a silently missing login.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[[directory_sync]]`: municipalities whose directory is read from OS2mo.
    #[serde(default)]
    pub directory_sync: Vec<crate::directory_sync::DirectorySyncConfig>,
    /// `[[oidc]]`: identity providers for logging in (`crate::oidc_config`).
    #[serde(default)]
    pub oidc: Vec<crate::oidc_config::OidcSection>,
    /// `[[saml]]`: OIOSAML 3 identity providers (`crate::saml_config`).
    #[serde(default)]
    pub saml: Vec<crate::saml_config::SamlSection>,
}

impl Config {
    /// Reads the file; without one, every section is empty.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        Config::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Config> {
        // toml's message names the line, column and key; keep it whole.
        toml::from_str(text).map_err(|error| anyhow::anyhow!("{error}"))
    }
}

/// A secret named in the configuration file is read from the environment
/// (`client_secret_env = "SAMSPIL_AARHUS_OIDC_SECRET"`), so the file itself
/// can be kept in version control.
pub fn secret_from_env(variable: &str) -> anyhow::Result<String> {
    std::env::var(variable)
        .ok()
        .filter(|value| !value.is_empty())
        .with_context(|| format!("the environment variable {variable} is not set"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_means_nothing_configured() {
        assert!(Config::load(None).is_ok());
    }

    #[test]
    fn unknown_sections_are_refused_with_their_name() {
        let error = Config::parse("[oicd]\nissuer = \"x\"\n").expect_err("refused");
        assert!(error.to_string().contains("oicd"), "{error}");
    }
}
