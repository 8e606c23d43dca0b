//! The June 2023 slides' two examples of the chain of responsibility
//! ("Eksempel på kædeansvar"), played through the rules.

use samspil_domain::OrgId;
use time::Duration;

use super::fixtures::{Chain, at};
use super::*;

/// "Sagsbehandler oplever fejl i fagsystemet, når der bruges cpr-nummer":
/// the line-of-business system's desk investigates, forwards to the source
/// system's vendor, follows up with it, and reports back to the caseworker.
#[test]
fn a_cpr_number_error_in_a_line_of_business_system() {
    let c = Chain::new();
    let (desk, vendor) = (&c.desk, &c.vendor);

    // The first link gathers the facts; an example with a CPR number is refused.
    let mut draft = c.draft();
    draft.examples = vec!["Borgeren 010203-1234 kan ikke slås op".into()];
    assert_eq!(
        IncidentReport::new(draft, &c.desk_scale, at(9, 0)),
        Err(IncidentError::CprNumberInText {
            field: IntakeField::Example
        })
    );
    let mut incident =
        Incident::open(IncidentId(1), desk, &c.desk_scale, c.report(), at(9, 0)).expect("opened");
    incident
        .reply_to_reporter(desk, "Vi undersøger fejlen", at(9, 20))
        .expect("reply");

    // Forwarded to the source system's vendor: the desk's P2 is the vendor's A.
    let link = incident
        .forward(
            Forwarder::Owner,
            desk,
            vendor,
            &c.desk_vendor_agreement,
            &c.desk_vendor_mapping,
            at(9, 30),
        )
        .expect("forwarded");
    assert_eq!(incident.link(link).expect("link").priority(), Priority(0));
    incident
        .set_reference(link, vendor, "CPR-INC-4711", at(9, 45))
        .expect("reference");
    incident
        .act(
            link,
            vendor,
            Action::AskForInformation,
            Some("Hvornår skete det, og i hvilken sag?"),
            at(9, 45),
        )
        .expect("ask");
    incident
        .act(
            link,
            desk,
            Action::ProvideInformation,
            Some("Kl. 8.45 i sag 2023-0042"),
            at(10, 45),
        )
        .expect("answer");
    incident
        .act(link, vendor, Action::Accept, None, at(11, 0))
        .expect("accept");
    incident
        .reply_to_reporter(
            desk,
            "Leverandøren af kildesystemet retter fejlen",
            at(12, 0),
        )
        .expect("follow-up");
    assert!(
        due_for_escalation(&incident, at(15, 0)).is_empty(),
        "within its targets"
    );
    incident
        .act(
            link,
            vendor,
            Action::Resolve,
            Some("Opslaget i kildesystemet er rettet"),
            at(15, 0),
        )
        .expect("resolve");
    incident
        .act(link, desk, Action::Close, None, at(15, 10))
        .expect("close the link");
    incident
        .resolve(
            desk,
            "Fejlen er rettet hos kildesystemets leverandør",
            at(15, 15),
        )
        .expect("resolve");
    incident.close(desk, at(15, 20)).expect("close");

    // The figures: responded in 15 minutes; resolved in 5½ hours less the hour waiting.
    let figures = link_figures(std::slice::from_ref(&incident), at(23, 0));
    assert_eq!(figures[0].response_time, Some(Duration::minutes(15)));
    assert_eq!(figures[0].resolution_time, Some(Duration::minutes(270)));
    assert!(!figures[0].response_breached && !figures[0].resolution_breached);

    // The caseworker saw every reply; the vendor its own link and nothing of the replies.
    let reporter = reporter_view(&incident);
    assert_eq!(reporter.state, IncidentState::Closed);
    assert_eq!(reporter.replies.len(), 3);
    let seen = party_view(vendor, &incident).expect("its link");
    assert_eq!(seen.links.len(), 1);
    assert_eq!(seen.replies, None);
    assert_eq!(incident.owner(), desk.id, "the desk owned it to the end");
}

/// "Sagsbehandler kan ikke logge ind i SAPA": SAPA's desk forwards to the
/// support systems' desk, which finds the fault in the municipality's IdP
/// and forwards to the municipality, where it is fixed. Here the
/// municipality is late, so the link escalates to the community, which
/// calls a task force.
#[test]
fn a_caseworker_cannot_log_in_to_sapa() {
    let c = Chain::new();
    let sapa_desk = Party::new(
        OrgId(40),
        PartyKind::ServiceDesk,
        "Servicedesk for SAPA",
        None,
        vec![Served::Solution(SolutionCode::new("SAPA"))],
    )
    .expect("party");
    let sapa_scale =
        PriorityScale::new(sapa_desk.id, &["Kritisk", "Alvorlig", "Normal"]).expect("scale");
    let support_scale = PriorityScale::new(c.support_desk.id, &["1", "2", "3"]).expect("scale");
    let to_support = PriorityMapping::new(
        &sapa_scale,
        &support_scale,
        vec![Priority(0), Priority(1), Priority(2)],
    )
    .expect("mapping");
    let ola = Agreement::new(
        AgreementKind::Ola,
        sapa_desk.id,
        &support_scale,
        vec![
            Targets {
                response: Duration::minutes(30),
                resolution: Duration::hours(4),
            },
            Targets {
                response: Duration::hours(1),
                resolution: Duration::hours(8),
            },
            Targets {
                response: Duration::hours(4),
                resolution: Duration::hours(40),
            },
        ],
        ServiceHours::Calendar,
    )
    .expect("agreement");
    let (support, municipality, community) = (&c.support_desk, &c.municipality, &c.community);

    let mut draft = c.draft();
    draft.solution = SolutionCode::new("SAPA");
    draft.what_happened = "Kan ikke logge ind i SAPA: adgang nægtet".into();
    draft.occurred_at = at(7, 50);
    draft.user_priority = Priority(1);
    let report = IncidentReport::new(draft, &sapa_scale, at(8, 0)).expect("valid");
    let mut incident =
        Incident::open(IncidentId(7), &sapa_desk, &sapa_scale, report, at(8, 0)).expect("opened");

    let first = incident
        .forward(
            Forwarder::Owner,
            &sapa_desk,
            support,
            &ola,
            &to_support,
            at(8, 15),
        )
        .expect("to the support systems' desk");
    incident
        .act(first, support, Action::Accept, None, at(8, 30))
        .expect("accept");
    let second = incident
        .forward(
            Forwarder::Link(first),
            support,
            municipality,
            &c.support_municipality_agreement,
            &c.support_municipality_mapping,
            at(9, 0),
        )
        .expect("to the municipality's IdP");
    let link = incident.link(second).expect("link");
    assert_eq!(
        (link.sender_priority(), link.priority()),
        (Priority(1), Priority(0))
    );

    // The municipality has 2 hours to respond; at 11:00 and a minute it is overdue.
    assert!(due_for_escalation(&incident, at(11, 0)).is_empty());
    assert_eq!(incident.escalate_due(at(11, 1)), [second]);
    assert_eq!(incident.state(), IncidentState::Escalated);
    incident
        .call_task_force(community, &[municipality.id, support.id], at(11, 15))
        .expect("task force");
    incident
        .log(
            support,
            "Brugeren mangler jobfunktionsrollen fra kommunens IdP",
            at(11, 20),
        )
        .expect("log");
    incident
        .act(second, municipality, Action::Accept, None, at(11, 30))
        .expect("accept");
    incident
        .act(
            second,
            municipality,
            Action::Resolve,
            Some("Rollen er tildelt i kommunens IdP"),
            at(12, 0),
        )
        .expect("fixed at the municipality");
    incident
        .act(second, support, Action::Close, None, at(12, 5))
        .expect("close");
    incident
        .act(
            first,
            support,
            Action::Resolve,
            Some("Fejlen lå i kommunens IdP, nu rettet"),
            at(12, 10),
        )
        .expect("resolve");
    incident
        .act(first, &sapa_desk, Action::Close, None, at(12, 15))
        .expect("close");
    incident
        .close_task_force(community, "Rettet i kommunens IdP", at(12, 20))
        .expect("closed");
    incident
        .resolve(&sapa_desk, "Du kan logge ind igen", at(12, 30))
        .expect("resolve");

    // SAPA's desk sees its own link, not the one to the municipality; the
    // municipality sees its link and its own incident.
    let ids = |party: &Party| -> Vec<LinkId> {
        visible_links(party, &incident)
            .iter()
            .map(|l| l.id())
            .collect()
    };
    assert_eq!(ids(&sapa_desk), [first]);
    assert_eq!(ids(support), [first, second]);
    assert_eq!(ids(municipality), [second]);
    assert!(!may_see(&c.vendor, &incident));
    assert_eq!(reporter_view(&incident).state, IncidentState::Resolved);

    // The breach is the municipality's.
    let figures = party_figures(&link_figures(std::slice::from_ref(&incident), at(13, 0)));
    let of = |party: PartyId| figures.iter().find(|f| f.party == party).expect("figures");
    assert_eq!(of(municipality.id).response_breaches, 1);
    assert_eq!(
        of(municipality.id).slowest_response,
        Some(Duration::minutes(150))
    );
    assert_eq!(of(support.id).response_breaches, 0);
}
