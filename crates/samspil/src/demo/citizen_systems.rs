//! The demo's vendor systems (issue 15): two synthetic case systems like
//! the slides' Fasit and Momentum, registered for Aarhus (751) through the
//! real storage. Fasit is approved by Aarhus and strict; Momentum waits
//! for Aarhus' approval and runs in report mode, since it is not
//! compliant yet. Neither gets a credential: a credential is shown once,
//! so staff issue one on the system's page when a vendor connects.
//! Safe to run again: a system that is there already is left as it is.

use samspil_citizen::SystemRegistration;
use samspil_citizen_storage::CitizenStore;
use samspil_domain::Principal;
use samspil_domain::access::Actor;

/// The demo systems: IT-system UUID, name, vendor, mode, approved by
/// Aarhus.
const SYSTEMS: [(&str, &str, &str, &str, bool); 2] = [
    (
        "6c2f4b1e-3a5d-4e8f-9b0a-1d2c3e4f5a61",
        "Fasit",
        "Schultz",
        "strict",
        true,
    ),
    (
        "7d3a5c2f-4b6e-4f90-8c1b-2e3d4f5a6b72",
        "Momentum",
        "KMD",
        "report",
        false,
    ),
];

/// Loads the demo systems; returns how many were registered now.
pub async fn load(citizen: &dyn CitizenStore) -> anyhow::Result<usize> {
    let operator = Principal::operator().actor();
    let aarhus_admin = Actor {
        user_id: None,
        label: "admin-751".to_owned(),
    };
    let known = citizen.vendor_systems(None).await?;
    let mut registered = 0;
    for (uuid, name, vendor, mode, approved) in SYSTEMS {
        if known.iter().any(|system| system.it_system_uuid == uuid) {
            continue;
        }
        let registration = SystemRegistration::check(uuid, name, vendor, "case", mode)
            .map_err(|e| anyhow::anyhow!("demo system {name}: {}", e.problem))?;
        let system = citizen.register_system(&registration, &operator).await?;
        citizen
            .register_municipality(
                system.id,
                751,
                time::macros::date!(2026 - 01 - 01),
                &operator,
            )
            .await?;
        if approved {
            citizen
                .approve_municipality(system.id, 751, &aarhus_admin)
                .await?;
        }
        registered += 1;
    }
    Ok(registered)
}
