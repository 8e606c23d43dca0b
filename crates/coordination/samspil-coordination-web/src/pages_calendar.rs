//! A person's task deadlines as a calendar feed (iCalendar) under a secret
//! address, so they show in Outlook: made, shown and revoked on
//! `/konto/kalender`; read at `/kalender/{secret}.ics` without a session
//! (a calendar program has none), by whoever holds the address. Only the
//! secret's SHA-256 is kept; a revoked address answers 404.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use samspil_coordination::calendar::{DeadlineEvent, deadline_calendar};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::format_instant;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use serde::Deserialize;

use crate::CoordinationState;

const PAGE_PATH: &str = "/konto/kalender";

/// The secret in a feed's address is 43 URL-safe characters.
fn secret_of(file: &str) -> Option<&str> {
    let secret = file.strip_suffix(".ics")?;
    (secret.len() == 43
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(secret)
}

/// The address a calendar program is given: this site as the person
/// reached it.
fn feed_url(state: &CoordinationState, headers: &HeaderMap, secret: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.behind_tls() { "https" } else { "http" };
    format!("{scheme}://{host}/kalender/{secret}.ics")
}

#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    done: Option<String>,
}

async fn render(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    new_url: Option<String>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.read_access(signed_in.user.org_id)?;
    let feed = state.storage.calendar_feed(&access).await?;
    let page = Page::new(state, lang, PAGE_PATH, Some(signed_in)).await?;
    let html = page.render(
        "calendar_feed.html",
        minijinja::context! {
            has_feed => feed.is_some(),
            created_at => feed.as_ref().map(|f| format_instant(lang, f.created_at)),
            last_read_at => feed.as_ref().and_then(|f| f.last_read_at).map(|at| format_instant(lang, at)),
            new_url,
            done,
            is_staff => signed_in.principal.is_staff(),
        },
    )?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], html).into_response())
}

/// `/konto/kalender`: whether one has a feed, and the forms to make or end it.
pub async fn calendar_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let done = match query.done.as_deref() {
        Some("revoked") => Some("revoked"),
        _ => None,
    };
    render(&state, lang, &signed_in, None, done).await
}

#[derive(Debug, Deserialize)]
pub struct CalendarForm {
    #[allow(dead_code)]
    csrf_token: Option<String>,
}

/// A new address (an earlier one stops working); shown in this answer only.
pub async fn calendar_create(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    headers: HeaderMap,
    Form(_form): Form<CalendarForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.read_access(signed_in.user.org_id)?;
    let secret = samspil_auth::random_secret();
    state
        .storage
        .create_calendar_feed(&access, &samspil_auth::digest(&secret))
        .await?;
    let url = feed_url(&state, &headers, &secret);
    render(&state, lang, &signed_in, Some(url), Some("created")).await
}

/// Ends the address: calendars reading it get 404 from now on.
pub async fn calendar_revoke(
    State(state): State<CoordinationState>,
    signed_in: SignedIn,
    Form(_form): Form<CalendarForm>,
) -> Result<Redirect, AppError> {
    let access = signed_in.principal.read_access(signed_in.user.org_id)?;
    state.storage.revoke_calendar_feed(&access).await?;
    Ok(Redirect::to(&format!("{PAGE_PATH}?done=revoked")))
}

/// `/kalender/{secret}.ics`: the feed, for a calendar program; in the
/// language of the request (Danish unless its cookie says otherwise).
pub async fn calendar_feed(
    State(state): State<CoordinationState>,
    lang: Lang,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let secret = secret_of(&file).ok_or(AppError::NotFound)?;
    let feed = state
        .storage
        .calendar_deadlines(&samspil_auth::digest(secret))
        .await?
        .ok_or(AppError::NotFound)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let scheme = if state.behind_tls() { "https" } else { "http" };
    let events: Vec<DeadlineEvent> = feed
        .deadlines
        .iter()
        .map(|d| {
            let title = match &d.code {
                Some(code) => format!("{code} {}", d.title),
                None => d.title.clone(),
            };
            let mut description =
                vec![lang.text("calendar-event-project", &[("project", d.project.clone())])];
            if let Some(status) = d.status {
                description.push(lang.text(
                    "calendar-event-status",
                    &[(
                        "status",
                        lang.text(&format!("task-status-{}", status.as_str()), &[]),
                    )],
                ));
            }
            if d.given_to_me {
                description.push(lang.text("calendar-event-given-to-me", &[]));
            }
            DeadlineEvent {
                uid: format!("task-{}@samspil", d.task_id.0),
                date: d.end,
                summary: lang.text("calendar-event-summary", &[("title", title)]),
                description: description.join("\n"),
                url: host
                    .as_ref()
                    .map(|h| format!("{scheme}://{h}/opgaver/{}", d.task_id.0)),
            }
        })
        .collect();
    let name = lang.text(
        "calendar-name",
        &[
            ("person", feed.person.clone()),
            ("organisation", feed.organisation.clone()),
        ],
    );
    let body = deadline_calendar(&name, samspil_storage::now(), &events);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"opgavefrister.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get(PAGE_PATH, calendar_page),
        PageRoute::post(PAGE_PATH, calendar_create),
        PageRoute::post("/konto/kalender/tilbagekald", calendar_revoke),
        PageRoute::get("/kalender/{file}", calendar_feed),
    ]
}

#[cfg(test)]
mod tests {
    use super::secret_of;

    #[test]
    fn only_a_secret_of_the_right_shape_is_looked_up() {
        let secret = "a".repeat(43);
        assert_eq!(secret_of(&format!("{secret}.ics")), Some(secret.as_str()));
        assert_eq!(secret_of(&secret), None);
        assert_eq!(secret_of("kort.ics"), None);
        assert_eq!(secret_of(&format!("{}.ics", "æ".repeat(22))), None);
    }
}
