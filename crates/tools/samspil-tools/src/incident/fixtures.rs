//! The parties, scales and agreements the tests share: a line-of-business
//! system's desk (for KY), a source system's vendor, another vendor, the
//! support systems' desk, Aarhus municipality and the community.

use std::cell::Cell;

use samspil_domain::{MunicipalityCode, OrgId};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;

/// 22 June 2023 (the slides' meeting) at `hour`:`minute`, UTC.
pub fn at(hour: i64, minute: i64) -> OffsetDateTime {
    datetime!(2023-06-22 00:00 UTC) + Duration::hours(hour) + Duration::minutes(minute)
}

/// A clock the test moves by hand.
pub struct FakeClock(Cell<OffsetDateTime>);

impl FakeClock {
    pub fn at(now: OffsetDateTime) -> FakeClock {
        FakeClock(Cell::new(now))
    }
    pub fn now(&self) -> OffsetDateTime {
        self.0.get()
    }
    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by);
    }
}

pub fn desk_scale() -> PriorityScale {
    PriorityScale::new(OrgId(10), &["P1 Kritisk", "P2 Høj", "P3 Middel", "P4 Lav"]).expect("scale")
}

fn targets(list: &[(i64, i64)]) -> Vec<Targets> {
    list.iter()
        .map(|(response, resolution)| Targets {
            response: Duration::minutes(*response),
            resolution: Duration::minutes(*resolution),
        })
        .collect()
}

pub struct Chain {
    pub desk: Party,
    pub vendor: Party,
    pub other_vendor: Party,
    pub support_desk: Party,
    pub municipality: Party,
    pub community: Party,
    pub desk_scale: PriorityScale,
    pub vendor_scale: PriorityScale,
    pub desk_vendor_mapping: PriorityMapping,
    pub desk_vendor_agreement: Agreement,
    pub desk_support_mapping: PriorityMapping,
    pub desk_support_agreement: Agreement,
    pub support_municipality_mapping: PriorityMapping,
    pub support_municipality_agreement: Agreement,
}

fn solution(code: &str) -> Served {
    Served::Solution(SolutionCode::new(code))
}

impl Chain {
    pub fn new() -> Chain {
        let party = |id, kind, name, served| {
            Party::new(OrgId(id), kind, name, None, served).expect("party")
        };
        let aarhus = Party::new(
            OrgId(751),
            PartyKind::Municipality,
            "Aarhus Kommune",
            Some(MunicipalityCode::new(751).expect("code")),
            vec![Served::MunicipalIdp, Served::OrganisationData],
        )
        .expect("party");
        let desk_scale = desk_scale();
        let vendor_scale = PriorityScale::new(OrgId(20), &["A", "B", "C"]).expect("scale");
        let support_scale = PriorityScale::new(OrgId(30), &["1", "2", "3"]).expect("scale");
        let municipality_scale = PriorityScale::new(OrgId(751), &["Høj", "Normal"]).expect("scale");
        let p = |levels: &[u8]| levels.iter().map(|l| Priority(*l)).collect::<Vec<_>>();
        Chain {
            desk: party(
                10,
                PartyKind::ServiceDesk,
                "KY Servicedesk",
                vec![solution("KY")],
            ),
            vendor: party(
                20,
                PartyKind::Vendor,
                "Kildesystemets leverandør",
                vec![solution("CPR")],
            ),
            other_vendor: party(
                21,
                PartyKind::Vendor,
                "En anden leverandør",
                vec![solution("Nexus")],
            ),
            support_desk: party(
                30,
                PartyKind::ServiceDesk,
                "Støttesystemernes Servicedesk",
                vec![solution("Organisation"), solution("Adgangsstyring")],
            ),
            municipality: aarhus,
            community: party(1, PartyKind::Community, "KOMBIT", vec![]),
            desk_vendor_mapping: PriorityMapping::new(&desk_scale, &vendor_scale, p(&[0, 0, 1, 2]))
                .expect("mapping"),
            desk_vendor_agreement: Agreement::new(
                AgreementKind::UnderpinningContract,
                OrgId(10),
                &vendor_scale,
                targets(&[(60, 8 * 60), (4 * 60, 24 * 60), (8 * 60, 72 * 60)]),
                ServiceHours::Calendar,
            )
            .expect("agreement"),
            desk_support_mapping: PriorityMapping::new(
                &desk_scale,
                &support_scale,
                p(&[0, 1, 1, 2]),
            )
            .expect("mapping"),
            desk_support_agreement: Agreement::new(
                AgreementKind::Ola,
                OrgId(10),
                &support_scale,
                targets(&[(30, 4 * 60), (2 * 60, 8 * 60), (4 * 60, 40 * 60)]),
                ServiceHours::Calendar,
            )
            .expect("agreement"),
            support_municipality_mapping: PriorityMapping::new(
                &support_scale,
                &municipality_scale,
                p(&[0, 0, 1]),
            )
            .expect("mapping"),
            support_municipality_agreement: Agreement::new(
                AgreementKind::Sla,
                OrgId(30),
                &municipality_scale,
                targets(&[(2 * 60, 8 * 60), (8 * 60, 40 * 60)]),
                ServiceHours::Calendar,
            )
            .expect("agreement"),
            desk_scale,
            vendor_scale,
        }
    }

    /// What a caseworker of Aarhus tells the KY desk at 9:00.
    pub fn draft(&self) -> IntakeDraft {
        IntakeDraft {
            reporter_name: "Sagsbehandler Hansen".into(),
            reporter_contact: "hansen@aarhus.dk".into(),
            municipality: Some(self.municipality.id),
            solution: SolutionCode::new("KY"),
            occurred_at: at(8, 45),
            what_happened: "Opslag på et cpr-nummer giver en fejl".into(),
            examples: vec!["Sag 2023-0042, trin 'Hent borger'".into()],
            error_messages: vec!["Kildesystemet svarede med fejl 500".into()],
            user_priority: Priority(1),
        }
    }

    pub fn report(&self) -> IncidentReport {
        IncidentReport::new(self.draft(), &self.desk_scale, at(9, 0)).expect("valid")
    }

    pub fn incident(&self) -> Incident {
        self.incident_numbered(1)
    }

    pub fn incident_numbered(&self, n: i64) -> Incident {
        Incident::open(
            IncidentId(n),
            &self.desk,
            &self.desk_scale,
            self.report(),
            at(9, 0),
        )
        .expect("opened")
    }

    pub fn forward_to_vendor_at(
        &self,
        incident: &mut Incident,
        now: OffsetDateTime,
    ) -> Result<LinkId, IncidentError> {
        incident.forward(
            Forwarder::Owner,
            &self.desk,
            &self.vendor,
            &self.desk_vendor_agreement,
            &self.desk_vendor_mapping,
            now,
        )
    }

    /// The desk forwards to the vendor at 10:00.
    pub fn forward_to_vendor(&self, incident: &mut Incident) -> LinkId {
        self.forward_to_vendor_at(incident, at(10, 0))
            .expect("forwarded")
    }

    /// The desk forwards to the support systems' desk at 10:00.
    pub fn forward_to_support(&self, incident: &mut Incident) -> LinkId {
        incident
            .forward(
                Forwarder::Owner,
                &self.desk,
                &self.support_desk,
                &self.desk_support_agreement,
                &self.desk_support_mapping,
                at(10, 0),
            )
            .expect("forwarded")
    }

    /// The support desk forwards its accepted link to the municipality at 10:30.
    pub fn forward_to_municipality(&self, incident: &mut Incident, from: LinkId) -> LinkId {
        incident
            .forward(
                Forwarder::Link(from),
                &self.support_desk,
                &self.municipality,
                &self.support_municipality_agreement,
                &self.support_municipality_mapping,
                at(10, 30),
            )
            .expect("forwarded")
    }
}
