//! The claim types of a municipality and their verification
//! (`/borger/fordringstyper`): per claim type its state (configured →
//! verified → opened, or closed) with its history, the buttons that move
//! it on, and the verification view, which shows per claim type what a
//! citizen would see before the type is opened. The citizen's CPR number
//! is typed into a POST form (never in a URL), and the read is written to
//! the access log in its transaction.
//!
//! A municipality's administrators see and change their own
//! municipality's; community staff choose a municipality. Everyone else is
//! refused (the vendor systems' pages' [`viewer`]).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_citizen::common::typed_cpr;
use samspil_citizen::debt::{ClaimTypeAction, ClaimTypeState};
use samspil_citizen_storage::{ClaimTypeOutcome, ClaimTypeStatus, ClaimsOfType, Reader};
use samspil_domain::ValidationError;
use samspil_domain::input::parse_date;
use samspil_domain::money::format_kroner;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::{format_date, format_instant};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::CitizenState;
use crate::pages_systems::{Viewer, municipalities, viewer};

/// The page's path, as the browser sees it.
const CLAIM_TYPES_PATH: &str = "/borger/fordringstyper";
/// The prefix of the texts that explain a refused field.
const REFUSAL: &str = "debts-error";

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    kommune: Option<String>,
    done: Option<String>,
}

/// The municipality the page is about: the viewer's own (another one
/// named is not found), or (for staff) the one chosen, if it is one.
async fn municipality_of(
    state: &CitizenState,
    viewer: &Viewer,
    chosen: Option<&str>,
) -> Result<Option<u16>, AppError> {
    match viewer {
        Viewer::Municipality { code, .. } => match chosen.map(str::trim) {
            None | Some("") => Ok(Some(*code)),
            Some(named) if named.parse::<u16>().ok() == Some(*code) => Ok(Some(*code)),
            Some(_) => Err(AppError::NotFound),
        },
        Viewer::Staff => {
            let Some(code) = chosen.and_then(|c| c.trim().parse::<u16>().ok()) else {
                return Ok(None);
            };
            let known = municipalities(state)
                .await?
                .iter()
                .any(|org| org.code.map(|c| c.get()) == Some(code));
            Ok(known.then_some(code))
        }
    }
}

/// Whether the viewer changes the claim types (a municipality's
/// administrator with the right to administer it, or staff).
fn may_change(viewer: &Viewer) -> bool {
    match viewer {
        Viewer::Staff => true,
        Viewer::Municipality { may_approve, .. } => *may_approve,
    }
}

#[derive(Serialize)]
struct ChangeView {
    state: &'static str,
    effective_from: Option<String>,
    at: String,
    by: String,
}

#[derive(Serialize)]
struct ClaimTypeView {
    code: String,
    state: &'static str,
    history: Vec<ChangeView>,
    /// The changes its rule lets be made now.
    actions: Vec<&'static str>,
}

fn claim_type_view(lang: Lang, status: &ClaimTypeStatus) -> ClaimTypeView {
    // The next change is decided on the last one made (which may take
    // effect later than today).
    let last = status
        .history
        .last()
        .map_or(ClaimTypeState::Unconfigured, |c| c.state);
    ClaimTypeView {
        code: status.claim_type.clone(),
        state: status.state.as_str(),
        history: status
            .history
            .iter()
            .map(|c| ChangeView {
                state: c.state.as_str(),
                effective_from: format_date(lang, Some(c.effective_from)),
                at: format_instant(lang, c.at),
                by: c.actor_label.clone(),
            })
            .collect(),
        actions: ClaimTypeAction::ALL
            .into_iter()
            .filter(|a| a.apply(last).is_ok())
            .map(ClaimTypeAction::as_str)
            .collect(),
    }
}

#[derive(Serialize)]
struct ClaimLine {
    original: String,
    balance: String,
    due: Option<String>,
    status: String,
    debtor_system: String,
    system: String,
}

#[derive(Serialize)]
struct VerifiedType {
    code: String,
    state: &'static str,
    shown: bool,
    claims: Vec<ClaimLine>,
}

fn verified_view(lang: Lang, of_type: &ClaimsOfType) -> VerifiedType {
    let kroner = |oere: samspil_citizen::debt::Oere| format_kroner(oere.whole().unwrap_or(0));
    VerifiedType {
        code: of_type.claim_type.clone(),
        state: of_type.state.as_str(),
        shown: of_type.state.shown(),
        claims: of_type
            .claims
            .iter()
            .map(|c| ClaimLine {
                original: kroner(c.record.oprindeligt_beloeb),
                balance: kroner(c.record.restbeloeb),
                due: format_date(lang, Some(c.record.forfaldsdato)),
                status: c.record.status.clone(),
                debtor_system: c.record.debitorsystem.clone(),
                system: c.system.clone(),
            })
            .collect(),
    }
}

/// What the page shows besides the claim types.
#[derive(Default)]
struct Outcome {
    done: Option<&'static str>,
    /// Which form was refused (`change`, `verify`) and why.
    refused: Option<(&'static str, String)>,
    /// The verification's answer.
    verification: Option<Vec<VerifiedType>>,
    /// What was typed into the verification form.
    typed_cpr: String,
}

async fn render(
    state: &CitizenState,
    lang: Lang,
    signed_in: &SignedIn,
    viewer: &Viewer,
    code: Option<u16>,
    outcome: Outcome,
) -> Result<Html<String>, AppError> {
    let orgs = municipalities(state).await?;
    let claim_types: Vec<ClaimTypeView> = match code {
        Some(code) => state
            .store
            .claim_types(code)
            .await?
            .iter()
            .map(|status| claim_type_view(lang, status))
            .collect(),
        None => Vec::new(),
    };
    let municipality_name = code.map(|code| {
        orgs.iter()
            .find(|org| org.code.map(|c| c.get()) == Some(code))
            .map_or_else(|| code.to_string(), |org| org.name.clone())
    });
    let choices: Vec<minijinja::Value> = match viewer {
        Viewer::Staff => orgs
            .iter()
            .map(|org| minijinja::context! { code => org.code.map(|c| c.get()), name => org.name })
            .collect(),
        Viewer::Municipality { .. } => Vec::new(),
    };
    let (refused_form, form_error) = match outcome.refused {
        Some((form, message)) => (Some(form), Some(message)),
        None => (None, None),
    };
    let page = Page::new(state, lang, CLAIM_TYPES_PATH, Some(signed_in)).await?;
    page.render(
        "debts.html",
        minijinja::context! {
            code,
            municipality_name,
            choices,
            is_staff => matches!(viewer, Viewer::Staff),
            may_change => may_change(viewer),
            claim_types,
            done => outcome.done,
            refused_form,
            form_error,
            verification => outcome.verification,
            typed_cpr => outcome.typed_cpr,
        },
    )
}

pub async fn claim_types_page(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    let code = municipality_of(&state, &viewer, query.kommune.as_deref()).await?;
    let done = ClaimTypeState::ALL
        .into_iter()
        .map(ClaimTypeState::as_str)
        .find(|s| Some(*s) == query.done.as_deref());
    let outcome = Outcome {
        done,
        ..Outcome::default()
    };
    Ok(render(&state, lang, &signed_in, &viewer, code, outcome)
        .await?
        .into_response())
}

/// A change of a claim type, as the form sends it.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    kommune: String,
    #[serde(default)]
    effective_from: String,
}

fn refusal(refused: samspil_citizen::debt::ClaimTypeRefusal) -> AppError {
    AppError::Rule(ValidationError::new(refused.code(), refused.to_string()))
}

pub async fn change_claim_type(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((claim_type, action)): Path<(String, String)>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    if !may_change(&viewer) {
        return Err(AppError::ReadOnly);
    }
    let action = ClaimTypeAction::parse(&action).ok_or(AppError::NotFound)?;
    let Some(code) = municipality_of(&state, &viewer, Some(&form.kommune)).await? else {
        return Err(AppError::NotFound);
    };
    let changed: Result<ClaimTypeState, AppError> = async {
        let effective_from = match form.effective_from.trim() {
            "" => None,
            typed => Some(parse_date("effective_from", typed)?),
        };
        match state
            .store
            .change_claim_type(
                code,
                &claim_type,
                action,
                effective_from,
                &signed_in.principal.actor(),
            )
            .await?
        {
            ClaimTypeOutcome::Changed(next) => Ok(next),
            ClaimTypeOutcome::Refused(refused) => Err(refusal(refused)),
        }
    }
    .await;
    match AppError::form_outcome(changed, lang, REFUSAL)? {
        Ok(next) => {
            tracing::info!(
                municipality = code,
                claim_type = claim_type.as_str(),
                state = next.as_str(),
                "claim type changed"
            );
            Ok(Redirect::to(&format!(
                "{CLAIM_TYPES_PATH}?kommune={code}&done={}",
                next.as_str()
            ))
            .into_response())
        }
        Err(message) => {
            let outcome = Outcome {
                refused: Some(("change", message)),
                ..Outcome::default()
            };
            let html = render(&state, lang, &signed_in, &viewer, Some(code), outcome).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The verification form: the citizen's CPR number, in the body.
#[derive(Debug, Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    kommune: String,
    #[serde(default)]
    cpr: String,
}

pub async fn verify(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<VerifyForm>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    let Some(code) = municipality_of(&state, &viewer, Some(&form.kommune)).await? else {
        return Err(AppError::NotFound);
    };
    let read: Result<Vec<ClaimsOfType>, AppError> = async {
        let cpr = typed_cpr(&form.cpr).ok_or_else(|| {
            AppError::Rule(ValidationError::new(
                "cpr",
                "a CPR number is ten digits, DDMMYY-XXXX",
            ))
        })?;
        let reader = Reader {
            label: signed_in.principal.actor().label,
            purpose: "verification of the municipality's claim types".into(),
        };
        Ok(state
            .store
            .claims_for_verification(code, &cpr, samspil_storage::now(), &reader)
            .await?)
    }
    .await;
    let (status, outcome) = match AppError::form_outcome(read, lang, REFUSAL)? {
        Ok(found) => {
            // The log says a verification happened, never whose.
            tracing::info!(
                municipality = code,
                "claim types verified with a citizen's data"
            );
            (
                StatusCode::OK,
                Outcome {
                    verification: Some(found.iter().map(|t| verified_view(lang, t)).collect()),
                    ..Outcome::default()
                },
            )
        }
        Err(message) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                refused: Some(("verify", message)),
                typed_cpr: form.cpr.chars().take(20).collect(),
                ..Outcome::default()
            },
        ),
    };
    let html = render(&state, lang, &signed_in, &viewer, Some(code), outcome).await?;
    Ok((
        status,
        [(axum::http::header::CACHE_CONTROL, "private, no-store")],
        html,
    )
        .into_response())
}

/// The claim types' pages, under [`crate::MOUNT`].
pub(crate) fn routes() -> Vec<PageRoute<CitizenState>> {
    vec![
        PageRoute::get("/fordringstyper", claim_types_page),
        PageRoute::post("/fordringstyper/verifikation", verify),
        PageRoute::post("/fordringstyper/{claim_type}/{action}", change_claim_type),
    ]
}
