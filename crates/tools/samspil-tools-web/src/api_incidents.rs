//! The incidents in the JSON API (tag `incidents`): the same storage calls
//! and views as the pages. A party's own desk system keeps its link up to
//! date over it with its bearer token (e-bonding, as TSANet's
//! collaboration requests: the receiver's case number, priority,
//! respond-by and state), finding its link by its own reference.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use samspil_domain::OrgId;
use samspil_tools::incident::{IncidentId, IntakeDraft, LinkId, Priority, SolutionCode};
use samspil_tools_storage::IncidentChange;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::ToolsState;
use crate::incidents::{
    IncidentView, Parties, PartyView, acting, action, forwarder, incident_view, party_view,
    viewer_or_refuse, visible,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentListItem {
    pub id: i64,
    pub owner: String,
    pub solution: String,
    pub state: String,
    pub opened_at: String,
}

/// The incidents the caller's organisation takes part in (every one for
/// the community).
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents",
    responses((status = 200, body = [IncidentListItem]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_incidents(
    State(state): State<ToolsState>,
    caller: ApiCaller,
) -> Result<Json<Vec<IncidentListItem>>, AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &caller.principal)?;
    Ok(Json(
        state
            .storage
            .incidents_for(viewer.party.id)
            .await?
            .into_iter()
            .map(|s| IncidentListItem {
                id: s.id.0,
                owner: parties.name(s.owner),
                solution: s.solution,
                state: s.state,
                opened_at: s
                    .opened_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub reporter_name: String,
    /// An e-mail address or phone number.
    pub reporter_contact: String,
    /// The reporter's municipality (an organisation id), if any.
    #[serde(default)]
    pub municipality: Option<i64>,
    /// The solution's code, one the desk serves.
    pub solution: String,
    /// RFC 3339; not after now.
    pub occurred_at: String,
    pub what_happened: String,
    /// CPR-free examples.
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub error_messages: Vec<String>,
    /// The user's priority on the desk's scale: 0 is the most urgent.
    pub user_priority: u8,
}

/// Opens an incident at the caller's service desk.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents",
    request_body = IncidentInput,
    responses((status = 201, body = IncidentView), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn open_incident(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<IncidentInput>,
) -> Result<(StatusCode, Json<IncidentView>), AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &caller.principal)?;
    let access = acting(&caller.principal, &viewer.party)?;
    let occurred_at = time::OffsetDateTime::parse(
        input.occurred_at.trim(),
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|_| {
        AppError::Rule(samspil_domain::ValidationError::new(
            "occurred_at",
            "not an RFC 3339 time",
        ))
    })?;
    let draft = IntakeDraft {
        reporter_name: input.reporter_name,
        reporter_contact: input.reporter_contact,
        municipality: input.municipality.map(OrgId),
        solution: SolutionCode::new(&input.solution),
        occurred_at,
        what_happened: input.what_happened,
        examples: input.examples,
        error_messages: input.error_messages,
        user_priority: Priority(input.user_priority),
    };
    let now = samspil_storage::now();
    let id = state.storage.open_incident(&access, &draft, now).await?;
    let found = state.storage.incident(id).await?;
    let view = incident_view(&parties, &viewer.party, &found, now).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// An incident as the caller's party sees it: its own links only.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_incident(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<IncidentView>, AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &caller.principal)?;
    let found = visible(&state, &viewer.party, id).await?;
    incident_view(&parties, &viewer.party, &found, samspil_storage::now())
        .map(Json)
        .ok_or(AppError::NotFound)
}

async fn apply(
    state: &ToolsState,
    caller: &ApiCaller,
    id: i64,
    change: IncidentChange,
) -> Result<Json<IncidentView>, AppError> {
    let parties = Parties::load(state).await?;
    let viewer = viewer_or_refuse(&parties, &caller.principal)?;
    visible(state, &viewer.party, id).await?;
    let access = acting(&caller.principal, &viewer.party)?;
    let now = samspil_storage::now();
    let changed = state
        .storage
        .change_incident(&access, IncidentId(id), &change, now)
        .await?;
    incident_view(&parties, &viewer.party, &changed, now)
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardInput {
    /// The link to forward further from (one the caller received and
    /// accepted); absent to forward from the incident as its owner.
    #[serde(default)]
    pub from_link: Option<u32>,
    /// The receiving party (an organisation id) the caller has an agreement with.
    pub receiver: i64,
}

/// Forwards the incident to the next party: a new link.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/links", tag = "incidents",
    params(("id" = i64, Path)), request_body = ForwardInput,
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn forward(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ForwardInput>,
) -> Result<Json<IncidentView>, AppError> {
    let change = IncidentChange::Forward {
        from: forwarder(input.from_link),
        receiver: OrgId(input.receiver),
    };
    apply(&state, &caller, id, change).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// accept, ask_for_information, provide_information, reject, resolve,
    /// reopen, close, withdraw, overrule or force_close.
    pub action: String,
    /// The question, answer or reason where the action needs one.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A move of a link by the table of transitions (who may make it, from
/// which states); anything else is refused with 422 and changes nothing.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/links/{link}/actions", tag = "incidents",
    params(("id" = i64, Path), ("link" = u32, Path)), request_body = ActionInput,
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn act(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path((id, link)): Path<(i64, u32)>,
    Json(input): Json<ActionInput>,
) -> Result<Json<IncidentView>, AppError> {
    let change = IncidentChange::Act {
        link: LinkId(link),
        action: action(&input.action)?,
        reason: input.reason,
    };
    apply(&state, &caller, id, change).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceInput {
    /// The receiver's own case number.
    pub reference: String,
}

/// The receiver records its own case number on its link.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/links/{link}/reference", tag = "incidents",
    params(("id" = i64, Path), ("link" = u32, Path)), request_body = ReferenceInput,
    responses((status = 200, body = IncidentView), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn set_reference(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path((id, link)): Path<(i64, u32)>,
    Json(input): Json<ReferenceInput>,
) -> Result<Json<IncidentView>, AppError> {
    let change = IncidentChange::SetReference {
        link: LinkId(link),
        reference: input.reference,
    };
    apply(&state, &caller, id, change).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReferenceQuery {
    /// The caller's own case number of the link.
    pub reference: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkRef {
    pub incident: i64,
    pub link: u32,
}

/// E-bonding: the caller's link by its own case number.
#[utoipa::path(get, path = "/api/v1/incident-links", tag = "incidents",
    params(ReferenceQuery),
    responses((status = 200, body = LinkRef), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn link_by_reference(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Query(query): Query<ReferenceQuery>,
) -> Result<Json<LinkRef>, AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &caller.principal)?;
    let (incident, link) = state
        .storage
        .link_by_reference(viewer.party.id, &query.reference)
        .await?;
    Ok(Json(LinkRef {
        incident: incident.0,
        link: link.0,
    }))
}

/// Every party of the chain.
#[utoipa::path(get, path = "/api/v1/incident-parties", tag = "incidents",
    responses((status = 200, body = [PartyView])))]
pub(crate) async fn list_parties(
    State(state): State<ToolsState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<PartyView>>, AppError> {
    let parties = state.storage.parties().await?;
    Ok(Json(parties.iter().map(party_view).collect()))
}

pub(crate) fn routes() -> OpenApiRouter<ToolsState> {
    OpenApiRouter::new()
        .routes(routes!(list_incidents, open_incident))
        .routes(routes!(get_incident))
        .routes(routes!(forward))
        .routes(routes!(act))
        .routes(routes!(set_reference))
        .routes(routes!(link_by_reference))
        .routes(routes!(list_parties))
}
