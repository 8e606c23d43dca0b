//! The one place a link's time is counted: a stopwatch that starts when a
//! link is made, pauses while the receiver waits for information from the
//! sender (that time is not counted), resumes when the answer comes, and
//! stops when the receiver has done what the clock measures (responded,
//! resolved). A deadline is the instant the counted time reaches the
//! agreement's target; a breach is counted time beyond it.
//!
//! Time enters as a parameter: every event and every question takes the
//! instant (`now`) from the caller, so the rules never read a clock. What
//! is counted of the running time is the agreement's [`ServiceHours`]:
//! every second, or only business hours.

use time::{Duration, OffsetDateTime};

use super::{IncidentError, ServiceHours};

/// A closed pause: `from` until `until`, not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pause {
    from: OffsetDateTime,
    until: OffsetDateTime,
}

/// A clock that counts a link's time for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopwatch {
    started: OffsetDateTime,
    pauses: Vec<Pause>,
    paused_since: Option<OffsetDateTime>,
    stopped_at: Option<OffsetDateTime>,
    last_event: OffsetDateTime,
    hours: ServiceHours,
}

/// Where a clock stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStatus {
    /// Counting: the target is reached at `deadline`.
    Running { deadline: OffsetDateTime },
    /// Waiting for information: `remaining` of the target is left (negative
    /// when the target was passed before the pause).
    Paused { remaining: Duration },
    /// Done: `counted` is the time it took.
    Stopped { counted: Duration },
}

impl Stopwatch {
    /// A clock counting calendar hours from `at`.
    pub fn start(at: OffsetDateTime) -> Stopwatch {
        Stopwatch::start_in(at, ServiceHours::Calendar)
    }

    /// A clock counting `hours` from `at`.
    pub fn start_in(at: OffsetDateTime, hours: ServiceHours) -> Stopwatch {
        Stopwatch {
            started: at,
            pauses: Vec::new(),
            paused_since: None,
            stopped_at: None,
            last_event: at,
            hours,
        }
    }

    pub fn hours(&self) -> &ServiceHours {
        &self.hours
    }

    pub fn started(&self) -> OffsetDateTime {
        self.started
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped_at.is_some()
    }

    pub fn stopped_at(&self) -> Option<OffsetDateTime> {
        self.stopped_at
    }

    pub fn paused_since(&self) -> Option<OffsetDateTime> {
        self.paused_since
    }

    /// The pauses that have ended, in order, as (from, until).
    pub fn closed_pauses(&self) -> impl Iterator<Item = (OffsetDateTime, OffsetDateTime)> + '_ {
        self.pauses.iter().map(|p| (p.from, p.until))
    }

    fn event(&mut self, at: OffsetDateTime) -> Result<(), IncidentError> {
        if at < self.last_event {
            return Err(IncidentError::TimeGoesBackwards);
        }
        self.last_event = at;
        Ok(())
    }

    /// Stops counting at `at` (the link waits for information).
    pub fn pause(&mut self, at: OffsetDateTime) -> Result<(), IncidentError> {
        if self.is_paused() || self.is_stopped() {
            return Err(IncidentError::ClockState);
        }
        self.event(at)?;
        self.paused_since = Some(at);
        Ok(())
    }

    /// Counts again from `at`; the pause is not counted.
    pub fn resume(&mut self, at: OffsetDateTime) -> Result<(), IncidentError> {
        let Some(from) = self.paused_since else {
            return Err(IncidentError::ClockState);
        };
        self.event(at)?;
        self.pauses.push(Pause { from, until: at });
        self.paused_since = None;
        Ok(())
    }

    /// Done at `at`; a pause in progress ends there.
    pub fn stop(&mut self, at: OffsetDateTime) -> Result<(), IncidentError> {
        if self.is_stopped() {
            return Err(IncidentError::ClockState);
        }
        if self.is_paused() {
            self.resume(at)?;
        }
        self.event(at)?;
        self.stopped_at = Some(at);
        Ok(())
    }

    /// Counts again after a stop (a resolved link reopened): the stopped
    /// time is not counted, as a pause is not.
    pub fn restart(&mut self, at: OffsetDateTime) -> Result<(), IncidentError> {
        let Some(from) = self.stopped_at else {
            return Err(IncidentError::ClockState);
        };
        self.event(at)?;
        self.pauses.push(Pause { from, until: at });
        self.stopped_at = None;
        Ok(())
    }

    /// The wall-clock stretches the clock ran, in order: from the start
    /// to the first pause, between pauses, and from the last pause on —
    /// up to `end` when given (an open pause ends there), else the last
    /// stretch open-ended (`None`) and an open pause ending at `now`.
    fn running(
        &self,
        now: OffsetDateTime,
        end: Option<OffsetDateTime>,
    ) -> Vec<(OffsetDateTime, Option<OffsetDateTime>)> {
        let open = self.paused_since.map(|from| Pause {
            from,
            until: end.unwrap_or(now).max(from),
        });
        let mut stretches = Vec::new();
        let mut cursor = self.started;
        for pause in self.pauses.iter().chain(open.iter()) {
            stretches.push((cursor, Some(pause.from)));
            cursor = pause.until;
        }
        stretches.push((cursor, None));
        match end {
            Some(end) => stretches
                .into_iter()
                .filter(|(from, _)| *from < end)
                .map(|(from, until)| (from, Some(until.map_or(end, |u| u.min(end)))))
                .collect(),
            None => stretches,
        }
    }

    /// Where counting stops when asked at `now`: `now`, or the stop.
    fn end(&self, now: OffsetDateTime) -> OffsetDateTime {
        self.stopped_at.map_or(now, |stop| stop.min(now))
    }

    /// The time counted up to `now`: since the start, without pauses, only
    /// until the stop, and only in the service hours. Never negative (zero
    /// before the start).
    pub fn counted(&self, now: OffsetDateTime) -> Duration {
        self.running(now, Some(self.end(now)))
            .into_iter()
            .map(|(from, until)| self.hours.between(from, until.unwrap_or(from)))
            .sum()
    }

    /// The instant the counted time reaches `target`, if the clock runs
    /// from `now` on without another pause: fixed while it runs, moving
    /// with `now` while it is paused before reaching the target. A stop
    /// does not move it (a stopped clock's deadline is the one it had).
    pub fn deadline(&self, target: Duration, now: OffsetDateTime) -> OffsetDateTime {
        let mut remaining = target.max(Duration::ZERO);
        let mut last = self.started;
        for (from, until) in self.running(now, None) {
            last = from;
            let Some(until) = until else { break };
            let counted = self.hours.between(from, until);
            if remaining <= counted {
                return self.hours.advance(from, remaining);
            }
            remaining -= counted;
        }
        self.hours.advance(last, remaining)
    }

    /// Whether the clock ran past its deadline by `now`: it counted more
    /// than `target`, or reached it exactly and kept running after (in
    /// closed business hours nothing is counted, yet the deadline has
    /// passed). Reaching the deadline exactly is no breach.
    pub fn breached(&self, target: Duration, now: OffsetDateTime) -> bool {
        let mut remaining = target.max(Duration::ZERO);
        let mut reached = false;
        for (from, until) in self.running(now, Some(self.end(now))) {
            let until = until.unwrap_or(from);
            if until <= from {
                continue;
            }
            if reached {
                return true;
            }
            let counted = self.hours.between(from, until);
            if counted > remaining {
                return true;
            }
            if counted == remaining {
                if until > self.hours.advance(from, remaining) {
                    return true;
                }
                reached = true;
            }
            remaining -= counted;
        }
        false
    }

    pub fn status(&self, target: Duration, now: OffsetDateTime) -> ClockStatus {
        if self.is_stopped() {
            ClockStatus::Stopped {
                counted: self.counted(now),
            }
        } else if self.is_paused() {
            ClockStatus::Paused {
                remaining: target - self.counted(now),
            }
        } else {
            ClockStatus::Running {
                deadline: self.deadline(target, now),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::incident::fixtures::{FakeClock, at};

    const HOUR: Duration = Duration::HOUR;

    #[test]
    fn a_running_clock_counts_calendar_time_and_breaches_after_its_deadline() {
        let clock = FakeClock::at(at(9, 0));
        let w = Stopwatch::start(clock.now());
        assert_eq!(w.deadline(4 * HOUR, clock.now()), at(13, 0));
        clock.advance(4 * HOUR);
        assert_eq!(w.counted(clock.now()), 4 * HOUR);
        assert!(
            !w.breached(4 * HOUR, clock.now()),
            "reaching the deadline is no breach"
        );
        clock.advance(Duration::SECOND);
        assert!(w.breached(4 * HOUR, clock.now()));
        assert_eq!(
            w.status(4 * HOUR, clock.now()),
            ClockStatus::Running {
                deadline: at(13, 0)
            }
        );
    }

    #[test]
    fn time_paused_is_not_counted_and_moves_the_deadline() {
        let clock = FakeClock::at(at(9, 0));
        let mut w = Stopwatch::start(clock.now());
        clock.advance(HOUR);
        w.pause(clock.now()).expect("pause");
        clock.advance(2 * HOUR);
        // While paused the deadline moves with now, the count stands still.
        assert_eq!(w.counted(clock.now()), HOUR);
        assert_eq!(w.deadline(4 * HOUR, clock.now()), at(15, 0));
        assert_eq!(
            w.status(4 * HOUR, clock.now()),
            ClockStatus::Paused {
                remaining: 3 * HOUR
            }
        );
        w.resume(clock.now()).expect("resume");
        assert_eq!(w.deadline(4 * HOUR, clock.now()), at(15, 0));
        clock.advance(3 * HOUR);
        assert!(!w.breached(4 * HOUR, clock.now()));
        clock.advance(Duration::MINUTE);
        assert!(w.breached(4 * HOUR, clock.now()));
    }

    #[test]
    fn a_pause_at_the_start_and_a_pause_of_no_length() {
        let mut w = Stopwatch::start(at(9, 0));
        w.pause(at(9, 0)).expect("pause at start");
        w.resume(at(10, 0)).expect("resume");
        w.pause(at(11, 0)).expect("pause");
        w.resume(at(11, 0)).expect("zero pause");
        assert_eq!(w.counted(at(12, 0)), 2 * HOUR);
        assert_eq!(w.deadline(4 * HOUR, at(12, 0)), at(14, 0));
    }

    #[test]
    fn a_pause_after_the_deadline_does_not_undo_the_breach() {
        let mut w = Stopwatch::start(at(9, 0));
        w.pause(at(14, 0)).expect("pause");
        assert!(w.breached(4 * HOUR, at(16, 0)));
        assert_eq!(w.deadline(4 * HOUR, at(16, 0)), at(13, 0));
        assert_eq!(
            w.status(4 * HOUR, at(16, 0)),
            ClockStatus::Paused { remaining: -HOUR }
        );
    }

    #[test]
    fn stopping_fixes_the_count_and_a_stop_while_paused_ends_the_pause() {
        let mut w = Stopwatch::start(at(9, 0));
        w.pause(at(10, 0)).expect("pause");
        w.stop(at(12, 0)).expect("stop");
        assert_eq!(w.counted(at(18, 0)), HOUR);
        assert_eq!(
            w.status(4 * HOUR, at(18, 0)),
            ClockStatus::Stopped { counted: HOUR }
        );
        assert!(!w.breached(4 * HOUR, at(23, 0)));
        // Reopened: the stopped time is not counted.
        w.restart(at(15, 0)).expect("restart");
        assert_eq!(w.counted(at(16, 0)), 2 * HOUR);
        assert_eq!(w.deadline(4 * HOUR, at(16, 0)), at(18, 0));
    }

    #[test]
    fn events_out_of_order_or_state_are_refused() {
        let mut w = Stopwatch::start(at(9, 0));
        assert_eq!(w.resume(at(10, 0)), Err(IncidentError::ClockState));
        assert_eq!(w.pause(at(8, 0)), Err(IncidentError::TimeGoesBackwards));
        w.pause(at(10, 0)).expect("pause");
        assert_eq!(w.pause(at(11, 0)), Err(IncidentError::ClockState));
        assert_eq!(w.resume(at(9, 30)), Err(IncidentError::TimeGoesBackwards));
        w.stop(at(11, 0)).expect("stop");
        assert_eq!(w.stop(at(12, 0)), Err(IncidentError::ClockState));
        assert_eq!(w.pause(at(12, 0)), Err(IncidentError::ClockState));
        let before = w.clone();
        assert_eq!(w.restart(at(10, 30)), Err(IncidentError::TimeGoesBackwards));
        assert_eq!(w, before, "a refusal changes nothing");
    }

    #[test]
    fn nothing_is_counted_before_the_start() {
        let w = Stopwatch::start(at(9, 0));
        assert_eq!(w.counted(at(8, 0)), Duration::ZERO);
    }

    /// Office hours, 08–16 on weekdays, Danish time.
    fn office() -> ServiceHours {
        use time::Weekday::*;
        use time::macros::time;
        ServiceHours::Business(
            super::super::BusinessHours::new(
                time!(08:00),
                time!(16:00),
                &[Monday, Tuesday, Wednesday, Thursday, Friday],
                vec![],
            )
            .expect("valid"),
        )
    }

    fn hours(business: bool) -> ServiceHours {
        if business {
            office()
        } else {
            ServiceHours::Calendar
        }
    }

    #[test]
    fn business_hours_count_from_opening_and_breach_when_the_deadline_passes() {
        // Thursday 22 June 2023 at 15:00 Danish time (13:00 UTC), 4 hours:
        // one on Thursday, three on Friday from 08:00, due 11:00 (09:00 UTC).
        let mut w = Stopwatch::start_in(at(13, 0), office());
        let friday = at(24 + 9, 0);
        assert_eq!(w.deadline(4 * HOUR, at(13, 0)), friday);
        assert_eq!(w.counted(at(20, 0)), HOUR, "the evening is not counted");
        // Waiting for information on Friday 09:00–10:00 Danish time moves it an hour.
        w.pause(at(24 + 7, 0)).expect("pause");
        w.resume(at(24 + 8, 0)).expect("resume");
        assert_eq!(w.deadline(4 * HOUR, at(24 + 8, 0)), at(24 + 10, 0));
        assert!(!w.breached(4 * HOUR, at(24 + 10, 0)));
        assert!(w.breached(4 * HOUR, at(24 + 10, 0) + Duration::SECOND));

        // Due at closing time (16:00, 14:00 UTC): past it, a breach, though
        // the closed hours add nothing to the count.
        let mut w = Stopwatch::start_in(at(10, 0), office());
        assert_eq!(w.deadline(4 * HOUR, at(10, 0)), at(14, 0));
        assert!(!w.breached(4 * HOUR, at(14, 0)));
        assert_eq!(w.counted(at(18, 0)), 4 * HOUR);
        assert!(w.breached(4 * HOUR, at(14, 0) + Duration::SECOND));
        // Resolved in the evening: late.
        w.stop(at(16, 0)).expect("stop");
        assert!(w.breached(4 * HOUR, at(23, 0)));
    }

    /// A clock from alternating running and paused minutes, and the instant after.
    fn run(schedule: &[(u16, u16)], tail: u16, hours: ServiceHours) -> (Stopwatch, OffsetDateTime) {
        let mut t = at(9, 0);
        let mut w = Stopwatch::start_in(t, hours);
        for (running, paused) in schedule {
            t += Duration::minutes(i64::from(*running));
            w.pause(t).expect("pause");
            t += Duration::minutes(i64::from(*paused));
            w.resume(t).expect("resume");
        }
        (w, t + Duration::minutes(i64::from(tail)))
    }

    fn schedule() -> impl Strategy<Value = Vec<(u16, u16)>> {
        proptest::collection::vec((0u16..600, 0u16..600), 0..8)
    }

    proptest! {
        #[test]
        fn counted_time_is_never_negative_nor_more_than_the_wall_clock(
            s in schedule(), tail in 0u16..600, probe in -600i64..6000, business: bool,
        ) {
            let (w, _) = run(&s, tail, hours(business));
            let now = w.started() + Duration::minutes(probe);
            let counted = w.counted(now);
            prop_assert!(counted >= Duration::ZERO);
            prop_assert!(counted <= (now - w.started()).max(Duration::ZERO));
            prop_assert!(w.counted(now + Duration::minutes(7)) >= counted, "never runs backwards");
        }

        #[test]
        fn pausing_longer_never_makes_the_deadline_earlier(
            s in schedule(), tail in 0u16..600, target in 1i64..3000, which in 0usize..8, extra in 0u16..600,
        ) {
            let (w, now) = run(&s, tail, ServiceHours::Calendar);
            let mut longer = s.clone();
            if let Some(entry) = longer.get_mut(which) {
                entry.1 += extra;
            }
            let (w2, now2) = run(&longer, tail, ServiceHours::Calendar);
            let target = Duration::minutes(target);
            prop_assert!(w2.deadline(target, now2) >= w.deadline(target, now));
            prop_assert!(w.deadline(target, now) >= w.started() + target);
            prop_assert!(w2.counted(now) <= w.counted(now), "at one instant the longer pause counts no more");
            prop_assert_eq!(w2.counted(now2), w.counted(now), "the extra pause is not counted");
        }

        /// The same clock with one more pause cut out of a running stretch
        /// (every other event at the same instant), in either hours.
        #[test]
        fn an_added_pause_never_makes_the_deadline_earlier(
            s in schedule(), tail in 0u16..600, target in 1i64..3000,
            which in 0usize..9, cut in (0u16..600, 0u16..600), business: bool,
        ) {
            let (w, now) = run(&s, tail, hours(business));
            let mut with_pause = s.clone();
            let which = which.min(s.len());
            let stretch = s.get(which).map_or(tail, |entry| entry.0);
            let (before, length) = (cut.0 % (stretch + 1), cut.1 % (stretch + 1));
            let length = length.min(stretch - before);
            let tail2 = match with_pause.get_mut(which) {
                Some(entry) => {
                    entry.0 = stretch - before - length;
                    tail
                }
                None => stretch - before - length,
            };
            with_pause.insert(which, (before, length));
            let (w2, now2) = run(&with_pause, tail2, hours(business));
            prop_assert_eq!(now2, now);
            let target = Duration::minutes(target);
            prop_assert!(w2.deadline(target, now) >= w.deadline(target, now));
            prop_assert!(w2.counted(now) <= w.counted(now));
            prop_assert!(!w2.breached(target, now) || w.breached(target, now));
        }

        #[test]
        fn a_running_clock_breaches_exactly_after_its_deadline(
            s in schedule(), tail in 0u16..600, target in 1i64..3000, probe in 0i64..6000, business: bool,
        ) {
            let (w, now) = run(&s, tail, hours(business));
            let target = Duration::minutes(target);
            let deadline = w.deadline(target, now);
            let probe = now + Duration::minutes(probe);
            prop_assert_eq!(w.deadline(target, probe), deadline, "fixed while running");
            prop_assert_eq!(w.breached(target, probe), probe > deadline);
        }

        #[test]
        fn an_open_pause_holds_the_count(
            s in schedule(), tail in 0u16..600, wait in 0i64..6000, business: bool,
        ) {
            let (mut w, now) = run(&s, tail, hours(business));
            w.pause(now).expect("pause");
            prop_assert_eq!(w.counted(now + Duration::minutes(wait)), w.counted(now));
        }
    }
}
