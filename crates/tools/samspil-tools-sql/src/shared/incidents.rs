// `IncidentStore`: the chain of responsibility for incidents on both
// backends; included into the `incidents` module of `shared.rs`.
//
// An incident is stored as the rules' parts in JSON (`incidents.parts`) and
// read back through `Incident::restore`, which checks that the parts agree;
// every change locks the incident's row first (`for_update!()`), so two
// parties acting on one link at once are decided one after the other, the
// second on what the first wrote.

use samspil_domain::access::Actor;
use samspil_domain::{MunicipalityCode, UserId};
use samspil_tools::incident::{
    Action, Agreement, AgreementKind, Escalation, EscalationCause, Forwarder, Incident,
    IncidentError, IncidentId, IncidentParts, IncidentReport, IntakeDraft, LinkEvent,
    LinkEventKind, LinkId, LinkParts, LinkState, LogEntry, Party, PartyKind, Priority,
    PriorityMapping, PriorityScale, Reply, ReporterInterval, Served, ServiceHours, SolutionCode,
    StopwatchParts, Targets, TaskForceParts,
};
use samspil_tools_storage::{
    ChainAgreement, IncidentChange, IncidentStore, IncidentSummary, NewParty, PartyRecord, refusal,
};
use serde::{Deserialize, Serialize};

type Conn = <Db as sqlx::Database>::Connection;

fn rule(error: IncidentError) -> StorageError {
    StorageError::Invalid(refusal(error))
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("incident {what}"))
}

// ---- the parts in JSON ----------------------------------------------------

#[derive(Serialize, Deserialize)]
struct StoredClock {
    started: OffsetDateTime,
    /// The agreement's hours (`ServiceHours::code`); absent: calendar.
    #[serde(default)]
    hours: Option<String>,
    pauses: Vec<(OffsetDateTime, OffsetDateTime)>,
    paused_since: Option<OffsetDateTime>,
    stopped_at: Option<OffsetDateTime>,
}

#[derive(Serialize, Deserialize)]
struct StoredEvent {
    at: OffsetDateTime,
    by: i64,
    kind: String,
    text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredLink {
    id: u32,
    parent: Option<u32>,
    sender: i64,
    receiver: i64,
    reference: Option<String>,
    sender_priority: u8,
    priority: u8,
    agreement: String,
    response_target: time::Duration,
    resolution_target: time::Duration,
    state: String,
    state_text: Option<String>,
    created_at: OffsetDateTime,
    accepted_at: Option<OffsetDateTime>,
    response: StoredClock,
    resolution: StoredClock,
    escalated_at: Option<OffsetDateTime>,
    history: Vec<StoredEvent>,
}

#[derive(Serialize, Deserialize)]
struct StoredReply {
    at: OffsetDateTime,
    by: i64,
    text: String,
}

#[derive(Serialize, Deserialize)]
struct StoredEscalation {
    link: u32,
    at: OffsetDateTime,
    cause: String,
    by: Option<i64>,
    reason: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredTaskForce {
    called_at: OffsetDateTime,
    called_by: i64,
    members: Vec<i64>,
    log: Vec<StoredReply>,
    closed: Option<StoredReply>,
}

#[derive(Serialize, Deserialize)]
struct StoredReport {
    reporter_name: String,
    reporter_contact: String,
    municipality: Option<i64>,
    solution: String,
    occurred_at: OffsetDateTime,
    what_happened: String,
    examples: Vec<String>,
    error_messages: Vec<String>,
    user_priority: u8,
}

#[derive(Serialize, Deserialize)]
struct StoredIncident {
    id: i64,
    owner: i64,
    report: StoredReport,
    priority: u8,
    opened_at: OffsetDateTime,
    links: Vec<StoredLink>,
    replies: Vec<StoredReply>,
    escalations: Vec<StoredEscalation>,
    task_force: Option<StoredTaskForce>,
    resolved: Option<StoredReply>,
    closed_at: Option<OffsetDateTime>,
}

fn agreement_kind(code: &str) -> Option<AgreementKind> {
    [
        AgreementKind::Sla,
        AgreementKind::Ola,
        AgreementKind::UnderpinningContract,
    ]
    .into_iter()
    .find(|k| k.code() == code)
}

fn cause(code: &str) -> Option<EscalationCause> {
    [
        EscalationCause::ResponseOverdue,
        EscalationCause::ResolutionOverdue,
        EscalationCause::ByHand,
    ]
    .into_iter()
    .find(|c| c.code() == code)
}

fn clock_out(parts: &StopwatchParts) -> Result<StoredClock> {
    Ok(StoredClock {
        started: parts.started,
        hours: match &parts.hours {
            ServiceHours::Calendar => None,
            hours => Some(hours.code()),
        },
        pauses: parts.pauses.clone(),
        paused_since: parts.paused_since,
        stopped_at: parts.stopped_at,
    })
}

fn clock_in(stored: StoredClock) -> Result<StopwatchParts> {
    Ok(StopwatchParts {
        started: stored.started,
        hours: match stored.hours {
            None => ServiceHours::Calendar,
            Some(code) => ServiceHours::parse(&code).map_err(|_| corrupt("clock hours"))?,
        },
        pauses: stored.pauses,
        paused_since: stored.paused_since,
        stopped_at: stored.stopped_at,
    })
}

fn event_kind_code(kind: &LinkEventKind) -> String {
    match kind {
        LinkEventKind::Forwarded => "forwarded".into(),
        LinkEventKind::Acted(action) => format!("acted:{}", action.code()),
        LinkEventKind::Escalated => "escalated".into(),
        LinkEventKind::ReferenceSet => "reference".into(),
    }
}

fn event_kind(code: &str) -> Result<LinkEventKind> {
    Ok(match code {
        "forwarded" => LinkEventKind::Forwarded,
        "escalated" => LinkEventKind::Escalated,
        "reference" => LinkEventKind::ReferenceSet,
        other => LinkEventKind::Acted(
            other
                .strip_prefix("acted:")
                .and_then(Action::parse)
                .ok_or_else(|| corrupt("event"))?,
        ),
    })
}

fn state_out(state: &LinkState) -> (String, Option<String>) {
    let text = match state {
        LinkState::NeedsInformation { question } => Some(question.clone()),
        LinkState::Rejected { reason } => Some(reason.clone()),
        LinkState::Resolved { resolution } => Some(resolution.clone()),
        _ => None,
    };
    (state.kind().code().to_owned(), text)
}

fn state_in(code: &str, text: Option<String>) -> Result<LinkState> {
    let text = || text.clone().ok_or_else(|| corrupt("link state"));
    Ok(match code {
        "open" => LinkState::Open,
        "accepted" => LinkState::Accepted,
        "closed" => LinkState::Closed,
        "needs_information" => LinkState::NeedsInformation { question: text()? },
        "rejected" => LinkState::Rejected { reason: text()? },
        "resolved" => LinkState::Resolved {
            resolution: text()?,
        },
        _ => return Err(corrupt("link state")),
    })
}

fn reply_out(reply: &Reply) -> StoredReply {
    StoredReply {
        at: reply.at,
        by: reply.by.0,
        text: reply.text.clone(),
    }
}

fn reply_in(stored: StoredReply) -> Reply {
    Reply {
        at: stored.at,
        by: OrgId(stored.by),
        text: stored.text,
    }
}

fn log_in(stored: StoredReply) -> LogEntry {
    LogEntry {
        at: stored.at,
        by: OrgId(stored.by),
        text: stored.text,
    }
}

fn log_out(entry: &LogEntry) -> StoredReply {
    StoredReply {
        at: entry.at,
        by: entry.by.0,
        text: entry.text.clone(),
    }
}

fn to_json(incident: &Incident) -> Result<String> {
    let parts = incident.to_parts();
    let report = &parts.report;
    let mut links = Vec::new();
    for link in &parts.links {
        let (state, state_text) = state_out(&link.state);
        links.push(StoredLink {
            id: link.id.0,
            parent: link.parent.map(|p| p.0),
            sender: link.sender.0,
            receiver: link.receiver.0,
            reference: link.reference.clone(),
            sender_priority: link.sender_priority.0,
            priority: link.priority.0,
            agreement: link.agreement.code().to_owned(),
            response_target: link.targets.response,
            resolution_target: link.targets.resolution,
            state,
            state_text,
            created_at: link.created_at,
            accepted_at: link.accepted_at,
            response: clock_out(&link.response)?,
            resolution: clock_out(&link.resolution)?,
            escalated_at: link.escalated_at,
            history: link
                .history
                .iter()
                .map(|e| StoredEvent {
                    at: e.at,
                    by: e.by.0,
                    kind: event_kind_code(&e.kind),
                    text: e.text.clone(),
                })
                .collect(),
        });
    }
    let stored = StoredIncident {
        id: parts.id.0,
        owner: parts.owner.0,
        report: StoredReport {
            reporter_name: report.reporter().name.clone(),
            reporter_contact: report.reporter().contact.clone(),
            municipality: report.reporter().municipality.map(|m| m.0),
            solution: report.solution().0.clone(),
            occurred_at: report.occurred_at(),
            what_happened: report.what_happened().to_owned(),
            examples: report.examples().to_vec(),
            error_messages: report.error_messages().to_vec(),
            user_priority: report.user_priority().0,
        },
        priority: parts.priority.0,
        opened_at: parts.opened_at,
        links,
        replies: parts.replies.iter().map(reply_out).collect(),
        escalations: parts
            .escalations
            .iter()
            .map(|e| StoredEscalation {
                link: e.link.0,
                at: e.at,
                cause: e.cause.code().to_owned(),
                by: e.by.map(|b| b.0),
                reason: e.reason.clone(),
            })
            .collect(),
        task_force: parts.task_force.as_ref().map(|t| StoredTaskForce {
            called_at: t.called_at,
            called_by: t.called_by.0,
            members: t.members.iter().map(|m| m.0).collect(),
            log: t.log.iter().map(log_out).collect(),
            closed: t.closed.as_ref().map(log_out),
        }),
        resolved: parts.resolved.as_ref().map(reply_out),
        closed_at: parts.closed_at,
    };
    serde_json::to_string(&stored).map_err(|e| StorageError::Corrupt(e.to_string()))
}

fn from_json(text: &str) -> Result<Incident> {
    let stored: StoredIncident =
        serde_json::from_str(text).map_err(|_| corrupt("parts unreadable"))?;
    let report = IncidentReport::restore(IntakeDraft {
        reporter_name: stored.report.reporter_name,
        reporter_contact: stored.report.reporter_contact,
        municipality: stored.report.municipality.map(OrgId),
        solution: SolutionCode(stored.report.solution),
        occurred_at: stored.report.occurred_at,
        what_happened: stored.report.what_happened,
        examples: stored.report.examples,
        error_messages: stored.report.error_messages,
        user_priority: Priority(stored.report.user_priority),
    })
    .map_err(|_| corrupt("report"))?;
    let mut links = Vec::new();
    for link in stored.links {
        let mut history = Vec::new();
        for e in link.history {
            history.push(LinkEvent {
                at: e.at,
                by: OrgId(e.by),
                kind: event_kind(&e.kind)?,
                text: e.text,
            });
        }
        links.push(LinkParts {
            id: LinkId(link.id),
            parent: link.parent.map(LinkId),
            sender: OrgId(link.sender),
            receiver: OrgId(link.receiver),
            reference: link.reference,
            sender_priority: Priority(link.sender_priority),
            priority: Priority(link.priority),
            agreement: agreement_kind(&link.agreement).ok_or_else(|| corrupt("agreement"))?,
            targets: Targets {
                response: link.response_target,
                resolution: link.resolution_target,
            },
            state: state_in(&link.state, link.state_text)?,
            created_at: link.created_at,
            accepted_at: link.accepted_at,
            response: clock_in(link.response)?,
            resolution: clock_in(link.resolution)?,
            escalated_at: link.escalated_at,
            history,
        });
    }
    let mut escalations = Vec::new();
    for e in stored.escalations {
        escalations.push(Escalation {
            link: LinkId(e.link),
            at: e.at,
            cause: cause(&e.cause).ok_or_else(|| corrupt("escalation"))?,
            by: e.by.map(OrgId),
            reason: e.reason,
        });
    }
    Incident::restore(IncidentParts {
        id: IncidentId(stored.id),
        owner: OrgId(stored.owner),
        report,
        priority: Priority(stored.priority),
        opened_at: stored.opened_at,
        links,
        replies: stored.replies.into_iter().map(reply_in).collect(),
        escalations,
        task_force: stored.task_force.map(|t| TaskForceParts {
            called_at: t.called_at,
            called_by: OrgId(t.called_by),
            members: t.members.into_iter().map(OrgId).collect(),
            log: t.log.into_iter().map(log_in).collect(),
            closed: t.closed.map(log_in),
        }),
        resolved: stored.resolved.map(reply_in),
        closed_at: stored.closed_at,
    })
    .map_err(|_| corrupt("parts inconsistent"))
}

// ---- parties and agreements -----------------------------------------------

fn served_code(served: &Served) -> String {
    match served {
        Served::Solution(code) => format!("solution:{}", code.0),
        Served::MunicipalIdp => "idp".into(),
        Served::OrganisationData => "organisation_data".into(),
    }
}

fn served(code: &str) -> Result<Served> {
    Ok(match code {
        "idp" => Served::MunicipalIdp,
        "organisation_data" => Served::OrganisationData,
        other => Served::Solution(SolutionCode::new(
            other
                .strip_prefix("solution:")
                .ok_or_else(|| corrupt("served"))?,
        )),
    })
}

type PartyRow = (i64, String, String, String, String, Option<i64>);

macro_rules! party_select {
    ($rest:literal) => {
        concat!(
            "SELECT p.org_id, p.kind, p.serves, p.scale, o.name, CAST(o.code AS BIGINT) \
             FROM incident_parties p JOIN organisations o ON o.id = p.org_id ",
            $rest
        )
    };
}

fn party_record(row: PartyRow) -> Result<PartyRecord> {
    let (org, kind, serves, scale, name, code) = row;
    let kind = PartyKind::parse(&kind).ok_or_else(|| corrupt("party kind"))?;
    let serves: Vec<String> = serde_json::from_str(&serves).map_err(|_| corrupt("serves"))?;
    let levels: Vec<String> = serde_json::from_str(&scale).map_err(|_| corrupt("scale"))?;
    let municipality = match (kind, code) {
        (PartyKind::Municipality, Some(code)) => Some(
            u16::try_from(code)
                .ok()
                .and_then(|c| MunicipalityCode::new(c).ok())
                .ok_or_else(|| corrupt("municipality code"))?,
        ),
        _ => None,
    };
    let party = Party::new(
        OrgId(org),
        kind,
        &name,
        municipality,
        serves
            .iter()
            .map(|s| served(s))
            .collect::<Result<Vec<_>>>()?,
    )
    .map_err(|_| corrupt("party"))?;
    let names: Vec<&str> = levels.iter().map(String::as_str).collect();
    let scale = PriorityScale::new(OrgId(org), &names).map_err(|_| corrupt("scale"))?;
    Ok(PartyRecord { party, scale })
}

async fn party_of(conn: &mut Conn, org: OrgId) -> Result<Option<PartyRecord>> {
    let row: Option<PartyRow> = sqlx::query_as(party_select!("WHERE p.org_id = $1"))
        .bind(org.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(party_record).transpose()
}

async fn acting_party(conn: &mut Conn, org: OrgId) -> Result<PartyRecord> {
    party_of(conn, org)
        .await?
        .ok_or_else(|| ValidationError::new("not_a_party", "the organisation is no party").into())
}

type AgreementRow = (i64, i64, String, String, String, String);

fn chain_agreement(row: AgreementRow) -> Result<ChainAgreement> {
    let (customer, provider, kind, mapping, targets, hours) = row;
    Ok(ChainAgreement {
        customer: OrgId(customer),
        provider: OrgId(provider),
        kind: agreement_kind(&kind).ok_or_else(|| corrupt("agreement kind"))?,
        mapping: serde_json::from_str(&mapping).map_err(|_| corrupt("mapping"))?,
        targets: serde_json::from_str(&targets).map_err(|_| corrupt("targets"))?,
        hours: ServiceHours::parse(&hours).map_err(|_| corrupt("agreement hours"))?,
    })
}

/// The rules' agreement and mapping between two parties, or the refusal
/// that they have none.
fn rules_of(
    stored: &ChainAgreement,
    customer: &PartyRecord,
    provider: &PartyRecord,
) -> std::result::Result<(Agreement, PriorityMapping), IncidentError> {
    let targets = stored
        .targets
        .iter()
        .map(|(response, resolution)| Targets {
            response: time::Duration::minutes(*response),
            resolution: time::Duration::minutes(*resolution),
        })
        .collect();
    let agreement = Agreement::new(
        stored.kind,
        customer.party.id,
        &provider.scale,
        targets,
        stored.hours.clone(),
    )?;
    let mapping = PriorityMapping::new(
        &customer.scale,
        &provider.scale,
        stored.mapping.iter().copied().map(Priority).collect(),
    )?;
    Ok((agreement, mapping))
}

// ---- incidents --------------------------------------------------------------

async fn lock_incident(conn: &mut Conn, id: IncidentId) -> Result<Incident> {
    let parts: Option<String> = sqlx::query_scalar(concat!(
        "SELECT parts FROM incidents WHERE id = $1",
        for_update!()
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    from_json(&parts.ok_or(StorageError::NotFound("incident"))?)
}

/// Writes the incident back, its links repeated for the look-ups.
async fn write_incident(conn: &mut Conn, incident: &Incident, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE incidents SET parts = $2, state = $3, updated_at = $4 WHERE id = $1")
        .bind(incident.id().0)
        .bind(to_json(incident)?)
        .bind(incident.state().code())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM incident_links WHERE incident_id = $1")
        .bind(incident.id().0)
        .execute(&mut *conn)
        .await?;
    for link in incident.links() {
        sqlx::query(
            "INSERT INTO incident_links (incident_id, link_no, sender_org, receiver_org, \
             reference, state, escalated) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(incident.id().0)
        .bind(i64::from(link.id().0))
        .bind(link.sender().0)
        .bind(link.receiver().0)
        .bind(link.reference())
        .bind(link.state().kind().code())
        .bind(link.escalated_at().is_some())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Queues an e-mail to every active person with an address of `org`,
/// once per `key`.
async fn notify(
    conn: &mut Conn,
    org: OrgId,
    key: &str,
    subject: &str,
    body: &str,
    at: OffsetDateTime,
) -> Result<u64> {
    queue(conn, Recipients::Org(org), key, subject, body, at).await
}

/// Whom an e-mail goes to: everyone of an organisation, or one person.
enum Recipients {
    Org(OrgId),
    User(UserId),
}

/// Queues an e-mail to each active recipient with an address, once per
/// `key` and person (`{key}:{user}`).
async fn queue(
    conn: &mut Conn,
    to: Recipients,
    key: &str,
    subject: &str,
    body: &str,
    at: OffsetDateTime,
) -> Result<u64> {
    macro_rules! insert {
        ($who:literal) => {
            concat!(
                "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, body, \
                 state, attempts, next_attempt_at, created_at) \
                 SELECT $1 || ':' || CAST(u.id AS TEXT), u.org_id, u.id, u.email, $2, $3, \
                 'queued', 0, $4, $4 FROM users u WHERE u.active AND u.email IS NOT NULL AND ",
                $who,
                " ON CONFLICT (delivery_key) DO NOTHING"
            )
        };
    }
    let (sql, id) = match to {
        Recipients::Org(org) => (insert!("u.org_id = $5"), org.0),
        Recipients::User(user) => (insert!("u.id = $5"), user.0),
    };
    Ok(sqlx::query(sql)
        .bind(key)
        .bind(subject)
        .bind(body)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

fn link_subject(id: IncidentId, link: LinkId, what: &str) -> String {
    format!(
        "Hændelse {} / Incident {}: led {} / link {}: {what}",
        id.0, id.0, link.0, link.0
    )
}

const SIGN_IN: &str = "Se hændelsen i samspil under Værktøjer / Hændelser. / See the incident in samspil under Tools / Incidents.";

async fn community_org(conn: &mut Conn) -> Result<Option<OrgId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT p.org_id FROM incident_parties p WHERE p.kind = 'community' ORDER BY p.org_id",
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(OrgId))
}

/// The audit entry of a change: the incident's state and its links' after.
fn link_states(incident: &Incident) -> serde_json::Value {
    serde_json::json!({
        "state": incident.state().code(),
        "links": incident.links().iter().map(|l| serde_json::json!({
            "link": l.id().0, "receiver": l.receiver().0, "state": l.state().kind().code(),
            "escalated": l.escalated_at().is_some(),
        })).collect::<Vec<_>>(),
    })
}

/// A stored interval through the rules (a stored one they refuse is corrupt).
fn interval_of(row: Option<(i64, bool)>) -> Result<Option<ReporterInterval>> {
    let Some((days, business)) = row else {
        return Ok(None);
    };
    let days = u8::try_from(days).map_err(|_| corrupt("update interval"))?;
    ReporterInterval::new(days, business)
        .map(Some)
        .map_err(|_| corrupt("update interval"))
}

/// The incident's state in the reporter's words, both languages.
fn state_words(state: samspil_tools::incident::IncidentState) -> &'static str {
    use samspil_tools::incident::IncidentState as S;
    match state {
        S::AtDesk => "hos servicedesken / at the service desk",
        S::Forwarded => "videresendt i kæden / forwarded down the chain",
        S::Escalated => "eskaleret til fællesskabet / escalated to the community",
        S::TaskForce => "en taskforce arbejder på den / a task force works on it",
        S::Resolved => "løst / resolved",
        S::Closed => "lukket / closed",
    }
}

/// Midnight on the first of the month in Danish time, as an instant in
/// UTC (so both backends compare it with the stored times alike).
fn month_start(year: i32, month: time::Month) -> Result<OffsetDateTime> {
    let date = time::Date::from_calendar_date(year, month, 1)
        .map_err(|_| StorageError::Invalid(ValidationError::new("month", "not a month")))?;
    let noon = time::PrimitiveDateTime::new(date, time::macros::time!(12:00)).assume_utc();
    Ok(time::PrimitiveDateTime::new(date, time::Time::MIDNIGHT)
        .assume_offset(samspil_tools::incident::danish_offset(noon))
        .to_offset(time::UtcOffset::UTC))
}

type SummaryRow = (i64, i64, String, String, OffsetDateTime, String);

macro_rules! summary_select {
    () => {
        "SELECT i.id, i.owner_org, i.solution, i.state, i.opened_at, i.what_happened \
         FROM incidents i"
    };
}

fn summary(row: SummaryRow) -> IncidentSummary {
    let (id, owner, solution, state, opened_at, what_happened) = row;
    IncidentSummary {
        id: IncidentId(id),
        owner: OrgId(owner),
        solution,
        state,
        opened_at,
        what_happened,
    }
}

/// Opens an incident at `desk` from the intake, in the caller's
/// transaction, audited as `access`'s: the rules are checked before the
/// row exists, so a refusal writes nothing. `reporter` is the person who
/// reported it themselves, if it was not the desk's staff.
async fn insert_incident(
    tx: &mut Conn,
    access: &OrgAccess,
    desk: &PartyRecord,
    draft: &IntakeDraft,
    reporter: Option<UserId>,
    at: OffsetDateTime,
) -> Result<IncidentId> {
    let report = IncidentReport::new(draft.clone(), &desk.scale, at).map_err(rule)?;
    Incident::open(IncidentId(0), &desk.party, &desk.scale, report.clone(), at).map_err(rule)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO incidents (owner_org, reporter_org, reporter_user, solution, state, \
         what_happened, opened_at, parts, updated_at) \
         VALUES ($1, $2, $3, $4, 'at_desk', $5, $6, '{}', $6) RETURNING id",
    )
    .bind(desk.party.id.0)
    .bind(draft.municipality.map(|m| m.0))
    .bind(reporter.map(|u| u.0))
    .bind(&report.solution().0)
    .bind(report.what_happened())
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let incident =
        Incident::open(IncidentId(id), &desk.party, &desk.scale, report, at).map_err(rule)?;
    write_incident(tx, &incident, at).await?;
    append_audit(
        tx,
        &AuditEntry::new(
            access.actor(),
            Some(desk.party.id),
            match reporter {
                None => "incident.open",
                Some(_) => "incident.report",
            },
            "incident",
            id,
        )
        .after(serde_json::json!({
            "solution": incident.report().solution().0,
            "priority": incident.priority().0,
            "reporter_org": draft.municipality.map(|m| m.0),
        })),
    )
    .await?;
    Ok(IncidentId(id))
}

#[async_trait]
impl IncidentStore for Store {
    async fn parties(&self) -> Result<Vec<PartyRecord>> {
        let rows: Vec<PartyRow> = sqlx::query_as(party_select!("ORDER BY o.name"))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(party_record).collect()
    }

    async fn set_party(&self, access: &CommunityAccess, party: &NewParty) -> Result<()> {
        let names: Vec<&str> = party.scale.iter().map(String::as_str).collect();
        PriorityScale::new(party.org_id, &names).map_err(rule)?;
        let mut tx = begin_write(&self.pool).await?;
        let org: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT name, CAST(code AS BIGINT) FROM organisations WHERE id = $1")
                .bind(party.org_id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let (name, code) = org.ok_or(StorageError::NotFound("organisation"))?;
        let municipality = match party.kind {
            PartyKind::Municipality => code
                .and_then(|c| u16::try_from(c).ok())
                .and_then(|c| MunicipalityCode::new(c).ok()),
            _ => None,
        };
        Party::new(
            party.org_id,
            party.kind,
            &name,
            municipality,
            party.serves.clone(),
        )
        .map_err(rule)?;
        let serves: Vec<String> = party.serves.iter().map(served_code).collect();
        let serves = serde_json::to_string(&serves).map_err(|e| corrupt(&e.to_string()))?;
        let scale = serde_json::to_string(&party.scale).map_err(|e| corrupt(&e.to_string()))?;
        sqlx::query(
            "INSERT INTO incident_parties (org_id, kind, serves, scale, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id) DO UPDATE SET \
             kind = excluded.kind, serves = excluded.serves, scale = excluded.scale, \
             updated_at = excluded.updated_at",
        )
        .bind(party.org_id.0)
        .bind(party.kind.code())
        .bind(&serves)
        .bind(&scale)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(party.org_id),
                "incident.party.set",
                "organisation",
                party.org_id.0,
            )
            .after(serde_json::json!({
                "kind": party.kind.code(), "serves": serves, "scale": party.scale,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_chain_agreement(
        &self,
        access: &CommunityAccess,
        agreement: &ChainAgreement,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let customer = party_of(&mut tx, agreement.customer)
            .await?
            .ok_or(StorageError::NotFound("party"))?;
        let provider = party_of(&mut tx, agreement.provider)
            .await?
            .ok_or(StorageError::NotFound("party"))?;
        if customer.party.id == provider.party.id {
            return Err(rule(IncidentError::InvalidReceiver));
        }
        rules_of(agreement, &customer, &provider).map_err(rule)?;
        let mapping =
            serde_json::to_string(&agreement.mapping).map_err(|e| corrupt(&e.to_string()))?;
        let targets =
            serde_json::to_string(&agreement.targets).map_err(|e| corrupt(&e.to_string()))?;
        sqlx::query(
            "INSERT INTO incident_agreements (customer_org, provider_org, kind, mapping, targets, \
             updated_at, hours) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (customer_org, provider_org) DO UPDATE SET kind = excluded.kind, \
             mapping = excluded.mapping, targets = excluded.targets, \
             updated_at = excluded.updated_at, hours = excluded.hours",
        )
        .bind(agreement.customer.0)
        .bind(agreement.provider.0)
        .bind(agreement.kind.code())
        .bind(&mapping)
        .bind(&targets)
        .bind(now())
        .bind(agreement.hours.code())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "incident.agreement.set",
                "organisation",
                agreement.provider.0,
            )
            .after(serde_json::json!({
                "customer": agreement.customer.0, "provider": agreement.provider.0,
                "kind": agreement.kind.code(), "mapping": agreement.mapping,
                "targets": agreement.targets, "hours": agreement.hours.code(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn chain_agreements(&self) -> Result<Vec<ChainAgreement>> {
        let rows: Vec<AgreementRow> = sqlx::query_as(
            "SELECT customer_org, provider_org, kind, mapping, targets, hours FROM incident_agreements \
             ORDER BY customer_org, provider_org",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(chain_agreement).collect()
    }

    async fn open_incident(
        &self,
        access: &OrgAccess,
        draft: &IntakeDraft,
        at: OffsetDateTime,
    ) -> Result<IncidentId> {
        let mut tx = begin_write(&self.pool).await?;
        let desk = acting_party(&mut tx, access.org_id()).await?;
        let id = insert_incident(&mut tx, access, &desk, draft, None, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn report_incident(
        &self,
        access: &OrgAccess,
        desk: OrgId,
        draft: &IntakeDraft,
        at: OffsetDateTime,
    ) -> Result<IncidentId> {
        let mut tx = begin_write(&self.pool).await?;
        let kind: Option<String> =
            sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
                .bind(access.org_id().0)
                .fetch_optional(&mut *tx)
                .await?;
        if kind.as_deref() != Some("municipality") {
            return Err(ValidationError::new(
                "not_a_municipality",
                "only a person of a municipality reports an incident to a desk",
            )
            .into());
        }
        let desk = party_of(&mut tx, desk)
            .await?
            .ok_or(StorageError::NotFound("service desk"))?;
        // The reporter's municipality is the one they act for, not a choice.
        let draft = IntakeDraft {
            municipality: Some(access.org_id()),
            ..draft.clone()
        };
        let id =
            insert_incident(&mut tx, access, &desk, &draft, access.actor().user_id, at).await?;
        notify(
            &mut tx,
            desk.party.id,
            &format!("incident:{}:reported", id.0),
            &format!(
                "Hændelse {} / Incident {}: ny henvendelse fra en kommune / reported by a municipality",
                id.0, id.0
            ),
            &format!(
                "{}: {}\n\n{SIGN_IN}",
                draft.solution.0,
                draft.what_happened.trim()
            ),
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn reported_by(&self, user: UserId) -> Result<Vec<IncidentSummary>> {
        let rows: Vec<SummaryRow> = sqlx::query_as(concat!(
            summary_select!(),
            " WHERE i.reporter_user = $1 ORDER BY i.id DESC"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(summary).collect())
    }

    async fn incidents_for(&self, viewer: OrgId) -> Result<Vec<IncidentSummary>> {
        let mut conn = self.pool.acquire().await?;
        let party = party_of(&mut conn, viewer).await?;
        let community = party.as_ref().is_some_and(|p| p.party.is_community());
        let rows: Vec<SummaryRow> = if community {
            sqlx::query_as(concat!(summary_select!(), " ORDER BY i.id DESC"))
                .fetch_all(&mut *conn)
                .await?
        } else {
            // Its own incidents, those with a link it is part of, and (a
            // municipality) those its own people reported; the task force's
            // members see its incident through the rules' check on the page.
            sqlx::query_as(concat!(
                summary_select!(),
                " WHERE i.owner_org = $1 OR i.reporter_org = $1 OR EXISTS (SELECT 1 FROM \
                 incident_links l WHERE l.incident_id = i.id AND (l.sender_org = $1 OR \
                 l.receiver_org = $1)) ORDER BY i.id DESC"
            ))
            .bind(viewer.0)
            .fetch_all(&mut *conn)
            .await?
        };
        Ok(rows.into_iter().map(summary).collect())
    }

    async fn incidents_opened_in(
        &self,
        year: i32,
        month: time::Month,
    ) -> Result<Vec<IncidentSummary>> {
        let start = month_start(year, month)?;
        let end = match month {
            time::Month::December => month_start(year + 1, time::Month::January)?,
            other => month_start(year, other.next())?,
        };
        self.incidents_opened_between(start, end).await
    }

    async fn incidents_opened_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<IncidentSummary>> {
        let rows: Vec<SummaryRow> = sqlx::query_as(concat!(
            summary_select!(),
            " WHERE i.opened_at >= $1 AND i.opened_at < $2 ORDER BY i.opened_at, i.id"
        ))
        .bind(samspil_storage::stored_instant(from))
        .bind(samspil_storage::stored_instant(to))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(summary).collect())
    }

    async fn incident(&self, id: IncidentId) -> Result<Incident> {
        let parts: Option<String> = sqlx::query_scalar("SELECT parts FROM incidents WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        from_json(&parts.ok_or(StorageError::NotFound("incident"))?)
    }

    async fn link_by_reference(
        &self,
        receiver: OrgId,
        reference: &str,
    ) -> Result<(IncidentId, LinkId)> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT incident_id, link_no FROM incident_links WHERE receiver_org = $1 AND \
             reference = $2 AND state <> 'closed' ORDER BY incident_id DESC",
        )
        .bind(receiver.0)
        .bind(reference.trim())
        .fetch_all(&self.pool)
        .await?;
        let (incident, link) = rows.first().ok_or(StorageError::NotFound("link"))?;
        Ok((
            IncidentId(*incident),
            LinkId(u32::try_from(*link).map_err(|_| corrupt("link number"))?),
        ))
    }

    async fn change_incident(
        &self,
        access: &OrgAccess,
        id: IncidentId,
        change: &IncidentChange,
        at: OffsetDateTime,
    ) -> Result<Incident> {
        let mut tx = begin_write(&self.pool).await?;
        let mut incident = lock_incident(&mut tx, id).await?;
        let actor = acting_party(&mut tx, access.org_id()).await?;
        if !samspil_tools::incident::may_see(&actor.party, &incident) {
            return Err(StorageError::NotFound("incident"));
        }
        let before = link_states(&incident);
        let mut mails: Vec<(OrgId, String, String, String)> = Vec::new();
        match change {
            IncidentChange::Forward { from, receiver } => {
                let sender_org = match from {
                    Forwarder::Owner => incident.owner(),
                    Forwarder::Link(link) => incident.link(*link).map_err(rule)?.receiver(),
                };
                if sender_org != actor.party.id {
                    return Err(rule(IncidentError::MayNotForward));
                }
                let receiver = party_of(&mut tx, *receiver)
                    .await?
                    .ok_or_else(|| rule(IncidentError::InvalidReceiver))?;
                let stored: Option<AgreementRow> = sqlx::query_as(
                    "SELECT customer_org, provider_org, kind, mapping, targets, hours FROM \
                     incident_agreements WHERE customer_org = $1 AND provider_org = $2",
                )
                .bind(actor.party.id.0)
                .bind(receiver.party.id.0)
                .fetch_optional(&mut *tx)
                .await?;
                let stored = stored.ok_or_else(|| {
                    StorageError::Invalid(ValidationError::new(
                        "no_agreement",
                        "no agreement between the two parties",
                    ))
                })?;
                let (agreement, mapping) =
                    rules_of(&chain_agreement(stored)?, &actor, &receiver).map_err(rule)?;
                let link = incident
                    .forward(
                        *from,
                        &actor.party,
                        &receiver.party,
                        &agreement,
                        &mapping,
                        at,
                    )
                    .map_err(rule)?;
                mails.push((
                    receiver.party.id,
                    format!("incident:{}:{}:forwarded", id.0, link.0),
                    link_subject(id, link, "videresendt til jer / forwarded to you"),
                    format!(
                        "{}: {}\n\n{SIGN_IN}",
                        incident.report().solution().0,
                        incident.report().what_happened()
                    ),
                ));
            }
            IncidentChange::Act {
                link,
                action,
                reason,
            } => {
                incident
                    .act(*link, &actor.party, *action, reason.as_deref(), at)
                    .map_err(rule)?;
                let found = incident.link(*link).map_err(rule)?;
                let other = if found.receiver() == actor.party.id {
                    found.sender()
                } else {
                    found.receiver()
                };
                let step = found.history().len();
                mails.push((
                    other,
                    format!("incident:{}:{}:{step}", id.0, link.0),
                    link_subject(id, *link, found.state().kind().code()),
                    SIGN_IN.to_owned(),
                ));
            }
            IncidentChange::SetReference { link, reference } => incident
                .set_reference(*link, &actor.party, reference, at)
                .map_err(rule)?,
            IncidentChange::Reply { text } => incident
                .reply_to_reporter(&actor.party, text, at)
                .map_err(rule)?,
            IncidentChange::Resolve { summary } => {
                incident.resolve(&actor.party, summary, at).map_err(rule)?;
                if let Some(org) = incident.report().reporter().municipality {
                    mails.push((
                        org,
                        format!("incident:{}:resolved", id.0),
                        format!("Hændelse {} er løst / Incident {} is resolved", id.0, id.0),
                        format!("{summary}\n\n{SIGN_IN}"),
                    ));
                }
            }
            IncidentChange::Close => incident.close(&actor.party, at).map_err(rule)?,
            IncidentChange::Escalate { link, reason } => {
                incident
                    .escalate(*link, &actor.party, reason, at)
                    .map_err(rule)?;
                if let Some(community) = community_org(&mut tx).await? {
                    mails.push((
                        community,
                        format!("incident:{}:{}:escalated", id.0, link.0),
                        link_subject(id, *link, "eskaleret / escalated"),
                        SIGN_IN.to_owned(),
                    ));
                }
            }
            IncidentChange::CallTaskForce { invited } => {
                incident
                    .call_task_force(&actor.party, invited, at)
                    .map_err(rule)?;
                for org in invited {
                    mails.push((
                        *org,
                        format!("incident:{}:task_force", id.0),
                        format!(
                            "Hændelse {} / Incident {}: indkaldt til taskforce / called to a task force",
                            id.0, id.0
                        ),
                        format!(
                            "{}: {}\n\nTaskforcens statusside / The task force's status page: \
                             /vaerktoejer/haendelser/{}/statusside\n\n{SIGN_IN}",
                            incident.report().solution().0,
                            incident.report().what_happened(),
                            id.0
                        ),
                    ));
                }
            }
            IncidentChange::Log { text } => incident.log(&actor.party, text, at).map_err(rule)?,
            IncidentChange::CloseTaskForce { summary } => incident
                .close_task_force(&actor.party, summary, at)
                .map_err(rule)?,
        }
        write_incident(&mut tx, &incident, at).await?;
        for (org, key, subject, body) in mails {
            notify(&mut tx, org, &key, &subject, &body, at).await?;
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(actor.party.id),
                change.audit_action(),
                "incident",
                id.0,
            )
            .before(before)
            .after(link_states(&incident)),
        )
        .await?;
        tx.commit().await?;
        Ok(incident)
    }

    async fn set_reporter_interval(
        &self,
        access: &OrgAccess,
        interval: Option<ReporterInterval>,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let desk = acting_party(&mut tx, access.org_id()).await?;
        if desk.party.kind != PartyKind::ServiceDesk {
            return Err(rule(IncidentError::NotAServiceDesk));
        }
        sqlx::query(
            "UPDATE incident_parties SET update_days = $2, update_business = $3, updated_at = $4 \
             WHERE org_id = $1",
        )
        .bind(desk.party.id.0)
        .bind(interval.map(|i| i64::from(i.days())))
        .bind(interval.is_some_and(|i| i.business()))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(desk.party.id),
                "incident.reporter_interval",
                "organisation",
                desk.party.id.0,
            )
            .after(serde_json::json!({
                "days": interval.map(|i| i.days()),
                "business": interval.map(|i| i.business()),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reporter_interval(&self, desk: OrgId) -> Result<Option<ReporterInterval>> {
        let row: Option<(Option<i64>, bool)> = sqlx::query_as(
            "SELECT update_days, update_business FROM incident_parties WHERE org_id = $1",
        )
        .bind(desk.0)
        .fetch_optional(&self.pool)
        .await?;
        interval_of(row.and_then(|(days, business)| days.map(|d| (d, business))))
    }

    async fn send_reporter_updates(&self, at: OffsetDateTime) -> Result<u64> {
        type Row = (i64, i64, i64, Option<OffsetDateTime>, i64, bool, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT i.id, i.reporter_user, i.reporter_updates, i.reporter_updated_at, \
             p.update_days, p.update_business, i.parts FROM incidents i \
             JOIN incident_parties p ON p.org_id = i.owner_org \
             WHERE p.update_days IS NOT NULL AND i.reporter_user IS NOT NULL \
             AND i.state NOT IN ('resolved', 'closed') ORDER BY i.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut sent = 0u64;
        for (id, user, updates, updated_at, days, business, parts) in rows {
            let Some(interval) = interval_of(Some((days, business)))? else {
                continue;
            };
            let incident = from_json(&parts)?;
            let due =
                samspil_tools::incident::next_reporter_update_at(&incident, interval, updated_at);
            if due.is_none_or(|due| due > at) {
                continue;
            }
            let mut tx = begin_write(&self.pool).await?;
            // Decided on the count read: a runner that read the same count
            // and wrote first leaves this write nothing to change.
            let won = sqlx::query(
                "UPDATE incidents SET reporter_updates = reporter_updates + 1, \
                 reporter_updated_at = $2 WHERE id = $1 AND reporter_updates = $3",
            )
            .bind(id)
            .bind(at)
            .bind(updates)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if won != 1 {
                continue;
            }
            let last = incident.replies().last().map(|r| r.text.as_str());
            let body = format!(
                "{}: {}\n\n{}{SIGN_IN}",
                incident.report().solution().0,
                state_words(incident.state()),
                last.map(|text| format!("Seneste svar / Latest reply: {text}\n\n"))
                    .unwrap_or_default(),
            );
            queue(
                &mut tx,
                Recipients::User(UserId(user)),
                &format!("incident:{id}:update:{}", updates + 1),
                &format!("Hændelse {id} / Incident {id}: status"),
                &body,
                at,
            )
            .await?;
            let system = Actor {
                user_id: None::<UserId>,
                label: "system".into(),
            };
            append_audit(
                &mut tx,
                &AuditEntry::new(&system, None, "incident.reporter_update", "incident", id).after(
                    serde_json::json!({
                        "update": updates + 1, "state": incident.state().code(),
                    }),
                ),
            )
            .await?;
            tx.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }

    async fn escalate_due(&self, at: OffsetDateTime) -> Result<u64> {
        // The incidents with a link still owing work and not escalated yet.
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT incident_id FROM incident_links WHERE state IN \
             ('open', 'needs_information', 'accepted') AND NOT escalated ORDER BY incident_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut escalated = 0u64;
        for id in ids {
            let mut tx = begin_write(&self.pool).await?;
            let mut incident = lock_incident(&mut tx, IncidentId(id)).await?;
            let links = incident.escalate_due(at);
            if links.is_empty() {
                continue;
            }
            write_incident(&mut tx, &incident, at).await?;
            let community = community_org(&mut tx).await?;
            for link in &links {
                if let Some(community) = community {
                    notify(
                        &mut tx,
                        community,
                        &format!("incident:{id}:{}:escalated", link.0),
                        &link_subject(IncidentId(id), *link, "eskaleret / escalated"),
                        SIGN_IN,
                        at,
                    )
                    .await?;
                }
                let found = incident.link(*link).map_err(rule)?;
                notify(
                    &mut tx,
                    found.sender(),
                    &format!("incident:{id}:{}:overdue", link.0),
                    &link_subject(
                        IncidentId(id),
                        *link,
                        "fristen er overskredet / past its deadline",
                    ),
                    SIGN_IN,
                    at,
                )
                .await?;
            }
            let system = Actor {
                user_id: None::<UserId>,
                label: "system".into(),
            };
            append_audit(
                &mut tx,
                &AuditEntry::new(&system, None, "incident.escalate_due", "incident", id)
                    .after(link_states(&incident)),
            )
            .await?;
            tx.commit().await?;
            escalated += links.len() as u64;
        }
        Ok(escalated)
    }
}
