//! Programme-manager meetings' pages (issue 20): `/moeder` the coming and
//! past meetings; `/moeder/{id}` a meeting's time, link, agenda and
//! materials, the signed-in person's own registration (register, cancel),
//! the attendance summary ("59 kommuner (75 deltagere)") and the
//! municipalities that were not there; for community staff also who is
//! registered and the forms that record the attendance, send the
//! invitations (iCalendar, through the outbox) and the recording and
//! slides. `/moeder/ny` and `/moeder/{id}/rediger` are the staff's form
//! for a meeting with its agenda. Times are typed and shown in Danish time.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::meeting::{
    AgendaItem, AttendanceRow, ItemKind, Material, MaterialKind, MaterialSource,
    service_message_period,
};
use samspil_coordination::role::RoleId;
use samspil_coordination_storage::{
    MeetingId, MeetingKind, MeetingMail, MeetingRecord, NewMeeting,
};
use samspil_domain::danish_time::{danish_instant, danish_offset};
use samspil_domain::input::parse_date;
use samspil_domain::{BrokenRule, MunicipalityCode, ValidationError};
use samspil_storage::now;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::format::{format_date, input_date};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::CoordinationState;

const LIST_PATH: &str = "/moeder";
const NEW_PATH: &str = "/moeder/ny";

/// The title of the fixed agenda item that the month's operational
/// messages fill.
const SERVICE_MESSAGES: &str = "Servicemeddelelser";

#[derive(Serialize)]
struct MeetingSummaryView {
    id: i64,
    title: String,
    kind: &'static str,
    when: String,
    registered: u32,
    seats: Option<u32>,
    cancelled: bool,
}

#[derive(Serialize)]
struct ItemView {
    slot: String,
    title: String,
    presenter: Option<String>,
    service_messages: bool,
}

/// What the Servicemeddelelser item lists: the operational messages sent
/// and the incidents opened in its period (since the previous meeting).
#[derive(Serialize)]
struct ServiceNewsView {
    from: String,
    to: String,
    messages: Vec<HeadlineView>,
    incidents: Vec<HeadlineView>,
}

#[derive(Serialize)]
struct HeadlineView {
    when: String,
    text: String,
    /// An incident resolved or closed.
    resolved: bool,
}

/// A Danish date and wall-clock time of an instant, `05.06.2023 kl. 10.00`.
fn moment(lang: Lang, at: OffsetDateTime) -> String {
    let day = format_date(lang, Some(local_date(at))).unwrap_or_default();
    match lang {
        Lang::Da => format!("{day} kl. {}", clock(at)),
        Lang::En => format!("{day} at {}", clock(at)),
    }
}

/// The Servicemeddelelser item's contents, when the agenda has the item;
/// the period runs from the start of the previous meeting (not a workshop)
/// to this one's (`service_message_period`).
async fn service_news(
    state: &CoordinationState,
    lang: Lang,
    record: &MeetingRecord,
) -> Result<Option<ServiceNewsView>, AppError> {
    let m = &record.meeting;
    if !m
        .agenda()
        .iter()
        .any(|i| i.kind == ItemKind::ServiceMessages)
    {
        return Ok(None);
    }
    let this = m.starts_at();
    let previous = state
        .storage
        .meetings()
        .await?
        .into_iter()
        .filter(|other| other.kind == MeetingKind::Meeting && other.id != record.id)
        .map(|other| other.meeting.starts_at())
        .filter(|start| *start < this)
        .max();
    let (from, to) = service_message_period(previous, this);
    let messages = state
        .storage
        .operational_messages_between(from, to)
        .await?
        .into_iter()
        .map(|message| HeadlineView {
            when: moment(lang, message.created_at),
            text: message.subject,
            resolved: false,
        })
        .collect();
    let incidents = state
        .incidents
        .incidents_opened_between(from, to)
        .await?
        .into_iter()
        .map(|incident| HeadlineView {
            when: moment(lang, incident.opened_at),
            text: incident.solution,
            resolved: incident.resolved,
        })
        .collect();
    Ok(Some(ServiceNewsView {
        from: moment(lang, from),
        to: moment(lang, to),
        messages,
        incidents,
    }))
}

#[derive(Serialize)]
struct MaterialView {
    title: String,
    kind: &'static str,
    link: Option<String>,
}

/// A Danish wall-clock time of an instant, `10.00`.
fn clock(at: OffsetDateTime) -> String {
    let local = at.to_offset(danish_offset(at));
    format!("{:02}.{:02}", local.hour(), local.minute())
}

fn local_date(at: OffsetDateTime) -> time::Date {
    at.to_offset(danish_offset(at)).date()
}

fn when(lang: Lang, record: &MeetingRecord) -> String {
    let m = &record.meeting;
    let day = format_date(lang, Some(local_date(m.starts_at()))).unwrap_or_default();
    format!("{day}, {}–{}", clock(m.starts_at()), clock(m.ends_at()))
}

fn summary_view(lang: Lang, record: &MeetingRecord) -> MeetingSummaryView {
    MeetingSummaryView {
        id: record.id.0,
        title: record.meeting.title().to_owned(),
        kind: record.kind.as_str(),
        when: when(lang, record),
        registered: record.registered,
        seats: record.seats,
        cancelled: record.cancelled_at.is_some(),
    }
}

/// `/moeder`: the coming meetings, then the past ones, latest first.
pub async fn list(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let page = Page::new(&state, lang, LIST_PATH, Some(&signed_in)).await?;
    let all = state.storage.meetings().await?;
    let at = now();
    let coming: Vec<_> = all
        .iter()
        .filter(|m| m.meeting.ends_at() > at)
        .map(|m| summary_view(lang, m))
        .collect();
    let past: Vec<_> = all
        .iter()
        .rev()
        .filter(|m| m.meeting.ends_at() <= at)
        .map(|m| summary_view(lang, m))
        .collect();
    // "Send us input to the next meeting": the next monthly meeting.
    let next_meeting = all
        .iter()
        .find(|m| {
            m.kind == MeetingKind::Meeting && !m.meeting.has_started(at) && m.cancelled_at.is_none()
        })
        .map(|m| m.id.0);
    page.render(
        "meeting_list.html",
        minijinja::context! {
            nav_active => "meetings",
            next_meeting,
            is_staff => signed_in.principal.is_staff(),
            coming,
            past,
        },
    )
}

async fn meeting_of(state: &CoordinationState, id: i64) -> Result<MeetingRecord, AppError> {
    state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    gemt: Option<String>,
}

/// `/moeder/{id}`.
pub async fn detail(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    axum::extract::Query(query): axum::extract::Query<DetailQuery>,
) -> Result<Html<String>, AppError> {
    let done = match query.gemt.as_deref() {
        Some("input") => Some(lang.text("meeting-input-sent", &[])),
        Some("ansoegning") => Some(lang.text("meeting-application-sent", &[])),
        _ => None,
    };
    render_detail(&state, lang, &signed_in, id, None, done).await
}

async fn render_detail(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
    done: Option<String>,
) -> Result<Html<String>, AppError> {
    let record = meeting_of(state, id).await?;
    let m = &record.meeting;
    let agenda: Vec<ItemView> = m
        .agenda()
        .iter()
        .map(|i| ItemView {
            slot: format!("{}–{}", clock(i.starts_at), clock(i.ends_at)),
            title: i.title.clone(),
            presenter: i.presenter.clone(),
            service_messages: i.kind == ItemKind::ServiceMessages,
        })
        .collect();
    let materials: Vec<MaterialView> = m
        .materials()
        .iter()
        .map(|x| MaterialView {
            title: x.title.clone(),
            kind: material_kind(x.kind),
            link: match &x.source {
                MaterialSource::Link(l) => Some(l.clone()),
                MaterialSource::File(file) => Some(format!("/moeder/{id}/materialer/{file}")),
            },
        })
        .collect();
    let registered = state
        .storage
        .is_registered(signed_in.user.id, record.id)
        .await?;
    let attendance = state.storage.attendance(record.id).await?;
    let staff = signed_in.principal.community_access().ok();
    let (registrations, roles, inputs) = match &staff {
        Some(access) => (
            state.storage.registrations(access, record.id).await?,
            state.storage.roles().await?,
            state.storage.inputs(access, record.id).await?,
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let has_survey = state.storage.survey(record.id).await?.is_some();
    let application = state
        .storage
        .application_of(signed_in.user.id, record.id)
        .await?
        .map(|d| d.as_str());
    let attendance_text: String = attendance
        .rows
        .iter()
        .map(|r| {
            format!(
                "{};{}",
                r.municipality.map(|c| c.to_string()).unwrap_or_default(),
                r.person
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let service_news = service_news(state, lang, &record).await?;
    let at = now();
    let path = format!("/moeder/{id}");
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "meeting_detail.html",
        minijinja::context! {
            nav_active => "meetings",
            is_staff => staff.is_some(),
            meeting => summary_view(lang, &record),
            link => m.link(),
            description => m.description(),
            agenda,
            service_news,
            materials,
            registered,
            open => !m.has_started(at) && record.cancelled_at.is_none(),
            started => m.has_started(at),
            ended => m.ends_at() <= at,
            full => record.seats.is_some_and(|s| record.registered >= s),
            attendance_recorded => attendance.recorded(),
            summary => attendance.summary,
            absent => attendance.absent,
            attendance_text,
            registrations => registrations.iter().map(|r| minijinja::context! {
                name => r.name, organisation => r.organisation,
            }).collect::<Vec<_>>(),
            roles => roles.iter().map(|r| minijinja::context! { id => r.id.0, name => r.name }).collect::<Vec<_>>(),
            inputs => inputs.iter().map(|i| minijinja::context! {
                name => i.name, organisation => i.organisation, text => i.text,
                when => moment(lang, i.sent_at),
            }).collect::<Vec<_>>(),
            has_survey,
            application,
            is_workshop => record.kind == MeetingKind::Workshop,
            cancelled => record.cancelled_at.is_some(),
            invited => record.invited_at.is_some(),
            followed_up => record.follow_up_sent_at.is_some(),
            done,
            refused => refused.map(Refusal::view),
        },
    )
}

fn material_kind(kind: MaterialKind) -> &'static str {
    match kind {
        MaterialKind::Slides => "slides",
        MaterialKind::Recording => "recording",
        MaterialKind::Other => "other",
    }
}

/// The meeting's page again with a refused form (422).
pub(crate) async fn refused_detail_page(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refusal: Refusal,
) -> Result<Response, AppError> {
    refused_detail(state, lang, signed_in, id, refusal).await
}

async fn refused_detail(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let html = render_detail(state, lang, signed_in, id, Some(&refusal), None).await?;
    Ok(Refusal::respond(html))
}

#[derive(Debug, Deserialize)]
pub struct RegistrationForm {
    action: String,
}

/// `POST /moeder/{id}/tilmelding`: the signed-in person registers or
/// cancels their own registration (never anyone else's: the store takes
/// the principal).
pub async fn registration(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<RegistrationForm>,
) -> Result<Response, AppError> {
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "registration", unreadable, typed);
            return refused_detail(&state, lang, &signed_in, id, refusal).await;
        }
    };
    let result = match form.action.as_str() {
        "register" => {
            state
                .storage
                .register(&signed_in.principal, MeetingId(id))
                .await
        }
        "cancel" => {
            state
                .storage
                .cancel_registration(&signed_in.principal, MeetingId(id))
                .await
        }
        _ => return Err(AppError::BadRequest("unknown action".into())),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/moeder/{id}?gemt={}", form.action)).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "registration", typed)?;
            refused_detail(&state, lang, &signed_in, id, refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    attendance: String,
}

/// One attendance line: `code;person` (the municipality's three-digit
/// code, empty for someone from no municipality), or `person` alone.
fn attendance_rows(text: &str) -> Result<Vec<AttendanceRow>, ValidationError> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (code, person) = line.split_once(';').unwrap_or(("", line));
        let code = code.trim();
        let municipality = if code.is_empty() {
            None
        } else {
            let parsed = code
                .parse::<u16>()
                .ok()
                .and_then(|c| MunicipalityCode::new(c).ok());
            match parsed {
                Some(c) => Some(c),
                None => {
                    return Err(ValidationError::named_with(
                        "attendance",
                        "meeting-bad-attendance-line",
                        vec![("name", (n + 1).to_string())],
                        format!("line {} has no municipality code", n + 1),
                    ));
                }
            }
        };
        rows.push(AttendanceRow {
            municipality,
            person: person.trim().to_owned(),
        });
    }
    Ok(rows)
}

/// `POST /moeder/{id}/fremmoede` (staff): the attendance list replaced.
pub async fn attendance(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<AttendanceForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "attendance", unreadable, typed);
            return refused_detail(&state, lang, &signed_in, id, refusal).await;
        }
    };
    let result = match attendance_rows(&form.attendance) {
        Ok(rows) => state
            .storage
            .record_attendance(&access, MeetingId(id), &rows)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(AppError::Rule(invalid)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/moeder/{id}?gemt=attendance")).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "meeting-error", "attendance", typed)?;
            refused_detail(&state, lang, &signed_in, id, refusal).await
        }
    }
}

/// The installation's host name for the invitation's UID (without a
/// port), and an organizer: the staff member who sends.
pub(crate) fn mail_of(
    headers: &HeaderMap,
    user: &samspil_storage::User,
    record: &MeetingRecord,
    subject: String,
    body: String,
) -> MeetingMail {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split(':').next())
        .filter(|h| !h.is_empty())
        .unwrap_or("samspil")
        .to_owned();
    MeetingMail {
        organizer_email: user
            .email
            .clone()
            .unwrap_or_else(|| format!("noreply@{host}")),
        organizer_name: user.display_name.clone(),
        host,
        subject,
        body,
        offset: danish_offset(record.meeting.starts_at()),
    }
}

/// The cancellation's mail, in Danish: it goes to the municipalities'
/// people.
pub(crate) fn cancel_mail(
    headers: &HeaderMap,
    user: &samspil_storage::User,
    record: &MeetingRecord,
) -> MeetingMail {
    let da = Lang::Da;
    let subject = da.text(
        "meeting-mail-cancel-subject",
        &[("title", record.meeting.title().to_owned())],
    );
    let body = da.text(
        "meeting-mail-cancel-body",
        &[
            ("title", record.meeting.title().to_owned()),
            ("when", when(da, record)),
        ],
    );
    mail_of(headers, user, record, subject, body)
}

/// `POST /moeder/{id}/aflys` (staff): the meeting cancelled, and a
/// calendar CANCEL to everyone invited or registered.
pub async fn cancel(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let record = meeting_of(&state, id).await?;
    let mail = cancel_mail(&headers, &signed_in.user, &record);
    match state
        .storage
        .cancel_meeting(&access, record.id, &mail)
        .await
    {
        Ok(report) => {
            let done = lang.text(
                "meeting-cancel-queued",
                &[("count", report.queued.to_string())],
            );
            let html = render_detail(&state, lang, &signed_in, id, None, Some(done)).await?;
            Ok(html.into_response())
        }
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "cancel", typed)?;
            refused_detail(&state, lang, &signed_in, id, refusal).await
        }
    }
}

/// `POST /moeder/{id}/invitation` (staff): the invitation to the
/// programme managers and the ticked roles' holders.
pub async fn invite(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let record = meeting_of(&state, id).await?;
    let roles: Vec<RoleId> = typed
        .all("role")
        .iter()
        .filter_map(|r| r.parse().ok().map(RoleId))
        .collect();
    // The mail is in Danish: it goes to the municipalities' people.
    let da = Lang::Da;
    let subject = da.text(
        "meeting-mail-invitation-subject",
        &[("title", record.meeting.title().to_owned())],
    );
    let body = da.text(
        "meeting-mail-invitation-body",
        &[
            ("title", record.meeting.title().to_owned()),
            ("when", when(da, &record)),
            ("link", record.meeting.link().to_owned()),
        ],
    );
    let mail = mail_of(&headers, &signed_in.user, &record, subject, body);
    match state
        .storage
        .send_invitations(&access, record.id, &roles, &mail)
        .await
    {
        Ok(report) => {
            let done = lang.text(
                "meeting-invitations-queued",
                &[("count", report.queued.to_string())],
            );
            let html = render_detail(&state, lang, &signed_in, id, None, Some(done)).await?;
            Ok(html.into_response())
        }
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "invite", typed)?;
            refused_detail(&state, lang, &signed_in, id, refusal).await
        }
    }
}

/// `POST /moeder/{id}/materialer` (staff): the recording and slides to
/// every programme manager in samspil.
pub async fn follow_up(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let record = meeting_of(&state, id).await?;
    let da = Lang::Da;
    let subject = da.text(
        "meeting-mail-follow-up-subject",
        &[("title", record.meeting.title().to_owned())],
    );
    let body = da.text(
        "meeting-mail-follow-up-body",
        &[("title", record.meeting.title().to_owned())],
    );
    let mail = mail_of(&headers, &signed_in.user, &record, subject, body);
    match state
        .storage
        .send_follow_up(&access, record.id, &mail)
        .await
    {
        Ok(report) => {
            let done = lang.text(
                "meeting-follow-up-queued",
                &[("count", report.queued.to_string())],
            );
            let html = render_detail(&state, lang, &signed_in, id, None, Some(done)).await?;
            Ok(html.into_response())
        }
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "follow-up", typed)?;
            refused_detail(&state, lang, &signed_in, id, refusal).await
        }
    }
}

// ---- The staff's form for a meeting -----------------------------------------

#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    seats: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    recording: String,
    #[serde(default)]
    slides: String,
}

/// A time of day as typed: `10.00`, `10:00` or `10`.
fn time_of_day(field: &'static str, text: &str) -> Result<time::Time, ValidationError> {
    let text = text.trim();
    let (h, m) = text.split_once(['.', ':']).unwrap_or((text, "0"));
    let parsed = match (h.trim().parse::<u8>(), m.trim().parse::<u8>()) {
        (Ok(h), Ok(m)) => time::Time::from_hms(h, m, 0).ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        ValidationError::named_with(
            field,
            "meeting-bad-clock",
            vec![("name", text.to_owned())],
            format!("'{text}' is no time of day"),
        )
    })
}

/// The agenda typed one item a line: `10.00-10.05 Title | Presenter`; an
/// item titled "Servicemeddelelser" is the fixed item of the month's
/// operational messages.
fn agenda_items(date: time::Date, text: &str) -> Result<Vec<AgendaItem>, ValidationError> {
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || {
            ValidationError::named_with(
                "agenda",
                "meeting-bad-agenda-line",
                vec![("name", (n + 1).to_string())],
                format!("agenda line {} is not 'hh.mm-hh.mm title'", n + 1),
            )
        };
        let (slot, rest) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
        let (from, to) = slot.split_once(['-', '–']).ok_or_else(bad)?;
        let (from, to) = (
            time_of_day("agenda", from).map_err(|_| bad())?,
            time_of_day("agenda", to).map_err(|_| bad())?,
        );
        let (title, presenter) = match rest.split_once('|') {
            Some((t, p)) => (t.trim(), Some(p.trim().to_owned())),
            None => (rest.trim(), None),
        };
        items.push(AgendaItem {
            title: title.to_owned(),
            presenter,
            starts_at: danish_instant(date, from),
            ends_at: danish_instant(date, to),
            kind: if title.eq_ignore_ascii_case(SERVICE_MESSAGES) {
                ItemKind::ServiceMessages
            } else {
                ItemKind::Regular
            },
        });
    }
    Ok(items)
}

fn new_meeting(form: &MeetingForm, lang: Lang) -> Result<NewMeeting, ValidationError> {
    let date = parse_date("date", &form.date)?;
    let starts = time_of_day("starts", &form.starts)?;
    let ends = time_of_day("ends", &form.ends)?;
    let kind = MeetingKind::parse(&form.kind).unwrap_or(MeetingKind::Meeting);
    let seats = match form.seats.trim() {
        "" => None,
        typed => Some(typed.parse::<u32>().map_err(|_| {
            ValidationError::broke(
                "seats",
                format!("'{typed}' is no number"),
                BrokenRule::NotANumber {
                    typed: typed.to_owned(),
                },
            )
        })?),
    };
    let mut materials = Vec::new();
    for (kind, link, title) in [
        (
            MaterialKind::Recording,
            &form.recording,
            "meeting-material-recording",
        ),
        (
            MaterialKind::Slides,
            &form.slides,
            "meeting-material-slides",
        ),
    ] {
        if !link.trim().is_empty() {
            materials.push(Material {
                title: lang.text(title, &[]),
                kind,
                source: MaterialSource::Link(link.trim().to_owned()),
            });
        }
    }
    Ok(NewMeeting {
        kind,
        title: form.title.clone(),
        starts_at: danish_instant(date, starts),
        ends_at: danish_instant(date, ends),
        link: form.link.clone(),
        description: form.description.clone(),
        seats,
        agenda: agenda_items(date, &form.agenda)?,
        materials,
    })
}

/// What the form shows: a meeting's values, or the next month's defaults.
#[derive(Serialize, Default)]
struct FormValues {
    title: String,
    kind: &'static str,
    date: String,
    starts: String,
    ends: String,
    link: String,
    seats: String,
    description: String,
    agenda: String,
    recording: String,
    slides: String,
}

fn form_values(record: &MeetingRecord) -> FormValues {
    let m = &record.meeting;
    let link_of = |kind: MaterialKind| {
        m.materials()
            .iter()
            .find(|x| x.kind == kind)
            .and_then(|x| match &x.source {
                MaterialSource::Link(l) => Some(l.clone()),
                MaterialSource::File(_) => None,
            })
            .unwrap_or_default()
    };
    FormValues {
        title: m.title().to_owned(),
        kind: record.kind.as_str(),
        date: input_date(Some(local_date(m.starts_at()))).unwrap_or_default(),
        starts: clock(m.starts_at()),
        ends: clock(m.ends_at()),
        link: m.link().to_owned(),
        seats: record.seats.map(|s| s.to_string()).unwrap_or_default(),
        description: m.description().to_owned(),
        agenda: m
            .agenda()
            .iter()
            .map(|i| {
                let presenter = i
                    .presenter
                    .as_ref()
                    .map(|p| format!(" | {p}"))
                    .unwrap_or_default();
                format!(
                    "{}-{} {}{presenter}",
                    clock(i.starts_at),
                    clock(i.ends_at),
                    i.title
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        recording: link_of(MaterialKind::Recording),
        slides: link_of(MaterialKind::Slides),
    }
}

async fn render_form(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: Option<i64>,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let values = match id {
        Some(id) => form_values(&meeting_of(state, id).await?),
        None => FormValues {
            kind: "meeting",
            starts: "10.00".into(),
            ends: "12.00".into(),
            ..FormValues::default()
        },
    };
    let path = id.map_or(NEW_PATH.to_owned(), |id| format!("/moeder/{id}/rediger"));
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "meeting_form.html",
        minijinja::context! {
            nav_active => "meetings",
            id,
            action => path,
            values,
            refused => refused.map(Refusal::view),
        },
    )
}

/// `GET /moeder/ny` (staff).
pub async fn new_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_form(&state, lang, &signed_in, None, None).await
}

/// `GET /moeder/{id}/rediger` (staff).
pub async fn edit_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    render_form(&state, lang, &signed_in, Some(id), None).await
}

async fn save(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: Option<i64>,
    input: Result<MeetingForm, samspil_web::form::Unreadable>,
    typed: Typed,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "meeting", unreadable, typed);
            let html = render_form(state, lang, signed_in, id, Some(&refusal)).await?;
            return Ok(Refusal::respond(html));
        }
    };
    let result = match new_meeting(&form, lang) {
        Err(invalid) => Err(AppError::Rule(invalid)),
        Ok(meeting) => match id {
            None => state.storage.create_meeting(&access, &meeting).await,
            Some(id) => {
                state
                    .storage
                    .update_meeting(&access, MeetingId(id), &meeting)
                    .await
            }
        }
        .map_err(AppError::from),
    };
    match result {
        Ok(saved) => {
            Ok(Redirect::to(&format!("/moeder/{}?gemt=meeting", saved.id.0)).into_response())
        }
        Err(error) => {
            let refusal = Refusal::of(error, lang, "meeting-error", "meeting", typed)?;
            let html = render_form(state, lang, signed_in, id, Some(&refusal)).await?;
            Ok(Refusal::respond(html))
        }
    }
}

/// `POST /moeder/ny` (staff).
pub async fn create(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    PageForm { input, typed }: PageForm<MeetingForm>,
) -> Result<Response, AppError> {
    save(&state, lang, &signed_in, None, input, typed).await
}

/// `POST /moeder/{id}/rediger` (staff).
pub async fn update(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<MeetingForm>,
) -> Result<Response, AppError> {
    save(&state, lang, &signed_in, Some(id), input, typed).await
}

pub(crate) fn routes() -> Vec<PageRoute<CoordinationState>> {
    vec![
        PageRoute::get(LIST_PATH, list),
        PageRoute::get(NEW_PATH, new_form),
        PageRoute::post(NEW_PATH, create),
        PageRoute::get("/moeder/{id}", detail),
        PageRoute::get("/moeder/{id}/rediger", edit_form),
        PageRoute::post("/moeder/{id}/rediger", update),
        PageRoute::post("/moeder/{id}/tilmelding", registration),
        PageRoute::post("/moeder/{id}/fremmoede", attendance),
        PageRoute::post("/moeder/{id}/invitation", invite),
        PageRoute::post("/moeder/{id}/materialer", follow_up),
        PageRoute::post("/moeder/{id}/aflys", cancel),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn an_agenda_typed_a_line_an_item_is_read_in_danish_time() {
        let items = agenda_items(
            date!(2023 - 06 - 22),
            "10.00-10.05 Velkommen\n\n10.05–10.25 Kædeansvaret | Finn Graversen\n10.25-10.40 Servicemeddelelser",
        )
        .expect("read");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].starts_at, datetime!(2023-06-22 8:00 UTC));
        assert_eq!(items[1].presenter.as_deref(), Some("Finn Graversen"));
        assert_eq!(items[2].kind, ItemKind::ServiceMessages);
        let bad = agenda_items(date!(2023 - 06 - 22), "Velkommen").expect_err("no slot");
        assert_eq!(bad.field, "agenda");
        assert!(time_of_day("starts", "25.00").is_err());
        assert!(time_of_day("starts", "10:30").is_ok());
    }

    #[test]
    fn attendance_lines_name_a_municipality_code_or_none() {
        let rows = attendance_rows("751;a@aarhus.dk\n;bme@kombit.dk\nc@x.dk\n").expect("read");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].municipality.map(|c| c.get()), Some(751));
        assert!(rows[1].municipality.is_none() && rows[2].municipality.is_none());
        assert!(attendance_rows("Aarhus;x").is_err());
    }
}
