//! Messages and notifications for people: the community's "Beskeder"
//! (write a message, see the recipient count before sending, delivery
//! totals per message), everyone's inbox and notification settings, and a
//! municipality's delivery log for its administrators.
//!
//! The pages call the same storage methods as the JSON API.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::notification::{Frequency, MessageSpec, NotificationKind};
use samspil_domain::{OrgKind, UserType};
use samspil_web::municipality_picker::{Chosen, chosen_municipality, picker_for};
use serde::{Deserialize, Serialize};

use crate::CoordinationState;
use crate::api_messages::{AudienceInput, audience_label, parse_category, parse_preference};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{Refusal, Typed};
use samspil_web::format::format_instant;
use samspil_web::i18n::Lang;
use samspil_web::pages::empty_as_none;
use samspil_web::pages::{Page, Pager};

/// The compose form as the person filled it in.
#[derive(Debug, Default, Serialize)]
struct ComposeForm {
    category: String,
    subject: String,
    body: String,
    audience: String,
    project_id: Option<i64>,
    role_ids: Vec<i64>,
    org_ids: Vec<i64>,
    action: String,
}

impl ComposeForm {
    fn parse(body: &[u8]) -> ComposeForm {
        let mut form = ComposeForm::default();
        for (name, value) in url::form_urlencoded::parse(body) {
            let value = value.into_owned();
            match name.as_ref() {
                "category" => form.category = value,
                "subject" => form.subject = value,
                "body" => form.body = value,
                "audience" => form.audience = value,
                "project_id" => form.project_id = value.parse().ok(),
                "role_ids" => form.role_ids.extend(value.parse::<i64>().ok()),
                "org_ids" => form.org_ids.extend(value.parse::<i64>().ok()),
                "action" => form.action = value,
                _ => {}
            }
        }
        form
    }

    fn audience_input(&self) -> AudienceInput {
        AudienceInput {
            kind: self.audience.clone(),
            ids: match self.audience.as_str() {
                "project" => self.project_id.into_iter().collect(),
                "roles" => self.role_ids.clone(),
                "municipalities" => self.org_ids.clone(),
                _ => Vec::new(),
            },
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Choice {
    pub(crate) id: i64,
    pub(crate) name: String,
}

/// Every municipality in Danish order, as people look for a name in a list
/// to tick.
pub(crate) async fn municipality_choices(
    state: &CoordinationState,
) -> Result<Vec<Choice>, AppError> {
    let municipalities = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .map(|o| Choice {
            id: o.id.0,
            name: o.name,
        })
        .collect();
    Ok(in_danish_order(municipalities))
}

/// Choices sorted by name in Danish order (æ, ø, å after z).
pub(crate) fn in_danish_order(mut choices: Vec<Choice>) -> Vec<Choice> {
    choices.sort_by_key(|c| samspil_domain::collation::danish_key(&c.name));
    choices
}

#[derive(Serialize)]
struct MessageRow {
    id: i64,
    category: &'static str,
    subject: String,
    audience: String,
    created_by: String,
    created_at: String,
    recipients: u64,
    emails_queued: u64,
    emails_sent: u64,
    emails_failed: u64,
    read: u64,
}

#[derive(Serialize)]
struct Preview {
    people: u64,
    by_email: u64,
    audience: String,
}

#[derive(Debug, Deserialize)]
pub struct SentQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    sendt: Option<i64>,
}

/// `/beskeder`: write a message and see what was sent (community staff).
pub async fn messages_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<SentQuery>,
) -> Result<Html<String>, AppError> {
    let form = ComposeForm {
        category: "news".to_owned(),
        audience: "roles".to_owned(),
        ..ComposeForm::default()
    };
    render_messages(&state, lang, &signed_in, form, None, None, query.sendt).await
}

async fn render_messages(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    form: ComposeForm,
    preview: Option<Preview>,
    refused: Option<&Refusal>,
    sent: Option<i64>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let messages: Vec<MessageRow> = state
        .storage
        .messages(&access, 200)
        .await?
        .into_iter()
        .map(|m| MessageRow {
            id: m.id,
            category: m.category.as_str(),
            subject: m.subject,
            audience: m.audience,
            created_by: m.created_by,
            created_at: format_instant(lang, m.created_at),
            recipients: m.recipients,
            emails_queued: m.emails_queued,
            emails_sent: m.emails_sent,
            emails_failed: m.emails_failed,
            read: m.read,
        })
        .collect();
    let roles: Vec<Choice> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .map(|r| Choice {
            id: r.id.0,
            name: match r.solution_name {
                Some(solution) => format!("{} ({solution})", r.name),
                None => r.name,
            },
        })
        .collect();
    let projects: Vec<Choice> = state
        .storage
        .projects()
        .await?
        .into_iter()
        .map(|p| Choice {
            id: p.id.0,
            name: p.name,
        })
        .collect();
    let municipalities = municipality_choices(state).await?;
    let page = Page::new(state, lang, "/beskeder", Some(signed_in)).await?;
    page.render(
        "messages.html",
        minijinja::context! {
            nav_active => "messages",
            form,
            preview,
            refused => refused.map(Refusal::view),
            sent,
            messages,
            roles,
            projects,
            municipalities,
        },
    )
}

/// `POST /beskeder`: preview the recipient count, or send.
pub async fn messages_submit(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = ComposeForm::parse(&body);
    let checked = async {
        let audience = form.audience_input().parse()?;
        let label = audience_label(&state, &audience).await?;
        Ok::<_, AppError>((audience, label))
    }
    .await;
    let (audience, label) = match checked {
        Ok(checked) => checked,
        Err(AppError::Invalid(_) | AppError::Rule(_)) => {
            let error = lang.text("messages-error-audience", &[]);
            let refusal =
                Refusal::new("compose", Typed::from_urlencoded(&body)).field("audience", error);
            let html =
                render_messages(&state, lang, &signed_in, form, None, Some(&refusal), None).await?;
            return Ok(Refusal::respond(html));
        }
        Err(other) => return Err(other),
    };
    if form.action != "send" {
        let count = state
            .storage
            .message_recipient_count(&access, &audience)
            .await?;
        let preview = Preview {
            people: count.people,
            by_email: count.by_email,
            audience: label,
        };
        return Ok(
            render_messages(&state, lang, &signed_in, form, Some(preview), None, None)
                .await?
                .into_response(),
        );
    }
    let spec = parse_category(&form.category).and_then(|category| {
        Ok(MessageSpec::new(
            category,
            &form.subject,
            &form.body,
            audience,
        )?)
    });
    let spec = match spec {
        Ok(spec) => spec,
        Err(refused) => {
            let typed = Typed::from_urlencoded(&body);
            let refusal = Refusal::of(refused, lang, "messages-error", "compose", typed)?;
            let html =
                render_messages(&state, lang, &signed_in, form, None, Some(&refusal), None).await?;
            return Ok(Refusal::respond(html));
        }
    };
    let sent = state.storage.send_message(&access, &spec, &label).await?;
    Ok(Redirect::to(&format!("/beskeder?sendt={}", sent.id)).into_response())
}

#[derive(Serialize)]
struct InboxRow {
    id: i64,
    kind: &'static str,
    subject: String,
    body: String,
    link: Option<String>,
    created_at: String,
    read: bool,
    email: &'static str,
}

/// Notifications shown per page of the inbox.
const INBOX_PAGE: u32 = 25;

/// The inbox's page and the kind it is filtered on (`?type=task_changed`);
/// a kind it does not know shows every kind.
#[derive(Debug, Deserialize)]
pub struct InboxPageQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    page: Option<u32>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `/indbakke`: the person's own messages and notifications, a page at a
/// time, of one kind or all.
pub async fn inbox_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<InboxPageQuery>,
) -> Result<Html<String>, AppError> {
    let kind = query.kind.as_deref().and_then(NotificationKind::parse);
    let page_number = query.page.unwrap_or(1).max(1);
    let mut items: Vec<InboxRow> = state
        .storage
        .inbox_page(
            signed_in.user.id,
            &samspil_coordination_storage::InboxQuery {
                kind,
                unread_only: false,
                limit: INBOX_PAGE + 1,
                offset: (page_number - 1).saturating_mul(INBOX_PAGE),
            },
        )
        .await?
        .into_iter()
        .map(|item| InboxRow {
            id: item.id,
            kind: item.kind.as_str(),
            subject: item.subject,
            body: item.body,
            link: item.link,
            created_at: format_instant(lang, item.created_at),
            read: item.read,
            email: item.email.as_str(),
        })
        .collect();
    let has_next = items.len() > INBOX_PAGE as usize;
    items.truncate(INBOX_PAGE as usize);
    let unread = state.storage.unread_count(signed_in.user.id).await?;
    let page = Page::new(&state, lang, "/indbakke", Some(&signed_in)).await?;
    page.render(
        "inbox.html",
        minijinja::context! {
            nav_active => "inbox",
            items,
            unread,
            kinds => NotificationKind::ALL.map(NotificationKind::as_str),
            kind => kind.map(NotificationKind::as_str),
            pager => Pager::new(
                "/indbakke",
                &[("type", kind.map(NotificationKind::as_str).unwrap_or_default().to_owned())],
                page_number,
                has_next,
            ),
            is_admin => signed_in.principal.admin_access(signed_in.user.org_id).is_ok()
                && !signed_in.principal.is_staff(),
        },
    )
}

/// `POST /indbakke/laest`: marks the inbox read.
pub async fn inbox_mark_read(
    State(state): State<CoordinationState>,
    signed_in: SignedIn,
) -> Result<Response, AppError> {
    state.storage.mark_read(signed_in.user.id, &[]).await?;
    Ok(Redirect::to("/indbakke").into_response())
}

/// `POST /indbakke/{id}/laest`: marks one notification read (only the
/// person's own: another's id changes nothing), back where it was.
pub async fn inbox_mark_one_read(
    State(state): State<CoordinationState>,
    signed_in: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Query(query): Query<InboxPageQuery>,
) -> Result<Response, AppError> {
    state.storage.mark_read(signed_in.user.id, &[id]).await?;
    let mut back = format!("/indbakke?page={}", query.page.unwrap_or(1).max(1));
    if let Some(kind) = query.kind.as_deref().and_then(NotificationKind::parse) {
        back.push_str(&format!("&type={}", kind.as_str()));
    }
    Ok(Redirect::to(&format!("{back}#inbox-list")).into_response())
}

#[derive(Serialize)]
struct PreferenceRow {
    kind: &'static str,
    frequency: &'static str,
}

/// `/indbakke/indstillinger`: how often each kind of notification comes.
pub async fn settings_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_settings(&state, lang, &signed_in, false).await
}

async fn render_settings(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    saved: bool,
) -> Result<Html<String>, AppError> {
    let preferences: Vec<PreferenceRow> = state
        .storage
        .notification_preferences(signed_in.user.id)
        .await?
        .into_iter()
        .map(|p| PreferenceRow {
            kind: p.kind.as_str(),
            frequency: p.frequency.as_str(),
        })
        .collect();
    let frequencies: Vec<&str> = Frequency::ALL.iter().map(|f| f.as_str()).collect();
    let page = Page::new(state, lang, "/indbakke/indstillinger", Some(signed_in)).await?;
    page.render(
        "notification_settings.html",
        minijinja::context! {
            nav_active => "inbox",
            preferences,
            frequencies,
            saved,
            no_notifications => signed_in.user.user_type != UserType::Ordinary,
            no_email => signed_in.user.email.as_deref().is_none_or(str::is_empty),
        },
    )
}

/// `POST /indbakke/indstillinger`: one choice per kind (`kind-KIND`).
pub async fn settings_submit(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let mut choices = Vec::new();
    for (name, value) in url::form_urlencoded::parse(&body) {
        if let Some(kind) = name.strip_prefix("kind-") {
            choices.push(parse_preference(kind, &value)?);
        }
    }
    for (kind, frequency) in choices {
        state
            .storage
            .set_notification_preference(signed_in.user.id, kind, frequency)
            .await?;
    }
    debug_assert!(NotificationKind::ALL.len() == 7);
    Ok(render_settings(&state, lang, &signed_in, true)
        .await?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    /// The municipality: a name, a part of one, a code or an id
    /// (`samspil_web::municipality_picker`).
    kommune: Option<String>,
}

#[derive(Serialize)]
struct DeliveryRow {
    recipient: String,
    email: String,
    subject: String,
    state: &'static str,
    attempts: u32,
    last_error: Option<String>,
    created_at: String,
    sent_at: Option<String>,
}

/// `/leveringslog`: a municipality's e-mails (its administrators; staff
/// choose the municipality).
pub async fn delivery_log_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<LogQuery>,
) -> Result<Html<String>, AppError> {
    let organisations = state.shell.storage.organisations().await?;
    let (org_id, picker, refused) =
        match chosen_municipality(lang, &organisations, &signed_in, query.kommune.as_deref())? {
            Chosen::One(org) => (
                Some(org),
                picker_for(lang, &organisations, &signed_in, org),
                None,
            ),
            Chosen::Picking(picker, refused) => (None, Some(picker), refused),
        };
    let (org_name, deliveries) =
        match org_id {
            Some(org_id) => {
                let org = state
                    .shell
                    .storage
                    .organisation(org_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let access = signed_in.principal.admin_access(org.id).map_err(|_| {
                    AppError::ForbiddenOrg {
                        org: org.name.clone(),
                    }
                })?;
                let deliveries: Vec<DeliveryRow> = state
                    .shell
                    .storage
                    .delivery_log(&access, 500)
                    .await?
                    .into_iter()
                    .map(|d| DeliveryRow {
                        recipient: d.recipient,
                        email: d.email,
                        subject: d.subject,
                        state: d.state.as_str(),
                        attempts: d.attempts,
                        last_error: d.last_error,
                        created_at: format_instant(lang, d.created_at),
                        sent_at: d.sent_at.map(|at| format_instant(lang, at)),
                    })
                    .collect();
                (Some(org.name), deliveries)
            }
            None => (None, Vec::new()),
        };
    let page = Page::new(&state, lang, "/leveringslog", Some(&signed_in)).await?;
    page.render(
        "delivery_log.html",
        minijinja::context! {
            nav_active => "inbox",
            org_name,
            deliveries,
            picker,
            refused => refused.as_ref().map(samspil_web::form::Refusal::view),
        },
    )
}

/// Coordination: messages, the inbox and its settings, the delivery log.
pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get("/beskeder", messages_page),
        PageRoute::post("/beskeder", messages_submit),
        PageRoute::get("/indbakke", inbox_page),
        PageRoute::post("/indbakke/laest", inbox_mark_read),
        PageRoute::post("/indbakke/{id}/laest", inbox_mark_one_read),
        PageRoute::get("/indbakke/indstillinger", settings_page),
        PageRoute::post("/indbakke/indstillinger", settings_submit),
        PageRoute::get("/leveringslog", delivery_log_page),
    ]
}
