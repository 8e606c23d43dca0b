//! The compliance test (issue 15, the slides' table) as a staff page
//! (`/borger/systemer/{id}/overensstemmelse`) and, for the command line
//! (`samspil compliance --system UUID`), [`assess_system`]: the citizen
//! store's evidence of a system's deliveries, the responsible units
//! checked against the platform's organisation directory, run through
//! the pure rules of `samspil_citizen::compliance`.
//!
//! Staff only: the verdict is a statement about a vendor's system across
//! every municipality it delivers for (the slides: KOMBIT leads the
//! dialogue with the vendors), and its evidence counts other
//! municipalities' cases and units. A municipality's administrator is
//! refused (403), as on the removal page; its own delivery log is its
//! view of what the system sends it.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use samspil_citizen::compliance::{Assessment, Evidence, assess};
use samspil_citizen_storage::{CitizenStore, SystemId, VendorSystem};
use samspil_storage::Storage;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::Serialize;
use time::Date;

use crate::CitizenState;
use crate::pages_systems::{Viewer, viewer, visible_system};

/// A system's evidence, with each municipality's directory units filled
/// in (where a directory is imported), and its assessment; `None`: no
/// such system.
pub async fn assess_system(
    platform: &dyn Storage,
    citizen: &dyn CitizenStore,
    system: SystemId,
    today: Date,
) -> samspil_storage::Result<Option<(Evidence, Assessment)>> {
    let Some(mut evidence) = citizen.compliance_evidence(system, today).await? else {
        return Ok(None);
    };
    let orgs = platform.organisations().await?;
    for municipality in &mut evidence.units {
        let Some(org) = orgs
            .iter()
            .find(|o| o.code.map(|c| c.get()) == Some(municipality.municipality_code))
        else {
            continue;
        };
        let units = platform.directory_unit_uuids(org.id).await?;
        if !units.is_empty() {
            municipality.directory = Some(
                units
                    .into_iter()
                    .map(|u| u.trim().to_ascii_lowercase())
                    .collect(),
            );
        }
    }
    let assessment = assess(&evidence);
    Ok(Some((evidence, assessment)))
}

#[derive(Serialize)]
struct CellView {
    capability: &'static str,
    verdict: &'static str,
    findings: Vec<String>,
}

async fn staff_system(
    state: &CitizenState,
    signed_in: &SignedIn,
    id: i64,
) -> Result<VendorSystem, AppError> {
    let viewer = viewer(state, signed_in).await?;
    if !matches!(viewer, Viewer::Staff) {
        return Err(AppError::Forbidden(
            "only community staff run the compliance test".into(),
        ));
    }
    visible_system(state, &viewer, id).await
}

pub async fn compliance_page(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let system = staff_system(&state, &signed_in, id).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let (_, assessment) = assess_system(
        state.shell.storage.as_ref(),
        state.store.as_ref(),
        system.id,
        today,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let cells: Vec<CellView> = assessment
        .cells
        .iter()
        .map(|cell| CellView {
            capability: cell.capability.code(),
            verdict: cell.verdict.code(),
            findings: cell
                .findings
                .iter()
                .map(|f| lang.text(&format!("compliance-finding-{}", f.code), &f.args))
                .collect(),
        })
        .collect();
    let page = Page::new(&state, lang, "/borger/systemer", Some(&signed_in)).await?;
    let html: Html<String> = page.render(
        "compliance.html",
        minijinja::context! {
            system_id => system.id.0,
            system_name => system.name,
            verdict => assessment.verdict.code(),
            cells,
        },
    )?;
    Ok(html.into_response())
}

pub(crate) fn routes() -> Vec<PageRoute<CitizenState>> {
    vec![PageRoute::get(
        "/systemer/{id}/overensstemmelse",
        compliance_page,
    )]
}
