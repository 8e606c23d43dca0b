//! Authentication: sessions for people, bearer tokens for machines, the
//! login and logout forms, and CSRF protection for every form.
//!
//! This module is the only place that turns a verified credential into a
//! [`Principal`], and so the only source of the tenant scopes that the
//! storage layer asks for.

use axum::Form;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use samspil_auth::{
    digest, random_secret, secrets_match, verify_password, verify_password_against_nothing,
};
use samspil_domain::return_path::safe_return_path;
use samspil_domain::{Login, Principal, throttle};
use samspil_storage::{NewSession, User};
use serde::Deserialize;
use time::Duration;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login_throttle::{Admission, ClientAddress, count_attempt};
use crate::pages::Page;

/// How long a session lives after login, whatever happens in between.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
pub(crate) const LOGIN_CSRF_COOKIE: &str = "samspil_login_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
const CSRF_HEADER: &str = "x-csrf-token";
/// The largest body of an ordinary form (no file) the CSRF check reads: room
/// for the longest text a form field holds (a task's description, 50,000
/// characters, percent-encoded up to 12 bytes each), so that a text over
/// its field's limit reaches the handler and is refused at its field with
/// that limit, not as a body too large.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// The largest body of a file upload the CSRF check reads: well over a
/// context's largest file (coordination's attachments: 10 MB), so that a
/// file a little too large reaches the handler and is refused at the file
/// field of its page with the file limit; only a body far beyond it is
/// refused before.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// A person signed in through a session cookie.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub principal: Principal,
    pub user: User,
    pub csrf_token: String,
    /// The NSIS level of assurance the login carried (OIOSAML's `loa`:
    /// `Substantial` or `High`); `None` for a password login.
    pub level_of_assurance: Option<String>,
    session_hash: String,
}

/// A machine client (or person) calling the JSON API with a bearer token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub principal: Principal,
    pub user: User,
}

pub(crate) fn principal_for(user: &User) -> Principal {
    Principal::authenticated(user.id, &user.login, user.org_id, user.role, user.user_type)
}

/// Cookie names and attributes. Behind TLS the session cookie is `Secure`
/// and carries the `__Host-` prefix, which browsers only accept from a
/// secure origin for the whole host.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    pub fn session_cookie_name(self) -> &'static str {
        if self.secure {
            "__Host-samspil_session"
        } else {
            "samspil_session"
        }
    }

    /// The cookie of a login whose second factor is still owed; like the
    /// session cookie, `__Host-` behind TLS.
    pub fn pending_login_cookie_name(self) -> &'static str {
        if self.secure {
            "__Host-samspil_pending_login"
        } else {
            "samspil_pending_login"
        }
    }

    pub(crate) fn cookie(
        self,
        name: &'static str,
        value: String,
        same_site: SameSite,
    ) -> Cookie<'static> {
        Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(same_site)
            .build()
    }

    /// Browsers ignore a `__Host-` cookie, even a removal, without `Secure`.
    pub(crate) fn removal(self, name: &'static str) -> Cookie<'static> {
        Cookie::build((name, ""))
            .path("/")
            .secure(self.secure)
            .build()
    }
}

/// Finds the session behind the cookie, if any, for the pages' handlers.
pub async fn resolve_session(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(cookie) = jar.get(state.cookies.session_cookie_name()) {
        let session_hash = digest(cookie.value());
        match state.storage.session(&session_hash).await {
            Ok(Some((session, user))) => {
                request.extensions_mut().insert(SignedIn {
                    principal: principal_for(&user),
                    user,
                    csrf_token: session.csrf_token,
                    level_of_assurance: session.level_of_assurance,
                    session_hash,
                });
            }
            // An expired or unknown session is simply no session.
            Ok(None) => {}
            Err(error) => return AppError::from(error).into_response(),
        }
    }
    next.run(request).await
}

/// The person signed in by the session cookie among `cookies` (the
/// request's `Cookie` headers), for an error page rendered outside the
/// session layer; nobody when there is no such session or the database
/// cannot say.
pub(crate) async fn signed_in_from_cookies(
    state: &AppState,
    cookies: &[axum::http::HeaderValue],
) -> Option<SignedIn> {
    let mut headers = HeaderMap::new();
    for cookie in cookies {
        headers.append(header::COOKIE, cookie.clone());
    }
    let jar = CookieJar::from_headers(&headers);
    let cookie = jar.get(state.cookies.session_cookie_name())?;
    let session_hash = digest(cookie.value());
    let (session, user) = state.storage.session(&session_hash).await.ok()??;
    Some(SignedIn {
        principal: principal_for(&user),
        user,
        csrf_token: session.csrf_token,
        level_of_assurance: session.level_of_assurance,
        session_hash,
    })
}

/// Requires a valid bearer token on every API route behind it.
pub async fn require_bearer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer_token(request.headers()) else {
        return AppError::Unauthenticated.into_response();
    };
    match state.storage.user_by_api_token(&digest(token)).await {
        Ok(Some(user)) => {
            request.extensions_mut().insert(ApiCaller {
                principal: principal_for(&user),
                user,
            });
            next.run(request).await
        }
        Ok(None) => AppError::Unauthenticated.into_response(),
        Err(error) => AppError::from(error).into_response(),
    }
}

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for SignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<SignedIn>().cloned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ApiCaller>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Refuses any state-changing request to the pages whose CSRF token does
/// not match: the session's token when signed in, otherwise the login
/// form's cookie. The token comes in the form field `csrf_token` or the
/// `X-CSRF-Token` header. Applied to the whole page router, so a new form
/// is protected without anyone remembering to.
pub async fn verify_csrf(jar: CookieJar, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let expected = match request.extensions().get::<SignedIn>() {
        Some(signed_in) => Some(signed_in.csrf_token.clone()),
        None => jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned()),
    };
    let Some(expected) = expected else {
        return AppError::Csrf.into_response();
    };
    let header_token = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let boundary = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let limit = match boundary {
        Some(_) => MAX_UPLOAD_BYTES,
        None => MAX_FORM_BYTES,
    };
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return AppError::TooLarge.into_response(),
    };
    let provided = match (header_token, boundary) {
        (Some(token), _) => Some(token),
        (None, Some(boundary)) => multipart_csrf(bytes.clone(), boundary).await,
        (None, None) => url::form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == CSRF_FIELD)
            .map(|(_, value)| value.into_owned()),
    };
    match provided {
        Some(provided) if secrets_match(&provided, &expected) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        _ => AppError::Csrf.into_response(),
    }
}

/// The CSRF field of a file upload form (`multipart/form-data`).
async fn multipart_csrf(body: axum::body::Bytes, boundary: String) -> Option<String> {
    let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(body)));
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(CSRF_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_page(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let (jar, csrf_token) = login_csrf(&state, jar);
    let page = Page::new(&state, lang, "/login", None).await?;
    let html = page.render(
        "login.html",
        minijinja::context! {
            csrf_token,
            next => safe_return_path(query.next.as_deref()),
            login_value => "",
            federated_providers => crate::login_oidc::provider_links(&state),
        },
    )?;
    Ok((jar, html).into_response())
}

/// The login form's CSRF token lives in a cookie until there is a session.
pub(crate) fn login_csrf(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    match jar.get(LOGIN_CSRF_COOKIE) {
        Some(cookie) => {
            let token = cookie.value().to_owned();
            (jar, token)
        }
        None => {
            let token = random_secret();
            let cookie = state
                .cookies
                .cookie(LOGIN_CSRF_COOKIE, token.clone(), SameSite::Strict);
            (jar.add(cookie), token)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login_submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    address: ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let attempt = match count_attempt(&state, &throttle_key(&form.login), &address).await? {
        Admission::Counted(attempt) => attempt,
        Admission::Refused { wait, message } => {
            let seconds = wait.whole_seconds().max(1);
            let message = lang.text(message, &[("seconds", seconds.to_string())]);
            return login_refused(
                &state,
                lang,
                jar,
                &form,
                StatusCode::TOO_MANY_REQUESTS,
                message,
                Some(seconds),
            )
            .await;
        }
    };

    let credentials = match Login::parse(&form.login) {
        Ok(login) => state.storage.credentials(&login).await?,
        Err(_) => None,
    };
    let password = form.password.clone();
    let verified_user = tokio::task::spawn_blocking(move || match credentials {
        Some(credentials) => match (&credentials.password_hash, credentials.user.active) {
            (Some(hash), true) if verify_password(&password, hash) => Some(credentials.user),
            _ => None,
        },
        None => {
            verify_password_against_nothing(&password);
            None
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("password check failed: {e}")))?;

    let Some(user) = verified_user else {
        // Counted already: a wrong password writes nothing more.
        let wait = throttle::wait_after(attempt.failures);
        let message = if wait.is_zero() {
            lang.text("login-error-credentials", &[])
        } else {
            lang.text(
                "login-error-throttled-next",
                &[("seconds", wait.whole_seconds().to_string())],
            )
        };
        return login_refused(
            &state,
            lang,
            jar,
            &form,
            StatusCode::UNAUTHORIZED,
            message,
            None,
        )
        .await;
    };

    crate::second_factor::after_password(&state, jar, &user, attempt, form.next.as_deref()).await
}

/// The key the login throttle counts under: the login as typed, normalised
/// and bounded, so that unknown logins are slowed down exactly like known
/// ones. The second factor's step counts under the same key.
pub(crate) fn throttle_key(typed_login: &str) -> String {
    typed_login.trim().to_lowercase().chars().take(64).collect()
}

/// The last step of every way in (password, identity provider): a new
/// session for a person whose identity is fully established, and a
/// redirect to where they were going.
pub(crate) async fn start_session(
    state: &AppState,
    jar: CookieJar,
    user: &User,
    next: Option<&str>,
    level_of_assurance: Option<&str>,
) -> Result<Response, AppError> {
    // Where to go is settled before anything is written: whatever `next`
    // holds, the answer is a redirect, never an error after the session row.
    let target = safe_return_path(next);
    // A new random session id at every login: a session id planted before
    // login (fixation) is never promoted.
    let session_id = random_secret();
    let principal = principal_for(user);
    state
        .storage
        .create_session(
            &NewSession {
                id_hash: digest(&session_id),
                user_id: user.id,
                csrf_token: random_secret(),
                expires_at: samspil_storage::now() + SESSION_LIFETIME,
                level_of_assurance: level_of_assurance.map(str::to_owned),
            },
            &principal.actor(),
        )
        .await?;
    tracing::info!(login = %user.login, "signed in");
    let session_cookie = state.cookies.cookie(
        state.cookies.session_cookie_name(),
        session_id,
        SameSite::Lax,
    );
    let jar = jar
        .add(session_cookie)
        .remove(state.cookies.removal(LOGIN_CSRF_COOKIE))
        .remove(
            state
                .cookies
                .removal(state.cookies.pending_login_cookie_name()),
        );
    Ok((jar, Redirect::to(target)).into_response())
}

async fn login_refused(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    form: &LoginForm,
    status: StatusCode,
    message: String,
    retry_after_secs: Option<i64>,
) -> Result<Response, AppError> {
    let (jar, csrf_token) = login_csrf(state, jar);
    let page = Page::new(state, lang, "/login", None).await?;
    let html = page.render(
        "login.html",
        minijinja::context! {
            csrf_token,
            next => safe_return_path(form.next.as_deref()),
            login_value => form.login.trim(),
            error => message,
            federated_providers => crate::login_oidc::provider_links(state),
        },
    )?;
    Ok(with_retry_after(
        (status, jar, html).into_response(),
        retry_after_secs,
    ))
}

pub(crate) fn with_retry_after(mut response: Response, retry_after_secs: Option<i64>) -> Response {
    if let Some(seconds) = retry_after_secs
        && let Ok(value) = seconds.to_string().parse()
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The login form again, empty, with a sentence saying why (e.g. a
/// pending login that expired).
pub(crate) async fn login_again(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    status: StatusCode,
    message: String,
) -> Result<Response, AppError> {
    let form = LoginForm {
        login: String::new(),
        password: String::new(),
        next: None,
    };
    login_refused(state, lang, jar, &form, status, message, None).await
}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    signed_in: Option<SignedIn>,
) -> Result<Response, AppError> {
    if let Some(signed_in) = signed_in {
        state
            .storage
            .delete_session(&signed_in.session_hash, &signed_in.principal.actor())
            .await?;
        tracing::info!(login = %signed_in.user.login, "signed out");
    }
    let jar = jar.remove(state.cookies.removal(state.cookies.session_cookie_name()));
    Ok((jar, Redirect::to("/login")).into_response())
}

/// The password login and logging out.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/login", login_page),
        PageRoute::post("/login", login_submit),
        PageRoute::post("/logout", logout),
    ]
}
