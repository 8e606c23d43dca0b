//! Onboarding pipelines (issue 20): an area's steps, each one task of the
//! project, with the gates the rules crate decides (`pipeline::gate`),
//! checked under a lock when a municipality sets a step task's status
//! ([`set_task_status`](crate::MunicipalityTaskStore::set_task_status)),
//! the derived state per municipality × area, the claim types ticked and
//! the timeline of areas.

use std::collections::BTreeMap;

use async_trait::async_trait;
use samspil_coordination::pipeline::{
    AreaState, AreaWindow, ClaimType, Pipeline, PipelineError, Statuses, StepActor, StepKey,
    StepSpec, StopDates, derived_state, municipality_done_on, stop_dates,
};
use samspil_coordination::task::{ProjectId, TaskId, TaskStatus};
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PipelineId(pub i64);

/// The onboarding pipelines of the community's projects.
#[async_trait]
pub trait PipelineStore: Send + Sync {
    /// Makes a pipeline: checks its steps as a DAG, makes a task for each
    /// step that names none and publishes it to the project's
    /// municipalities (a step may name a published task of the project
    /// instead), keeps the claim-type catalogue and, for a claim step whose
    /// task is new, asks its question of the catalogue's codes. One
    /// transaction, audited.
    async fn create_pipeline(
        &self,
        access: &CommunityAccess,
        pipeline: &NewPipeline,
    ) -> Result<PipelineRecord>;

    /// Every pipeline, by project and area.
    async fn pipelines(&self) -> Result<Vec<PipelineRecord>>;

    async fn pipeline(&self, id: PipelineId) -> Result<Option<PipelineRecord>>;

    /// Every municipality of the pipeline with its step statuses and
    /// derived state (community staff).
    async fn pipeline_members(
        &self,
        access: &CommunityAccess,
        id: PipelineId,
    ) -> Result<Vec<PipelineMember>>;

    /// One municipality's pipelines with its own statuses.
    async fn municipality_pipelines(
        &self,
        access: &OrgAccess,
    ) -> Result<Vec<(PipelineRecord, PipelineMember)>>;

    /// The claim types each municipality ticked on the pipeline's claim
    /// step, checked against the catalogue (community staff).
    async fn claim_type_ticks(
        &self,
        access: &CommunityAccess,
        id: PipelineId,
    ) -> Result<Vec<ClaimTicks>>;

    /// Replaces the timeline of areas, checked by the rules; audited.
    async fn set_timeline(&self, access: &CommunityAccess, windows: &[AreaWindow]) -> Result<()>;

    /// The timeline's windows, by opening day.
    async fn timeline(&self) -> Result<Vec<AreaWindow>>;
}

/// A step as it is made: its spec, and the task it is if there is one.
#[derive(Debug, Clone)]
pub struct NewPipelineStep {
    pub spec: StepSpec,
    pub task_id: Option<TaskId>,
}

#[derive(Debug, Clone)]
pub struct NewPipeline {
    pub project_id: ProjectId,
    pub area: String,
    pub steps: Vec<NewPipelineStep>,
    /// The supplementary reporting period after the stop (0–24 months).
    pub supplementary_months: u8,
    /// The area's claim types, ticked on `claim_step`.
    pub catalogue: Vec<ClaimType>,
    pub claim_step: Option<String>,
}

/// A step as kept: the rules' step with its task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PipelineStep {
    pub key: String,
    pub title: String,
    pub actor: StepActor,
    pub depends_on: Vec<String>,
    pub task_id: TaskId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PipelineRecord {
    pub id: PipelineId,
    pub project_id: ProjectId,
    pub project_name: String,
    pub area: String,
    pub supplementary_months: u8,
    /// In dependency order.
    pub steps: Vec<PipelineStep>,
    pub catalogue: Vec<ClaimType>,
    pub claim_step: Option<String>,
}

impl PipelineRecord {
    /// The rules' pipeline, from the kept steps.
    pub fn rules(&self) -> std::result::Result<Pipeline, PipelineError> {
        Pipeline::new(
            &self.area,
            self.steps
                .iter()
                .map(|s| StepSpec {
                    key: s.key.clone(),
                    title: s.title.clone(),
                    actor: s.actor,
                    depends_on: s.depends_on.clone(),
                })
                .collect(),
        )
    }

    pub fn step_of_task(&self, task: TaskId) -> Option<&PipelineStep> {
        self.steps.iter().find(|s| s.task_id == task)
    }
}

/// One municipality on one pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PipelineMember {
    pub org_id: OrgId,
    pub name: String,
    pub code: Option<MunicipalityCode>,
    /// By step key; a step the municipality has no status row for is not
    /// listed.
    pub statuses: BTreeMap<String, TaskStatus>,
    /// The day each completed step was completed.
    pub completed_on: BTreeMap<String, Date>,
    pub state: AreaState,
    /// A. stop new claims, once every one of the municipality's own steps
    /// is done.
    pub stop: Option<StopDates>,
    /// The steps it can work on now.
    pub open_steps: Vec<String>,
}

impl PipelineMember {
    /// The derived state, stop dates and open steps from the statuses.
    pub fn derive(
        pipeline: &Pipeline,
        supplementary_months: u8,
        org_id: OrgId,
        name: String,
        code: Option<MunicipalityCode>,
        statuses: BTreeMap<String, TaskStatus>,
        completed_on: BTreeMap<String, Date>,
    ) -> Self {
        let keyed: Statuses = statuses
            .iter()
            .filter_map(|(k, s)| StepKey::new(k).ok().map(|k| (k, *s)))
            .collect();
        let done: BTreeMap<StepKey, Date> = completed_on
            .iter()
            .filter(|(k, _)| statuses.get(*k) == Some(&TaskStatus::Completed))
            .filter_map(|(k, d)| StepKey::new(k).ok().map(|k| (k, *d)))
            .collect();
        let state = derived_state(pipeline, &keyed);
        let stop = if state.is_done() {
            municipality_done_on(pipeline, &done)
                .and_then(|day| stop_dates(day, supplementary_months).ok())
        } else {
            None
        };
        let open_steps = samspil_coordination::pipeline::open_steps(pipeline, &keyed)
            .into_iter()
            .map(|k| k.to_string())
            .collect();
        Self {
            org_id,
            name,
            code,
            statuses,
            completed_on,
            state,
            stop,
            open_steps,
        }
    }
}

/// The claim types one municipality ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimTicks {
    pub org_id: OrgId,
    pub name: String,
    pub code: MunicipalityCode,
    pub types: Vec<ClaimType>,
}
