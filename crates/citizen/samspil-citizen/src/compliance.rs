//! The compliance test (issue 15; the slides' table "Status på
//! Compliancetest i pilotkommuner"): a vendor system's deliveries run
//! against the table's six capabilities, each cell a verdict with the
//! findings behind it, and one verdict overall (Godkendt / Godkendt med
//! bemærkninger / Ikke godkendt).
//!
//! Pure: the store gathers the [`Evidence`] from what it already keeps
//! (the delivery log and its violations, the registrations, the
//! responsible units and primary classes, the audit of removals), the
//! caller adds the organisation directory, and [`assess`] decides.
//!
//! The rules, per capability:
//!
//! - a capability nothing in the store shows is *not shown* (the slides'
//!   "leverer indtil videre ikke …");
//! - a violation of the capability's rules in the delivery log (report
//!   mode keeps every one; strict mode those of refused batches), a
//!   responsible unit that is not in the municipality's directory, one
//!   unit for all of a municipality's cases (Momentum's one hard-coded
//!   UUID) or a primary class that is not in the KLE plan is *not met*;
//! - shown, but only in part (imports and no update, no closed case, a
//!   directory or plan not imported to check against, a subject that has
//!   expired since, removal by `fjern` only) is *met with remarks*.
//!
//! Overall: *Ikke godkendt* when a cell is not met, or when the system's
//! own kind is not shown (a case system that delivered no case);
//! *Godkendt* when every cell is met; else *Godkendt med bemærkninger*.

use std::collections::BTreeSet;

use time::Date;

use crate::SystemKind;

/// From this many cases in one municipality, one responsible unit for
/// them all is a hard-coded unit, not the directory read (Momentum's
/// fault in the slides).
pub const ONE_UNIT_MIN_CASES: u64 = 10;

/// The six capabilities of the slides' table, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Ajourfør Sag.
    UpdateCase,
    /// Ajourfør Journalnotat.
    UpdateJournalNote,
    /// Ajourfør Dokument.
    UpdateDocument,
    /// Læs Organisation.
    ReadOrganisation,
    /// Læs Klassifikation.
    ReadClassification,
    /// Fjern entiteter ved systemovergang.
    RemoveOnSystemChange,
}

impl Capability {
    pub const ALL: [Capability; 6] = [
        Capability::UpdateCase,
        Capability::UpdateJournalNote,
        Capability::UpdateDocument,
        Capability::ReadOrganisation,
        Capability::ReadClassification,
        Capability::RemoveOnSystemChange,
    ];

    /// A stable code (the locales' keys, the JSON).
    pub fn code(self) -> &'static str {
        match self {
            Capability::UpdateCase => "update_case",
            Capability::UpdateJournalNote => "update_journal_note",
            Capability::UpdateDocument => "update_document",
            Capability::ReadOrganisation => "read_organisation",
            Capability::ReadClassification => "read_classification",
            Capability::RemoveOnSystemChange => "remove_on_system_change",
        }
    }

    /// The slides' heading.
    pub fn danish(self) -> &'static str {
        match self {
            Capability::UpdateCase => "Ajourfør Sag",
            Capability::UpdateJournalNote => "Ajourfør Journalnotat",
            Capability::UpdateDocument => "Ajourfør Dokument",
            Capability::ReadOrganisation => "Læs Organisation",
            Capability::ReadClassification => "Læs Klassifikation",
            Capability::RemoveOnSystemChange => "Fjern entiteter ved systemovergang",
        }
    }
}

/// One cell's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellVerdict {
    Met,
    MetWithRemarks,
    NotShown,
    NotMet,
}

impl CellVerdict {
    pub fn code(self) -> &'static str {
        match self {
            CellVerdict::Met => "met",
            CellVerdict::MetWithRemarks => "remarks",
            CellVerdict::NotShown => "not_shown",
            CellVerdict::NotMet => "not_met",
        }
    }

    pub fn danish(self) -> &'static str {
        match self {
            CellVerdict::Met => "Opfyldt",
            CellVerdict::MetWithRemarks => "Opfyldt med bemærkninger",
            CellVerdict::NotShown => "Ikke vist",
            CellVerdict::NotMet => "Ikke opfyldt",
        }
    }
}

/// The verdict overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approved,
    ApprovedWithRemarks,
    NotApproved,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ApprovedWithRemarks => "approved_with_remarks",
            Verdict::NotApproved => "not_approved",
        }
    }

    /// The slides' words.
    pub fn danish(self) -> &'static str {
        match self {
            Verdict::Approved => "Godkendt",
            Verdict::ApprovedWithRemarks => "Godkendt med bemærkninger",
            Verdict::NotApproved => "Ikke godkendt",
        }
    }
}

/// How many objects of a kind, and how many of them were ever updated
/// (a registration delivered with `opdater`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub delivered: u64,
    pub updated: u64,
}

/// Violations of one rule in the system's delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationTally {
    /// The delivery's kind of object: `case`, `document`, …
    pub object_kind: String,
    pub rule: String,
    pub section: String,
    /// The field, as the log keeps it (a JSON pointer).
    pub pointer: String,
    pub count: u64,
}

impl ViolationTally {
    /// Which capability the violation counts against (`None`: none of
    /// the table's, e.g. a benefit's).
    pub fn capability(&self) -> Option<Capability> {
        let rule = self.rule.as_str();
        if rule == "unknown_org_unit" || self.section.contains("Ansvarlig") {
            return Some(Capability::ReadOrganisation);
        }
        if rule == "unknown_kle_subject"
            || rule == "kle_subject_not_active"
            || self.section.contains("Primær klasse")
        {
            return Some(Capability::ReadClassification);
        }
        match self.object_kind.as_str() {
            "case" => Some(Capability::UpdateCase),
            "document" if self.pointer.starts_with("/journalposter") => {
                Some(Capability::UpdateJournalNote)
            }
            "document" => Some(Capability::UpdateDocument),
            _ => None,
        }
    }
}

/// The responsible units of one municipality's cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityUnits {
    pub municipality_code: u16,
    /// Each unit's UUID (lower case) and how many cases name it.
    pub units: Vec<(String, u64)>,
    /// The municipality's directory units (lower case), `None` when no
    /// directory is imported for it (the caller fills this in: the
    /// directory is the platform's, not the citizen store's).
    pub directory: Option<BTreeSet<String>>,
}

/// One primary class (KLE subject) the system's cases name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassUse {
    pub subject: String,
    pub cases: u64,
    /// Whether the imported plan has it.
    pub in_plan: bool,
    /// Its `UdgaaetDato` in the plan, if any.
    pub expired_on: Option<Date>,
}

/// A removal on system change, from the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemChange {
    pub municipality_code: Option<u16>,
    pub on: Date,
    /// Every entity removed (cases, documents, grants, payments, claims).
    pub entities: u64,
}

/// What the store keeps of a system's deliveries that the test reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub kind: SystemKind,
    pub cases: Counts,
    /// Cases whose progress reached `Afsluttet` (the passive cases).
    pub closed_cases: u64,
    /// Documents the system delivered or is master of.
    pub documents: Counts,
    /// Of those documents, those carrying a journal note.
    pub journal_notes: Counts,
    pub violations: Vec<ViolationTally>,
    pub units: Vec<MunicipalityUnits>,
    pub classes: Vec<ClassUse>,
    /// Whether a KLE plan is imported.
    pub plan_imported: bool,
    /// Entities the system removed itself (`fjern`).
    pub own_removals: u64,
    pub system_changes: Vec<SystemChange>,
    /// The day the test runs (what "expired" is decided against).
    pub today: Date,
}

impl Evidence {
    /// Evidence of a system that delivered nothing.
    pub fn empty(kind: SystemKind, today: Date) -> Evidence {
        Evidence {
            kind,
            cases: Counts::default(),
            closed_cases: 0,
            documents: Counts::default(),
            journal_notes: Counts::default(),
            violations: Vec::new(),
            units: Vec::new(),
            classes: Vec::new(),
            plan_imported: false,
            own_removals: 0,
            system_changes: Vec::new(),
            today,
        }
    }
}

/// One finding behind a cell: a stable code (the locales' key
/// `compliance-finding-CODE`) with its values by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Finding {
    fn new(code: &'static str, args: &[(&'static str, String)]) -> Finding {
        Finding {
            code,
            args: args.to_vec(),
        }
    }

    fn arg(&self, name: &str) -> &str {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The finding in English (the command line's and the API's
    /// language; the pages read the locales).
    pub fn english(&self) -> String {
        let a = |name| self.arg(name);
        match self.code {
            "nothing_delivered" => "nothing of this kind delivered".into(),
            "cases" => format!(
                "{} cases delivered, {} of them updated",
                a("count"),
                a("updated")
            ),
            "no_update" => "no case ever updated (imports only)".into(),
            "closed_cases" => format!("{} closed (passive) cases", a("count")),
            "no_closed_cases" => "no closed (passive) case delivered".into(),
            "violations" => format!(
                "{} violations of rule {} ({}) at {}",
                a("count"),
                a("rule"),
                a("section"),
                a("pointer")
            ),
            "documents" => format!(
                "{} documents delivered, {} of them updated",
                a("count"),
                a("updated")
            ),
            "journal_notes" => format!(
                "journal notes on {} documents, {} of them updated",
                a("count"),
                a("updated")
            ),
            "no_document_update" => "none ever updated (imports only)".into(),
            "units" if a("units") == "1" => format!(
                "municipality {}: {} cases under one responsible unit",
                a("municipality"),
                a("cases"),
            ),
            "units" => format!(
                "municipality {}: {} cases under {} distinct responsible units",
                a("municipality"),
                a("cases"),
                a("units")
            ),
            "units_in_directory" => format!(
                "municipality {}: every unit is in the organisation directory",
                a("municipality")
            ),
            "unit_not_in_directory" => format!(
                "municipality {}: unit {} ({} cases) is not in the organisation directory",
                a("municipality"),
                a("unit"),
                a("cases")
            ),
            "one_unit" => format!(
                "municipality {}: all {} cases under the one unit {}",
                a("municipality"),
                a("cases"),
                a("unit")
            ),
            "no_directory" => format!(
                "municipality {}: no organisation directory imported to check the units against",
                a("municipality")
            ),
            "classes" => format!(
                "{} distinct KLE subjects on {} cases",
                a("subjects"),
                a("cases")
            ),
            "classes_in_plan" => "every subject is in the KLE plan and active".into(),
            "class_not_in_plan" => format!(
                "KLE {} ({} cases) is not a subject of the KLE plan",
                a("subject"),
                a("cases")
            ),
            "class_expired" => format!(
                "KLE {} ({} cases) expired on {}",
                a("subject"),
                a("cases"),
                a("on")
            ),
            "no_plan" => "no KLE plan imported to check the subjects against".into(),
            "system_change" => format!(
                "removal on system change in municipality {} on {}: {} entities removed",
                a("municipality"),
                a("on"),
                a("entities")
            ),
            "own_removals" => format!(
                "{} entities removed by the system itself (fjern)",
                a("count")
            ),
            "no_system_change" => "no removal on system change has been run".into(),
            "no_removal" => {
                "nothing removed, neither on system change nor by the system itself (fjern)".into()
            }
            other => other.to_owned(),
        }
    }
}

/// One cell of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub capability: Capability,
    pub verdict: CellVerdict,
    pub findings: Vec<Finding>,
}

/// The table's row for one system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub cells: Vec<Cell>,
    pub verdict: Verdict,
}

impl Assessment {
    pub fn cell(&self, capability: Capability) -> &Cell {
        self.cells
            .iter()
            .find(|c| c.capability == capability)
            .expect("every capability has its cell")
    }
}

/// Runs the evidence against the six capabilities.
pub fn assess(evidence: &Evidence) -> Assessment {
    let cells: Vec<Cell> = Capability::ALL
        .into_iter()
        .map(|capability| {
            let (verdict, findings) = match capability {
                Capability::UpdateCase => update_case(evidence),
                Capability::UpdateJournalNote => update_objects(
                    evidence,
                    capability,
                    evidence.journal_notes,
                    "journal_notes",
                ),
                Capability::UpdateDocument => {
                    update_objects(evidence, capability, evidence.documents, "documents")
                }
                Capability::ReadOrganisation => read_organisation(evidence),
                Capability::ReadClassification => read_classification(evidence),
                Capability::RemoveOnSystemChange => remove(evidence),
            };
            Cell {
                capability,
                verdict,
                findings,
            }
        })
        .collect();
    let own = match evidence.kind {
        SystemKind::Document => Capability::UpdateDocument,
        _ => Capability::UpdateCase,
    };
    let verdict = if cells.iter().any(|c| c.verdict == CellVerdict::NotMet)
        || cells
            .iter()
            .any(|c| c.capability == own && c.verdict == CellVerdict::NotShown)
    {
        Verdict::NotApproved
    } else if cells.iter().all(|c| c.verdict == CellVerdict::Met) {
        Verdict::Approved
    } else {
        Verdict::ApprovedWithRemarks
    };
    Assessment { cells, verdict }
}

type Decided = (CellVerdict, Vec<Finding>);

/// The violations counted against `capability`, as findings.
fn violations(evidence: &Evidence, capability: Capability) -> Vec<Finding> {
    evidence
        .violations
        .iter()
        .filter(|v| v.capability() == Some(capability))
        .map(|v| {
            Finding::new(
                "violations",
                &[
                    ("count", v.count.to_string()),
                    ("rule", v.rule.clone()),
                    ("section", v.section.clone()),
                    ("pointer", v.pointer.clone()),
                ],
            )
        })
        .collect()
}

fn nothing() -> Decided {
    (
        CellVerdict::NotShown,
        vec![Finding::new("nothing_delivered", &[])],
    )
}

/// Not met with violations, else `verdict`.
fn decide(mut findings: Vec<Finding>, broken: Vec<Finding>, remarks: bool) -> Decided {
    let verdict = if !broken.is_empty() {
        CellVerdict::NotMet
    } else if remarks {
        CellVerdict::MetWithRemarks
    } else {
        CellVerdict::Met
    };
    findings.extend(broken);
    (verdict, findings)
}

fn update_case(evidence: &Evidence) -> Decided {
    let cases = evidence.cases;
    if cases.delivered == 0 {
        return nothing();
    }
    let mut findings = vec![Finding::new(
        "cases",
        &[
            ("count", cases.delivered.to_string()),
            ("updated", cases.updated.to_string()),
        ],
    )];
    let mut remarks = false;
    if cases.updated == 0 {
        findings.push(Finding::new("no_update", &[]));
        remarks = true;
    }
    if evidence.closed_cases == 0 {
        findings.push(Finding::new("no_closed_cases", &[]));
        remarks = true;
    } else {
        findings.push(Finding::new(
            "closed_cases",
            &[("count", evidence.closed_cases.to_string())],
        ));
    }
    let broken = violations(evidence, Capability::UpdateCase);
    decide(findings, broken, remarks)
}

fn update_objects(
    evidence: &Evidence,
    capability: Capability,
    counts: Counts,
    code: &'static str,
) -> Decided {
    let broken = violations(evidence, capability);
    if counts.delivered == 0 && broken.is_empty() {
        return nothing();
    }
    let mut findings = vec![Finding::new(
        code,
        &[
            ("count", counts.delivered.to_string()),
            ("updated", counts.updated.to_string()),
        ],
    )];
    let remarks = counts.updated == 0;
    if remarks {
        findings.push(Finding::new("no_document_update", &[]));
    }
    decide(findings, broken, remarks)
}

fn read_organisation(evidence: &Evidence) -> Decided {
    let mut broken = violations(evidence, Capability::ReadOrganisation);
    if evidence.units.is_empty() && broken.is_empty() {
        return nothing();
    }
    let mut findings = Vec::new();
    let mut remarks = false;
    for municipality in &evidence.units {
        let code = municipality.municipality_code.to_string();
        let cases: u64 = municipality.units.iter().map(|(_, n)| n).sum();
        findings.push(Finding::new(
            "units",
            &[
                ("municipality", code.clone()),
                ("cases", cases.to_string()),
                ("units", municipality.units.len().to_string()),
            ],
        ));
        if let [(unit, n)] = municipality.units.as_slice()
            && *n >= ONE_UNIT_MIN_CASES
        {
            broken.push(Finding::new(
                "one_unit",
                &[
                    ("municipality", code.clone()),
                    ("cases", n.to_string()),
                    ("unit", unit.clone()),
                ],
            ));
        }
        match &municipality.directory {
            None => {
                findings.push(Finding::new("no_directory", &[("municipality", code)]));
                remarks = true;
            }
            Some(directory) => {
                let missing: Vec<_> = municipality
                    .units
                    .iter()
                    .filter(|(unit, _)| !directory.contains(unit))
                    .collect();
                if missing.is_empty() {
                    findings.push(Finding::new(
                        "units_in_directory",
                        &[("municipality", code.clone())],
                    ));
                }
                for (unit, n) in missing {
                    broken.push(Finding::new(
                        "unit_not_in_directory",
                        &[
                            ("municipality", code.clone()),
                            ("unit", unit.clone()),
                            ("cases", n.to_string()),
                        ],
                    ));
                }
            }
        }
    }
    decide(findings, broken, remarks)
}

fn read_classification(evidence: &Evidence) -> Decided {
    let mut broken = violations(evidence, Capability::ReadClassification);
    if evidence.classes.is_empty() && broken.is_empty() {
        return nothing();
    }
    let cases: u64 = evidence.classes.iter().map(|c| c.cases).sum();
    let mut findings = vec![Finding::new(
        "classes",
        &[
            ("subjects", evidence.classes.len().to_string()),
            ("cases", cases.to_string()),
        ],
    )];
    if !evidence.plan_imported {
        findings.push(Finding::new("no_plan", &[]));
        return decide(findings, broken, true);
    }
    let mut remarks = false;
    for class in &evidence.classes {
        let args = [
            ("subject", class.subject.clone()),
            ("cases", class.cases.to_string()),
        ];
        if !class.in_plan {
            broken.push(Finding::new("class_not_in_plan", &args));
        } else if let Some(on) = class.expired_on.filter(|on| *on <= evidence.today) {
            let mut args = args.to_vec();
            args.push(("on", on.to_string()));
            findings.push(Finding::new("class_expired", &args));
            remarks = true;
        }
    }
    if broken.is_empty() && !remarks {
        findings.push(Finding::new("classes_in_plan", &[]));
    }
    decide(findings, broken, remarks)
}

fn remove(evidence: &Evidence) -> Decided {
    let mut findings: Vec<Finding> = evidence
        .system_changes
        .iter()
        .map(|change| {
            Finding::new(
                "system_change",
                &[
                    (
                        "municipality",
                        change
                            .municipality_code
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                    ),
                    ("on", change.on.to_string()),
                    ("entities", change.entities.to_string()),
                ],
            )
        })
        .collect();
    if evidence.own_removals > 0 {
        findings.push(Finding::new(
            "own_removals",
            &[("count", evidence.own_removals.to_string())],
        ));
    }
    if !evidence.system_changes.is_empty() {
        (CellVerdict::Met, findings)
    } else if evidence.own_removals > 0 {
        findings.push(Finding::new("no_system_change", &[]));
        (CellVerdict::MetWithRemarks, findings)
    } else {
        (CellVerdict::NotShown, vec![Finding::new("no_removal", &[])])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn units(code: u16, units: &[(&str, u64)], directory: Option<&[&str]>) -> MunicipalityUnits {
        MunicipalityUnits {
            municipality_code: code,
            units: units.iter().map(|(u, n)| (u.to_string(), *n)).collect(),
            directory: directory.map(|d| d.iter().map(|u| u.to_string()).collect()),
        }
    }

    fn class(subject: &str, cases: u64, in_plan: bool, expired_on: Option<Date>) -> ClassUse {
        ClassUse {
            subject: subject.into(),
            cases,
            in_plan,
            expired_on,
        }
    }

    fn tally(kind: &str, rule: &str, section: &str, pointer: &str) -> ViolationTally {
        ViolationTally {
            object_kind: kind.into(),
            rule: rule.into(),
            section: section.into(),
            pointer: pointer.into(),
            count: 3,
        }
    }

    /// Everything shown, nothing broken.
    fn full() -> Evidence {
        Evidence {
            cases: Counts {
                delivered: 20,
                updated: 5,
            },
            closed_cases: 2,
            documents: Counts {
                delivered: 4,
                updated: 1,
            },
            journal_notes: Counts {
                delivered: 2,
                updated: 1,
            },
            units: vec![units(751, &[("a", 12), ("b", 8)], Some(&["a", "b", "c"]))],
            classes: vec![class("32.18.04", 20, true, None)],
            plan_imported: true,
            system_changes: vec![SystemChange {
                municipality_code: Some(461),
                on: TODAY,
                entities: 7,
            }],
            ..Evidence::empty(SystemKind::Case, TODAY)
        }
    }

    fn verdicts(a: &Assessment) -> Vec<CellVerdict> {
        a.cells.iter().map(|c| c.verdict).collect()
    }

    #[test]
    fn full_evidence_is_approved() {
        let a = assess(&full());
        assert_eq!(verdicts(&a), vec![CellVerdict::Met; 6]);
        assert_eq!(a.verdict, Verdict::Approved);
        assert_eq!(a.verdict.danish(), "Godkendt");
    }

    #[test]
    fn nothing_delivered_is_not_shown_everywhere_and_not_approved() {
        let a = assess(&Evidence::empty(SystemKind::Case, TODAY));
        assert_eq!(verdicts(&a), vec![CellVerdict::NotShown; 6]);
        assert_eq!(a.verdict, Verdict::NotApproved);
        assert!(
            a.cells[..5]
                .iter()
                .all(|c| c.findings[0].code == "nothing_delivered")
        );
        assert_eq!(a.cells[5].findings[0].code, "no_removal");
    }

    /// The slides' Fasit: cases imported and updated, no journal notes,
    /// no documents, units and KLE not checked, no removal.
    #[test]
    fn fasit_is_approved_with_remarks() {
        let fasit = Evidence {
            documents: Counts::default(),
            journal_notes: Counts::default(),
            units: vec![units(751, &[("a", 2), ("b", 2)], None)],
            plan_imported: false,
            system_changes: Vec::new(),
            ..full()
        };
        let a = assess(&fasit);
        use CellVerdict::*;
        assert_eq!(
            verdicts(&a),
            vec![
                Met,
                NotShown,
                NotShown,
                MetWithRemarks,
                MetWithRemarks,
                NotShown
            ]
        );
        assert_eq!(a.verdict, Verdict::ApprovedWithRemarks);
        assert_eq!(a.verdict.danish(), "Godkendt med bemærkninger");
    }

    /// The slides' Momentum: no passive cases, one hard-coded unit, KLE
    /// references in error (report mode kept the violations).
    #[test]
    fn momentum_is_not_approved() {
        let momentum = Evidence {
            closed_cases: 0,
            documents: Counts::default(),
            journal_notes: Counts::default(),
            units: vec![units(706, &[("one", 20)], None)],
            classes: vec![class("15.17", 4, false, None)],
            plan_imported: false,
            violations: vec![tally(
                "case",
                "wrong_reference",
                "08 Sagsklasse, Primær klasse [OB1]",
                "/relationer/4/reference",
            )],
            system_changes: Vec::new(),
            ..full()
        };
        let a = assess(&momentum);
        use CellVerdict::*;
        assert_eq!(
            verdicts(&a),
            vec![MetWithRemarks, NotShown, NotShown, NotMet, NotMet, NotShown]
        );
        assert_eq!(a.verdict, Verdict::NotApproved);
        let org = a.cell(Capability::ReadOrganisation);
        assert!(org.findings.iter().any(|f| f.code == "one_unit"));
        assert!(
            a.cell(Capability::UpdateCase)
                .findings
                .iter()
                .any(|f| f.code == "no_closed_cases")
        );
    }

    #[test]
    fn one_unit_below_the_threshold_is_no_fault() {
        let few = Evidence {
            units: vec![units(751, &[("a", ONE_UNIT_MIN_CASES - 1)], Some(&["a"]))],
            ..full()
        };
        assert_eq!(
            assess(&few).cell(Capability::ReadOrganisation).verdict,
            CellVerdict::Met
        );
    }

    #[test]
    fn a_unit_outside_the_directory_is_not_met() {
        let stray = Evidence {
            units: vec![units(751, &[("a", 3), ("x", 1)], Some(&["a"]))],
            ..full()
        };
        let a = assess(&stray);
        let cell = a.cell(Capability::ReadOrganisation);
        assert_eq!(cell.verdict, CellVerdict::NotMet);
        assert!(
            cell.findings
                .iter()
                .any(|f| f.code == "unit_not_in_directory" && f.arg("unit") == "x")
        );
        assert_eq!(a.verdict, Verdict::NotApproved);
    }

    #[test]
    fn classes_against_the_plan() {
        let unknown = Evidence {
            classes: vec![class("99.99.99", 1, false, None)],
            ..full()
        };
        assert_eq!(
            assess(&unknown)
                .cell(Capability::ReadClassification)
                .verdict,
            CellVerdict::NotMet
        );
        let expired = Evidence {
            classes: vec![class("32.18.04", 1, true, Some(date!(2026 - 01 - 01)))],
            ..full()
        };
        assert_eq!(
            assess(&expired)
                .cell(Capability::ReadClassification)
                .verdict,
            CellVerdict::MetWithRemarks
        );
        let later = Evidence {
            classes: vec![class("32.18.04", 1, true, Some(date!(2027 - 01 - 01)))],
            ..full()
        };
        assert_eq!(
            assess(&later).cell(Capability::ReadClassification).verdict,
            CellVerdict::Met
        );
    }

    #[test]
    fn violations_count_against_their_capability() {
        let cases = [
            (
                "case",
                "unknown_org_unit",
                "06 Sagsaktør, Ansvarlig [OB1]",
                "/relationer/1/reference",
                Capability::ReadOrganisation,
            ),
            (
                "case",
                "kle_subject_not_active",
                "08",
                "/relationer/3",
                Capability::ReadClassification,
            ),
            (
                "case",
                "title_too_long",
                "03 Sagsegenskaber [OB1]",
                "/egenskaber/0/titel",
                Capability::UpdateCase,
            ),
            (
                "document",
                "unknown_case",
                "11 Journalpost",
                "/journalposter/0/sag",
                Capability::UpdateJournalNote,
            ),
            (
                "document",
                "title_too_long",
                "03",
                "/egenskaber/0/titel",
                Capability::UpdateDocument,
            ),
        ];
        for (kind, rule, section, pointer, capability) in cases {
            let v = tally(kind, rule, section, pointer);
            assert_eq!(v.capability(), Some(capability), "{rule}");
            let a = assess(&Evidence {
                violations: vec![v],
                ..full()
            });
            assert_eq!(a.cell(capability).verdict, CellVerdict::NotMet, "{rule}");
            assert_eq!(a.verdict, Verdict::NotApproved);
        }
        assert_eq!(tally("claim", "x", "y", "/z").capability(), None);
    }

    #[test]
    fn imports_only_and_fjern_only_are_remarks() {
        let a = assess(&Evidence {
            cases: Counts {
                delivered: 3,
                updated: 0,
            },
            documents: Counts {
                delivered: 2,
                updated: 0,
            },
            system_changes: Vec::new(),
            own_removals: 4,
            ..full()
        });
        assert_eq!(
            a.cell(Capability::UpdateCase).verdict,
            CellVerdict::MetWithRemarks
        );
        assert_eq!(
            a.cell(Capability::UpdateDocument).verdict,
            CellVerdict::MetWithRemarks
        );
        assert_eq!(
            a.cell(Capability::RemoveOnSystemChange).verdict,
            CellVerdict::MetWithRemarks
        );
        assert_eq!(a.verdict, Verdict::ApprovedWithRemarks);
    }

    #[test]
    fn a_document_system_is_judged_on_its_documents() {
        let docs = Evidence {
            cases: Counts::default(),
            closed_cases: 0,
            units: Vec::new(),
            classes: Vec::new(),
            ..full()
        };
        let a = assess(&Evidence {
            kind: SystemKind::Document,
            ..docs.clone()
        });
        assert_eq!(a.verdict, Verdict::ApprovedWithRemarks);
        assert_eq!(assess(&docs).verdict, Verdict::NotApproved);
    }

    #[test]
    fn every_finding_has_an_english_sentence() {
        let a = assess(&Evidence {
            violations: vec![tally("case", "r", "s", "/p")],
            own_removals: 1,
            ..full()
        });
        for cell in &a.cells {
            for finding in &cell.findings {
                assert_ne!(finding.english(), finding.code, "{}", finding.code);
            }
        }
    }
}
