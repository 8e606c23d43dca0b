//! What changed between two editions of the plan, for a re-import to apply
//! and report: entries added, removed, retitled, retired (with what
//! replaces them), reactivated, whose history changed, and subjects whose
//! deletion period or archival code changed.

use std::collections::BTreeSet;
use std::fmt;

use time::Date;

use super::{Archival, Entry, History, KleNumber, Level, Period, SubjectPlan};

/// One change to one entry. An entry can have several (retitled and
/// retired in the same edition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub number: KleNumber,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// New in this edition; `active` false if it arrives already historic.
    Added { title: String, active: bool },
    /// In the old plan, not in the new (KL does not remove entries, it
    /// retires them, so this points at a wrong or partial file).
    Removed { title: String },
    /// The title changed. Only `[udgået]` added on retirement or dropped on
    /// reactivation is not a retitling (it is part of those changes).
    Retitled { from: String, to: String },
    /// Was active, now has a history: retired, or moved with its
    /// replacement.
    Retired(History),
    /// Had a history, now has none.
    Reactivated { was: History },
    /// Historic in both, with another date or replacement.
    HistoryChanged { from: History, to: History },
    /// A subject's `SletningJaevnfoerPersondataloven` changed (or appeared,
    /// or went).
    DeletionRuleChanged {
        from: Option<Period>,
        to: Option<Period>,
    },
    /// A subject's `BevaringJaevnfoerArkivloven` changed.
    ArchivalChanged { from: Archival, to: Archival },
}

/// How many changes of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiffCounts {
    pub added: usize,
    pub removed: usize,
    pub retitled: usize,
    pub retired: usize,
    pub reactivated: usize,
    pub history_changed: usize,
    pub deletion_rule_changed: usize,
    pub archival_changed: usize,
}

impl DiffCounts {
    pub fn total(&self) -> usize {
        self.added
            + self.removed
            + self.retitled
            + self.retired
            + self.reactivated
            + self.history_changed
            + self.deletion_rule_changed
            + self.archival_changed
    }
}

/// The changes from one plan to another, in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDiff {
    /// The old plan's publication date (none for a first import).
    pub from: Option<Date>,
    pub to: Option<Date>,
    changes: Vec<Change>,
}

impl PlanDiff {
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes of one level only (the import's report lists subjects).
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(move |c| c.number.level() == level)
    }

    pub fn counts(&self) -> DiffCounts {
        let mut counts = DiffCounts::default();
        for change in &self.changes {
            let slot = match change.kind {
                ChangeKind::Added { .. } => &mut counts.added,
                ChangeKind::Removed { .. } => &mut counts.removed,
                ChangeKind::Retitled { .. } => &mut counts.retitled,
                ChangeKind::Retired(_) => &mut counts.retired,
                ChangeKind::Reactivated { .. } => &mut counts.reactivated,
                ChangeKind::HistoryChanged { .. } => &mut counts.history_changed,
                ChangeKind::DeletionRuleChanged { .. } => &mut counts.deletion_rule_changed,
                ChangeKind::ArchivalChanged { .. } => &mut counts.archival_changed,
            };
            *slot += 1;
        }
        counts
    }
}

/// The changes that turn `old` into `new`. Dates of creation and
/// correction are not compared: a correction shows as what it corrected.
pub fn diff(old: &SubjectPlan, new: &SubjectPlan) -> PlanDiff {
    let numbers: BTreeSet<KleNumber> = old
        .entries()
        .chain(new.entries())
        .map(Entry::number)
        .collect();
    let mut changes = Vec::new();
    for number in numbers {
        let mut push = |kind| changes.push(Change { number, kind });
        match (old.entry(number), new.entry(number)) {
            (None, Some(added)) => push(ChangeKind::Added {
                title: added.title().to_owned(),
                active: added.is_active(),
            }),
            (Some(removed), None) => push(ChangeKind::Removed {
                title: removed.title().to_owned(),
            }),
            (Some(before), Some(after)) => compare(before, after, &mut push),
            (None, None) => {}
        }
    }
    PlanDiff {
        from: old.published(),
        to: new.published(),
        changes,
    }
}

fn compare(before: Entry, after: Entry, push: &mut impl FnMut(ChangeKind)) {
    if without_retired_marker(before.title()) != without_retired_marker(after.title()) {
        push(ChangeKind::Retitled {
            from: before.title().to_owned(),
            to: after.title().to_owned(),
        });
    }
    match (
        &before.administration().history,
        &after.administration().history,
    ) {
        (None, Some(history)) => push(ChangeKind::Retired(history.clone())),
        (Some(was), None) => push(ChangeKind::Reactivated { was: was.clone() }),
        (Some(from), Some(to)) if from != to => push(ChangeKind::HistoryChanged {
            from: from.clone(),
            to: to.clone(),
        }),
        _ => {}
    }
    if let (Some(from), Some(to)) = (before.retention(), after.retention()) {
        if from.deletion_after != to.deletion_after {
            push(ChangeKind::DeletionRuleChanged {
                from: from.deletion_after,
                to: to.deletion_after,
            });
        }
        if from.archival != to.archival {
            push(ChangeKind::ArchivalChanged {
                from: from.archival.clone(),
                to: to.archival.clone(),
            });
        }
    }
}

/// KL marks a retired entry's title with `[udgået]` at its end.
fn without_retired_marker(title: &str) -> &str {
    title.strip_suffix("[udgået]").map_or(title, str::trim_end)
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.number;
        match &self.kind {
            ChangeKind::Added {
                title,
                active: true,
            } => write!(f, "{number} added: {title}"),
            ChangeKind::Added {
                title,
                active: false,
            } => write!(f, "{number} added, already historic: {title}"),
            ChangeKind::Removed { title } => write!(f, "{number} removed: {title}"),
            ChangeKind::Retitled { from, to } => {
                write!(f, "{number} retitled: {from} → {to}")
            }
            ChangeKind::Retired(History::Retired { on }) => {
                write!(f, "{number} retired on {on}")
            }
            ChangeKind::Retired(History::Moved {
                on,
                replaced_by: Some(by),
            }) => write!(f, "{number} moved on {on}, replaced by {by}"),
            ChangeKind::Retired(History::Moved {
                on,
                replaced_by: None,
            }) => write!(f, "{number} moved on {on}"),
            ChangeKind::Reactivated { .. } => write!(f, "{number} in use again"),
            ChangeKind::HistoryChanged { from, to } => write!(
                f,
                "{number} history changed: {} → {}",
                describe(from),
                describe(to)
            ),
            ChangeKind::DeletionRuleChanged { from, to } => write!(
                f,
                "{number} deletion period changed: {} → {}",
                from.map_or("none".to_owned(), |p| p.to_string()),
                to.map_or("none".to_owned(), |p| p.to_string())
            ),
            ChangeKind::ArchivalChanged { from, to } => {
                write!(f, "{number} archival code changed: {from} → {to}")
            }
        }
    }
}

fn describe(history: &History) -> String {
    match history {
        History::Retired { on } => format!("retired on {on}"),
        History::Moved {
            on,
            replaced_by: Some(by),
        } => format!("moved on {on} to {by}"),
        History::Moved {
            on,
            replaced_by: None,
        } => format!("moved on {on}"),
    }
}
