//! Logging in through a municipality's identity provider with OpenID
//! Connect: authorization code flow with PKCE (S256), state and nonce.
//!
//! `GET /login/oidc/{provider}` keeps the PKCE verifier and the nonce
//! server side under the state's digest, binds them to the browser with a
//! short-lived HttpOnly cookie and sends the person to the provider.
//! `GET /login/oidc/callback` takes that state (once), exchanges the code,
//! lets `openidconnect` verify the ID token (signature, issuer, audience,
//! expiry, nonce), reads the claims from the ID token and, where it lacks
//! them, from userinfo, and hands a protocol-free [`FederatedIdentity`] to
//! [`complete_federated_login`], which a SAML login reuses.
//!
//! Every failure is a page that says what happened and who can help, with
//! no session; the provider's own words go to the log, not to the person.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse, UserInfoClaims,
};
use samspil_auth::{digest, random_secret, secrets_match};
use samspil_domain::federation::{
    FederatedIdentity, LoginRefusal, ProviderTrust, RoleNames, TrustedMunicipality,
    match_directory, normalise_email,
};
use samspil_domain::return_path::safe_return_path;
use samspil_storage::PendingFederatedLogin;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::AppState;
use crate::auth::start_session;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::Page;

/// How long a person has at the identity provider before the login must
/// be started again (either protocol).
pub(crate) const PENDING_LIFETIME: time::Duration = time::Duration::minutes(10);
const BROWSER_COOKIE: &str = "samspil_oidc";
const COOKIE_PATH: &str = "/login/oidc/";
/// A provider's keys and endpoints are read again after this long, so a
/// key rotation at the provider is picked up without a restart.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(3600);
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// The claims a deployment names per provider, since brokers differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    pub cvr: String,
    pub roles: String,
    pub uuid: String,
    /// A claim with the login's NSIS level, read where the ID token's
    /// `acr` is no NSIS level.
    pub loa: String,
}

/// One identity provider as the deployment configures it.
#[derive(Debug, Clone)]
pub struct OidcProviderConfig {
    /// The short name in URLs and the audit log, e.g. `aarhus`.
    pub id: String,
    /// What the login page calls it, e.g. "Aarhus Kommune".
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub municipalities: Vec<TrustedMunicipality>,
    pub roles: RoleNames,
    pub claims: ClaimNames,
    /// Scopes asked for beyond `openid`.
    pub scopes: Vec<String>,
    /// Plain HTTP to a provider that is not on this machine.
    pub allow_insecure_http: bool,
}

impl OidcProviderConfig {
    /// Plain HTTP only to a provider on this machine (tests, a local
    /// broker) or when the deployment says so explicitly.
    pub fn plain_http_allowed(&self) -> bool {
        self.allow_insecure_http
            || url::Url::parse(&self.issuer).is_ok_and(|url| {
                matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
            })
    }

    /// The configuration's own mistakes, found at start rather than at the
    /// first login.
    pub fn check(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 40
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok || self.id == "callback" {
            return Err(format!(
                "the provider id '{}' must be 1-40 lower-case letters, digits or '-', and not 'callback'",
                self.id
            ));
        }
        let issuer = url::Url::parse(&self.issuer).map_err(|e| {
            format!(
                "provider {}: the issuer '{}' is not a URL: {e}",
                self.id, self.issuer
            )
        })?;
        match issuer.scheme() {
            "https" => {}
            "http" if self.plain_http_allowed() => {}
            _ => {
                return Err(format!(
                    "provider {}: the issuer must use https (plain http only for 127.0.0.1/localhost or with allow_insecure_http = true)",
                    self.id
                ));
            }
        }
        if self.municipalities.is_empty() {
            return Err(format!(
                "provider {}: name at least one municipality it may log people in for",
                self.id
            ));
        }
        if self.client_id.is_empty() {
            return Err(format!("provider {}: client_id is empty", self.id));
        }
        Ok(())
    }
}

/// Claims beyond the standard ones, whatever their names: the deployment
/// says which carry the CVR, the roles and the directory uuid.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims(HashMap<String, Value>);

impl AdditionalClaims for ExtraClaims {}

type IdTokenResponse = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type ProviderClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    IdTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

struct Provider {
    config: OidcProviderConfig,
    trust: ProviderTrust,
    /// Never follows redirects (openidconnect's advice against SSRF);
    /// HTTPS only unless plain HTTP is allowed for this provider.
    http: Option<openidconnect::reqwest::Client>,
    discovered: tokio::sync::Mutex<Option<(Instant, Arc<ProviderClient>)>>,
}

/// The configured identity providers and what samspil has learnt of them.
pub struct Federation {
    providers: Vec<Provider>,
    redirect_url: Option<RedirectUrl>,
}

impl Federation {
    pub fn new(configs: Vec<OidcProviderConfig>, public_url: Option<&url::Url>) -> Self {
        let redirect_url = public_url
            .and_then(|base| base.join(CALLBACK_PATH).ok())
            .map(RedirectUrl::from_url);
        if !configs.is_empty() && redirect_url.is_none() {
            tracing::error!(
                "identity providers are configured but no public URL is set: OIDC logins cannot start"
            );
        }
        let providers = configs
            .into_iter()
            .map(|config| {
                let http = openidconnect::reqwest::Client::builder()
                    .redirect(openidconnect::reqwest::redirect::Policy::none())
                    .timeout(PROVIDER_TIMEOUT)
                    .https_only(!config.plain_http_allowed())
                    .build()
                    .inspect_err(|e| tracing::error!(provider = %config.id, "no HTTP client: {e}"))
                    .ok();
                Provider {
                    trust: ProviderTrust {
                        id: config.id.clone(),
                        municipalities: config.municipalities.clone(),
                        roles: config.roles.clone(),
                    },
                    config,
                    http,
                    discovered: tokio::sync::Mutex::new(None),
                }
            })
            .collect();
        Federation {
            providers,
            redirect_url,
        }
    }

    fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config.id == id)
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct ProviderLink {
    /// `oidc` or `saml`: the path the login starts at, `/login/{protocol}/{id}`.
    pub protocol: &'static str,
    pub id: String,
    pub label: String,
}

/// The login page's list of providers, OpenID Connect and SAML alike.
pub(crate) fn provider_links(state: &AppState) -> Vec<ProviderLink> {
    state
        .federation
        .providers
        .iter()
        .map(|p| ProviderLink {
            protocol: "oidc",
            id: p.config.id.clone(),
            label: p.config.label.clone(),
        })
        .chain(state.saml.links())
        .collect()
}

impl Provider {
    /// The client from the provider's discovery document, fetched at the
    /// first login and kept for an hour; a provider that does not answer is
    /// asked again at the next login.
    async fn client(&self, redirect_url: &RedirectUrl) -> Result<Arc<ProviderClient>, String> {
        let mut discovered = self.discovered.lock().await;
        if let Some((at, client)) = discovered.as_ref()
            && at.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(client.clone());
        }
        let http = self.http.as_ref().ok_or("no HTTP client")?;
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| e.to_string())?;
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|e| format!("discovery failed: {}", error_chain(&e)))?;
        let client = ProviderClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect_url.clone());
        let client = Arc::new(client);
        *discovered = Some((Instant::now(), client.clone()));
        Ok(client)
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    pub(crate) next: Option<String>,
}

/// `GET /login/oidc/{provider}`: off to the identity provider.
pub async fn start(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Path(provider_id): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let next = safe_return_path(query.next.as_deref()).to_owned();
    let Some(provider) = state.federation.provider(&provider_id) else {
        return Err(AppError::NotFound);
    };
    let client = match &state.federation.redirect_url {
        Some(redirect_url) => provider.client(redirect_url).await,
        None => Err("no public URL configured".to_owned()),
    };
    let client = match client {
        Ok(client) => client,
        Err(problem) => {
            tracing::warn!(provider = %provider.config.id, %problem, "identity provider unavailable");
            return unavailable(&state, lang, jar, provider, &next).await;
        }
    };

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &provider.config.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf_state, nonce) = request.set_pkce_challenge(challenge).url();

    let browser_secret = random_secret();
    state
        .storage
        .begin_federated_login(&PendingFederatedLogin {
            state_hash: digest(csrf_state.secret()),
            browser_hash: digest(&browser_secret),
            provider: provider.config.id.clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
            next_path: next,
            expires_at: samspil_storage::now() + PENDING_LIFETIME,
        })
        .await?;
    // Lax, not Strict: the provider sends the person back with a top-level
    // navigation from its own site, and the cookie must come along.
    let cookie = pending_cookie(
        &state,
        (BROWSER_COOKIE, COOKIE_PATH),
        browser_secret,
        SameSite::Lax,
    );
    Ok((jar.add(cookie), Redirect::to(url.as_str())).into_response())
}

/// The short-lived cookie (name, path) that binds a pending federated
/// login to the browser that started it.
pub(crate) fn pending_cookie(
    state: &AppState,
    (name, path): (&'static str, &'static str),
    browser_secret: String,
    same_site: SameSite,
) -> Cookie<'static> {
    Cookie::build((name, browser_secret))
        .path(path)
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(same_site)
        .max_age(PENDING_LIFETIME)
        .build()
}

/// A pending federated login named by the answer's state (or RelayState).
pub(crate) struct TakenLogin {
    pub pending: PendingFederatedLogin,
    /// Started in this browser (its cookie matches) and not expired.
    pub this_browser: bool,
}

/// Takes the pending login the answer names, before anything else is
/// checked: whatever happens next, it is spent. `None` when the state is
/// missing, malformed, unknown or already used.
pub(crate) async fn take_pending(
    state: &AppState,
    state_param: Option<&str>,
    browser_secret: Option<&str>,
) -> Result<Option<TakenLogin>, AppError> {
    let Some(state_param) = state_param.filter(|s| !s.is_empty() && s.len() <= 512) else {
        return Ok(None);
    };
    let Some(pending) = state
        .storage
        .take_federated_login(&digest(state_param))
        .await?
    else {
        return Ok(None);
    };
    let same_browser =
        browser_secret.is_some_and(|secret| secrets_match(&digest(secret), &pending.browser_hash));
    let this_browser = same_browser && pending.expires_at > samspil_storage::now();
    Ok(Some(TakenLogin {
        pending,
        this_browser,
    }))
}

/// The login page with the message that the provider does not answer.
async fn unavailable(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    provider: &Provider,
    next: &str,
) -> Result<Response, AppError> {
    let (jar, csrf_token) = crate::auth::login_csrf(state, jar);
    let page = Page::new(state, lang, "/login", None).await?;
    let html = page.render(
        "login.html",
        minijinja::context! {
            csrf_token,
            next,
            login_value => "",
            federated_providers => provider_links(state),
            federation_error => lang.text(
                "federation-unavailable",
                &[("label", provider.config.label.clone())],
            ),
        },
    )?;
    Ok((StatusCode::SERVICE_UNAVAILABLE, jar, html).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// Why the answer from the provider is not a login, before any identity
/// is known: each has its own sentence (`federation-refused-{key}`).
#[derive(Debug, Clone, Copy)]
enum CallbackFailure {
    /// Unknown, used or tampered state.
    State,
    /// The state belongs to another browser, or the login took too long.
    Browser,
    /// The provider reported an error instead of a code.
    ProviderError,
    /// The code exchange or the ID token failed.
    Token,
}

impl CallbackFailure {
    fn key(self) -> &'static str {
        match self {
            CallbackFailure::State => "state",
            CallbackFailure::Browser => "browser",
            CallbackFailure::ProviderError => "idp-error",
            CallbackFailure::Token => "token",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            CallbackFailure::State | CallbackFailure::Browser | CallbackFailure::ProviderError => {
                StatusCode::BAD_REQUEST
            }
            CallbackFailure::Token => StatusCode::BAD_GATEWAY,
        }
    }
}

/// `GET /login/oidc/callback`: the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let browser_secret = jar.get(BROWSER_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.remove(Cookie::build(BROWSER_COOKIE).path(COOKIE_PATH).build());

    let taken = take_pending(&state, query.state.as_deref(), browser_secret.as_deref()).await?;
    let Some(TakenLogin {
        pending,
        this_browser,
    }) = taken
    else {
        return failure(&state, lang, jar, CallbackFailure::State, None).await;
    };
    if !this_browser {
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::Browser,
            Some(&pending.provider),
        )
        .await;
    }
    let Some(provider) = state.federation.provider(&pending.provider) else {
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::State,
            Some(&pending.provider),
        )
        .await;
    };
    if let Some(error) = query.error.as_deref() {
        tracing::warn!(provider = %pending.provider, error = %error.chars().take(100).collect::<String>(), "identity provider answered with an error");
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::ProviderError,
            Some(&pending.provider),
        )
        .await;
    }
    // RFC 9207: an answer that names another issuer is a mix-up.
    if let Some(iss) = query.iss.as_deref()
        && iss.trim_end_matches('/') != provider.config.issuer.trim_end_matches('/')
    {
        tracing::warn!(provider = %pending.provider, "the answer names another issuer");
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::Token,
            Some(&pending.provider),
        )
        .await;
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::State,
            Some(&pending.provider),
        )
        .await;
    };
    let Some(redirect_url) = &state.federation.redirect_url else {
        return failure(
            &state,
            lang,
            jar,
            CallbackFailure::Token,
            Some(&pending.provider),
        )
        .await;
    };
    let client = match provider.client(redirect_url).await {
        Ok(client) => client,
        Err(problem) => {
            tracing::warn!(provider = %pending.provider, %problem, "identity provider unavailable");
            return unavailable(&state, lang, jar, provider, &pending.next_path).await;
        }
    };
    let identity = match identity_from_code(provider, &client, code, &pending).await {
        Ok(identity) => identity,
        Err(problem) => {
            tracing::warn!(provider = %pending.provider, %problem, "login answer refused");
            return failure(
                &state,
                lang,
                jar,
                CallbackFailure::Token,
                Some(&pending.provider),
            )
            .await;
        }
    };
    complete_federated_login(
        &state,
        lang,
        jar,
        &provider.trust,
        identity,
        Some(&pending.next_path),
    )
    .await
}

/// Exchanges the code and reads the identity from the verified ID token,
/// asking userinfo for what the ID token lacks.
async fn identity_from_code(
    provider: &Provider,
    client: &ProviderClient,
    code: String,
    pending: &PendingFederatedLogin,
) -> Result<FederatedIdentity, String> {
    let http = provider.http.as_ref().ok_or("no HTTP client")?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| e.to_string())?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(http)
        .await
        .map_err(|e| format!("code exchange: {}", error_chain(&e)))?;
    let id_token = response.id_token().ok_or("the answer has no ID token")?;
    let verifier = client.id_token_verifier();
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = id_token
        .claims(&verifier, &nonce)
        .map_err(|e| format!("ID token: {}", error_chain(&e)))?;
    if let Some(expected) = claims.access_token_hash() {
        let algorithm = id_token.signing_alg().map_err(|e| e.to_string())?;
        let key = id_token.signing_key(&verifier).map_err(|e| e.to_string())?;
        let actual = AccessTokenHash::from_token(response.access_token(), algorithm, key)
            .map_err(|e| e.to_string())?;
        if actual != *expected {
            return Err("the access token does not belong to the ID token".into());
        }
    }

    let names = &provider.config.claims;
    let mut extra = claims.additional_claims().0.clone();
    let mut email = claims.email().map(|e| e.as_str().to_owned());
    let mut name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned());
    let lacking = |extra: &HashMap<String, Value>| {
        [&names.cvr, &names.roles, &names.uuid]
            .iter()
            .any(|claim| !extra.contains_key(claim.as_str()))
            || email.is_none()
    };
    if lacking(&extra)
        && let Ok(request) = client.user_info(
            response.access_token().clone(),
            Some(claims.subject().clone()),
        )
    {
        let userinfo: UserInfoClaims<ExtraClaims, CoreGenderClaim> = request
            .request_async(http)
            .await
            .map_err(|e| format!("userinfo: {}", error_chain(&e)))?;
        for (claim, value) in &userinfo.additional_claims().0 {
            extra.entry(claim.clone()).or_insert_with(|| value.clone());
        }
        email = email.or_else(|| userinfo.email().map(|e| e.as_str().to_owned()));
        name = name.or_else(|| {
            userinfo
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned())
        });
    }

    Ok(FederatedIdentity {
        cvr: extra.get(&names.cvr).and_then(scalar).unwrap_or_default(),
        subject: claims.subject().as_str().to_owned(),
        directory_uuid: extra.get(&names.uuid).and_then(scalar),
        email,
        name: name.unwrap_or_default(),
        roles: extra.get(&names.roles).map(role_list).unwrap_or_default(),
        // The NSIS level as SAML keeps it: the ID token's `acr` where it is
        // an NSIS level, else the configured claim; none otherwise.
        level_of_assurance: claims
            .auth_context_ref()
            .and_then(|acr| samspil_domain::federation::nsis_level(acr.as_str()))
            .or_else(|| {
                extra
                    .get(&names.loa)
                    .and_then(scalar)
                    .and_then(|v| samspil_domain::federation::nsis_level(&v))
            })
            .map(str::to_owned),
    })
}

/// A claim that should be one value: a string or a number.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A role claim: a JSON array (the usual way) or one string, which may
/// hold several roles separated by spaces or commas.
fn role_list(value: &Value) -> Vec<String> {
    let split = |text: &str| {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|role| !role.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str())
            .flat_map(split)
            .collect(),
        Value::String(text) => split(text),
        _ => Vec::new(),
    }
}

/// A failed answer from the provider: a page that says so, and no session.
async fn failure(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    failure: CallbackFailure,
    provider: Option<&str>,
) -> Result<Response, AppError> {
    tracing::info!(
        reason = failure.key(),
        provider = provider.unwrap_or("-"),
        "federated login refused"
    );
    let message = lang.text(&format!("federation-refused-{}", failure.key()), &[]);
    refused_page(state, lang, jar, failure.status(), message).await
}

pub(crate) async fn refused_page(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    status: StatusCode,
    message: String,
) -> Result<Response, AppError> {
    let page = Page::new(state, lang, "/login", None).await?;
    let html = page.render(
        "login_federated_refused.html",
        minijinja::context! { message },
    )?;
    Ok((status, jar, html).into_response())
}

#[derive(Debug, Serialize)]
struct AdministratorView {
    name: String,
    email: Option<String>,
}

/// The last steps of every login through an identity provider, whatever
/// the protocol: the provider must be trusted for the municipality, the
/// person must have a KLIK role and be in the municipality's directory;
/// then the role the provider gave becomes the person's role and a
/// session starts.
pub(crate) async fn complete_federated_login(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    provider: &ProviderTrust,
    identity: FederatedIdentity,
    next: Option<&str>,
) -> Result<Response, AppError> {
    let (code, role) = match provider.admit(&identity) {
        Ok(admitted) => admitted,
        Err(LoginRefusal::MissingRole { municipality }) => {
            tracing::info!(provider = %provider.id, subject = %identity.subject, "federated login without a KLIK role");
            return missing_role(state, lang, jar, municipality).await;
        }
        Err(refusal) => return refusal_page(state, lang, jar, provider, &identity, refusal).await,
    };
    let Some(org) = state
        .storage
        .organisation_by_key(&format!("municipality-{}", code.get()))
        .await?
    else {
        return refusal_page(
            state,
            lang,
            jar,
            provider,
            &identity,
            LoginRefusal::NotInDirectory,
        )
        .await;
    };
    let email = identity.email.as_deref().and_then(normalise_email);
    let candidates = state
        .storage
        .federated_candidates(org.id, identity.directory_uuid.as_deref(), email.as_deref())
        .await?;
    let user_id = match match_directory(&identity, org.id, &candidates) {
        Ok(user_id) => user_id,
        Err(refusal) => return refusal_page(state, lang, jar, provider, &identity, refusal).await,
    };
    let user = state
        .storage
        .record_federated_login(user_id, role, &provider.id, &identity.subject)
        .await?;
    start_session(
        state,
        jar,
        &user,
        next,
        identity.level_of_assurance.as_deref(),
    )
    .await
}

async fn refusal_page(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    provider: &ProviderTrust,
    identity: &FederatedIdentity,
    refusal: LoginRefusal,
) -> Result<Response, AppError> {
    tracing::info!(provider = %provider.id, subject = %identity.subject, reason = refusal.code(), "federated login refused");
    let args = match &refusal {
        LoginRefusal::UntrustedMunicipality { cvr } => vec![("cvr", cvr.to_string())],
        _ => Vec::new(),
    };
    let message = lang.text(
        &format!("federation-refused-{}", refusal.code().replace('_', "-")),
        &args,
    );
    refused_page(state, lang, jar, StatusCode::FORBIDDEN, message).await
}

/// The person lacks KLIK-bruger and KLIK-administrator: which role does
/// what, where it is granted, and who grants it in their municipality.
async fn missing_role(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    municipality: samspil_domain::MunicipalityCode,
) -> Result<Response, AppError> {
    let org = state
        .storage
        .organisation_by_key(&format!("municipality-{}", municipality.get()))
        .await?;
    let (municipality_name, administrators) = match org {
        Some(org) => {
            let administrators = state
                .storage
                .active_administrators(org.id)
                .await?
                .into_iter()
                .map(|user| AdministratorView {
                    name: user.display_name,
                    email: user.email,
                })
                .collect::<Vec<_>>();
            (org.official_name, administrators)
        }
        None => (municipality.get().to_string(), Vec::new()),
    };
    let page = Page::new(state, lang, "/login", None).await?;
    let html = page.render(
        "login_missing_role.html",
        minijinja::context! { municipality_name, administrators },
    )?;
    Ok((StatusCode::FORBIDDEN, jar, html).into_response())
}

/// Logins through a municipality's OpenID Connect provider.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/login/oidc/callback", callback),
        PageRoute::get("/login/oidc/{provider}", start),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(issuer: &str, insecure: bool) -> OidcProviderConfig {
        OidcProviderConfig {
            id: "aarhus".into(),
            label: "Aarhus Kommune".into(),
            issuer: issuer.into(),
            client_id: "samspil".into(),
            client_secret: None,
            municipalities: vec![TrustedMunicipality {
                code: samspil_domain::MunicipalityCode::new(751).expect("valid"),
                cvr: samspil_domain::federation::Cvr::parse("55133018").expect("valid"),
            }],
            roles: RoleNames::default(),
            claims: ClaimNames {
                cvr: "cvr".into(),
                roles: "roles".into(),
                uuid: "uuid".into(),
                loa: "loa".into(),
            },
            scopes: vec![],
            allow_insecure_http: insecure,
        }
    }

    #[test]
    fn plain_http_only_on_this_machine_or_when_asked_for() {
        assert!(config("https://idp.aarhus.dk", false).check().is_ok());
        assert!(config("http://127.0.0.1:8000", false).check().is_ok());
        assert!(config("http://localhost:8000", false).check().is_ok());
        assert!(config("http://idp.aarhus.dk", false).check().is_err());
        assert!(config("http://idp.aarhus.dk", true).check().is_ok());
        assert!(config("ftp://idp.aarhus.dk", true).check().is_err());
        assert!(config("not a url", false).check().is_err());
    }

    #[test]
    fn provider_ids_are_url_safe_and_never_the_callback() {
        let mut bad = config("https://idp.aarhus.dk", false);
        bad.id = "callback".into();
        assert!(bad.check().is_err());
        bad.id = "Aarhus Kommune".into();
        assert!(bad.check().is_err());
        bad.id = "aarhus-2".into();
        assert!(bad.check().is_ok());
    }

    #[test]
    fn roles_come_as_an_array_or_as_one_string() {
        assert_eq!(
            role_list(&serde_json::json!(["KLIK-bruger", "Andet"])),
            vec!["KLIK-bruger", "Andet"]
        );
        assert_eq!(
            role_list(&serde_json::json!("KLIK-bruger, KLIK-administrator")),
            vec!["KLIK-bruger", "KLIK-administrator"]
        );
        assert!(role_list(&serde_json::json!({"KLIK-bruger": true})).is_empty());
        assert_eq!(
            scalar(&serde_json::json!(55133018)),
            Some("55133018".into())
        );
        assert_eq!(scalar(&serde_json::json!(["55133018"])), None);
    }
}
