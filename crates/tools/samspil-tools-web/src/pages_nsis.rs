//! The NSIS pages: for staff the assessments, their versions and approval,
//! the element catalogue, the matrix and its versions, and the readiness
//! report of every municipality; for a municipality the levels its
//! solutions require, its identity provider's level (its administrator
//! registers it) and whether it is ready.
//!
//! Every write goes through the same storage calls as the JSON API; a
//! broken rule is shown above the form, in the reader's language, and
//! changes nothing.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_domain::{OrgId, ValidationError};
use samspil_tools::nsis::{self, ElementKind};
use samspil_tools_storage::{NewNsisElement, NsisElementChange, ScoreInput, VersionInput};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::Serialize;

use crate::api_nsis::{known_solution, own_scope};
use crate::nsis::{
    ElementView, MatrixRowView, MatrixView, assessment_view, detail_view, matrix_svg, readiness,
    row_of, solution_names, typed_level, typed_matrix,
};
use crate::{MOUNT, ToolsState};

/// A form's fields by name (the last value of a name wins).
type Fields = HashMap<String, String>;

fn fields(form: Vec<(String, String)>) -> Fields {
    form.into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect()
}

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

/// A refusal for the page: the sentence above the form, or an error page.
fn refusal(lang: Lang, error: AppError) -> Result<String, AppError> {
    error.form_refusal(lang, "nsis-error")
}

fn path(rest: &str) -> String {
    format!("{MOUNT}/nsis{rest}")
}

async fn page<'a>(
    state: &'a ToolsState,
    lang: Lang,
    rest: &str,
    signed_in: &SignedIn,
) -> Result<Page<'a>, AppError> {
    Page::new(state, lang, &path(rest), Some(signed_in)).await
}

#[derive(Serialize)]
struct LevelChoice {
    value: &'static str,
    name: &'static str,
}

fn level_choices() -> Vec<LevelChoice> {
    samspil_tools::AssuranceLevel::ALL
        .into_iter()
        .map(|l| LevelChoice {
            value: l.code(),
            name: l.as_str(),
        })
        .collect()
}

/// `/vaerktoejer/nsis`: for staff the assessments and the matrix in force;
/// for a municipality its requirements and its identity provider's level.
pub async fn overview(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_overview(&state, lang, &signed_in, None).await
}

async fn render_overview(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    form_error: Option<String>,
) -> Result<Html<String>, AppError> {
    let page = page(state, lang, "", signed_in).await?;
    if signed_in.principal.is_staff() {
        let names = solution_names(state).await?;
        let assessments: Vec<_> = state
            .storage
            .nsis_assessments()
            .await?
            .into_iter()
            .map(|a| assessment_view(a, &names, lang))
            .collect();
        let matrix = state.storage.current_nsis_matrix().await?;
        let svg = matrix_svg(&matrix.matrix, lang, "matrix-current", None);
        return page.render(
            "nsis.html",
            minijinja::context! {
                nav_active => "tools", staff => true, assessments, svg,
                matrix => MatrixView::from(matrix), form_error,
            },
        );
    }
    let own = own_scope(&signed_in.principal)?.ok_or(AppError::NotFound)?;
    let lines = readiness(state, Some(own)).await?;
    let requirements = municipal_requirements(state, own).await?;
    let idp_level = state
        .storage
        .idp_levels()
        .await?
        .into_iter()
        .find(|l| l.org_id == own)
        .map(|l| l.level);
    let may_register = signed_in.principal.admin_access(own).is_ok();
    let login_level = crate::nsis_login::login_level(signed_in).map(|l| l.as_str());
    let requirements: Vec<_> = requirements
        .into_iter()
        .map(|r| {
            let login = crate::nsis_login::against(signed_in, &r.level);
            minijinja::context! { login, ..minijinja::Value::from_serialize(&r) }
        })
        .collect();
    page.render(
        "nsis.html",
        minijinja::context! {
            nav_active => "tools", staff => false, lines, requirements,
            idp_level => idp_level.map(|l| l.code()), idp_level_name => idp_level.map(|l| l.as_str()),
            may_register, org_id => own.0, levels => level_choices(), form_error,
            login_level,
        },
    )
}

#[derive(Serialize)]
struct MunicipalRequirement {
    solution: String,
    user_type: String,
    level: String,
    ready: bool,
}

/// The approved requirements of the solutions a municipality uses, with
/// whether it is ready for each (citizens' logins are MitID's, not the
/// municipality's, and are left out as in the report).
async fn municipal_requirements(
    state: &ToolsState,
    own: OrgId,
) -> Result<Vec<MunicipalRequirement>, AppError> {
    let lines = readiness(state, Some(own)).await?;
    Ok(lines
        .into_iter()
        .filter(|line| line.ready + line.not_ready.len() > 0)
        .map(|line| MunicipalRequirement {
            ready: line.not_ready.is_empty(),
            solution: line.solution,
            user_type: line.user_type,
            level: line.required_level,
        })
        .collect())
}

/// `POST /vaerktoejer/nsis/idp-niveau`: a municipality's administrator (or
/// staff) registers its identity provider's level.
pub async fn set_idp_level(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = fields(form);
    let org = match field(&form, "org_id").parse::<i64>() {
        Ok(id) => OrgId(id),
        Err(_) => return Err(AppError::BadRequest("org_id".into())),
    };
    let access = signed_in
        .principal
        .admin_access(org)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let level = match field(&form, "level").trim() {
        "" => Ok(None),
        text => typed_level("level", text).map(Some),
    };
    let outcome = match level {
        Ok(level) => state
            .storage
            .set_idp_level(&access, level)
            .await
            .map_err(AppError::from),
        Err(refused) => Err(refused),
    };
    let back = if signed_in.principal.is_staff() {
        path("/parathed")
    } else {
        path("")
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(error) => {
            let message = refusal(lang, error)?;
            let html = if signed_in.principal.is_staff() {
                render_readiness(&state, lang, &signed_in, Some(message)).await?
            } else {
                render_overview(&state, lang, &signed_in, Some(message)).await?
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// `/vaerktoejer/nsis/elementer`: the catalogue (staff).
pub async fn elements(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_elements(&state, lang, &signed_in, None, Fields::new()).await
}

async fn render_elements(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    form_error: Option<String>,
    form: Fields,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let elements: Vec<ElementView> = state
        .storage
        .nsis_elements()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    page(state, lang, "/elementer", signed_in).await?.render(
        "nsis_elements.html",
        minijinja::context! { nav_active => "tools", elements, form_error, form },
    )
}

pub async fn add_element(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = fields(form);
    let outcome = match ElementKind::parse(field(&form, "kind")) {
        Ok(kind) => state
            .storage
            .add_nsis_element(
                &access,
                &NewNsisElement {
                    kind,
                    name: field(&form, "name").to_owned(),
                    description: field(&form, "description").to_owned(),
                },
            )
            .await
            .map_err(AppError::from),
        Err(refused) => Err(refused.into()),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&path("/elementer")).into_response()),
        Err(error) => {
            let message = refusal(lang, error)?;
            let html = render_elements(&state, lang, &signed_in, Some(message), form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn change_element(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = fields(form);
    let change = NsisElementChange {
        name: field(&form, "name").to_owned(),
        description: field(&form, "description").to_owned(),
        active: field(&form, "active") == "true",
    };
    match state
        .storage
        .change_nsis_element(&access, id, &change)
        .await
    {
        Ok(_) => Ok(Redirect::to(&path("/elementer")).into_response()),
        Err(error) => {
            let message = refusal(lang, error.into())?;
            let html =
                render_elements(&state, lang, &signed_in, Some(message), Fields::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The control scores of the page's grid: 0.0, 0.5 … 3.0, as the slide.
const GRID_ROWS: [u8; 7] = [0, 5, 10, 15, 20, 25, 30];

#[derive(Serialize)]
struct GridRow {
    from: String,
    /// Tenths, the form's field names' part.
    tenths: u8,
    levels: Vec<String>,
}

/// `/vaerktoejer/nsis/matrix`: the matrix in force, drawn and as a table,
/// its versions, and the form for a new one (staff).
pub async fn matrix(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_matrix(&state, lang, &signed_in, None, None).await
}

async fn render_matrix(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    form_error: Option<String>,
    typed: Option<Fields>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let versions = state.storage.nsis_matrix_versions().await?;
    let current = versions
        .first()
        .cloned()
        .ok_or_else(|| AppError::Internal("no NSIS matrix version".into()))?;
    let svg = matrix_svg(&current.matrix, lang, "matrix-current", None);
    // The grid starts from the matrix in force (or what was typed), a level
    // per cell; a row of the matrix that is not on the grid is shown by its
    // nearest row below.
    let grid: Vec<GridRow> = GRID_ROWS
        .iter()
        .rev()
        .map(|&tenths| {
            let levels = (0..nsis::RISK_SCORES)
                .map(|risk| match &typed {
                    Some(form) => field(form, &format!("cell-{tenths}-{risk}")).to_owned(),
                    None => current
                        .matrix
                        .level(
                            risk as u8,
                            nsis::ControlScore {
                                sum: u32::from(tenths),
                                count: 10,
                            },
                        )
                        .code()
                        .to_owned(),
                })
                .collect();
            GridRow {
                from: format!("{},{}", tenths / 10, tenths % 10),
                tenths,
                levels,
            }
        })
        .collect();
    let versions: Vec<MatrixView> = versions.into_iter().map(Into::into).collect();
    let current = MatrixView::from(current);
    page(state, lang, "/matrix", signed_in).await?.render(
        "nsis_matrix.html",
        minijinja::context! {
            nav_active => "tools", svg, current, versions, grid,
            levels => level_choices(), form_error,
            note => typed.as_ref().map(|f| field(f, "note").to_owned()),
        },
    )
}

pub async fn publish_matrix(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = fields(form);
    let rows: Vec<MatrixRowView> = GRID_ROWS
        .iter()
        .map(|&tenths| MatrixRowView {
            control_from: f64::from(tenths) / 10.0,
            levels: (0..nsis::RISK_SCORES)
                .map(|risk| {
                    Some(field(&form, &format!("cell-{tenths}-{risk}")).to_owned())
                        .filter(|v| !v.trim().is_empty())
                })
                .collect(),
        })
        .collect();
    let outcome = match typed_matrix(&rows) {
        Ok(matrix) => state
            .storage
            .publish_nsis_matrix(&access, &matrix, field(&form, "note"))
            .await
            .map_err(AppError::from),
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&path("/matrix")).into_response()),
        Err(error) => {
            let message = refusal(lang, error)?;
            let html = render_matrix(&state, lang, &signed_in, Some(message), Some(form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The version form's input: the header and a score per element in use.
fn version_input(form: &Fields, elements: &[ElementView]) -> Result<VersionInput, AppError> {
    let assessed_on = samspil_domain::input::parse_date("assessed_on", field(form, "assessed_on"))?;
    let mut scores = Vec::new();
    for element in elements.iter().filter(|e| e.active) {
        let typed = field(form, &format!("score-{}", element.id)).trim();
        if typed.is_empty() {
            continue;
        }
        let score = typed.parse::<i64>().map_err(|_| {
            ValidationError::new(
                "score",
                format!("{}: '{typed}' is not a whole number", element.name),
            )
        })?;
        scores.push(ScoreInput {
            element_id: element.id,
            score,
            rationale: field(form, &format!("rationale-{}", element.id)).to_owned(),
        });
    }
    Ok(VersionInput {
        project_leader: field(form, "project_leader").to_owned(),
        phase: field(form, "phase").to_owned(),
        assessors: field(form, "assessors").to_owned(),
        assessed_on,
        scores,
    })
}

async fn active_elements(state: &ToolsState) -> Result<Vec<ElementView>, AppError> {
    Ok(state
        .storage
        .nsis_elements()
        .await?
        .into_iter()
        .filter(|e| e.active)
        .map(Into::into)
        .collect())
}

/// `/vaerktoejer/nsis/vurderinger/ny`: a new assessment (staff).
pub async fn new_assessment(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_new_assessment(&state, lang, &signed_in, None, Fields::new()).await
}

async fn render_new_assessment(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    form_error: Option<String>,
    form: Fields,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let solutions = state.solutions.it_solutions().await?;
    let elements = active_elements(state).await?;
    page(state, lang, "/vurderinger/ny", signed_in)
        .await?
        .render(
            "nsis_assessment_new.html",
            minijinja::context! {
                nav_active => "tools", solutions, elements, user_types => nsis::USER_TYPES,
                form_error, form,
            },
        )
}

pub async fn create_assessment(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = fields(form);
    let names = solution_names(&state).await?;
    let elements = active_elements(&state).await?;
    let outcome = async {
        let solution = field(&form, "solution_id").parse::<i64>().map_err(|_| {
            AppError::Rule(ValidationError::new("solution_id", "choose an IT solution"))
        })?;
        known_solution(&names, solution)?;
        let version = version_input(&form, &elements)?;
        Ok::<_, AppError>(
            state
                .storage
                .create_nsis_assessment(&access, solution, field(&form, "user_type"), &version)
                .await?,
        )
    }
    .await;
    match outcome {
        Ok(created) => Ok(
            Redirect::to(&path(&format!("/vurderinger/{}", created.assessment.id))).into_response(),
        ),
        Err(error) => {
            let message = refusal(lang, error)?;
            let html = render_new_assessment(&state, lang, &signed_in, Some(message), form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// `/vaerktoejer/nsis/vurderinger/{id}`: the newest version with its
/// scores and the matrix cell it falls in, approval, the history, and the
/// form for a new version (staff).
pub async fn assessment(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    render_assessment(&state, lang, &signed_in, id, None, None).await
}

async fn render_assessment(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    form_error: Option<String>,
    typed: Option<Fields>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let detail = state
        .storage
        .nsis_assessment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let newest = detail.versions.first().cloned();
    let matrices = state.storage.nsis_matrix_versions().await?;
    let svg = newest.as_ref().and_then(|v| {
        let matrix = matrices.iter().find(|m| m.version == v.matrix_version)?;
        let row = row_of(&matrix.matrix, v.control);
        Some(matrix_svg(
            &matrix.matrix,
            lang,
            "matrix-assessment",
            Some((v.risk_score, row)),
        ))
    });
    // The new version's form starts from the newest version.
    let form: Fields = match (typed, &newest) {
        (Some(typed), _) => typed,
        (None, Some(v)) => {
            let mut form = Fields::new();
            form.insert("project_leader".into(), v.project_leader.clone());
            form.insert("phase".into(), v.phase.clone());
            form.insert("assessors".into(), v.assessors.join(", "));
            form.insert("assessed_on".into(), v.assessed_on.to_string());
            for s in &v.scores {
                form.insert(format!("score-{}", s.element_id), s.score.to_string());
                form.insert(format!("rationale-{}", s.element_id), s.rationale.clone());
            }
            form
        }
        (None, None) => Fields::new(),
    };
    let names = solution_names(state).await?;
    let detail = detail_view(detail, &names, lang);
    let me = signed_in.principal.login().to_owned();
    let elements = active_elements(state).await?;
    // The login against the requirement that counts, or the newest
    // version's level while none is approved.
    let required = detail
        .assessment
        .approved_level
        .clone()
        .or_else(|| detail.versions.first().map(|v| v.level.clone()))
        .unwrap_or_default();
    let login = crate::nsis_login::against(signed_in, &required);
    page(state, lang, &format!("/vurderinger/{id}"), signed_in)
        .await?
        .render(
            "nsis_assessment.html",
            minijinja::context! {
                nav_active => "tools", detail, svg, me, elements, form, form_error, login,
            },
        )
}

pub async fn add_version(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = fields(form);
    let elements = active_elements(&state).await?;
    let outcome = async {
        let version = version_input(&form, &elements)?;
        Ok::<_, AppError>(
            state
                .storage
                .add_nsis_version(&access, id, &version)
                .await?,
        )
    }
    .await;
    match outcome {
        Ok(_) => Ok(Redirect::to(&path(&format!("/vurderinger/{id}"))).into_response()),
        Err(error) => {
            let message = refusal(lang, error)?;
            let html =
                render_assessment(&state, lang, &signed_in, id, Some(message), Some(form)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn approve_version(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    match state
        .storage
        .approve_nsis_version(&access, id, version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&path(&format!("/vurderinger/{id}"))).into_response()),
        Err(error) => {
            let message = refusal(lang, error.into())?;
            let html = render_assessment(&state, lang, &signed_in, id, Some(message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// `/vaerktoejer/nsis/parathed`: per solution and user type the
/// municipalities whose identity provider is below the required level
/// (staff: all; a municipality sees its overview instead).
pub async fn readiness_page(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, AppError> {
    if !signed_in.principal.is_staff() {
        return Ok(Redirect::to(&path("")).into_response());
    }
    Ok(render_readiness(&state, lang, &signed_in, None)
        .await?
        .into_response())
}

async fn render_readiness(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    form_error: Option<String>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let lines = readiness(state, None).await?;
    let registered = state.storage.idp_levels().await?.len();
    let municipalities: Vec<(i64, String)> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == samspil_domain::OrgKind::Municipality)
        .map(|o| (o.id.0, o.name))
        .collect();
    page(state, lang, "/parathed", signed_in).await?.render(
        "nsis_readiness.html",
        minijinja::context! {
            nav_active => "tools", lines, registered, municipalities,
            levels => level_choices(), form_error,
        },
    )
}

/// The NSIS pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::get("/nsis", overview),
        PageRoute::post("/nsis/idp-niveau", set_idp_level),
        PageRoute::get("/nsis/elementer", elements),
        PageRoute::post("/nsis/elementer", add_element),
        PageRoute::post("/nsis/elementer/{id}", change_element),
        PageRoute::get("/nsis/matrix", matrix),
        PageRoute::post("/nsis/matrix", publish_matrix),
        PageRoute::get("/nsis/vurderinger/ny", new_assessment),
        PageRoute::post("/nsis/vurderinger", create_assessment),
        PageRoute::get("/nsis/vurderinger/{id}", assessment),
        PageRoute::post("/nsis/vurderinger/{id}/versioner", add_version),
        PageRoute::post(
            "/nsis/vurderinger/{id}/versioner/{version}/godkend",
            approve_version,
        ),
        PageRoute::get("/nsis/parathed", readiness_page),
    ]
}
