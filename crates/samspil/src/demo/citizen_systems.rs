//! The demo's vendor systems (issue 15): two synthetic case systems like
//! the slides' Fasit and Momentum, registered for Aarhus (751) through the
//! real storage. Fasit is approved by Aarhus and strict; Momentum waits
//! for Aarhus' approval and runs in report mode, since it is not
//! compliant yet. Neither gets a credential: a credential is shown once,
//! so staff issue one on the system's page when a vendor connects.
//! Momentum delivers for Syddjurs (706), the slides' pilot municipality,
//! approved there. Both deliver synthetic cases through the real ingest
//! (an import and an update, each with an idempotency key, so a second
//! run replays them), such that the compliance test reproduces the
//! slides' verdicts: Fasit "Godkendt med bemærkninger", Momentum "Ikke
//! godkendt" (see `fasit_cases`, `momentum_cases`). Safe to run again: a system that is there already is left as it
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
        } else {
            // Momentum delivers for the pilot municipality meanwhile.
            citizen
                .register_municipality(
                    system.id,
                    MOMENTUM_MUNICIPALITY,
                    time::macros::date!(2026 - 01 - 01),
                    &operator,
                )
                .await?;
            let admin = Actor {
                user_id: None,
                label: format!("admin-{MOMENTUM_MUNICIPALITY}"),
            };
            citizen
                .approve_municipality(system.id, MOMENTUM_MUNICIPALITY, &admin)
                .await?;
        }
        registered += 1;
    }
    deliver_demo_cases(citizen).await?;
    Ok(registered)
}

/// The days of a demo case's progress, one per state.
const DAYS: [&str; 4] = [
    "2026-01-05T09:00:00Z",
    "2026-01-12T09:00:00Z",
    "2026-01-26T09:00:00Z",
    "2026-02-16T09:00:00Z",
];

/// One demo case, whole, its progress up to `reached` (registered when
/// it reached it), with made-up CPR numbers (day 61 is no birthday).
struct DemoCase<'a> {
    system: &'a str,
    uuid: String,
    municipality: u16,
    number: String,
    title: &'a str,
    kle: &'a str,
    unit: String,
    reached: &'a str,
    party: u32,
}

impl DemoCase<'_> {
    fn record(&self) -> anyhow::Result<CaseRecord> {
        let upto = samspil_citizen::case::PROGRESS
            .iter()
            .position(|s| *s == self.reached)
            .unwrap_or(0);
        let fremdrift: Vec<serde_json::Value> = (0..=upto)
            .map(|k| {
                let mut virkning = serde_json::json!({ "fra": DAYS[k] });
                if k < upto {
                    virkning["til"] = serde_json::json!(DAYS[k + 1]);
                }
                serde_json::json!({ "status": samspil_citizen::case::PROGRESS[k], "virkning": virkning })
            })
            .collect();
        let open = serde_json::json!({ "fra": DAYS[0] });
        let rel = |rolle: &str, reference: &str| serde_json::json!({ "rolle": rolle, "reference": reference, "virkning": open });
        let record = serde_json::json!({
            "uuid": self.uuid,
            "kommune": self.municipality,
            "registreret": DAYS[upto],
            "egenskaber": [{ "brugervendt_noegle": self.number, "sagsnummer": self.number, "titel": self.title, "virkning": open }],
            "fremdrift": fremdrift,
            "indeks": [{ "sagsstatus": "Under behandling", "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER", "virkning": open }],
            "relationer": [
                rel("ejer", "urn:oio:cvr-nr:55133018"),
                rel("ansvarlig", &self.unit),
                rel("primaer_part", &format!("urn:oio:cpr-nr:61019{:05}", self.party)),
                rel("primaer_klasse", self.kle),
                rel("handlingsklasse", "G01"),
                rel("master", self.system),
                rel("afsender", self.system),
            ],
        });
        Ok(serde_json::from_value(record)?)
    }
}

/// Fasit's synthetic cases in Aarhus: social benefits (KLE 32) and
/// employment (KLE 15), under two of Aarhus' units, one of them closed;
/// `updated`: as a later update delivers them (the second one decided).
/// What the compliance test reads as "Godkendt med bemærkninger" (the
/// slides' Fasit): cases imported and updated, closed ones among them,
/// no journal notes, no documents, no removal.
fn fasit_cases(fasit: &str, updated: bool) -> anyhow::Result<Vec<CaseRecord>> {
    let subjects = [
        ("32.18.04", "Merudgiftsydelse", "Afgjort"),
        ("32.18.12", "Tabt arbejdsfortjeneste", "Oplyst"),
        ("15.17.22", "Ressourceforløb", "Opstaaet"),
        ("15.17.22", "Ressourceforløb", "Afsluttet"),
    ];
    let mut records = Vec::new();
    for (i, (kle, title, reached)) in subjects.into_iter().enumerate() {
        let reached = match (updated, i) {
            (true, 1) => "Afgjort",
            (true, _) => continue,
            (false, _) => reached,
        };
        let number = format!("FAS-2026-{:04}", i + 1);
        records.push(
            DemoCase {
                system: fasit,
                uuid: format!("6c2f4b1e-0000-4000-8000-{:012}", i + 1),
                municipality: 751,
                number,
                title,
                kle,
                unit: format!("9b1d7f0e-2c3a-4d5e-8f60-71829300000{}", i % 2 + 1),
                reached,
                party: i as u32 + 1,
            }
            .record()?,
        );
    }
    Ok(records)
}

/// The pilot municipality Momentum delivers for in the demo (Syddjurs;
/// the slides' test ran in Syddjurs and Gladsaxe).
const MOMENTUM_MUNICIPALITY: u16 = 706;

/// Momentum's synthetic cases in Syddjurs: twelve employment cases, none
/// closed (the slides: "Mangler overførsel af passive sager"), every one
/// under the same hard-coded unit (the slides: "én hardcoded UUID for
/// det overordnede beskæftigelsesområde"), three with a KLE group where a
/// subject belongs (kept with the violation: Momentum is in report
/// mode). What the compliance test reads as "Ikke godkendt".
fn momentum_cases(momentum: &str, updated: bool) -> anyhow::Result<Vec<CaseRecord>> {
    let mut records = Vec::new();
    for i in 0..12u32 {
        if updated && i != 0 {
            continue;
        }
        let reached = match (updated, i % 3) {
            (true, _) => "Afgjort",
            (false, 0) => "Oplyst",
            (false, 1) => "Opstaaet",
            (false, _) => "Afgjort",
        };
        records.push(
            DemoCase {
                system: momentum,
                uuid: format!("7d3a5c2f-0000-4000-8000-{:012}", i + 1),
                municipality: MOMENTUM_MUNICIPALITY,
                number: format!("MOM-2026-{:04}", i + 1),
                title: "Sygedagpenge",
                kle: if i % 4 == 3 { "15.17" } else { "15.17.22" },
                unit: "7d3a5c2f-0000-4000-8000-0000000000e0".to_owned(),
                reached,
                party: 80000 + i,
            }
            .record()?,
        );
    }
    Ok(records)
}

/// Both systems' cases through the real ingest: an initial load, then an
/// update, each with an idempotency key (a second run replays them).
async fn deliver_demo_cases(citizen: &dyn CitizenStore) -> anyhow::Result<()> {
    let systems = citizen.vendor_systems(None).await?;
    let find = |uuid: &str| systems.iter().find(|s| s.it_system_uuid == uuid);
    type Cases = fn(&str, bool) -> anyhow::Result<Vec<CaseRecord>>;
    let deliveries: [(&str, Cases); 2] =
        [(SYSTEMS[0].0, fasit_cases), (SYSTEMS[1].0, momentum_cases)];
    for (uuid, cases) in deliveries {
        let Some(system) = find(uuid) else { continue };
        for (operation, key, updated) in [
            (Operation::Import, "demo-initial-load", false),
            (Operation::Update, "demo-update", true),
        ] {
            let batch = CaseBatch {
                operation,
                idempotency_key: Some(key.to_owned()),
                // The demo municipalities have no imported directory.
                directory_units: Default::default(),
                records: cases(&system.it_system_uuid, updated)?,
            };
            citizen.deliver_cases(system, &batch).await?;
        }
    }
    Ok(())
}
