//! The parties of the chain: vendors, service desks, municipalities (for
//! their IdP and organisation data) and the community, each an organisation
//! of the platform, with what it serves.

use samspil_domain::{MunicipalityCode, OrgId};

use super::IncidentError;

/// A party is an organisation of the platform.
pub type PartyId = OrgId;

/// What kind of link in the chain a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyKind {
    /// A solution's or a source system's vendor.
    Vendor,
    /// A service desk: a solution's, or the support systems' desk. A vendor
    /// that runs its own desk is a service desk party for that desk.
    ServiceDesk,
    /// A municipality, for its IdP and its organisation data.
    Municipality,
    /// The community (KOMBIT): where links escalate, who calls a task force.
    Community,
}

impl PartyKind {
    pub const ALL: [PartyKind; 4] = [
        PartyKind::Vendor,
        PartyKind::ServiceDesk,
        PartyKind::Municipality,
        PartyKind::Community,
    ];

    /// The kind as the database keeps it.
    pub fn code(self) -> &'static str {
        match self {
            PartyKind::Vendor => "vendor",
            PartyKind::ServiceDesk => "service_desk",
            PartyKind::Municipality => "municipality",
            PartyKind::Community => "community",
        }
    }

    pub fn parse(code: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// An IT solution by its catalogue code (`SAPA`, `KY`, `Organisation`, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SolutionCode(pub String);

impl SolutionCode {
    pub fn new(code: &str) -> SolutionCode {
        SolutionCode(code.trim().to_owned())
    }
}

/// One thing a party answers for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Served {
    /// An IT solution (a vendor's or a desk's).
    Solution(SolutionCode),
    /// The municipality's own identity provider.
    MunicipalIdp,
    /// The municipality's organisation data (kept by the municipality in
    /// Organisation; the slides: "Opdatering af Organisation og Kommunernes
    /// IDP ligger hos kommunerne").
    OrganisationData,
}

/// A party and what it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: PartyId,
    pub kind: PartyKind,
    pub name: String,
    /// Set for a municipality party, and only for it.
    pub municipality: Option<MunicipalityCode>,
    serves: Vec<Served>,
}

impl Party {
    /// A party serving `serves`: a vendor or desk serves solutions, a
    /// municipality its IdP and organisation data, the community nothing.
    pub fn new(
        id: PartyId,
        kind: PartyKind,
        name: &str,
        municipality: Option<MunicipalityCode>,
        serves: Vec<Served>,
    ) -> Result<Party, IncidentError> {
        if (kind == PartyKind::Municipality) != municipality.is_some() {
            return Err(IncidentError::MunicipalityMismatch { kind });
        }
        let fits = |served: &Served| match kind {
            PartyKind::Vendor | PartyKind::ServiceDesk => matches!(served, Served::Solution(_)),
            PartyKind::Municipality => !matches!(served, Served::Solution(_)),
            PartyKind::Community => false,
        };
        if !serves.iter().all(fits) {
            return Err(IncidentError::ServesWrongThing { kind });
        }
        Ok(Party {
            id,
            kind,
            name: name.trim().to_owned(),
            municipality,
            serves,
        })
    }

    pub fn serves(&self) -> &[Served] {
        &self.serves
    }

    /// The solutions the party answers for (not the municipal data it keeps).
    pub fn solutions(&self) -> impl Iterator<Item = &SolutionCode> {
        self.serves.iter().filter_map(|served| match served {
            Served::Solution(code) => Some(code),
            _ => None,
        })
    }

    /// Whether the party answers for the solution.
    pub fn serves_solution(&self, solution: &SolutionCode) -> bool {
        self.solutions().any(|s| s == solution)
    }

    pub fn is_community(&self) -> bool {
        self.kind == PartyKind::Community
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aarhus() -> Option<MunicipalityCode> {
        Some(MunicipalityCode::new(751).expect("a code"))
    }

    #[test]
    fn each_kind_serves_its_own_things() {
        let sapa = Served::Solution(SolutionCode::new("SAPA"));
        assert!(
            Party::new(
                OrgId(1),
                PartyKind::ServiceDesk,
                "SAPA",
                None,
                vec![sapa.clone()]
            )
            .is_ok()
        );
        assert!(Party::new(OrgId(2), PartyKind::Vendor, "V", None, vec![sapa.clone()]).is_ok());
        let idp = vec![Served::MunicipalIdp, Served::OrganisationData];
        assert!(
            Party::new(
                OrgId(3),
                PartyKind::Municipality,
                "Aarhus",
                aarhus(),
                idp.clone()
            )
            .is_ok()
        );
        assert_eq!(
            Party::new(
                OrgId(3),
                PartyKind::Municipality,
                "Aarhus",
                aarhus(),
                vec![sapa.clone()]
            ),
            Err(IncidentError::ServesWrongThing {
                kind: PartyKind::Municipality
            })
        );
        assert_eq!(
            Party::new(OrgId(1), PartyKind::ServiceDesk, "D", None, idp),
            Err(IncidentError::ServesWrongThing {
                kind: PartyKind::ServiceDesk
            })
        );
        assert_eq!(
            Party::new(OrgId(4), PartyKind::Community, "KOMBIT", None, vec![sapa]),
            Err(IncidentError::ServesWrongThing {
                kind: PartyKind::Community
            })
        );
    }

    #[test]
    fn only_a_municipality_has_a_municipality_code() {
        assert_eq!(
            Party::new(OrgId(3), PartyKind::Municipality, "Aarhus", None, vec![]),
            Err(IncidentError::MunicipalityMismatch {
                kind: PartyKind::Municipality
            })
        );
        assert_eq!(
            Party::new(OrgId(1), PartyKind::Vendor, "V", aarhus(), vec![]),
            Err(IncidentError::MunicipalityMismatch {
                kind: PartyKind::Vendor
            })
        );
    }

    #[test]
    fn kinds_round_trip_their_codes() {
        for kind in PartyKind::ALL {
            assert_eq!(PartyKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(PartyKind::parse("supplier"), None);
    }
}
