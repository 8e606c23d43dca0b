//! Following up (the slides: "Servicedesk følger løbende op overfor
//! kildesystemleverandøren", "melder løbende retur til sagsbehandler"):
//! which links are past a deadline, so their senders are reminded, and
//! when the reporter is next due word of progress, at the interval the
//! desk sets. Pure questions at `now`; the notification job asks them.

use time::{Duration, OffsetDateTime};

use super::{Incident, LinkId, PartyId};

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
    if incident.check_open().is_err() || !every.is_positive() {
        return None;
    }
    let last = incident
        .replies
        .iter()
        .map(|reply| reply.at)
        .max()
        .unwrap_or(incident.opened_at)
        .max(incident.opened_at);
    Some(last + every)
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
