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
mod second_factor;
pub mod templates;

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use minijinja::Environment;
use samspil_storage::Storage;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::auth::CookiePolicy;
use crate::error::AppError;
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
}

/// The whole application as one router.
pub fn app(storage: Arc<dyn Storage>, config: WebConfig) -> Router {
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
    };

    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/login", get(auth::login_page).post(auth::login_submit))
        .route(
            "/login/kode",
            get(second_factor::code_page).post(second_factor::code_submit),
        )
        .route("/logout", post(auth::logout))
        .route("/login/oidc/callback", get(login_oidc::callback))
        .route("/login/oidc/{provider}", get(login_oidc::start))
        .route("/login/saml/metadata", get(login_saml::metadata))
        .route("/login/saml/{provider}", get(login_saml::start))
        .route("/konto/sikkerhed", get(second_factor::account_page))
        .route(
            "/konto/sikkerhed/tilmeld",
            post(second_factor::account_enrol),
        )
        .route(
            "/konto/sikkerhed/fjern",
            post(second_factor::account_remove),
        )
        .route(
            "/konto/api-noegler",
            get(pages_api_tokens::tokens_page).post(pages_api_tokens::token_create),
        )
        .route(
            "/konto/api-noegler/{id}/tilbagekald",
            get(pages_api_tokens::revoke_confirm).post(pages_api_tokens::revoke_submit),
        )
        .route("/organisationer", get(pages::organisations))
        .route("/organisationer/{id}", get(pages::organisation))
        .route("/sprog/{lang}", get(pages::switch_language))
        .route("/opgaver", get(pages_tasks::task_list))
        .route(
            "/opgaver/ny",
            get(pages_tasks::task_new_form).post(pages_tasks::task_create),
        )
        .route(
            "/opgaver/lokal/ny",
            get(pages_tasks::local_task_form).post(pages_tasks::local_task_create),
        )
        .route("/opgaver/{id}", get(pages_tasks::task_detail))
        .route("/opgaver/{id}/status", post(pages_tasks::task_set_status))
        .route("/opgaver/{id}/tildel", post(pages_tasks::task_assign))
        .route(
            "/opgaver/{id}/spoergsmaal",
            post(pages_tasks::task_add_question),
        )
        .route("/opgaver/{id}/{file}", get(pages_tasks::task_export))
        .route(
            "/opgaver/{id}/bilag",
            post(pages_tasks::task_upload)
                .layer(axum::extract::DefaultBodyLimit::max(auth::MAX_UPLOAD_BYTES)),
        )
        .route(
            "/opgaver/{id}/bilag/{file}",
            get(pages_tasks::task_download),
        )
        .route("/opgaver/{id}/svar", post(pages_tasks::task_save_answers))
        .route("/opgaver/{id}/kommentarer", post(pages_tasks::task_comment))
        .route("/opgaver/{id}/luk", post(pages_tasks::task_close))
        .route("/opgaver/{id}/publicer", post(pages_tasks::task_publish))
        .route("/opgaver/{id}/aendr", post(pages_tasks::task_change))
        .route("/status", get(pages_tasks::status_overview))
        .route("/status/{file}", get(pages_tasks::status_export))
        .route("/status/fremdrift", get(pages_tasks::progress))
        .route(
            "/status/fremdrift/{file}",
            get(pages_tasks::progress_export),
        )
        .route("/rollegalleri", get(pages_roles::gallery))
        .route("/rollegalleri/{org}/tildelinger", post(pages_roles::assign))
        .route(
            "/rollegalleri/{org}/tildelinger/{id}/afslut",
            post(pages_roles::end_assignment),
        )
        .route(
            "/rollegalleri/{org}/tildelinger/{id}/primaer",
            post(pages_roles::mark_primary),
        )
        .route(
            "/rollegalleri/{org}/it-loesninger/{project}",
            post(pages_roles::set_solution_use),
        )
        .route(
            "/rollegalleri/katalog",
            get(pages_roles::catalogue).post(pages_roles::create_role),
        )
        .route(
            "/rollegalleri/katalog/{id}",
            get(pages_roles::role_edit_form).post(pages_roles::update_role),
        )
        .route(
            "/rollegalleri/katalog/{id}/{file}",
            get(pages_roles::holders_export),
        )
        .route("/rollegalleri/huller", get(pages_roles::gaps))
        .route("/rollegalleri/huller/{file}", get(pages_roles::gaps_export))
        .route("/brugerhaandtering", get(pages_roles::user_admin))
        .route(
            "/brugerhaandtering/{org}/{action}",
            post(pages_roles::change_access),
        )
        .route(
            "/kontaktlister",
            get(pages_roles::contact_lists).post(pages_roles::create_contact_list),
        )
        .route("/kontaktlister/{id}", get(pages_roles::contact_list))
        .route(
            "/kontaktlister/{id}/poster",
            post(pages_roles::add_contact_entry),
        )
        .route(
            "/kontaktlister/{id}/poster/{entry}/slet",
            post(pages_roles::delete_contact_entry),
        )
        .route(
            "/kontaktlister/{id}/{file}",
            get(pages_roles::contact_list_export),
        )
        .route(
            "/beskeder",
            get(pages_messages::messages_page).post(pages_messages::messages_submit),
        )
        .route("/indbakke", get(pages_messages::inbox_page))
        .route("/indbakke/laest", post(pages_messages::inbox_mark_read))
        .route(
            "/indbakke/indstillinger",
            get(pages_messages::settings_page).post(pages_messages::settings_submit),
        )
        .route("/leveringslog", get(pages_messages::delivery_log_page))
        // Layers run outside-in from the last added: the session is
        // resolved first, then the CSRF check can compare against it.
        .layer(from_fn(auth::verify_csrf))
        .layer(from_fn_with_state(state.clone(), auth::resolve_session));

    let api = api_routes.layer(from_fn_with_state(state.clone(), auth::require_bearer));

    Router::new()
        .merge(pages)
        .merge(api)
        .route("/api/v1/openapi.json", get(openapi_document))
        // The identity provider's page posts here from its own site, so it
        // cannot carry our CSRF token; the signed response bound to this
        // browser's request stands in for it (see login_saml).
        .route("/login/saml/acs", post(login_saml::acs))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{*path}", get(ops::static_asset))
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), error::render_errors))
        .layer(from_fn_with_state(state.clone(), ops::track_metrics))
        .layer(from_fn_with_state(state.clone(), ops::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn openapi_document(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    Json(state.openapi_json.as_ref().clone())
}
