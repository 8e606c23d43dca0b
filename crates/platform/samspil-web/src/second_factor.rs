//! The second factor (TOTP) of local accounts: the step between the right
//! password and the session (a code, or enrolment for those who must have
//! one), and the account page where people add or remove theirs.
//!
//! Between the two steps the browser holds only a pending-login cookie: a
//! random id whose SHA-256 keys a `pending_logins` row for five minutes.
//! It is no session (nothing but these handlers reads it), and it is bound
//! to the browser that typed the password, since only that browser has it.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use qrcode::QrCode;
use qrcode::render::svg;
use samspil_auth::totp::{self, CodeCheck};
use samspil_auth::{digest, random_secret};
use samspil_domain::return_path::safe_return_path;
use samspil_domain::second_factor::{
    AfterPassword, PENDING_LOGIN_LIFETIME, may_remove_second_factor, second_factor_required,
};
use samspil_domain::throttle;
use samspil_storage::{NewPendingLogin, PendingLogin, User};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{
    SignedIn, login_again, login_csrf, principal_for, start_session, throttle_key, with_retry_after,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login_throttle::{Admission, ClientAddress, CountedAttempt, count_attempt};
use crate::pages::Page;

/// The issuer authenticator apps show next to the account.
const ISSUER: &str = "samspil";
const CODE_PATH: &str = "/login/kode";
const ACCOUNT_PATH: &str = "/konto/sikkerhed";

/// After a verified password: a session at once, or a pending login and
/// the code (or enrolment) page.
pub(crate) async fn after_password(
    state: &AppState,
    jar: CookieJar,
    user: &User,
    attempt: CountedAttempt,
    next: Option<&str>,
) -> Result<Response, AppError> {
    let enrolled = state.storage.totp_enrolment(user.id).await?.is_some();
    let step = samspil_domain::second_factor::after_password(user.role, enrolled);
    if step == AfterPassword::StartSession {
        attempt.succeeded(state).await?;
        return start_session(state, jar, user, next, None).await;
    }
    attempt.take_back(state).await?;
    let id = random_secret();
    state
        .storage
        .create_pending_login(&NewPendingLogin {
            id_hash: digest(&id),
            user_id: user.id,
            next_path: safe_return_path(next).to_owned(),
            enrolment_secret: (step == AfterPassword::Enrol).then(totp::new_secret),
            expires_at: samspil_storage::now() + PENDING_LOGIN_LIFETIME,
        })
        .await?;
    tracing::info!(login = %user.login, ?step, "password accepted, second factor owed");
    Ok((jar.add(pending_cookie(state, id)), Redirect::to(CODE_PATH)).into_response())
}

fn pending_cookie(state: &AppState, id: String) -> Cookie<'static> {
    let mut cookie = state.cookies.cookie(
        state.cookies.pending_login_cookie_name(),
        id,
        SameSite::Strict,
    );
    cookie.set_max_age(PENDING_LOGIN_LIFETIME);
    cookie
}

/// The live pending login behind this browser's cookie, with its person.
async fn pending_login(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(PendingLogin, User)>, AppError> {
    let Some(cookie) = jar.get(state.cookies.pending_login_cookie_name()) else {
        return Ok(None);
    };
    let Some(pending) = state.storage.pending_login(&digest(cookie.value())).await? else {
        return Ok(None);
    };
    let user = state.storage.user(pending.user_id).await?;
    Ok(user.filter(|u| u.active).map(|user| (pending, user)))
}

/// The CSRF token of a page before the session: the login form's cookie,
/// or the session's if the browser has one already.
fn pre_session_csrf(
    state: &AppState,
    jar: CookieJar,
    signed_in: Option<&SignedIn>,
) -> (CookieJar, String) {
    match signed_in {
        Some(signed_in) => (jar, signed_in.csrf_token.clone()),
        None => login_csrf(state, jar),
    }
}

/// What the enrolment form shows: the QR code, the secret as text, and
/// the secret again in a hidden field where the page needs it back.
#[derive(serde::Serialize)]
struct SetupView {
    qr_svg: String,
    secret: String,
    secret_grouped: String,
    uri: String,
}

fn setup_view(login: &str, secret: &str) -> Result<SetupView, AppError> {
    let uri = totp::otpauth_uri(ISSUER, login, secret);
    Ok(SetupView {
        qr_svg: qr_svg(&uri)?,
        secret: secret.to_owned(),
        secret_grouped: secret
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        uri,
    })
}

/// The URI as an SVG QR code, decorative inside the page's labelled
/// figure; presentation attributes only, as the CSP forbids inline styles.
fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = QrCode::new(uri.as_bytes())
        .map_err(|e| AppError::Internal(format!("QR code of the enrolment URI: {e}")))?;
    let rendered = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = rendered
        .find("<svg")
        .ok_or_else(|| AppError::Internal("the QR renderer made no <svg>".into()))?;
    Ok(rendered[start..].replacen(
        "<svg",
        "<svg aria-hidden=\"true\" focusable=\"false\" class=\"totp-qr-image\"",
        1,
    ))
}

#[derive(Default)]
struct Refusal {
    status: Option<StatusCode>,
    message: Option<String>,
    retry_after_secs: Option<i64>,
}

async fn render_code_page(
    state: &AppState,
    lang: Lang,
    jar: CookieJar,
    signed_in: Option<&SignedIn>,
    pending: &PendingLogin,
    user: &User,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let (jar, csrf_token) = pre_session_csrf(state, jar, signed_in);
    let page = Page::new(state, lang, CODE_PATH, None).await?;
    let html = match &pending.enrolment_secret {
        Some(secret) => page.render(
            "login_enrol.html",
            minijinja::context! {
                csrf_token,
                setup => setup_view(user.login.as_str(), secret)?,
                error => refusal.message,
            },
        )?,
        None => page.render(
            "login_code.html",
            minijinja::context! { csrf_token, error => refusal.message },
        )?,
    };
    let status = refusal.status.unwrap_or(StatusCode::OK);
    Ok(with_retry_after(
        (status, jar, html).into_response(),
        refusal.retry_after_secs,
    ))
}

pub async fn code_page(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    signed_in: Option<SignedIn>,
) -> Result<Response, AppError> {
    let Some((pending, user)) = pending_login(&state, &jar).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    render_code_page(
        &state,
        lang,
        jar,
        signed_in.as_ref(),
        &pending,
        &user,
        Refusal::default(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The refusal of an attempt the throttle did not let through.
fn throttled(lang: Lang, wait: time::Duration, message: &str) -> Refusal {
    let seconds = wait.whole_seconds().max(1);
    Refusal {
        status: Some(StatusCode::TOO_MANY_REQUESTS),
        message: Some(lang.text(message, &[("seconds", seconds.to_string())])),
        retry_after_secs: Some(seconds),
    }
}

/// Says why a code was refused; it was counted like a wrong password
/// before it was checked.
fn wrong_code(
    lang: Lang,
    attempt: CountedAttempt,
    check: CodeCheck,
    status: StatusCode,
) -> Refusal {
    let wait = throttle::wait_after(attempt.failures);
    let message = if !wait.is_zero() {
        lang.text(
            "login-error-throttled-next",
            &[("seconds", wait.whole_seconds().to_string())],
        )
    } else {
        match check {
            CodeCheck::AlreadyUsed => lang.text("totp-error-used", &[]),
            CodeCheck::Malformed => lang.text("totp-error-malformed", &[]),
            _ => lang.text("totp-error-wrong", &[]),
        }
    };
    Refusal {
        status: Some(status),
        message: Some(message),
        retry_after_secs: None,
    }
}

pub async fn code_submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    signed_in: Option<SignedIn>,
    address: ClientAddress,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some((pending, user)) = pending_login(&state, &jar).await? else {
        let message = lang.text("totp-error-expired", &[]);
        return login_again(&state, lang, jar, StatusCode::UNAUTHORIZED, message).await;
    };
    let (secret, last_step) = match &pending.enrolment_secret {
        Some(offered) => (offered.clone(), None),
        None => match state.storage.totp_enrolment(user.id).await? {
            Some(enrolment) => (enrolment.secret, enrolment.last_step),
            // Removed by the operator since the password: start over.
            None => {
                let message = lang.text("totp-error-expired", &[]);
                return login_again(&state, lang, jar, StatusCode::UNAUTHORIZED, message).await;
            }
        },
    };
    let key = throttle_key(user.login.as_str());
    let attempt = match count_attempt(&state, &key, &address).await? {
        Admission::Counted(attempt) => attempt,
        Admission::Refused { wait, message } => {
            let refusal = throttled(lang, wait, message);
            return render_code_page(
                &state,
                lang,
                jar,
                signed_in.as_ref(),
                &pending,
                &user,
                refusal,
            )
            .await;
        }
    };
    let now = samspil_storage::now().unix_timestamp();
    let check = match totp::check_code(&secret, &form.code, now, last_step) {
        CodeCheck::Accepted { step } => {
            let actor = principal_for(&user).actor();
            if state
                .storage
                .complete_pending_login(&pending.id_hash, &secret, step, &actor)
                .await?
            {
                attempt.succeeded(&state).await?;
                return start_session(&state, jar, &user, Some(&pending.next_path), None).await;
            }
            // Another request used this step (or this login) first.
            CodeCheck::AlreadyUsed
        }
        other => other,
    };
    tracing::info!(login = %user.login, ?check, "second factor refused");
    let refusal = wrong_code(lang, attempt, check, StatusCode::UNAUTHORIZED);
    render_code_page(
        &state,
        lang,
        jar,
        signed_in.as_ref(),
        &pending,
        &user,
        refusal,
    )
    .await
}

// ---- The account page: add or remove one's own second factor ----

#[derive(Debug, Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

/// Whether the person logs in with a password here (a local account);
/// people of an identity provider have no second factor of ours.
async fn is_local(state: &AppState, user: &User) -> Result<bool, AppError> {
    Ok(state
        .storage
        .credentials(&user.login)
        .await?
        .is_some_and(|c| c.password_hash.is_some()))
}

async fn render_account_page(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    offered_secret: Option<String>,
    done: Option<&str>,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    let local = is_local(state, user).await?;
    let enrolled = state.storage.totp_enrolment(user.id).await?.is_some();
    let setup = match (local, enrolled) {
        (true, false) => {
            let secret = offered_secret.unwrap_or_else(totp::new_secret);
            Some(setup_view(user.login.as_str(), &secret)?)
        }
        _ => None,
    };
    let page = Page::new(state, lang, ACCOUNT_PATH, Some(signed_in)).await?;
    let html = page.render(
        "account_security.html",
        minijinja::context! {
            local,
            enrolled,
            required => second_factor_required(user.role),
            may_remove => may_remove_second_factor(user.role),
            setup,
            done => done.filter(|d| matches!(*d, "enrolled" | "removed")),
            form_error => refusal.message,
        },
    )?;
    let status = refusal.status.unwrap_or(StatusCode::OK);
    Ok(with_retry_after(
        (status, html).into_response(),
        refusal.retry_after_secs,
    ))
}

pub async fn account_page(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<AccountQuery>,
) -> Result<Response, AppError> {
    render_account_page(
        &state,
        lang,
        &signed_in,
        None,
        query.done.as_deref(),
        Refusal::default(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

pub async fn account_enrol(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    address: ClientAddress,
    Form(form): Form<EnrolForm>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    if !is_local(&state, user).await? {
        return Err(AppError::Forbidden(
            "people who log in through their identity provider have no second factor here".into(),
        ));
    }
    // The secret comes back from the page that showed it; anything else
    // than a fresh-sized base32 secret was not made by samspil.
    let secret = form.secret.trim().to_owned();
    if totp::base32_decode(&secret).map(|key| key.len()) != Some(totp::SECRET_BYTES) {
        return Err(AppError::BadRequest(
            "the enrolment secret is malformed".into(),
        ));
    }
    let key = throttle_key(user.login.as_str());
    let attempt = match count_attempt(&state, &key, &address).await? {
        Admission::Counted(attempt) => attempt,
        Admission::Refused { wait, message } => {
            let refusal = throttled(lang, wait, message);
            return render_account_page(&state, lang, &signed_in, Some(secret), None, refusal)
                .await;
        }
    };
    let now = samspil_storage::now().unix_timestamp();
    let check = totp::check_code(&secret, &form.code, now, None);
    let CodeCheck::Accepted { step } = check else {
        let refusal = wrong_code(lang, attempt, check, StatusCode::UNPROCESSABLE_ENTITY);
        return render_account_page(&state, lang, &signed_in, Some(secret), None, refusal).await;
    };
    match state
        .storage
        .enrol_totp(user.id, &secret, Some(step), &signed_in.principal.actor())
        .await
    {
        Ok(()) => {}
        Err(samspil_storage::StorageError::Conflict(_)) => {
            attempt.take_back(&state).await?;
            let refusal = Refusal {
                status: Some(StatusCode::CONFLICT),
                message: Some(lang.text("totp-error-enrolled-already", &[])),
                retry_after_secs: None,
            };
            return render_account_page(&state, lang, &signed_in, None, None, refusal).await;
        }
        Err(other) => return Err(other.into()),
    }
    attempt.succeeded(&state).await?;
    tracing::info!(login = %user.login, "second factor enrolled");
    Ok(Redirect::to(&format!("{ACCOUNT_PATH}?done=enrolled")).into_response())
}

pub async fn account_remove(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    address: ClientAddress,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let user = &signed_in.user;
    if !may_remove_second_factor(user.role) {
        return Err(AppError::Forbidden(
            "community staff must keep their second factor".into(),
        ));
    }
    let Some(enrolment) = state.storage.totp_enrolment(user.id).await? else {
        return Ok(Redirect::to(ACCOUNT_PATH).into_response());
    };
    let key = throttle_key(user.login.as_str());
    let attempt = match count_attempt(&state, &key, &address).await? {
        Admission::Counted(attempt) => attempt,
        Admission::Refused { wait, message } => {
            let refusal = throttled(lang, wait, message);
            return render_account_page(&state, lang, &signed_in, None, None, refusal).await;
        }
    };
    let now = samspil_storage::now().unix_timestamp();
    let check = match totp::check_code(&enrolment.secret, &form.code, now, enrolment.last_step) {
        CodeCheck::Accepted { step } => {
            if state
                .storage
                .remove_totp(
                    user.id,
                    Some((&enrolment.secret, step)),
                    &signed_in.principal.actor(),
                )
                .await?
            {
                attempt.succeeded(&state).await?;
                tracing::info!(login = %user.login, "second factor removed");
                return Ok(Redirect::to(&format!("{ACCOUNT_PATH}?done=removed")).into_response());
            }
            CodeCheck::AlreadyUsed
        }
        other => other,
    };
    let refusal = wrong_code(lang, attempt, check, StatusCode::UNPROCESSABLE_ENTITY);
    render_account_page(&state, lang, &signed_in, None, None, refusal).await
}

/// The code step of a login and one's own second factor.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/login/kode", code_page),
        PageRoute::post("/login/kode", code_submit),
        PageRoute::get("/konto/sikkerhed", account_page),
        PageRoute::post("/konto/sikkerhed/tilmeld", account_enrol),
        PageRoute::post("/konto/sikkerhed/fjern", account_remove),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_inline_svg_without_styles() {
        let svg = qr_svg(&totp::otpauth_uri(ISSUER, "staff", "JBSWY3DPEHPK3PXP")).expect("svg");
        assert!(svg.starts_with("<svg aria-hidden=\"true\""), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("style"), "{svg}");
        assert!(!svg.contains("<?xml"), "{svg}");
    }

    #[test]
    fn the_secret_is_shown_in_groups_of_four() {
        let view = setup_view("staff", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").expect("view");
        assert_eq!(
            view.secret_grouped,
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
        );
        assert!(
            view.uri
                .starts_with("otpauth://totp/samspil:staff?secret=JBSW")
        );
    }
}
