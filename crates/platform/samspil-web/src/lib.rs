//! samspil's HTTP layer: the only crate that speaks HTTP.
//!
//! Pages are server-rendered from minijinja templates in the look of Det
//! Fælles Designsystem; machines use the JSON API under `/api/v1`. Errors
//! from every layer become one [`error::AppError`] and are rendered in one
//! place ([`error::render_errors`]).

pub mod api;
mod api_exports;
mod api_messages;
mod api_roles;
mod api_tasks;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod login_oidc;
pub mod login_saml;
pub mod login_throttle;
pub mod ops;
pub mod pages;
mod pages_api_tokens;
mod pages_messages;
mod pages_roles;
mod pages_tasks;
mod rich_text;
pub mod routes;
mod second_factor;
pub mod templates;

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::{Json, Router};
use minijinja::Environment;
use samspil_storage::Storage;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::auth::CookiePolicy;
use crate::ops::Metrics;

/// How the web layer behaves in this deployment.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Served over TLS (directly or behind a proxy): Secure cookies and HSTS.
    pub behind_tls: bool,
    /// The address people reach samspil at (`https://samspil.example.dk`),
    /// for the callback URL identity providers send people back to.
    pub public_url: Option<url::Url>,
    /// The identity providers people log in through (OpenID Connect).
    pub oidc: Vec<login_oidc::OidcProviderConfig>,
    /// The identity providers people log in through (OIOSAML 3).
    pub saml: Vec<login_saml::SamlProviderConfig>,
    /// When set, `/metrics` answers only `Authorization: Bearer {token}`.
    pub metrics_token: Option<String>,
    /// How many failed logins one client address may make per window.
    pub login_address_limit: samspil_domain::throttle::AddressLimit,
}

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    templates: Arc<Environment<'static>>,
    cookies: CookiePolicy,
    metrics: Arc<Metrics>,
    openapi_json: Arc<serde_json::Value>,
    federation: Arc<login_oidc::Federation>,
    saml: Arc<login_saml::SamlLogins>,
    metrics_token: Option<Arc<str>>,
    address_limit: samspil_domain::throttle::AddressLimit,
    /// The other contexts' stores, as far as `/healthz` sees them.
    health: Arc<[Arc<dyn ops::HealthCheck>]>,
}

/// A context's router as the shell mounts it (citizen, tools): its own
/// routes and state, built by the context's web crate, which depends on
/// the shell (so the binary hands the shell its contexts, not the other
/// way round).
pub struct Context {
    /// The path the router is nested at (`/borger`); every path under it is
    /// the context's, and the context's router answers the ones it does not
    /// know (its fallback, in its own error format).
    pub mount: &'static str,
    /// The router with its state (its own store) applied.
    pub router: Router,
    /// Its store, for `/healthz`, when it has one of its own.
    pub health: Option<Arc<dyn ops::HealthCheck>>,
}

/// The whole application as one router: the shell and coordination,
/// without the other contexts (the benchmarks and the tests of the shell
/// alone use it). `samspil::app` mounts the contexts too.
pub fn app(storage: Arc<dyn Storage>, config: WebConfig) -> Router {
    app_with(storage, config, Vec::new())
}

/// The whole application with the contexts mounted. They sit behind
/// session resolution and the CSRF check, like the coordination pages.
pub fn app_with(storage: Arc<dyn Storage>, config: WebConfig, contexts: Vec<Context>) -> Router {
    let (api_routes, openapi) = api::routes();
    let openapi_json = serde_json::to_value(&openapi).unwrap_or_default();
    let state = AppState {
        storage,
        templates: Arc::new(templates::environment()),
        cookies: CookiePolicy {
            secure: config.behind_tls,
        },
        metrics: Arc::new(Metrics::new()),
        openapi_json: Arc::new(openapi_json),
        federation: Arc::new(login_oidc::Federation::new(
            config.oidc,
            config.public_url.as_ref(),
        )),
        saml: Arc::new(login_saml::SamlLogins::new(
            config.saml,
            config.public_url.as_ref(),
        )),
        metrics_token: config
            .metrics_token
            .filter(|token| !token.is_empty())
            .map(Arc::from),
        address_limit: config.login_address_limit,
        health: contexts
            .iter()
            .filter_map(|context| context.health.clone())
            .collect(),
    };

    let mut pages = Router::new();
    let mut public = Router::new();
    for (placement, routes) in routes::declared() {
        match placement {
            routes::Placement::Session => pages = pages.merge(routes::router(routes)),
            routes::Placement::Public => public = public.merge(routes::router(routes)),
        }
    }
    for context in contexts {
        pages = pages.nest_service(context.mount, context.router);
    }
    // Layers run outside-in from the last added: the session is resolved
    // first, then the CSRF check can compare against it.
    let pages = pages
        .layer(from_fn(auth::verify_csrf))
        .layer(from_fn_with_state(state.clone(), auth::resolve_session));

    let api = api_routes
        .layer(from_fn_with_state(state.clone(), auth::require_bearer))
        .layer(axum::middleware::map_response(error::json_errors));

    Router::new()
        .merge(pages)
        .merge(api)
        .merge(public)
        .fallback(error::unmatched)
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), error::render_errors))
        .layer(from_fn_with_state(state.clone(), ops::track_metrics))
        .layer(from_fn_with_state(state.clone(), ops::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub(crate) async fn openapi_document(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    Json(state.openapi_json.as_ref().clone())
}
