//! What operators and browsers need around the pages: health, metrics,
//! static assets and security headers.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use axum::Json;
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::AppState;
use crate::error::AppError;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
    /// The other stores' backends by their field (`citizen_database`).
    #[serde(flatten)]
    stores: std::collections::BTreeMap<&'static str, &'static str>,
}

/// A store of a context other than the main database that `/healthz`
/// reports on: the shell sees only this, never the store itself.
pub trait HealthCheck: Send + Sync {
    /// The field of `/healthz` that names its backend, e.g. `citizen_database`.
    fn field(&self) -> &'static str;
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Answers `Ok` when the store answers; the error is logged, never shown.
    fn check(&self) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>>;
}

/// 200 when the database and every context's store answer, 503 when one
/// does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let mut answers = true;
    if let Err(error) = state.storage.ping().await {
        tracing::warn!(%error, "health check: database does not answer");
        answers = false;
    }
    let mut stores = std::collections::BTreeMap::new();
    for check in state.health.iter() {
        if let Err(error) = check.check().await {
            tracing::warn!(%error, store = check.field(), "health check: a store does not answer");
            answers = false;
        }
        stores.insert(check.field(), check.backend());
    }
    let health = Health {
        status: if answers { "ok" } else { "unavailable" },
        database: state.storage.backend(),
        stores,
    };
    match answers {
        true => Json(health).into_response(),
        false => (StatusCode::SERVICE_UNAVAILABLE, Json(health)).into_response(),
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

/// The application's own metrics registry (not a process-wide one, so that
/// several instances in one test process do not collide).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("samspil");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.0005, 2.0, 16)));
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            durations.clone(),
        );
        Self {
            registry,
            requests,
            durations,
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The method as a label: any token is a valid HTTP method, so a made-up
/// one (sent by anyone, before any authentication) would be a new series
/// for every request; only the standard methods are named.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// Counts and times every request by its route pattern (never the raw
/// path, which would put ids into label values; every path no route
/// matches is one label, `unmatched`) and its method.
pub async fn track_metrics(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = method_label(request.method()).to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method: method.clone(),
            route: route.clone(),
            status: response.status().as_u16(),
        })
        .inc();
    state
        .metrics
        .durations
        .get_or_create(&RouteLabels { method, route })
        .observe(elapsed);
    response
}

pub async fn metrics(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    // The route table and timings say something about the deployment;
    // where the scraper can be given a token, only it reads them.
    if let Some(expected) = &state.metrics_token {
        let provided = crate::auth::bearer_token(&headers).unwrap_or_default();
        if !samspil_auth::secrets_match(provided, expected) {
            return Err(AppError::Unauthenticated);
        }
    }
    let mut body = String::new();
    prometheus_client::encoding::text::encode(&mut body, &state.metrics.registry)
        .map_err(|e| AppError::Internal(format!("encoding metrics: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// The design system's CSS, fonts, icons and scripts, compiled into the binary.
pub async fn static_asset(Path(path): Path<String>) -> Result<Response, AppError> {
    let file = Assets::get(&path).ok_or(AppError::NotFound)?;
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    Ok((
        [
            (header::CONTENT_TYPE, mime.as_ref().to_owned()),
            (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
        ],
        file.data.into_owned(),
    )
        .into_response())
}

/// No inline script or style anywhere, no framing, no sniffing; HSTS when
/// served over TLS.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'; object-src 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if state.cookies.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Health, metrics and the static assets: outside sessions and CSRF.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/healthz", healthz),
        // Scrapers are machines: a refused scrape is a plain JSON 401.
        PageRoute::get("/metrics", metrics).with_handler(
            axum::routing::get(metrics)
                .layer(axum::middleware::map_response(crate::error::json_errors)),
        ),
        PageRoute::get("/static/{*path}", static_asset),
    ]
}
