//! A link: the incident forwarded to the next party, with that party's own
//! reference, priority and clocks, and its state. The states and who moves
//! a link between them are one table, [`TRANSITIONS`]; anything not in it
//! is refused (a test tries every action from every state by every role):
//!
//! | action | from | to | by | reason | clocks |
//! |---|---|---|---|---|---|
//! | accept | open | accepted | receiver | – | response stops |
//! | ask for information | open, accepted | needs information | receiver | the question | response stops, resolution pauses |
//! | provide information | needs information | open, or accepted if it was | sender | the answer | resolution resumes |
//! | reject | open, needs information, accepted | rejected | receiver | why | both stop |
//! | resolve | open, accepted | resolved | receiver | how | both stop |
//! | reopen | resolved | accepted | sender | why | resolution counts again |
//! | close | resolved, rejected | closed | sender | – | – |
//! | withdraw | open, needs information, accepted | closed | sender | why | both stop |
//! | overrule | rejected | open | community | why | resolution counts again |
//! | force close | all but closed | closed | community | why | both stop |
//!
//! A stopped clock that counts again leaves the time between uncounted,
//! as a pause does: a receiver is not charged for the time a link was
//! resolved or (wrongly, as the community found) rejected.

use std::fmt;

use time::OffsetDateTime;

use super::intake::{self, IntakeField, MAX_DESCRIPTION, MAX_SHORT};
use super::{AgreementKind, IncidentError, Party, PartyId, Priority, Stopwatch, Targets};

/// A link's number within its incident (1, 2, …), in the order made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(pub u32);

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "link {}", self.0)
    }
}

/// Where a link stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// Forwarded, not yet acted on by the receiver.
    Open,
    /// The receiver waits for information from the sender; the resolution
    /// clock is paused.
    NeedsInformation { question: String },
    /// The receiver works on it.
    Accepted,
    /// The receiver says it is not theirs, and why.
    Rejected { reason: String },
    /// The receiver has fixed it, and says how.
    Resolved { resolution: String },
    /// Done with: the sender confirmed, withdrew, or the community closed it.
    Closed,
}

/// A state without its text: what the table speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkStateKind {
    Open,
    NeedsInformation,
    Accepted,
    Rejected,
    Resolved,
    Closed,
}

impl LinkStateKind {
    pub const ALL: [LinkStateKind; 6] = [
        LinkStateKind::Open,
        LinkStateKind::NeedsInformation,
        LinkStateKind::Accepted,
        LinkStateKind::Rejected,
        LinkStateKind::Resolved,
        LinkStateKind::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LinkStateKind::Open => "open",
            LinkStateKind::NeedsInformation => "needs_information",
            LinkStateKind::Accepted => "accepted",
            LinkStateKind::Rejected => "rejected",
            LinkStateKind::Resolved => "resolved",
            LinkStateKind::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<LinkStateKind> {
        LinkStateKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the receiver still owes work on the link.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            LinkStateKind::Open | LinkStateKind::NeedsInformation | LinkStateKind::Accepted
        )
    }
}

impl LinkState {
    pub fn kind(&self) -> LinkStateKind {
        match self {
            LinkState::Open => LinkStateKind::Open,
            LinkState::NeedsInformation { .. } => LinkStateKind::NeedsInformation,
            LinkState::Accepted => LinkStateKind::Accepted,
            LinkState::Rejected { .. } => LinkStateKind::Rejected,
            LinkState::Resolved { .. } => LinkStateKind::Resolved,
            LinkState::Closed => LinkStateKind::Closed,
        }
    }
}

/// What a party does to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    AskForInformation,
    ProvideInformation,
    Reject,
    Resolve,
    Reopen,
    Close,
    Withdraw,
    /// The community overrules a rejection: the link is the receiver's after all.
    Overrule,
    /// The community closes a link whatever its state.
    ForceClose,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Accept,
        Action::AskForInformation,
        Action::ProvideInformation,
        Action::Reject,
        Action::Resolve,
        Action::Reopen,
        Action::Close,
        Action::Withdraw,
        Action::Overrule,
        Action::ForceClose,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::AskForInformation => "ask_for_information",
            Action::ProvideInformation => "provide_information",
            Action::Reject => "reject",
            Action::Resolve => "resolve",
            Action::Reopen => "reopen",
            Action::Close => "close",
            Action::Withdraw => "withdraw",
            Action::Overrule => "overrule",
            Action::ForceClose => "force_close",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The action's row of [`TRANSITIONS`] (every action has one, a test says).
    pub fn rule(self) -> Option<&'static Transition> {
        TRANSITIONS.iter().find(|t| t.action == self)
    }
}

/// The acting party's place on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkRole {
    /// The party the link was forwarded to.
    Receiver,
    /// The party that forwarded it (and follows up).
    Sender,
    /// Community staff, on any link.
    Community,
}

/// One row of the table: `action` moves a link from any of `from` to
/// `to`, made by `by`, with a reason if `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub from: &'static [LinkStateKind],
    /// For [`Action::ProvideInformation`]: back to `Accepted` if the link
    /// had been accepted before the question, else `Open`.
    pub to: LinkStateKind,
    pub by: LinkRole,
    pub reason: bool,
}

use LinkStateKind as S;

/// Every move a link can make. The reason of `AskForInformation` is the
/// question, of `ProvideInformation` the answer, of `Resolve` the
/// resolution the sender passes back to the user.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::Accept,
        from: &[S::Open],
        to: S::Accepted,
        by: LinkRole::Receiver,
        reason: false,
    },
    Transition {
        action: Action::AskForInformation,
        from: &[S::Open, S::Accepted],
        to: S::NeedsInformation,
        by: LinkRole::Receiver,
        reason: true,
    },
    Transition {
        action: Action::ProvideInformation,
        from: &[S::NeedsInformation],
        to: S::Open,
        by: LinkRole::Sender,
        reason: true,
    },
    Transition {
        action: Action::Reject,
        from: &[S::Open, S::NeedsInformation, S::Accepted],
        to: S::Rejected,
        by: LinkRole::Receiver,
        reason: true,
    },
    Transition {
        action: Action::Resolve,
        from: &[S::Open, S::Accepted],
        to: S::Resolved,
        by: LinkRole::Receiver,
        reason: true,
    },
    Transition {
        action: Action::Reopen,
        from: &[S::Resolved],
        to: S::Accepted,
        by: LinkRole::Sender,
        reason: true,
    },
    Transition {
        action: Action::Close,
        from: &[S::Resolved, S::Rejected],
        to: S::Closed,
        by: LinkRole::Sender,
        reason: false,
    },
    Transition {
        action: Action::Withdraw,
        from: &[S::Open, S::NeedsInformation, S::Accepted],
        to: S::Closed,
        by: LinkRole::Sender,
        reason: true,
    },
    Transition {
        action: Action::Overrule,
        from: &[S::Rejected],
        to: S::Open,
        by: LinkRole::Community,
        reason: true,
    },
    Transition {
        action: Action::ForceClose,
        from: &[
            S::Open,
            S::NeedsInformation,
            S::Accepted,
            S::Rejected,
            S::Resolved,
        ],
        to: S::Closed,
        by: LinkRole::Community,
        reason: true,
    },
];

/// What happened to a link, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEventKind {
    Forwarded,
    Acted(Action),
    Escalated,
    ReferenceSet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEvent {
    pub at: OffsetDateTime,
    pub by: PartyId,
    pub kind: LinkEventKind,
    pub text: Option<String>,
}

/// The incident at one party: the part of the chain between a sender and a receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub(super) id: LinkId,
    /// The link this one was forwarded from; `None` when the owner forwarded.
    pub(super) parent: Option<LinkId>,
    pub(super) sender: PartyId,
    pub(super) receiver: PartyId,
    pub(super) reference: Option<String>,
    /// The sender's priority, on the sender's scale.
    pub(super) sender_priority: Priority,
    /// The receiver's priority, on the receiver's scale, by the mapping.
    pub(super) priority: Priority,
    pub(super) agreement: AgreementKind,
    pub(super) targets: Targets,
    pub(super) state: LinkState,
    pub(super) created_at: OffsetDateTime,
    pub(super) accepted_at: Option<OffsetDateTime>,
    pub(super) response: Stopwatch,
    pub(super) resolution: Stopwatch,
    pub(super) escalated_at: Option<OffsetDateTime>,
    pub(super) history: Vec<LinkEvent>,
}

impl Link {
    pub fn id(&self) -> LinkId {
        self.id
    }
    pub fn parent(&self) -> Option<LinkId> {
        self.parent
    }
    pub fn sender(&self) -> PartyId {
        self.sender
    }
    pub fn receiver(&self) -> PartyId {
        self.receiver
    }
    /// The receiver's own case number.
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }
    pub fn sender_priority(&self) -> Priority {
        self.sender_priority
    }
    pub fn priority(&self) -> Priority {
        self.priority
    }
    pub fn agreement(&self) -> AgreementKind {
        self.agreement
    }
    pub fn targets(&self) -> Targets {
        self.targets
    }
    pub fn state(&self) -> &LinkState {
        &self.state
    }
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    /// The clock of the receiver's first response.
    pub fn response_clock(&self) -> &Stopwatch {
        &self.response
    }
    /// The clock of the resolution.
    pub fn resolution_clock(&self) -> &Stopwatch {
        &self.resolution
    }
    pub fn escalated_at(&self) -> Option<OffsetDateTime> {
        self.escalated_at
    }
    pub fn history(&self) -> &[LinkEvent] {
        &self.history
    }

    /// Whether the party is the link's sender or receiver.
    pub fn involves(&self, party: PartyId) -> bool {
        self.sender == party || self.receiver == party
    }

    /// The party's place on the link, if it has one.
    pub fn role_of(&self, party: &Party) -> Option<LinkRole> {
        if party.id == self.receiver {
            Some(LinkRole::Receiver)
        } else if party.id == self.sender {
            Some(LinkRole::Sender)
        } else if party.is_community() {
            Some(LinkRole::Community)
        } else {
            None
        }
    }

    /// Makes `action` by `actor` at `now`, by the table; a refusal changes nothing.
    pub(super) fn act(
        &mut self,
        actor: &Party,
        action: Action,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        let from = self.state.kind();
        let Some(rule) = action.rule().filter(|rule| rule.from.contains(&from)) else {
            return Err(IncidentError::TransitionNotAllowed { action, from });
        };
        let role = self.role_of(actor);
        if role != Some(rule.by) {
            return Err(IncidentError::NotYourMove { action, role });
        }
        let reason = intake::optional(IntakeField::Text, reason, MAX_DESCRIPTION)?;
        let text = match (rule.reason, reason) {
            (true, None) => return Err(IncidentError::ReasonRequired { action }),
            (true, Some(text)) => text,
            (false, text) => text.unwrap_or_default(),
        };
        let mut next = self.clone();
        next.apply(action, text.clone(), now)?;
        next.history.push(LinkEvent {
            at: now,
            by: actor.id,
            kind: LinkEventKind::Acted(action),
            text: (!text.is_empty()).then_some(text),
        });
        *self = next;
        Ok(())
    }

    /// The state and the clocks after an allowed action.
    fn apply(
        &mut self,
        action: Action,
        text: String,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        let responded = |link: &mut Link| match link.response.is_stopped() {
            true => Ok(()),
            false => link.response.stop(now),
        };
        let stop_all = |link: &mut Link| -> Result<(), IncidentError> {
            responded(link)?;
            match link.resolution.is_stopped() {
                true => Ok(()),
                false => link.resolution.stop(now),
            }
        };
        self.state = match action {
            Action::Accept => {
                responded(self)?;
                self.accepted_at = Some(now);
                LinkState::Accepted
            }
            Action::AskForInformation => {
                responded(self)?;
                self.resolution.pause(now)?;
                LinkState::NeedsInformation { question: text }
            }
            Action::ProvideInformation => {
                self.resolution.resume(now)?;
                match self.accepted_at {
                    Some(_) => LinkState::Accepted,
                    None => LinkState::Open,
                }
            }
            Action::Reject => {
                stop_all(self)?;
                LinkState::Rejected { reason: text }
            }
            Action::Resolve => {
                stop_all(self)?;
                LinkState::Resolved { resolution: text }
            }
            Action::Reopen => {
                self.resolution.restart(now)?;
                // Back at work on it, whether or not it was accepted before
                // it was resolved.
                self.accepted_at.get_or_insert(now);
                LinkState::Accepted
            }
            Action::Overrule => {
                self.resolution.restart(now)?;
                LinkState::Open
            }
            Action::Close => LinkState::Closed,
            Action::Withdraw | Action::ForceClose => {
                stop_all(self)?;
                LinkState::Closed
            }
        };
        Ok(())
    }

    /// The receiver records its own case number (e-bonding: its desk system
    /// does it over the API).
    pub(super) fn set_reference(
        &mut self,
        actor: &Party,
        reference: &str,
        now: OffsetDateTime,
    ) -> Result<(), IncidentError> {
        if actor.id != self.receiver {
            return Err(IncidentError::NotTheReceiver);
        }
        let reference = intake::required(IntakeField::Reference, reference, MAX_SHORT)?;
        self.reference = Some(reference.clone());
        self.history.push(LinkEvent {
            at: now,
            by: actor.id,
            kind: LinkEventKind::ReferenceSet,
            text: Some(reference),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::fixtures::{Chain, at};

    /// A link from the desk to the vendor, brought into `state`.
    fn link_in(chain: &Chain, state: LinkStateKind) -> Link {
        let mut incident = chain.incident();
        let id = chain.forward_to_vendor(&mut incident);
        let (vendor, community) = (&chain.vendor, &chain.community);
        let steps: &[(&Party, Action)] = match state {
            S::Open => &[],
            S::NeedsInformation => &[(vendor, Action::AskForInformation)],
            S::Accepted => &[(vendor, Action::Accept)],
            S::Rejected => &[(vendor, Action::Reject)],
            S::Resolved => &[(vendor, Action::Resolve)],
            S::Closed => &[(community, Action::ForceClose)],
        };
        for (party, action) in steps {
            incident
                .act(id, party, *action, Some("fordi"), at(10, 0))
                .expect("the step is allowed");
        }
        incident.link(id).expect("the link").clone()
    }

    #[test]
    fn every_state_action_and_role_is_exactly_as_the_table_says() {
        let chain = Chain::new();
        let actors = [
            (LinkRole::Receiver, &chain.vendor),
            (LinkRole::Sender, &chain.desk),
            (LinkRole::Community, &chain.community),
        ];
        for state in LinkStateKind::ALL {
            for action in Action::ALL {
                for (role, actor) in actors {
                    let mut link = link_in(&chain, state);
                    assert_eq!(link.state.kind(), state);
                    let before = link.clone();
                    let rule = action.rule().expect("a row");
                    let result = link.act(actor, action, Some("en grund"), at(11, 0));
                    let allowed = rule.from.contains(&state) && rule.by == role;
                    assert_eq!(
                        result.is_ok(),
                        allowed,
                        "{action:?} from {state:?} by {role:?}: {result:?}"
                    );
                    if allowed {
                        let to = link.state.kind();
                        assert!(
                            to == rule.to
                                || (action == Action::ProvideInformation && to == S::Accepted),
                            "{action:?} from {state:?} went to {to:?}"
                        );
                    } else {
                        assert_eq!(link, before, "a refusal changes nothing");
                    }
                }
            }
        }
    }

    #[test]
    fn every_action_has_one_row_and_a_stable_code() {
        for action in Action::ALL {
            assert_eq!(
                TRANSITIONS.iter().filter(|t| t.action == action).count(),
                1,
                "{action:?}"
            );
            assert_eq!(Action::parse(action.code()), Some(action));
        }
        for state in LinkStateKind::ALL {
            assert_eq!(LinkStateKind::parse(state.code()), Some(state));
        }
    }

    #[test]
    fn a_refusal_says_why() {
        let chain = Chain::new();
        let mut link = link_in(&chain, S::Open);
        assert_eq!(
            link.act(&chain.vendor, Action::Reject, None, at(11, 0)),
            Err(IncidentError::ReasonRequired {
                action: Action::Reject
            })
        );
        assert_eq!(
            link.act(&chain.vendor, Action::Reject, Some("  "), at(11, 0)),
            Err(IncidentError::ReasonRequired {
                action: Action::Reject
            })
        );
        assert_eq!(
            link.act(&chain.desk, Action::Accept, None, at(11, 0)),
            Err(IncidentError::NotYourMove {
                action: Action::Accept,
                role: Some(LinkRole::Sender)
            })
        );
        assert_eq!(
            link.act(&chain.other_vendor, Action::Accept, None, at(11, 0)),
            Err(IncidentError::NotYourMove {
                action: Action::Accept,
                role: None
            })
        );
        assert_eq!(
            link.act(&chain.desk, Action::Close, None, at(11, 0)),
            Err(IncidentError::TransitionNotAllowed {
                action: Action::Close,
                from: S::Open
            })
        );
        assert_eq!(
            link.act(
                &chain.vendor,
                Action::Reject,
                Some("Borger 010203-1234 er ikke vores"),
                at(11, 0)
            ),
            Err(IncidentError::CprNumberInText {
                field: IntakeField::Text
            })
        );
    }

    #[test]
    fn information_returns_the_link_to_where_it_was() {
        let chain = Chain::new();
        let mut link = link_in(&chain, S::Open);
        link.act(
            &chain.vendor,
            Action::AskForInformation,
            Some("Hvilken sag?"),
            at(11, 0),
        )
        .expect("ask");
        link.act(
            &chain.desk,
            Action::ProvideInformation,
            Some("Sag 42"),
            at(12, 0),
        )
        .expect("answer");
        assert_eq!(link.state, LinkState::Open);
        link.act(&chain.vendor, Action::Accept, None, at(12, 30))
            .expect("accept");
        link.act(
            &chain.vendor,
            Action::AskForInformation,
            Some("Skærmbillede?"),
            at(13, 0),
        )
        .expect("ask");
        link.act(
            &chain.desk,
            Action::ProvideInformation,
            Some("Vedhæftet"),
            at(14, 0),
        )
        .expect("answer");
        assert_eq!(link.state, LinkState::Accepted);
    }

    #[test]
    fn the_response_clock_stops_at_the_first_answer_and_the_resolution_clock_waits_for_information()
    {
        let chain = Chain::new();
        let mut link = link_in(&chain, S::Open); // forwarded 10:00
        link.act(
            &chain.vendor,
            Action::AskForInformation,
            Some("Hvilken sag?"),
            at(10, 30),
        )
        .expect("ask");
        assert_eq!(
            link.response.counted(at(18, 0)),
            time::Duration::minutes(30)
        );
        link.act(
            &chain.desk,
            Action::ProvideInformation,
            Some("Sag 42"),
            at(12, 30),
        )
        .expect("answer");
        link.act(&chain.vendor, Action::Resolve, Some("Rettet"), at(13, 0))
            .expect("resolve");
        assert_eq!(link.resolution.counted(at(18, 0)), time::Duration::hours(1));
        link.act(
            &chain.desk,
            Action::Reopen,
            Some("Fejler stadig"),
            at(14, 0),
        )
        .expect("reopen");
        assert_eq!(link.resolution.counted(at(15, 0)), time::Duration::hours(2));
    }

    proptest::proptest! {
        /// Any sequence of actions by any role: a refusal changes nothing,
        /// an allowed action lands where the table says, and the clocks
        /// always agree with the state.
        #[test]
        fn random_moves_keep_the_state_and_the_clocks_in_step(
            moves in proptest::collection::vec((0usize..Action::ALL.len(), 0usize..3, 0i64..300), 0..40),
        ) {
            let chain = Chain::new();
            let mut link = link_in(&chain, S::Open);
            let mut now = at(10, 0);
            for (action, actor, minutes) in moves {
                now += time::Duration::minutes(minutes);
                let action = Action::ALL[action];
                let actor = [&chain.vendor, &chain.desk, &chain.community][actor];
                let before = link.clone();
                match link.act(actor, action, Some("en grund"), now) {
                    Ok(()) => {
                        let rule = action.rule().expect("a row");
                        let to = link.state.kind();
                        proptest::prop_assert!(to == rule.to || (action == Action::ProvideInformation && to == S::Accepted));
                    }
                    Err(_) => proptest::prop_assert_eq!(&link, &before),
                }
                let kind = link.state.kind();
                proptest::prop_assert_eq!(link.resolution.is_paused(), kind == S::NeedsInformation);
                proptest::prop_assert_eq!(
                    link.resolution.is_stopped(),
                    matches!(kind, S::Rejected | S::Resolved | S::Closed)
                );
                proptest::prop_assert!(link.response.is_stopped() || kind == S::Open);
                proptest::prop_assert!(kind != S::Accepted || link.accepted_at.is_some());
                let restored = Link::restore(link.to_parts());
                proptest::prop_assert_eq!(restored.as_ref(), Ok(&link), "every reachable link restores from its parts");
                let wall = now - link.created_at;
                for clock in [&link.response, &link.resolution] {
                    proptest::prop_assert!(clock.counted(now) >= time::Duration::ZERO);
                    proptest::prop_assert!(clock.counted(now) <= wall);
                }
            }
        }
    }

    #[test]
    fn only_the_receiver_sets_its_reference() {
        let chain = Chain::new();
        let mut link = link_in(&chain, S::Open);
        assert_eq!(
            link.set_reference(&chain.desk, "INC-1", at(11, 0)),
            Err(IncidentError::NotTheReceiver)
        );
        link.set_reference(&chain.vendor, " INC-0815 ", at(11, 0))
            .expect("set");
        assert_eq!(link.reference(), Some("INC-0815"));
    }
}
