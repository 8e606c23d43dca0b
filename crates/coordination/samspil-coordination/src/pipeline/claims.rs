//! Claim types: the area's catalogue, the codes a municipality ticked in
//! step 1 ("Lokalisér relevante fordringstyper"), and the rows the debt
//! collector receives.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use samspil_domain::MunicipalityCode;

use super::PipelineError;

/// One claim type of the tax agency's catalogue (KTTIBAK, "Tilbagebetaling
/// efter kapitel 12 i aktivloven").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimType {
    pub code: String,
    pub name: String,
}

/// An area's claim types, in the catalogue's own order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimCatalogue {
    area: String,
    types: Vec<ClaimType>,
}

/// A code is 3 to 12 capital letters, the Danish ones included (KFBILØK,
/// KFMILÅN).
fn is_claim_code(code: &str) -> bool {
    (3..=12).contains(&code.chars().count())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, 'Æ' | 'Ø' | 'Å'))
}

impl ClaimCatalogue {
    /// Checks every entry's code and name and that no code is repeated.
    pub fn new(area: &str, types: Vec<ClaimType>) -> Result<Self, PipelineError> {
        let mut seen = BTreeSet::new();
        for t in &types {
            if !is_claim_code(&t.code) || t.name.trim().is_empty() {
                return Err(PipelineError::BadClaimType {
                    code: t.code.clone(),
                });
            }
            if !seen.insert(t.code.as_str()) {
                return Err(PipelineError::DuplicateClaimType {
                    code: t.code.clone(),
                });
            }
        }
        Ok(Self {
            area: area.to_owned(),
            types,
        })
    }

    pub fn area(&self) -> &str {
        &self.area
    }

    pub fn types(&self) -> &[ClaimType] {
        &self.types
    }

    pub fn get(&self, code: &str) -> Option<&ClaimType> {
        self.types.iter().find(|t| t.code == code)
    }
}

/// The ticked codes checked against the catalogue: each known, none twice
/// (codes are compared as typed after trimming, upper-cased, since a
/// spreadsheet may have lower case). The result is in the catalogue's order.
pub fn check_ticked<'a>(
    catalogue: &'a ClaimCatalogue,
    ticked: &[&str],
) -> Result<Vec<&'a ClaimType>, PipelineError> {
    let mut chosen = BTreeSet::new();
    for raw in ticked {
        let code = raw.trim().to_uppercase();
        let Some(index) = catalogue.types.iter().position(|t| t.code == code) else {
            return Err(PipelineError::UnknownClaimType {
                area: catalogue.area.clone(),
                code: raw.trim().to_owned(),
            });
        };
        if !chosen.insert(index) {
            return Err(PipelineError::DuplicateClaimType { code });
        }
    }
    Ok(chosen.into_iter().map(|i| &catalogue.types[i]).collect())
}

/// One row of the export the debt collector needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimTypeRow {
    /// Not a column of its own (the debt collector's format has four), but
    /// the rows' order and the key a caller may join on.
    pub municipality_code: MunicipalityCode,
    pub municipality: String,
    pub area: String,
    pub code: String,
    pub name: String,
}

impl ClaimTypeRow {
    /// The export's column headings, in Danish as the debt collector reads
    /// them.
    pub const HEADINGS: [&'static str; 4] = ["Kommune", "Fagområde", "Fordringstype", "Navn"];

    pub fn cells(&self) -> [&str; 4] {
        [&self.municipality, &self.area, &self.code, &self.name]
    }
}

/// The rows for every municipality's ticks (code, name, the claim types it
/// ticked, already checked), ordered by municipality code (byte order of
/// the names would put Aalborg before Billund, where Danish puts it last;
/// the code needs no collation), then the catalogue's order.
pub fn claim_type_rows(
    catalogue: &ClaimCatalogue,
    ticks: &[(MunicipalityCode, &str, Vec<&ClaimType>)],
) -> Vec<ClaimTypeRow> {
    let mut by_municipality: Vec<&(MunicipalityCode, &str, Vec<&ClaimType>)> =
        ticks.iter().collect();
    by_municipality.sort_by_key(|t| t.0);
    let position = |t: &ClaimType| catalogue.types.iter().position(|c| c.code == t.code);
    by_municipality
        .into_iter()
        .flat_map(|(code, municipality, types)| {
            let mut types = types.clone();
            types.sort_by_key(|t| position(t));
            types.into_iter().map(move |t| ClaimTypeRow {
                municipality_code: *code,
                municipality: (*municipality).to_owned(),
                area: catalogue.area.clone(),
                code: t.code.clone(),
                name: t.name.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::templates::socialret_catalogue;

    #[test]
    fn socialret_has_the_slides_fourteen_claim_types() {
        let c = socialret_catalogue();
        assert_eq!(c.types().len(), 14);
        assert_eq!(c.area(), "Socialret");
        assert_eq!(
            c.get("KTBRFLX").map(|t| t.name.as_str()),
            Some("Fleksløntilskud til personer")
        );
        assert!(c.get("KFMILÅN").is_some());
    }

    #[test]
    fn ticks_are_checked_against_the_catalogue() {
        let c = socialret_catalogue();
        let ok = check_ticked(&c, &["KTBRFLX", " kttibak ", "KTNEBOF"]).expect("valid");
        let codes: Vec<&str> = ok.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, ["KTTIBAK", "KTNEBOF", "KTBRFLX"]);
        let unknown = check_ticked(&c, &["KTTIBAK", "KTXXXXX"]).expect_err("refused");
        assert_eq!(unknown.code(), "unknown_claim_type");
        let twice = check_ticked(&c, &["KTTIBAK", "kttibak"]).expect_err("refused");
        assert_eq!(twice.code(), "duplicate_claim_type");
    }

    #[test]
    fn a_bad_catalogue_is_refused() {
        let entry = |code: &str, name: &str| ClaimType {
            code: code.into(),
            name: name.into(),
        };
        let bad = ClaimCatalogue::new("x", vec![entry("kt1", "Navn")]).expect_err("refused");
        assert_eq!(bad.code(), "bad_claim_type");
        let nameless = ClaimCatalogue::new("x", vec![entry("KTAAA", " ")]).expect_err("refused");
        assert_eq!(nameless.code(), "bad_claim_type");
        let twice = ClaimCatalogue::new("x", vec![entry("KTAAA", "A"), entry("KTAAA", "B")])
            .expect_err("refused");
        assert_eq!(twice.code(), "duplicate_claim_type");
    }

    #[test]
    fn the_export_has_one_row_per_ticked_code_sorted() {
        let c = socialret_catalogue();
        let aarhus = check_ticked(&c, &["KTBRFLX", "KTTIBAK"]).expect("valid");
        let billund = check_ticked(&c, &["KTNEBOF"]).expect("valid");
        let code = |c: u16| MunicipalityCode::new(c).expect("valid");
        let rows = claim_type_rows(
            &c,
            &[
                (code(751), "Aarhus", aarhus),
                (code(530), "Billund", billund),
            ],
        );
        let cells: Vec<[&str; 4]> = rows.iter().map(|r| r.cells()).collect();
        let billund_row = [
            "Billund",
            "Socialret",
            "KTNEBOF",
            "Tilbagebetaling af boligindskud eller lignende",
        ];
        let aarhus_1 = [
            "Aarhus",
            "Socialret",
            "KTTIBAK",
            "Tilbagebetaling efter kapitel 12 i aktivloven",
        ];
        let aarhus_2 = [
            "Aarhus",
            "Socialret",
            "KTBRFLX",
            "Fleksløntilskud til personer",
        ];
        // Billund (530) before Aarhus (751): by code.
        assert_eq!(cells, [billund_row, aarhus_1, aarhus_2]);
        assert_eq!(rows[0].municipality_code.get(), 530);
        assert_eq!(ClaimTypeRow::HEADINGS.len(), 4);
    }
}
