//! Escalation to the community (the slides: "Leverandøren skal eskalere
//! sagen til KOMBIT, såfremt næste led i kæden ikke håndterer sagen") and
//! the task force the community may call ("KOMBIT har – om nødvendigt –
//! mulighed for at indkalde til taskforce").

use time::OffsetDateTime;

use super::follow_up::{Overdue, overdue_links};
use super::intake::{self, IntakeField, MAX_DESCRIPTION};
use super::{
    Incident, IncidentError, LinkEvent, LinkEventKind, LinkId, LinkStateKind, Party, PartyId,
};

/// Why a link went to the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscalationCause {
    /// The receiver did not respond by the response deadline.
    ResponseOverdue,
    /// The receiver did not resolve by the resolution deadline.
    ResolutionOverdue,
    /// The link's sender or the incident's owner escalated it.
    ByHand,
}

impl EscalationCause {
    pub fn code(self) -> &'static str {
        match self {
            EscalationCause::ResponseOverdue => "response_overdue",
            EscalationCause::ResolutionOverdue => "resolution_overdue",
            EscalationCause::ByHand => "by_hand",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub link: LinkId,
    pub at: OffsetDateTime,
    pub cause: EscalationCause,
    /// Who escalated by hand; `None` when the rules did.
    pub by: Option<PartyId>,
    pub reason: Option<String>,
}

/// The links of `incident` that are due to go to the community at `now`:
/// [`overdue_links`] not escalated yet (once is enough; the sender's
/// reminders go on).
pub fn due_for_escalation(
    incident: &Incident,
    now: OffsetDateTime,
) -> Vec<(LinkId, EscalationCause)> {
    overdue_links(incident, now)
        .into_iter()
        .filter(|overdue| {
            incident
                .link(overdue.link)
                .is_ok_and(|l| l.escalated_at.is_none())
        })
        .map(|overdue| {
            let cause = match overdue.clock {
                Overdue::Response => EscalationCause::ResponseOverdue,
                Overdue::Resolution => EscalationCause::ResolutionOverdue,
            };
            (overdue.link, cause)
        })
        .collect()
}

impl Incident {
    /// Escalates every link [`due_for_escalation`] at `now`; the ids escalated.
    pub fn escalate_due(&mut self, now: OffsetDateTime) -> Vec<LinkId> {
        let due = due_for_escalation(self, now);
        for (link, cause) in &due {
            self.record_escalation(*link, *cause, None, None, now);
        }
        due.into_iter().map(|(link, _)| link).collect()
    }

    /// The link's sender or the incident's owner sends a link to the
    /// community with a reason: not acted on as it can be expected, or
    /// rejected where the sender thinks it belongs.
    pub fn escalate(
        &mut self,
        link: LinkId,
        actor: &Party,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        self.check_open()?;
        let found = self.link(link)?;
        if actor.id != found.sender && actor.id != self.owner {
            return Err(IncidentError::MayNotEscalate);
        }
        if found.state.kind() == LinkStateKind::Closed {
            return Err(IncidentError::LinkClosed);
        }
        if found.escalated_at.is_some() {
            return Err(IncidentError::AlreadyEscalated);
        }
        let reason = intake::required(IntakeField::Text, reason, MAX_DESCRIPTION)?;
        self.record_escalation(
            link,
            EscalationCause::ByHand,
            Some(actor.id),
            Some(reason),
            now,
        );
        Ok(())
    }

    fn record_escalation(
        &mut self,
        link: LinkId,
        cause: EscalationCause,
        by: Option<PartyId>,
        reason: Option<String>,
        now: OffsetDateTime,
    ) {
        let Ok(found) = self.link_mut(link) else {
            return;
        };
        found.escalated_at = Some(now);
        found.history.push(LinkEvent {
            at: now,
            by: by.unwrap_or(found.sender),
            kind: LinkEventKind::Escalated,
            text: reason.clone(),
        });
        self.escalations.push(Escalation {
            link,
            at: now,
            cause,
            by,
            reason,
        });
    }
}

/// A line of the task force's shared log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: OffsetDateTime,
    pub by: PartyId,
    pub text: String,
}

/// The task force: the parties the community invited, a shared log, and
/// the summary it closed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskForce {
    pub called_at: OffsetDateTime,
    pub called_by: PartyId,
    members: Vec<PartyId>,
    log: Vec<LogEntry>,
    closed: Option<LogEntry>,
}

impl TaskForce {
    pub(super) fn from_parts(
        called_at: OffsetDateTime,
        called_by: PartyId,
        members: Vec<PartyId>,
        log: Vec<LogEntry>,
        closed: Option<LogEntry>,
    ) -> TaskForce {
        TaskForce {
            called_at,
            called_by,
            members,
            log,
            closed,
        }
    }

    pub fn members(&self) -> &[PartyId] {
        &self.members
    }
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }
    /// The summary it was closed with.
    pub fn summary(&self) -> Option<&LogEntry> {
        self.closed.as_ref()
    }
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
    pub fn is_member(&self, party: PartyId) -> bool {
        self.members.contains(&party)
    }
}

impl Incident {
    fn community(actor: &Party) -> Result<(), IncidentError> {
        match actor.is_community() {
            true => Ok(()),
            false => Err(IncidentError::NotTheCommunity),
        }
    }

    fn open_task_force(&mut self) -> Result<&mut TaskForce, IncidentError> {
        self.check_open()?;
        match self.task_force.as_mut() {
            Some(force) if force.is_open() => Ok(force),
            _ => Err(IncidentError::TaskForceState),
        }
    }

    /// Community staff call a task force of the owner and `invited`. One
    /// per incident.
    pub fn call_task_force(
        &mut self,
        actor: &Party,
        invited: &[PartyId],
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        Self::community(actor)?;
        self.check_open()?;
        if self.task_force.is_some() {
            return Err(IncidentError::TaskForceState);
        }
        let mut members = vec![self.owner];
        for party in invited {
            if !members.contains(party) {
                members.push(*party);
            }
        }
        self.task_force = Some(TaskForce {
            called_at: now,
            called_by: actor.id,
            members,
            log: Vec::new(),
            closed: None,
        });
        Ok(())
    }

    /// Community staff invite one more party.
    pub fn invite(&mut self, actor: &Party, party: PartyId) -> Result<(), IncidentError> {
        Self::community(actor)?;
        let force = self.open_task_force()?;
        if !force.members.contains(&party) {
            force.members.push(party);
        }
        Ok(())
    }

    /// A member or community staff writes in the shared log.
    pub fn log(
        &mut self,
        actor: &Party,
        text: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        let text = intake::required(IntakeField::Text, text, MAX_DESCRIPTION)?;
        let force = self.open_task_force()?;
        if !force.is_member(actor.id) && !actor.is_community() {
            return Err(IncidentError::NotInTaskForce);
        }
        force.log.push(LogEntry {
            at: now,
            by: actor.id,
            text,
        });
        Ok(())
    }

    /// Community staff close the task force with a summary.
    pub fn close_task_force(
        &mut self,
        actor: &Party,
        summary: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        Self::community(actor)?;
        let text = intake::required(IntakeField::Text, summary, MAX_DESCRIPTION)?;
        let force = self.open_task_force()?;
        force.closed = Some(LogEntry {
            at: now,
            by: actor.id,
            text,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;
    use crate::incident::fixtures::{Chain, at};
    use crate::incident::{Action, IncidentState};

    #[test]
    fn a_link_not_answered_by_its_response_deadline_is_due() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let id = chain.forward_to_vendor(&mut incident); // 10:00, respond within 1 h, resolve within 8 h
        assert!(
            due_for_escalation(&incident, at(11, 0)).is_empty(),
            "the deadline itself is no breach"
        );
        assert_eq!(
            due_for_escalation(&incident, at(11, 0) + Duration::SECOND),
            [(id, EscalationCause::ResponseOverdue)]
        );
        assert_eq!(incident.escalate_due(at(11, 1)), [id]);
        assert!(
            due_for_escalation(&incident, at(23, 0)).is_empty(),
            "once only"
        );
        assert_eq!(incident.state(), IncidentState::Escalated);
        assert_eq!(incident.escalations()[0].by, None);
    }

    #[test]
    fn a_link_answered_but_not_resolved_is_due_at_its_resolution_deadline_not_counting_waits() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let id = chain.forward_to_vendor(&mut incident);
        incident
            .act(
                id,
                &chain.vendor,
                Action::AskForInformation,
                Some("Hvilken sag?"),
                at(10, 30),
            )
            .expect("ask");
        assert!(
            due_for_escalation(&incident, at(20, 0)).is_empty(),
            "waiting for the sender"
        );
        incident
            .act(
                id,
                &chain.desk,
                Action::ProvideInformation,
                Some("Sag 42"),
                at(12, 30),
            )
            .expect("answer");
        // 8 h of resolution less the 2 h pause: due after 20:00.
        assert!(due_for_escalation(&incident, at(20, 0)).is_empty());
        assert_eq!(
            due_for_escalation(&incident, at(20, 1)),
            [(id, EscalationCause::ResolutionOverdue)]
        );
        incident
            .act(
                id,
                &chain.vendor,
                Action::Resolve,
                Some("Rettet"),
                at(19, 0),
            )
            .expect("resolve");
        assert!(
            due_for_escalation(&incident, at(23, 0)).is_empty(),
            "resolved in time"
        );
    }

    #[test]
    fn by_hand_only_the_sender_or_owner_escalates_with_a_reason() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let id = chain.forward_to_vendor(&mut incident);
        assert_eq!(
            incident.escalate(id, &chain.vendor, "nej", at(10, 10)),
            Err(IncidentError::MayNotEscalate)
        );
        assert!(matches!(
            incident.escalate(id, &chain.desk, " ", at(10, 10)),
            Err(IncidentError::InvalidText { .. })
        ));
        incident
            .act(
                id,
                &chain.vendor,
                Action::Reject,
                Some("Ikke vores"),
                at(10, 5),
            )
            .expect("reject");
        incident
            .escalate(id, &chain.desk, "Fejlen ligger i kildesystemet", at(10, 10))
            .expect("escalate");
        assert_eq!(
            incident.escalate(id, &chain.desk, "igen", at(10, 20)),
            Err(IncidentError::AlreadyEscalated)
        );
        assert_eq!(incident.escalations()[0].cause, EscalationCause::ByHand);
        // The community overrules the rejection.
        incident
            .act(
                id,
                &chain.community,
                Action::Overrule,
                Some("Fejlen er leverandørens"),
                at(11, 0),
            )
            .expect("overrule");
        assert_eq!(incident.state(), IncidentState::Escalated);
    }

    #[test]
    fn the_community_calls_a_task_force_with_a_shared_log_and_closes_it() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        chain.forward_to_vendor(&mut incident);
        assert_eq!(
            incident.call_task_force(&chain.desk, &[chain.vendor.id], at(11, 0)),
            Err(IncidentError::NotTheCommunity)
        );
        incident
            .call_task_force(&chain.community, &[chain.vendor.id], at(11, 0))
            .expect("call");
        assert_eq!(incident.state(), IncidentState::TaskForce);
        assert_eq!(
            incident.call_task_force(&chain.community, &[], at(11, 0)),
            Err(IncidentError::TaskForceState)
        );
        incident
            .log(&chain.vendor, "Vi har fundet fejlen", at(11, 30))
            .expect("member logs");
        incident
            .log(&chain.community, "Næste møde kl. 13", at(11, 31))
            .expect("community logs");
        assert_eq!(
            incident.log(&chain.other_vendor, "Hej", at(11, 32)),
            Err(IncidentError::NotInTaskForce)
        );
        incident
            .invite(&chain.community, chain.other_vendor.id)
            .expect("invite");
        incident
            .log(&chain.other_vendor, "Vi kigger med", at(11, 33))
            .expect("now a member");
        incident
            .close_task_force(&chain.community, "Rettet og overvåget", at(14, 0))
            .expect("close");
        assert_eq!(
            incident.log(&chain.vendor, "for sent", at(14, 1)),
            Err(IncidentError::TaskForceState)
        );
        let force = incident.task_force().expect("a task force");
        assert_eq!(
            force.members(),
            [chain.desk.id, chain.vendor.id, chain.other_vendor.id]
        );
        assert_eq!(force.log().len(), 3);
        assert_eq!(incident.state(), IncidentState::Forwarded);
    }
}
