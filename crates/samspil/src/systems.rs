//! The operator's side of the vendor systems (`samspil systems add`,
//! `list`, `disable`, `rotate`): the same storage methods as the staff
//! pages (`/borger/systemer`), with the operator as the actor. A
//! municipality still approves a system on its own page; the command line
//! only registers.

use anyhow::{Context, bail};
use samspil_citizen::SystemRegistration;
use samspil_citizen::credential::overlap_until;
use samspil_citizen_storage::{CitizenStore, SystemId, VendorSystem};
use samspil_domain::Principal;
use samspil_domain::input::parse_date;
use samspil_storage::Storage;

/// What `systems add` is given.
pub struct NewSystem<'a> {
    pub it_system_uuid: &'a str,
    pub name: &'a str,
    pub vendor: &'a str,
    pub kind: &'a str,
    pub mode: &'a str,
    /// Municipality codes the system delivers for, from `valid_from`.
    pub municipalities: &'a [String],
    pub valid_from: Option<&'a str>,
}

fn refused(error: samspil_domain::ValidationError) -> anyhow::Error {
    anyhow::anyhow!("--{}: {}", error.field.replace('_', "-"), error.problem)
}

/// Registers a system (and the municipalities it delivers for, which
/// must approve it) and issues its first credential, which is returned
/// (shown once, stored only as a digest).
pub async fn add(
    platform: &dyn Storage,
    citizen: &dyn CitizenStore,
    new: &NewSystem<'_>,
) -> anyhow::Result<(VendorSystem, String)> {
    let registration =
        SystemRegistration::check(new.it_system_uuid, new.name, new.vendor, new.kind, new.mode)
            .map_err(refused)?;
    let mut codes = Vec::new();
    if !new.municipalities.is_empty() {
        let orgs = platform.organisations().await?;
        for text in new.municipalities {
            let code = text
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|code| {
                    orgs.iter()
                        .any(|org| org.code.map(|c| c.get()) == Some(*code))
                })
                .with_context(|| format!("--municipality: there is no municipality {text}"))?;
            codes.push(code);
        }
    }
    let valid_from = match (new.valid_from, codes.is_empty()) {
        (Some(text), _) => Some(parse_date("from", text).map_err(refused)?),
        (None, true) => None,
        (None, false) => bail!("--from: say from which day the system delivers (YYYY-MM-DD)"),
    };
    let actor = Principal::operator().actor();
    let system = match citizen.register_system(&registration, &actor).await {
        Err(samspil_storage::StorageError::Conflict(detail)) => bail!("{detail}"),
        other => other?,
    };
    let mut system = system;
    if let Some(valid_from) = valid_from {
        for code in codes {
            system = citizen
                .register_municipality(system.id, code, valid_from, &actor)
                .await?;
        }
    }
    let secret = issue(citizen, system.id, 0).await?;
    Ok((system, secret))
}

async fn issue(
    citizen: &dyn CitizenStore,
    id: SystemId,
    overlap_hours: u32,
) -> anyhow::Result<String> {
    let until = overlap_until(samspil_storage::now(), overlap_hours).map_err(refused)?;
    let secret = samspil_auth::new_api_token();
    citizen
        .issue_credential(
            id,
            &samspil_auth::digest(&secret),
            until,
            &Principal::operator().actor(),
        )
        .await?;
    Ok(secret)
}

/// A new credential for a system; those in force run on `overlap_hours`.
pub async fn rotate(
    citizen: &dyn CitizenStore,
    id: i64,
    overlap_hours: u32,
) -> anyhow::Result<String> {
    let system = citizen
        .vendor_system(SystemId(id))
        .await?
        .with_context(|| format!("there is no vendor system with the id {id}"))?;
    if system.disabled_at.is_some() {
        bail!("the vendor system {id} ({}) is disabled", system.name);
    }
    issue(citizen, system.id, overlap_hours).await
}

/// Disables a system and says what happened.
pub async fn disable(citizen: &dyn CitizenStore, id: i64) -> anyhow::Result<String> {
    let before = citizen
        .vendor_system(SystemId(id))
        .await?
        .with_context(|| format!("there is no vendor system with the id {id}"))?;
    if before.disabled_at.is_some() {
        return Ok(format!(
            "The vendor system {id} ({}) was disabled already; nothing changed.",
            before.name
        ));
    }
    citizen
        .disable_system(before.id, &Principal::operator().actor())
        .await?;
    Ok(format!(
        "The vendor system {id} ({}) is disabled: it delivers nothing, and its credentials are refused from the next request.",
        before.name
    ))
}

/// Every system as a table for the terminal.
pub async fn list(citizen: &dyn CitizenStore) -> anyhow::Result<String> {
    let systems = citizen.vendor_systems(None).await?;
    if systems.is_empty() {
        return Ok("No vendor systems are registered.".to_owned());
    }
    Ok(table(&systems))
}

fn table(systems: &[VendorSystem]) -> String {
    let header = [
        "ID",
        "NAME",
        "VENDOR",
        "KIND",
        "MODE",
        "IT-SYSTEM UUID",
        "MUNICIPALITIES",
        "STATE",
    ];
    let rows: Vec<[String; 8]> = systems
        .iter()
        .map(|system| {
            let municipalities: Vec<String> = system
                .municipalities
                .iter()
                .map(|m| {
                    format!(
                        "{} from {}{}",
                        m.municipality_code,
                        m.valid_from,
                        if m.approved_at.is_some() {
                            ""
                        } else {
                            " (pending)"
                        }
                    )
                })
                .collect();
            [
                system.id.0.to_string(),
                system.name.clone(),
                system.vendor.clone(),
                system.kind.as_str().to_owned(),
                system.mode.as_str().to_owned(),
                system.it_system_uuid.clone(),
                if municipalities.is_empty() {
                    "-".to_owned()
                } else {
                    municipalities.join(", ")
                },
                if system.disabled_at.is_some() {
                    "disabled".to_owned()
                } else {
                    "enabled".to_owned()
                },
            ]
        })
        .collect();
    crate::text_table::text_table(header, &rows)
}

/// `samspil index remove`: every case of the system's for the
/// municipality deleted physically in one transaction, the system's
/// registration for it ended, audited; says what was removed.
pub async fn remove_on_system_change(
    citizen: &dyn CitizenStore,
    id: i64,
    municipality: &str,
) -> anyhow::Result<String> {
    let system = citizen
        .vendor_system(SystemId(id))
        .await?
        .with_context(|| format!("there is no vendor system with the id {id}"))?;
    let code: u16 = municipality
        .trim()
        .parse()
        .ok()
        .filter(|code| system.municipality(*code).is_some())
        .with_context(|| {
            format!(
                "--municipality: the system {id} ({}) is not registered for {municipality}",
                system.name
            )
        })?;
    let report = citizen
        .remove_system_cases(system.id, code, &Principal::operator().actor())
        .await?;
    Ok(format!(
        "Removed from the citizen index for municipality {code}: {} cases, {} documents, {} grants and {} payments, {} claims and {} appointments of {} ({} registrations, {} periods, {} relations); the system no longer delivers for it.",
        report.cases,
        report.documents,
        report.grants,
        report.payments,
        report.claims,
        report.appointments,
        system.name,
        report.registrations,
        report.periods,
        report.relations
    ))
}

/// `samspil compliance --system UUID`: the system's deliveries run
/// against the compliance test's six capabilities, printed as a table
/// (a row per finding; the capability and its verdict on its first
/// row), the verdict overall under it.
pub async fn compliance(
    platform: &dyn Storage,
    citizen: &dyn CitizenStore,
    system: &str,
    today: time::Date,
) -> anyhow::Result<String> {
    let wanted = system.trim().to_ascii_lowercase();
    let found = citizen
        .vendor_systems(None)
        .await?
        .into_iter()
        .find(|s| s.it_system_uuid == wanted || s.id.0.to_string() == wanted)
        .with_context(|| format!("--system: there is no vendor system {system}"))?;
    let (_, assessment) =
        samspil_citizen_web::compliance::assess_system(platform, citizen, found.id, today)
            .await?
            .with_context(|| format!("--system: there is no vendor system {system}"))?;
    let mut rows: Vec<[String; 3]> = Vec::new();
    for cell in &assessment.cells {
        for (i, finding) in cell.findings.iter().enumerate() {
            let (capability, verdict) = if i == 0 {
                (
                    cell.capability.danish().to_owned(),
                    cell.verdict.danish().to_owned(),
                )
            } else {
                (String::new(), String::new())
            };
            rows.push([capability, verdict, finding.english()]);
        }
    }
    Ok(format!(
        "Compliance test of {} ({}, {}), {today}\n\n{}\n\nOverall: {}",
        found.name,
        found.vendor,
        found.it_system_uuid,
        crate::text_table::text_table(["CAPABILITY", "VERDICT", "EVIDENCE"], &rows),
        assessment.verdict.danish()
    ))
}

/// `samspil index retention` and the daily job of `serve`: the closed
/// cases past their subject's deletion period deleted (or, with
/// `dry_run`, counted); says what was found and done.
pub async fn apply_retention(
    citizen: &dyn CitizenStore,
    today: time::Date,
    dry_run: bool,
) -> anyhow::Result<String> {
    let report = citizen.apply_retention(today, dry_run).await?;
    let done = if dry_run {
        format!(
            "{} are past their deletion day (a dry run: nothing deleted)",
            report.due
        )
    } else {
        format!(
            "{} were past their deletion day and are deleted ({} registrations, {} periods, {} relations)",
            report.removed.cases,
            report.removed.registrations,
            report.removed.periods,
            report.removed.relations
        )
    };
    Ok(format!(
        "Retention as of {today}: {} closed cases, of which {done}; {} are kept because their KLE subject has no deletion period.",
        report.closed, report.without_period
    ))
}
