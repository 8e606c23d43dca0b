//! The systems' door, what a system asks about itself: its registration
//! as samspil keeps it (kind, mode, the municipalities it delivers for and
//! whether each has approved it), so that a vendor can check a new
//! credential and its setup before it delivers anything, and how many of
//! its records the index holds for each municipality — how far an
//! initial load has got (a load cut off by a timeout goes on from there;
//! a batch delivered again changes nothing).

use axum::Json;
use axum::extract::State;
use samspil_citizen::SystemKind;
use samspil_citizen_storage::VendorSystem;
use samspil_web::error::AppError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{CitizenState, DeliveringSystem};

/// A system's registration for one municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityGrantBody {
    /// The municipality's three-digit code.
    pub municipality_code: u16,
    /// The first day the system delivers for it (YYYY-MM-DD).
    pub valid_from: String,
    /// Whether the municipality has approved the system; it delivers
    /// nothing for it before.
    pub approved: bool,
    /// How many of the system's records the index holds for the
    /// municipality now (cases, documents, grants and payments, claims,
    /// appointments).
    pub held: u64,
}

/// A vendor system as registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemBody {
    pub id: i64,
    /// Its IT-system UUID in Fælleskommunalt Administrationsmodul.
    pub it_system_uuid: String,
    pub name: String,
    pub vendor: String,
    /// What it delivers: case, document, benefit, debt or appointment.
    pub kind: String,
    /// strict (a record that breaks a rule is refused) or report
    /// (accepted, the violations recorded).
    pub mode: String,
    pub municipalities: Vec<MunicipalityGrantBody>,
}

impl From<&VendorSystem> for SystemBody {
    fn from(system: &VendorSystem) -> Self {
        SystemBody {
            id: system.id.0,
            it_system_uuid: system.it_system_uuid.clone(),
            name: system.name.clone(),
            vendor: system.vendor.clone(),
            kind: system.kind.as_str().to_owned(),
            mode: system.mode.as_str().to_owned(),
            municipalities: system
                .municipalities
                .iter()
                .map(|m| MunicipalityGrantBody {
                    municipality_code: m.municipality_code,
                    valid_from: m.valid_from.to_string(),
                    approved: m.approved_at.is_some(),
                    held: 0,
                })
                .collect(),
        }
    }
}

/// The calling system's own registration.
#[utoipa::path(
    get,
    path = "/api/v1/borger/system",
    tag = "citizen-systems",
    responses(
        (status = 200, description = "The system whose credential called", body = SystemBody),
    ),
)]
pub async fn this_system(
    State(state): State<CitizenState>,
    DeliveringSystem(system): DeliveringSystem,
) -> Result<Json<SystemBody>, AppError> {
    let mut body = SystemBody::from(&system);
    for municipality in &mut body.municipalities {
        municipality.held = held(&state, &system, municipality.municipality_code).await?;
    }
    Ok(Json(body))
}

/// The records of the system's kind it holds for the municipality.
async fn held(
    state: &CitizenState,
    system: &VendorSystem,
    municipality: u16,
) -> Result<u64, AppError> {
    let store = &state.store;
    Ok(match system.kind {
        SystemKind::Case => store.count_cases(system.id, municipality).await?,
        SystemKind::Document => store.count_documents(system.id, municipality).await?,
        SystemKind::Benefit => {
            let (grants, payments) = store.count_benefits(system.id, municipality).await?;
            grants + payments
        }
        SystemKind::Debt => store.count_claims(system.id, municipality).await?,
        SystemKind::Appointment => store.count_appointments(system.id, municipality).await?,
    })
}
