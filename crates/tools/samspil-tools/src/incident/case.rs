//! The incident itself: opened at the first desk, which owns it to the end
//! (ITIL: ownership stays with the service desk; there is no way to move
//! it), forwarded down the chain as links, resolved and closed by its owner.

use std::fmt;

use time::OffsetDateTime;

use super::intake::{self, IntakeField, MAX_DESCRIPTION};
use super::{
    Action, Agreement, IncidentError, IncidentReport, Link, LinkEvent, LinkEventKind, LinkId,
    LinkState, Party, PartyId, PartyKind, Priority, PriorityMapping, PriorityScale, Stopwatch,
    TaskForce,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IncidentId(pub i64);

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "incident {}", self.0)
    }
}

/// Where the incident stands as a whole, as the reporter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentState {
    /// At the first desk, not forwarded (or every link done with).
    AtDesk,
    /// A link is being worked on down the chain.
    Forwarded,
    /// A link that is being worked on has been escalated to the community.
    Escalated,
    /// The community has called a task force that is still at work.
    TaskForce,
    Resolved,
    Closed,
}

impl IncidentState {
    pub fn code(self) -> &'static str {
        match self {
            IncidentState::AtDesk => "at_desk",
            IncidentState::Forwarded => "forwarded",
            IncidentState::Escalated => "escalated",
            IncidentState::TaskForce => "task_force",
            IncidentState::Resolved => "resolved",
            IncidentState::Closed => "closed",
        }
    }
}

/// Who forwards: the owner from the incident itself, or the receiver of
/// an accepted link further down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forwarder {
    Owner,
    Link(LinkId),
}

/// What the owner tells the reporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub at: OffsetDateTime,
    pub by: PartyId,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub(super) id: IncidentId,
    pub(super) owner: PartyId,
    pub(super) report: IncidentReport,
    /// The owner's priority on its own scale; at first the user's.
    pub(super) priority: Priority,
    pub(super) opened_at: OffsetDateTime,
    pub(super) links: Vec<Link>,
    pub(super) replies: Vec<Reply>,
    pub(super) escalations: Vec<super::Escalation>,
    pub(super) task_force: Option<TaskForce>,
    pub(super) resolved: Option<Reply>,
    pub(super) closed_at: Option<OffsetDateTime>,
}

impl Incident {
    /// Opens an incident at `desk`, a service desk that serves the
    /// incident's solution, with the user's priority on the desk's own
    /// `scale`; the desk owns it from now to the end.
    pub fn open(
        id: IncidentId,
        desk: &Party,
        scale: &PriorityScale,
        report: IncidentReport,
        now: OffsetDateTime,
    ) -> Result<Incident, IncidentError> {
        if desk.kind != PartyKind::ServiceDesk {
            return Err(IncidentError::NotAServiceDesk);
        }
        if !desk.serves_solution(report.solution()) {
            return Err(IncidentError::SolutionNotServed);
        }
        if scale.owner != desk.id {
            return Err(IncidentError::ScaleMismatch);
        }
        scale.check(report.user_priority())?;
        Ok(Incident {
            id,
            owner: desk.id,
            priority: report.user_priority(),
            report,
            opened_at: now,
            links: Vec::new(),
            replies: Vec::new(),
            escalations: Vec::new(),
            task_force: None,
            resolved: None,
            closed_at: None,
        })
    }

    pub fn id(&self) -> IncidentId {
        self.id
    }
    /// The first desk. Nothing changes it.
    pub fn owner(&self) -> PartyId {
        self.owner
    }
    pub fn report(&self) -> &IncidentReport {
        &self.report
    }
    pub fn priority(&self) -> Priority {
        self.priority
    }
    pub fn opened_at(&self) -> OffsetDateTime {
        self.opened_at
    }
    pub fn links(&self) -> &[Link] {
        &self.links
    }
    pub fn replies(&self) -> &[Reply] {
        &self.replies
    }
    pub fn escalations(&self) -> &[super::Escalation] {
        &self.escalations
    }
    pub fn task_force(&self) -> Option<&TaskForce> {
        self.task_force.as_ref()
    }
    pub fn resolution(&self) -> Option<&Reply> {
        self.resolved.as_ref()
    }
    pub fn closed_at(&self) -> Option<OffsetDateTime> {
        self.closed_at
    }

    pub fn link(&self, id: LinkId) -> Result<&Link, IncidentError> {
        self.links
            .iter()
            .find(|l| l.id == id)
            .ok_or(IncidentError::UnknownLink { link: id })
    }

    pub(super) fn link_mut(&mut self, id: LinkId) -> Result<&mut Link, IncidentError> {
        self.links
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or(IncidentError::UnknownLink { link: id })
    }

    pub fn state(&self) -> IncidentState {
        let active = |l: &&Link| l.state.kind().is_active();
        if self.closed_at.is_some() {
            IncidentState::Closed
        } else if self.resolved.is_some() {
            IncidentState::Resolved
        } else if self.task_force.as_ref().is_some_and(TaskForce::is_open) {
            IncidentState::TaskForce
        } else if self
            .links
            .iter()
            .filter(active)
            .any(|l| l.escalated_at.is_some())
        {
            IncidentState::Escalated
        } else if self.links.iter().any(|l| active(&l)) {
            IncidentState::Forwarded
        } else {
            IncidentState::AtDesk
        }
    }

    pub(super) fn check_open(&self) -> Result<(), IncidentError> {
        match self.resolved.is_some() || self.closed_at.is_some() {
            true => Err(IncidentError::IncidentFinished),
            false => Ok(()),
        }
    }

    fn check_owner(&self, actor: &Party) -> Result<(), IncidentError> {
        match actor.id == self.owner {
            true => Ok(()),
            false => Err(IncidentError::NotTheOwner),
        }
    }

    /// The owner sets its own priority on its scale.
    pub fn set_priority(
        &mut self,
        actor: &Party,
        scale: &PriorityScale,
        priority: Priority,
    ) -> Result<(), IncidentError> {
        self.check_owner(actor)?;
        self.check_open()?;
        if scale.owner != self.owner {
            return Err(IncidentError::ScaleMismatch);
        }
        scale.check(priority)?;
        self.priority = priority;
        Ok(())
    }

    /// Forwards to `receiver`: a new link with the receiver's priority by
    /// `mapping` (from the sender's priority: the owner's, or the parent
    /// link's receiver's) and clocks by `agreement` from `now`. The owner
    /// forwards the incident; a link's receiver, once it has accepted,
    /// forwards it further. Several links may be active at once
    /// (parallel), but not two to the same receiver.
    pub fn forward(
        &mut self,
        from: Forwarder,
        sender: &Party,
        receiver: &Party,
        agreement: &Agreement,
        mapping: &PriorityMapping,
        now: OffsetDateTime,
    ) -> Result<LinkId, IncidentError> {
        self.check_open()?;
        if now < self.opened_at {
            return Err(IncidentError::TimeGoesBackwards);
        }
        let (parent, sender_priority) = match from {
            Forwarder::Owner if sender.id == self.owner => (None, self.priority),
            Forwarder::Owner => return Err(IncidentError::MayNotForward),
            Forwarder::Link(id) => {
                let parent = self.link(id)?;
                if parent.receiver != sender.id {
                    return Err(IncidentError::MayNotForward);
                }
                if parent.state != LinkState::Accepted {
                    return Err(IncidentError::ParentNotAccepted);
                }
                (Some(id), parent.priority)
            }
        };
        if receiver.id == sender.id || receiver.is_community() {
            return Err(IncidentError::InvalidReceiver);
        }
        if self
            .links
            .iter()
            .any(|l| l.receiver == receiver.id && l.state.kind().is_active())
        {
            return Err(IncidentError::AlreadyForwarded);
        }
        if mapping.from != sender.id || mapping.to != receiver.id {
            return Err(IncidentError::MappingMismatch);
        }
        if agreement.customer != sender.id || agreement.provider != receiver.id {
            return Err(IncidentError::AgreementMismatch);
        }
        let priority = mapping.map(sender_priority)?;
        let targets = agreement.targets(priority)?;
        let id = LinkId(self.links.len() as u32 + 1);
        self.links.push(Link {
            id,
            parent,
            sender: sender.id,
            receiver: receiver.id,
            reference: None,
            sender_priority,
            priority,
            agreement: agreement.kind,
            targets,
            state: LinkState::Open,
            created_at: now,
            accepted_at: None,
            response: Stopwatch::start_in(now, agreement.hours.clone()),
            resolution: Stopwatch::start_in(now, agreement.hours.clone()),
            escalated_at: None,
            history: vec![LinkEvent {
                at: now,
                by: sender.id,
                kind: LinkEventKind::Forwarded,
                text: None,
            }],
        });
        Ok(id)
    }

    /// `actor` makes `action` on a link, by the table in [`super::link`].
    pub fn act(
        &mut self,
        link: LinkId,
        actor: &Party,
        action: Action,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        self.check_open()?;
        self.link_mut(link)?.act(actor, action, reason, now)
    }

    /// The receiver of a link records its own case number.
    pub fn set_reference(
        &mut self,
        link: LinkId,
        actor: &Party,
        reference: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        self.check_open()?;
        self.link_mut(link)?.set_reference(actor, reference, now)
    }

    /// The owner tells the reporter how things stand.
    pub fn reply_to_reporter(
        &mut self,
        actor: &Party,
        text: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        self.check_owner(actor)?;
        self.check_open()?;
        let text = intake::required(IntakeField::Text, text, MAX_DESCRIPTION)?;
        self.replies.push(Reply {
            at: now,
            by: actor.id,
            text,
        });
        Ok(())
    }

    /// The owner resolves the incident, with what it tells the reporter,
    /// once no link is being worked on.
    pub fn resolve(
        &mut self,
        actor: &Party,
        summary: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        self.check_owner(actor)?;
        self.check_open()?;
        if self.links.iter().any(|l| l.state.kind().is_active()) {
            return Err(IncidentError::LinksStillActive);
        }
        let text = intake::required(IntakeField::Text, summary, MAX_DESCRIPTION)?;
        let reply = Reply {
            at: now,
            by: actor.id,
            text,
        };
        self.replies.push(reply.clone());
        self.resolved = Some(reply);
        Ok(())
    }

    /// The owner closes a resolved incident.
    pub fn close(&mut self, actor: &Party, now: OffsetDateTime) -> Result<(), IncidentError> {
        self.check_owner(actor)?;
        if self.closed_at.is_some() {
            return Err(IncidentError::IncidentFinished);
        }
        if self.resolved.is_none() {
            return Err(IncidentError::NotResolved);
        }
        self.closed_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::fixtures::{Chain, at};

    #[test]
    fn only_a_service_desk_serving_the_solution_opens_an_incident() {
        let chain = Chain::new();
        let report = chain.report();
        assert_eq!(
            Incident::open(
                IncidentId(1),
                &chain.vendor,
                &chain.desk_scale,
                report.clone(),
                at(9, 0)
            ),
            Err(IncidentError::NotAServiceDesk)
        );
        assert_eq!(
            Incident::open(
                IncidentId(1),
                &chain.support_desk,
                &chain.desk_scale,
                report.clone(),
                at(9, 0)
            ),
            Err(IncidentError::SolutionNotServed)
        );
        let incident = Incident::open(
            IncidentId(1),
            &chain.desk,
            &chain.desk_scale,
            report.clone(),
            at(9, 0),
        )
        .expect("opened");
        assert_eq!(incident.owner(), chain.desk.id);
        assert_eq!(incident.state(), IncidentState::AtDesk);
        assert_eq!(
            Incident::open(
                IncidentId(1),
                &chain.desk,
                &chain.vendor_scale,
                report,
                at(9, 0)
            ),
            Err(IncidentError::ScaleMismatch),
            "the user's priority is on the desk's own scale"
        );
    }

    #[test]
    fn an_agreement_in_business_hours_gives_its_links_clocks_and_escalation_those_hours() {
        use crate::incident::fixtures::FakeClock;
        use crate::incident::{AgreementKind, ServiceHours, Targets, due_for_escalation};
        let chain = Chain::new();
        let minutes = |m: i64| time::Duration::minutes(m);
        let office = Agreement::new(
            AgreementKind::UnderpinningContract,
            chain.desk.id,
            &chain.vendor_scale,
            [(60, 480), (240, 1440), (480, 4320)]
                .iter()
                .map(|(r, s)| Targets {
                    response: minutes(*r),
                    resolution: minutes(*s),
                })
                .collect(),
            ServiceHours::parse("business 08:00-16:00 mon-fri").expect("hours"),
        )
        .expect("agreement");
        let mut incident = chain.incident();
        // Thursday 15:30 Danish time (13:30 UTC); the vendor's A: 1 hour.
        let clock = FakeClock::at(at(13, 30));
        let link = incident
            .forward(
                Forwarder::Owner,
                &chain.desk,
                &chain.vendor,
                &office,
                &chain.desk_vendor_mapping,
                clock.now(),
            )
            .expect("forwarded");
        let friday_0830 = at(24 + 6, 30);
        let found = incident.link(link).expect("link");
        assert_eq!(
            found.response_clock().deadline(minutes(60), clock.now()),
            friday_0830,
            "half an hour on Thursday, half an hour from Friday's opening"
        );
        clock.advance(minutes(61));
        assert!(
            due_for_escalation(&incident, clock.now()).is_empty(),
            "the evening is not counted"
        );
        clock.advance(friday_0830 - clock.now() + time::Duration::SECOND);
        assert_eq!(due_for_escalation(&incident, clock.now()).len(), 1);
    }

    #[test]
    fn forwarding_maps_the_priority_and_sets_the_clocks_from_the_agreement() {
        let chain = Chain::new();
        let mut incident = chain.incident(); // the user's priority: desk P2
        let id = chain.forward_to_vendor(&mut incident); // 10:00
        let link = incident.link(id).expect("link");
        assert_eq!(link.sender_priority(), Priority(1));
        assert_eq!(
            link.priority(),
            Priority(0),
            "the desk's P2 is the vendor's A"
        );
        assert_eq!(
            link.response_clock()
                .deadline(link.targets().response, at(10, 0)),
            at(11, 0)
        );
        assert_eq!(incident.state(), IncidentState::Forwarded);
    }

    #[test]
    fn forwarding_is_refused_to_oneself_the_community_twice_or_on_foreign_terms() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let (desk, vendor) = (&chain.desk, &chain.vendor);
        let (a, m) = (&chain.desk_vendor_agreement, &chain.desk_vendor_mapping);
        assert_eq!(
            incident.forward(Forwarder::Owner, vendor, desk, a, m, at(10, 0)),
            Err(IncidentError::MayNotForward)
        );
        assert_eq!(
            incident.forward(Forwarder::Owner, desk, &chain.community, a, m, at(10, 0)),
            Err(IncidentError::InvalidReceiver)
        );
        assert_eq!(
            incident.forward(Forwarder::Owner, desk, &chain.other_vendor, a, m, at(10, 0)),
            Err(IncidentError::MappingMismatch)
        );
        assert_eq!(
            incident.forward(
                Forwarder::Owner,
                desk,
                &chain.support_desk,
                a,
                &chain.desk_support_mapping,
                at(10, 0)
            ),
            Err(IncidentError::AgreementMismatch)
        );
        let id = chain.forward_to_vendor(&mut incident);
        assert_eq!(
            incident.forward(Forwarder::Owner, desk, vendor, a, m, at(10, 5)),
            Err(IncidentError::AlreadyForwarded)
        );
        // The vendor forwards only what it has accepted.
        assert_eq!(
            incident.forward(Forwarder::Link(id), desk, vendor, a, m, at(10, 5)),
            Err(IncidentError::MayNotForward)
        );
        // After a rejection the desk may try the same party again (a bounce).
        incident
            .act(id, vendor, Action::Reject, Some("Ikke vores"), at(10, 30))
            .expect("reject");
        assert!(
            incident
                .forward(Forwarder::Owner, desk, vendor, a, m, at(11, 0))
                .is_ok()
        );
    }

    #[test]
    fn links_run_in_parallel_and_in_a_chain_of_any_length() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let to_vendor = chain.forward_to_vendor(&mut incident);
        let to_support = chain.forward_to_support(&mut incident);
        assert_eq!(incident.state(), IncidentState::Forwarded);
        assert_eq!(
            incident.forward(
                Forwarder::Link(to_support),
                &chain.support_desk,
                &chain.municipality,
                &chain.support_municipality_agreement,
                &chain.support_municipality_mapping,
                at(10, 30),
            ),
            Err(IncidentError::ParentNotAccepted)
        );
        incident
            .act(
                to_support,
                &chain.support_desk,
                Action::Accept,
                None,
                at(10, 20),
            )
            .expect("accept");
        let to_municipality = chain.forward_to_municipality(&mut incident, to_support);
        let link = incident.link(to_municipality).expect("link");
        assert_eq!(link.parent(), Some(to_support));
        assert_eq!(link.sender(), chain.support_desk.id);
        assert_eq!(incident.links().len(), 3);
        assert!(incident.link(to_vendor).is_ok());
    }

    #[test]
    fn the_owner_resolves_once_no_link_is_active_and_then_closes() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let id = chain.forward_to_vendor(&mut incident);
        assert_eq!(
            incident.resolve(&chain.vendor, "Løst", at(12, 0)),
            Err(IncidentError::NotTheOwner)
        );
        assert_eq!(
            incident.resolve(&chain.desk, "Løst", at(12, 0)),
            Err(IncidentError::LinksStillActive)
        );
        assert_eq!(
            incident.close(&chain.desk, at(12, 0)),
            Err(IncidentError::NotResolved)
        );
        incident
            .act(
                id,
                &chain.vendor,
                Action::Resolve,
                Some("Rettet i kildesystemet"),
                at(12, 0),
            )
            .expect("resolve");
        incident
            .resolve(&chain.desk, "Fejlen er rettet", at(12, 30))
            .expect("resolve");
        assert_eq!(incident.state(), IncidentState::Resolved);
        assert_eq!(
            incident.act(id, &chain.desk, Action::Close, None, at(12, 40)),
            Err(IncidentError::IncidentFinished)
        );
        incident.close(&chain.desk, at(13, 0)).expect("close");
        assert_eq!(incident.state(), IncidentState::Closed);
        assert_eq!(incident.owner(), chain.desk.id, "ownership never moves");
    }

    #[test]
    fn only_the_owner_replies_to_the_reporter_and_never_with_a_cpr_number() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        assert_eq!(
            incident.reply_to_reporter(&chain.vendor, "Hej", at(10, 0)),
            Err(IncidentError::NotTheOwner)
        );
        assert_eq!(
            incident.reply_to_reporter(&chain.desk, "Vedr. 0102031234", at(10, 0)),
            Err(IncidentError::CprNumberInText {
                field: IntakeField::Text
            })
        );
        incident
            .reply_to_reporter(&chain.desk, "Vi undersøger sagen", at(10, 0))
            .expect("reply");
        assert_eq!(incident.replies().len(), 1);
    }

    #[test]
    fn the_owner_sets_its_own_priority_on_its_own_scale() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        assert_eq!(
            incident.set_priority(&chain.desk, &chain.vendor_scale, Priority(0)),
            Err(IncidentError::ScaleMismatch)
        );
        assert_eq!(
            incident.set_priority(&chain.desk, &chain.desk_scale, Priority(7)),
            Err(IncidentError::PriorityOutOfScale)
        );
        incident
            .set_priority(&chain.desk, &chain.desk_scale, Priority(3))
            .expect("set");
        let id = chain.forward_to_vendor(&mut incident);
        assert_eq!(incident.link(id).expect("link").priority(), Priority(2));
    }
}
