//! The incidents' views, shared by the pages and the API: who the viewer
//! is in the chain (a party, from the signed-in person's organisation),
//! what of an incident they see (the rules' visibility: the links they are
//! part of, nothing of the others'), and the moves the table of
//! transitions allows them on each link.

use std::collections::HashMap;

use samspil_domain::{OrgId, Principal};
use samspil_tools::incident::{
    self, Action, ClockStatus, Forwarder, Incident, IncidentId, Link, LinkState, LinkStateKind,
    Party, PartyKind, PriorityScale, TRANSITIONS,
};
use samspil_tools_storage::PartyRecord;
use samspil_web::error::AppError;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::ToolsState;

/// The parties by organisation.
pub(crate) struct Parties(pub HashMap<OrgId, PartyRecord>);

impl Parties {
    pub(crate) async fn load(state: &ToolsState) -> Result<Parties, AppError> {
        Ok(Parties(
            state
                .storage
                .parties()
                .await?
                .into_iter()
                .map(|p| (p.party.id, p))
                .collect(),
        ))
    }

    pub(crate) fn name(&self, org: OrgId) -> String {
        self.0
            .get(&org)
            .map(|p| p.party.name.clone())
            .unwrap_or_else(|| org.0.to_string())
    }

    fn scale(&self, org: OrgId) -> Option<&PriorityScale> {
        self.0.get(&org).map(|p| &p.scale)
    }

    pub(crate) fn level(&self, org: OrgId, level: incident::Priority) -> String {
        self.scale(org)
            .and_then(|s| s.name(level))
            .map(str::to_owned)
            .unwrap_or_else(|| format!("P{}", level.0 + 1))
    }

    /// The community party, if one is registered.
    fn community(&self) -> Option<&PartyRecord> {
        self.0.values().find(|p| p.party.is_community())
    }
}

/// The party the signed-in person acts and sees as: their organisation's,
/// the community's for staff; `None` when their organisation takes no part.
pub(crate) fn viewer(parties: &Parties, principal: &Principal) -> Option<PartyRecord> {
    if let Some(own) = principal.org_id().and_then(|org| parties.0.get(&org)) {
        return Some(own.clone());
    }
    if principal.is_staff() {
        return parties.community().cloned();
    }
    None
}

/// The viewer's party or a 403 for a person whose organisation takes no
/// part in the chain.
pub(crate) fn viewer_or_refuse(
    parties: &Parties,
    principal: &Principal,
) -> Result<PartyRecord, AppError> {
    viewer(parties, principal).ok_or_else(|| AppError::Forbidden("no party of the chain".into()))
}

/// The access the store acts with: the viewer's organisation, at work level.
pub(crate) fn acting(
    principal: &Principal,
    party: &Party,
) -> Result<samspil_domain::OrgAccess, AppError> {
    principal
        .work_access(party.id)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))
}

fn stamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// A time as the pages show it, in Danish time.
pub(crate) fn shown(at: OffsetDateTime) -> String {
    let local = at.to_offset(incident::danish_offset(at));
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClockView {
    /// running, paused or stopped.
    pub status: String,
    /// When a running clock reaches its target (RFC 3339).
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    /// Whether the target is passed.
    pub breached: bool,
}

fn clock(status: ClockStatus, breached: bool) -> ClockView {
    match status {
        ClockStatus::Running { deadline } => ClockView {
            status: "running".into(),
            deadline: Some(stamp(deadline)),
            deadline_text: Some(shown(deadline)),
            breached,
        },
        ClockStatus::Paused { .. } => ClockView {
            status: "paused".into(),
            deadline: None,
            deadline_text: None,
            breached,
        },
        ClockStatus::Stopped { .. } => ClockView {
            status: "stopped".into(),
            deadline: None,
            deadline_text: None,
            breached,
        },
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub at: String,
    pub at_text: String,
    pub by: String,
    /// forwarded, escalated, reference, or an action's code.
    pub kind: String,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    pub id: u32,
    pub parent: Option<u32>,
    pub sender_id: i64,
    pub sender: String,
    pub receiver_id: i64,
    pub receiver: String,
    /// The receiver's own case number.
    pub reference: Option<String>,
    /// The sender's priority, on the sender's scale.
    pub sender_priority: String,
    /// The receiver's priority, on the receiver's scale.
    pub priority: String,
    /// sla, ola or underpinning_contract.
    pub agreement: String,
    /// open, needs_information, accepted, rejected, resolved or closed.
    pub state: String,
    /// The question, the reason of a rejection, or the resolution.
    pub state_text: Option<String>,
    pub response: ClockView,
    pub resolution: ClockView,
    pub escalated: bool,
    pub history: Vec<EventView>,
    /// What the viewer may do to the link now (action codes).
    pub actions: Vec<String>,
    /// Whether the viewer is the link's receiver.
    pub received: bool,
    /// Whether the viewer may forward further from this link.
    pub may_forward: bool,
    /// Whether the viewer may escalate it by hand.
    pub may_escalate: bool,
}

/// The moves the table allows `viewer` on `link` now.
fn actions_for(viewer: &Party, link: &Link) -> Vec<String> {
    let Some(role) = link.role_of(viewer) else {
        return Vec::new();
    };
    let from = link.state().kind();
    TRANSITIONS
        .iter()
        .filter(|t| t.by == role && t.from.contains(&from))
        .map(|t| t.action.code().to_owned())
        .collect()
}

fn link_view(
    parties: &Parties,
    viewer: &Party,
    incident: &Incident,
    link: &Link,
    now: OffsetDateTime,
) -> LinkView {
    let state_text = match link.state() {
        LinkState::NeedsInformation { question } => Some(question.clone()),
        LinkState::Rejected { reason } => Some(reason.clone()),
        LinkState::Resolved { resolution } => Some(resolution.clone()),
        _ => None,
    };
    let targets = link.targets();
    let open = incident.resolution().is_none() && incident.closed_at().is_none();
    LinkView {
        id: link.id().0,
        parent: link.parent().map(|p| p.0),
        sender_id: link.sender().0,
        sender: parties.name(link.sender()),
        receiver_id: link.receiver().0,
        receiver: parties.name(link.receiver()),
        reference: link.reference().map(str::to_owned),
        sender_priority: parties.level(link.sender(), link.sender_priority()),
        priority: parties.level(link.receiver(), link.priority()),
        agreement: link.agreement().code().to_owned(),
        state: link.state().kind().code().to_owned(),
        state_text,
        response: clock(
            link.response_clock().status(targets.response, now),
            link.response_clock().breached(targets.response, now),
        ),
        resolution: clock(
            link.resolution_clock().status(targets.resolution, now),
            link.resolution_clock().breached(targets.resolution, now),
        ),
        escalated: link.escalated_at().is_some(),
        history: link
            .history()
            .iter()
            .map(|e| EventView {
                at: stamp(e.at),
                at_text: shown(e.at),
                by: parties.name(e.by),
                kind: match &e.kind {
                    incident::LinkEventKind::Forwarded => "forwarded".into(),
                    incident::LinkEventKind::Escalated => "escalated".into(),
                    incident::LinkEventKind::ReferenceSet => "reference".into(),
                    incident::LinkEventKind::Acted(action) => action.code().into(),
                },
                text: e.text.clone(),
            })
            .collect(),
        actions: if open {
            actions_for(viewer, link)
        } else {
            Vec::new()
        },
        received: link.receiver() == viewer.id,
        may_forward: open
            && link.receiver() == viewer.id
            && link.state().kind() == LinkStateKind::Accepted,
        may_escalate: open
            && link.escalated_at().is_none()
            && link.state().kind() != LinkStateKind::Closed
            && (link.sender() == viewer.id || incident.owner() == viewer.id),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplyView {
    pub at: String,
    pub at_text: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub owner_id: i64,
    pub owner: String,
    pub solution: String,
    /// at_desk, forwarded, escalated, task_force, resolved or closed.
    pub state: String,
    pub opened_at: String,
    pub opened_text: String,
    pub occurred_text: String,
    pub reporter: String,
    pub contact: String,
    pub what_happened: String,
    pub examples: Vec<String>,
    pub error_messages: Vec<String>,
    /// The owner's priority, on its scale.
    pub priority: String,
    /// The links the viewer is part of (every one for the community).
    pub links: Vec<LinkView>,
    /// The replies to the reporter, for the owner, the community and the
    /// reporter's municipality.
    pub replies: Option<Vec<ReplyView>>,
    pub task_force: Option<Vec<ReplyView>>,
    pub task_force_open: bool,
    /// Whether the viewer owns the incident.
    pub owned: bool,
    pub community: bool,
    /// Whether the viewer may still forward from the incident itself.
    pub may_forward: bool,
}

/// The incident as `viewer` sees it, or `None` if they may not see it.
pub(crate) fn incident_view(
    parties: &Parties,
    viewer: &Party,
    incident: &Incident,
    now: OffsetDateTime,
) -> Option<IncidentView> {
    let seen = incident::party_view(viewer, incident)?;
    let report = incident.report();
    let open = incident.resolution().is_none() && incident.closed_at().is_none();
    let reply = |r: &incident::Reply| ReplyView {
        at: stamp(r.at),
        at_text: shown(r.at),
        text: r.text.clone(),
    };
    Some(IncidentView {
        id: incident.id().0,
        owner_id: incident.owner().0,
        owner: parties.name(incident.owner()),
        solution: report.solution().0.clone(),
        state: seen.state.code().to_owned(),
        opened_at: stamp(incident.opened_at()),
        opened_text: shown(incident.opened_at()),
        occurred_text: shown(report.occurred_at()),
        reporter: report.reporter().name.clone(),
        contact: report.reporter().contact.clone(),
        what_happened: report.what_happened().to_owned(),
        examples: report.examples().to_vec(),
        error_messages: report.error_messages().to_vec(),
        priority: parties.level(incident.owner(), incident.priority()),
        links: seen
            .links
            .iter()
            .map(|l| link_view(parties, viewer, incident, l, now))
            .collect(),
        replies: seen.replies.map(|r| r.iter().map(reply).collect()),
        task_force: seen.task_force_log.map(|log| {
            log.iter()
                .map(|e| ReplyView {
                    at: stamp(e.at),
                    at_text: format!("{} · {}", shown(e.at), parties.name(e.by)),
                    text: e.text.clone(),
                })
                .collect()
        }),
        task_force_open: incident.task_force().is_some_and(|t| t.is_open()),
        owned: incident.owner() == viewer.id,
        community: viewer.is_community(),
        may_forward: open && incident.owner() == viewer.id,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    pub id: i64,
    pub name: String,
    /// vendor, service_desk, municipality or community.
    pub kind: String,
    pub scale: Vec<String>,
}

pub(crate) fn party_view(record: &PartyRecord) -> PartyView {
    PartyView {
        id: record.party.id.0,
        name: record.party.name.clone(),
        kind: record.party.kind.code().to_owned(),
        scale: record
            .scale
            .levels()
            .filter_map(|l| record.scale.name(l).map(str::to_owned))
            .collect(),
    }
}

/// The parties `from` may forward to: those it has an agreement with.
pub(crate) async fn receivers(
    state: &ToolsState,
    parties: &Parties,
    from: OrgId,
) -> Result<Vec<PartyView>, AppError> {
    let agreements = state.storage.chain_agreements().await?;
    Ok(agreements
        .iter()
        .filter(|a| a.customer == from)
        .filter_map(|a| parties.0.get(&a.provider))
        .map(party_view)
        .collect())
}

/// Reads a forwarder: empty for the incident itself, else a link number.
pub(crate) fn forwarder(from: Option<u32>) -> Forwarder {
    match from {
        None => Forwarder::Owner,
        Some(link) => Forwarder::Link(incident::LinkId(link)),
    }
}

/// An action code, or the refusal that it is none.
pub(crate) fn action(code: &str) -> Result<Action, AppError> {
    Action::parse(code.trim()).ok_or_else(|| {
        AppError::Rule(samspil_domain::ValidationError::new(
            "action",
            "not an action of a link",
        ))
    })
}

/// The desks among the parties (where an incident can be opened).
pub(crate) fn is_desk(party: &Party) -> bool {
    party.kind == PartyKind::ServiceDesk
}

/// An incident the viewer may see, else 404 (its existence is not told).
pub(crate) async fn visible(
    state: &ToolsState,
    viewer: &Party,
    id: i64,
) -> Result<Incident, AppError> {
    let found = match state.storage.incident(IncidentId(id)).await {
        Ok(found) => found,
        Err(samspil_storage::StorageError::NotFound(_)) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    if !incident::may_see(viewer, &found) {
        return Err(AppError::NotFound);
    }
    Ok(found)
}
