//! Cases (Sag) as SF1470 defines them (`../shared/reference/sf1470/
//! anvisninger-forretningsobjekt-sag.md`), in the JSON shape of the
//! systems' door, and every rule of the anvisning that the index can
//! check on one record: each broken rule is a [`Violation`] with the
//! field as a JSON pointer, the rule and the anvisning's section.
//!
//! A record is one registration of a case: its attribute groups
//! (`egenskaber`, `fremdrift`, `indeks`) and relations, each with its
//! validity (`virkning`); the store keeps every registration and never
//! overwrites one (bitemporal). An import carries the whole case; an
//! update the groups it changes (the others carry over from the
//! registration before it). The same types serve the SOAP door later:
//! its codec turns `SagDokumentIndeksService` envelopes into
//! [`CaseRecord`]s.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

pub use crate::common::{Operation, Violation, Virkning, cpr, cvr};
use crate::common::{check_text, check_virkning, fatal, not_empty, violation};
use crate::system::ItSystemUuid;

pub mod retention;

/// `BrugervendtNoegle` and `Sagsnummer`: at most 50 characters.
pub const MAX_CASE_NUMBER_CHARS: usize = 50;
/// `Titel`, `TitelAlternativTekst`, `Sagsstatus`: at most 255.
pub const MAX_TITLE_CHARS: usize = 255;
/// The most records one batch carries (an initial load sends thousands).
pub const MAX_BATCH_RECORDS: usize = 5_000;

/// `Sag/Registrering/AttributListe/Egenskaber`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Egenskaber {
    pub brugervendt_noegle: String,
    pub sagsnummer: String,
    pub titel: String,
    #[serde(default)]
    pub offentlighed_undtaget: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titel_alternativ_tekst: Option<String>,
    pub virkning: Virkning,
}

/// `TilstandListe/Fremdrift`: one period of the case's progress.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fremdrift {
    /// `Opstaaet`, `Oplyst`, `Afgjort` or `Afsluttet`.
    pub status: String,
    pub virkning: Virkning,
}

/// The progress codes, in the order a case passes them.
pub const PROGRESS: [&str; 4] = ["Opstaaet", "Oplyst", "Afgjort", "Afsluttet"];

/// `SagIndeksEgenskaber`: the source's finer status and the sensitivity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indeks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sagsstatus: Option<String>,
    /// One of [`SENSITIVITIES`].
    pub foelsomhed: String,
    pub virkning: Virkning,
}

pub const SENSITIVITIES: [&str; 4] = [
    "IKKE_FORTROLIGE_DATA",
    "FORTROLIGE_PERSONOPLYSNINGER",
    "FOELSOMME_PERSONOPLYSNINGER",
    "VIP_SAGER",
];

/// A relation of the case: its role, what it points at, its validity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// One of [`ROLES`].
    pub rolle: String,
    /// A CVR (`urn:oio:cvr-nr:…`), a CPR (`urn:oio:cpr-nr:…`), a UUID or
    /// a KLE number, as the role wants.
    pub reference: String,
    pub virkning: Virkning,
}

/// The relation roles the index takes, with the anvisning's section and
/// how many must hold open-ended: `Some(1)` exactly one, `None` any.
pub const ROLES: [(&str, &str, Option<usize>); 8] = [
    ("ejer", "06 Sagsaktør, Ejer [OB1]", Some(1)),
    ("ansvarlig", "06 Sagsaktør, Ansvarlig [OB1]", Some(1)),
    ("primaer_part", "07 Sagspart, Primær part [OB1]", Some(1)),
    ("sekundaer_part", "07 Sagspart, Sekundær part", None),
    (
        "primaer_klasse",
        "08 Sagsklasse, Primær klasse [OB1]",
        Some(1),
    ),
    (
        "handlingsklasse",
        "08 Sagsklasse, Handlingsklasse [OB1]",
        Some(1),
    ),
    ("master", "12 IT-system, Master [OB1]", Some(1)),
    ("afsender", "12 IT-system, Afsender [OB1]", Some(1)),
];

/// One registration of a case, as a system delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The sender-generated UUID (`UUIDIdentifikator`).
    pub uuid: String,
    /// The municipality the case belongs to (its code).
    pub kommune: u16,
    /// The registration's time at the sender (`Registrering/Tidspunkt`):
    /// the order of a case's registrations.
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egenskaber: Option<Vec<Egenskaber>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fremdrift: Option<Vec<Fremdrift>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indeks: Option<Vec<Indeks>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationer: Option<Vec<Relation>>,
}

const SECTION_ID: &str = "01 Sagens ID [OB2]";
const SECTION_PROPERTIES: &str = "03 Sagsegenskaber [OB1]";
const SECTION_EXEMPT: &str = "03 Sagsegenskaber [OB4]";
const SECTION_PROGRESS: &str = "04 Tilstand, Fremdrift [OB1]";
const SECTION_INDEX: &str = "05 Sagindeksegenskaber [OB1]";
const SECTION_MASTER: &str = "12 IT-system, Master [OB1]";

/// The references each role takes.
fn reference_fits(role: &str, reference: &str) -> bool {
    match role {
        "ejer" => cvr(reference).is_some(),
        "primaer_part" | "sekundaer_part" => cpr(reference).is_some() || cvr(reference).is_some(),
        "primaer_klasse" => kle_subject(reference),
        "handlingsklasse" => {
            let r = reference.trim();
            (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        _ => ItSystemUuid::parse("reference", reference).is_ok(),
    }
}

/// A KLE subject number `NN.NN.NN` (as the plan's parser reads numbers).
pub fn kle_subject(reference: &str) -> bool {
    reference
        .trim()
        .parse::<crate::kle::KleNumber>()
        .is_ok_and(|number| number.level() == crate::kle::Level::Subject)
}

/// What the index knows of a case before this record: for an update,
/// its present registration's relations (to check that nothing is
/// removed without its validity ending, and that the master stays).
#[derive(Debug, Clone, Default)]
pub struct Previous<'a> {
    pub relations: &'a [Relation],
}

/// Every rule one record breaks: those the record alone shows, and for
/// an update those against the case's present registration. The system
/// delivering it is `sender` (its own UUID is the sending system's).
pub fn check(
    record: &CaseRecord,
    operation: Operation,
    sender: &ItSystemUuid,
    previous: Option<&Previous<'_>>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
        out.push(fatal(
            "/uuid".into(),
            "not_a_uuid",
            SECTION_ID,
            "the case's UUID is not a UUID".into(),
        ));
    }
    let import = operation == Operation::Import;
    // On import every group is there; on update a group that is sent is
    // whole.
    for (name, present, section) in [
        (
            "egenskaber",
            record.egenskaber.is_some(),
            SECTION_PROPERTIES,
        ),
        ("fremdrift", record.fremdrift.is_some(), SECTION_PROGRESS),
        ("indeks", record.indeks.is_some(), SECTION_INDEX),
        (
            "relationer",
            record.relationer.is_some(),
            "06–12 Relationer [OB1]",
        ),
    ] {
        if import && !present {
            out.push(violation(
                format!("/{name}"),
                "missing_on_import",
                section,
                format!("an import carries {name}"),
            ));
        }
    }
    if let Some(properties) = &record.egenskaber {
        check_properties(&mut out, properties);
    }
    if let Some(progress) = &record.fremdrift {
        check_progress(&mut out, progress);
    }
    if let Some(index) = &record.indeks {
        check_index(&mut out, index);
    }
    if let Some(relations) = &record.relationer {
        check_relations(&mut out, relations, sender);
        if let Some(previous) = previous {
            check_against_previous(&mut out, relations, previous);
        }
    }
    out
}

fn check_properties(out: &mut Vec<Violation>, properties: &[Egenskaber]) {
    not_empty(
        out,
        "egenskaber",
        properties,
        SECTION_PROPERTIES,
        "the case has no properties",
    );
    for (i, p) in properties.iter().enumerate() {
        let at = |field: &str| format!("/egenskaber/{i}/{field}");
        check_text(
            out,
            at("brugervendt_noegle"),
            &p.brugervendt_noegle,
            MAX_CASE_NUMBER_CHARS,
            SECTION_PROPERTIES,
            true,
        );
        if p.sagsnummer.trim() != p.brugervendt_noegle.trim() {
            out.push(violation(
                at("sagsnummer"),
                "case_number_differs",
                SECTION_PROPERTIES,
                "Sagsnummer must be the same as BrugervendtNoegle".into(),
            ));
        }
        check_text(
            out,
            at("titel"),
            &p.titel,
            MAX_TITLE_CHARS,
            SECTION_PROPERTIES,
            true,
        );
        check_alternative_title(
            out,
            at("titel_alternativ_tekst"),
            p.offentlighed_undtaget,
            p.titel_alternativ_tekst.as_deref(),
            SECTION_EXEMPT,
            "case",
        );
        check_virkning(out, at("virkning"), &p.virkning, SECTION_PROPERTIES);
    }
}

/// `TitelAlternativTekst` is there exactly when the object is exempt
/// from access (`OffentlighedUndtaget`), and then a title.
pub(crate) fn check_alternative_title(
    out: &mut Vec<Violation>,
    pointer: String,
    exempt: bool,
    title: Option<&str>,
    section: &str,
    noun: &str,
) {
    match (title, exempt) {
        (None, true) => out.push(violation(
            pointer,
            "alternative_title_missing",
            section,
            format!("a {noun} exempt from access (OffentlighedUndtaget) has an alternative title"),
        )),
        (Some(_), false) => out.push(violation(
            pointer,
            "alternative_title_not_exempt",
            section,
            format!(
                "only a {noun} exempt from access (OffentlighedUndtaget) has an alternative title"
            ),
        )),
        (Some(text), true) => check_text(out, pointer, text, MAX_TITLE_CHARS, section, true),
        (None, false) => {}
    }
}

/// The progress is the whole history from `Opstaaet`: the codes in their
/// order, none skipped, each period beginning where the one before ended,
/// the last one open.
fn check_progress(out: &mut Vec<Violation>, progress: &[Fremdrift]) {
    if progress.is_empty() {
        out.push(violation(
            "/fremdrift".into(),
            "missing",
            SECTION_PROGRESS,
            "the case has no progress".into(),
        ));
        return;
    }
    for (i, period) in progress.iter().enumerate() {
        let pointer = format!("/fremdrift/{i}/status");
        match PROGRESS.iter().position(|code| *code == period.status) {
            None => out.push(violation(
                pointer,
                "unknown_progress",
                SECTION_PROGRESS,
                format!("'{}' is not one of {}", period.status, PROGRESS.join(", ")),
            )),
            Some(position) if position != i => out.push(violation(
                pointer,
                "progress_incomplete",
                SECTION_PROGRESS,
                format!(
                    "the history runs {} in order from Opstaaet; here {} was expected",
                    PROGRESS.join(" → "),
                    PROGRESS.get(i).copied().unwrap_or("nothing more")
                ),
            )),
            Some(_) => {}
        }
        check_virkning(
            out,
            format!("/fremdrift/{i}/virkning"),
            &period.virkning,
            SECTION_PROGRESS,
        );
        if let Some(next) = progress.get(i + 1)
            && period.virkning.til != Some(next.virkning.fra)
        {
            out.push(violation(
                format!("/fremdrift/{i}/virkning/til"),
                "progress_gap",
                SECTION_PROGRESS,
                "each period of the progress ends where the next begins".into(),
            ));
        }
    }
    if progress.last().is_some_and(|p| p.virkning.til.is_some()) {
        out.push(violation(
            format!("/fremdrift/{}/virkning/til", progress.len() - 1),
            "progress_not_open",
            SECTION_PROGRESS,
            "the last period of the progress is open-ended".into(),
        ));
    }
}

fn check_index(out: &mut Vec<Violation>, index: &[Indeks]) {
    not_empty(
        out,
        "indeks",
        index,
        SECTION_INDEX,
        "the case has no index properties (its sensitivity)",
    );
    for (i, entry) in index.iter().enumerate() {
        if !SENSITIVITIES.contains(&entry.foelsomhed.as_str()) {
            out.push(violation(
                format!("/indeks/{i}/foelsomhed"),
                "unknown_sensitivity",
                SECTION_INDEX,
                format!(
                    "'{}' is not one of {}",
                    entry.foelsomhed,
                    SENSITIVITIES.join(", ")
                ),
            ));
        }
        if let Some(status) = &entry.sagsstatus {
            check_text(
                out,
                format!("/indeks/{i}/sagsstatus"),
                status,
                MAX_TITLE_CHARS,
                SECTION_INDEX,
                false,
            );
        }
        check_virkning(
            out,
            format!("/indeks/{i}/virkning"),
            &entry.virkning,
            SECTION_INDEX,
        );
    }
}

/// The relation roles of one kind of object with the references each
/// takes: what [`check_relation_list`] checks a record's relations by.
pub(crate) struct RoleRules<'a> {
    /// `(role, the anvisning's section, how many open: Some(n) exactly)`.
    pub roles: &'a [(&'a str, &'a str, Option<usize>)],
    /// The section naming the relations as a whole.
    pub section: &'a str,
    /// The section of the master system's relation; `None` for an object
    /// that names no master system (the benefit index's).
    pub master_section: Option<&'a str>,
    pub reference_fits: fn(&str, &str) -> bool,
}

const CASE_ROLES: RoleRules<'static> = RoleRules {
    roles: &ROLES,
    section: "06–12 Relationer [OB1]",
    master_section: Some(SECTION_MASTER),
    reference_fits,
};

fn check_relations(out: &mut Vec<Violation>, relations: &[Relation], sender: &ItSystemUuid) {
    check_relations_by(out, relations, sender, &CASE_ROLES);
}

/// The rules every index object's relations share (see
/// [`check_relation_list`]), and the sending system being the caller.
pub(crate) fn check_relations_by(
    out: &mut Vec<Violation>,
    relations: &[Relation],
    sender: &ItSystemUuid,
    rules: &RoleRules<'_>,
) {
    check_relation_list(out, relations, rules);
    for (i, relation) in relations.iter().enumerate() {
        let Some((_, section, _)) = rules
            .roles
            .iter()
            .find(|(role, ..)| *role == relation.rolle)
        else {
            continue;
        };
        if relation.rolle == "afsender"
            && ItSystemUuid::parse("reference", &relation.reference)
                .ok()
                .as_ref()
                != Some(sender)
        {
            out.push(violation(
                format!("/relationer/{i}/reference"),
                "sender_is_not_the_caller",
                section,
                "the sending system is the system whose credential delivers".into(),
            ));
        }
    }
}

/// The rules every index object's relations share: each role is one the
/// object takes (`rules.roles`, with its section and cardinality), each
/// reference the kind its role takes, each validity the right way round,
/// and each role with a cardinality holds exactly that many open-ended
/// relations.
pub(crate) fn check_relation_list(
    out: &mut Vec<Violation>,
    relations: &[Relation],
    rules: &RoleRules<'_>,
) {
    for (i, relation) in relations.iter().enumerate() {
        let Some((_, section, _)) = rules
            .roles
            .iter()
            .find(|(role, ..)| *role == relation.rolle)
        else {
            out.push(violation(
                format!("/relationer/{i}/rolle"),
                "unknown_role",
                rules.section,
                format!("'{}' is not a role the index takes", relation.rolle),
            ));
            continue;
        };
        if !(rules.reference_fits)(&relation.rolle, &relation.reference) {
            out.push(violation(
                format!("/relationer/{i}/reference"),
                "wrong_reference",
                section,
                format!("not a reference a relation '{}' takes", relation.rolle),
            ));
        }
        check_virkning(
            out,
            format!("/relationer/{i}/virkning"),
            &relation.virkning,
            section,
        );
    }
    for &(role, section, exactly) in rules.roles {
        let Some(exactly) = exactly else { continue };
        let open = relations
            .iter()
            .filter(|r| r.rolle == role && r.virkning.til.is_none())
            .count();
        if open != exactly {
            out.push(violation(
                "/relationer".into(),
                "cardinality",
                section,
                format!("exactly {exactly} open relation '{role}', got {open}"),
            ));
        }
    }
}

/// An update neither drops a relation that was in force without ending
/// its validity, nor changes the master system.
fn check_against_previous(
    out: &mut Vec<Violation>,
    relations: &[Relation],
    previous: &Previous<'_>,
) {
    check_against_previous_by(out, relations, previous, &CASE_ROLES);
}

pub(crate) fn check_against_previous_by(
    out: &mut Vec<Violation>,
    relations: &[Relation],
    previous: &Previous<'_>,
    rules: &RoleRules<'_>,
) {
    check_relations_kept(out, relations, previous.relations, rules.section);
    let master = |list: &[Relation]| {
        list.iter()
            .find(|r| r.rolle == "master" && r.virkning.til.is_none())
            .map(|r| r.reference.trim().to_ascii_lowercase())
    };
    if let (Some(section), Some(before), Some(now)) = (
        rules.master_section,
        master(previous.relations),
        master(relations),
    ) && before != now
    {
        out.push(violation(
            "/relationer".into(),
            "master_changed",
            section,
            "the master system never changes".into(),
        ));
    }
}

/// An update does not drop a relation that was in force without ending
/// its validity (every index object's rule).
pub(crate) fn check_relations_kept(
    out: &mut Vec<Violation>,
    relations: &[Relation],
    previous: &[Relation],
    section: &str,
) {
    for before in previous.iter().filter(|r| r.virkning.til.is_none()) {
        let kept = relations
            .iter()
            .any(|r| r.rolle == before.rolle && r.reference == before.reference);
        if !kept {
            out.push(violation(
                "/relationer".into(),
                "relation_removed",
                section,
                format!(
                    "the relation '{}' in force was removed; end its validity (til) instead",
                    before.rolle
                ),
            ));
        }
    }
}

/// The responsible unit (`Ansvarlig`) in force is an org unit of the
/// municipality's directory, by its UUID (an organisation will not do):
/// `units` are the directory's units, `None` when the municipality has
/// imported no directory yet and the rule cannot be decided.
pub fn check_responsible_unit(
    record: &CaseRecord,
    units: Option<&std::collections::BTreeSet<String>>,
) -> Option<Violation> {
    let units = units.filter(|units| !units.is_empty())?;
    let relations = record.relationer.as_deref()?;
    let (index, unit) = relations
        .iter()
        .enumerate()
        .find(|(_, r)| r.rolle == "ansvarlig" && r.virkning.til.is_none())?;
    let uuid = unit.reference.trim().to_ascii_lowercase();
    (!units.contains(&uuid)).then(|| {
        violation(
            format!("/relationer/{index}/reference"),
            "unknown_org_unit",
            "06 Sagsaktør, Ansvarlig [OB1]",
            "the responsible unit is not an org unit of the municipality's directory".into(),
        )
    })
}

/// The case numbers (`BrugervendtNoegle`) a record gives its case, for
/// the uniqueness per municipality.
pub fn case_numbers(properties: &[Egenskaber]) -> Vec<String> {
    distinct_keys(properties.iter().map(|p| p.brugervendt_noegle.as_str()))
}

/// The user-facing keys given, trimmed, without empty ones, sorted, once.
pub(crate) fn distinct_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut numbers: Vec<String> = keys
        .map(|key| key.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    numbers.sort();
    numbers.dedup();
    numbers
}

#[cfg(test)]
mod tests;
