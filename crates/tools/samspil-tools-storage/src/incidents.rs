//! The chain of responsibility for incidents (issue 19): the parties
//! (organisations of a kind, with what they serve and their priority
//! scale), the agreements between two parties (priority mapping and
//! targets), and the incidents with their links.
//!
//! Every change of an incident goes through [`IncidentStore::change_incident`]:
//! the store locks the incident's row, restores it through the rules
//! (`Incident::restore`), applies the change by the rules
//! (`samspil_tools::incident`) as the acting party, and writes it back with
//! its audit entry and any notification in the same transaction. A refusal
//! of the rules is a [`samspil_domain::ValidationError`] whose field is the
//! rule's code (`IncidentError::code`), so the web has a sentence for each.

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId, UserId};
use samspil_storage::Result;
use samspil_tools::incident::{
    Action, AgreementKind, Forwarder, Incident, IncidentError, IncidentId, IntakeDraft, LinkId,
    Party, PartyKind, PriorityScale, ReporterInterval, Served, ServiceHours,
};
use time::OffsetDateTime;

#[async_trait]
pub trait IncidentStore: Send + Sync {
    /// Every party, by name.
    async fn parties(&self) -> Result<Vec<PartyRecord>>;

    /// Makes an organisation a party of the chain, or changes its kind,
    /// what it serves and its priority scale (staff).
    async fn set_party(&self, access: &CommunityAccess, party: &NewParty) -> Result<()>;

    /// Sets the agreement between a customer (a link's sender) and a
    /// provider (its receiver): the mapping of priorities and the targets
    /// (staff).
    async fn set_chain_agreement(
        &self,
        access: &CommunityAccess,
        agreement: &ChainAgreement,
    ) -> Result<()>;

    /// Every agreement between two parties.
    async fn chain_agreements(&self) -> Result<Vec<ChainAgreement>>;

    /// Opens an incident at the desk `access` acts for, from the intake,
    /// at `now`; its number.
    async fn open_incident(
        &self,
        access: &OrgAccess,
        draft: &IntakeDraft,
        now: OffsetDateTime,
    ) -> Result<IncidentId>;

    /// Reports an incident to the service desk `desk` for a person of a
    /// municipality (`access`: their own, at work level), at `now`: the
    /// desk owns it from then on, exactly as if its staff had opened it;
    /// the reporter's municipality is theirs, whatever the draft says, and
    /// the desk is told through the outbox. Its number.
    async fn report_incident(
        &self,
        access: &OrgAccess,
        desk: OrgId,
        draft: &IntakeDraft,
        now: OffsetDateTime,
    ) -> Result<IncidentId>;

    /// The incidents `user` reported themselves, newest first ("Mine
    /// henvendelser").
    async fn reported_by(&self, user: UserId) -> Result<Vec<IncidentSummary>>;

    /// The incidents `viewer` may see (every one for the community), newest
    /// first, each with the summary the lists show.
    async fn incidents_for(&self, viewer: OrgId) -> Result<Vec<IncidentSummary>>;

    /// The incidents opened in a calendar month in Danish time, oldest
    /// first: what the monthly meeting's fixed item lists (issue 19,
    /// "the monthly meeting's fixed item lists the month's incidents").
    async fn incidents_opened_in(
        &self,
        year: i32,
        month: time::Month,
    ) -> Result<Vec<IncidentSummary>>;

    /// The incidents opened at or after `from` and before `to`, oldest
    /// first: what the meeting's Servicemeddelelser item lists of the
    /// period since the previous meeting.
    async fn incidents_opened_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<IncidentSummary>>;

    /// One incident as the rules hold it (the caller checks who may see it).
    async fn incident(&self, id: IncidentId) -> Result<Incident>;

    /// The incident and link a party's own case number names (e-bonding:
    /// the receiver's desk system finds its link by its own reference).
    async fn link_by_reference(
        &self,
        receiver: OrgId,
        reference: &str,
    ) -> Result<(IncidentId, LinkId)>;

    /// Applies a change to an incident as the party `access` acts for, by
    /// the rules, at `now`: locked, audited, notifications queued.
    async fn change_incident(
        &self,
        access: &OrgAccess,
        id: IncidentId,
        change: &IncidentChange,
        now: OffsetDateTime,
    ) -> Result<Incident>;

    /// Sets how often the desk `access` acts for tells its reporters of
    /// progress (`None`: no fixed updates), audited.
    async fn set_reporter_interval(
        &self,
        access: &OrgAccess,
        interval: Option<ReporterInterval>,
    ) -> Result<()>;

    /// The interval a desk set, if any.
    async fn reporter_interval(&self, desk: OrgId) -> Result<Option<ReporterInterval>>;

    /// Sends every reporter who reported an incident themselves word of
    /// its progress through the outbox, where their desk set an interval
    /// and they had none within it at `now` (the job); once per interval,
    /// whatever number of runners ask at once. The number sent.
    async fn send_reporter_updates(&self, now: OffsetDateTime) -> Result<u64>;

    /// Escalates every link past a running deadline at `now` that is not
    /// escalated yet (the job); the number of links escalated.
    async fn escalate_due(&self, now: OffsetDateTime) -> Result<u64>;
}

/// A party as stored, with its organisation's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRecord {
    pub party: Party,
    pub scale: PriorityScale,
}

/// What makes an organisation a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    pub org_id: OrgId,
    pub kind: PartyKind,
    pub serves: Vec<Served>,
    /// The priority levels, most urgent first.
    pub scale: Vec<String>,
}

/// The agreement between two parties, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAgreement {
    pub customer: OrgId,
    pub provider: OrgId,
    pub kind: AgreementKind,
    /// `mapping[i]` is the provider's level for the customer's level `i`.
    pub mapping: Vec<u8>,
    /// Per provider level, most urgent first: (response, resolution) in minutes.
    pub targets: Vec<(i64, i64)>,
    /// The hours the links' clocks count: calendar or business hours.
    pub hours: ServiceHours,
}

/// What the lists show of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub owner: OrgId,
    pub solution: String,
    pub state: String,
    pub opened_at: OffsetDateTime,
    pub what_happened: String,
}

/// A change of an incident, made by the acting party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentChange {
    /// Forward to `receiver` (from the incident itself as its owner, or
    /// from a link the actor received and accepted).
    Forward { from: Forwarder, receiver: OrgId },
    /// A move of a link by the table of transitions.
    Act {
        link: LinkId,
        action: Action,
        reason: Option<String>,
    },
    /// The receiver's own case number for its link.
    SetReference { link: LinkId, reference: String },
    /// The owner tells the reporter.
    Reply { text: String },
    /// The owner resolves the incident.
    Resolve { summary: String },
    /// The owner closes it.
    Close,
    /// The sender or owner escalates a link by hand.
    Escalate { link: LinkId, reason: String },
    /// The community calls a task force.
    CallTaskForce { invited: Vec<OrgId> },
    /// A line in the task force's log.
    Log { text: String },
    /// The community closes the task force with a summary.
    CloseTaskForce { summary: String },
}

impl IncidentChange {
    /// The change's action in the audit log.
    pub fn audit_action(&self) -> &'static str {
        match self {
            IncidentChange::Forward { .. } => "incident.forward",
            IncidentChange::Act { .. } => "incident.act",
            IncidentChange::SetReference { .. } => "incident.reference",
            IncidentChange::Reply { .. } => "incident.reply",
            IncidentChange::Resolve { .. } => "incident.resolve",
            IncidentChange::Close => "incident.close",
            IncidentChange::Escalate { .. } => "incident.escalate",
            IncidentChange::CallTaskForce { .. } => "incident.task_force",
            IncidentChange::Log { .. } => "incident.log",
            IncidentChange::CloseTaskForce { .. } => "incident.close_task_force",
        }
    }
}

/// A refusal of the rules as the platform's validation error: the field
/// is the rule's stable code, so no typed text (no CPR number) is repeated;
/// a refusal of one of the intake's texts names that field instead, with
/// the rule it broke (`rule-incident-…` texts), so it is shown there.
pub fn refusal(error: IncidentError) -> samspil_domain::ValidationError {
    use samspil_domain::BrokenRule;
    let code = error.code();
    match error {
        IncidentError::InvalidText { field, problem } => samspil_domain::ValidationError {
            field: field.code(),
            problem: problem.problem,
            rule: problem.rule,
        },
        IncidentError::CprNumberInText { field } => samspil_domain::ValidationError {
            field: field.code(),
            problem: "the text holds a CPR number".into(),
            rule: Some(BrokenRule::Named {
                key: "incident-cpr-number",
                values: Vec::new(),
            }),
        },
        // The interval's form field.
        IncidentError::IntervalInvalid => {
            samspil_domain::ValidationError::new("days", "an interval of 1 to 30 days")
        }
        IncidentError::TooManyEntries { field, max } => samspil_domain::ValidationError {
            field: field.code(),
            problem: format!("at most {max} lines"),
            rule: Some(BrokenRule::Named {
                key: "incident-too-many-entries",
                values: vec![("max", max.to_string())],
            }),
        },
        other => samspil_domain::ValidationError::new(code, other.to_string()),
    }
}
