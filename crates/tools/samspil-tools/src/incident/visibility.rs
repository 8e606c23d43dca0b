//! Who sees what of an incident. A party sees the links it is part of and
//! nothing of the others' links; the community sees everything (links
//! escalate to it); a municipality sees only the incidents its own people
//! reported, besides the links it is part of; the reporter sees the
//! incident's state and the replies meant for them. The web and SQL layers
//! call these, so the rule is written once.

use samspil_domain::OrgId;
use time::OffsetDateTime;

use super::{
    Incident, IncidentReport, IncidentState, Link, LogEntry, Party, PartyKind, Reply, SolutionCode,
};

/// What one party may see of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyView<'a> {
    pub state: IncidentState,
    /// The facts gathered at the first desk, which every link needs.
    pub report: &'a IncidentReport,
    /// The links the party is part of (every link, for the community).
    pub links: Vec<&'a Link>,
    /// The replies to the reporter: for the owner, the community and the
    /// reporter's municipality only.
    pub replies: Option<&'a [Reply]>,
    /// The task force's log: for its members and the community only.
    pub task_force_log: Option<&'a [LogEntry]>,
}

/// Whether `viewer` may see `incident` at all: the community always; the
/// owner; a party of one of its links; a member of its task force; a
/// municipality whose own person reported it.
pub fn may_see(viewer: &Party, incident: &Incident) -> bool {
    viewer.is_community()
        || viewer.id == incident.owner
        || incident.links.iter().any(|l| l.involves(viewer.id))
        || incident
            .task_force
            .as_ref()
            .is_some_and(|force| force.is_member(viewer.id))
        || is_reporters_municipality(viewer, incident)
}

/// Whether a person of `org` (acting as `party` when their organisation
/// is one) may add files to the incident and fetch its files: a party that
/// may see it, or the reporter's municipality, party or not. A file is a
/// screenshot of someone's screen: no one else sees it, not even another
/// link's parties through the incident's number.
pub fn may_handle_files(party: Option<&Party>, org: Option<OrgId>, incident: &Incident) -> bool {
    party.is_some_and(|p| may_see(p, incident))
        || (org.is_some() && org == incident.report.reporter().municipality)
}

fn is_reporters_municipality(viewer: &Party, incident: &Incident) -> bool {
    viewer.kind == PartyKind::Municipality
        && incident.report.reporter().municipality == Some(viewer.id)
}

/// The links `viewer` may see: those it is part of; all for the community.
pub fn visible_links<'a>(viewer: &Party, incident: &'a Incident) -> Vec<&'a Link> {
    incident
        .links
        .iter()
        .filter(|l| viewer.is_community() || l.involves(viewer.id))
        .collect()
}

/// What `viewer` sees of `incident`, or `None` when it may not see it.
pub fn party_view<'a>(viewer: &Party, incident: &'a Incident) -> Option<PartyView<'a>> {
    if !may_see(viewer, incident) {
        return None;
    }
    let sees_replies = viewer.is_community()
        || viewer.id == incident.owner
        || is_reporters_municipality(viewer, incident);
    let sees_log = incident
        .task_force
        .as_ref()
        .filter(|force| viewer.is_community() || force.is_member(viewer.id));
    Some(PartyView {
        state: incident.state(),
        report: &incident.report,
        links: visible_links(viewer, incident),
        replies: sees_replies.then_some(incident.replies.as_slice()),
        task_force_log: sees_log.map(|force| force.log()),
    })
}

/// The incidents among `incidents` that `viewer` may see, in their order.
pub fn visible_incidents<'a>(viewer: &Party, incidents: &'a [Incident]) -> Vec<&'a Incident> {
    incidents.iter().filter(|i| may_see(viewer, i)).collect()
}

/// What the reporter sees: the incident's state and the replies meant for
/// them — nothing of the links, parties or clocks down the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterView<'a> {
    pub state: IncidentState,
    pub solution: &'a SolutionCode,
    pub opened_at: OffsetDateTime,
    pub replies: &'a [Reply],
}

pub fn reporter_view(incident: &Incident) -> ReporterView<'_> {
    ReporterView {
        state: incident.state(),
        solution: incident.report.solution(),
        opened_at: incident.opened_at,
        replies: &incident.replies,
    }
}

#[cfg(test)]
mod tests {
    use samspil_domain::OrgId;

    use super::*;
    use crate::incident::fixtures::{Chain, at};
    use crate::incident::{Action, IncidentId};

    #[test]
    fn files_are_for_the_incidents_parties_and_its_reporter_only() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let reporter = incident.report().reporter().municipality;
        assert!(reporter.is_some());
        assert!(may_handle_files(None, reporter, &incident), "the reporter");
        assert!(may_handle_files(
            Some(&chain.desk),
            Some(chain.desk.id),
            &incident
        ));
        assert!(may_handle_files(Some(&chain.community), None, &incident));
        assert!(!may_handle_files(
            Some(&chain.vendor),
            Some(chain.vendor.id),
            &incident
        ));
        assert!(!may_handle_files(None, Some(OrgId(9999)), &incident));
        assert!(!may_handle_files(None, None, &incident));
        chain.forward_to_vendor(&mut incident);
        assert!(
            may_handle_files(Some(&chain.vendor), Some(chain.vendor.id), &incident),
            "a link's receiver"
        );
        assert!(!may_handle_files(
            Some(&chain.other_vendor),
            Some(chain.other_vendor.id),
            &incident
        ));
    }

    #[test]
    fn a_party_sees_only_the_links_it_is_part_of() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        let to_vendor = chain.forward_to_vendor(&mut incident);
        let to_support = chain.forward_to_support(&mut incident);
        incident
            .act(
                to_support,
                &chain.support_desk,
                Action::Accept,
                None,
                at(10, 20),
            )
            .expect("accept");
        let to_municipality = chain.forward_to_municipality(&mut incident, to_support);

        let ids = |viewer: &Party| -> Vec<_> {
            visible_links(viewer, &incident)
                .iter()
                .map(|l| l.id())
                .collect()
        };
        assert_eq!(
            ids(&chain.desk),
            [to_vendor, to_support],
            "the owner: its own two links"
        );
        assert_eq!(ids(&chain.vendor), [to_vendor]);
        assert_eq!(ids(&chain.support_desk), [to_support, to_municipality]);
        assert_eq!(ids(&chain.municipality), [to_municipality]);
        assert_eq!(
            ids(&chain.community),
            [to_vendor, to_support, to_municipality]
        );
        assert!(ids(&chain.other_vendor).is_empty());
        assert!(
            !may_see(&chain.other_vendor, &incident),
            "a vendor never sees another vendor's links"
        );
        assert!(party_view(&chain.other_vendor, &incident).is_none());
        let vendor = party_view(&chain.vendor, &incident).expect("a view");
        assert_eq!(
            vendor.replies, None,
            "the replies to the reporter are the owner's"
        );
        assert_eq!(vendor.task_force_log, None);
    }

    #[test]
    fn a_municipality_sees_only_its_own_incidents() {
        let chain = Chain::new();
        let ours = chain.incident(); // reported by someone of the municipality
        let mut draft = chain.draft();
        draft.municipality = Some(OrgId(9999));
        let report = IncidentReport::new(draft, &chain.desk_scale, at(9, 0)).expect("valid");
        let theirs = Incident::open(
            IncidentId(2),
            &chain.desk,
            &chain.desk_scale,
            report,
            at(9, 0),
        )
        .expect("opened");
        let all = [ours, theirs];
        let seen: Vec<_> = visible_incidents(&chain.municipality, &all)
            .iter()
            .map(|i| i.id())
            .collect();
        assert_eq!(seen, [IncidentId(1)]);
        let view = party_view(&chain.municipality, &all[0]).expect("its own");
        assert!(view.links.is_empty(), "none of the links are its own");
        assert!(view.replies.is_some());
        assert_eq!(visible_incidents(&chain.community, &all).len(), 2);
        assert_eq!(visible_incidents(&chain.other_vendor, &all).len(), 0);
    }

    #[test]
    fn the_reporter_sees_the_state_and_the_replies_only() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        chain.forward_to_vendor(&mut incident);
        incident
            .reply_to_reporter(
                &chain.desk,
                "Sagen er sendt videre til leverandøren",
                at(10, 5),
            )
            .expect("reply");
        let view = reporter_view(&incident);
        assert_eq!(view.state, IncidentState::Forwarded);
        assert_eq!(view.replies.len(), 1);
    }

    #[test]
    fn task_force_members_see_the_incident_and_its_log() {
        let chain = Chain::new();
        let mut incident = chain.incident();
        chain.forward_to_vendor(&mut incident);
        incident
            .call_task_force(&chain.community, &[chain.other_vendor.id], at(11, 0))
            .expect("call");
        incident
            .log(&chain.community, "Møde kl. 12", at(11, 5))
            .expect("log");
        let view = party_view(&chain.other_vendor, &incident).expect("a member sees it");
        assert_eq!(view.task_force_log.map(<[_]>::len), Some(1));
        assert!(view.links.is_empty(), "but not the links it is not part of");
        assert!(
            party_view(&chain.vendor, &incident)
                .expect("its link")
                .task_force_log
                .is_none()
        );
    }
}
