//! An incident in plain parts, for the storage layer to write and read
//! back: [`Incident::to_parts`] gives every fact, [`Incident::restore`]
//! rebuilds the incident from them — replaying each clock's events through
//! the same [`Stopwatch`] methods and checking that the parts agree with
//! one another (link numbers, parents, senders, states against clocks), so
//! a row edited by hand is refused rather than trusted.

use time::OffsetDateTime;

use super::{
    AgreementKind, Escalation, Incident, IncidentError, IncidentId, IncidentReport, Link,
    LinkEvent, LinkId, LinkState, LinkStateKind, LogEntry, PartyId, Priority, Reply, ServiceHours,
    Stopwatch, Targets, TaskForce,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopwatchParts {
    pub started: OffsetDateTime,
    pub hours: ServiceHours,
    /// Closed pauses (from, until), in order; a reopening's stopped time is one.
    pub pauses: Vec<(OffsetDateTime, OffsetDateTime)>,
    pub paused_since: Option<OffsetDateTime>,
    pub stopped_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkParts {
    pub id: LinkId,
    pub parent: Option<LinkId>,
    pub sender: PartyId,
    pub receiver: PartyId,
    pub reference: Option<String>,
    pub sender_priority: Priority,
    pub priority: Priority,
    pub agreement: AgreementKind,
    pub targets: Targets,
    pub state: LinkState,
    pub created_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub response: StopwatchParts,
    pub resolution: StopwatchParts,
    pub escalated_at: Option<OffsetDateTime>,
    pub history: Vec<LinkEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskForceParts {
    pub called_at: OffsetDateTime,
    pub called_by: PartyId,
    pub members: Vec<PartyId>,
    pub log: Vec<LogEntry>,
    pub closed: Option<LogEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentParts {
    pub id: IncidentId,
    pub owner: PartyId,
    pub report: IncidentReport,
    pub priority: Priority,
    pub opened_at: OffsetDateTime,
    pub links: Vec<LinkParts>,
    pub replies: Vec<Reply>,
    pub escalations: Vec<Escalation>,
    pub task_force: Option<TaskForceParts>,
    pub resolved: Option<Reply>,
    pub closed_at: Option<OffsetDateTime>,
}

fn inconsistent<T>() -> Result<T, IncidentError> {
    Err(IncidentError::Inconsistent)
}

impl Stopwatch {
    pub fn to_parts(&self) -> StopwatchParts {
        StopwatchParts {
            started: self.started(),
            hours: self.hours().clone(),
            pauses: self.closed_pauses().collect(),
            paused_since: self.paused_since(),
            stopped_at: self.stopped_at(),
        }
    }

    /// The clock the parts describe, by replaying them in order.
    pub fn restore(parts: StopwatchParts) -> Result<Stopwatch, IncidentError> {
        if parts.paused_since.is_some() && parts.stopped_at.is_some() {
            return inconsistent();
        }
        let mut clock = Stopwatch::start_in(parts.started, parts.hours);
        for (from, until) in parts.pauses {
            if from < parts.started {
                return inconsistent();
            }
            clock.pause(from)?;
            clock.resume(until)?;
        }
        if let Some(at) = parts.paused_since {
            clock.pause(at)?;
        }
        if let Some(at) = parts.stopped_at {
            clock.stop(at)?;
        }
        Ok(clock)
    }
}

impl Link {
    pub(super) fn to_parts(&self) -> LinkParts {
        LinkParts {
            id: self.id,
            parent: self.parent,
            sender: self.sender,
            receiver: self.receiver,
            reference: self.reference.clone(),
            sender_priority: self.sender_priority,
            priority: self.priority,
            agreement: self.agreement,
            targets: self.targets,
            state: self.state.clone(),
            created_at: self.created_at,
            accepted_at: self.accepted_at,
            response: self.response.to_parts(),
            resolution: self.resolution.to_parts(),
            escalated_at: self.escalated_at,
            history: self.history.clone(),
        }
    }

    pub(super) fn restore(parts: LinkParts) -> Result<Link, IncidentError> {
        let response = Stopwatch::restore(parts.response)?;
        let resolution = Stopwatch::restore(parts.resolution)?;
        let kind = parts.state.kind();
        let clocks_agree = response.started() == parts.created_at
            && resolution.started() == parts.created_at
            && resolution.is_paused() == (kind == LinkStateKind::NeedsInformation)
            && resolution.is_stopped()
                == matches!(
                    kind,
                    LinkStateKind::Rejected | LinkStateKind::Resolved | LinkStateKind::Closed
                )
            && (response.is_stopped() || kind == LinkStateKind::Open)
            && !response.is_paused()
            && (kind != LinkStateKind::Accepted || parts.accepted_at.is_some());
        if !clocks_agree || parts.sender == parts.receiver {
            return inconsistent();
        }
        Ok(Link {
            id: parts.id,
            parent: parts.parent,
            sender: parts.sender,
            receiver: parts.receiver,
            reference: parts.reference,
            sender_priority: parts.sender_priority,
            priority: parts.priority,
            agreement: parts.agreement,
            targets: parts.targets,
            state: parts.state,
            created_at: parts.created_at,
            accepted_at: parts.accepted_at,
            response,
            resolution,
            escalated_at: parts.escalated_at,
            history: parts.history,
        })
    }
}

impl Incident {
    /// Every fact of the incident, for storage.
    pub fn to_parts(&self) -> IncidentParts {
        IncidentParts {
            id: self.id,
            owner: self.owner,
            report: self.report.clone(),
            priority: self.priority,
            opened_at: self.opened_at,
            links: self.links.iter().map(Link::to_parts).collect(),
            replies: self.replies.clone(),
            escalations: self.escalations.clone(),
            task_force: self.task_force.as_ref().map(|force| TaskForceParts {
                called_at: force.called_at,
                called_by: force.called_by,
                members: force.members().to_vec(),
                log: force.log().to_vec(),
                closed: force.summary().cloned(),
            }),
            resolved: self.resolved.clone(),
            closed_at: self.closed_at,
        }
    }

    /// The incident the parts describe, if they agree with one another.
    pub fn restore(parts: IncidentParts) -> Result<Incident, IncidentError> {
        let links = parts
            .links
            .into_iter()
            .map(Link::restore)
            .collect::<Result<Vec<_>, _>>()?;
        for (i, link) in links.iter().enumerate() {
            let numbered = link.id == LinkId(i as u32 + 1);
            let sender_fits = match link.parent {
                None => link.sender == parts.owner,
                Some(parent) => links[..i]
                    .iter()
                    .any(|p| p.id == parent && p.receiver == link.sender),
            };
            let twice = link.state.kind().is_active()
                && links[..i]
                    .iter()
                    .any(|l| l.receiver == link.receiver && l.state.kind().is_active());
            let escalated = parts.escalations.iter().any(|e| e.link == link.id);
            if !numbered || !sender_fits || twice || escalated != link.escalated_at.is_some() {
                return inconsistent();
            }
        }
        if parts
            .escalations
            .iter()
            .any(|e| e.link.0 as usize > links.len() || e.link.0 == 0)
            || (parts.closed_at.is_some() && parts.resolved.is_none())
            || parts
                .task_force
                .as_ref()
                .is_some_and(|f| !f.members.contains(&parts.owner))
        {
            return inconsistent();
        }
        Ok(Incident {
            id: parts.id,
            owner: parts.owner,
            report: parts.report,
            priority: parts.priority,
            opened_at: parts.opened_at,
            links,
            replies: parts.replies,
            escalations: parts.escalations,
            task_force: parts.task_force.map(|force| {
                TaskForce::from_parts(
                    force.called_at,
                    force.called_by,
                    force.members,
                    force.log,
                    force.closed,
                )
            }),
            resolved: parts.resolved,
            closed_at: parts.closed_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Action;
    use crate::incident::fixtures::{Chain, at};

    /// An incident with a chain, a wait, a reopening, an escalation and a task force.
    fn busy(chain: &Chain) -> Incident {
        let mut incident = chain.incident();
        let a = chain.forward_to_vendor(&mut incident);
        let b = chain.forward_to_support(&mut incident);
        incident
            .act(b, &chain.support_desk, Action::Accept, None, at(10, 10))
            .expect("accept");
        let c = chain.forward_to_municipality(&mut incident, b);
        incident
            .act(
                a,
                &chain.vendor,
                Action::AskForInformation,
                Some("Hvilken sag?"),
                at(10, 40),
            )
            .expect("ask");
        incident
            .act(
                c,
                &chain.municipality,
                Action::Resolve,
                Some("Rettet"),
                at(11, 0),
            )
            .expect("resolve");
        incident
            .act(
                c,
                &chain.support_desk,
                Action::Reopen,
                Some("Fejler stadig"),
                at(11, 30),
            )
            .expect("reopen");
        incident
            .set_reference(b, &chain.support_desk, "SD-1", at(11, 31))
            .expect("reference");
        incident.escalate_due(at(20, 0));
        incident
            .call_task_force(&chain.community, &[chain.vendor.id], at(20, 5))
            .expect("task force");
        incident
            .log(&chain.vendor, "Vi venter på svar", at(20, 6))
            .expect("log");
        incident
    }

    #[test]
    fn an_incident_comes_back_from_its_parts_as_it_was() {
        let chain = Chain::new();
        let incident = busy(&chain);
        assert!(!incident.escalations().is_empty());
        assert_eq!(Incident::restore(incident.to_parts()), Ok(incident.clone()));
        // And the restored incident goes on under the same rules.
        let mut restored = Incident::restore(incident.to_parts()).expect("restored");
        restored
            .act(
                LinkId(1),
                &chain.desk,
                Action::ProvideInformation,
                Some("Sag 42"),
                at(20, 10),
            )
            .expect("answer");
    }

    #[test]
    fn parts_that_disagree_are_refused() {
        let chain = Chain::new();
        let parts = busy(&chain).to_parts();
        let refused = |change: fn(&mut IncidentParts)| {
            let mut parts = parts.clone();
            change(&mut parts);
            Incident::restore(parts)
        };
        // A link accepted while its resolution clock is paused.
        assert_eq!(
            refused(|p| p.links[0].state = LinkState::Accepted),
            Err(IncidentError::Inconsistent)
        );
        // A gap in the numbers.
        assert_eq!(
            refused(|p| p.links[1].id = LinkId(5)),
            Err(IncidentError::Inconsistent)
        );
        // A link forwarded by someone who did not receive its parent.
        assert_eq!(
            refused(|p| p.links[2].sender = p.owner),
            Err(IncidentError::Inconsistent)
        );
        // Closed without being resolved.
        assert_eq!(
            refused(|p| p.closed_at = Some(at(21, 0))),
            Err(IncidentError::Inconsistent)
        );
        // A pause that ends before it begins.
        assert_eq!(
            refused(|p| p.links[0].resolution.pauses.push((at(10, 50), at(10, 45)))),
            Err(IncidentError::TimeGoesBackwards)
        );
        // An escalation the link does not know of.
        assert_eq!(
            refused(|p| p.links[1].escalated_at = None),
            Err(IncidentError::Inconsistent)
        );
    }
}
