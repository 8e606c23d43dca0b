//! Demo of the chain of responsibility (seed `000_…`, agenda item 1; issue
//! 19): the slides' two examples.
//!
//! 1. A caseworker in Aarhus gets an error in KY (the line-of-business
//!    system) when using a CPR number: KY's service desk investigates,
//!    forwards to the source system's vendor (CPR), which accepts it under
//!    its own case number and resolves it; the desk tells the caseworker.
//! 2. A caseworker in Aarhus cannot log in to SAPA: SAPA's service desk
//!    forwards to the support systems' desk, which accepts and forwards to
//!    the municipality (its IdP is where the fault is), where it is open.
//!
//! The vendors and desks are organisations of their own (kind
//! `association`), each with one person: `desk-ky`, `vendor-cpr`,
//! `desk-sapa`, `desk-support` (the demo password); Aarhus answers for its
//! IdP and organisation data; the community is where links escalate.

use samspil_domain::access::Actor;
use samspil_domain::{
    AccessRole, Login, OrgId, OrgKind, Principal, ReferenceOrganisation, UserType,
};
use samspil_storage::{NewUser, Storage};
use samspil_tools::incident::{
    Action, AgreementKind, Forwarder, IncidentId, IntakeDraft, LinkId, PartyKind, Priority, Served,
    ServiceHours, SolutionCode,
};
use samspil_tools_storage::{ChainAgreement, IncidentChange, NewParty};
use time::Duration;

/// The desks' and vendors' organisations: key, name, login, kind, solutions.
const PARTIES: [(&str, &str, &str, PartyKind, &[&str]); 4] = [
    (
        "incident-desk-ky",
        "Servicedesk for KY",
        "desk-ky",
        PartyKind::ServiceDesk,
        &["KY"],
    ),
    (
        "incident-vendor-cpr",
        "Leverandør af CPR-kildesystemet",
        "vendor-cpr",
        PartyKind::Vendor,
        &["CPR"],
    ),
    (
        "incident-desk-sapa",
        "Servicedesk for SAPA",
        "desk-sapa",
        PartyKind::ServiceDesk,
        &["SAPA"],
    ),
    (
        "incident-desk-support",
        "Støttesystemernes servicedesk",
        "desk-support",
        PartyKind::ServiceDesk,
        &["Organisation", "Adgangsstyring"],
    ),
];

const DESK_SCALE: [&str; 4] = ["P1 Kritisk", "P2 Høj", "P3 Normal", "P4 Lav"];
const DESK_TARGETS: [(i64, i64); 4] = [(30, 240), (60, 480), (240, 2880), (480, 7200)];

/// Loads what is missing; a second run changes nothing. Whether it loaded.
pub async fn load(stores: &crate::Stores) -> anyhow::Result<bool> {
    if !stores.tools.parties().await?.is_empty() {
        return Ok(false);
    }
    let platform = stores.platform.as_ref();
    let operator = Principal::operator();
    let community = operator.community_access()?;
    let actor = Actor {
        user_id: None,
        label: "demo".into(),
    };
    let orgs: Vec<ReferenceOrganisation> = PARTIES
        .iter()
        .map(|(key, name, ..)| ReferenceOrganisation {
            key: (*key).to_owned(),
            kind: OrgKind::Association,
            name: (*name).to_owned(),
            official_name: (*name).to_owned(),
            code: None,
            region: None,
        })
        .collect();
    platform.sync_reference_organisations(&orgs, &actor).await?;
    let password_hash = samspil_auth::hash_password(super::DEMO_PASSWORD)?;
    let mut ids = Vec::new();
    for (key, name, login, kind, solutions) in PARTIES {
        let org = platform
            .organisation_by_key(key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("organisation {key} is missing"))?;
        ids.push(org.id);
        let parsed = Login::parse(login)?;
        if platform.credentials(&parsed).await?.is_none() {
            platform
                .create_user(
                    &operator.admin_access(org.id)?,
                    &NewUser {
                        login: parsed,
                        display_name: format!("Medarbejder, {name}"),
                        email: Some(format!("{login}@leverandoer.example")),
                        phone: None,
                        job_title: Some("Supporter".to_owned()),
                        org_unit_id: None,
                        role: AccessRole::User,
                        user_type: UserType::Ordinary,
                        password_hash: Some(password_hash.clone()),
                    },
                )
                .await?;
        }
        let scale: Vec<String> = match kind {
            PartyKind::Vendor => vec![
                "A – kritisk".into(),
                "B – alvorlig".into(),
                "C – øvrig".into(),
            ],
            _ => DESK_SCALE.map(str::to_owned).to_vec(),
        };
        stores
            .tools
            .set_party(
                &community,
                &NewParty {
                    org_id: org.id,
                    kind,
                    serves: solutions
                        .iter()
                        .map(|s| Served::Solution(SolutionCode::new(s)))
                        .collect(),
                    scale,
                },
            )
            .await?;
    }
    let [desk_ky, vendor_cpr, desk_sapa, desk_support] = [ids[0], ids[1], ids[2], ids[3]];
    let aarhus = municipality(platform, "municipality-751").await?;
    stores
        .tools
        .set_party(
            &community,
            &NewParty {
                org_id: aarhus,
                kind: PartyKind::Municipality,
                serves: vec![Served::MunicipalIdp, Served::OrganisationData],
                scale: vec!["Akut".into(), "Normal".into()],
            },
        )
        .await?;
    let kombit = municipality(platform, "community").await?;
    stores
        .tools
        .set_party(
            &community,
            &NewParty {
                org_id: kombit,
                kind: PartyKind::Community,
                serves: Vec::new(),
                scale: vec!["Normal".into()],
            },
        )
        .await?;
    for agreement in [
        ChainAgreement {
            customer: desk_ky,
            provider: vendor_cpr,
            kind: AgreementKind::UnderpinningContract,
            // The desk's P1 and P2 are the vendor's A: the slides'
            // "prioriteten … kan godt være anderledes i et kildesystem".
            mapping: vec![0, 0, 1, 2],
            targets: vec![(60, 480), (240, 1440), (480, 7200)],
            hours: ServiceHours::Calendar,
        },
        ChainAgreement {
            customer: desk_sapa,
            provider: desk_support,
            kind: AgreementKind::Ola,
            mapping: vec![0, 1, 2, 3],
            targets: DESK_TARGETS.to_vec(),
            hours: ServiceHours::Calendar,
        },
        ChainAgreement {
            customer: desk_support,
            provider: aarhus,
            kind: AgreementKind::Ola,
            mapping: vec![0, 0, 1, 1],
            // The municipality answers in its office hours.
            targets: vec![(60, 480), (240, 2880)],
            hours: ServiceHours::parse("business 08:00-16:00 mon-fri")
                .expect("the demo's hours are valid"),
        },
    ] {
        stores
            .tools
            .set_chain_agreement(&community, &agreement)
            .await?;
    }
    let work = |org: OrgId| operator.work_access(org);
    let now = samspil_storage::now();
    let at = |hours_ago: i64| now - Duration::hours(hours_ago);

    // 1. KY and the CPR number, resolved by the source system's vendor.
    let first = stores
        .tools
        .open_incident(
            &work(desk_ky)?,
            &IntakeDraft {
                reporter_name: "Sagsbehandler, Aarhus Kommune".into(),
                reporter_contact: "user-751@aarhus.example".into(),
                municipality: Some(aarhus),
                solution: SolutionCode::new("KY"),
                occurred_at: at(30),
                what_happened: "Fejl i KY, når et CPR-nummer slås op i sagen: \
                                personens adresse hentes ikke fra CPR."
                    .into(),
                examples: vec!["Sag KY-2023-0815, trin 'Hent borgerdata'".into()],
                error_messages: vec!["CPR-opslag fejlede (kode 500, 'timeout')".into()],
                user_priority: Priority(1),
            },
            at(29),
        )
        .await?;
    let steps = [
        (
            desk_ky,
            IncidentChange::Forward {
                from: Forwarder::Owner,
                receiver: vendor_cpr,
            },
            28,
        ),
        (vendor_cpr, act(1, Action::Accept, None), 27),
        (
            vendor_cpr,
            IncidentChange::SetReference {
                link: LinkId(1),
                reference: "CPR-4711".into(),
            },
            27,
        ),
        (
            desk_ky,
            IncidentChange::Reply {
                text:
                    "Vi har sendt fejlen videre til leverandøren af CPR-kildesystemet og følger op."
                        .into(),
            },
            26,
        ),
        (
            vendor_cpr,
            act(
                1,
                Action::Resolve,
                Some("Timeout i adresseopslaget rettet i version 3.2.1."),
            ),
            6,
        ),
    ];
    run(stores, first, &steps, &work).await?;
    stores
        .tools
        .change_incident(&work(desk_ky)?, first, &act(1, Action::Close, None), at(5))
        .await?;
    stores
        .tools
        .change_incident(
            &work(desk_ky)?,
            first,
            &IncidentChange::Resolve {
                summary: "Leverandøren har rettet fejlen; opslaget virker igen.".into(),
            },
            at(5),
        )
        .await?;

    // 2. SAPA login: SAPA's desk → the support systems' desk → Aarhus (IdP).
    let second = stores
        .tools
        .open_incident(
            &work(desk_sapa)?,
            &IntakeDraft {
                reporter_name: "Sagsbehandler, Aarhus Kommune".into(),
                reporter_contact: "user-751@aarhus.example".into(),
                municipality: Some(aarhus),
                solution: SolutionCode::new("SAPA"),
                occurred_at: at(4),
                what_happened: "Kan ikke logge på SAPA: 'Du har ikke adgang'.".into(),
                examples: vec!["Bruger user-751, kl. 08:05".into()],
                error_messages: vec!["AccessDenied: no privilege for SAPA".into()],
                user_priority: Priority(1),
            },
            at(4),
        )
        .await?;
    let steps = [
        (
            desk_sapa,
            IncidentChange::Forward {
                from: Forwarder::Owner,
                receiver: desk_support,
            },
            3,
        ),
        (desk_support, act(1, Action::Accept, None), 3),
        (
            desk_support,
            IncidentChange::Forward {
                from: Forwarder::Link(LinkId(1)),
                receiver: aarhus,
            },
            2,
        ),
    ];
    run(stores, second, &steps, &work).await?;
    Ok(true)
}

fn act(link: u32, action: Action, reason: Option<&str>) -> IncidentChange {
    IncidentChange::Act {
        link: LinkId(link),
        action,
        reason: reason.map(str::to_owned),
    }
}

async fn run(
    stores: &crate::Stores,
    incident: IncidentId,
    steps: &[(OrgId, IncidentChange, i64)],
    work: &impl Fn(OrgId) -> Result<samspil_domain::OrgAccess, samspil_domain::access::ChangeDenied>,
) -> anyhow::Result<()> {
    let now = samspil_storage::now();
    for (org, change, hours_ago) in steps {
        stores
            .tools
            .change_incident(
                &work(*org)?,
                incident,
                change,
                now - Duration::hours(*hours_ago),
            )
            .await?;
    }
    Ok(())
}

async fn municipality(platform: &dyn Storage, key: &str) -> anyhow::Result<OrgId> {
    Ok(platform
        .organisation_by_key(key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("organisation {key} is missing"))?
        .id)
}
