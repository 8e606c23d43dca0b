//! Workshops with limited seats (the slide's "15–20 programledere,
//! repræsentativitet i forhold til indbyggertal, geografi,
//! rolleudfyldelse"): staff choose among the applicants; this only
//! suggests.
//!
//! # The suggestion
//!
//! Each applicant's municipality falls in one stratum per dimension: its
//! size band by population ([`SizeBand`]), its region, and its band of
//! role-gallery completeness ([`fill_band`]). The target of a stratum is
//! its share of the reference: the country's municipalities as the caller
//! gives them (or, given none, the applicants' own municipalities).
//!
//! Seats are filled one at a time. For the (k+1)-th seat every candidate
//! gets a score: for each dimension, how far its stratum would be below
//! its target share after k+1 seats, `reference(s) × (k+1) − chosen(s) ×
//! reference size` (an integer: the share's deficit times the reference
//! size), summed over the three dimensions. The candidate with the highest
//! score takes the seat; on a tie, the earlier application (lower id).
//! Taking the highest score is the same as taking the seat that least
//! increases the squared distance between the chosen counts and the
//! targets, summed over every stratum of the three dimensions (greedy, not
//! the global optimum): an applicant who fills gaps in several dimensions
//! at once scores highest, a stratum that has got its share stops
//! attracting seats, and the three dimensions weigh the same (so a region
//! may go without a seat when the others are better served; staff see the
//! counts per stratum and choose).
//!
//! A municipality gets a second seat only when every other applying
//! municipality has one (a large municipality with many applicants cannot
//! fill the room). The result depends only on the applicants and the
//! reference, not on the order they are given in: the same input gives
//! the same suggestion.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use samspil_domain::MunicipalityCode;

use super::MeetingError;

/// The most seats a workshop may have.
pub const MAX_SEATS: u32 = 200;

/// A municipality's facts that the representativity is measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub population: u32,
    pub region: String,
    /// Roles of the role gallery the municipality has filled, of those it
    /// must fill.
    pub roles_filled: u32,
    pub roles_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicant {
    /// The application's id; lower is earlier, which breaks ties.
    pub id: u64,
    pub municipality: MunicipalityCode,
    pub profile: Profile,
}

/// Population bands, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeBand {
    /// Under 30,000 residents.
    Small,
    /// 30,000–59,999.
    Medium,
    /// 60,000–99,999.
    Large,
    /// 100,000 and more.
    VeryLarge,
}

pub fn size_band(population: u32) -> SizeBand {
    match population {
        0..30_000 => SizeBand::Small,
        30_000..60_000 => SizeBand::Medium,
        60_000..100_000 => SizeBand::Large,
        _ => SizeBand::VeryLarge,
    }
}

/// Role-gallery completeness in three bands: 0 under 50 %, 1 from 50 % to
/// under 90 %, 2 from 90 % (a municipality with no roles to fill is 2).
pub fn fill_band(filled: u32, total: u32) -> u8 {
    if total == 0 {
        return 2;
    }
    let percent = u64::from(filled.min(total)) * 100 / u64::from(total);
    match percent {
        0..50 => 0,
        50..90 => 1,
        _ => 2,
    }
}

/// One dimension's stratum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "dimension", content = "stratum")]
pub enum Dimension {
    Size(SizeBand),
    Region(String),
    Fill(u8),
}

fn strata(p: &Profile) -> [Dimension; 3] {
    [
        Dimension::Size(size_band(p.population)),
        Dimension::Region(p.region.trim().to_owned()),
        Dimension::Fill(fill_band(p.roles_filled, p.roles_total)),
    ]
}

/// How a stratum fares in the suggestion, for the staff's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StratumCount {
    pub stratum: Dimension,
    pub chosen: usize,
    /// Municipalities of the reference in the stratum.
    pub reference: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Application ids, in the order the seats were filled.
    pub chosen: Vec<u64>,
    /// Every stratum of the reference or the chosen, in order.
    pub strata: Vec<StratumCount>,
}

/// A seat count of 1 to [`MAX_SEATS`] (a workshop's, or a meeting's if it
/// has a limit).
pub fn check_seats(seats: u32) -> Result<(), MeetingError> {
    if (1..=MAX_SEATS).contains(&seats) {
        Ok(())
    } else {
        Err(MeetingError::BadSeats {
            seats,
            max: MAX_SEATS,
        })
    }
}

/// The suggested selection of `seats` among `applicants` (all of them if
/// fewer), representative of `reference` as the module doc describes.
/// An application id given twice counts once.
pub fn suggest_selection(
    applicants: &[Applicant],
    reference: &[Profile],
    seats: u32,
) -> Result<Suggestion, MeetingError> {
    check_seats(seats)?;
    let mut pool: Vec<&Applicant> = applicants.iter().collect();
    pool.sort_by_key(|a| a.id);
    pool.dedup_by_key(|a| a.id);
    let reference: Vec<&Profile> = if reference.is_empty() {
        pool.iter().map(|a| &a.profile).collect()
    } else {
        reference.iter().collect()
    };
    let mut reference_counts: BTreeMap<Dimension, i64> = BTreeMap::new();
    for p in &reference {
        for s in strata(p) {
            *reference_counts.entry(s).or_default() += 1;
        }
    }
    let reference_size = reference.len() as i64;
    let mut chosen_counts: BTreeMap<Dimension, i64> = BTreeMap::new();
    let mut chosen: Vec<u64> = Vec::new();
    let mut seated: BTreeSet<MunicipalityCode> = BTreeSet::new();
    let mut taken: BTreeSet<u64> = BTreeSet::new();
    let seats = (seats as usize).min(pool.len());
    for k in 0..seats {
        let open: Vec<&&Applicant> = pool.iter().filter(|a| !taken.contains(&a.id)).collect();
        let fresh: Vec<&&Applicant> = open
            .iter()
            .copied()
            .filter(|a| !seated.contains(&a.municipality))
            .collect();
        let candidates = if fresh.is_empty() { open } else { fresh };
        let seat = (k + 1) as i64;
        let score = |a: &Applicant| -> i64 {
            strata(&a.profile)
                .iter()
                .map(|s| {
                    reference_counts.get(s).copied().unwrap_or(0) * seat
                        - chosen_counts.get(s).copied().unwrap_or(0) * reference_size
                })
                .sum()
        };
        // Highest score; the pool is in id order, so the first best is the
        // earliest application.
        let Some(best) = candidates
            .iter()
            .copied()
            .fold(None::<(&Applicant, i64)>, |best, a| {
                let s = score(a);
                match best {
                    Some((_, b)) if b >= s => best,
                    _ => Some((a, s)),
                }
            })
            .map(|(a, _)| a)
        else {
            break;
        };
        for s in strata(&best.profile) {
            *chosen_counts.entry(s).or_default() += 1;
        }
        chosen.push(best.id);
        taken.insert(best.id);
        seated.insert(best.municipality);
    }
    let all: BTreeSet<&Dimension> = reference_counts
        .keys()
        .chain(chosen_counts.keys())
        .collect();
    let strata = all
        .into_iter()
        .map(|s| StratumCount {
            stratum: s.clone(),
            chosen: chosen_counts.get(s).copied().unwrap_or(0) as usize,
            reference: reference_counts.get(s).copied().unwrap_or(0) as usize,
        })
        .collect();
    Ok(Suggestion { chosen, strata })
}

/// The staff's choice: applicants of the workshop, each once, no more
/// than the seats.
pub fn check_choice(
    seats: u32,
    chosen: &[u64],
    applicants: &[Applicant],
) -> Result<(), MeetingError> {
    check_seats(seats)?;
    let mut seen = BTreeSet::new();
    for id in chosen {
        if !applicants.iter().any(|a| a.id == *id) {
            return Err(MeetingError::UnknownApplicant { id: *id });
        }
        if !seen.insert(*id) {
            return Err(MeetingError::ChosenTwice { id: *id });
        }
    }
    if chosen.len() > seats as usize {
        return Err(MeetingError::TooManyChosen {
            chosen: chosen.len(),
            seats,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use samspil_domain::org::reference_organisations;

    /// The 98 municipalities with their real regions; populations and role
    /// filling made up but spread (the population data lives outside the
    /// crate).
    fn country() -> Vec<(MunicipalityCode, Profile)> {
        reference_organisations()
            .into_iter()
            .filter_map(|o| Some((o.code?, o.region?)))
            .enumerate()
            .map(|(i, (code, region))| {
                let population = [18_000, 42_000, 75_000, 210_000][i % 4];
                let roles_filled = [3, 7, 10][i % 3];
                (
                    code,
                    Profile {
                        population,
                        region,
                        roles_filled,
                        roles_total: 10,
                    },
                )
            })
            .collect()
    }

    fn applicant(id: u64, (code, profile): &(MunicipalityCode, Profile)) -> Applicant {
        Applicant {
            id,
            municipality: *code,
            profile: profile.clone(),
        }
    }

    #[test]
    fn bands_are_as_documented() {
        assert_eq!(size_band(1_789), SizeBand::Small);
        assert_eq!(size_band(30_000), SizeBand::Medium);
        assert_eq!(size_band(99_999), SizeBand::Large);
        assert_eq!(size_band(653_664), SizeBand::VeryLarge);
        assert_eq!(
            (
                fill_band(4, 10),
                fill_band(5, 10),
                fill_band(9, 10),
                fill_band(0, 0)
            ),
            (0, 1, 2, 2)
        );
        assert_eq!(fill_band(12, 10), 2);
    }

    /// Ten applicants from the capital region apply first, then one from
    /// each other region; `same` gives them all one size and filling.
    fn capital_first(country: &[(MunicipalityCode, Profile)], same: bool) -> Vec<Applicant> {
        let mut applicants: Vec<Applicant> = country
            .iter()
            .filter(|(_, p)| p.region == "Region Hovedstaden")
            .take(10)
            .enumerate()
            .map(|(i, m)| applicant(i as u64, m))
            .collect();
        for (i, region) in [
            "Region Nordjylland",
            "Region Midtjylland",
            "Region Syddanmark",
            "Region Sjælland",
        ]
        .iter()
        .enumerate()
        {
            let m = country
                .iter()
                .find(|(_, p)| p.region == *region)
                .expect("a municipality");
            applicants.push(applicant(100 + i as u64, m));
        }
        if same {
            for a in &mut applicants {
                a.profile.population = 50_000;
                a.profile.roles_filled = 10;
            }
        }
        applicants
    }

    /// The sum over every stratum of (chosen − seats × share)², times the
    /// reference size squared: what the greedy steps keep small.
    fn deviation(chosen: &[&Profile], reference: &[Profile]) -> i64 {
        let r = reference.len() as i64;
        let mut target: BTreeMap<Dimension, i64> = BTreeMap::new();
        let mut got: BTreeMap<Dimension, i64> = BTreeMap::new();
        for p in reference {
            for s in strata(p) {
                *target.entry(s).or_default() += chosen.len() as i64;
            }
        }
        for p in chosen {
            for s in strata(p) {
                *got.entry(s).or_default() += r;
            }
        }
        let keys: BTreeSet<&Dimension> = target.keys().chain(got.keys()).collect();
        keys.into_iter()
            .map(|k| {
                let d = got.get(k).copied().unwrap_or(0) - target.get(k).copied().unwrap_or(0);
                d * d
            })
            .sum()
    }

    #[test]
    fn with_size_and_filling_alike_five_seats_go_one_to_each_region() {
        let country = country();
        let reference: Vec<Profile> = country.iter().map(|(_, p)| p.clone()).collect();
        let applicants = capital_first(&country, true);
        let s = suggest_selection(&applicants, &reference, 5).expect("valid");
        // Largest shares first: Hovedstaden 29, Syddanmark 22, Midtjylland
        // 19, Sjælland 17, Nordjylland 11 of 98.
        assert_eq!(s.chosen, [0, 102, 101, 103, 100]);
        let capital = s
            .strata
            .iter()
            .find(|c| c.stratum == Dimension::Region("Region Hovedstaden".into()))
            .expect("a stratum");
        assert_eq!((capital.chosen, capital.reference), (1, 29));
    }

    #[test]
    fn the_suggestion_is_more_representative_than_first_come() {
        let country = country();
        let reference: Vec<Profile> = country.iter().map(|(_, p)| p.clone()).collect();
        let applicants = capital_first(&country, false);
        let s = suggest_selection(&applicants, &reference, 5).expect("valid");
        let profile = |id: &u64| {
            &applicants
                .iter()
                .find(|a| a.id == *id)
                .expect("chosen")
                .profile
        };
        let suggested: Vec<&Profile> = s.chosen.iter().map(profile).collect();
        let first_come: Vec<&Profile> = applicants.iter().take(5).map(|a| &a.profile).collect();
        assert!(deviation(&suggested, &reference) < deviation(&first_come, &reference));
        let capital = suggested
            .iter()
            .filter(|p| p.region == "Region Hovedstaden")
            .count();
        assert!(capital <= 2, "29/98 of 5 seats is 1.5: {s:?}");
    }

    #[test]
    fn a_municipality_gets_a_second_seat_only_when_the_others_have_one() {
        let country = country();
        let applicants = vec![
            applicant(1, &country[0]),
            applicant(2, &country[0]),
            applicant(3, &country[0]),
            applicant(4, &country[50]),
        ];
        let s = suggest_selection(&applicants, &[], 3).expect("valid");
        assert_eq!(s.chosen.len(), 3);
        assert!(s.chosen[..2].contains(&4), "{s:?}");
        assert_eq!(
            suggest_selection(&applicants, &[], 10)
                .expect("valid")
                .chosen
                .len(),
            4
        );
        assert_eq!(
            suggest_selection(&[], &[], 5).expect("valid").chosen,
            Vec::<u64>::new()
        );
        assert_eq!(
            suggest_selection(&applicants, &[], 0)
                .expect_err("refused")
                .code(),
            "bad_seats"
        );
    }

    #[test]
    fn the_staffs_choice_is_checked() {
        let country = country();
        let applicants: Vec<Applicant> =
            (0..3).map(|i| applicant(i, &country[i as usize])).collect();
        assert!(check_choice(2, &[0, 2], &applicants).is_ok());
        assert_eq!(
            check_choice(2, &[0, 9], &applicants)
                .expect_err("refused")
                .code(),
            "unknown_applicant"
        );
        assert_eq!(
            check_choice(2, &[0, 0], &applicants)
                .expect_err("refused")
                .code(),
            "chosen_twice"
        );
        assert_eq!(
            check_choice(2, &[0, 1, 2], &applicants)
                .expect_err("refused")
                .code(),
            "too_many_chosen"
        );
        assert_eq!(
            check_choice(201, &[], &applicants)
                .expect_err("refused")
                .code(),
            "bad_seats"
        );
    }

    proptest! {
        #[test]
        fn the_suggestion_is_deterministic_whole_and_spread(
            picks in proptest::collection::vec((0usize..98, 0u32..300_000, 0u32..12), 0..60),
            seats in 1u32..25,
            rotate in 0usize..60,
        ) {
            let country = country();
            let reference: Vec<Profile> = country.iter().map(|(_, p)| p.clone()).collect();
            let applicants: Vec<Applicant> = picks
                .iter()
                .enumerate()
                .map(|(i, (m, population, filled))| Applicant {
                    id: i as u64,
                    municipality: country[*m].0,
                    profile: Profile { population: *population, roles_filled: *filled, ..country[*m].1.clone() },
                })
                .collect();
            let s = suggest_selection(&applicants, &reference, seats).expect("valid");
            prop_assert_eq!(s.chosen.len(), applicants.len().min(seats as usize));
            let distinct: BTreeSet<u64> = s.chosen.iter().copied().collect();
            prop_assert_eq!(distinct.len(), s.chosen.len());
            let municipalities: BTreeSet<MunicipalityCode> = applicants.iter().map(|a| a.municipality).collect();
            let seated: BTreeSet<MunicipalityCode> = s
                .chosen
                .iter()
                .map(|id| applicants[*id as usize].municipality)
                .collect();
            prop_assert_eq!(seated.len(), municipalities.len().min(s.chosen.len()));
            let mut shuffled = applicants.clone();
            if !shuffled.is_empty() {
                let by = rotate % shuffled.len();
                shuffled.rotate_left(by);
                shuffled.reverse();
            }
            prop_assert_eq!(&suggest_selection(&shuffled, &reference, seats).expect("valid"), &s);
            prop_assert!(check_choice(seats, &s.chosen, &applicants).is_ok());
        }
    }
}
