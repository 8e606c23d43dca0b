//! Onboarding pipelines in the JSON API (tag `pipelines`): the pipelines
//! with their gaps, making one from the slides' templates (DOS per
//! business area, Borgerblikket debt per debtor system) or from steps,
//! every municipality's state, one municipality's, the claim types ticked
//! as a file, and the timeline of areas. A step's status is set through
//! the task's status operation, where the gate applies.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use samspil_coordination::pipeline::{
    AreaWindow, BusinessArea, ClaimType, DebtorSystem, Pipeline, StepActor, StepSpec, area_gap,
    borgerblikket_debt_pipeline, dos_pipeline, socialret_catalogue,
};
use samspil_coordination::task::{ProjectId, TaskId};
use samspil_coordination_storage::{
    NewPipeline, NewPipelineStep, PipelineId, PipelineMember, PipelineRecord,
};
use samspil_domain::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::CoordinationState;
use crate::api_exports::FileQuery;
use crate::api_tasks::parse_date;
use crate::pages_tasks::export_response;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use samspil_web::i18n::Lang;

/// One step of a pipeline: a task of the project.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineStepView {
    pub key: String,
    pub title: String,
    /// `municipality`, `vendor`, `agency` or `community`.
    pub actor: String,
    /// The keys of the steps this one waits for.
    pub depends_on: Vec<String>,
    pub task_id: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimTypeView {
    pub code: String,
    pub name: String,
}

/// A pipeline with its gap: how many of its municipalities are done.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineView {
    pub id: i64,
    pub project_id: i64,
    pub project: String,
    pub area: String,
    pub supplementary_months: u8,
    pub steps: Vec<PipelineStepView>,
    pub claim_types: Vec<ClaimTypeView>,
    /// The step whose answers are the claim types ticked.
    pub claim_step: Option<String>,
    pub municipalities: usize,
    pub done: usize,
    pub not_done: usize,
}

fn pipeline_view(record: PipelineRecord, members: &[PipelineMember]) -> PipelineView {
    let states: Vec<_> = members
        .iter()
        .filter_map(|m| m.code.map(|c| (c, m.state)))
        .collect();
    let gap = area_gap(&record.area, &states);
    PipelineView {
        id: record.id.0,
        project_id: record.project_id.0,
        project: record.project_name,
        area: record.area,
        supplementary_months: record.supplementary_months,
        steps: record
            .steps
            .into_iter()
            .map(|s| PipelineStepView {
                key: s.key,
                title: s.title,
                actor: s.actor.as_str().to_owned(),
                depends_on: s.depends_on,
                task_id: s.task_id.0,
            })
            .collect(),
        claim_types: record
            .catalogue
            .into_iter()
            .map(|c| ClaimTypeView {
                code: c.code,
                name: c.name,
            })
            .collect(),
        claim_step: record.claim_step,
        municipalities: gap.total,
        done: gap.done,
        not_done: gap.not_done_count(),
    }
}

/// One municipality on one pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineStateView {
    pub pipeline_id: i64,
    pub area: String,
    pub org_id: i64,
    pub name: String,
    pub code: Option<u16>,
    /// `not_started`, `started`, `done` (every step of the municipality's
    /// own done) or `closed` (every step done).
    pub state: String,
    /// Each step's status by key.
    pub statuses: BTreeMap<String, String>,
    /// The steps it can work on now.
    pub open_steps: Vec<String>,
    /// A. no new claims to DMI from this day (YYYY-MM-DD), once done.
    pub stop_new_claims_from: Option<String>,
    /// The last day of the supplementary reporting period.
    pub close_on: Option<String>,
}

fn state_view(record: &PipelineRecord, m: PipelineMember) -> PipelineStateView {
    PipelineStateView {
        pipeline_id: record.id.0,
        area: record.area.clone(),
        org_id: m.org_id.0,
        name: m.name,
        code: m.code.map(|c| c.get()),
        state: m.state.as_str().to_owned(),
        statuses: m
            .statuses
            .into_iter()
            .map(|(k, s)| (k, s.as_str().to_owned()))
            .collect(),
        open_steps: m.open_steps,
        stop_new_claims_from: m.stop.map(|s| s.stop_new_claims_from.to_string()),
        close_on: m.stop.map(|s| s.close_on.to_string()),
    }
}

/// The pipelines with their gaps.
#[utoipa::path(get, path = "/api/v1/pipelines", tag = "pipelines",
    responses((status = 200, body = [PipelineView]), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_pipelines(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<PipelineView>>, AppError> {
    let access = caller.principal.community_access()?;
    let mut views = Vec::new();
    for record in state.storage.pipelines().await? {
        let members = state.storage.pipeline_members(&access, record.id).await?;
        views.push(pipeline_view(record, &members));
    }
    Ok(Json(views))
}

/// A step of a pipeline written out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineStepInput {
    pub key: String,
    pub title: String,
    /// `municipality` (default), `vendor`, `agency` or `community`.
    pub actor: Option<String>,
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// A new pipeline: from a template or from steps.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineInput {
    pub project_id: i64,
    /// `dos` (with `area`, a DOS business area such as `Bibliotek`),
    /// `borgerblikket` (with `debtor_system`: `kmd_opus_debitor`,
    /// `eg_os_indsigt` or `fujitsu_prisme`) or `steps` (with `area` and
    /// `steps`).
    pub template: String,
    pub area: Option<String>,
    pub debtor_system: Option<String>,
    pub steps: Option<Vec<PipelineStepInput>>,
    /// Steps that are tasks already: step key → a published task of the
    /// project; the other steps get new tasks.
    #[serde(default)]
    pub tasks: BTreeMap<String, i64>,
    /// 0–24 months.
    #[serde(default)]
    pub supplementary_months: u8,
    /// The area's claim types (DOS Socialret has the slides' 14 unless
    /// given).
    pub claim_types: Option<Vec<ClaimTypeView>>,
    /// The step whose question the claim types are ticked in (DOS: step 1).
    pub claim_step: Option<String>,
}

fn actor(value: Option<&str>) -> Result<StepActor, AppError> {
    Ok(match value.unwrap_or("municipality") {
        "municipality" => StepActor::Municipality,
        "vendor" => StepActor::Vendor,
        "agency" => StepActor::Agency,
        "community" => StepActor::Community,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown actor '{other}': use municipality, vendor, agency or community"
            )));
        }
    })
}

fn specs_of(pipeline: &Pipeline) -> Vec<StepSpec> {
    pipeline
        .steps()
        .iter()
        .map(|s| StepSpec {
            key: s.key.to_string(),
            title: s.title.clone(),
            actor: s.actor,
            depends_on: s.depends_on.iter().map(|d| d.to_string()).collect(),
        })
        .collect()
}

/// Make a pipeline (community staff): its new steps become tasks published
/// to the project's municipalities.
#[utoipa::path(post, path = "/api/v1/pipelines", tag = "pipelines", request_body = PipelineInput,
    responses((status = 200, body = PipelineView), (status = 400, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_pipeline(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<PipelineInput>,
) -> Result<Json<PipelineView>, AppError> {
    let access = caller.principal.community_access()?;
    let missing_area = || {
        AppError::Rule(samspil_coordination::pipeline::PipelineError::MissingArea.refusal("area"))
    };
    let (area, specs, default_catalogue, default_claim_step) = match input.template.as_str() {
        "dos" => {
            let area = input
                .area
                .as_deref()
                .and_then(BusinessArea::parse)
                .ok_or_else(missing_area)?;
            let pipeline = dos_pipeline(area);
            let catalogue = if area == BusinessArea::Socialret {
                socialret_catalogue().types().to_vec()
            } else {
                Vec::new()
            };
            (
                area.name().to_owned(),
                specs_of(&pipeline),
                catalogue,
                Some(format!("{}1", area.prefix())),
            )
        }
        "borgerblikket" => {
            let system = match input.debtor_system.as_deref() {
                Some("kmd_opus_debitor") => DebtorSystem::KmdOpusDebitor,
                Some("eg_os_indsigt") => DebtorSystem::EgOsIndsigt,
                Some("fujitsu_prisme") => DebtorSystem::FujitsuPrisme,
                _ => {
                    return Err(AppError::BadRequest(
                        "debtor_system: use kmd_opus_debitor, eg_os_indsigt or fujitsu_prisme"
                            .into(),
                    ));
                }
            };
            let pipeline = borgerblikket_debt_pipeline(system);
            let area = input
                .area
                .clone()
                .unwrap_or_else(|| format!("{} ({})", pipeline.area(), system.name()));
            (area, specs_of(&pipeline), Vec::new(), None)
        }
        "steps" => {
            let steps = input.steps.as_deref().unwrap_or_default();
            let specs = steps
                .iter()
                .map(|s| {
                    Ok(StepSpec {
                        key: s.key.clone(),
                        title: s.title.clone(),
                        actor: actor(s.actor.as_deref())?,
                        depends_on: s.depends_on.clone(),
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            (
                input.area.clone().unwrap_or_default(),
                specs,
                Vec::new(),
                None,
            )
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown template '{other}': use dos, borgerblikket or steps"
            )));
        }
    };
    let catalogue = match input.claim_types {
        Some(types) => types
            .into_iter()
            .map(|c| ClaimType {
                code: c.code,
                name: c.name,
            })
            .collect(),
        None => default_catalogue,
    };
    let claim_step = input
        .claim_step
        .or(default_claim_step)
        .filter(|_| !catalogue.is_empty());
    let steps = specs
        .into_iter()
        .map(|spec| NewPipelineStep {
            task_id: input.tasks.get(&spec.key).map(|t| TaskId(*t)),
            spec,
        })
        .collect();
    let record = state
        .storage
        .create_pipeline(
            &access,
            &NewPipeline {
                project_id: ProjectId(input.project_id),
                area,
                steps,
                supplementary_months: input.supplementary_months,
                catalogue,
                claim_step,
            },
        )
        .await?;
    let members = state.storage.pipeline_members(&access, record.id).await?;
    Ok(Json(pipeline_view(record, &members)))
}

async fn record_of(state: &CoordinationState, id: i64) -> Result<PipelineRecord, AppError> {
    state
        .storage
        .pipeline(PipelineId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Every municipality's state on a pipeline (community staff).
#[utoipa::path(get, path = "/api/v1/pipelines/{id}/municipalities", tag = "pipelines",
    params(("id" = i64, Path)),
    responses((status = 200, body = [PipelineStateView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn pipeline_states(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PipelineStateView>>, AppError> {
    let access = caller.principal.community_access()?;
    let record = record_of(&state, id).await?;
    let members = state.storage.pipeline_members(&access, record.id).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| state_view(&record, m))
            .collect(),
    ))
}

/// One municipality's pipelines: its areas with their states (its own
/// people, or community staff).
#[utoipa::path(get, path = "/api/v1/municipalities/{org_id}/pipelines", tag = "pipelines",
    params(("org_id" = i64, Path)),
    responses((status = 200, body = [PipelineStateView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn municipality_pipelines(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
) -> Result<Json<Vec<PipelineStateView>>, AppError> {
    let access = samspil_web::api::read_access_to(&state, &caller, OrgId(org_id)).await?;
    Ok(Json(
        state
            .storage
            .municipality_pipelines(&access)
            .await?
            .into_iter()
            .map(|(record, member)| state_view(&record, member))
            .collect(),
    ))
}

/// The claim types each municipality ticked, as the debt collector reads
/// them: municipality, area, claim-type code, name (community staff).
#[utoipa::path(get, path = "/api/v1/pipelines/{id}/claim-types", tag = "pipelines",
    params(("id" = i64, Path), FileQuery),
    responses((status = 200, description = "The table as a file", content_type = "text/csv"),
              (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn claim_types_file(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<FileQuery>,
) -> Result<Response, AppError> {
    let access = caller.principal.community_access()?;
    let lang = match query.lang.as_deref() {
        None | Some("") => Lang::Da,
        Some(code) => Lang::parse(code).ok_or_else(|| {
            AppError::BadRequest(format!("unknown language '{code}': use da or en"))
        })?,
    };
    let table =
        crate::pages_pipelines::claim_type_table(&state, lang, &access, PipelineId(id)).await?;
    export_response(&table, &query.format, &format!("fordringstyper-{id}"))
}

/// One window of the timeline of areas.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaWindowView {
    pub area: String,
    /// The business system; empty for the whole area.
    #[serde(default)]
    pub system: String,
    /// YYYY-MM-DD.
    pub from: String,
    /// YYYY-MM-DD.
    pub to: String,
}

/// The timeline of areas (the newsletter's "mulighedsrum").
#[utoipa::path(get, path = "/api/v1/pipeline-timeline", tag = "pipelines",
    responses((status = 200, body = [AreaWindowView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn get_timeline(
    State(state): State<CoordinationState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<AreaWindowView>>, AppError> {
    Ok(Json(
        state
            .storage
            .timeline()
            .await?
            .into_iter()
            .map(|w| AreaWindowView {
                area: w.area,
                system: w.system,
                from: w.from.to_string(),
                to: w.to.to_string(),
            })
            .collect(),
    ))
}

/// Replace the timeline of areas (community staff).
#[utoipa::path(put, path = "/api/v1/pipeline-timeline", tag = "pipelines",
    request_body = [AreaWindowView],
    responses((status = 200, body = [AreaWindowView]), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn put_timeline(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<Vec<AreaWindowView>>,
) -> Result<Json<Vec<AreaWindowView>>, AppError> {
    let access = caller.principal.community_access()?;
    let mut windows = Vec::with_capacity(input.len());
    for w in &input {
        let from = parse_date("from", Some(&w.from))?;
        let to = parse_date("to", Some(&w.to))?;
        let (Some(from), Some(to)) = (from, to) else {
            return Err(AppError::Rule(samspil_domain::ValidationError::broke(
                "from",
                "a window needs both days",
                samspil_domain::BrokenRule::Required,
            )));
        };
        windows.push(AreaWindow {
            area: w.area.clone(),
            system: w.system.clone(),
            from,
            to,
        });
    }
    state.storage.set_timeline(&access, &windows).await?;
    get_timeline(State(state), caller).await
}
