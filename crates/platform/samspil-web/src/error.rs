//! The web layer's one error type, and the one place that turns it into an
//! HTTP answer: an HTML page for people, JSON for the API.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_domain::access::AccessDenied;
use samspil_storage::StorageError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::i18n::{self, Lang};
use crate::pages::Page;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("access denied: {0}")]
    Forbidden(String),
    /// Access to an organisation's data was refused; carries its name.
    #[error("access to {org} denied")]
    ForbiddenOrg { org: String },
    /// A reader (læser) tried to change something.
    #[error("readers change nothing")]
    ReadOnly,
    #[error("not found")]
    NotFound,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request too large")]
    TooLarge,
    /// A request the server could not read (a malformed form, query or body).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A value that breaks a rule; the text says which.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// A rule of the domain, with the field it concerns, so that a page can
    /// explain it in the reader's language next to the form.
    #[error("invalid value: {0}")]
    Rule(samspil_domain::ValidationError),
    /// A value of a page's address (a filter's date) that breaks a rule: a
    /// 400 page that says which, in the person's language.
    #[error("bad query: {0}")]
    BadQuery(samspil_domain::ValidationError),
    #[error("unknown region {0}")]
    UnknownRegion(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: i64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound(_) => AppError::NotFound,
            StorageError::Conflict(detail) => AppError::Conflict(detail),
            StorageError::Denied(denied) => AppError::Forbidden(denied.to_string()),
            StorageError::Invalid(invalid) => AppError::Rule(invalid),
            StorageError::Unavailable(e) => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<samspil_domain::ValidationError> for AppError {
    fn from(invalid: samspil_domain::ValidationError) -> Self {
        AppError::Rule(invalid)
    }
}

impl From<samspil_domain::access::NotCommunityStaff> for AppError {
    fn from(denied: samspil_domain::access::NotCommunityStaff) -> Self {
        AppError::Forbidden(denied.to_string())
    }
}

impl From<samspil_domain::access::ChangeDenied> for AppError {
    fn from(refused: samspil_domain::access::ChangeDenied) -> Self {
        match refused {
            samspil_domain::access::ChangeDenied::ReadOnly(_) => AppError::ReadOnly,
            other => AppError::Forbidden(other.to_string()),
        }
    }
}

impl From<AccessDenied> for AppError {
    fn from(denied: AccessDenied) -> Self {
        AppError::Forbidden(denied.to_string())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_)
            | AppError::ForbiddenOrg { .. }
            | AppError::ReadOnly
            | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) | AppError::BadQuery(_) | AppError::UnknownRegion(_) => {
                StatusCode::BAD_REQUEST
            }
            // A name that is taken (`…-taken` rules) clashes with what
            // exists: 409 for the API, shown at its field on a page.
            AppError::Rule(invalid)
                if invalid
                    .rule
                    .as_ref()
                    .is_some_and(|r| r.key().ends_with("-taken")) =>
            {
                StatusCode::CONFLICT
            }
            AppError::Invalid(_) | AppError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable name for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) | AppError::ForbiddenOrg { .. } => "forbidden",
            AppError::ReadOnly => "read_only",
            AppError::NotFound => "not_found",
            AppError::Csrf => "csrf",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::TooLarge => "too_large",
            AppError::BadRequest(_) | AppError::BadQuery(_) => "bad_request",
            AppError::Invalid(_) | AppError::Rule(_) | AppError::UnknownRegion(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// For a form shown again: the sentence for a value that broke a rule
    /// (its own `{prefix}-{field}` text where there is one), could not be
    /// read, or clashes with what is already there; any other error stays
    /// an error.
    pub fn form_refusal(self, lang: Lang, prefix: &str) -> Result<String, AppError> {
        match self {
            AppError::Rule(invalid) => Ok(lang.refusal(prefix, &invalid)),
            refusal @ (AppError::Invalid(_) | AppError::BadRequest(_) | AppError::Conflict(_)) => {
                Ok(refusal.message(lang))
            }
            other => Err(other),
        }
    }

    /// The outcome of what a form asked for: done, or refused with the
    /// sentence to show above the form again (`Err` inside `Ok`).
    pub fn form_outcome<T>(
        result: Result<T, AppError>,
        lang: Lang,
        prefix: &str,
    ) -> Result<Result<T, String>, AppError> {
        match result {
            Ok(value) => Ok(Ok(value)),
            Err(refused) => refused.form_refusal(lang, prefix).map(Err),
        }
    }

    /// A broken rule of a page's address (its query) rather than of a form:
    /// a 400 page, not a form shown again.
    pub fn in_query(self) -> AppError {
        match self {
            AppError::Rule(invalid) => AppError::BadQuery(invalid),
            other => other,
        }
    }

    /// For the API (English, for the developers of a client system): the
    /// person's sentence and the detail behind it.
    pub fn api_message(&self) -> String {
        let sentence = self.message(Lang::En);
        match self {
            AppError::BadRequest(detail)
            | AppError::Invalid(detail)
            | AppError::Conflict(detail) => {
                format!("{sentence} ({detail})")
            }
            AppError::Rule(invalid) | AppError::BadQuery(invalid) => {
                format!("{sentence} ({invalid})")
            }
            _ => sentence,
        }
    }

    /// What a person is told, in their language. Internal details stay in
    /// the log.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthenticated => lang.text("error-unauthenticated", &[]),
            AppError::Forbidden(_) => lang.text("error-forbidden", &[]),
            AppError::ForbiddenOrg { org } => {
                lang.text("error-forbidden-org", &[("org", org.clone())])
            }
            AppError::ReadOnly => lang.text("error-read-only", &[]),
            AppError::NotFound => lang.text("error-not-found", &[]),
            AppError::Csrf => lang.text("error-csrf", &[]),
            AppError::MethodNotAllowed => lang.text("error-method", &[]),
            AppError::TooLarge => lang.text("error-too-large", &[]),
            // The details are a developer's English: the API gets them
            // (`api_message`), a person the sentence.
            AppError::BadRequest(_) => lang.text("error-invalid-request", &[]),
            AppError::Invalid(_) => lang.text("error-invalid-value", &[]),
            AppError::Rule(invalid) => lang
                .broken_rule(invalid)
                .unwrap_or_else(|| lang.text("error-invalid-value", &[])),
            AppError::BadQuery(invalid) => lang
                .broken_rule(invalid)
                .unwrap_or_else(|| lang.text("error-invalid-request", &[])),
            AppError::UnknownRegion(region) => {
                lang.text("error-unknown-region", &[("region", region.clone())])
            }
            AppError::Conflict(_) => lang.text("error-conflict", &[]),
            AppError::TooManyAttempts { retry_after_secs } => lang.text(
                "login-error-throttled",
                &[("seconds", retry_after_secs.to_string())],
            ),
            AppError::Unavailable(_) => lang.text("error-unavailable", &[]),
            AppError::Internal(_) => lang.text("error-internal", &[]),
        }
    }
}

/// How a router's errors are rendered. Each router says its own where it
/// is mounted (the JSON API: [`json_errors`]; pages are HTML unless a
/// router says otherwise), and [`render_errors`] renders them in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    Html,
    Json,
}

/// Marks a router's responses as answered for machines, so that its errors
/// (also its extractors' rejections) are rendered as JSON.
pub async fn json_errors(mut response: Response) -> Response {
    response.extensions_mut().insert(ErrorFormat::Json);
    response
}

/// The router's own answer to a path no route matched, in the format of
/// the router mounted at that path: the API's under its prefix.
pub async fn unmatched(uri: axum::http::Uri) -> Response {
    let mut response = AppError::NotFound.into_response();
    if uri.path().starts_with(crate::api::MOUNT) {
        response.extensions_mut().insert(ErrorFormat::Json);
    }
    response
}

/// Handlers return the error; [`render_errors`] turns it into a page or
/// JSON, knowing the request's language and whether it came to the API.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorDetail {
    /// The HTTP status code.
    pub status: u16,
    /// A stable name: `unauthenticated`, `forbidden`, `not_found`, `invalid`, …
    pub code: String,
    /// A sentence for a person.
    pub message: String,
}

/// Renders every error response of the application in one place: errors
/// returned by handlers, extractor rejections (malformed forms, paths,
/// JSON) and the router's own 404 and 405.
pub async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let lang = i18n::from_parts(&parts);
    let path = parts.uri.path().to_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let cookies = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .cloned()
        .collect::<Vec<_>>();
    let response = next.run(Request::from_parts(parts, body)).await;
    // Machines get JSON and a plain 401, people a page and the login: the
    // router that answered said which (`ErrorFormat`).
    let is_api = response.extensions().get::<ErrorFormat>() == Some(&ErrorFormat::Json);

    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_rendered(&response) {
        return response;
    }
    let error = match response.extensions().get::<Arc<AppError>>() {
        Some(error) => error.clone(),
        None => Arc::new(error_from_plain_response(response, is_api).await),
    };
    if let AppError::Internal(detail) = error.as_ref() {
        tracing::error!(%path, %detail, "internal error");
    }
    if is_api {
        return api_error_response(&error);
    }
    if matches!(error.as_ref(), AppError::Unauthenticated) {
        let target = format!("/login?next={}", urlencoding::encode(&path_and_query));
        return Redirect::to(&target).into_response();
    }
    let status = error.status();
    let title = lang.text(&format!("error-title-{}", status.as_u16()), &[]);
    // The header still says who is signed in, also on a page the router
    // did not know (its fallback runs outside the session layer).
    let signed_in = crate::auth::signed_in_from_cookies(&state, &cookies).await;
    let context = minijinja::context! {
        status => status.as_u16(),
        title => title,
        message => error.message(lang),
    };
    let html = match Page::new(&state, lang, &path, signed_in.as_ref()).await {
        Ok(page) => page.render("error.html", context),
        Err(e) => Err(e),
    };
    let html = html.map(|h| h.0).unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not render the error page");
        format!("<!doctype html><title>{status}</title><p>{status}</p>")
    });
    let mut response = (status, Html(html)).into_response();
    add_retry_after(&mut response, &error);
    response
}

/// A handler that answers an error with a whole page or JSON of its own
/// (the login form with its message) has said all there is to say.
/// Whether a response is an answer of its own (a page, JSON, or a SOAP
/// fault of the citizen context's SOAP door), to pass through as it is.
fn is_rendered(response: &Response) -> bool {
    response.extensions().get::<Arc<AppError>>().is_none()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.starts_with("text/html")
                    || ct.starts_with("application/json")
                    || ct.starts_with("application/soap+xml")
            })
}

pub fn api_error_response(error: &AppError) -> Response {
    let status = error.status();
    let body = ApiErrorBody {
        error: ApiErrorDetail {
            status: status.as_u16(),
            code: error.code().to_owned(),
            // The API speaks English, like its field names.
            message: error.api_message(),
        },
    };
    let mut response = (status, axum::Json(body)).into_response();
    if matches!(error, AppError::Unauthenticated) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    add_retry_after(&mut response, error);
    response
}

fn add_retry_after(response: &mut Response, error: &AppError) {
    if let AppError::TooManyAttempts { retry_after_secs } = error
        && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

/// Turns a response made outside our handlers (an extractor's rejection,
/// the router's 404/405, the body limit) into an [`AppError`], keeping the
/// rejection's own text as the detail.
async fn error_from_plain_response(response: Response, is_api: bool) -> AppError {
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 8 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&body).trim().to_owned();
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        StatusCode::UNPROCESSABLE_ENTITY => AppError::Invalid(detail),
        // A path value of the wrong kind (`/opgaver/abc`): no such page
        // for a person; the API keeps its 400, which says which value.
        StatusCode::BAD_REQUEST if !is_api && detail.starts_with("Invalid URL") => {
            AppError::NotFound
        }
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
        StatusCode::FORBIDDEN => AppError::Forbidden(detail),
        s if s.is_client_error() => AppError::BadRequest(detail),
        _ => AppError::Internal(detail),
    }
}
