//! samspil's HTTP layer: the only crate that speaks HTTP.
//!
//! Pages are server-rendered from minijinja templates in the look of Det
//! Fælles Designsystem; machines use the JSON API under `/api/v1`. Errors
//! from every layer become one [`error::AppError`] and are rendered in one
//! place ([`error::render_errors`]).

pub mod api;
pub mod auth;
pub mod context_checks;
pub mod error;
pub mod files;
pub mod form;
pub mod format;
pub mod i18n;
pub mod login_oidc;
pub mod login_saml;
pub mod login_throttle;
pub mod municipality_picker;
pub mod ops;
pub mod pages;
mod pages_api_tokens;
pub mod personal;
pub mod rich_text;
pub mod routes;
mod second_factor;
pub mod templates;

use std::sync::{Arc, OnceLock};

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

/// The shell's state: the platform's store and what every page needs.
/// A context's state holds it beside the context's own store.
#[derive(Clone)]
pub struct AppState {
    /// The platform's store (organisations, people, sessions, audit, the
    /// mail outbox); never a context's.
    pub storage: Arc<dyn Storage>,
    templates: Arc<Environment<'static>>,
    cookies: CookiePolicy,
    metrics: Arc<Metrics>,
    /// The OpenAPI document of every router, set once the contexts' API
    /// routes are merged (they are built with this state).
    openapi_json: Arc<OnceLock<serde_json::Value>>,
    federation: Arc<login_oidc::Federation>,
    saml: Arc<login_saml::SamlLogins>,
    metrics_token: Option<Arc<str>>,
    address_limit: samspil_domain::throttle::AddressLimit,
    /// The contexts' own stores, as far as `/healthz` sees them.
    health: Arc<[Arc<dyn ops::HealthCheck>]>,
    /// The context that knows the person's tasks and inbox, if one is
    /// mounted: the menu's unread count and the front page.
    personal: Option<Arc<dyn personal::Personal>>,
}

impl AppState {
    /// Whether people reach the site over HTTPS (`--behind-tls`): the
    /// scheme of the addresses a page hands out to be used elsewhere (a
    /// calendar feed's).
    pub fn behind_tls(&self) -> bool {
        self.cookies.secure
    }
}

/// Where the shell mounts a context's pages.
pub enum Mount {
    /// At the site's root, beside the shell's: coordination, whose paths
    /// (`/opgaver`, `/roller`, …) are the site's own.
    Root,
    /// Under a prefix of its own (`/borger`); every path under it is the
    /// context's, and its router answers the ones it does not know (its
    /// fallback, in its own error format).
    Nested(&'static str),
}

/// What a context's web crate hands the shell: its routes, with its
/// templates and texts. Its page routes are declared by the crate's
/// `inventory()`, which the binary's `page_inventory` reads for the
/// isolation suite. The context's crate depends on the shell, and
/// the binary hands the shell its contexts, not the other way round.
pub struct Context {
    pub mount: Mount,
    /// Its routers, built with the shell's state once that exists.
    pub routes: Box<dyn FnOnce(AppState) -> ContextRoutes + Send>,
    /// Its templates, beside the shell's.
    pub templates: Option<templates::TemplateSource>,
    /// Its texts, beside the shell's.
    pub texts: Option<&'static fluent_templates::StaticLoader>,
    /// Its store, for `/healthz`, when it has one of its own.
    pub health: Option<Arc<dyn ops::HealthCheck>>,
    /// The person's unread count and front page, if this context has them.
    pub personal: Option<Arc<dyn personal::Personal>>,
}

/// A context's routers, with its state applied.
pub struct ContextRoutes {
    /// Its pages, behind session resolution and the CSRF check.
    pub pages: Router,
    /// Its JSON API under [`api::MOUNT`] and the operations' OpenAPI
    /// document, behind the bearer check.
    pub api: Option<(Router, utoipa::openapi::OpenApi)>,
    /// Its JSON API for machines that are not people and bring a
    /// credential of the context's own (the citizen context's vendor
    /// systems): under [`api::MOUNT`] beside the people's API, but outside
    /// the people's bearer check (the router checks its own credential),
    /// with JSON errors; its operations join the OpenAPI document.
    pub machine_api: Option<(Router, utoipa::openapi::OpenApi)>,
}

/// The shell alone, with no context mounted: the platform's pages and API
/// (the tests of the shell use it; `samspil::app` mounts the contexts).
pub fn app(storage: Arc<dyn Storage>, config: WebConfig) -> Router {
    app_with(storage, config, Vec::new())
}

/// The whole application: the shell with the contexts mounted. Their pages
/// sit behind session resolution and the CSRF check like the shell's,
/// their API behind the bearer check, and every answer goes through the
/// one `render_errors`.
pub fn app_with(storage: Arc<dyn Storage>, config: WebConfig, contexts: Vec<Context>) -> Router {
    let template_sources: Vec<_> = contexts.iter().filter_map(|c| c.templates).collect();
    for texts in contexts.iter().filter_map(|context| context.texts) {
        i18n::add_texts(texts);
    }
    let state = AppState {
        storage,
        templates: Arc::new(templates::environment(&template_sources)),
        cookies: CookiePolicy {
            secure: config.behind_tls,
        },
        metrics: Arc::new(Metrics::new()),
        openapi_json: Arc::new(OnceLock::new()),
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
        personal: contexts.iter().find_map(|context| context.personal.clone()),
    };

    let mut pages = Router::new();
    let mut public = Router::new();
    for (placement, routes) in routes::declared() {
        let routes = routes::router(routes).with_state(state.clone());
        match placement {
            routes::Placement::Session => pages = pages.merge(routes),
            routes::Placement::Public => public = public.merge(routes),
        }
    }
    let (api_routes, mut openapi) = api::routes();
    let mut api = api_routes.with_state(state.clone());
    let mut machine_api = Router::new();
    for context in contexts {
        let routes = (context.routes)(state.clone());
        pages = match context.mount {
            Mount::Root => pages.merge(routes.pages),
            // `nest`, not `nest_service`: the context's routes keep their
            // full path as their `MatchedPath` (the metrics' label), and its
            // fallback still answers the paths under the prefix it does not
            // know.
            Mount::Nested(prefix) => pages.nest(prefix, routes.pages),
        };
        if let Some((router, document)) = routes.api {
            api = api.merge(router);
            merge_documents(&mut openapi, document);
        }
        if let Some((router, document)) = routes.machine_api {
            machine_api = machine_api.merge(router);
            merge_documents(&mut openapi, document);
        }
    }
    let openapi = api::document(openapi);
    state
        .openapi_json
        .get_or_init(|| serde_json::to_value(&openapi).unwrap_or_default());

    // Layers run outside-in from the last added: the session is resolved
    // first, then the CSRF check can compare against it.
    let pages = pages
        .layer(from_fn(auth::verify_csrf))
        .layer(from_fn_with_state(state.clone(), auth::resolve_session));

    let api = api
        .layer(from_fn_with_state(state.clone(), auth::require_bearer))
        .layer(axum::middleware::map_response(error::json_errors));
    let machine_api = machine_api.layer(axum::middleware::map_response(error::json_errors));

    Router::new()
        .merge(pages)
        .merge(api)
        .merge(machine_api)
        .merge(public)
        .fallback(error::unmatched)
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), error::render_errors))
        .layer(from_fn_with_state(state.clone(), ops::track_metrics))
        .layer(from_fn_with_state(state.clone(), ops::security_headers))
        .layer(TraceLayer::new_for_http())
}

/// Adds a context's OpenAPI document to the merged one. Two different
/// schemas of one name would silently become one (utoipa keeps the first),
/// and the API would describe one context's bodies with another's: a name
/// taken twice is a programming error, caught by every test that builds the
/// app. The shell's own schemas (`ApiErrorBody`) are in every document,
/// alike, and merge as one.
fn merge_documents(merged: &mut utoipa::openapi::OpenApi, document: utoipa::openapi::OpenApi) {
    if let (Some(have), Some(new)) = (&merged.components, &document.components) {
        let taken: Vec<&String> = new
            .schemas
            .iter()
            .filter(|(name, schema)| have.schemas.get(*name).is_some_and(|had| had != *schema))
            .map(|(name, _)| name)
            .collect();
        assert!(
            taken.is_empty(),
            "OpenAPI schema names used by two contexts: {taken:?}; give one a context-specific name"
        );
    }
    merged.merge(document);
}

pub(crate) async fn openapi_document(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    Json(state.openapi_json.get().cloned().unwrap_or_default())
}
