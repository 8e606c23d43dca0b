//! Demo agreements (seeds `000_…`, `003_…`): the FLIS '24 accession
//! agreement as of 21 June 2023 — "72 kommuner har underskrevet
//! tilslutningsaftalen '24, 8 har sagt nej tak, 3 siger ja med forbehold,
//! resten overvejer" — by municipality code: the first 72 signed, the next
//! 8 declined, the next 3 signed with a reservation, the other 15
//! considering; and a new annex C sent to those that signed (the slide's
//! Netcompany example), awaiting their acknowledgements.

use samspil_coordination_storage::NewProject;
use samspil_domain::{OrgKind, Principal};
use samspil_tools::agreements::{AgreementState, answer};
use samspil_tools_storage::NewAgreement;
use time::macros::date;

pub const FLIS_24: &str = "Tilslutningsaftale FLIS '24";

/// Loads what is missing; a second run changes nothing. Whether it loaded.
pub async fn load(stores: &crate::Stores) -> anyhow::Result<bool> {
    let operator = Principal::operator();
    let community = operator.community_access()?;
    if stores
        .tools
        .agreements()
        .await?
        .iter()
        .any(|a| a.name == FLIS_24)
    {
        return Ok(false);
    }
    let projects = stores.coordination.projects().await?;
    let flis = match projects.into_iter().find(|p| p.name == "FLIS") {
        Some(project) => project,
        None => {
            stores
                .coordination
                .create_project(
                    &community,
                    &NewProject {
                        name: "FLIS".to_owned(),
                        description: "Fælleskommunalt Ledelsesinformationssystem.".to_owned(),
                        participants: None,
                    },
                )
                .await?
        }
    };
    let agreement = stores
        .tools
        .create_agreement(
            &community,
            &NewAgreement {
                solution_id: flis.id.0,
                kind: "tilslutningsaftale".to_owned(),
                name: FLIS_24.to_owned(),
                deadline: Some(date!(2023 - 06 - 30)),
            },
        )
        .await?;
    let mut municipalities: Vec<_> = stores
        .platform
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();
    municipalities.sort_by_key(|o| o.code.map(|c| c.get()));
    for (index, org) in municipalities.iter().enumerate() {
        let signatory = format!("Underskriftsberettiget, {}", org.name);
        let (state, reservation, signed_by, signed_on) = match index {
            0..72 => (
                AgreementState::Signed,
                "",
                signatory.as_str(),
                Some(date!(2023 - 05 - 15)),
            ),
            72..80 => (AgreementState::Declined, "", "", None),
            80..83 => (
                AgreementState::SignedWithReservation,
                "Under forudsætning af, at kommunens egne ledelsesdata ikke deles med andre kommuner.",
                signatory.as_str(),
                Some(date!(2023 - 06 - 01)),
            ),
            _ => (AgreementState::Considering, "", "", None),
        };
        let given = answer(state, reservation, signed_by, signed_on)?;
        stores
            .tools
            .answer_agreement(
                &operator.admin_access(org.id)?,
                agreement.id,
                &given,
                date!(2023 - 06 - 01),
            )
            .await?;
    }
    // The slide's Netcompany example: a vendor changes locations, and a new
    // annex C goes to every municipality that signed, to the people the
    // role gallery names.
    let roles = crate::tools_solutions::CoordinationSolutions::new(stores);
    let ids: Vec<_> = municipalities.iter().map(|o| o.id).collect();
    let addressees =
        samspil_tools_storage::addressees(&roles, &ids, samspil_storage::now().date()).await?;
    stores
        .tools
        .publish_annex(
            &community,
            agreement.id,
            "Bilag C, version 2: Netcompany skifter lokationer",
            "Netcompany flytter drift og support til nye lokationer. Bilag C (underdatabehandlere og \
             lokationer) er opdateret; den nye version gælder fra 1. juli 2023.",
            &addressees,
        )
        .await?;
    Ok(true)
}
