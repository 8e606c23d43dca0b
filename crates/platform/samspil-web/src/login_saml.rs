//! Logging in through a municipality's identity provider with OIOSAML 3,
//! the second federated login beside OpenID Connect.
//!
//! `GET /login/saml/{provider}` sends an AuthnRequest (HTTP-Redirect) and
//! keeps its ID server side under the digest of the RelayState, bound to
//! the browser by a short-lived cookie. `POST /login/saml/acs` receives the
//! signed response (HTTP-POST), takes that pending login once, has
//! `samspil-saml` verify the response against it, and hands the identity
//! to [`complete_federated_login`], exactly like an OIDC login.
//! `GET /login/saml/metadata` is the SP metadata the provider is
//! configured with.
//!
//! The ACS is outside the CSRF check on purpose: the identity provider's
//! page posts to it from another site. What stands in for the CSRF token is
//! the signed response itself, its `InResponseTo` naming a request this
//! browser started, and the browser cookie.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use samspil_auth::{digest, random_secret};
use samspil_domain::federation::{
    FederatedIdentity, ProviderTrust, RoleNames, TrustedMunicipality,
};
use samspil_domain::return_path::safe_return_path;
use samspil_saml::sp::{AuthnRequest, ServiceProvider};
use samspil_saml::{Expectations, SigningCertificate};
use samspil_storage::PendingFederatedLogin;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login_oidc::{
    PENDING_LIFETIME, StartQuery, TakenLogin, complete_federated_login, pending_cookie,
    refused_page, take_pending,
};

const BROWSER_COOKIE: &str = "samspil_saml";
const COOKIE_PATH: &str = "/login/saml/";
pub const ACS_PATH: &str = "/login/saml/acs";
pub const METADATA_PATH: &str = "/login/saml/metadata";
/// Pending logins of both protocols share one table; this prefix keeps an
/// OIDC state from ever being taken as a SAML one and the other way round.
const PENDING_PREFIX: &str = "saml:";

/// One OIOSAML 3 identity provider: a municipality's own or a broker.
#[derive(Debug, Clone)]
pub struct SamlProviderConfig {
    /// In the URL `/login/saml/{id}` and the audit log.
    pub id: String,
    pub label: String,
    pub idp_entity_id: String,
    /// Its SingleSignOnService for the HTTP-Redirect binding.
    pub idp_sso_url: String,
    /// The certificates it signs with (several during a key rollover).
    pub idp_certificates: Vec<SigningCertificate>,
    pub municipalities: Vec<TrustedMunicipality>,
    /// The privileges (scoped to the municipality's CVR in
    /// `privilegesIntermediate`) that mean KLIK-administrator / KLIK-bruger.
    pub roles: RoleNames,
    pub clock_skew: time::Duration,
}

/// The configured SAML providers and samspil's side of the exchange.
pub struct SamlLogins {
    providers: Vec<(SamlProviderConfig, ProviderTrust)>,
    service_provider: Option<ServiceProvider>,
}

impl SamlLogins {
    pub fn new(configs: Vec<SamlProviderConfig>, public_url: Option<&url::Url>) -> Self {
        let service_provider = public_url.and_then(|base| {
            Some(ServiceProvider {
                entity_id: base.join(METADATA_PATH).ok()?.to_string(),
                acs_url: base.join(ACS_PATH).ok()?.to_string(),
                certificate_pem: None,
            })
        });
        let providers = configs
            .into_iter()
            .map(|config| {
                let trust = ProviderTrust {
                    id: config.id.clone(),
                    municipalities: config.municipalities.clone(),
                    roles: config.roles.clone(),
                };
                (config, trust)
            })
            .collect();
        SamlLogins {
            providers,
            service_provider,
        }
    }

    fn provider(&self, id: &str) -> Option<&(SamlProviderConfig, ProviderTrust)> {
        self.providers.iter().find(|(config, _)| config.id == id)
    }

    /// The login page's buttons for these providers.
    pub(crate) fn links(&self) -> impl Iterator<Item = crate::login_oidc::ProviderLink> + '_ {
        self.providers
            .iter()
            .map(|(config, _)| crate::login_oidc::ProviderLink {
                protocol: "saml",
                id: config.id.clone(),
                label: config.label.clone(),
            })
    }
}

/// `GET /login/saml/{provider}`: off to the identity provider.
pub async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(provider_id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let Some((provider, _)) = state.saml.provider(&provider_id) else {
        return Err(AppError::NotFound);
    };
    let Some(sp) = &state.saml.service_provider else {
        return Err(AppError::Unavailable(
            "SAML needs samspil's public URL (--public-url)".into(),
        ));
    };
    let request = AuthnRequest {
        id: samspil_saml::sp::request_id(&random_secret()),
        issue_instant: time::OffsetDateTime::now_utc(),
        destination: provider.idp_sso_url.clone(),
    };
    let relay_state = random_secret();
    let browser_secret = random_secret();
    state
        .storage
        .begin_federated_login(&PendingFederatedLogin {
            state_hash: digest(&relay_state),
            browser_hash: digest(&browser_secret),
            provider: format!("{PENDING_PREFIX}{}", provider.id),
            // SAML has no PKCE; the request ID plays the nonce's part.
            pkce_verifier: String::new(),
            nonce: request.id.clone(),
            next_path: safe_return_path(query.next.as_deref()).to_owned(),
            expires_at: samspil_storage::now() + PENDING_LIFETIME,
        })
        .await?;
    // The response comes back as a cross-site POST, which carries only
    // SameSite=None cookies, and browsers accept those only when Secure.
    // Without TLS (development) Lax is the best there is.
    let same_site = if state.cookies.secure {
        SameSite::None
    } else {
        SameSite::Lax
    };
    let cookie = pending_cookie(
        &state,
        (BROWSER_COOKIE, COOKIE_PATH),
        browser_secret,
        same_site,
    );
    let url = request.redirect_url(sp, Some(&relay_state));
    Ok((jar.add(cookie), Redirect::to(&url)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// `POST /login/saml/acs`: the identity provider's signed answer.
pub async fn acs(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Form(form): Form<AcsForm>,
) -> Result<Response, AppError> {
    let browser_secret = jar.get(BROWSER_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.remove(Cookie::build(BROWSER_COOKIE).path(COOKIE_PATH).build());
    let refused = async |jar, key: &str, status| {
        tracing::info!(reason = key, "SAML login refused");
        let message = lang.text(&format!("federation-refused-{key}"), &[]);
        refused_page(&state, lang, jar, status, message).await
    };

    let taken = take_pending(
        &state,
        form.relay_state.as_deref(),
        browser_secret.as_deref(),
    )
    .await?;
    let Some(TakenLogin {
        pending,
        this_browser,
    }) = taken
    else {
        return refused(jar, "state", StatusCode::BAD_REQUEST).await;
    };
    let Some(provider) = pending
        .provider
        .strip_prefix(PENDING_PREFIX)
        .and_then(|id| state.saml.provider(id))
    else {
        return refused(jar, "state", StatusCode::BAD_REQUEST).await;
    };
    if !this_browser {
        return refused(jar, "browser", StatusCode::BAD_REQUEST).await;
    }
    let (config, trust) = provider;
    let Some(sp) = &state.saml.service_provider else {
        return refused(jar, "token", StatusCode::BAD_GATEWAY).await;
    };
    let expectations = Expectations {
        idp_entity_id: config.idp_entity_id.clone(),
        idp_certificates: config.idp_certificates.clone(),
        sp_entity_id: sp.entity_id.clone(),
        acs_url: sp.acs_url.clone(),
        request_id: pending.nonce.clone(),
        now: time::OffsetDateTime::now_utc(),
        clock_skew: config.clock_skew,
    };
    let verified = samspil_saml::verify_posted_response(
        form.saml_response.as_deref().unwrap_or_default(),
        &expectations,
    );
    let saml = match verified {
        Ok(identity) => identity,
        Err(error) => {
            tracing::warn!(provider = %config.id, %error, "SAML response refused");
            return refused(jar, "token", StatusCode::BAD_REQUEST).await;
        }
    };
    let roles = saml.roles();
    let identity = FederatedIdentity {
        cvr: saml.cvr,
        subject: saml.subject,
        // OIOSAML writes the persistent uuid as a URN; the directory keeps
        // the bare uuid.
        directory_uuid: saml
            .uuid
            .map(|uuid| uuid.trim_start_matches("urn:uuid:").to_owned()),
        email: saml.email,
        name: saml.name.unwrap_or_default(),
        roles,
        level_of_assurance: Some(saml.level_of_assurance),
    };
    complete_federated_login(&state, lang, jar, trust, identity, Some(&pending.next_path)).await
}

/// `GET /login/saml/metadata`: what an identity provider is configured with.
pub async fn metadata(State(state): State<AppState>) -> Result<Response, AppError> {
    let Some(sp) = &state.saml.service_provider else {
        return Err(AppError::NotFound);
    };
    Ok((
        [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
        samspil_saml::sp::metadata(sp),
    )
        .into_response())
}

/// Logins through a municipality's OIOSAML identity provider (the ACS is public: [`public_routes`]).
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/login/saml/metadata", metadata),
        PageRoute::get("/login/saml/{provider}", start),
    ]
}

/// The ACS, outside the CSRF layer: the identity provider's page posts it
/// from its own site, so it cannot carry our token; the signed response
/// bound to this browser's request stands in for it.
pub(crate) fn public_routes() -> Vec<crate::routes::PageRoute> {
    vec![crate::routes::PageRoute::post("/login/saml/acs", acs)]
}
