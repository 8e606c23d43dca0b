//! The chain of responsibility for incidents (*kædeansvaret*, issue 19) as
//! pure rules: a user contacts **one** service desk and never hears "the
//! fault is not mine, go elsewhere"; that desk gathers the facts, forwards
//! to the next link (the source system's vendor, the support systems'
//! desk, the municipality's IdP or organisation data), follows up, reports
//! back, and escalates to the community when the next link does not act.
//!
//! # Design
//!
//! - **Parties** ([`party`]) are organisations of the platform
//!   ([`PartyId`] is `samspil_domain::OrgId`) of a [`PartyKind`]: vendor,
//!   service desk, municipality (serving only its IdP and organisation
//!   data) or the community (serving nothing; links escalate to it).
//! - **An incident** ([`case`]) is opened at a service desk that serves the
//!   incident's solution, from an intake ([`intake`]) that must hold who,
//!   which solution, when, what happened, examples, error messages and the
//!   user's priority — and no CPR number in any text (six digits that are
//!   a date, then four, with or without a hyphen or space, the century by
//!   the seventh digit). The desk is the incident's owner for good: no
//!   operation changes [`Incident::owner`]; only the owner replies to the
//!   reporter, resolves and closes.
//! - **Links** ([`link`]) are the incident forwarded to the next party:
//!   with the receiver's own reference, the receiver's own priority
//!   (the sender's mapped by a [`PriorityMapping`], validated total and
//!   monotone, [`priority`]), clocks from the [`Agreement`] between the two
//!   (SLA, OLA or underpinning contract: response and resolution targets
//!   per priority of the receiver's scale, [`agreement`]) and a state. The
//!   owner forwards the incident; the receiver of an accepted link forwards
//!   it further, so chains have any length, and several links may run at
//!   once. Every state change is a row of [`TRANSITIONS`]: the states it
//!   leaves, the state it reaches, who makes it (the receiver, the sender,
//!   the community) and whether it needs a reason; anything else is
//!   refused with a typed [`IncidentError`] and changes nothing.
//! - **Clocks** ([`clock`]) are computed in one place, [`Stopwatch`]: the
//!   response clock stops at the receiver's first action; the resolution
//!   clock pauses while the link waits for information from the sender
//!   (not counted), stops at resolution or rejection, and counts again if
//!   the sender reopens (the time in between not counted). What is counted
//!   is the agreement's [`ServiceHours`] ([`hours`]): calendar hours
//!   (24/7), or business hours in Danish time (opening hours on open
//!   weekdays, CET/CEST by the EU rule, minus the closed dates the
//!   agreement lists: the rules keep no holiday calendar). A deadline that
//!   falls at closing time is breached the second after, though closed
//!   hours add nothing to the count. Time always enters as a parameter
//!   (`now`); the rules never read a clock, and the tests use a fake one.
//! - **Follow-up** ([`follow_up`]): [`overdue_links`] lists the links past
//!   a running deadline at `now`, for reminding their senders;
//!   [`next_reporter_update`] says when the reporter is next due word of
//!   progress at the interval the desk sets.
//! - **Escalation** ([`escalation`]): [`due_for_escalation`] lists the
//!   overdue links not yet escalated (the job calls it, then
//!   [`Incident::escalate_due`]); the link's sender or the owner escalates
//!   by hand with a reason. The community calls a [`TaskForce`] (invited
//!   parties, a shared log, a closing summary), a state of the incident.
//! - **Visibility** ([`visibility`]): a party sees the links it is part of
//!   and nothing of the others'; the community sees all; a municipality
//!   sees only incidents its own people reported; the reporter sees the
//!   incident's state and the replies meant for them.
//! - **Reporting** ([`reporting`]): per link and per receiving party the
//!   time to first response and to resolution, breaches, rejections, and
//!   the incidents bounced between parties.
//!
//! Every error has a stable [`IncidentError::code`]; none carries typed
//! text, so a refusal never repeats a CPR number. Sentences are the web
//! layer's. The types hold their invariants through private fields; the
//! storage layer writes an incident's [`IncidentParts`] and reads it back
//! through [`Incident::restore`], which checks the parts agree ([`restore`]).

pub mod agreement;
pub mod case;
pub mod clock;
pub mod error;
pub mod escalation;
pub mod follow_up;
pub mod hours;
pub mod intake;
pub mod link;
pub mod party;
pub mod priority;
pub mod reporting;
pub mod restore;
pub mod visibility;

#[cfg(test)]
mod examples;
#[cfg(test)]
mod fixtures;

pub use agreement::{Agreement, AgreementKind, Targets};
pub use case::{Forwarder, Incident, IncidentId, IncidentState, Reply};
pub use clock::{ClockStatus, Stopwatch};
pub use error::IncidentError;
pub use escalation::{Escalation, EscalationCause, LogEntry, TaskForce, due_for_escalation};
pub use follow_up::{
    Overdue, OverdueLink, ReporterInterval, next_reporter_update, next_reporter_update_at,
    overdue_links, reporter_update_due,
};
pub use hours::{BusinessHours, ServiceHours, danish_offset};
pub use intake::{IncidentReport, IntakeDraft, IntakeField, Reporter, contains_cpr_number};
pub use link::{
    Action, Link, LinkEvent, LinkEventKind, LinkId, LinkRole, LinkState, LinkStateKind,
    TRANSITIONS, Transition,
};
pub use party::{Party, PartyId, PartyKind, Served, SolutionCode};
pub use priority::{MAX_LEVELS, Priority, PriorityMapping, PriorityScale};
pub use reporting::{Bounce, LinkFigures, PartyFigures, bounced, link_figures, party_figures};
pub use restore::{IncidentParts, LinkParts, StopwatchParts, TaskForceParts};
pub use visibility::{
    PartyView, ReporterView, may_handle_files, may_see, party_view, reporter_view,
    visible_incidents, visible_links,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_is_distinct() {
        use samspil_domain::ValidationError;
        let all = [
            IncidentError::ServesWrongThing {
                kind: PartyKind::Vendor,
            },
            IncidentError::MunicipalityMismatch {
                kind: PartyKind::Vendor,
            },
            IncidentError::InvalidText {
                field: IntakeField::Text,
                problem: ValidationError::new("text", "x"),
            },
            IncidentError::CprNumberInText {
                field: IntakeField::Text,
            },
            IncidentError::OccurredInFuture,
            IncidentError::TooManyEntries {
                field: IntakeField::Example,
                max: 1,
            },
            IncidentError::NotAServiceDesk,
            IncidentError::SolutionNotServed,
            IncidentError::ScaleSize,
            IncidentError::PriorityOutOfScale,
            IncidentError::ScaleMismatch,
            IncidentError::MappingNotTotal,
            IncidentError::MappingOutOfScale,
            IncidentError::MappingNotMonotone,
            IncidentError::MappingMismatch,
            IncidentError::AgreementNotTotal,
            IncidentError::AgreementTargetInvalid,
            IncidentError::AgreementNotMonotone,
            IncidentError::AgreementMismatch,
            IncidentError::BusinessHoursInvalid,
            IncidentError::UnknownLink { link: LinkId(1) },
            IncidentError::InvalidReceiver,
            IncidentError::AlreadyForwarded,
            IncidentError::MayNotForward,
            IncidentError::ParentNotAccepted,
            IncidentError::TransitionNotAllowed {
                action: Action::Accept,
                from: LinkStateKind::Open,
            },
            IncidentError::NotYourMove {
                action: Action::Accept,
                role: None,
            },
            IncidentError::ReasonRequired {
                action: Action::Reject,
            },
            IncidentError::NotTheReceiver,
            IncidentError::TimeGoesBackwards,
            IncidentError::ClockState,
            IncidentError::MayNotEscalate,
            IncidentError::AlreadyEscalated,
            IncidentError::LinkClosed,
            IncidentError::NotTheCommunity,
            IncidentError::TaskForceState,
            IncidentError::NotInTaskForce,
            IncidentError::NotTheOwner,
            IncidentError::IncidentFinished,
            IncidentError::LinksStillActive,
            IncidentError::NotResolved,
            IncidentError::IntervalInvalid,
            IncidentError::Inconsistent,
        ];
        let mut codes: Vec<&str> = all.iter().map(IncidentError::code).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
