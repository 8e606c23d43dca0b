//! Onboarding pipelines (issue 20): the community onboards the
//! municipalities onto a shared solution area by area, through an ordered
//! set of tasks. The slides show two: DOS/PSRM (per business area:
//! locate the claim types, state the business system, report it ready,
//! the zero-sum test, ready or deviating to production; around them the
//! debtor-system vendor's readiness, the claimant agreement and the
//! agency opening the claim types; then A. stop new claims to DMI and
//! B. final readiness and closing) and Borgerblikket debt (GB1.0–GB5.0).
//!
//! # Design
//!
//! * A pipeline ([`Pipeline`], `steps.rs`) is a list of steps for one
//!   area, each step naming the steps it depends on. The steps form a
//!   DAG, checked when the pipeline is made: no duplicate or empty keys,
//!   no dependency on an unknown step or on itself, no cycle (Kahn's
//!   algorithm; the refusal names the steps left on a cycle). The common
//!   case, a plain ordered list, is [`Pipeline::ordered`]: each step
//!   depends on the one before it.
//! * Each step becomes one task of the coordination context per
//!   municipality (the storage and web layers create them), so statuses,
//!   questions, answers, files, reminders and exports are the tasks'.
//!   This module only reads the steps' statuses
//!   ([`TaskStatus`](crate::task::TaskStatus)), given as a map from step
//!   key to status; a step missing from the map is *Ikke påbegyndt*.
//! * Gates (`gate.rs`): a step may leave *Ikke påbegyndt* only when every
//!   step it depends on is *Fuldført*; a completed step may be moved back
//!   only while no step depending on it has started (else the dependent's
//!   gate would be open on a step no longer done).
//! * The derived state per municipality × area (`state.rs`): *Ikke
//!   påbegyndt* while no step has started, *Fuldført* when every step the
//!   municipality answers for is done, *Påbegyndt* in between; it is
//!   monotone as steps move forward (a property test says so). The
//!   area's stop date (A: stop new claims to DMI, with a supplementary
//!   reporting period and a close date) is computed from the day the
//!   last of the municipality's steps was completed, and only then.
//! * The gap per area ("29 kommuner mangler fortsat at fuldføre alle
//!   opgaver på fagområdet Bibliotek") counts the municipalities whose
//!   state is not *Fuldført* (`state.rs`, [`area_gap`]); the sentence is
//!   the web layer's, in Danish and English.
//! * Claim types (`claims.rs`): a municipality ticks claim-type codes
//!   (KTTIBAK, KTNEBOF, …) of the area's catalogue; the ticks are checked
//!   against the catalogue and exported as rows (municipality, area,
//!   code, name) for the debt collector's CSV/XLSX (the report crate
//!   writes the file).
//! * The timeline of areas (`timeline.rs`): the newsletter's
//!   "mulighedsrum" table, per area its windows (which system, from when
//!   to when), checked and ordered.
//! * The slides' own pipelines are templates (`templates.rs`): the DOS
//!   business areas with their steps and the Socialret catalogue from the
//!   seeds, and Borgerblikket's GB1.0–GB5.0 per debtor system.
//!
//! Every refusal is a [`PipelineError`] with a stable [`code`]
//! (`PipelineError::code`) for the web layer's texts.
//!
//! [`code`]: PipelineError::code

mod claims;
mod gate;
mod state;
mod steps;
mod templates;
mod timeline;

pub use claims::{ClaimCatalogue, ClaimType, ClaimTypeRow, check_ticked, claim_type_rows};
pub use gate::{check_can_move_back, check_can_start, open_steps};
pub use state::{
    AreaGap, AreaState, StopDates, area_gap, derived_state, municipality_done_on, stop_dates,
};
pub use steps::{Pipeline, Statuses, StepActor, StepKey, StepSpec};
pub use templates::{
    BusinessArea, DebtorSystem, borgerblikket_debt_pipeline, dos_pipeline, socialret_catalogue,
};
pub use timeline::{AreaWindow, Timeline};

use thiserror::Error;

/// A refusal of the pipeline rules. [`PipelineError::code`] is stable: the
/// web layer's texts and the API's error codes are keyed on it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PipelineError {
    #[error("a pipeline needs the name of its area")]
    MissingArea,
    #[error("a pipeline needs at least one step")]
    NoSteps,
    #[error("a step needs a key of 1 to {max} ASCII letters, digits, '.', '-' or '_', got '{key}'")]
    BadStepKey { key: String, max: usize },
    #[error("step '{step}' needs a title")]
    MissingTitle { step: String },
    #[error("step '{step}' appears more than once")]
    DuplicateStep { step: String },
    #[error("step '{step}' depends on '{missing}', which is not a step of the pipeline")]
    UnknownDependency { step: String, missing: String },
    #[error("step '{step}' depends on itself")]
    SelfDependency { step: String },
    #[error("the steps {steps:?} depend on one another in a cycle")]
    Cycle { steps: Vec<String> },
    #[error("'{step}' is not a step of the pipeline")]
    UnknownStep { step: String },
    #[error("step '{step}' cannot start before {waiting_on:?} are completed")]
    GateClosed {
        step: String,
        waiting_on: Vec<String>,
    },
    #[error("step '{step}' cannot be moved back: {started:?} depend on it and have started")]
    DependentsStarted { step: String, started: Vec<String> },
    #[error("'{code}' is not a claim type of the area {area}")]
    UnknownClaimType { area: String, code: String },
    #[error("claim type '{code}' is ticked more than once")]
    DuplicateClaimType { code: String },
    #[error("a catalogue entry needs a code of 3 to 12 capital letters and a name, got '{code}'")]
    BadClaimType { code: String },
    #[error("a window of {area} ends on {to} before it opens on {from}")]
    WindowReversed {
        area: String,
        from: time::Date,
        to: time::Date,
    },
    #[error("the windows of {area} for {system} overlap")]
    WindowsOverlap { area: String, system: String },
    #[error("a supplementary reporting period is 0 to {max} months, got {months}")]
    BadSupplementaryPeriod { months: u8, max: u8 },
}

impl PipelineError {
    /// The refusal people read: a named rule of `task::REFUSALS` (texts
    /// `rule-pipeline-…`), with the step, code or area it names as `name`,
    /// and the English sentence for logs and the API.
    pub fn refusal(&self, field: &'static str) -> samspil_domain::ValidationError {
        use samspil_domain::ValidationError;
        let problem = self.to_string();
        let named = |key: &'static str, name: String| {
            ValidationError::named_with(field, key, vec![("name", name)], problem.clone())
        };
        match self {
            PipelineError::GateClosed { waiting_on, .. } => {
                named("pipeline-gate-closed", waiting_on.join(", "))
            }
            PipelineError::DependentsStarted { started, .. } => {
                named("pipeline-dependents-started", started.join(", "))
            }
            PipelineError::MissingArea => named("pipeline-missing-area", String::new()),
            PipelineError::NoSteps => named("pipeline-no-steps", String::new()),
            PipelineError::BadStepKey { key, .. } => named("pipeline-bad-step-key", key.clone()),
            PipelineError::MissingTitle { step } => named("pipeline-missing-title", step.clone()),
            PipelineError::DuplicateStep { step } => named("pipeline-duplicate-step", step.clone()),
            PipelineError::UnknownDependency { missing, .. } => {
                named("pipeline-unknown-dependency", missing.clone())
            }
            PipelineError::SelfDependency { step } => {
                named("pipeline-self-dependency", step.clone())
            }
            PipelineError::Cycle { steps } => named("pipeline-cycle", steps.join(", ")),
            PipelineError::UnknownStep { step } => named("pipeline-unknown-step", step.clone()),
            PipelineError::UnknownClaimType { code, .. }
            | PipelineError::DuplicateClaimType { code }
            | PipelineError::BadClaimType { code } => named("pipeline-claim-type", code.clone()),
            PipelineError::WindowReversed { area, .. } => {
                named("pipeline-window-reversed", area.clone())
            }
            PipelineError::WindowsOverlap { area, system } => {
                named("pipeline-windows-overlap", format!("{area} ({system})"))
            }
            PipelineError::BadSupplementaryPeriod { max, .. } => ValidationError::named_with(
                field,
                "pipeline-supplementary-period",
                vec![("max", max.to_string())],
                problem,
            ),
        }
    }

    /// A stable name for the texts (`pipeline-{code}`), the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            PipelineError::MissingArea => "missing_area",
            PipelineError::NoSteps => "no_steps",
            PipelineError::BadStepKey { .. } => "bad_step_key",
            PipelineError::MissingTitle { .. } => "missing_title",
            PipelineError::DuplicateStep { .. } => "duplicate_step",
            PipelineError::UnknownDependency { .. } => "unknown_dependency",
            PipelineError::SelfDependency { .. } => "self_dependency",
            PipelineError::Cycle { .. } => "cycle",
            PipelineError::UnknownStep { .. } => "unknown_step",
            PipelineError::GateClosed { .. } => "gate_closed",
            PipelineError::DependentsStarted { .. } => "dependents_started",
            PipelineError::UnknownClaimType { .. } => "unknown_claim_type",
            PipelineError::DuplicateClaimType { .. } => "duplicate_claim_type",
            PipelineError::BadClaimType { .. } => "bad_claim_type",
            PipelineError::WindowReversed { .. } => "window_reversed",
            PipelineError::WindowsOverlap { .. } => "windows_overlap",
            PipelineError::BadSupplementaryPeriod { .. } => "bad_supplementary_period",
        }
    }
}
