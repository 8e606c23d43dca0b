//! The one error type of the incident rules. Every variant has a stable
//! [`code`](IncidentError::code) that the web layer turns into a Danish or
//! English sentence and API clients match on; no variant carries text a
//! person typed, so a refusal can never repeat a CPR number.

use std::fmt;

use samspil_domain::ValidationError;

use super::{Action, IntakeField, LinkId, LinkRole, LinkStateKind, PartyKind};

/// Why an incident rule refused a change. A refusal changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentError {
    // Parties.
    /// A party of this kind cannot serve what it was given (a municipality
    /// serves its IdP and organisation data, a vendor or desk solutions,
    /// the community nothing).
    ServesWrongThing { kind: PartyKind },
    /// A municipality party without its municipality, or another party with one.
    MunicipalityMismatch { kind: PartyKind },

    // Intake.
    /// A text field is empty, too long or holds a NUL.
    InvalidText {
        field: IntakeField,
        problem: ValidationError,
    },
    /// A text field holds what looks like a CPR number. The value is not kept.
    CprNumberInText { field: IntakeField },
    /// The incident is said to have happened after it was reported.
    OccurredInFuture,
    /// Too many examples or error messages.
    TooManyEntries { field: IntakeField, max: usize },
    /// Only a service desk opens an incident.
    NotAServiceDesk,
    /// The desk does not serve the solution the incident is about.
    SolutionNotServed,

    // Priorities and agreements.
    /// A priority scale needs between one and [`super::MAX_LEVELS`] named levels.
    ScaleSize,
    /// A priority outside its scale.
    PriorityOutOfScale,
    /// A scale of another party than the one whose priority it is.
    ScaleMismatch,
    /// A mapping does not give every level of the sender's scale a level.
    MappingNotTotal,
    /// A mapping names a level outside the receiver's scale.
    MappingOutOfScale,
    /// A mapping sends a more urgent level to a less urgent one than a
    /// less urgent level gets.
    MappingNotMonotone,
    /// The mapping is between other parties than the link's.
    MappingMismatch,
    /// An agreement does not give every priority of the provider's scale its targets.
    AgreementNotTotal,
    /// A target that is not positive, a resolution sooner than the
    /// response, or one longer than [`super::agreement::MAX_TARGET`].
    AgreementTargetInvalid,
    /// A more urgent priority has a longer target than a less urgent one.
    AgreementNotMonotone,
    /// The agreement is between other parties than the link's.
    AgreementMismatch,
    /// Business hours that close before they open, on no day, or before 03:00.
    BusinessHoursInvalid,

    // Links.
    /// No link with this id in the incident.
    UnknownLink { link: LinkId },
    /// A link to oneself, or forwarding to the community (that is escalation).
    InvalidReceiver,
    /// The receiver already has an active link in this incident.
    AlreadyForwarded,
    /// Only the party that accepted a link forwards it further; only the
    /// owner forwards the incident itself.
    MayNotForward,
    /// A link is forwarded further only once its receiver has accepted it.
    ParentNotAccepted,
    /// The action is not possible from the link's state.
    TransitionNotAllowed { action: Action, from: LinkStateKind },
    /// The acting party has another role on the link than the action needs.
    NotYourMove {
        action: Action,
        role: Option<LinkRole>,
    },
    /// The action needs a reason and none was given.
    ReasonRequired { action: Action },
    /// The receiver's own reference is set by the receiver only.
    NotTheReceiver,

    // Clocks.
    /// A clock event before the clock's last event.
    TimeGoesBackwards,
    /// Paused twice, or resumed while running, or changed after it stopped.
    ClockState,

    // Escalation and the task force.
    /// Only the link's sender or the incident's owner escalates by hand.
    MayNotEscalate,
    /// The link is already escalated.
    AlreadyEscalated,
    /// A closed link is not escalated.
    LinkClosed,
    /// Only community staff call, join parties to, and close a task force.
    NotTheCommunity,
    /// There is already a task force, or none to act on, or it is closed.
    TaskForceState,
    /// Only the task force's members and the community write in its log.
    NotInTaskForce,

    // The incident as a whole.
    /// Only the owner (the first desk) does this.
    NotTheOwner,
    /// The incident is resolved or closed.
    IncidentFinished,
    /// The incident cannot be resolved while a link is still being worked on.
    LinksStillActive,
    /// Closing needs a resolved incident.
    NotResolved,
    /// An interval of reporter updates outside 1 to 30 days.
    IntervalInvalid,
    /// Stored parts that disagree with one another (see [`super::restore`]).
    Inconsistent,
}

impl IncidentError {
    /// A stable name for API clients, logs and text keys (`incident-{code}`).
    pub fn code(&self) -> &'static str {
        use IncidentError::*;
        match self {
            ServesWrongThing { .. } => "serves_wrong_thing",
            MunicipalityMismatch { .. } => "municipality_mismatch",
            InvalidText { .. } => "invalid_text",
            CprNumberInText { .. } => "cpr_number_in_text",
            OccurredInFuture => "occurred_in_future",
            TooManyEntries { .. } => "too_many_entries",
            NotAServiceDesk => "not_a_service_desk",
            SolutionNotServed => "solution_not_served",
            ScaleSize => "scale_size",
            PriorityOutOfScale => "priority_out_of_scale",
            ScaleMismatch => "scale_mismatch",
            MappingNotTotal => "mapping_not_total",
            MappingOutOfScale => "mapping_out_of_scale",
            MappingNotMonotone => "mapping_not_monotone",
            MappingMismatch => "mapping_mismatch",
            AgreementNotTotal => "agreement_not_total",
            AgreementTargetInvalid => "agreement_target_invalid",
            AgreementNotMonotone => "agreement_not_monotone",
            AgreementMismatch => "agreement_mismatch",
            BusinessHoursInvalid => "business_hours_invalid",
            IntervalInvalid => "interval_invalid",
            UnknownLink { .. } => "unknown_link",
            InvalidReceiver => "invalid_receiver",
            AlreadyForwarded => "already_forwarded",
            MayNotForward => "may_not_forward",
            ParentNotAccepted => "parent_not_accepted",
            TransitionNotAllowed { .. } => "transition_not_allowed",
            NotYourMove { .. } => "not_your_move",
            ReasonRequired { .. } => "reason_required",
            NotTheReceiver => "not_the_receiver",
            TimeGoesBackwards => "time_goes_backwards",
            ClockState => "clock_state",
            MayNotEscalate => "may_not_escalate",
            AlreadyEscalated => "already_escalated",
            LinkClosed => "link_closed",
            NotTheCommunity => "not_the_community",
            TaskForceState => "task_force_state",
            NotInTaskForce => "not_in_task_force",
            NotTheOwner => "not_the_owner",
            IncidentFinished => "incident_finished",
            LinksStillActive => "links_still_active",
            NotResolved => "not_resolved",
            Inconsistent => "inconsistent",
        }
    }
}

impl fmt::Display for IncidentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // For logs and the API's detail: the code and the typed values,
        // never a typed text (the web layer has the sentences).
        match self {
            IncidentError::InvalidText { field, problem } => {
                write!(f, "{}: {}: {}", self.code(), field.code(), problem.problem)
            }
            IncidentError::CprNumberInText { field }
            | IncidentError::TooManyEntries { field, .. } => {
                write!(f, "{}: {}", self.code(), field.code())
            }
            IncidentError::TransitionNotAllowed { action, from } => {
                write!(f, "{}: {} from {}", self.code(), action.code(), from.code())
            }
            IncidentError::NotYourMove { action, .. }
            | IncidentError::ReasonRequired { action } => {
                write!(f, "{}: {}", self.code(), action.code())
            }
            IncidentError::UnknownLink { link } => write!(f, "{}: {}", self.code(), link),
            _ => f.write_str(self.code()),
        }
    }
}

impl std::error::Error for IncidentError {}
