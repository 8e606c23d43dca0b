//! The state of one municipality on one area, derived from its step tasks'
//! statuses, the area's stop dates, and the gap per area.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Date, Duration, Month};

use samspil_domain::MunicipalityCode;

use super::PipelineError;
use super::steps::{Pipeline, Statuses, StepKey};
use crate::task::TaskStatus;

/// Where a municipality is with an area. Ordered: a municipality only moves
/// forward through these as its steps move forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaState {
    /// None of the municipality's own steps has started.
    NotStarted,
    /// Some of its own steps have started, not all are done.
    Started,
    /// Every step the municipality answers for is done: the area's stop
    /// date (A) is set.
    Done,
    /// Every step of the pipeline is done, the community's final readiness
    /// and closing (B) too.
    Closed,
}

impl AreaState {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaState::NotStarted => "not_started",
            AreaState::Started => "started",
            AreaState::Done => "done",
            AreaState::Closed => "closed",
        }
    }

    /// Done in the sense of the slides' "fuldført alle opgaver".
    pub fn is_done(self) -> bool {
        self >= AreaState::Done
    }
}

fn status_of(statuses: &Statuses, key: &StepKey) -> TaskStatus {
    statuses.get(key).copied().unwrap_or(TaskStatus::NotStarted)
}

/// The derived state. Steps missing from `statuses` have not started;
/// statuses of keys not in the pipeline are ignored. The municipality's
/// own steps decide *Påbegyndt* and *Fuldført*; *Closed* needs every step.
/// (A pipeline without municipality steps is *Fuldført* from the start.)
pub fn derived_state(pipeline: &Pipeline, statuses: &Statuses) -> AreaState {
    if pipeline
        .steps()
        .iter()
        .all(|s| status_of(statuses, &s.key) == TaskStatus::Completed)
    {
        return AreaState::Closed;
    }
    let own: Vec<TaskStatus> = pipeline
        .municipality_steps()
        .map(|s| status_of(statuses, &s.key))
        .collect();
    if own.iter().all(|s| *s == TaskStatus::Completed) {
        AreaState::Done
    } else if own.iter().any(|s| *s != TaskStatus::NotStarted) {
        AreaState::Started
    } else {
        AreaState::NotStarted
    }
}

/// The day the municipality finished its own steps: the latest completion
/// day among them, when every one has one; `None` while any is not done.
pub fn municipality_done_on(
    pipeline: &Pipeline,
    completed_on: &BTreeMap<StepKey, Date>,
) -> Option<Date> {
    let mut last: Option<Date> = None;
    for step in pipeline.municipality_steps() {
        let day = *completed_on.get(&step.key)?;
        last = Some(last.map_or(day, |l| l.max(day)));
    }
    last
}

/// The longest supplementary reporting period (the slides' example is 3
/// months).
pub const MAX_SUPPLEMENTARY_MONTHS: u8 = 24;

/// A. Stop new claims to DMI for the area: from the day after the
/// municipality finished its steps no new claim of the area goes to DMI;
/// claims from before may still be reported during the supplementary
/// period, which ends on the close date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StopDates {
    pub stop_new_claims_from: Date,
    /// The last day of the supplementary reporting period.
    pub close_on: Date,
}

/// The stop and close dates for a municipality done on `done_on` with a
/// supplementary period of `months` (the close date is the same day of
/// the month `months` later, or that month's last day, minus one day: a
/// 3-month period from 1 July closes on 30 September).
pub fn stop_dates(done_on: Date, months: u8) -> Result<StopDates, PipelineError> {
    if months > MAX_SUPPLEMENTARY_MONTHS {
        return Err(PipelineError::BadSupplementaryPeriod {
            months,
            max: MAX_SUPPLEMENTARY_MONTHS,
        });
    }
    let stop = done_on.next_day().unwrap_or(done_on);
    let close = add_months(stop, months)
        .and_then(|d| d.checked_sub(Duration::days(1)))
        .unwrap_or(stop)
        .max(stop);
    Ok(StopDates {
        stop_new_claims_from: stop,
        close_on: close,
    })
}

fn add_months(day: Date, months: u8) -> Option<Date> {
    let zero_based = day.month() as i32 - 1 + i32::from(months);
    let year = day.year() + zero_based.div_euclid(12);
    let month = Month::try_from(u8::try_from(zero_based.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).ok()
}

/// The municipalities not done with an area, for "N kommuner mangler
/// fortsat at fuldføre alle opgaver på fagområdet X".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaGap {
    pub area: String,
    /// The municipalities counted.
    pub total: usize,
    pub done: usize,
    /// Not done, by code.
    pub not_done: Vec<MunicipalityCode>,
}

impl AreaGap {
    pub fn not_done_count(&self) -> usize {
        self.not_done.len()
    }
}

/// The gap of `area` from each municipality's state; a municipality listed
/// twice counts once, with the furthest state given.
pub fn area_gap(area: &str, states: &[(MunicipalityCode, AreaState)]) -> AreaGap {
    let mut by_code: BTreeMap<MunicipalityCode, AreaState> = BTreeMap::new();
    for (code, state) in states {
        let entry = by_code.entry(*code).or_insert(*state);
        *entry = (*entry).max(*state);
    }
    let not_done: Vec<MunicipalityCode> = by_code
        .iter()
        .filter(|(_, s)| !s.is_done())
        .map(|(c, _)| *c)
        .collect();
    AreaGap {
        area: area.to_owned(),
        total: by_code.len(),
        done: by_code.len() - not_done.len(),
        not_done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::steps::StepActor;
    use proptest::prelude::*;
    use time::macros::date;

    fn bibliotek() -> Pipeline {
        let m = StepActor::Municipality;
        Pipeline::ordered(
            "Bibliotek",
            &[
                ("BiBo1", "Lokalisér relevante fordringstyper", m),
                ("BiBo2", "Oplysning om fagløsning (systemanvendelse)", m),
                (
                    "BiBo3",
                    "Gennemfør nulsums-test eller meld at kommunen allerede anvender",
                    m,
                ),
                ("A", "Stop nye fordringer i DMI", StepActor::Community),
            ],
        )
        .expect("valid")
    }

    fn key(k: &str) -> StepKey {
        StepKey::new(k).expect("valid")
    }

    #[test]
    fn the_state_follows_the_municipalitys_own_steps() {
        let p = bibliotek();
        let mut s = Statuses::new();
        assert_eq!(derived_state(&p, &s), AreaState::NotStarted);
        s.insert(key("BiBo1"), TaskStatus::Started);
        assert_eq!(derived_state(&p, &s), AreaState::Started);
        s.insert(key("BiBo1"), TaskStatus::Completed);
        s.insert(key("BiBo2"), TaskStatus::Completed);
        assert_eq!(derived_state(&p, &s), AreaState::Started);
        s.insert(key("BiBo3"), TaskStatus::Completed);
        assert_eq!(derived_state(&p, &s), AreaState::Done);
        s.insert(key("A"), TaskStatus::Completed);
        assert_eq!(derived_state(&p, &s), AreaState::Closed);
        s.insert(key("not-a-step"), TaskStatus::NotStarted);
        assert_eq!(derived_state(&p, &s), AreaState::Closed);
    }

    #[test]
    fn the_stop_date_is_set_only_when_all_the_municipalitys_steps_are_done() {
        let p = bibliotek();
        let mut done = BTreeMap::new();
        done.insert(key("BiBo1"), date!(2023 - 05 - 30));
        done.insert(key("BiBo2"), date!(2023 - 06 - 06));
        assert_eq!(municipality_done_on(&p, &done), None);
        done.insert(key("BiBo3"), date!(2023 - 06 - 02));
        let on = municipality_done_on(&p, &done).expect("valid");
        assert_eq!(on, date!(2023 - 06 - 06));
        let dates = stop_dates(date!(2023 - 06 - 30), 3).expect("valid");
        assert_eq!(dates.stop_new_claims_from, date!(2023 - 07 - 01));
        assert_eq!(dates.close_on, date!(2023 - 09 - 30));
        let no_period = stop_dates(on, 0).expect("valid");
        assert_eq!(no_period.close_on, no_period.stop_new_claims_from);
        let end_of_month = stop_dates(date!(2023 - 12 - 30), 2).expect("valid");
        assert_eq!(end_of_month.stop_new_claims_from, date!(2023 - 12 - 31));
        assert_eq!(end_of_month.close_on, date!(2024 - 02 - 28));
        assert_eq!(
            stop_dates(on, 25).expect_err("refused").code(),
            "bad_supplementary_period"
        );
    }

    #[test]
    fn twenty_nine_municipalities_are_missing_on_bibliotek() {
        // The slides of 21 June 2023: 29 of the 98 had not completed
        // BiBo1–BiBo3.
        let codes: Vec<MunicipalityCode> = samspil_domain::org::reference_organisations()
            .into_iter()
            .filter_map(|o| o.code)
            .collect();
        assert_eq!(codes.len(), 98);
        let p = bibliotek();
        let states: Vec<(MunicipalityCode, AreaState)> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut s = Statuses::new();
                let done_steps = if i < 69 { 3 } else { i % 3 };
                for k in ["BiBo1", "BiBo2", "BiBo3"].iter().take(done_steps) {
                    s.insert(key(k), TaskStatus::Completed);
                }
                (*c, derived_state(&p, &s))
            })
            .collect();
        let gap = area_gap("Bibliotek", &states);
        assert_eq!(gap.not_done_count(), 29);
        assert_eq!(gap.done, 69);
        assert_eq!(gap.total, 98);
        let mut expected = codes[69..].to_vec();
        expected.sort();
        assert_eq!(gap.not_done, expected);
    }

    #[test]
    fn a_municipality_listed_twice_counts_once_with_its_furthest_state() {
        let c = MunicipalityCode::new(101).expect("valid");
        let gap = area_gap("x", &[(c, AreaState::Started), (c, AreaState::Done)]);
        assert_eq!((gap.total, gap.done, gap.not_done_count()), (1, 1, 0));
    }

    fn status() -> impl Strategy<Value = TaskStatus> {
        prop_oneof![
            Just(TaskStatus::NotStarted),
            Just(TaskStatus::Started),
            Just(TaskStatus::Completed)
        ]
    }

    proptest! {
        #[test]
        fn the_state_never_goes_back_as_steps_move_forward(
            before in proptest::collection::vec(status(), 4),
            raise in proptest::collection::vec(status(), 4),
        ) {
            let p = bibliotek();
            let keys = ["BiBo1", "BiBo2", "BiBo3", "A"];
            let earlier: Statuses = keys.iter().zip(&before).map(|(k, s)| (key(k), *s)).collect();
            let later: Statuses = keys
                .iter()
                .zip(before.iter().zip(&raise))
                .map(|(k, (b, r))| (key(k), (*b).max(*r)))
                .collect();
            prop_assert!(derived_state(&p, &earlier) <= derived_state(&p, &later));
        }

        #[test]
        fn the_gap_and_the_done_add_up(states in proptest::collection::vec(0u8..4, 0..98)) {
            let rows: Vec<(MunicipalityCode, AreaState)> = states
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let state = [AreaState::NotStarted, AreaState::Started, AreaState::Done, AreaState::Closed][*s as usize];
                    (MunicipalityCode::new(101 + i as u16).expect("valid"), state)
                })
                .collect();
            let gap = area_gap("x", &rows);
            prop_assert_eq!(gap.done + gap.not_done_count(), rows.len());
            prop_assert_eq!(gap.not_done_count(), states.iter().filter(|s| **s < 2).count());
        }

        #[test]
        fn the_close_date_is_never_before_the_stop(days in 0i64..40_000, months in 0u8..=24) {
            let done = date!(1990 - 01 - 01) + Duration::days(days);
            let d = stop_dates(done, months).expect("valid");
            prop_assert!(d.stop_new_claims_from > done);
            prop_assert!(d.close_on >= d.stop_new_claims_from);
        }
    }
}
