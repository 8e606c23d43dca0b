//! Removal on system change, for staff
//! (`/borger/systemer/{id}/kommuner/{code}/fjern`): when a municipality
//! leaves a vendor, every case the system delivered for it is deleted
//! physically in one operation, and the system's registration for the
//! municipality ends (and every grant and payment of the benefit
//! index's, every claim and every appointment, in the same transaction). The page first says how many go, then does
//! it and reports the counts; the citizen store's audit log keeps them.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use samspil_citizen_storage::SystemId;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;

use crate::CitizenState;
use crate::pages_systems::{Viewer, municipalities, viewer, visible_system};

async fn staff_and_registration(
    state: &CitizenState,
    signed_in: &SignedIn,
    id: i64,
    code: u16,
) -> Result<(samspil_citizen_storage::VendorSystem, String), AppError> {
    let viewer = viewer(state, signed_in).await?;
    if !matches!(viewer, Viewer::Staff) {
        return Err(AppError::Forbidden(
            "only community staff remove a system's cases".into(),
        ));
    }
    let system = visible_system(state, &viewer, id).await?;
    system.municipality(code).ok_or(AppError::NotFound)?;
    let name = municipalities(state)
        .await?
        .into_iter()
        .find(|org| org.code.map(|c| c.get()) == Some(code))
        .map_or_else(|| code.to_string(), |org| org.name);
    Ok((system, name))
}

pub async fn removal_confirm(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, code)): Path<(i64, u16)>,
) -> Result<Response, AppError> {
    let (system, municipality) = staff_and_registration(&state, &signed_in, id, code).await?;
    let cases = state.store.count_cases(system.id, code).await?;
    let (grants, payments) = state.store.count_benefits(system.id, code).await?;
    let claims = state.store.count_claims(system.id, code).await?;
    let appointments = state.store.count_appointments(system.id, code).await?;
    let page = Page::new(&state, lang, "/borger/systemer", Some(&signed_in)).await?;
    Ok(page
        .render(
            "removal.html",
            minijinja::context! {
                system_id => system.id.0,
                system_name => system.name,
                code,
                municipality,
                cases,
                grants,
                payments,
                claims,
                appointments,
                report => minijinja::Value::UNDEFINED,
            },
        )?
        .into_response())
}

pub async fn removal_submit(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, code)): Path<(i64, u16)>,
) -> Result<Response, AppError> {
    let (system, municipality) = staff_and_registration(&state, &signed_in, id, code).await?;
    let report = state
        .store
        .remove_system_cases(SystemId(system.id.0), code, &signed_in.principal.actor())
        .await?;
    tracing::info!(
        system = id,
        municipality = code,
        cases = report.cases,
        registrations = report.registrations,
        grants = report.grants,
        payments = report.payments,
        claims = report.claims,
        appointments = report.appointments,
        "cases removed on system change"
    );
    let page = Page::new(&state, lang, "/borger/systemer", Some(&signed_in)).await?;
    Ok(page
        .render(
            "removal.html",
            minijinja::context! {
                system_id => system.id.0,
                system_name => system.name,
                code,
                municipality,
                report,
            },
        )?
        .into_response())
}

pub(crate) fn routes() -> Vec<PageRoute<CitizenState>> {
    vec![
        PageRoute::get("/systemer/{id}/kommuner/{code}/fjern", removal_confirm),
        PageRoute::post("/systemer/{id}/kommuner/{code}/fjern", removal_submit),
    ]
}
