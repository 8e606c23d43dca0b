//! A task force's status page (`/vaerktoejer/haendelser/{id}/statusside`):
//! what the community called it for, who is in it, its shared log and, once
//! closed, its summary — for its members and community staff only. The
//! invitation each member gets through the outbox points here.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samspil_tools::incident::IncidentId;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;

use crate::incidents::{Parties, shown, viewer};
use crate::{MOUNT, ToolsState};

/// `GET /vaerktoejer/haendelser/{id}/statusside`.
pub async fn status(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let parties = Parties::load(&state).await?;
    let found = match state.storage.incident(IncidentId(id)).await {
        Ok(found) => found,
        Err(samspil_storage::StorageError::NotFound(_)) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let force = found.task_force().ok_or(AppError::NotFound)?;
    let member = viewer(&parties, &signed_in.principal)
        .is_some_and(|v| v.party.is_community() || force.is_member(v.party.id));
    if !(member || signed_in.principal.is_staff()) {
        return Err(AppError::NotFound);
    }
    let members: Vec<String> = force.members().iter().map(|m| parties.name(*m)).collect();
    let log: Vec<_> = force
        .log()
        .iter()
        .map(|e| {
            minijinja::context! { at => shown(e.at), by => parties.name(e.by), text => e.text }
        })
        .collect();
    let summary = force
        .summary()
        .map(|e| minijinja::context! { at => shown(e.at), text => e.text });
    let page = Page::new(
        &state,
        lang,
        &format!("{MOUNT}/haendelser/{id}/statusside"),
        Some(&signed_in),
    )
    .await?;
    Ok(page
        .render(
            "incident_task_force.html",
            minijinja::context! {
                nav_active => "incidents", id, solution => found.report().solution().0,
                state => found.state().code(), open => force.is_open(),
                called => shown(force.called_at), called_by => parties.name(force.called_by),
                owner => parties.name(found.owner()), members, log, summary,
            },
        )?
        .into_response())
}

/// The status page's route (under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![PageRoute::get("/haendelser/{id}/statusside", status)]
}
