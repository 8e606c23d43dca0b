//! The slides' own pipelines as templates: DOS/PSRM per business area
//! (seeds `000_…` and the February 2020 newsletter `004_…`) and
//! Borgerblikket debt (GB1.0–GB5.0 of the June 2023 task overview). Staff
//! may start from a template and change it; the rules check whatever they
//! end with.

use serde::{Deserialize, Serialize};

use super::claims::{ClaimCatalogue, ClaimType};
use super::steps::{Pipeline, StepActor, StepSpec};

/// The DOS business areas (forretningsområder) of the slides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusinessArea {
    Socialret,
    Bibliotek,
    PAfgifter,
    Daginstitution,
    Sygedagpenge,
    ForbrugOgRenovation,
    SundhedOgService,
    RenterOgGebyrer,
}

impl BusinessArea {
    pub const ALL: [BusinessArea; 8] = [
        BusinessArea::Socialret,
        BusinessArea::Bibliotek,
        BusinessArea::PAfgifter,
        BusinessArea::Daginstitution,
        BusinessArea::Sygedagpenge,
        BusinessArea::ForbrugOgRenovation,
        BusinessArea::SundhedOgService,
        BusinessArea::RenterOgGebyrer,
    ];

    /// The area's name as the slides write it.
    pub fn name(self) -> &'static str {
        match self {
            BusinessArea::Socialret => "Socialret",
            BusinessArea::Bibliotek => "Bibliotek",
            BusinessArea::PAfgifter => "P-afgifter",
            BusinessArea::Daginstitution => "Daginstitution",
            BusinessArea::Sygedagpenge => "Sygedagpenge",
            BusinessArea::ForbrugOgRenovation => "Forbrug og Renovation",
            BusinessArea::SundhedOgService => "Sundhed og Service",
            BusinessArea::RenterOgGebyrer => "Renter og gebyrer",
        }
    }

    /// The prefix of the area's task codes: the slides' "BiBo1" and
    /// "SoCo1"; the others follow the same pattern.
    pub fn prefix(self) -> &'static str {
        match self {
            BusinessArea::Socialret => "SoCo",
            BusinessArea::Bibliotek => "BiBo",
            BusinessArea::PAfgifter => "PaAf",
            BusinessArea::Daginstitution => "DaIn",
            BusinessArea::Sygedagpenge => "SyDa",
            BusinessArea::ForbrugOgRenovation => "FoRe",
            BusinessArea::SundhedOgService => "SuSe",
            BusinessArea::RenterOgGebyrer => "ReGe",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        BusinessArea::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// The DOS onboarding of one area for one municipality:
///
/// ```text
///   V vendor ready ─────────────┐
///   1 ─► 2 ─────────────────────┴► 3 ─► 4 ─► 5 ─► F agreement ─► G agency opens ─► A stop in DMI ─► B closing
/// ```
///
/// 1–5 are the slides' KLIK tasks; V, F and G the newsletter's steps
/// around the municipality (the debtor-system vendor's readiness, the
/// claimant agreement sent to the agency, the agency opening the claim
/// types); A and B the community's. Keys are the area's prefix and the
/// step (BiBo1 … BiBo5, BiBoV, BiBoF, BiBoG, BiBoA, BiBoB), ASCII so
/// they stand in a URL as they are.
pub fn dos_pipeline(area: BusinessArea) -> Pipeline {
    let p = area.prefix();
    let k = |step: &str| format!("{p}{step}");
    let spec = |step: &str, title: &str, actor: StepActor, deps: &[&str]| StepSpec {
        key: k(step),
        title: format!("{} - {title}", area.name()),
        actor,
        depends_on: deps.iter().map(|d| k(d)).collect(),
    };
    let m = StepActor::Municipality;
    Pipeline::new(
        area.name(),
        vec![
            spec(
                "V",
                "Debitorleverandøren klarmelder debitorsystemet",
                StepActor::Vendor,
                &[],
            ),
            spec("1", "Opgave 1: Lokalisér relevante fordringstyper", m, &[]),
            spec(
                "2",
                "Opgave 2: Oplysning om fagløsning (systemanvendelse)",
                m,
                &["1"],
            ),
            spec("3", "Opgave 3: Klarmelding af fagløsning", m, &["2", "V"]),
            spec(
                "4",
                "Opgave 4: Gennemfør nulsums-test eller meld at kommunen allerede anvender",
                m,
                &["3"],
            ),
            spec(
                "5",
                "Opgave 5: Klarmelding/afvigelse til produktion hos Gældsstyrelsen",
                m,
                &["4"],
            ),
            spec(
                "F",
                "Send fordringshaveraftale til Gældsstyrelsen",
                m,
                &["5"],
            ),
            spec(
                "G",
                "Gældsstyrelsen åbner for fordringstyperne",
                StepActor::Agency,
                &["F"],
            ),
            spec(
                "A",
                "Stop nye fordringer i DMI (supplerende indberetningsperiode og lukkedato)",
                StepActor::Community,
                &["G"],
            ),
            spec(
                "B",
                "Endelig klarmelding og lukning af området",
                StepActor::Community,
                &["A"],
            ),
        ],
    )
    .expect("the DOS template is a valid pipeline")
}

/// Socialret's claim types from the slides (seed-facts
/// `dos_socialret_claim_types`).
pub fn socialret_catalogue() -> ClaimCatalogue {
    const TYPES: [(&str, &str); 14] = [
        ("KTTIBAK", "Tilbagebetaling efter kapitel 12 i aktivloven"),
        ("KTNEBOF", "Tilbagebetaling af boligindskud eller lignende"),
        ("KTBRFLX", "Fleksløntilskud til personer"),
        ("KTBRSER", "Tilskud til selvstændigt erhvervsdrivende"),
        (
            "KTVILFL",
            "Tilbagebetaling af løn- og fleksløntilskud hos arbejdsgiver",
        ),
        ("KFBILØK", "Billån, økonomisk misligholdelse"),
        (
            "KTSTRAF",
            "Uberettiget modtagne ydelser, dom som led i straffesag",
        ),
        ("KTCIVIL", "Øvrige tilskud - Fejludbetaling"),
        ("KTBRKYD", "Kontantydelse"),
        ("KFMILÅN", "Mikrolån, tilbagebetaling"),
        (
            "KTAKJOA",
            "Tilbagebetalingskrav, jobafklaring, aktivlovens § 69 T",
        ),
        (
            "KTTREFA",
            "Tilbagebetaling, tillæg til refusion, aktivlovens § 69 X",
        ),
        ("KTBREPA", "Tilbagebetalingskrav, repatrieringsloven"),
        (
            "KTGINTE",
            "Tilbagebetaling af godtgørelse, integrationsgrunduddannelse",
        ),
    ];
    ClaimCatalogue::new(
        BusinessArea::Socialret.name(),
        TYPES
            .iter()
            .map(|(code, name)| ClaimType {
                code: (*code).into(),
                name: (*name).into(),
            })
            .collect(),
    )
    .expect("the Socialret catalogue is valid")
}

/// The debtor systems Borgerblikket's debt view subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtorSystem {
    KmdOpusDebitor,
    EgOsIndsigt,
    FujitsuPrisme,
}

impl DebtorSystem {
    pub const ALL: [DebtorSystem; 3] = [
        DebtorSystem::KmdOpusDebitor,
        DebtorSystem::EgOsIndsigt,
        DebtorSystem::FujitsuPrisme,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DebtorSystem::KmdOpusDebitor => "KMD Opus Debitor",
            DebtorSystem::EgOsIndsigt => "EG ØS Indsigt",
            DebtorSystem::FujitsuPrisme => "Fujitsu Prisme",
        }
    }
}

/// Borgerblikket debt for a municipality on `system`: GB1.0 (subscribe, one
/// task per debtor system in the slides; the municipality gets its own
/// system's) to GB5.0, in order, all the municipality's.
pub fn borgerblikket_debt_pipeline(system: DebtorSystem) -> Pipeline {
    let subscribe = format!(
        "Abonner på Borgerblikkets sortiment for debitorsystemet - {}",
        system.name()
    );
    let m = StepActor::Municipality;
    Pipeline::ordered(
        "Borgerblikket gæld",
        &[
            ("GB1.0", subscribe.as_str(), m),
            ("GB2.0", "Teknisk opsætning i debitorsystemet", m),
            ("GB3.0", "Konfigurering af de fire fordringskravtyper", m),
            (
                "GB4.0",
                "Verificer data fra de fire fordringskravtyper vha. verifikationsklienten",
                m,
            ),
            (
                "GB5.0",
                "Åbne for Mit Overblik vha. fordringskonfigurationen",
                m,
            ),
        ],
    )
    .expect("the Borgerblikket template is a valid pipeline")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{
        AreaState, Statuses, StepKey, check_can_start, derived_state, open_steps,
    };
    use crate::task::TaskStatus;

    #[test]
    fn every_dos_area_has_a_valid_pipeline_of_ten_steps() {
        for area in BusinessArea::ALL {
            let p = dos_pipeline(area);
            assert_eq!(p.steps().len(), 10, "{}", area.name());
            assert_eq!(p.municipality_steps().count(), 6);
            assert_eq!(BusinessArea::parse(area.name()), Some(area));
        }
        assert_eq!(
            BusinessArea::parse("bibliotek"),
            Some(BusinessArea::Bibliotek)
        );
        assert_eq!(BusinessArea::parse("Skat"), None);
    }

    #[test]
    fn the_dos_business_system_waits_for_the_vendor() {
        let p = dos_pipeline(BusinessArea::Bibliotek);
        let mut s = Statuses::new();
        s.insert(StepKey::new("BiBo1").expect("valid"), TaskStatus::Completed);
        s.insert(StepKey::new("BiBo2").expect("valid"), TaskStatus::Completed);
        let err = check_can_start(&p, "BiBo3", TaskStatus::Started, &s).expect_err("refused");
        assert_eq!(err.code(), "gate_closed");
        s.insert(StepKey::new("BiBoV").expect("valid"), TaskStatus::Completed);
        assert!(check_can_start(&p, "BiBo3", TaskStatus::Started, &s).is_ok());
        // The agency's opening waits on the municipality's agreement.
        assert!(check_can_start(&p, "BiBoG", TaskStatus::Started, &s).is_err());
        let first: Vec<String> = open_steps(&p, &Statuses::new())
            .iter()
            .map(|k| k.to_string())
            .collect();
        assert_eq!(first, ["BiBoV", "BiBo1"]);
    }

    #[test]
    fn a_municipality_is_done_with_dos_before_the_agency_and_the_community() {
        let p = dos_pipeline(BusinessArea::Socialret);
        let s: Statuses = p
            .municipality_steps()
            .map(|st| (st.key.clone(), TaskStatus::Completed))
            .collect();
        assert_eq!(derived_state(&p, &s), AreaState::Done);
    }

    #[test]
    fn borgerblikket_debt_is_gb1_to_gb5_for_the_municipalitys_system() {
        for system in DebtorSystem::ALL {
            let p = borgerblikket_debt_pipeline(system);
            let keys: Vec<&str> = p.steps().iter().map(|s| s.key.as_str()).collect();
            assert_eq!(keys, ["GB1.0", "GB2.0", "GB3.0", "GB4.0", "GB5.0"]);
            assert!(p.steps()[0].title.ends_with(system.name()));
        }
        let p = borgerblikket_debt_pipeline(DebtorSystem::EgOsIndsigt);
        let err = check_can_start(&p, "GB3.0", TaskStatus::Started, &Statuses::new())
            .expect_err("refused");
        assert_eq!(
            err,
            crate::pipeline::PipelineError::GateClosed {
                step: "GB3.0".into(),
                waiting_on: vec!["GB2.0".into()]
            }
        );
    }
}
