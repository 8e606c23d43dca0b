//! Onboarding pipelines' pages (issue 20): `/forloeb` lists the pipelines
//! with how many municipalities are not done per area ("29 kommuner
//! mangler fortsat at fuldføre alle opgaver på fagområdet Bibliotek") for
//! community staff, and a municipality's own areas for its people;
//! `/forloeb/{id}` a pipeline's steps (each a task) and the
//! municipalities not done; `/forloeb/kommuner/{org}` one municipality's
//! areas; `/forloeb/{id}/fordringstyper.{csv,xlsx}` the claim types each
//! municipality ticked, for the debt collector; `/forloeb/tidslinje` the
//! timeline of areas. A step's status is set on its task's page, where
//! the gate refuses a step whose dependencies are not done.

use axum::extract::{Path, State};
use axum::response::{Html, Response};
use samspil_coordination::pipeline::{AreaState, ClaimCatalogue, area_gap, claim_type_rows};
use samspil_coordination::task::TaskStatus;
use samspil_coordination_storage::{PipelineId, PipelineMember, PipelineRecord};
use samspil_domain::OrgId;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::format_date;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use serde::Serialize;

use crate::CoordinationState;
use crate::pages_tasks::export_response;

const LIST_PATH: &str = "/forloeb";

#[derive(Serialize)]
struct SummaryView {
    id: i64,
    area: String,
    project: String,
    steps: usize,
    total: usize,
    done: usize,
    not_done: usize,
}

#[derive(Serialize)]
struct StepView {
    key: String,
    title: String,
    actor: &'static str,
    depends_on: String,
    task_id: i64,
    completed: usize,
    started: usize,
    not_started: usize,
    /// The municipality's own status, on its pages.
    status: Option<&'static str>,
    open: bool,
}

#[derive(Serialize)]
struct MemberView {
    org_id: i64,
    name: String,
    code: Option<String>,
    state: &'static str,
    open_steps: String,
    stop_from: Option<String>,
    close_on: Option<String>,
}

#[derive(Serialize)]
struct AreaView {
    pipeline_id: i64,
    area: String,
    project: String,
    state: &'static str,
    open_steps: String,
    stop_from: Option<String>,
    close_on: Option<String>,
    steps: Vec<StepView>,
}

fn member_view(lang: Lang, m: &PipelineMember) -> MemberView {
    MemberView {
        org_id: m.org_id.0,
        name: m.name.clone(),
        code: m.code.map(|c| c.to_string()),
        state: m.state.as_str(),
        open_steps: m.open_steps.join(", "),
        stop_from: m
            .stop
            .and_then(|s| format_date(lang, Some(s.stop_new_claims_from))),
        close_on: m.stop.and_then(|s| format_date(lang, Some(s.close_on))),
    }
}

fn step_views(record: &PipelineRecord, members: &[PipelineMember], own: bool) -> Vec<StepView> {
    record
        .steps
        .iter()
        .map(|s| {
            let count = |status: TaskStatus| {
                members
                    .iter()
                    .filter(|m| m.statuses.get(&s.key).is_some_and(|st| *st == status))
                    .count()
            };
            StepView {
                key: s.key.clone(),
                title: s.title.clone(),
                actor: s.actor.as_str(),
                depends_on: s.depends_on.join(", "),
                task_id: s.task_id.0,
                completed: count(TaskStatus::Completed),
                started: count(TaskStatus::Started),
                not_started: count(TaskStatus::NotStarted),
                status: if own {
                    members
                        .first()
                        .and_then(|m| m.statuses.get(&s.key))
                        .map(|st| st.as_str())
                } else {
                    None
                },
                open: own
                    && members
                        .first()
                        .is_some_and(|m| m.open_steps.contains(&s.key)),
            }
        })
        .collect()
}

/// The numbers of a pipeline's gap, from its members' states.
fn summary(record: &PipelineRecord, members: &[PipelineMember]) -> SummaryView {
    let states: Vec<_> = members
        .iter()
        .filter_map(|m| m.code.map(|c| (c, m.state)))
        .collect();
    let gap = area_gap(&record.area, &states);
    SummaryView {
        id: record.id.0,
        area: record.area.clone(),
        project: record.project_name.clone(),
        steps: record.steps.len(),
        total: gap.total,
        done: gap.done,
        not_done: gap.not_done_count(),
    }
}

/// One municipality's areas.
async fn areas_of(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    org: OrgId,
) -> Result<(String, Vec<AreaView>), AppError> {
    let access = signed_in.principal.read_access(org)?;
    let mine = state.storage.municipality_pipelines(&access).await?;
    let name = mine
        .first()
        .map(|(_, m)| m.name.clone())
        .unwrap_or_default();
    let areas = mine
        .iter()
        .map(|(record, member)| {
            let view = member_view(lang, member);
            AreaView {
                pipeline_id: record.id.0,
                area: record.area.clone(),
                project: record.project_name.clone(),
                state: view.state,
                open_steps: view.open_steps,
                stop_from: view.stop_from,
                close_on: view.close_on,
                steps: step_views(record, std::slice::from_ref(member), true),
            }
        })
        .collect();
    Ok((name, areas))
}

/// `/forloeb`: for staff every pipeline with its gap; for a municipality
/// its own areas.
pub async fn list(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let page = Page::new(&state, lang, LIST_PATH, Some(&signed_in)).await?;
    if let Ok(access) = signed_in.principal.community_access() {
        let mut pipelines = Vec::new();
        for record in state.storage.pipelines().await? {
            let members = state.storage.pipeline_members(&access, record.id).await?;
            pipelines.push(summary(&record, &members));
        }
        return page.render(
            "pipeline_list.html",
            minijinja::context! { nav_active => "pipelines", is_staff => true, pipelines },
        );
    }
    let (name, areas) = areas_of(&state, lang, &signed_in, signed_in.user.org_id).await?;
    page.render(
        "pipeline_municipality.html",
        minijinja::context! { nav_active => "pipelines", is_staff => false, name, areas },
    )
}

/// `/forloeb/kommuner/{org}`: one municipality's areas (staff, or its own
/// people).
pub async fn municipality(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(org): Path<i64>,
) -> Result<Html<String>, AppError> {
    let (name, areas) = areas_of(&state, lang, &signed_in, OrgId(org)).await?;
    let page = Page::new(
        &state,
        lang,
        &format!("/forloeb/kommuner/{org}"),
        Some(&signed_in),
    )
    .await?;
    page.render(
        "pipeline_municipality.html",
        minijinja::context! {
            nav_active => "pipelines",
            is_staff => signed_in.principal.is_staff(),
            name,
            areas,
        },
    )
}

/// `/forloeb/{id}`: the steps and the municipalities not done (staff); a
/// municipality sees its own steps.
pub async fn detail(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let record = state
        .storage
        .pipeline(PipelineId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let page = Page::new(&state, lang, &format!("/forloeb/{id}"), Some(&signed_in)).await?;
    let access = signed_in.principal.community_access();
    let (members, own) = match &access {
        Ok(access) => (
            state.storage.pipeline_members(access, record.id).await?,
            false,
        ),
        Err(_) => {
            let own = signed_in.principal.read_access(signed_in.user.org_id)?;
            let mine = state.storage.municipality_pipelines(&own).await?;
            let member = mine
                .into_iter()
                .find(|(r, _)| r.id == record.id)
                .map(|(_, m)| m)
                .ok_or(AppError::NotFound)?;
            (vec![member], true)
        }
    };
    let steps = step_views(&record, &members, own);
    let not_done: Vec<MemberView> = members
        .iter()
        .filter(|m| !m.state.is_done())
        .map(|m| member_view(lang, m))
        .collect();
    let done: Vec<MemberView> = members
        .iter()
        .filter(|m| m.state.is_done())
        .map(|m| member_view(lang, m))
        .collect();
    let own_state = own
        .then(|| members.first().map(|m| member_view(lang, m)))
        .flatten();
    page.render(
        "pipeline_detail.html",
        minijinja::context! {
            nav_active => "pipelines",
            is_staff => !own,
            summary => summary(&record, &members),
            steps,
            not_done,
            done,
            own_state,
            has_claim_types => !record.catalogue.is_empty(),
            supplementary_months => record.supplementary_months,
            closed_state => AreaState::Closed.as_str(),
        },
    )
}

/// The claim types each municipality ticked, as the debt collector's table
/// (municipality, area, code, name).
pub(crate) async fn claim_type_table(
    state: &CoordinationState,
    lang: Lang,
    access: &samspil_domain::CommunityAccess,
    id: PipelineId,
) -> Result<samspil_report::Table, AppError> {
    use samspil_report::{Cell, Column, Table};
    let record = state
        .storage
        .pipeline(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let catalogue = ClaimCatalogue::new(&record.area, record.catalogue.clone())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let ticks = state.storage.claim_type_ticks(access, id).await?;
    let input: Vec<_> = ticks
        .iter()
        .map(|t| (t.code, t.name.as_str(), t.types.iter().collect::<Vec<_>>()))
        .collect();
    let rows = claim_type_rows(&catalogue, &input)
        .into_iter()
        .map(|r| r.cells().map(|c| Cell::Text(c.to_owned())).to_vec())
        .collect();
    let t = |key: &str| lang.text(key, &[]);
    let columns = vec![
        Column::text(t("pipeline-col-municipality")),
        Column::text(t("pipeline-col-area")),
        Column::text(t("pipeline-col-claim-code")),
        Column::text(t("pipeline-col-claim-name")),
    ];
    Table::new(t("pipeline-claims-title"), columns, rows)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// `/forloeb/{id}/fordringstyper.{csv,xlsx}` (community staff).
pub async fn claims_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = file
        .strip_prefix("fordringstyper.")
        .ok_or(AppError::NotFound)?;
    let access = signed_in.principal.community_access()?;
    let table = claim_type_table(&state, lang, &access, PipelineId(id)).await?;
    export_response(&table, format, &format!("fordringstyper-{id}"))
}

#[derive(Serialize)]
struct WindowView {
    area: String,
    system: String,
    from: Option<String>,
    to: Option<String>,
}

/// `/forloeb/tidslinje`: the timeline of areas.
pub async fn timeline(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let windows: Vec<WindowView> = state
        .storage
        .timeline()
        .await?
        .into_iter()
        .map(|w| WindowView {
            area: w.area,
            system: w.system,
            from: format_date(lang, Some(w.from)),
            to: format_date(lang, Some(w.to)),
        })
        .collect();
    let page = Page::new(&state, lang, "/forloeb/tidslinje", Some(&signed_in)).await?;
    page.render(
        "pipeline_timeline.html",
        minijinja::context! { nav_active => "pipelines", windows },
    )
}

pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get(LIST_PATH, list),
        PageRoute::get("/forloeb/tidslinje", timeline),
        PageRoute::get("/forloeb/kommuner/{org}", municipality),
        PageRoute::get("/forloeb/{id}", detail),
        PageRoute::get("/forloeb/{id}/{file}", claims_export),
    ]
}
