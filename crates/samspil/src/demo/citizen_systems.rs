//! The demo's vendor systems (issue 15): two synthetic case systems like
//! the slides' Fasit and Momentum, registered for Aarhus (751) through the
//! real storage. Fasit is approved by Aarhus and strict; Momentum waits
//! for Aarhus' approval and runs in report mode, since it is not
//! compliant yet. Neither gets a credential: a credential is shown once,
//! so staff issue one on the system's page when a vendor connects.
//! Fasit delivers a few synthetic cases for Aarhus through the real
//! ingest (one batch with an idempotency key, so a second run replays
//! it). Safe to run again: a system that is there already is left as it
//! is.

use samspil_citizen::SystemRegistration;
use samspil_citizen::case::{CaseRecord, Operation};
use samspil_citizen_storage::{CaseBatch, CitizenStore};
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
    deliver_demo_cases(citizen).await?;
    Ok(registered)
}

/// Fasit's synthetic cases in Aarhus: social benefits (KLE 32) and
/// employment (KLE 15), with made-up CPR numbers (day 61 is no birthday).
fn demo_cases(fasit: &str) -> anyhow::Result<Vec<CaseRecord>> {
    let subjects = [
        ("32.18.04", "Merudgiftsydelse", "Afgjort"),
        ("32.18.12", "Tabt arbejdsfortjeneste", "Oplyst"),
        ("15.17.22", "Ressourceforløb", "Opstaaet"),
    ];
    let mut records = Vec::new();
    for (i, (kle, title, reached)) in subjects.into_iter().enumerate() {
        let all = ["Opstaaet", "Oplyst", "Afgjort"];
        let upto = all.iter().position(|s| *s == reached).unwrap_or(0);
        let days = [
            "2026-01-05T09:00:00Z",
            "2026-01-12T09:00:00Z",
            "2026-01-26T09:00:00Z",
        ];
        let fremdrift: Vec<serde_json::Value> = (0..=upto)
            .map(|k| {
                let mut virkning = serde_json::json!({ "fra": days[k] });
                if k < upto {
                    virkning["til"] = serde_json::json!(days[k + 1]);
                }
                serde_json::json!({ "status": all[k], "virkning": virkning })
            })
            .collect();
        let open = serde_json::json!({ "fra": days[0] });
        let rel = |rolle: &str, reference: &str| serde_json::json!({ "rolle": rolle, "reference": reference, "virkning": open });
        let number = format!("FAS-2026-{:04}", i + 1);
        let record = serde_json::json!({
            "uuid": format!("6c2f4b1e-0000-4000-8000-{:012}", i + 1),
            "kommune": 751,
            "registreret": days[upto],
            "egenskaber": [{ "brugervendt_noegle": number, "sagsnummer": number, "titel": title, "virkning": open }],
            "fremdrift": fremdrift,
            "indeks": [{ "sagsstatus": "Under behandling", "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER", "virkning": open }],
            "relationer": [
                rel("ejer", "urn:oio:cvr-nr:55133018"),
                rel("ansvarlig", "9b1d7f0e-2c3a-4d5e-8f60-718293a4b5c6"),
                rel("primaer_part", &format!("urn:oio:cpr-nr:61019{:05}", i + 1)),
                rel("primaer_klasse", kle),
                rel("handlingsklasse", "G01"),
                rel("master", fasit),
                rel("afsender", fasit),
            ],
        });
        records.push(serde_json::from_value(record)?);
    }
    Ok(records)
}

async fn deliver_demo_cases(citizen: &dyn CitizenStore) -> anyhow::Result<()> {
    let Some(fasit) = citizen
        .vendor_systems(None)
        .await?
        .into_iter()
        .find(|system| system.it_system_uuid == SYSTEMS[0].0)
    else {
        return Ok(());
    };
    let batch = CaseBatch {
        operation: Operation::Import,
        idempotency_key: Some("demo-initial-load".to_owned()),
        // The demo municipalities have no imported directory.
        directory_units: Default::default(),
        records: demo_cases(&fasit.it_system_uuid)?,
    };
    citizen.deliver_cases(&fasit, &batch).await?;
    Ok(())
}
