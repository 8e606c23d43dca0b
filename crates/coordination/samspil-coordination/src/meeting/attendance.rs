//! Attendance after a meeting: "59 kommuner (75 deltagere)" and the
//! municipalities that were not there.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use samspil_domain::MunicipalityCode;

/// One line of the attendance list (typed by staff or read from the
/// meeting service's report): who came, and from which municipality
/// (none for the community's own staff and guests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub municipality: Option<MunicipalityCode>,
    /// The person: a user id, an e-mail address or a name, as the list
    /// gives it; compared trimmed and without case, so a person who joined
    /// twice counts once.
    pub person: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceSummary {
    /// Municipalities with at least one participant.
    pub municipalities: usize,
    /// Distinct people from the municipalities.
    pub participants: usize,
    /// Participants per municipality, by code.
    pub per_municipality: Vec<(MunicipalityCode, usize)>,
    /// Distinct people from no municipality (not in the slide's figures).
    pub others: usize,
}

fn person_key(person: &str) -> Option<String> {
    let key = person.trim().to_lowercase();
    (!key.is_empty()).then_some(key)
}

/// The summary of the rows; rows without a person are ignored. A person
/// listed under two municipalities counts under each (it happens when
/// someone works for two), once in the total.
pub fn summarise(rows: &[AttendanceRow]) -> AttendanceSummary {
    let mut by_municipality: BTreeMap<MunicipalityCode, BTreeSet<String>> = BTreeMap::new();
    let mut participants: BTreeSet<String> = BTreeSet::new();
    let mut others: BTreeSet<String> = BTreeSet::new();
    for row in rows {
        let Some(person) = person_key(&row.person) else {
            continue;
        };
        match row.municipality {
            Some(code) => {
                by_municipality
                    .entry(code)
                    .or_default()
                    .insert(person.clone());
                participants.insert(person);
            }
            None => {
                others.insert(person);
            }
        }
    }
    let others = others.difference(&participants).count();
    AttendanceSummary {
        municipalities: by_municipality.len(),
        participants: participants.len(),
        per_municipality: by_municipality
            .into_iter()
            .map(|(code, people)| (code, people.len()))
            .collect(),
        others,
    }
}

/// The municipalities of `all` without a participant, in `all`'s order.
pub fn absent_municipalities(
    all: &[MunicipalityCode],
    summary: &AttendanceSummary,
) -> Vec<MunicipalityCode> {
    let present: BTreeSet<MunicipalityCode> =
        summary.per_municipality.iter().map(|(c, _)| *c).collect();
    all.iter()
        .filter(|c| !present.contains(c))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use samspil_domain::org::reference_organisations;

    /// The first list of the June 2023 programme-manager meeting (seed
    /// `002_…`, 22 June 2023): "59 kommuner (75 deltagere)".
    const JUNE_22: &[&str] = &[
        "Albertslund",
        "Allerød",
        "Ballerup",
        "Billund",
        "Bornholm",
        "Brøndby",
        "Brønderslev",
        "Egedal",
        "Esbjerg",
        "Favrskov",
        "Fredericia",
        "Frederiksberg",
        "Frederikshavn",
        "Frederikssund",
        "Furesø",
        "Gladsaxe",
        "Glostrup",
        "Gribskov",
        "Guldborgsund",
        "Haderslev",
        "Helsingør",
        "Herlev",
        "Herning",
        "Hillerød",
        "Hjørring",
        "Holbæk",
        "Hvidovre",
        "Høje-Taastrup",
        "Ishøj",
        "Jammerbugt",
        "Kalundborg",
        "Kolding",
        "København",
        "Langeland",
        "Lemvig",
        "Lyngby-Taarbæk",
        "Læsø",
        "Morsø",
        "Nyborg",
        "Odense",
        "Randers",
        "Rebild",
        "Ringkøbing-Skjern",
        "Ringsted",
        "Silkeborg",
        "Skive",
        "Solrød",
        "Sorø",
        "Struer",
        "Svendborg",
        "Syddjurs",
        "Sønderborg",
        "Tårnby",
        "Vallensbæk",
        "Varde",
        "Vejle",
        "Vesthimmerlands",
        "Aalborg",
        "Aarhus",
    ];

    /// The second list (23 June 2023): "38 kommuner (43 deltagere)".
    const JUNE_23: &[&str] = &[
        "Billund",
        "Bornholm",
        "Dragør",
        "Esbjerg",
        "Favrskov",
        "Fredensborg",
        "Frederiksberg",
        "Frederikssund",
        "Furesø",
        "Gentofte",
        "Greve",
        "Gribskov",
        "Halsnæs",
        "Hedensted",
        "Helsingør",
        "Hillerød",
        "Holbæk",
        "Holstebro",
        "Hørsholm",
        "Ishøj",
        "Jammerbugt",
        "Køge",
        "Lejre",
        "Lolland",
        "Mariagerfjord",
        "Middelfart",
        "Norddjurs",
        "Nordfyns",
        "Næstved",
        "Ringkøbing-Skjern",
        "Roskilde",
        "Rudersdal",
        "Skanderborg",
        "Slagelse",
        "Thisted",
        "Tønder",
        "Vesthimmerlands",
        "Vordingborg",
    ];

    fn code_of(name: &str) -> MunicipalityCode {
        reference_organisations()
            .into_iter()
            .find(|o| o.name == name)
            .and_then(|o| o.code)
            .expect("a municipality of the list")
    }

    fn all_codes() -> Vec<MunicipalityCode> {
        reference_organisations()
            .into_iter()
            .filter_map(|o| o.code)
            .collect()
    }

    /// The slides give only the totals per list, so the participants are
    /// spread: the first `extra` municipalities sent two people. Each
    /// municipality's first person also appears a second time (they joined
    /// twice), and two of the community's staff are there.
    fn rows(names: &[&str], participants: usize) -> Vec<AttendanceRow> {
        let extra = participants - names.len();
        let mut rows = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let code = Some(code_of(name));
            let count = if i < extra { 2 } else { 1 };
            for p in 0..count {
                rows.push(AttendanceRow {
                    municipality: code,
                    person: format!("{name}-{p}@x.dk"),
                });
            }
            rows.push(AttendanceRow {
                municipality: code,
                person: format!(" {}-0@X.DK ", name.to_uppercase()),
            });
        }
        for staff in ["bme@kombit.dk", "mvp@kombit.dk", "BME@kombit.dk"] {
            rows.push(AttendanceRow {
                municipality: None,
                person: staff.into(),
            });
        }
        rows.push(AttendanceRow {
            municipality: None,
            person: "  ".into(),
        });
        rows
    }

    #[test]
    fn fifty_nine_municipalities_and_seventy_five_participants() {
        let s = summarise(&rows(JUNE_22, 75));
        assert_eq!((s.municipalities, s.participants, s.others), (59, 75, 2));
        let absent = absent_municipalities(&all_codes(), &s);
        assert_eq!(absent.len(), 98 - 59);
        assert!(absent.contains(&code_of("Gentofte")));
        assert!(!absent.contains(&code_of("Aalborg")));
    }

    #[test]
    fn thirty_eight_municipalities_and_forty_three_participants() {
        let s = summarise(&rows(JUNE_23, 43));
        assert_eq!((s.municipalities, s.participants), (38, 43));
        assert_eq!(absent_municipalities(&all_codes(), &s).len(), 60);
        let two: usize = s.per_municipality.iter().filter(|(_, n)| *n == 2).count();
        assert_eq!(two, 5);
    }

    #[test]
    fn a_person_under_two_municipalities_counts_once_in_the_total() {
        let a = Some(code_of("Aarhus"));
        let b = Some(code_of("Odense"));
        let s = summarise(&[
            AttendanceRow {
                municipality: a,
                person: "x@y.dk".into(),
            },
            AttendanceRow {
                municipality: b,
                person: "X@y.dk".into(),
            },
            AttendanceRow {
                municipality: None,
                person: "x@y.dk".into(),
            },
        ]);
        assert_eq!((s.municipalities, s.participants, s.others), (2, 1, 0));
        assert_eq!(summarise(&[]).municipalities, 0);
    }
}
