//! KL's subject classification (KLE, *KL's Emnesystematik*): the subject
//! plan (`KLE-Emneplan`, XML format version 2.0) that every case in the
//! citizen index is classified by, and the action facets
//! (`KLE-Handlingsfacetter`) that say what was done in it.
//!
//! # The plan
//!
//! Three levels, each numbered with two digits a level: main groups
//! (Hovedgruppe, `32` Kontante ydelser), groups (Gruppe, `32.18` Ydelser
//! efter serviceloven) and subjects (Emne, `32.18.04` Merudgiftsydelse,
//! børn med nedsat funktionsevne). A case's primary class (SF1470
//! `PrimaerKlasse`) is a subject. Every entry carries its administrative
//! info ([`Administration`]): when it was created (`OprettetDato`), last
//! corrected (`RettetDato`), and, once it is no longer in use, its history
//! (`Historisk`): retired (`UdgaaetDato`) or moved (`Flyttet`, with the
//! date and, mostly, the entry that replaces it, `AfloestAf`). KL never
//! deletes an entry from the plan: a retired one stays, with `[udgået]` in
//! its title. A subject also carries its [`Retention`]: the deletion period
//! under the data protection rules (`SletningJaevnfoerPersondataloven`, an
//! ISO 8601 duration, `P1800D` in most of the 2015 edition) and the
//! archival code (`BevaringJaevnfoerArkivloven`: `B`, `K`, `tom`).
//!
//! What is left out: the guidance texts (`…Vejledning`, HTML-like
//! paragraphs), the legal references (`…RetskildeReference`) and the
//! sub-plan filters (`…Filter`). They are recognised and skipped; the index
//! needs none of them to check or keep a case.
//!
//! "Active" means what the plan means by it: an entry without `Historisk`
//! is in use. At a given date ([`SubjectPlan::activity_at`]) an entry is
//! active if it was created on or before that date, its history (if any)
//! dates from after it, and its group and main group are active too.
//!
//! # The action facets
//!
//! KL publishes them in a file of their own (`KLE-Handlingsfacetter`, not in
//! the emneplan: the 2015 fixture has none). [`facets`] models that file:
//! categories (one capital letter) and facets (the letter and two digits,
//! `G01`), each with its title, administrative info and archival code, and
//! parses it with the same guards ([`parse_action_facets`]). Its element
//! names follow the format's published schema as other KLE importers read
//! it; no real file of it has been checked here yet.
//!
//! # Parsing
//!
//! [`parse_subject_plan`] takes the file's bytes and gives a [`SubjectPlan`]
//! or a [`KleRefusal`]: its kind, the element's path
//! (`/KLE-Emneplan/Hovedgruppe[33]/Gruppe[4]/Emne[2]/EmneNr`) and what is
//! wrong. It refuses DTDs and entity declarations, files over
//! [`MAX_FILE_BYTES`], deeper nesting than [`MAX_DEPTH`], more than
//! [`MAX_NODES`] nodes, elements the format does not have at a place, a
//! missing or repeated element, a malformed date, number or period, a
//! number that does not start with its parent's, and a number used twice.
//! A replacement (`AfloestAf`) that names no entry of the plan is not
//! refused (the 2015 edition has one, `29.00.09`): the import reports
//! [`SubjectPlan::dangling_replacements`].
//!
//! # How `samspil import kle FILE` plugs in
//!
//! The command (in the binary) and the store (in the citizen SQL crate) are
//! not here; they use these pieces:
//!
//! 1. read the file and call [`parse_subject_plan`]; on a refusal print it
//!    (kind, location, message) and change nothing;
//! 2. load the plan stored by the last import as a [`SubjectPlan`] again
//!    with [`SubjectPlan::from_entries`] (the store keeps one row per entry:
//!    number, title, the [`Administration`] fields, and for a subject its
//!    [`Retention`] as text, `Period`'s and `Archival`'s `Display`), or
//!    [`SubjectPlan::empty`] on the first import;
//! 3. [`diff::diff`] the stored plan against the new one and, in one
//!    transaction, write every entry of the new plan (upsert by number;
//!    entries only in the stored plan are [`diff::ChangeKind::Removed`] and
//!    stay stored as they were, marked removed, since cases may point at
//!    them), with an audit entry carrying [`diff::PlanDiff::counts`];
//! 4. print the counts and, on request, [`diff::PlanDiff::changes`] one a
//!    line (each change's `Display`), and the dangling replacements.
//!
//! The case validation (issue 15: "KLE exists and is active at the validity
//! date") asks the stored plan [`SubjectPlan::activity_at`] with the class
//! relation's `FraTidspunkt`; the retention job asks
//! [`SubjectPlan::retention`] for a closed case's subject.

use std::collections::BTreeMap;
use std::fmt;

use time::Date;

pub mod diff;
pub mod facets;
mod number;
mod parse;
mod retention;
mod stored;
mod xml;

pub use facets::{ActionFacets, parse_action_facets};
pub use number::{KleNumber, Level, MalformedKleNumber};
pub use parse::{KleRefusal, KleRefusalKind, parse_subject_plan};
pub use retention::{Archival, MalformedPeriod, Period, Retention};
pub use stored::KleSubject;

/// The largest file read: 64 MiB. The 2015 edition with all its guidance
/// texts is 3.3 MB; today's editions are of the same order.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The most XML nodes (elements, texts, comments) a file may hold. The 2015
/// edition has about 180,000; this leaves room for over twenty times that.
pub const MAX_NODES: u32 = 5_000_000;

/// The deepest nesting of elements. The plan's deepest element (a list item
/// in a subject's guidance text) is nine levels deep, the root counted.
pub const MAX_DEPTH: usize = 32;

/// The most attributes (namespace declarations included) on one element;
/// the plan's root has three.
pub const MAX_ATTRIBUTES: usize = 32;

/// The most namespace declarations in scope at any element.
pub const MAX_NAMESPACES_IN_SCOPE: usize = 32;

/// The administrative info every entry of the plan carries
/// (`…AdministrativInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Administration {
    /// `OprettetDato`: in use from this date.
    pub created: Date,
    /// `RettetDato`: last corrected (titles, guidance), if ever.
    pub corrected: Option<Date>,
    /// `Historisk`: no longer in use; `None` for an active entry.
    pub history: Option<History>,
}

impl Administration {
    /// Whether the entry itself (not its parents) is in use on `date`.
    pub fn in_use_on(&self, date: Date) -> bool {
        self.created <= date && self.history.as_ref().is_none_or(|h| date < h.date())
    }
}

/// Why an entry is no longer in use (`Historisk`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum History {
    /// `UdgaaetDato`: retired on this date, nothing takes its place.
    Retired { on: Date },
    /// `Flyttet`: moved on this date (`FlyttetDato`), its cases now belong
    /// under `replaced_by` (`AfloestAf`, a subject or a group; two moves in
    /// the 2015 edition name none).
    Moved {
        on: Date,
        replaced_by: Option<KleNumber>,
    },
}

impl History {
    /// The date from which the entry is no longer in use.
    pub fn date(&self) -> Date {
        match self {
            History::Retired { on } | History::Moved { on, .. } => *on,
        }
    }

    pub fn replaced_by(&self) -> Option<KleNumber> {
        match self {
            History::Retired { .. } => None,
            History::Moved { replaced_by, .. } => *replaced_by,
        }
    }
}

/// A main group (Hovedgruppe), e.g. `32` Kontante ydelser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainGroup {
    pub number: KleNumber,
    pub title: String,
    pub administration: Administration,
}

/// A group (Gruppe), e.g. `32.18` Ydelser efter serviceloven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub number: KleNumber,
    pub title: String,
    pub administration: Administration,
}

/// A subject (Emne), e.g. `32.18.04`; what a case is classified by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub number: KleNumber,
    pub title: String,
    pub administration: Administration,
    pub retention: Retention,
}

/// One entry of the plan, of any level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    MainGroup(&'a MainGroup),
    Group(&'a Group),
    Subject(&'a Subject),
}

impl<'a> Entry<'a> {
    pub fn number(self) -> KleNumber {
        match self {
            Entry::MainGroup(e) => e.number,
            Entry::Group(e) => e.number,
            Entry::Subject(e) => e.number,
        }
    }

    pub fn title(self) -> &'a str {
        match self {
            Entry::MainGroup(e) => &e.title,
            Entry::Group(e) => &e.title,
            Entry::Subject(e) => &e.title,
        }
    }

    pub fn administration(self) -> &'a Administration {
        match self {
            Entry::MainGroup(e) => &e.administration,
            Entry::Group(e) => &e.administration,
            Entry::Subject(e) => &e.administration,
        }
    }

    /// A subject's retention rule; none for a group or main group.
    pub fn retention(self) -> Option<&'a Retention> {
        match self {
            Entry::Subject(e) => Some(&e.retention),
            _ => None,
        }
    }

    /// Whether the plan lists it as in use (no `Historisk`).
    pub fn is_active(self) -> bool {
        self.administration().history.is_none()
    }
}

/// The whole plan of one edition, indexed by number. Every group's main
/// group and every subject's group is in it, and no number is used twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectPlan {
    published: Option<Date>,
    main_groups: BTreeMap<KleNumber, MainGroup>,
    groups: BTreeMap<KleNumber, Group>,
    subjects: BTreeMap<KleNumber, Subject>,
}

/// Why an entry's number is not active at a date
/// ([`SubjectPlan::activity_at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    /// In the plan and in use at the date.
    Active,
    /// The text is not a KLE number at all.
    Malformed,
    /// A well-formed number the plan does not have.
    Unknown,
    /// Created only after the date.
    NotYetCreated { created: Date },
    /// Retired or moved on or before the date.
    Ended(History),
    /// The entry is in use but its group or main group (`parent`) is not.
    ParentEnded { parent: KleNumber },
    /// An action facet in use under a category that is not.
    CategoryEnded { category: facets::FacetNumber },
}

impl Activity {
    pub fn is_active(&self) -> bool {
        matches!(self, Activity::Active)
    }
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activity::Active => f.write_str("active"),
            Activity::Malformed => write!(f, "{MalformedKleNumber}"),
            Activity::Unknown => f.write_str("not in the KLE plan"),
            Activity::NotYetCreated { created } => write!(f, "in use only from {created}"),
            Activity::Ended(History::Retired { on }) => write!(f, "retired on {on}"),
            Activity::Ended(History::Moved {
                on,
                replaced_by: Some(by),
            }) => write!(f, "moved on {on}, replaced by {by}"),
            Activity::Ended(History::Moved {
                on,
                replaced_by: None,
            }) => write!(f, "moved on {on}"),
            Activity::ParentEnded { parent } => write!(f, "{parent} is no longer in use"),
            Activity::CategoryEnded { category } => {
                write!(f, "category {category} is no longer in use")
            }
        }
    }
}

/// A plan whose entries do not fit together ([`SubjectPlan::from_entries`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InconsistentPlan {
    /// A number is given at the wrong level (a subject's number as a group).
    WrongLevel { number: KleNumber },
    /// The same number twice.
    Duplicate { number: KleNumber },
    /// A group without its main group, a subject without its group.
    MissingParent { number: KleNumber },
}

impl fmt::Display for InconsistentPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InconsistentPlan::WrongLevel { number } => {
                write!(f, "{number} is given at the wrong level")
            }
            InconsistentPlan::Duplicate { number } => write!(f, "{number} is given twice"),
            InconsistentPlan::MissingParent { number } => write!(
                f,
                "{number} has no {} in the plan",
                number.parent().map_or("parent", |p| p.level().element())
            ),
        }
    }
}

impl std::error::Error for InconsistentPlan {}

impl SubjectPlan {
    /// No entries: what a first import is compared against.
    pub fn empty() -> Self {
        SubjectPlan {
            published: None,
            main_groups: BTreeMap::new(),
            groups: BTreeMap::new(),
            subjects: BTreeMap::new(),
        }
    }

    /// A plan from its entries (as a store keeps them), checked as the
    /// parser checks a file: each at its level, no number twice, every
    /// parent present.
    pub fn from_entries(
        published: Option<Date>,
        main_groups: impl IntoIterator<Item = MainGroup>,
        groups: impl IntoIterator<Item = Group>,
        subjects: impl IntoIterator<Item = Subject>,
    ) -> Result<Self, InconsistentPlan> {
        let mut plan = SubjectPlan::empty();
        plan.published = published;
        for entry in main_groups {
            insert(&mut plan.main_groups, entry.number, Level::MainGroup, entry)?;
        }
        for entry in groups {
            insert(&mut plan.groups, entry.number, Level::Group, entry)?;
        }
        for entry in subjects {
            insert(&mut plan.subjects, entry.number, Level::Subject, entry)?;
        }
        let orphan = plan
            .groups
            .keys()
            .chain(plan.subjects.keys())
            .find(|number| number.parent().is_none_or(|p| plan.entry(p).is_none()));
        match orphan {
            Some(number) => Err(InconsistentPlan::MissingParent { number: *number }),
            None => Ok(plan),
        }
    }

    /// `UdgivelsesDato`, the edition's publication date (none for
    /// [`SubjectPlan::empty`]).
    pub fn published(&self) -> Option<Date> {
        self.published
    }

    pub fn main_groups(&self) -> impl Iterator<Item = &MainGroup> {
        self.main_groups.values()
    }

    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    pub fn subjects(&self) -> impl Iterator<Item = &Subject> {
        self.subjects.values()
    }

    /// Every entry in the plan's order (a main group, its groups, each
    /// followed by its subjects).
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        let mut all: Vec<Entry<'_>> = self
            .main_groups
            .values()
            .map(Entry::MainGroup)
            .chain(self.groups.values().map(Entry::Group))
            .chain(self.subjects.values().map(Entry::Subject))
            .collect();
        all.sort_by_key(|entry| entry.number());
        all.into_iter()
    }

    /// The groups of a main group, the subjects of a group, in order.
    pub fn children(&self, number: KleNumber) -> impl Iterator<Item = Entry<'_>> {
        let groups = self
            .groups
            .values()
            .filter(move |g| g.number.parent() == Some(number))
            .map(Entry::Group);
        let subjects = self
            .subjects
            .values()
            .filter(move |s| s.number.parent() == Some(number))
            .map(Entry::Subject);
        groups.chain(subjects)
    }

    /// The entry with this number, of whatever level.
    pub fn entry(&self, number: KleNumber) -> Option<Entry<'_>> {
        match number.level() {
            Level::MainGroup => self.main_groups.get(&number).map(Entry::MainGroup),
            Level::Group => self.groups.get(&number).map(Entry::Group),
            Level::Subject => self.subjects.get(&number).map(Entry::Subject),
        }
    }

    /// The subject with this number (`32.18.04`), as a case's class names
    /// it; `None` for a malformed number, another level or an unknown one.
    pub fn subject(&self, number: &str) -> Option<&Subject> {
        self.subjects.get(&number.parse().ok()?)
    }

    /// Whether `number` is in the plan and in use on `date`
    /// ([`SubjectPlan::activity_at`] says why not).
    pub fn is_active_at(&self, number: &str, date: Date) -> bool {
        self.activity_at(number, date).is_active()
    }

    /// Whether the entry `number` (any level) is in use on `date`, and if
    /// not why: malformed, unknown, not yet created, retired or moved (with
    /// what replaces it), or in use itself under a group or main group that
    /// is not.
    pub fn activity_at(&self, number: &str, date: Date) -> Activity {
        let Ok(number) = number.parse::<KleNumber>() else {
            return Activity::Malformed;
        };
        let Some(entry) = self.entry(number) else {
            return Activity::Unknown;
        };
        if let Some(ended) = ended_on(entry.administration(), date) {
            return ended;
        }
        let mut parent = number.parent();
        while let Some(up) = parent {
            match self.entry(up) {
                Some(entry) if entry.administration().in_use_on(date) => {}
                _ => return Activity::ParentEnded { parent: up },
            }
            parent = up.parent();
        }
        Activity::Active
    }

    /// The retention rule of the subject `number`; `None` if the plan has
    /// no such subject.
    pub fn retention(&self, number: &str) -> Option<&Retention> {
        self.subject(number).map(|s| &s.retention)
    }

    /// Moves whose replacement (`AfloestAf`) names no entry of this plan:
    /// `(moved entry, named replacement)`.
    pub fn dangling_replacements(&self) -> Vec<(KleNumber, KleNumber)> {
        self.entries()
            .filter_map(|entry| {
                let by = entry.administration().history.as_ref()?.replaced_by()?;
                self.entry(by).is_none().then_some((entry.number(), by))
            })
            .collect()
    }
}

fn ended_on(administration: &Administration, date: Date) -> Option<Activity> {
    if date < administration.created {
        return Some(Activity::NotYetCreated {
            created: administration.created,
        });
    }
    match &administration.history {
        Some(history) if history.date() <= date => Some(Activity::Ended(history.clone())),
        _ => None,
    }
}

fn insert<T>(
    map: &mut BTreeMap<KleNumber, T>,
    number: KleNumber,
    level: Level,
    entry: T,
) -> Result<(), InconsistentPlan> {
    if number.level() != level {
        return Err(InconsistentPlan::WrongLevel { number });
    }
    if map.insert(number, entry).is_some() {
        return Err(InconsistentPlan::Duplicate { number });
    }
    Ok(())
}
