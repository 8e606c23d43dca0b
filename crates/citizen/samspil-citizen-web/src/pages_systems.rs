//! The pages of the vendor systems (`/borger/systemer`): community staff
//! register a system (IT-system UUID, name, vendor, kind, mode), the
//! municipalities it delivers for from which date, issue and rotate its
//! credential (shown once), revoke one at once and disable the system; a
//! municipality's administrators see the systems registered for their
//! municipality and approve them (a system delivers nothing for a
//! municipality before). Everyone else is refused.
//!
//! Which municipality a code is, and who administers it, is the
//! platform's (its organisations); the citizen store keeps only the code.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_citizen::SystemRegistration;
use samspil_citizen::credential::{DEFAULT_OVERLAP_HOURS, overlap_until, parse_overlap_hours};
use samspil_citizen_storage::{SystemCredential, SystemId, VendorSystem};
use samspil_domain::input::parse_date;
use samspil_domain::{AccessRole, OrgId, OrgKind, ValidationError};
use samspil_storage::{Organisation, StorageError};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::{format_date, format_instant};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::{CitizenState, MOUNT};

/// The list's path, as the browser sees it.
const SYSTEMS_PATH: &str = "/borger/systemer";
/// The prefix of the texts that explain a refused field.
const REFUSAL: &str = "systems-error";

/// Who looks at the pages.
#[derive(Debug, Clone)]
pub(crate) enum Viewer {
    /// Community staff: every system, every change.
    Staff,
    /// An administrator of a municipality: its systems, and approval.
    Municipality {
        code: u16,
        org_id: OrgId,
        may_approve: bool,
    },
}

pub(crate) async fn municipalities(state: &CitizenState) -> Result<Vec<Organisation>, AppError> {
    Ok(state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|org| org.kind == OrgKind::Municipality && org.code.is_some())
        .collect())
}

fn code_of(org: &Organisation) -> Option<u16> {
    org.code.map(|code| code.get())
}

pub(crate) async fn viewer(state: &CitizenState, signed_in: &SignedIn) -> Result<Viewer, AppError> {
    let principal = &signed_in.principal;
    if principal.is_staff() {
        return Ok(Viewer::Staff);
    }
    if principal.role() != AccessRole::Admin {
        return Err(AppError::Forbidden(
            "only community staff and municipal administrators see vendor systems".into(),
        ));
    }
    let org = state
        .shell
        .storage
        .organisation(signed_in.user.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = code_of(&org).ok_or_else(|| {
        AppError::Forbidden("vendor systems deliver for municipalities only".into())
    })?;
    Ok(Viewer::Municipality {
        code,
        org_id: org.id,
        may_approve: principal.admin_access(org.id).is_ok(),
    })
}

fn staff_only(viewer: &Viewer) -> Result<(), AppError> {
    match viewer {
        Viewer::Staff => Ok(()),
        Viewer::Municipality { .. } => Err(AppError::Forbidden(
            "only community staff change vendor systems".into(),
        )),
    }
}

#[derive(Serialize)]
struct MunicipalityView {
    code: u16,
    name: String,
    valid_from: Option<String>,
    registered_at: String,
    approved_at: Option<String>,
    approved_by: Option<String>,
    can_approve: bool,
}

#[derive(Serialize)]
struct SystemView {
    id: i64,
    it_system_uuid: String,
    name: String,
    vendor: String,
    kind: &'static str,
    mode: &'static str,
    registered_at: String,
    disabled_at: Option<String>,
    municipalities: Vec<MunicipalityView>,
    pending: usize,
}

fn system_view(
    lang: Lang,
    system: &VendorSystem,
    orgs: &[Organisation],
    viewer: &Viewer,
) -> SystemView {
    let municipalities: Vec<MunicipalityView> = system
        .municipalities
        .iter()
        .filter(|m| match viewer {
            Viewer::Staff => true,
            Viewer::Municipality { code, .. } => m.municipality_code == *code,
        })
        .map(|m| MunicipalityView {
            code: m.municipality_code,
            name: orgs
                .iter()
                .find(|org| code_of(org) == Some(m.municipality_code))
                .map_or_else(|| m.municipality_code.to_string(), |org| org.name.clone()),
            valid_from: format_date(lang, Some(m.valid_from)),
            registered_at: format_instant(lang, m.registered_at),
            approved_at: m.approved_at.map(|at| format_instant(lang, at)),
            approved_by: m.approved_by.clone(),
            can_approve: m.approved_at.is_none()
                && matches!(viewer, Viewer::Municipality { code, may_approve: true, .. }
                    if *code == m.municipality_code),
        })
        .collect();
    SystemView {
        id: system.id.0,
        it_system_uuid: system.it_system_uuid.clone(),
        name: system.name.clone(),
        vendor: system.vendor.clone(),
        kind: system.kind.as_str(),
        mode: system.mode.as_str(),
        registered_at: format_instant(lang, system.registered_at),
        disabled_at: system.disabled_at.map(|at| format_instant(lang, at)),
        pending: municipalities
            .iter()
            .filter(|m| m.approved_at.is_none())
            .count(),
        municipalities,
    }
}

#[derive(Serialize)]
struct CredentialView {
    id: i64,
    created_at: String,
    expires_at: Option<String>,
    revoked_at: Option<String>,
    last_used_at: Option<String>,
    state: &'static str,
}

fn credential_view(lang: Lang, credential: &SystemCredential) -> CredentialView {
    let shown = |at: Option<time::OffsetDateTime>| at.map(|at| format_instant(lang, at));
    CredentialView {
        id: credential.id,
        created_at: format_instant(lang, credential.created_at),
        expires_at: shown(credential.expires_at),
        revoked_at: shown(credential.revoked_at),
        last_used_at: shown(credential.last_used_at),
        state: credential.state(samspil_storage::now()).as_str(),
    }
}

/// The registration form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RegisterForm {
    #[serde(default)]
    it_system_uuid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mode: String,
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// What a page's outcome shows besides the page: a success, or a refused
/// form with what was typed.
fn done_key(done: Option<&str>) -> Option<&'static str> {
    [
        "registered",
        "municipality",
        "approved",
        "revoked",
        "disabled",
    ]
    .into_iter()
    .find(|key| Some(*key) == done)
}

async fn render_list(
    state: &CitizenState,
    lang: Lang,
    signed_in: &SignedIn,
    viewer: &Viewer,
    form: Option<RegisterForm>,
    form_error: Option<String>,
) -> Result<Html<String>, AppError> {
    let orgs = municipalities(state).await?;
    let scope = match viewer {
        Viewer::Staff => None,
        Viewer::Municipality { code, .. } => Some(*code),
    };
    let systems: Vec<SystemView> = state
        .store
        .vendor_systems(scope)
        .await?
        .iter()
        .map(|system| system_view(lang, system, &orgs, viewer))
        .collect();
    let page = Page::new(state, lang, SYSTEMS_PATH, Some(signed_in)).await?;
    page.render(
        "systems.html",
        minijinja::context! {
            systems,
            is_staff => matches!(viewer, Viewer::Staff),
            form => form.unwrap_or_default(),
            form_error,
            kinds => samspil_citizen::SystemKind::ALL.map(|k| k.as_str()),
            modes => samspil_citizen::SystemMode::ALL.map(|m| m.as_str()),
            max_name => samspil_citizen::system::MAX_NAME_CHARS,
        },
    )
}

pub async fn systems_page(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    Ok(render_list(&state, lang, &signed_in, &viewer, None, None)
        .await?
        .into_response())
}

pub async fn register_system(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    staff_only(&viewer)?;
    let registered = async {
        let registration = SystemRegistration::check(
            &form.it_system_uuid,
            &form.name,
            &form.vendor,
            &form.kind,
            &form.mode,
        )?;
        match state
            .store
            .register_system(&registration, &signed_in.principal.actor())
            .await
        {
            Err(StorageError::Conflict(_)) => Err(AppError::Rule(ValidationError::new(
                "uuid-taken",
                "a system with this IT-system UUID is registered already",
            ))),
            other => Ok(other?),
        }
    }
    .await;
    match AppError::form_outcome(registered, lang, REFUSAL)? {
        Ok(system) => Ok(
            Redirect::to(&format!("{SYSTEMS_PATH}/{}?done=registered", system.id.0))
                .into_response(),
        ),
        Err(message) => {
            let html =
                render_list(&state, lang, &signed_in, &viewer, Some(form), Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// What the detail page shows besides the system.
#[derive(Default)]
struct Outcome {
    done: Option<&'static str>,
    /// The secret of the credential just issued: in this answer only.
    new_credential: Option<String>,
    /// Which form was refused (`municipality`, `credential`) and why.
    refused: Option<(&'static str, String)>,
    municipality_form: Option<MunicipalityForm>,
}

/// The system `id` as this viewer may see it: a municipality sees only
/// the systems registered for it; another is not found.
pub(crate) async fn visible_system(
    state: &CitizenState,
    viewer: &Viewer,
    id: i64,
) -> Result<VendorSystem, AppError> {
    let system = state
        .store
        .vendor_system(SystemId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    match viewer {
        Viewer::Staff => Ok(system),
        Viewer::Municipality { code, .. } if system.municipality(*code).is_some() => Ok(system),
        Viewer::Municipality { .. } => Err(AppError::NotFound),
    }
}

async fn render_system(
    state: &CitizenState,
    lang: Lang,
    signed_in: &SignedIn,
    viewer: &Viewer,
    id: i64,
    outcome: Outcome,
) -> Result<Html<String>, AppError> {
    let system = visible_system(state, viewer, id).await?;
    let orgs = municipalities(state).await?;
    let is_staff = matches!(viewer, Viewer::Staff);
    let credentials: Vec<CredentialView> = match is_staff {
        true => state
            .store
            .credentials(system.id)
            .await?
            .iter()
            .map(|c| credential_view(lang, c))
            .collect(),
        false => Vec::new(),
    };
    let unregistered: Vec<minijinja::Value> = orgs
        .iter()
        .filter(|org| code_of(org).is_some_and(|code| system.municipality(code).is_none()))
        .map(|org| minijinja::context! { code => code_of(org), name => org.name })
        .collect();
    let (refused_form, form_error) = match outcome.refused {
        Some((form, message)) => (Some(form), Some(message)),
        None => (None, None),
    };
    let page = Page::new(state, lang, SYSTEMS_PATH, Some(signed_in)).await?;
    page.render(
        "system.html",
        minijinja::context! {
            system => system_view(lang, &system, &orgs, viewer),
            is_staff,
            credentials,
            unregistered,
            done => outcome.done,
            new_credential => outcome.new_credential,
            refused_form,
            form_error,
            municipality_form => outcome.municipality_form.unwrap_or_default(),
            default_overlap => DEFAULT_OVERLAP_HOURS,
            max_overlap => samspil_citizen::credential::MAX_OVERLAP_HOURS,
        },
    )
}

pub async fn system_page(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    let outcome = Outcome {
        done: done_key(query.done.as_deref()),
        ..Outcome::default()
    };
    Ok(
        render_system(&state, lang, &signed_in, &viewer, id, outcome)
            .await?
            .into_response(),
    )
}

/// A municipality the system will deliver for, from a date.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct MunicipalityForm {
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    valid_from: String,
}

pub async fn add_municipality(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<MunicipalityForm>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    staff_only(&viewer)?;
    let orgs = municipalities(&state).await?;
    let added = async {
        let code = form
            .municipality
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|code| orgs.iter().any(|org| code_of(org) == Some(*code)))
            .ok_or_else(|| ValidationError::new("municipality", "choose a municipality"))?;
        let valid_from = parse_date("valid_from", &form.valid_from)?;
        match state
            .store
            .register_municipality(SystemId(id), code, valid_from, &signed_in.principal.actor())
            .await
        {
            Err(StorageError::Conflict(_)) => Err(AppError::Rule(ValidationError::new(
                "municipality-taken",
                "the system is registered for this municipality already",
            ))),
            other => Ok(other?),
        }
    }
    .await;
    match AppError::form_outcome(added, lang, REFUSAL)? {
        Ok(_) => {
            Ok(Redirect::to(&format!("{SYSTEMS_PATH}/{id}?done=municipality")).into_response())
        }
        Err(message) => {
            let outcome = Outcome {
                refused: Some(("municipality", message)),
                municipality_form: Some(form),
                ..Outcome::default()
            };
            let html = render_system(&state, lang, &signed_in, &viewer, id, outcome).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The municipality's administrator approves the system for their own
/// municipality (nobody else may: staff register, the municipality says
/// yes).
pub async fn approve_municipality(
    State(state): State<CitizenState>,
    signed_in: SignedIn,
    Path((id, code)): Path<(i64, u16)>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    let Viewer::Municipality {
        code: own,
        org_id,
        may_approve,
    } = viewer
    else {
        return Err(AppError::Forbidden(
            "a municipality's own administrators approve its systems".into(),
        ));
    };
    if own != code {
        return Err(AppError::NotFound);
    }
    if !may_approve {
        return Err(AppError::ReadOnly);
    }
    signed_in.principal.admin_access(org_id)?;
    visible_system(&state, &viewer, id).await?;
    state
        .store
        .approve_municipality(SystemId(id), code, &signed_in.principal.actor())
        .await?;
    tracing::info!(system = id, municipality = code, "vendor system approved");
    Ok(Redirect::to(&format!("{SYSTEMS_PATH}/{id}?done=approved")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct CredentialForm {
    #[serde(default)]
    overlap_hours: String,
}

/// A new credential; those in force run on until the end of the overlap.
/// The secret is in this one answer, which no cache keeps.
pub async fn issue_credential(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CredentialForm>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    staff_only(&viewer)?;
    let issued = async {
        let hours = parse_overlap_hours(&form.overlap_hours)?;
        let until = overlap_until(samspil_storage::now(), hours)?;
        let secret = samspil_auth::new_api_token();
        state
            .store
            .issue_credential(
                SystemId(id),
                &samspil_auth::digest(&secret),
                until,
                &signed_in.principal.actor(),
            )
            .await?;
        Ok(secret)
    }
    .await;
    let outcome = match AppError::form_outcome(issued, lang, REFUSAL)? {
        Ok(secret) => {
            tracing::info!(system = id, "vendor system credential issued");
            Outcome {
                new_credential: Some(secret),
                ..Outcome::default()
            }
        }
        Err(message) => Outcome {
            refused: Some(("credential", message)),
            ..Outcome::default()
        },
    };
    let status = match outcome.refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let html = render_system(&state, lang, &signed_in, &viewer, id, outcome).await?;
    Ok((status, [(header::CACHE_CONTROL, "private, no-store")], html).into_response())
}

pub async fn revoke_credential(
    State(state): State<CitizenState>,
    signed_in: SignedIn,
    Path((id, credential)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    staff_only(&viewer)?;
    state
        .store
        .revoke_credential(SystemId(id), credential, &signed_in.principal.actor())
        .await?;
    tracing::info!(system = id, credential, "vendor system credential revoked");
    Ok(Redirect::to(&format!("{SYSTEMS_PATH}/{id}?done=revoked")).into_response())
}

pub async fn disable_system(
    State(state): State<CitizenState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    staff_only(&viewer)?;
    state
        .store
        .disable_system(SystemId(id), &signed_in.principal.actor())
        .await?;
    tracing::info!(system = id, "vendor system disabled");
    Ok(Redirect::to(&format!("{SYSTEMS_PATH}/{id}?done=disabled")).into_response())
}

/// The vendor systems' pages, under [`MOUNT`].
pub(crate) fn routes() -> Vec<PageRoute<CitizenState>> {
    debug_assert!(SYSTEMS_PATH.starts_with(MOUNT));
    vec![
        PageRoute::get("/systemer", systems_page),
        PageRoute::post("/systemer", register_system),
        PageRoute::get("/systemer/{id}", system_page),
        PageRoute::post("/systemer/{id}/kommuner", add_municipality),
        PageRoute::post(
            "/systemer/{id}/kommuner/{code}/godkend",
            approve_municipality,
        ),
        PageRoute::post("/systemer/{id}/noegler", issue_credential),
        PageRoute::post(
            "/systemer/{id}/noegler/{credential}/tilbagekald",
            revoke_credential,
        ),
        PageRoute::post("/systemer/{id}/deaktiver", disable_system),
    ]
}
