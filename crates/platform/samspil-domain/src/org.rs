//! Organisations: the community, KL and the 98 municipalities.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgId(pub i64);

impl std::fmt::Display for OrgId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The shared IT community that publishes tasks (KOMBIT in the seeds).
    Community,
    /// KL, the municipalities' association.
    Association,
    Municipality,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Community => "community",
            OrgKind::Association => "association",
            OrgKind::Municipality => "municipality",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "community" => Some(OrgKind::Community),
            "association" => Some(OrgKind::Association),
            "municipality" => Some(OrgKind::Municipality),
            _ => None,
        }
    }
}

/// The three-digit code Danmarks Statistik gives each municipality (101 for
/// København, 751 for Aarhus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MunicipalityCode(u16);

impl MunicipalityCode {
    pub fn new(code: u16) -> Result<Self, ValidationError> {
        if (100..=999).contains(&code) {
            Ok(Self(code))
        } else {
            Err(ValidationError::new(
                "code",
                format!("a municipality code has three digits, got {code}"),
            ))
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl std::str::FromStr for MunicipalityCode {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.len() != 3 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                "code",
                format!("a municipality code has three digits, got '{trimmed}'"),
            ));
        }
        trimmed
            .parse::<u16>()
            .map_err(|e| ValidationError::new("code", e.to_string()))
            .and_then(Self::new)
    }
}

impl std::fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// An organisation every installation has, whatever else it holds: the
/// community, KL and the 98 municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceOrganisation {
    /// Stable key used to upsert the row: `community`, `kl` or `municipality-NNN`.
    pub key: String,
    pub kind: OrgKind,
    pub name: String,
    pub official_name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
}

const MUNICIPALITIES_CSV: &str = include_str!("municipalities.csv");

/// The community, KL and the 98 municipalities, parsed from the list that is
/// compiled into the binary (source: Danmarks Statistik's municipality codes).
pub fn reference_organisations() -> Vec<ReferenceOrganisation> {
    let mut orgs = vec![
        ReferenceOrganisation {
            key: "community".into(),
            kind: OrgKind::Community,
            name: "Fællesskabet".into(),
            official_name: "Det kommunale it-fællesskab (KOMBIT)".into(),
            code: None,
            region: None,
        },
        ReferenceOrganisation {
            key: "kl".into(),
            kind: OrgKind::Association,
            name: "KL".into(),
            official_name: "KL – Kommunernes Landsforening".into(),
            code: None,
            region: None,
        },
    ];
    orgs.extend(
        parse_municipalities(MUNICIPALITIES_CSV).expect("the bundled municipality list is valid"),
    );
    orgs
}

/// Parses `code,name,official_name,region` lines. Kept strict: the list is
/// reference data and a malformed line is a bug worth failing on.
pub fn parse_municipalities(csv: &str) -> Result<Vec<ReferenceOrganisation>, ValidationError> {
    let mut lines = csv.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim() == "code,name,official_name,region" => {}
        _ => {
            return Err(ValidationError::new(
                "municipalities.csv",
                "the first line must be the header code,name,official_name,region",
            ));
        }
    }
    lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, name, official_name, region] = fields[..] else {
                return Err(ValidationError::new(
                    "municipalities.csv",
                    format!(
                        "line {}: expected 4 fields, got {}",
                        index + 1,
                        fields.len()
                    ),
                ));
            };
            let code: MunicipalityCode = code.parse()?;
            Ok(ReferenceOrganisation {
                key: format!("municipality-{code}"),
                kind: OrgKind::Municipality,
                name: name.to_owned(),
                official_name: official_name.to_owned(),
                code: Some(code),
                region: Some(region.to_owned()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_has_98_municipalities_in_five_regions() {
        let orgs = reference_organisations();
        let municipalities: Vec<_> = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::Municipality)
            .collect();
        assert_eq!(municipalities.len(), 98);
        let mut regions: Vec<_> = municipalities
            .iter()
            .filter_map(|m| m.region.clone())
            .collect();
        regions.sort();
        regions.dedup();
        assert_eq!(regions.len(), 5);
        let aarhus = municipalities
            .iter()
            .find(|m| m.name == "Aarhus")
            .expect("Aarhus is listed");
        assert_eq!(aarhus.code.map(|c| c.get()), Some(751));
        assert_eq!(aarhus.key, "municipality-751");
    }

    #[test]
    fn codes_must_have_three_digits() {
        assert!("75".parse::<MunicipalityCode>().is_err());
        assert!("7511".parse::<MunicipalityCode>().is_err());
        assert!("abc".parse::<MunicipalityCode>().is_err());
        assert_eq!(
            "101".parse::<MunicipalityCode>().map(|c| c.to_string()),
            Ok("101".to_string())
        );
    }

    #[test]
    fn malformed_line_names_its_number() {
        let err = parse_municipalities("code,name,official_name,region\n101,København\n")
            .expect_err("refused");
        assert!(err.problem.contains("line 2"), "{err}");
    }
}
