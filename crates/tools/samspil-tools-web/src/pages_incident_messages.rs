//! The community's two ways of widening an incident beyond its chain
//! (issue 19): a **task force** of several invited parties at once
//! (`POST /vaerktoejer/haendelser/{id}/taskforce`, one checkbox per party,
//! no multi-select), and an **operational message** ("Servicemeddelelse:
//! nedbrud, fejl og fejlrettelser",
//! `POST /vaerktoejer/haendelser/{id}/driftsmeddelelse`) to the holders of
//! the affected solution's roles, sent through coordination's messages and
//! listed on the incident. Both are the community's only; a refusal shows
//! the incident again with the message at the field.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samspil_domain::{OrgId, ValidationError};
use samspil_storage::StorageError;
use samspil_tools_storage::{IncidentChange, SentOperationalMessage};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal};
use samspil_web::i18n::Lang;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::ToolsState;
use crate::incidents::{Parties, shown, viewer_or_refuse, visible};
use crate::pages_incidents::{PREFIX, apply_change, path, refuse, unread};

/// The form's name (its fields' ids are `operational-subject`, …).
const OPERATIONAL_FORM: &str = "operational";

/// `POST /vaerktoejer/haendelser/{id}/taskforce`: the community calls a
/// task force with the parties it ticked (`invited`, one box each: a list
/// the form reader reads from what was sent, as the meetings' roles).
pub async fn call_task_force(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let invited = typed
        .all("invited")
        .iter()
        .filter_map(|party| party.trim().parse().ok().map(OrgId))
        .collect();
    let change = Ok(IncidentChange::CallTaskForce { invited });
    apply_change(&state, lang, &signed_in, id, "taskforce", typed, change).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationalForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

/// `POST /vaerktoejer/haendelser/{id}/driftsmeddelelse`.
pub async fn send_operational(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    form: PageForm<OperationalForm>,
) -> Result<Response, AppError> {
    let (input, typed, refused) = unread(lang, OPERATIONAL_FORM, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &signed_in.principal)?;
    if !viewer.party.is_community() {
        return Err(AppError::Forbidden(
            "only the community sends operational messages".into(),
        ));
    }
    let found = visible(&state, &viewer.party, id).await?;
    let access = signed_in.principal.community_access()?;
    let sent = async {
        let input = input?;
        let sent = state
            .messages
            .send_operational(
                &access,
                found.report().solution(),
                &input.subject,
                &input.body,
            )
            .await
            .map_err(|error| match error {
                // The incident's solution is not a project of the role
                // gallery: there is no one to send to.
                StorageError::NotFound(_) => AppError::Rule(ValidationError::named(
                    "subject",
                    "incident-solution-unknown",
                    "the solution has no roles nor project in the role gallery",
                )),
                other => other.into(),
            })?;
        // Sent through coordination's store, recorded in the tools': two
        // stores, so not one transaction. The message is what counts; were
        // the record lost, the message stays in coordination's list.
        state
            .storage
            .record_operational_message(&access, found.id(), &sent)
            .await?;
        Ok::<_, AppError>(sent)
    }
    .await;
    match sent {
        Ok(_) => Ok(Redirect::to(&path(&format!("/{id}#driftsmeddelelser"))).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error, lang, PREFIX, OPERATIONAL_FORM, typed)?;
            refuse(&state, lang, &signed_in, id, refusal).await
        }
    }
}

/// An operational message as the incident page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct SentView {
    subject: String,
    audience: String,
    recipients: u64,
    sent_by: String,
    sent_at: String,
}

pub(crate) fn sent_view(sent: SentOperationalMessage) -> SentView {
    SentView {
        subject: sent.subject,
        audience: sent.audience,
        recipients: sent.recipients,
        sent_by: sent.sent_by,
        sent_at: shown(sent.sent_at),
    }
}

pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::post("/haendelser/{id}/taskforce", call_task_force),
        PageRoute::post("/haendelser/{id}/driftsmeddelelse", send_operational),
    ]
}
