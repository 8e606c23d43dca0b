//! The agreement pages: for staff every agreement with its totals as the
//! slides give them, a new agreement, and each agreement's answers of all
//! 98 municipalities (as CSV and XLSX too); for a municipality its own
//! answer to each, which its administrator gives.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samspil_domain::OrgId;
use samspil_report::{Cell, Column, Table};
use samspil_tools::agreements::{self, AgreementState};
use samspil_tools_storage::NewAgreement;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::agreements::{AgreementAnswerView, agreements as agreement_list, answers};
use crate::api_agreements::as_of;
use crate::api_nsis::{known_solution, own_scope};
use crate::nsis::solution_names;
use crate::prices::export_response;
use crate::{MOUNT, ToolsState};

fn path(rest: &str) -> String {
    format!("{MOUNT}/aftaler{rest}")
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    #[serde(default)]
    dato: String,
}

#[derive(Serialize)]
struct OwnAnswer {
    agreement: crate::agreements::AgreementView,
    answer: Option<AgreementAnswerView>,
    annexes: Vec<crate::agreements::AnnexView>,
    documents: Vec<crate::agreement_documents::FileView>,
}

/// `/vaerktoejer/aftaler`.
pub async fn list(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<DayQuery>,
) -> Result<Response, AppError> {
    render_list(&state, lang, &signed_in, &query.dato, None, None).await
}

async fn render_list(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    dato: &str,
    form_error: Option<String>,
    form: Option<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut refused = form_error;
    let day = match as_of(Some(dato)) {
        Ok(day) => day,
        Err(error) => {
            refused = Some(error.form_refusal(lang, "agreements-error")?);
            samspil_storage::now().date()
        }
    };
    let list = agreement_list(state, day).await?;
    let only = own_scope(&signed_in.principal)?;
    let mut own = Vec::new();
    if let Some(org) = only {
        for agreement in list.iter() {
            let (mut mine, _) = answers(state, agreement.id, day, Some(org)).await?;
            own.push(OwnAnswer {
                agreement: agreement.clone(),
                answer: mine.pop(),
                annexes: crate::agreements::annexes(state, agreement.id, Some(org)).await?,
                documents: crate::agreement_documents::versions(state, agreement.id).await?,
            });
        }
    }
    // The signer is the holder of the signatory role where there is one
    // (the form is pre-filled with the primary holder), otherwise named.
    let signatories: Vec<String> = match only {
        Some(org) => state
            .roles
            .holders(
                org,
                agreements::SIGNATORY_ROLE,
                samspil_storage::now().date(),
            )
            .await?
            .into_iter()
            .map(|h| h.name)
            .collect(),
        None => Vec::new(),
    };
    let solutions = state.solutions.it_solutions().await?;
    let may_answer = only.is_some_and(|org| signed_in.principal.admin_access(org).is_ok());
    let form: std::collections::HashMap<String, String> =
        form.unwrap_or_default().into_iter().collect();
    let page = Page::new(state, lang, &path(""), Some(signed_in)).await?;
    let html = page.render(
        "agreements.html",
        minijinja::context! {
            nav_active => "agreements", staff => signed_in.principal.is_staff(),
            agreements => list, own, solutions, kinds => agreements::KINDS,
            states => AgreementState::ALL.map(AgreementState::code), may_answer,
            signer => signatories.first(), signatories => signatories.join(", "),
            org_id => only.map(|o| o.0), day => day.to_string(),
            day_text => samspil_web::format::format_date(lang, Some(day)), form_error => refused.clone(), form,
        },
    )?;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

/// `POST /vaerktoejer/aftaler`: a new agreement (staff).
pub async fn create(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let names = solution_names(&state).await?;
    let outcome = async {
        let solution_id = field("solution_id").trim().parse::<i64>().map_err(|_| {
            AppError::Rule(samspil_domain::ValidationError::new(
                "solution_id",
                "choose an IT solution",
            ))
        })?;
        known_solution(&names, solution_id)?;
        let deadline = match field("deadline").trim() {
            "" => None,
            text => Some(samspil_domain::input::parse_date("deadline", text)?),
        };
        Ok::<_, AppError>(
            state
                .storage
                .create_agreement(
                    &access,
                    &NewAgreement {
                        solution_id,
                        kind: field("kind"),
                        name: field("name"),
                        deadline,
                    },
                )
                .await?,
        )
    }
    .await;
    match outcome {
        Ok(created) => Ok(Redirect::to(&path(&format!("/{}", created.id))).into_response()),
        Err(error) => {
            let message = error.form_refusal(lang, "agreements-error")?;
            let kept: Vec<_> = form
                .into_iter()
                .filter(|(k, _)| k != "csrf_token")
                .collect();
            let mut response =
                render_list(&state, lang, &signed_in, "", Some(message), Some(kept)).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// `/vaerktoejer/aftaler/{id}`: every municipality's answer (staff).
pub async fn agreement(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DayQuery>,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    let day = as_of(Some(&query.dato))?;
    let found = agreement_list(&state, day)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    render_agreement(&state, lang, &signed_in, found, day, None, StatusCode::OK).await
}

pub(crate) async fn render_agreement(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    found: crate::agreements::AgreementView,
    day: time::Date,
    form_error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let id = found.id;
    let (rows, _) = answers(state, id, day, None).await?;
    let annexes = crate::agreements::annexes(state, id, None).await?;
    let documents = crate::agreement_documents::versions(state, id).await?;
    let last_reminder: Option<crate::agreements::AgreementReminderView> = state
        .storage
        .reminders(id)
        .await?
        .into_iter()
        .next()
        .map(Into::into);
    let page = Page::new(state, lang, &path(&format!("/{id}")), Some(signed_in)).await?;
    Ok((
        status,
        page.render(
            "agreement.html",
            minijinja::context! {
                nav_active => "agreements", agreement => found, rows, annexes, documents, last_reminder,
                day => day.to_string(), form_error, accepted_files => samspil_domain::files::accepted_extensions(),
                day_text => samspil_web::format::format_date(lang, Some(day)),
            },
        )?,
    )
        .into_response())
}

pub(crate) async fn find(
    state: &ToolsState,
    id: i64,
) -> Result<crate::agreements::AgreementView, AppError> {
    agreement_list(state, samspil_storage::now().date())
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

/// `POST /vaerktoejer/aftaler/{id}/bilag`: a new annex version, sent to
/// the signatories (staff).
pub async fn publish_annex(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let found = find(&state, id).await?;
    match state
        .storage
        .publish_annex(
            &access,
            id,
            &field("title"),
            &field("body"),
            &crate::agreements::addressees(&state).await?,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&path(&format!("/{id}"))).into_response()),
        Err(error) => {
            let message = AppError::from(error).form_refusal(lang, "agreements-error")?;
            let day = samspil_storage::now().date();
            render_agreement(
                &state,
                lang,
                &signed_in,
                found,
                day,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /vaerktoejer/aftaler/{id}/paamind`: a reminder to the
/// municipalities that have not answered (staff); a second the same day
/// is refused above the button.
pub async fn remind_unanswered(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let found = find(&state, id).await?;
    match crate::agreements::remind_unanswered(&state, &access, id).await {
        Ok(_) => Ok(Redirect::to(&path(&format!("/{id}"))).into_response()),
        Err(error) => {
            let message = error.form_refusal(lang, "agreements-error")?;
            render_agreement(
                &state,
                lang,
                &signed_in,
                found,
                samspil_storage::now().date(),
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /vaerktoejer/aftaler/{id}/bilag/{annex}/paamind` (staff).
pub async fn remind_annex(
    State(state): State<ToolsState>,
    signed_in: SignedIn,
    Path((id, annex)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    find(&state, id).await?;
    state
        .storage
        .remind_annex(
            &access,
            annex,
            samspil_storage::now().date(),
            &crate::agreements::addressees(&state).await?,
        )
        .await?;
    Ok(Redirect::to(&path(&format!("/{id}"))).into_response())
}

/// `POST /vaerktoejer/aftaler/{id}/bilag/{annex}/kvitter`: a municipality
/// acknowledges receipt (its administrator, or staff).
pub async fn acknowledge_annex(
    State(state): State<ToolsState>,
    signed_in: SignedIn,
    Path((id, annex)): Path<(i64, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org = form
        .iter()
        .find(|(k, _)| k == "org_id")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .map(OrgId)
        .ok_or_else(|| AppError::BadRequest("org_id".into()))?;
    let access = signed_in
        .principal
        .admin_access(org)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    state.storage.acknowledge_annex(&access, annex).await?;
    let back = if signed_in.principal.is_staff() {
        path(&format!("/{id}"))
    } else {
        path("")
    };
    Ok(Redirect::to(&back).into_response())
}

/// `/vaerktoejer/aftaler/{id}/svar.{csv,xlsx}` (staff).
pub async fn export(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, String)>,
    Query(query): Query<DayQuery>,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    let format = file.strip_prefix("svar.").ok_or(AppError::NotFound)?;
    let day = as_of(Some(&query.dato))?;
    if !state.storage.agreements().await?.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    let (rows, _) = answers(&state, id, day, None).await?;
    let t = |key: &str| lang.text(key, &[]);
    let columns = vec![
        Column::text(t("agreements-municipality")),
        Column::text(t("agreements-state")),
        Column::text(t("agreements-reservation")),
        Column::text(t("agreements-signed-by")),
        Column::text(t("agreements-signed-on")),
    ];
    let cells = rows
        .into_iter()
        .map(|r| {
            let text = |v: Option<String>| v.map(Cell::Text).unwrap_or(Cell::Empty);
            vec![
                Cell::Text(r.municipality),
                Cell::Text(t(&format!("agreements-state-{}", r.state))),
                text(r.reservation),
                text(r.signed_by),
                text(r.signed_on),
            ]
        })
        .collect();
    let table = Table::new(t("agreements-title"), columns, cells)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    export_response(&table, format, &format!("aftale-{id}-{day}"))
}

/// `POST /vaerktoejer/aftaler/{id}/svar`: a municipality's answer (its
/// administrator, or staff).
pub async fn answer(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let org = field("org_id")
        .trim()
        .parse::<i64>()
        .map(OrgId)
        .map_err(|_| AppError::BadRequest("org_id".into()))?;
    let access = signed_in
        .principal
        .admin_access(org)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let outcome = async {
        let signed_on = match field("signed_on").trim() {
            "" => None,
            text => Some(samspil_domain::input::parse_date("signed_on", text)?),
        };
        let given = agreements::answer(
            AgreementState::parse(&field("state"))?,
            &field("reservation"),
            &field("signed_by"),
            signed_on,
        )?;
        state
            .storage
            .answer_agreement(&access, id, &given, samspil_storage::now().date())
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    let back = if signed_in.principal.is_staff() {
        path(&format!("/{id}"))
    } else {
        path("")
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(error) => {
            let message = error.form_refusal(lang, "agreements-error")?;
            let kept: Vec<_> = form
                .into_iter()
                .filter(|(k, _)| k != "csrf_token")
                .collect();
            let mut response =
                render_list(&state, lang, &signed_in, "", Some(message), Some(kept)).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// `/vaerktoejer/aftaler/{id}/kommuner/{org}`: the history of one
/// municipality's answers to an agreement, newest first (staff, or that
/// municipality's own people).
pub async fn municipality_history(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, org)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    render_history(&state, lang, &signed_in, id, OrgId(org), None).await
}

/// The history page, with a refusal of its upload form (422) or without.
pub(crate) async fn render_history(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    org: OrgId,
    form_error: Option<String>,
) -> Result<Response, AppError> {
    signed_in
        .principal
        .read_access(org)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let found = find(state, id).await?;
    let municipality = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.id == org && o.kind == samspil_domain::OrgKind::Municipality)
        .ok_or(AppError::NotFound)?;
    let mut entries = crate::agreements::history(state, id, Some(org)).await?;
    entries.reverse();
    let signed_now = entries
        .first()
        .and_then(|e| AgreementState::parse(&e.state).ok())
        .is_some_and(AgreementState::is_signed);
    let may_upload = signed_now && signed_in.principal.admin_access(org).is_ok();
    let signed_documents = crate::agreement_documents::signed(state, id, org).await?;
    let page = Page::new(
        state,
        lang,
        &path(&format!("/{id}/kommuner/{}", org.0)),
        Some(signed_in),
    )
    .await?;
    let status = if form_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = page.render(
        "agreement_history.html",
        minijinja::context! {
            nav_active => "agreements", agreement => found, municipality => municipality.name,
            entries, staff => signed_in.principal.is_staff(), org_id => org.0,
            signed_documents, may_upload, form_error,
        },
    )?;
    Ok((status, html).into_response())
}

/// The agreement pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::get("/aftaler", list),
        PageRoute::post("/aftaler", create),
        PageRoute::get("/aftaler/{id}", agreement),
        PageRoute::post("/aftaler/{id}/svar", answer),
        PageRoute::post("/aftaler/{id}/bilag", publish_annex),
        PageRoute::post("/aftaler/{id}/paamind", remind_unanswered),
        PageRoute::post("/aftaler/{id}/bilag/{annex}/paamind", remind_annex),
        PageRoute::post("/aftaler/{id}/bilag/{annex}/kvitter", acknowledge_annex),
        PageRoute::get("/aftaler/{id}/{file}", export),
        PageRoute::get("/aftaler/{id}/kommuner/{org}", municipality_history),
    ]
}
