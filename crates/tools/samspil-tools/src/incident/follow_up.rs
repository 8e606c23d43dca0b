//! Following up (the slides: "Servicedesk følger løbende op overfor
//! kildesystemleverandøren", "melder løbende retur til sagsbehandler"):
//! which links are past a deadline, so their senders are reminded, and
//! when the reporter is next due word of progress, at the interval the
//! desk sets. Pure questions at `now`; the notification job asks them.

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Weekday};

use super::{Incident, IncidentError, LinkId, PartyId, danish_offset};

/// Which of a link's clocks ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overdue {
    Response,
    Resolution,
}

impl Overdue {
    pub fn code(self) -> &'static str {
        match self {
            Overdue::Response => "response",
            Overdue::Resolution => "resolution",
        }
    }
}

/// A link past a deadline, and whom to remind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueLink {
    pub link: LinkId,
    /// The link's sender, who follows up with its receiver.
    pub sender: PartyId,
    pub receiver: PartyId,
    pub clock: Overdue,
    pub deadline: OffsetDateTime,
}

/// The links of an incident still being worked on whose response or
/// resolution deadline has passed at `now` (the response first: a link not
/// yet answered is overdue for that). A link waiting for information is
/// overdue only if its deadline had passed before it began to wait.
pub fn overdue_links(incident: &Incident, now: OffsetDateTime) -> Vec<OverdueLink> {
    if incident.check_open().is_err() {
        return Vec::new();
    }
    incident
        .links
        .iter()
        .filter(|l| l.state.kind().is_active())
        .filter_map(|l| {
            let targets = l.targets;
            let (clock, watch, target) = if !l.response.is_stopped()
                && l.response.breached(targets.response, now)
            {
                (Overdue::Response, &l.response, targets.response)
            } else if !l.resolution.is_stopped() && l.resolution.breached(targets.resolution, now) {
                (Overdue::Resolution, &l.resolution, targets.resolution)
            } else {
                return None;
            };
            Some(OverdueLink {
                link: l.id,
                sender: l.sender,
                receiver: l.receiver,
                clock,
                deadline: watch.deadline(target, now),
            })
        })
        .collect()
}

/// When the reporter is next due word of progress, if the desk tells them
/// every `every`: that long after the last reply (or the opening). `None`
/// once the incident is resolved or closed, or when `every` is not positive
/// (the desk sets no interval).
pub fn next_reporter_update(incident: &Incident, every: Duration) -> Option<OffsetDateTime> {
    if !every.is_positive() {
        return None;
    }
    last_word(incident, None).map(|last| last + every)
}

/// The last word of progress the reporter had, while the incident is being
/// worked on: the latest reply, the latest update sent (`sent`), or the
/// opening.
fn last_word(incident: &Incident, sent: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    if incident.check_open().is_err() {
        return None;
    }
    let replied = incident.replies.iter().map(|reply| reply.at).max();
    Some(
        [Some(incident.opened_at), replied, sent]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(incident.opened_at),
    )
}

/// How often a desk tells its reporters of progress (the issue: "at
/// intervals the desk sets", e.g. every 2 business days): every `days`
/// days, counted as calendar days or as business days (Monday to Friday in
/// Danish time; the rules keep no holiday calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReporterInterval {
    days: u8,
    business: bool,
}

impl ReporterInterval {
    /// The longest interval: a reporter waits at most a month for word.
    pub const MAX_DAYS: u8 = 30;

    pub fn new(days: u8, business: bool) -> Result<ReporterInterval, IncidentError> {
        match (1..=Self::MAX_DAYS).contains(&days) {
            true => Ok(ReporterInterval { days, business }),
            false => Err(IncidentError::IntervalInvalid),
        }
    }

    pub fn days(self) -> u8 {
        self.days
    }

    pub fn business(self) -> bool {
        self.business
    }

    /// The moment the interval after `from` ends: at the same time of day
    /// in Danish time, `days` days later, skipping Saturdays and Sundays
    /// when counted in business days (so Friday 10:00 plus 2 business days
    /// is Tuesday 10:00, and Saturday plus 1 is Monday).
    pub fn after(self, from: OffsetDateTime) -> OffsetDateTime {
        if !self.business {
            return from + Duration::days(i64::from(self.days));
        }
        let local = from.to_offset(danish_offset(from));
        let mut date = local.date();
        let mut left = self.days;
        while left > 0 {
            date = date.next_day().unwrap_or(date);
            if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
                left -= 1;
            }
        }
        let noon = PrimitiveDateTime::new(date, time::macros::time!(12:00)).assume_utc();
        PrimitiveDateTime::new(date, local.time()).assume_offset(danish_offset(noon))
    }
}

/// When the reporter is next due word of progress at the desk's
/// `interval`, counted from the last word they had: a reply, the update
/// last sent (`sent`) or the opening. `None` once resolved or closed.
pub fn next_reporter_update_at(
    incident: &Incident,
    interval: ReporterInterval,
    sent: Option<OffsetDateTime>,
) -> Option<OffsetDateTime> {
    last_word(incident, sent).map(|last| interval.after(last))
}

/// Whether the reporter is due word of progress at `now`.
pub fn reporter_update_due(incident: &Incident, every: Duration, now: OffsetDateTime) -> bool {
    next_reporter_update(incident, every).is_some_and(|due| due <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Action;
    use crate::incident::fixtures::{Chain, at};

    #[test]
    fn a_sender_is_reminded_of_each_overdue_link_and_which_clock() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let vendor = chain.forward_to_vendor(&mut incident); // 10:00: 1 h / 8 h
        let support = chain.forward_to_support(&mut incident); // 10:00: 2 h / 8 h at the desk's P2
        assert!(overdue_links(&incident, at(11, 0)).is_empty());
        let due = overdue_links(&incident, at(11, 1));
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].link, due[0].sender, due[0].clock),
            (vendor, chain.desk.id, Overdue::Response)
        );
        assert_eq!(due[0].deadline, at(11, 0));
        incident
            .act(
                support,
                &chain.support_desk,
                Action::Accept,
                None,
                at(11, 30),
            )
            .expect("accept");
        incident
            .act(vendor, &chain.vendor, Action::Accept, None, at(11, 30))
            .expect("accept");
        let due = overdue_links(&incident, at(18, 1));
        assert_eq!(
            due.iter().map(|d| (d.link, d.clock)).collect::<Vec<_>>(),
            [
                (vendor, Overdue::Resolution),
                (support, Overdue::Resolution)
            ]
        );
        // Escalation does not end the reminders; a resolution does.
        incident.escalate_due(at(18, 1));
        assert_eq!(overdue_links(&incident, at(18, 2)).len(), 2);
        incident
            .act(
                vendor,
                &chain.vendor,
                Action::Resolve,
                Some("Rettet"),
                at(18, 3),
            )
            .expect("resolve");
        assert_eq!(overdue_links(&incident, at(18, 4)).len(), 1);
    }

    #[test]
    fn an_interval_is_one_to_thirty_days() {
        assert_eq!(
            ReporterInterval::new(0, false),
            Err(IncidentError::IntervalInvalid)
        );
        assert_eq!(
            ReporterInterval::new(31, true),
            Err(IncidentError::IntervalInvalid)
        );
        assert!(ReporterInterval::new(30, true).is_ok());
    }

    #[test]
    fn business_days_skip_the_weekend_at_the_same_danish_time() {
        use time::macros::datetime;
        let two = ReporterInterval::new(2, true).expect("valid");
        // Friday 10:00 in Copenhagen (CEST) → Tuesday 10:00.
        assert_eq!(
            two.after(datetime!(2023-06-23 08:00 UTC)),
            datetime!(2023-06-27 08:00 UTC)
        );
        // Saturday → Monday, one business day on.
        let one = ReporterInterval::new(1, true).expect("valid");
        assert_eq!(
            one.after(datetime!(2023-06-24 08:00 UTC)),
            datetime!(2023-06-26 08:00 UTC)
        );
        // Across the change to winter time: still 10:00 Danish time.
        assert_eq!(
            one.after(datetime!(2023-10-27 08:00 UTC)),
            datetime!(2023-10-30 09:00 UTC)
        );
        let calendar = ReporterInterval::new(2, false).expect("valid");
        assert_eq!(
            calendar.after(datetime!(2023-06-23 08:00 UTC)),
            datetime!(2023-06-25 08:00 UTC)
        );
    }

    #[test]
    fn the_interval_counts_from_the_last_update_sent_as_from_a_reply() {
        let chain = Chain::new();
        let mut incident = chain.incident(); // opened 9:00
        let day = ReporterInterval::new(1, false).expect("valid");
        assert_eq!(
            next_reporter_update_at(&incident, day, None),
            Some(at(9, 0) + Duration::days(1))
        );
        assert_eq!(
            next_reporter_update_at(&incident, day, Some(at(12, 0))),
            Some(at(12, 0) + Duration::days(1))
        );
        incident
            .reply_to_reporter(&chain.desk, "Vi arbejder på det", at(13, 0))
            .expect("reply");
        assert_eq!(
            next_reporter_update_at(&incident, day, Some(at(12, 0))),
            Some(at(13, 0) + Duration::days(1))
        );
        incident
            .resolve(&chain.desk, "Løst", at(14, 0))
            .expect("resolve");
        assert_eq!(next_reporter_update_at(&incident, day, None), None);
    }

    #[test]
    fn the_reporter_hears_at_the_desks_interval_counted_from_the_last_reply() {
        let chain = Chain::new();
        let mut incident = chain.incident(); // opened 9:00
        let every = Duration::hours(2);
        assert_eq!(next_reporter_update(&incident, every), Some(at(11, 0)));
        assert!(!reporter_update_due(&incident, every, at(10, 59)));
        assert!(reporter_update_due(&incident, every, at(11, 0)));
        incident
            .reply_to_reporter(&chain.desk, "Vi arbejder på det", at(11, 5))
            .expect("reply");
        assert_eq!(next_reporter_update(&incident, every), Some(at(13, 5)));
        assert_eq!(
            next_reporter_update(&incident, Duration::ZERO),
            None,
            "no interval set"
        );
        incident
            .resolve(&chain.desk, "Løst", at(12, 0))
            .expect("resolve");
        assert_eq!(next_reporter_update(&incident, every), None);
    }
}
