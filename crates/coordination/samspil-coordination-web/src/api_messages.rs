//! Messages and notifications in the JSON API: community messages with a
//! recipient count before sending and delivery totals after, the personal
//! inbox and notification settings, and a municipality's delivery log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samspil_coordination::notification::{
    Audience, Frequency, MessageCategory, MessageSpec, NotificationKind,
};
use samspil_coordination::role::RoleId;
use samspil_coordination::task::ProjectId;
use samspil_coordination_storage::{InboxItem, MessageSummary, RecipientCount};
use samspil_domain::{OrgId, OrgKind};
use samspil_storage::DeliveryRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::CoordinationState;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

/// Who a message goes to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AudienceInput {
    /// `everyone`, `project` (one id), `roles` or `municipalities` (ids).
    #[schema(example = "roles")]
    pub kind: String,
    #[serde(default)]
    pub ids: Vec<i64>,
}

/// An audience the form or body does not name clearly.
fn unknown_audience(problem: String) -> AppError {
    AppError::Rule(samspil_domain::ValidationError::named(
        "audience",
        "audience-unknown",
        problem,
    ))
}

impl AudienceInput {
    pub(crate) fn parse(&self) -> Result<Audience, AppError> {
        let audience = match self.kind.as_str() {
            "everyone" => Audience::Everyone,
            "project" => match self.ids.as_slice() {
                [id] => Audience::Project(ProjectId(*id)),
                _ => return Err(unknown_audience("audience: choose one project".to_owned())),
            },
            "roles" => Audience::Roles(self.ids.iter().copied().map(RoleId).collect()),
            "municipalities" => {
                Audience::Municipalities(self.ids.iter().copied().map(OrgId).collect())
            }
            other => {
                return Err(unknown_audience(format!(
                    "audience: unknown kind '{other}' (everyone, project, roles, municipalities)"
                )));
            }
        };
        Ok(audience.validated()?)
    }
}

/// The audience in words (Danish), after checking that what it names
/// exists.
pub(crate) async fn audience_label(
    state: &CoordinationState,
    audience: &Audience,
) -> Result<String, AppError> {
    fn listed(mut names: Vec<String>) -> String {
        const SHOWN: usize = 6;
        let more = names.len().saturating_sub(SHOWN);
        names.truncate(SHOWN);
        let mut text = names.join(", ");
        if more > 0 {
            text.push_str(&format!(" og {more} flere"));
        }
        text
    }
    Ok(match audience {
        Audience::Everyone => "Alle".to_owned(),
        Audience::Project(id) => {
            let project = state
                .storage
                .projects()
                .await?
                .into_iter()
                .find(|p| p.id == *id)
                .ok_or_else(|| AppError::Invalid("audience: no such project".to_owned()))?;
            format!("Deltagere i projektet {}", project.name)
        }
        Audience::Roles(ids) => {
            let roles = state.storage.roles().await?;
            let mut names = Vec::new();
            for id in ids {
                let role = roles
                    .iter()
                    .find(|r| r.id == *id)
                    .ok_or_else(|| AppError::Invalid(format!("audience: no role {}", id.0)))?;
                names.push(role.name.clone());
            }
            format!("Indehavere af rollerne {}", listed(names))
        }
        Audience::Municipalities(ids) => {
            let orgs = state.shell.storage.organisations().await?;
            let mut names = Vec::new();
            for id in ids {
                let org = orgs
                    .iter()
                    .find(|o| o.id == *id && o.kind == OrgKind::Municipality)
                    .ok_or_else(|| {
                        AppError::Invalid(format!("audience: no municipality {}", id.0))
                    })?;
                names.push(org.name.clone());
            }
            format!("Kommunerne {}", listed(names))
        }
    })
}

/// A message to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// `news`, `important` or `operational` (incidents and fixes).
    #[schema(example = "operational")]
    pub category: String,
    pub subject: String,
    pub body: String,
    pub audience: AudienceInput,
}

pub(crate) fn parse_category(text: &str) -> Result<MessageCategory, AppError> {
    MessageCategory::parse(text).ok_or_else(|| {
        AppError::Invalid(format!(
            "category: unknown category '{text}' (news, important, operational)"
        ))
    })
}

/// How many a message would reach.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientCountView {
    /// People whose inbox gets it.
    pub people: u64,
    /// Of them, those who get it by e-mail at once.
    pub by_email: u64,
    /// The audience in words.
    pub audience: String,
}

/// A community message with its delivery totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub category: String,
    pub subject: String,
    pub body: String,
    pub audience: String,
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    pub recipients: u64,
    pub emails_queued: u64,
    pub emails_sent: u64,
    pub emails_failed: u64,
    pub read: u64,
}

pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<MessageSummary> for MessageView {
    fn from(m: MessageSummary) -> Self {
        MessageView {
            id: m.id,
            category: m.category.as_str().to_owned(),
            subject: m.subject,
            body: m.body,
            audience: m.audience,
            created_by: m.created_by,
            created_at: rfc3339(m.created_at),
            recipients: m.recipients,
            emails_queued: m.emails_queued,
            emails_sent: m.emails_sent,
            emails_failed: m.emails_failed,
            read: m.read,
        }
    }
}

/// How many people a message would reach (community staff): the preview
/// before sending.
#[utoipa::path(post, path = "/api/v1/messages/recipients", tag = "messages",
    request_body = AudienceInput,
    responses((status = 200, body = RecipientCountView), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn count_recipients(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<AudienceInput>,
) -> Result<Json<RecipientCountView>, AppError> {
    let access = caller.principal.community_access()?;
    let audience = input.parse()?;
    let label = audience_label(&state, &audience).await?;
    let RecipientCount { people, by_email } = state
        .storage
        .message_recipient_count(&access, &audience)
        .await?;
    Ok(Json(RecipientCountView {
        people,
        by_email,
        audience: label,
    }))
}

/// Send a message (community staff): into every recipient's inbox at
/// once, and by e-mail through the outbox.
#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = MessageInput,
    responses((status = 201, body = MessageView), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn send_message(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<MessageInput>,
) -> Result<(StatusCode, Json<MessageView>), AppError> {
    let access = caller.principal.community_access()?;
    let audience = input.audience.parse()?;
    let spec = MessageSpec::new(
        parse_category(&input.category)?,
        &input.subject,
        &input.body,
        audience,
    )?;
    let label = audience_label(&state, &spec.audience).await?;
    let sent = state.storage.send_message(&access, &spec, &label).await?;
    Ok((StatusCode::CREATED, Json(sent.into())))
}

/// The community's messages with delivery totals (community staff).
#[utoipa::path(get, path = "/api/v1/messages", tag = "messages",
    responses((status = 200, body = [MessageView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_messages(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<MessageView>>, AppError> {
    let access = caller.principal.community_access()?;
    let messages = state.storage.messages(&access, 500).await?;
    Ok(Json(messages.into_iter().map(Into::into).collect()))
}

/// One entry of the caller's inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItemView {
    pub id: i64,
    /// `message`, `task_published`, `task_changed`, `task_assigned`,
    /// `role_created`, `task_reminder` or `task_comment`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub message_id: Option<i64>,
    pub task_id: Option<i64>,
    pub created_at: String,
    pub read: bool,
    /// How its e-mail goes: `immediately`, `daily`, `weekly` or `off`.
    pub email: String,
}

impl From<InboxItem> for InboxItemView {
    fn from(item: InboxItem) -> Self {
        InboxItemView {
            id: item.id,
            kind: item.kind.as_str().to_owned(),
            subject: item.subject,
            body: item.body,
            link: item.link,
            message_id: item.message_id,
            task_id: item.task_id,
            created_at: rfc3339(item.created_at),
            read: item.read,
            email: item.email.as_str().to_owned(),
        }
    }
}

/// The caller's inbox, newest first.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "messages",
    responses((status = 200, body = [InboxItemView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn inbox(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<InboxItemView>>, AppError> {
    let items = state.storage.inbox(caller.user.id, 500).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// A choice for one kind of notification.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceView {
    /// `message`, `task_published`, `task_changed`, `task_assigned`,
    /// `role_created`, `task_reminder` or `task_comment`.
    pub kind: String,
    /// `immediately`, `daily`, `weekly` or `off`.
    pub frequency: String,
}

/// The caller's notification settings, one per kind.
#[utoipa::path(get, path = "/api/v1/notification-preferences", tag = "messages",
    responses((status = 200, body = [PreferenceView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn get_preferences(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<PreferenceView>>, AppError> {
    let preferences = state
        .storage
        .notification_preferences(caller.user.id)
        .await?;
    Ok(Json(
        preferences
            .into_iter()
            .map(|p| PreferenceView {
                kind: p.kind.as_str().to_owned(),
                frequency: p.frequency.as_str().to_owned(),
            })
            .collect(),
    ))
}

pub(crate) fn parse_preference(
    kind: &str,
    frequency: &str,
) -> Result<(NotificationKind, Frequency), AppError> {
    let kind = NotificationKind::parse(kind)
        .ok_or_else(|| AppError::Invalid(format!("kind: unknown kind '{kind}'")))?;
    let frequency = Frequency::parse(frequency).ok_or_else(|| {
        AppError::Invalid(format!(
            "frequency: unknown frequency '{frequency}' (immediately, daily, weekly, off)"
        ))
    })?;
    Ok((kind, frequency))
}

/// Change the caller's notification settings (the kinds given).
#[utoipa::path(put, path = "/api/v1/notification-preferences", tag = "messages",
    request_body = [PreferenceView],
    responses((status = 200, body = [PreferenceView]), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn put_preferences(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<Vec<PreferenceView>>,
) -> Result<Json<Vec<PreferenceView>>, AppError> {
    let parsed = input
        .iter()
        .map(|p| parse_preference(&p.kind, &p.frequency))
        .collect::<Result<Vec<_>, _>>()?;
    for (kind, frequency) in parsed {
        state
            .storage
            .set_notification_preference(caller.user.id, kind, frequency)
            .await?;
    }
    get_preferences(State(state), caller).await
}

/// One e-mail of a municipality's delivery log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub recipient: String,
    pub email: String,
    pub subject: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub state: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub message_id: Option<i64>,
}

impl From<DeliveryRecord> for DeliveryView {
    fn from(d: DeliveryRecord) -> Self {
        DeliveryView {
            id: d.id,
            recipient: d.recipient,
            email: d.email,
            subject: d.subject,
            state: d.state.as_str().to_owned(),
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: rfc3339(d.created_at),
            sent_at: d.sent_at.map(rfc3339),
            message_id: d.message_id,
        }
    }
}

/// A municipality's delivery log, newest first (its administrators and
/// community staff).
#[utoipa::path(get, path = "/api/v1/municipalities/{id}/deliveries", tag = "messages",
    params(("id" = i64, Path, description = "The municipality's organisation id")),
    responses((status = 200, body = [DeliveryView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn delivery_log(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DeliveryView>>, AppError> {
    let access = samspil_web::api::admin_access_to(&state, &caller, OrgId(id)).await?;
    let log = state.shell.storage.delivery_log(&access, 1000).await?;
    Ok(Json(log.into_iter().map(Into::into).collect()))
}
