//! Programme-manager meetings in the JSON API (tag `meetings`): the
//! meetings, one with its agenda and materials, the caller's own
//! registration (made and cancelled: a person registers only themselves)
//! and a meeting's attendance summary with the municipalities that were
//! not there.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samspil_coordination::meeting::{ItemKind, MaterialKind, MaterialSource};
use samspil_coordination_storage::{MeetingId, MeetingRecord};
use serde::Serialize;
use utoipa::ToSchema;

use crate::CoordinationState;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemView {
    pub title: String,
    pub presenter: Option<String>,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// The fixed item of the month's operational messages.
    pub service_messages: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialView {
    pub title: String,
    /// `slides`, `recording` or `other`.
    pub kind: String,
    pub link: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i64,
    /// `meeting` or `workshop`.
    pub kind: String,
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub link: String,
    pub description: String,
    pub seats: Option<u32>,
    pub registered: u32,
    /// Whether the caller is registered.
    pub registered_me: bool,
    pub agenda: Vec<AgendaItemView>,
    pub materials: Vec<MaterialView>,
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn meeting_view(record: &MeetingRecord, registered_me: bool) -> MeetingView {
    let m = &record.meeting;
    MeetingView {
        id: record.id.0,
        kind: record.kind.as_str().to_owned(),
        title: m.title().to_owned(),
        starts_at: rfc3339(m.starts_at()),
        ends_at: rfc3339(m.ends_at()),
        link: m.link().to_owned(),
        description: m.description().to_owned(),
        seats: record.seats,
        registered: record.registered,
        registered_me,
        agenda: m
            .agenda()
            .iter()
            .map(|i| AgendaItemView {
                title: i.title.clone(),
                presenter: i.presenter.clone(),
                starts_at: rfc3339(i.starts_at),
                ends_at: rfc3339(i.ends_at),
                service_messages: i.kind == ItemKind::ServiceMessages,
            })
            .collect(),
        materials: m
            .materials()
            .iter()
            .map(|x| MaterialView {
                title: x.title.clone(),
                kind: match x.kind {
                    MaterialKind::Slides => "slides",
                    MaterialKind::Recording => "recording",
                    MaterialKind::Other => "other",
                }
                .to_owned(),
                link: match &x.source {
                    MaterialSource::Link(l) => Some(l.clone()),
                    MaterialSource::File(_) => None,
                },
            })
            .collect(),
    }
}

/// The meetings, by start.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings",
    responses((status = 200, body = [MeetingView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn list_meetings(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<MeetingView>>, AppError> {
    let mut views = Vec::new();
    for record in state.storage.meetings().await? {
        let mine = state
            .storage
            .is_registered(caller.user.id, record.id)
            .await?;
        views.push(meeting_view(&record, mine));
    }
    Ok(Json(views))
}

/// A meeting with its agenda and materials.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = MeetingView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_meeting(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<MeetingView>, AppError> {
    let record = state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = state
        .storage
        .is_registered(caller.user.id, record.id)
        .await?;
    Ok(Json(meeting_view(&record, mine)))
}

/// Register the caller (open until the meeting starts, within the seats).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/registration", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 204), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn register(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state
        .storage
        .register(&caller.principal, MeetingId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel the caller's own registration before the meeting starts.
#[utoipa::path(delete, path = "/api/v1/meetings/{id}/registration", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 204), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn cancel_registration(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state
        .storage
        .cancel_registration(&caller.principal, MeetingId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbsentView {
    pub code: u16,
    pub name: String,
}

/// "59 kommuner (75 deltagere)": distinct municipalities and their
/// distinct participants; `others` came from no municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceView {
    pub recorded: bool,
    pub municipalities: usize,
    pub participants: usize,
    pub others: usize,
    pub absent: Vec<AbsentView>,
}

/// A meeting's attendance summary and the municipalities not there.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = AttendanceView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn attendance(
    State(state): State<CoordinationState>,
    _caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<AttendanceView>, AppError> {
    let report = state.storage.attendance(MeetingId(id)).await?;
    Ok(Json(AttendanceView {
        recorded: report.recorded(),
        municipalities: report.summary.municipalities,
        participants: report.summary.participants,
        others: report.summary.others,
        absent: report
            .absent
            .into_iter()
            .map(|a| AbsentView {
                code: a.code.get(),
                name: a.name,
            })
            .collect(),
    }))
}
