//! Demo NSIS risk assessment (seed `003_…`, September 2019): the element
//! catalogue, the slide's worked example — SAPA, Sagsbehandler, 1 June
//! 2019, assessors TRI, LVR, TG, RHI, risk 2,0 and control 2,1 ⇒
//! Betydelig — as version 1 awaiting approval (the demo writes it as the
//! operator, so the staff login can approve it), and the identity
//! providers' notified levels of the municipalities.

use samspil_coordination_storage::NewProject;
use samspil_domain::{OrgKind, Principal};
use samspil_tools::AssuranceLevel;
use samspil_tools::nsis::ElementKind;
use samspil_tools_storage::{NewNsisElement, ScoreInput, VersionInput};
use time::macros::date;

/// The catalogue, with each element's score in the slide's example: the
/// highest risk element is 2; nine control elements at 2 and one at 3
/// average 2,1.
const ELEMENTS: [(ElementKind, &str, &str, i64, &str); 13] = [
    (
        ElementKind::Risk,
        "Data og følsomhed",
        "Hvor følsomme personoplysninger løsningen viser (almindelige, fortrolige, følsomme).",
        2,
        "Sagsoverblikket viser følsomme oplysninger om borgerens sager på tværs af forvaltninger.",
    ),
    (
        ElementKind::Risk,
        "Eksponering",
        "Hvorfra og af hvem løsningen kan nås (internt net, internet, partnere).",
        2,
        "Tilgås via browser fra kommunens net og hjemmearbejdspladser.",
    ),
    (
        ElementKind::Risk,
        "Volumen",
        "Hvor mange personer og sager én bruger kan se.",
        1,
        "En sagsbehandler ser kun borgere i egne sager.",
    ),
    (
        ElementKind::Control,
        "Rollestyring",
        "Adgang gives gennem jobfunktionsroller i Fælleskommunal Adgangsstyring.",
        3,
        "Adgang kun via jobfunktionsroller tildelt af kommunens administrator.",
    ),
    (
        ElementKind::Control,
        "Logning",
        "Opslag og ændringer logges og kan gennemgås.",
        2,
        "Alle opslag logges centralt; gennemgang sker stikprøvevis.",
    ),
    (
        ElementKind::Control,
        "Funktionsadskillelse",
        "Den, der tildeler adgang, bruger den ikke selv.",
        2,
        "Tildeling og brug er adskilt i de fleste kommuner.",
    ),
    (
        ElementKind::Control,
        "Dataafgrænsning",
        "Brugeren ser kun data, arbejdet kræver.",
        2,
        "Afgrænset på KLE og organisation.",
    ),
    (
        ElementKind::Control,
        "Autorisationskontrol",
        "Løsningen kontrollerer brugerens rettigheder ved hvert opslag.",
        2,
        "Kontrol ved hvert kald til sagsindekset.",
    ),
    (
        ElementKind::Control,
        "Periodisk rettighedsgennemgang",
        "Rettigheder gennemgås jævnligt.",
        2,
        "Halvårlig gennemgang anbefales kommunerne.",
    ),
    (
        ElementKind::Control,
        "Sessionsstyring",
        "Sessioner udløber og kræver nyt login.",
        2,
        "Session udløber efter inaktivitet.",
    ),
    (
        ElementKind::Control,
        "Overvågning af misbrug",
        "Usædvanlige opslag opdages.",
        2,
        "Mønstre i loggen overvåges.",
    ),
    (
        ElementKind::Control,
        "Instruks og uddannelse",
        "Brugerne kender reglerne for opslag.",
        2,
        "Vejledning følger med adgangen.",
    ),
    (
        ElementKind::Control,
        "Leverandørstyring",
        "Leverandørens drift og sikkerhed følges op.",
        2,
        "Kontraktstyret af KOMBIT med årlig revision.",
    ),
];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NsisReport {
    pub elements_created: usize,
    pub assessment_created: bool,
    pub idp_levels_registered: usize,
}

/// The level a demo municipality's identity provider is notified at (by
/// its code, so that the readiness report has municipalities of each
/// kind): one in nine not registered, one in seven at Lav, one in five at
/// Høj, the rest Betydelig.
fn demo_level(code: u16) -> Option<AssuranceLevel> {
    match code {
        c if c.is_multiple_of(9) => None,
        c if c.is_multiple_of(7) => Some(AssuranceLevel::Lav),
        c if c.is_multiple_of(5) => Some(AssuranceLevel::Hoej),
        _ => Some(AssuranceLevel::Betydelig),
    }
}

/// Loads what is missing; a second run changes nothing.
pub async fn load(stores: &crate::Stores) -> anyhow::Result<NsisReport> {
    let tools = stores.tools.as_ref();
    let operator = Principal::operator();
    let community = operator.community_access()?;
    let mut report = NsisReport::default();

    let mut elements = tools.nsis_elements().await?;
    for (kind, name, description, _, _) in ELEMENTS {
        if !elements.iter().any(|e| e.kind == kind && e.name == name) {
            elements.push(
                tools
                    .add_nsis_element(
                        &community,
                        &NewNsisElement {
                            kind,
                            name: name.to_owned(),
                            description: description.to_owned(),
                        },
                    )
                    .await?,
            );
            report.elements_created += 1;
        }
    }

    let projects = stores.coordination.projects().await?;
    let sapa = match projects.into_iter().find(|p| p.name == "SAPA") {
        Some(project) => project,
        None => {
            stores
                .coordination
                .create_project(
                    &community,
                    &NewProject {
                        name: "SAPA".to_owned(),
                        description: "Sagsoverblik og partskontakt: sagsbehandlerens overblik over borgerens sager.".to_owned(),
                        participants: None,
                    },
                )
                .await?
        }
    };
    let exists = tools
        .nsis_assessments()
        .await?
        .iter()
        .any(|a| a.solution_id == sapa.id.0 && a.user_type == "Sagsbehandler");
    if !exists {
        let scores = ELEMENTS
            .iter()
            .filter_map(|(kind, name, _, score, rationale)| {
                let element = elements
                    .iter()
                    .find(|e| e.kind == *kind && e.name == *name)?;
                element.active.then(|| ScoreInput {
                    element_id: element.id,
                    score: *score,
                    rationale: (*rationale).to_owned(),
                })
            })
            .collect();
        tools
            .create_nsis_assessment(
                &community,
                sapa.id.0,
                "Sagsbehandler",
                &VersionInput {
                    project_leader: "Anders Cronwald".to_owned(),
                    phase: String::new(),
                    assessors: "TRI, LVR, TG, RHI".to_owned(),
                    assessed_on: date!(2019 - 06 - 01),
                    scores,
                },
            )
            .await?;
        report.assessment_created = true;
    }

    if tools.idp_levels().await?.is_empty() {
        for org in stores.platform.organisations().await? {
            let (OrgKind::Municipality, Some(code)) = (org.kind, org.code) else {
                continue;
            };
            if let Some(level) = demo_level(code.get()) {
                tools
                    .set_idp_level(&operator.admin_access(org.id)?, Some(level))
                    .await?;
                report.idp_levels_registered += 1;
            }
        }
    }
    Ok(report)
}
