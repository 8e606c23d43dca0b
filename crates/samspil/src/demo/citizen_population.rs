//! The demo's citizens (issue 15, "Demo and tests"): a synthetic
//! population of about 20,000 citizens across all 98 municipalities, each
//! municipality's share by its population, delivered through the real
//! ingest (`deliver_*`, the store calls both doors make) by five synthetic
//! vendor systems, one per kind, registered for and approved by every
//! municipality:
//!
//! - a case system: one case per citizen in the KLE areas of the slides'
//!   stages — cash benefits (32), employment (15), elderly care (27),
//!   debt (25) — each with its whole progress history;
//! - an ESDH: a document with a journal note on every other case;
//! - a benefit system: for each cash-benefit case a grant of
//!   kontanthjælp with its monthly payments (integer øre);
//! - a debtor system: for each debt case a claim of one of the four
//!   claim types;
//! - a calendar: for each employment and elderly-care case a meeting or
//!   visit, with where, what to bring and the case it belongs to (every
//!   seventh cancelled).
//!
//! The CPR numbers are made up and can be no one's: the day of birth is
//! 61 or later. Everything is derived from the citizen's number, so the
//! demo is the same every time. Safe to run again: when the case system
//! has delivered already, nothing is loaded.

use samspil_citizen::SystemRegistration;
use samspil_citizen::appointment::AppointmentRecord;
use samspil_citizen::benefit::BenefitRecord;
use samspil_citizen::case::{CaseRecord, Operation};
use samspil_citizen::debt::{CLAIM_TYPES, ClaimRecord};
use samspil_citizen::document::DocumentRecord;
use samspil_citizen_storage::{
    AppointmentBatch, BatchStatus, BenefitBatch, CaseBatch, CitizenStore, ClaimBatch,
    DeliveryOutcome, DocumentBatch, VendorSystem,
};
use samspil_domain::Principal;
use samspil_domain::access::Actor;
use serde_json::{Value, json};

/// The population's vendor systems: IT-system UUID, name, vendor, kind.
const SYSTEMS: [(&str, &str, &str, &str); 5] = [
    (
        "3e0a6b52-1c4d-4f7e-9a2b-5c6d7e8f9a01",
        "Demo Sagssystem",
        "samspil (syntetisk)",
        "case",
    ),
    (
        "3e0a6b52-1c4d-4f7e-9a2b-5c6d7e8f9a02",
        "Demo ESDH",
        "samspil (syntetisk)",
        "document",
    ),
    (
        "3e0a6b52-1c4d-4f7e-9a2b-5c6d7e8f9a03",
        "Demo Ydelsessystem",
        "samspil (syntetisk)",
        "benefit",
    ),
    (
        "3e0a6b52-1c4d-4f7e-9a2b-5c6d7e8f9a04",
        "Demo Debitorsystem",
        "samspil (syntetisk)",
        "debt",
    ),
    (
        "3e0a6b52-1c4d-4f7e-9a2b-5c6d7e8f9a05",
        "Demo Kalender",
        "samspil (syntetisk)",
        "appointment",
    ),
];

/// Records per batch: an initial load's size, well inside the door's
/// limit.
const BATCH: usize = 1_000;

/// The stages' KLE subjects (plan of 2015): number, case title.
const STAGES: [(&str, &str); 4] = [
    ("32.24.04", "Hjælp til forsørgelse (kontanthjælp)"),
    ("15.17.22", "Ressourceforløb"),
    ("27.36.04", "Personlig og praktisk hjælp"),
    ("25.45.10", "Opkrævning af fordringer"),
];

/// What the population load delivered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub citizens: usize,
    pub cases: usize,
    pub documents: usize,
    pub grants: usize,
    pub payments: usize,
    pub claims: usize,
    pub appointments: usize,
}

/// One synthetic citizen: their number in the population and their
/// municipality.
#[derive(Debug, Clone, Copy)]
struct Citizen {
    n: usize,
    kommune: u16,
}

impl Citizen {
    /// A CPR number no one has (day of birth 61), unique per `n`.
    fn cpr(self) -> String {
        format!(
            "urn:oio:cpr-nr:61{:02}{:02}{:04}",
            1 + (self.n / 1_000_000) % 12,
            (self.n / 10_000) % 100,
            self.n % 10_000
        )
    }

    /// The stage (an index of [`STAGES`]).
    fn stage(self) -> usize {
        self.n % STAGES.len()
    }

    fn uuid(self, kind: u8, extra: usize) -> String {
        format!(
            "d0{kind:02}{:04}-0000-4000-8000-{:012}",
            extra % 10_000,
            self.n
        )
    }

    /// A synthetic CVR of the municipality (the demo has no CVR register).
    fn owner(self) -> String {
        format!("urn:oio:cvr-nr:29{:06}", self.kommune)
    }

    /// The day in 2026 the case began: spread over the first half.
    fn opened(self) -> time::Date {
        let day = u16::try_from(self.n % 150).unwrap_or_default() + 1;
        time::Date::from_ordinal_date(2026, day).unwrap_or(time::macros::date!(2026 - 01 - 01))
    }
}

fn at(day: time::Date, hour: u8) -> String {
    format!("{day}T{hour:02}:00:00Z")
}

fn case_record(citizen: Citizen, sender: &str) -> Value {
    let (kle, title) = STAGES[citizen.stage()];
    let opened = citizen.opened();
    // Every citizen's case reaches a different step: all four in turn.
    let statuses = ["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"];
    let reached = (citizen.n / STAGES.len()) % statuses.len();
    let days: Vec<time::Date> = (0..=reached)
        .map(|k| opened + time::Duration::days(14 * i64::try_from(k).unwrap_or_default()))
        .collect();
    let fremdrift: Vec<Value> = (0..=reached)
        .map(|k| {
            let mut virkning = json!({ "fra": at(days[k], 9) });
            if k < reached {
                virkning["til"] = json!(at(days[k + 1], 9));
            }
            json!({ "status": statuses[k], "virkning": virkning })
        })
        .collect();
    let open = json!({ "fra": at(opened, 9) });
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": open });
    let number = format!("S-{}-{:06}", citizen.kommune, citizen.n);
    json!({
        "uuid": citizen.uuid(1, 0),
        "kommune": citizen.kommune,
        "registreret": at(days[reached], 10),
        "egenskaber": [{ "brugervendt_noegle": number, "sagsnummer": number, "titel": title, "virkning": open }],
        "fremdrift": fremdrift,
        "indeks": [{ "sagsstatus": statuses[reached], "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER", "virkning": open }],
        "relationer": [
            rel("ejer", &citizen.owner()),
            rel("ansvarlig", &format!("3e0a6b52-0000-4000-8000-{:012}", citizen.kommune)),
            rel("primaer_part", &citizen.cpr()),
            rel("primaer_klasse", kle),
            rel("handlingsklasse", "G01"),
            rel("master", sender),
            rel("afsender", sender),
        ],
    })
}

/// `count` of the population's cases, all of one municipality, as JSON
/// records of the door (`sager/import`): what the ingest benchmark
/// delivers.
pub fn case_records(kommune: u16, count: usize, sender: &str) -> Vec<Value> {
    (0..count)
        .map(|n| case_record(Citizen { n, kommune }, sender))
        .collect()
}

fn document_record(citizen: Citizen, sender: &str) -> Value {
    let (kle, _) = STAGES[citizen.stage()];
    let received = citizen.opened() + time::Duration::days(2);
    let valid = json!({ "fra": at(received, 9) });
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": valid });
    let number = format!("D-{}-{:06}", citizen.kommune, citizen.n);
    json!({
        "uuid": citizen.uuid(2, 0),
        "kommune": citizen.kommune,
        "registreret": at(received, 10),
        "egenskaber": [{
            "brugervendt_noegle": number,
            "dokumentnummer": number,
            "titel": "Ansøgning",
            "type": "Brev, indgaaende",
            "brevdato": received.to_string(),
            "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER",
            "virkning": valid,
        }],
        "fremdrift": [{ "status": "Modtaget", "virkning": valid }],
        "relationer": [
            rel("ejer", &citizen.owner()),
            rel("ansvarlig", &format!("3e0a6b52-0000-4000-8000-{:012}", citizen.kommune)),
            rel("part", &citizen.cpr()),
            rel("primaer_klasse", kle),
            rel("master", sender),
            rel("afsender", sender),
        ],
        "journalposter": [{
            "sag": citizen.uuid(1, 0),
            "rolle": "tilakteret",
            "journalnotat": {
                "titel": "Ansøgning modtaget",
                "notat": "Ansøgningen er modtaget og journaliseret. (Syntetisk demo-notat.)",
                "format": "Text",
            },
            "virkning": valid,
        }],
    })
}

/// The months a cash-benefit grant has paid by 1 July 2026.
fn paid_months(citizen: Citizen) -> std::ops::Range<u8> {
    let first = u8::from(citizen.opened().month()) + 1;
    first.min(7)..7
}

fn grant_record(citizen: Citizen) -> Value {
    let opened = citizen.opened();
    let first = paid_months(citizen).start;
    let start = format!("2026-{first:02}-01T00:00:00Z");
    let valid = json!({ "fra": at(opened, 9) });
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": valid });
    json!({ "bevilling": {
        "uuid": citizen.uuid(3, 0),
        "kommune": citizen.kommune,
        "registreret": at(opened, 11),
        "egenskaber": [{
            "brugervendt_noegle": format!("B-{}-{:06}", citizen.kommune, citizen.n),
            "startdato": start,
            "slutdato": "2026-12-31T00:00:00Z",
            "begrundelse": "Lov om aktiv socialpolitik § 11",
            "foelsomhed": "FORTROLIGE_PERSONOPLYSNINGER",
            "virkning": valid,
        }],
        "ydelser": [{
            "id": "KH-1",
            "navn": "Kontanthjælp",
            "kle": STAGES[0].0,
            "startdato": start,
            "plan": [{
                "id": "P-1",
                "startdato": start,
                "frekvens": "Maanedlig",
                "forud_bagud": "Bagud",
                "dispositionsdag": "Sidste bankdag",
                "ydelsesbeloeb": "12345.00",
            }],
            "virkning": valid,
        }],
        "relationer": [
            rel("sag", &citizen.uuid(1, 0)),
            rel("part", &citizen.cpr()),
            rel("ejer", &citizen.owner()),
        ],
    }})
}

fn payment_record(citizen: Citizen, month: u8) -> Value {
    let paid = format!("2026-{month:02}-27T09:00:00Z");
    let valid = json!({ "fra": paid });
    let rel = |rolle: &str, reference: &str| json!({ "rolle": rolle, "reference": reference, "virkning": valid });
    json!({ "effektuering": {
        "uuid": citizen.uuid(4, usize::from(month)),
        "kommune": citizen.kommune,
        "registreret": format!("2026-{month:02}-27T10:00:00Z"),
        "egenskaber": [{
            "startdato": format!("2026-{month:02}-01T00:00:00Z"),
            "slutdato": format!("2026-{month:02}-28T00:00:00Z"),
            "bruttobeloeb": "12345.00",
            "efter_skat_atp": "8765.43",
            "sendt_til_udbetaling": "8765.43",
            "udbetalt": "8765.43",
            "dispositionsdato": format!("2026-{month:02}-27T00:00:00Z"),
            "udbetalingsafdeling": "Kommune",
            "virkning": valid,
        }],
        "relationer": [
            rel("bevilling", &format!("{}:KH-1", citizen.uuid(3, 0))),
            rel("part", &citizen.cpr()),
        ],
    }})
}

fn claim_record(citizen: Citizen) -> Value {
    let opened = citizen.opened();
    let claim_type = CLAIM_TYPES[(citizen.n / STAGES.len()) % CLAIM_TYPES.len()];
    let original = 250_000 + i64::try_from(citizen.n % 40).unwrap_or_default() * 12_500;
    let statuses = ["aaben", "afdragsordning", "overdraget_til_inddrivelse"];
    json!({
        "uuid": citizen.uuid(5, 0),
        "kommune": citizen.kommune,
        "registreret": at(opened, 12),
        "fordringstype": claim_type,
        "debitor": citizen.cpr(),
        "oprindeligt_beloeb": original,
        "restbeloeb": original / 2,
        "forfaldsdato": (opened + time::Duration::days(30)).to_string(),
        "status": statuses[citizen.n % statuses.len()],
        "debitorsystem": "Demo Debitorsystem",
        "virkning": { "fra": at(opened, 0) },
    })
}

fn appointment_record(citizen: Citizen) -> Value {
    let opened = citizen.opened();
    let day = opened + time::Duration::days(21);
    let (title, place, area, bring) = if citizen.stage() == 1 {
        (
            "Samtale i jobcentret",
            "Jobcentret, mødelokale 2",
            "15.17",
            Some("Pas og lønsedler"),
        )
    } else {
        (
            "Visitationsbesøg i hjemmet",
            "Hjemme hos borgeren",
            "27.36",
            None,
        )
    };
    let status = if citizen.n.is_multiple_of(7) {
        "aflyst"
    } else {
        "planlagt"
    };
    let mut record = json!({
        "uuid": citizen.uuid(6, 0),
        "kommune": citizen.kommune,
        "registreret": at(opened, 13),
        "titel": title,
        "start": at(day, 9),
        "slut": format!("{day}T09:45:00Z"),
        "sted": { "tekst": place },
        "omraade": area,
        "sag": citizen.uuid(1, 0),
        "part": citizen.cpr(),
        "status": status,
        "virkning": { "fra": at(opened, 0) },
    });
    if let Some(bring) = bring {
        record["medbring"] = json!(bring);
    }
    record
}

/// Each municipality's citizens: `total` shared by population (at least
/// one each), numbered from 0 across the country.
fn citizens(municipalities: &[(u16, u64)], total: usize) -> Vec<Citizen> {
    let people: u64 = municipalities.iter().map(|(_, p)| p).sum::<u64>().max(1);
    let total = u64::try_from(total).unwrap_or(u64::MAX);
    let mut out = Vec::new();
    for &(kommune, population) in municipalities {
        let share = (total * population / people).max(1);
        for _ in 0..share {
            out.push(Citizen {
                n: out.len(),
                kommune,
            });
        }
    }
    out
}

/// The municipalities and their populations from the demo's
/// `population.csv`.
fn municipalities() -> Vec<(u16, u64)> {
    include_str!("population.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let code = fields.next()?.parse().ok()?;
            let population = fields.nth(1)?.parse().ok()?;
            Some((code, population))
        })
        .collect()
}

/// The five systems, registered for and approved by every municipality
/// (from 1 January 2026).
async fn systems(citizen: &dyn CitizenStore, codes: &[u16]) -> anyhow::Result<Vec<VendorSystem>> {
    let operator = Principal::operator().actor();
    let known = citizen.vendor_systems(None).await?;
    let mut out = Vec::new();
    for (uuid, name, vendor, kind) in SYSTEMS {
        if let Some(system) = known.iter().find(|s| s.it_system_uuid == uuid) {
            out.push(system.clone());
            continue;
        }
        let registration = SystemRegistration::check(uuid, name, vendor, kind, "strict")
            .map_err(|e| anyhow::anyhow!("demo system {name}: {}", e.problem))?;
        let mut system = citizen.register_system(&registration, &operator).await?;
        for &code in codes {
            citizen
                .register_municipality(
                    system.id,
                    code,
                    time::macros::date!(2026 - 01 - 01),
                    &operator,
                )
                .await?;
            let admin = Actor {
                user_id: None,
                label: format!("admin-{code}"),
            };
            system = citizen
                .approve_municipality(system.id, code, &admin)
                .await?;
        }
        out.push(system);
    }
    Ok(out)
}

fn accepted(kind: &str, outcome: &DeliveryOutcome) -> anyhow::Result<()> {
    match outcome.status {
        BatchStatus::Refused => {
            let first = outcome
                .records
                .iter()
                .flat_map(|r| &r.violations)
                .next()
                .map(|v| format!("{} {} ({})", v.pointer, v.rule, v.message))
                .unwrap_or_default();
            anyhow::bail!("the demo's {kind} batch was refused: {first}")
        }
        _ => Ok(()),
    }
}

fn records<T: serde::de::DeserializeOwned>(values: Vec<Value>) -> anyhow::Result<Vec<T>> {
    values
        .into_iter()
        .map(|value| Ok(serde_json::from_value(value)?))
        .collect()
}

/// Loads about `total` citizens (the demo: 20,000) unless the case system
/// has delivered already; `None` when nothing was loaded.
pub async fn load(citizen: &dyn CitizenStore, total: usize) -> anyhow::Result<Option<Report>> {
    let municipalities = municipalities();
    let codes: Vec<u16> = municipalities.iter().map(|(code, _)| *code).collect();
    let systems = systems(citizen, &codes).await?;
    let [
        case_system,
        document_system,
        benefit_system,
        debt_system,
        calendar,
    ] = &systems[..]
    else {
        anyhow::bail!("the demo's five systems");
    };
    let first = codes.first().copied().unwrap_or(101);
    if total == 0 || citizen.count_cases(case_system.id, first).await? > 0 {
        return Ok(None);
    }
    let people = citizens(&municipalities, total);
    let mut report = Report {
        citizens: people.len(),
        ..Report::default()
    };
    for (n, chunk) in people.chunks(BATCH).enumerate() {
        let batch = CaseBatch {
            operation: Operation::Import,
            idempotency_key: Some(format!("demo-population-cases-{n}")),
            // The demo municipalities have no imported directory.
            directory_units: Default::default(),
            records: records::<CaseRecord>(
                chunk
                    .iter()
                    .map(|c| case_record(*c, &case_system.it_system_uuid))
                    .collect(),
            )?,
        };
        report.cases += batch.records.len();
        accepted("case", &citizen.deliver_cases(case_system, &batch).await?)?;

        let batch = DocumentBatch {
            operation: Operation::Import,
            idempotency_key: Some(format!("demo-population-documents-{n}")),
            records: records::<DocumentRecord>(
                chunk
                    .iter()
                    .filter(|c| c.n.is_multiple_of(2))
                    .map(|c| document_record(*c, &document_system.it_system_uuid))
                    .collect(),
            )?,
        };
        report.documents += batch.records.len();
        accepted(
            "document",
            &citizen.deliver_documents(document_system, &batch).await?,
        )?;

        // A grant first, then its payments, in one batch.
        let mut benefits = Vec::new();
        for c in chunk.iter().filter(|c| c.stage() == 0) {
            benefits.push(grant_record(*c));
            report.grants += 1;
            for month in paid_months(*c) {
                benefits.push(payment_record(*c, month));
                report.payments += 1;
            }
        }
        let batch = BenefitBatch {
            operation: Operation::Import,
            idempotency_key: Some(format!("demo-population-benefits-{n}")),
            records: records::<BenefitRecord>(benefits)?,
        };
        accepted(
            "benefit",
            &citizen.deliver_benefits(benefit_system, &batch).await?,
        )?;

        let batch = ClaimBatch {
            operation: Operation::Import,
            idempotency_key: Some(format!("demo-population-claims-{n}")),
            records: records::<ClaimRecord>(
                chunk
                    .iter()
                    .filter(|c| c.stage() == 3)
                    .map(|c| claim_record(*c))
                    .collect(),
            )?,
        };
        report.claims += batch.records.len();
        accepted("claim", &citizen.deliver_claims(debt_system, &batch).await?)?;

        let batch = AppointmentBatch {
            operation: Operation::Import,
            idempotency_key: Some(format!("demo-population-appointments-{n}")),
            records: records::<AppointmentRecord>(
                chunk
                    .iter()
                    .filter(|c| matches!(c.stage(), 1 | 2))
                    .map(|c| appointment_record(*c))
                    .collect(),
            )?,
        };
        report.appointments += batch.records.len();
        accepted(
            "appointment",
            &citizen.deliver_appointments(calendar, &batch).await?,
        )?;
    }
    Ok(Some(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_population_covers_every_municipality_by_its_size() {
        let municipalities = municipalities();
        assert_eq!(municipalities.len(), 98);
        let people = citizens(&municipalities, 20_000);
        assert!(
            (19_500..=20_100).contains(&people.len()),
            "{}",
            people.len()
        );
        for (code, _) in &municipalities {
            assert!(people.iter().any(|c| c.kommune == *code), "{code}");
        }
        let copenhagen = people.iter().filter(|c| c.kommune == 101).count();
        let laesoe = people.iter().filter(|c| c.kommune == 825).count();
        assert!(copenhagen > 100 * laesoe, "{copenhagen} vs {laesoe}");
        let mut cprs: Vec<String> = people.iter().map(|c| c.cpr()).collect();
        cprs.sort();
        cprs.dedup();
        assert_eq!(cprs.len(), people.len(), "one CPR number each");
        assert!(
            cprs.iter()
                .all(|cpr| cpr.len() == "urn:oio:cpr-nr:".len() + 10)
        );
    }
}
