//! The account page of one's own API tokens (`/konto/api-noegler`): the
//! list (never a secret), a new token shown once, and revocation after a
//! confirmation. Every query is keyed by the signed-in person's id, so
//! nobody reaches another person's token; someone else's id is answered
//! like one that does not exist.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use samspil_domain::api_token::{DEFAULT_EXPIRY_DAYS, TokenState, expires_at, parse_expiry_days};
use samspil_storage::{ApiToken, NewApiToken};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::format::format_instant;
use crate::i18n::Lang;
use crate::pages::Page;

const TOKENS_PATH: &str = "/konto/api-noegler";

#[derive(Serialize)]
struct TokenView {
    id: i64,
    label: String,
    created_at: String,
    expires_at: Option<String>,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
    state: &'static str,
}

impl TokenView {
    fn new(lang: Lang, token: &ApiToken, now: time::OffsetDateTime) -> Self {
        let shown = |at: Option<time::OffsetDateTime>| at.map(|at| format_instant(lang, at));
        TokenView {
            id: token.id,
            label: token.label.clone(),
            created_at: format_instant(lang, token.created_at),
            expires_at: shown(token.expires_at),
            last_used_at: shown(token.last_used_at),
            revoked_at: shown(token.revoked_at),
            state: token.state(now).as_str(),
        }
    }
}

/// The new-token form as typed, shown again when it is refused.
#[derive(Debug, Deserialize, Serialize)]
pub struct NewTokenForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    expires_in_days: String,
}

/// What the page shows besides the list.
#[derive(Default)]
struct Outcome {
    done: Option<&'static str>,
    /// The secret of the token just made: in this answer only.
    new_token: Option<String>,
    form: Option<NewTokenForm>,
    form_error: Option<String>,
}

async fn render_tokens(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    outcome: Outcome,
) -> Result<axum::response::Html<String>, AppError> {
    let now = samspil_storage::now();
    let tokens: Vec<TokenView> = state
        .storage
        .api_tokens(signed_in.user.id)
        .await?
        .iter()
        .map(|token| TokenView::new(lang, token, now))
        .collect();
    let form = outcome.form.unwrap_or(NewTokenForm {
        label: String::new(),
        expires_in_days: DEFAULT_EXPIRY_DAYS.to_string(),
    });
    let page = Page::new(state, lang, TOKENS_PATH, Some(signed_in)).await?;
    page.render(
        "account_tokens.html",
        minijinja::context! {
            tokens,
            done => outcome.done,
            new_token => outcome.new_token,
            form,
            form_error => outcome.form_error,
            max_days => samspil_domain::api_token::MAX_EXPIRY_DAYS,
            max_label => samspil_domain::api_token::MAX_LABEL_CHARS,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct TokensQuery {
    done: Option<String>,
}

pub async fn tokens_page(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<TokensQuery>,
) -> Result<Response, AppError> {
    let done = match query.done.as_deref() {
        Some("revoked") => Some("revoked"),
        _ => None,
    };
    let outcome = Outcome {
        done,
        ..Outcome::default()
    };
    Ok(render_tokens(&state, lang, &signed_in, outcome)
        .await?
        .into_response())
}

/// A new token of one's own. It must expire (a person's token is easily
/// forgotten in a script); the operator's `samspil token create` may
/// issue one without an end. The secret is in this one answer, which no
/// cache keeps.
pub async fn token_create(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, AppError> {
    let issued = async {
        let days = parse_expiry_days(&form.expires_in_days)?;
        let token = samspil_auth::new_api_token();
        state
            .storage
            .create_api_token(
                &NewApiToken {
                    user_id: signed_in.user.id,
                    token_hash: samspil_auth::digest(&token),
                    label: form.label.clone(),
                    expires_at: Some(expires_at(samspil_storage::now(), days)?),
                },
                &signed_in.principal.actor(),
            )
            .await?;
        Ok(token)
    }
    .await;
    match AppError::form_outcome(issued, lang, "api-token-error")? {
        Ok(token) => {
            tracing::info!(login = %signed_in.user.login, "API token created on the account page");
            let html = render_tokens(
                &state,
                lang,
                &signed_in,
                Outcome {
                    new_token: Some(token),
                    ..Outcome::default()
                },
            )
            .await?;
            Ok(([(header::CACHE_CONTROL, "private, no-store")], html).into_response())
        }
        Err(message) => {
            let html = render_tokens(
                &state,
                lang,
                &signed_in,
                Outcome {
                    form: Some(form),
                    form_error: Some(message),
                    ..Outcome::default()
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// One's own token `id`; anyone else's is not found.
async fn own_token(state: &AppState, signed_in: &SignedIn, id: i64) -> Result<ApiToken, AppError> {
    state
        .storage
        .api_tokens(signed_in.user.id)
        .await?
        .into_iter()
        .find(|token| token.id == id)
        .ok_or(AppError::NotFound)
}

/// The confirmation before a token is revoked: which one, and what stops.
pub async fn revoke_confirm(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let token = own_token(&state, &signed_in, id).await?;
    let now = samspil_storage::now();
    if token.state(now) == TokenState::Revoked {
        return Ok(Redirect::to(TOKENS_PATH).into_response());
    }
    let page = Page::new(&state, lang, TOKENS_PATH, Some(&signed_in)).await?;
    Ok(page
        .render(
            "account_token_revoke.html",
            minijinja::context! { token => TokenView::new(lang, &token, now) },
        )?
        .into_response())
}

pub async fn revoke_submit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state
        .storage
        .revoke_api_token(id, Some(signed_in.user.id), &signed_in.principal.actor())
        .await?;
    tracing::info!(login = %signed_in.user.login, token = id, "API token revoked on the account page");
    Ok(Redirect::to(&format!("{TOKENS_PATH}?done=revoked")).into_response())
}

/// One's own API tokens.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/konto/api-noegler", tokens_page),
        PageRoute::post("/konto/api-noegler", token_create),
        PageRoute::get("/konto/api-noegler/{id}/tilbagekald", revoke_confirm),
        PageRoute::post("/konto/api-noegler/{id}/tilbagekald", revoke_submit),
    ]
}
