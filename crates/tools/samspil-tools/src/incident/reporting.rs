//! The facts behind "Ikke alle overholder deres forpligtelser i kæden":
//! per link the time to first response and to resolution (counted as the
//! clocks count, without waits for information) and whether a target was
//! breached; per receiving party the totals; and the incidents bounced
//! between parties. Pure functions over incidents as the storage loads them.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use super::{Action, Incident, IncidentId, Link, LinkEventKind, LinkId, PartyId};

/// One link's figures at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFigures {
    pub incident: IncidentId,
    pub link: LinkId,
    pub receiver: PartyId,
    /// Until the receiver first acted; `None` while it has not.
    pub response_time: Option<Duration>,
    /// Until it resolved the link; `None` if it has not (or rejected it).
    pub resolution_time: Option<Duration>,
    pub response_breached: bool,
    pub resolution_breached: bool,
    pub rejected: bool,
}

/// The last action that settled the link's resolution, and when: a
/// resolution, a rejection, a withdrawal or forced close, or a reopening.
fn last_settled(link: &Link) -> Option<(Action, OffsetDateTime)> {
    const SETTLING: [Action; 6] = [
        Action::Resolve,
        Action::Reject,
        Action::Withdraw,
        Action::ForceClose,
        Action::Reopen,
        Action::Overrule,
    ];
    link.history
        .iter()
        .rev()
        .find_map(|event| match event.kind {
            LinkEventKind::Acted(action) if SETTLING.contains(&action) => Some((action, event.at)),
            _ => None,
        })
}

fn was_rejected(link: &Link) -> bool {
    link.history
        .iter()
        .any(|event| event.kind == LinkEventKind::Acted(Action::Reject))
}

/// Every link's figures at `now`. A link whose last word was a rejection
/// owes no resolution, so its resolution clock is no breach (whether the
/// rejection came late is its response time's question).
pub fn link_figures(incidents: &[Incident], now: OffsetDateTime) -> Vec<LinkFigures> {
    incidents
        .iter()
        .flat_map(|incident| incident.links.iter().map(move |link| (incident.id, link)))
        .map(|(incident, link)| {
            let targets = link.targets;
            let settled = last_settled(link).map(|(action, _)| action);
            LinkFigures {
                incident,
                link: link.id,
                receiver: link.receiver,
                response_time: link
                    .response
                    .is_stopped()
                    .then(|| link.response.counted(now)),
                resolution_time: (settled == Some(Action::Resolve))
                    .then(|| link.resolution.counted(now)),
                response_breached: link.response.breached(targets.response, now),
                resolution_breached: settled != Some(Action::Reject)
                    && link.resolution.breached(targets.resolution, now),
                rejected: was_rejected(link),
            }
        })
        .collect()
}

/// One receiving party's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyFigures {
    pub party: PartyId,
    pub links: usize,
    pub responded: usize,
    pub resolved: usize,
    pub rejected: usize,
    pub response_breaches: usize,
    pub resolution_breaches: usize,
    /// The mean of the response times of the links it responded to.
    pub mean_response: Option<Duration>,
    pub mean_resolution: Option<Duration>,
    pub slowest_response: Option<Duration>,
}

/// Totals per receiving party, by party id.
pub fn party_figures(links: &[LinkFigures]) -> Vec<PartyFigures> {
    let mut by_party: BTreeMap<PartyId, Vec<&LinkFigures>> = BTreeMap::new();
    for link in links {
        by_party.entry(link.receiver).or_default().push(link);
    }
    let mean = |times: &[Duration]| match times.len() {
        0 => None,
        n => Some(times.iter().copied().sum::<Duration>() / n as u32),
    };
    by_party
        .into_iter()
        .map(|(party, links)| {
            let responses: Vec<Duration> = links.iter().filter_map(|l| l.response_time).collect();
            let resolutions: Vec<Duration> =
                links.iter().filter_map(|l| l.resolution_time).collect();
            PartyFigures {
                party,
                links: links.len(),
                responded: responses.len(),
                resolved: resolutions.len(),
                rejected: links.iter().filter(|l| l.rejected).count(),
                response_breaches: links.iter().filter(|l| l.response_breached).count(),
                resolution_breaches: links.iter().filter(|l| l.resolution_breached).count(),
                mean_response: mean(&responses),
                mean_resolution: mean(&resolutions),
                slowest_response: responses.iter().copied().max(),
            }
        })
        .collect()
}

/// An incident that went back and forth: a link was rejected and the
/// incident went again to a party that already had it, or back up to a
/// party earlier in its own chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    pub incident: IncidentId,
    /// The receivers in the order the links were made.
    pub receivers: Vec<PartyId>,
    pub rejections: usize,
}

pub fn bounced(incidents: &[Incident]) -> Vec<Bounce> {
    incidents
        .iter()
        .filter_map(|incident| {
            let links = &incident.links;
            let rejections = links.iter().filter(|l| was_rejected(l)).count();
            let received_twice = links.iter().enumerate().any(|(i, l)| {
                links[..i]
                    .iter()
                    .any(|earlier| earlier.receiver == l.receiver)
            });
            let back_up = links
                .iter()
                .any(|l| chain_above(incident, l).contains(&l.receiver));
            (rejections > 0 && (received_twice || back_up)).then(|| Bounce {
                incident: incident.id,
                receivers: links.iter().map(|l| l.receiver).collect(),
                rejections,
            })
        })
        .collect()
}

/// The senders above a link, up to the owner.
fn chain_above(incident: &Incident, link: &Link) -> Vec<PartyId> {
    let mut senders = vec![link.sender];
    let mut parent = link.parent;
    while let Some(id) = parent {
        let Ok(up) = incident.link(id) else { break };
        senders.push(up.sender);
        parent = up.parent;
        if senders.len() > incident.links.len() {
            break;
        }
    }
    senders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::fixtures::{Chain, at};

    #[test]
    fn response_and_resolution_times_leave_out_waits_and_count_breaches() {
        let chain = Chain::new();
        let mut fast = chain.incident();
        let a = chain.forward_to_vendor(&mut fast); // 10:00; 1 h / 8 h
        fast.act(
            a,
            &chain.vendor,
            Action::AskForInformation,
            Some("Hvilken sag?"),
            at(10, 20),
        )
        .expect("ask");
        fast.act(
            a,
            &chain.desk,
            Action::ProvideInformation,
            Some("Sag 42"),
            at(11, 20),
        )
        .expect("answer");
        fast.act(a, &chain.vendor, Action::Resolve, Some("Rettet"), at(12, 0))
            .expect("resolve");

        let mut slow = chain.incident_numbered(2);
        let b = chain.forward_to_vendor(&mut slow);
        slow.act(b, &chain.vendor, Action::Accept, None, at(12, 0))
            .expect("late accept");

        let figures = link_figures(&[fast, slow], at(19, 0));
        assert_eq!(figures[0].response_time, Some(Duration::minutes(20)));
        assert_eq!(figures[0].resolution_time, Some(Duration::hours(1)));
        assert!(!figures[0].response_breached && !figures[0].resolution_breached);
        assert_eq!(figures[1].response_time, Some(Duration::hours(2)));
        assert_eq!(figures[1].resolution_time, None);
        assert!(figures[1].response_breached);
        assert!(figures[1].resolution_breached, "9 h counted of 8 at 19:00");

        let parties = party_figures(&figures);
        assert_eq!(parties.len(), 1);
        let vendor = &parties[0];
        assert_eq!(
            (
                vendor.party,
                vendor.links,
                vendor.responded,
                vendor.resolved
            ),
            (chain.vendor.id, 2, 2, 1)
        );
        assert_eq!(
            (vendor.response_breaches, vendor.resolution_breaches),
            (1, 1)
        );
        assert_eq!(vendor.mean_response, Some(Duration::minutes(70)));
        assert_eq!(vendor.slowest_response, Some(Duration::hours(2)));
        assert_eq!(vendor.mean_resolution, Some(Duration::hours(1)));
    }

    #[test]
    fn a_rejected_link_owes_no_resolution() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let a = chain.forward_to_vendor(&mut incident);
        incident
            .act(
                a,
                &chain.vendor,
                Action::Reject,
                Some("Ikke vores"),
                at(10, 30),
            )
            .expect("reject");
        incident
            .act(a, &chain.desk, Action::Close, None, at(10, 40))
            .expect("close");
        let figures = link_figures(&[incident], at(23, 59));
        assert!(figures[0].rejected);
        assert_eq!(figures[0].resolution_time, None);
        assert!(!figures[0].resolution_breached && !figures[0].response_breached);
        assert_eq!(party_figures(&figures)[0].rejected, 1);
    }

    #[test]
    fn an_incident_sent_back_and_forth_is_a_bounce() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let a = chain.forward_to_vendor(&mut incident);
        incident
            .act(
                a,
                &chain.vendor,
                Action::Reject,
                Some("Det er støttesystemerne"),
                at(10, 10),
            )
            .expect("reject");
        let b = chain.forward_to_support(&mut incident);
        incident
            .act(
                b,
                &chain.support_desk,
                Action::Reject,
                Some("Det er leverandøren"),
                at(10, 20),
            )
            .expect("reject");
        let mut straight = chain.incident_numbered(2);
        let c = chain.forward_to_vendor(&mut straight);
        straight
            .act(c, &chain.vendor, Action::Resolve, Some("Rettet"), at(11, 0))
            .expect("resolve");
        assert!(
            bounced(&[incident.clone(), straight.clone()]).is_empty(),
            "two rejections, no one twice yet"
        );
        chain
            .forward_to_vendor_at(&mut incident, at(10, 30))
            .expect("again to the vendor");
        let bounces = bounced(&[incident, straight]);
        assert_eq!(bounces.len(), 1);
        assert_eq!(bounces[0].incident, IncidentId(1));
        assert_eq!(
            bounces[0].receivers,
            [chain.vendor.id, chain.support_desk.id, chain.vendor.id]
        );
        assert_eq!(bounces[0].rejections, 2);
    }

    #[test]
    fn the_chain_above_a_link_reaches_the_owner() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let a = chain.forward_to_support(&mut incident);
        incident
            .act(a, &chain.support_desk, Action::Accept, None, at(10, 10))
            .expect("accept");
        let b = chain.forward_to_municipality(&mut incident, a);
        incident
            .act(
                b,
                &chain.municipality,
                Action::Reject,
                Some("Ikke vores IdP"),
                at(10, 40),
            )
            .expect("reject");
        assert!(
            bounced(std::slice::from_ref(&incident)).is_empty(),
            "one rejection is no bounce"
        );
        let above = chain_above(&incident, incident.link(b).expect("link"));
        assert_eq!(above, [chain.support_desk.id, chain.desk.id]);
    }
}
