//! Demo role gallery: the roles the seed documents name, which
//! municipalities use which IT solution, and holders for the demo people,
//! with a few gaps left on purpose so that the gap report has something to
//! show.
//!
//! Loading is idempotent: with a catalogue in place nothing is loaded.

use anyhow::Context;
use samspil_coordination::role::{AssignmentPeriod, RoleSpec};
use samspil_coordination_storage::{
    CoordinationStorage, NewAssignment, NewContactEntry, NewProject, Role,
};
use samspil_domain::{Login, OrgKind, Principal};
use serde::Deserialize;
use time::macros::date;

const SEED_FACTS: &str = include_str!("seed-facts.json");

#[derive(Deserialize)]
struct SeedFacts {
    roles: Vec<SeedRole>,
}

#[derive(Deserialize)]
struct SeedRole {
    name: String,
    scope: String,
    #[serde(default = "mandatory_by_default")]
    mandatory: bool,
}

fn mandatory_by_default() -> bool {
    true
}

/// What each seed role is for ("mere / tildeling"), in the words of the
/// slides where they give any.
fn description(role: &str) -> &'static str {
    match role {
        "KOMBIT-programleder" => {
            "Kommunens programleder over for KOMBIT: modtager nyheder og invitationer til \
             programledermøderne og koordinerer kommunens opgaver i KLIK."
        }
        "Infrastrukturansvarlig" => {
            "Ansvarlig for kommunens tilslutning til den fælleskommunale infrastruktur \
             (certifikater, Fælleskommunalt Administrationsmodul, Serviceplatformen)."
        }
        "KLIK-administrator" => {
            "Administrerer kommunens brugere i KLIK: giver adgang til projekter under \
             Brugerhåndtering og udfylder rollegalleriet. Anbefalet udfører af nye rolleopgaver."
        }
        "Digital Post-ansvarlig" => "Kommunens kontaktperson for Digital Post.",
        "Sikkerhedsansvarlig" => "Kontaktperson for informationssikkerhed og hændelser.",
        "Underskriftsberettiget ift. databehandleraftaler" => {
            "Må underskrive databehandleraftaler på kommunens vegne."
        }
        "Dataansvarlig" => "Kommunens dataansvarlige for de fælleskommunale løsninger.",
        "DOS dataansvarlig" => {
            "Dataansvarlig for overdragelse af fordringer til gældsinddrivelse (DOS/PSRM)."
        }
        "EESSI-kontaktperson" => {
            "Kontaktperson for den elektroniske udveksling af socialsikringsoplysninger (EESSI)."
        }
        "Træner" => "Træner valgsekretariatets medarbejdere i valgløsningen.",
        "Projektleder" => "Kommunens projektleder for Borgerblikket / Mit Overblik.",
        "Projektejer" => "Kommunens projektejer for Borgerblikket / Mit Overblik.",
        _ => "",
    }
}

/// The demo's "tildeling" of each seed role: whom a municipality should
/// give it to (written for the demo; KLIK's own texts are not in the seeds).
fn assignment_guidance(role: &str) -> &'static str {
    match role {
        "KOMBIT-programleder" => {
            "Gives til én person, typisk i digitaliserings- eller IT-afdelingen, \
             som har overblik over kommunens fælleskommunale projekter."
        }
        "Infrastrukturansvarlig" => {
            "Gives til den, der driver kommunens certifikater og integrationer; \
             markér én som primær indehaver."
        }
        "KLIK-administrator" => {
            "Gives til de medarbejdere, der opretter brugere og vedligeholder rollegalleriet."
        }
        "Underskriftsberettiget ift. databehandleraftaler" => {
            "Gives til den, der efter kommunens delegationsplan må underskrive aftaler, \
             f.eks. kommunaldirektøren eller en direktør."
        }
        "Dataansvarlig" | "DOS dataansvarlig" => {
            "Gives til en leder i den forvaltning, der ejer data i løsningen."
        }
        "Sikkerhedsansvarlig" => "Gives til kommunens informationssikkerhedskoordinator.",
        "Projektleder" | "Projektejer" => {
            "Gives til den, der leder kommunens implementering af løsningen."
        }
        _ => "",
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RolesReport {
    pub roles_created: usize,
    pub assignments_created: usize,
}

/// Which seed role each demo person holds: the administrator the
/// KLIK-administrator role, the user the programme manager and the
/// infrastructure roles, and in every other municipality also Digital Post,
/// so that the other half shows up in the gap report.
const ADMIN_ROLES: [&str; 1] = ["KLIK-administrator"];
const USER_ROLES: [&str; 3] = [
    "KOMBIT-programleder",
    "Infrastrukturansvarlig",
    "Projektleder",
];

pub async fn load(stores: &crate::Stores) -> anyhow::Result<RolesReport> {
    let (storage, coordination) = (stores.platform.as_ref(), stores.coordination.as_ref());
    let mut report = RolesReport::default();
    if !coordination.roles().await?.is_empty() {
        return Ok(report);
    }
    let facts: SeedFacts = serde_json::from_str(SEED_FACTS).context("the bundled seed facts")?;
    let operator = Principal::operator();
    let community = operator.community_access()?;
    let organisations = storage.organisations().await?;
    let municipalities: Vec<_> = organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();

    let mut projects = coordination.projects().await?;
    let mut roles: Vec<Role> = Vec::new();
    for seed in &facts.roles {
        let solution = match seed.scope.as_str() {
            "cross-cutting" => None,
            name => {
                if !projects.iter().any(|p| p.name == name) {
                    // EESSI is used by the municipalities with an even
                    // code in the demo: the others must not see its role.
                    let participants = (name == "EESSI").then(|| {
                        municipalities
                            .iter()
                            .filter(|m| m.code.is_some_and(|c| c.get() % 2 == 0))
                            .map(|m| m.id)
                            .collect()
                    });
                    projects.push(
                        coordination
                            .create_project(
                                &community,
                                &NewProject {
                                    name: name.to_owned(),
                                    description: String::new(),
                                    participants,
                                },
                            )
                            .await?,
                    );
                }
                projects.iter().find(|p| p.name == name).map(|p| p.id)
            }
        };
        let (role, _) = coordination
            .create_role(
                &community,
                RoleSpec {
                    name: seed.name.clone(),
                    description: description(&seed.name).to_owned(),
                    assignment_guidance: assignment_guidance(&seed.name).to_owned(),
                    solution,
                    mandatory: seed.mandatory,
                    max_holders: (seed.name == "KOMBIT-programleder").then_some(1),
                    requires_primary: seed.name == "Infrastrukturansvarlig",
                },
                false,
            )
            .await?;
        roles.push(role);
        report.roles_created += 1;
    }

    let starts_on = date!(2023 - 01 - 01);
    for (index, org) in municipalities.iter().enumerate() {
        let Some(code) = org.code else { continue };
        let access = operator.admin_access(org.id)?;
        let users = storage.users(&access).await?;
        let person = |login: String| {
            Login::parse(&login)
                .ok()
                .and_then(|login| users.iter().find(|u| u.login == login))
        };
        let (Some(admin), Some(user)) = (
            person(format!("admin-{code}")),
            person(format!("user-{code}")),
        ) else {
            continue;
        };
        let mut holdings: Vec<(&str, &samspil_storage::User)> =
            ADMIN_ROLES.iter().map(|r| (*r, admin)).collect();
        holdings.extend(USER_ROLES.iter().map(|r| (*r, user)));
        if index % 2 == 0 {
            holdings.push(("Digital Post-ansvarlig", user));
        }
        for (role_name, holder) in holdings {
            let role = roles
                .iter()
                .find(|r| r.name == role_name)
                .with_context(|| format!("seed role '{role_name}'"))?;
            if let Some(solution) = role.solution_id {
                coordination
                    .grant_solution_access(&access, holder.id, solution)
                    .await?;
            }
            coordination
                .assign_role(
                    &access,
                    &NewAssignment {
                        role_id: role.id,
                        user_id: holder.id,
                        period: AssignmentPeriod::new(starts_on, None)?,
                        primary: role.requires_primary,
                        note: String::new(),
                    },
                )
                .await?;
            report.assignments_created += 1;
        }
    }
    load_contact_list(coordination, &community, &municipalities).await?;
    Ok(report)
}

/// The first manual contact list the seeds announce: the DPO function
/// mailboxes. The addresses use the reserved `.example` domain, so the demo
/// never looks like real contact data.
async fn load_contact_list(
    coordination: &dyn CoordinationStorage,
    community: &samspil_domain::CommunityAccess,
    municipalities: &[&samspil_storage::Organisation],
) -> anyhow::Result<()> {
    let list = coordination
        .create_contact_list(
            community,
            "DPO-funktionspostkasser",
            "Kommunernes funktionspostkasser til databeskyttelsesrådgiveren (demodata).",
        )
        .await?;
    for org in municipalities {
        let Some(code) = org.code else { continue };
        coordination
            .add_contact_entry(
                community,
                list.id,
                &NewContactEntry {
                    org_id: Some(org.id),
                    name: format!("DPO {}", org.name),
                    email: Some(format!("dpo@kommune-{code}.example")),
                    phone: None,
                    function: "DPO-funktionspostkasse".to_owned(),
                    note: String::new(),
                },
            )
            .await?;
    }
    Ok(())
}
