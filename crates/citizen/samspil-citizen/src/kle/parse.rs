//! Reading a `KLE-Emneplan` file (format version 2.0) into a
//! [`SubjectPlan`].

use std::collections::BTreeMap;
use std::fmt;

use roxmltree::Node;

use super::xml::{self, Children, Result};
use super::{
    Administration, Archival, Group, History, KleNumber, Level, MainGroup, Retention, Subject,
    SubjectPlan,
};

/// What is wrong with a KLE file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KleRefusalKind {
    /// Larger than [`super::MAX_FILE_BYTES`].
    TooLarge,
    /// Not UTF-8.
    NotUtf8,
    /// A `<!DOCTYPE>`: DTDs are never processed.
    Dtd,
    /// An entity reference other than XML's five and character references.
    Entity,
    /// Not well-formed XML.
    Malformed,
    /// Nested deeper than [`super::MAX_DEPTH`].
    TooDeep,
    /// More nodes than [`super::MAX_NODES`].
    TooManyNodes,
    /// More attributes or namespace declarations than the limits.
    TooManyAttributes,
    /// The root is not the expected document (`KLE-Emneplan`,
    /// `KLE-Handlingsfacetter`).
    WrongDocument,
    /// A required element is missing.
    MissingElement,
    /// An element the format does not have at this place, or repeated.
    UnexpectedElement,
    /// Text where only elements belong.
    UnexpectedText,
    /// A bad date, number, period, or an empty title.
    InvalidValue,
    /// A number that does not start with its parent's number.
    WrongParent,
    /// A number used twice in the file.
    Duplicate,
}

/// A refused file: what is wrong, where, and how. The location is the
/// element's path (`/KLE-Emneplan/Hovedgruppe[33]/Gruppe[4]/Emne[2]/EmneNr`),
/// for input that is not XML the line and column, and empty when the whole
/// file is at fault. Messages are English, like the SF1470 codec's; a page
/// or command that shows them in Danish maps the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KleRefusal {
    pub kind: KleRefusalKind,
    pub location: String,
    pub message: String,
}

impl KleRefusal {
    pub fn new(
        kind: KleRefusalKind,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        KleRefusal {
            kind,
            location: location.into(),
            message: message.into(),
        }
    }

    pub(super) fn at(kind: KleRefusalKind, node: Node, message: impl Into<String>) -> Self {
        KleRefusal::new(kind, xml::location(node), message)
    }
}

impl fmt::Display for KleRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} (at {})", self.message, self.location)
        }
    }
}

impl std::error::Error for KleRefusal {}

impl From<samspil_xml::XmlRefusal> for KleRefusal {
    fn from(refusal: samspil_xml::XmlRefusal) -> Self {
        use samspil_xml::XmlRefusal as X;
        let kind = match refusal {
            X::TooLarge { .. } => KleRefusalKind::TooLarge,
            X::NotUtf8 { .. } => KleRefusalKind::NotUtf8,
            X::TooManyAttributes { .. } | X::TooManyNamespaces { .. } => {
                KleRefusalKind::TooManyAttributes
            }
            X::TooDeep { .. } => KleRefusalKind::TooDeep,
            X::TooManyNodes { .. } => KleRefusalKind::TooManyNodes,
            X::Dtd => KleRefusalKind::Dtd,
            X::Entity { .. } => KleRefusalKind::Entity,
            X::Malformed { .. } => KleRefusalKind::Malformed,
        };
        KleRefusal::new(kind, refusal.location(), refusal.message("the file"))
    }
}

/// Reads a KLE subject plan (`KLE-Emneplan`, XML format version 2.0).
/// Never panics; see the [module documentation](super#parsing) for what
/// is refused.
pub fn parse_subject_plan(bytes: &[u8]) -> std::result::Result<SubjectPlan, KleRefusal> {
    let document = xml::document(bytes)?;
    let root = document.root_element();
    expect_root(root, "KLE-Emneplan")?;
    let mut children = Children::of(root)?;
    let published = xml::date(children.one("UdgivelsesDato")?)?;
    let main_group_nodes = children.many("Hovedgruppe");
    children.finish()?;
    if main_group_nodes.is_empty() {
        return Err(KleRefusal::at(
            KleRefusalKind::MissingElement,
            root,
            "a subject plan has at least one Hovedgruppe",
        ));
    }

    let mut reader = PlanReader::default();
    for node in main_group_nodes {
        reader.main_group(node)?;
    }
    Ok(SubjectPlan {
        published: Some(published),
        main_groups: reader.main_groups,
        groups: reader.groups,
        subjects: reader.subjects,
    })
}

pub(super) fn expect_root(root: Node, name: &str) -> Result<()> {
    if root.tag_name().name() != name || root.tag_name().namespace().is_some() {
        return Err(KleRefusal::at(
            KleRefusalKind::WrongDocument,
            root,
            format!("this is not a {name} file (its root element must be {name}, in no namespace)"),
        ));
    }
    Ok(())
}

#[derive(Default)]
struct PlanReader {
    main_groups: BTreeMap<KleNumber, MainGroup>,
    groups: BTreeMap<KleNumber, Group>,
    subjects: BTreeMap<KleNumber, Subject>,
}

impl PlanReader {
    fn main_group(&mut self, node: Node) -> Result<()> {
        let mut children = Children::of(node)?;
        let number = number(children.one("HovedgruppeNr")?, Level::MainGroup, None)?;
        let title = xml::title(children.one("HovedgruppeTitel")?)?;
        let administration = administration(children.one("HovedgruppeAdministrativInfo")?)?;
        children.skip(&[
            "HovedgruppeVejledning",
            "HovedgruppeRetskildeReference",
            "HovedgruppeFilter",
        ]);
        let groups = children.many("Gruppe");
        children.finish()?;
        unique(&mut self.main_groups, node, number)?;
        self.main_groups.insert(
            number,
            MainGroup {
                number,
                title,
                administration,
            },
        );
        for group in groups {
            self.group(group, number)?;
        }
        Ok(())
    }

    fn group(&mut self, node: Node, main_group: KleNumber) -> Result<()> {
        let mut children = Children::of(node)?;
        let number = number(children.one("GruppeNr")?, Level::Group, Some(main_group))?;
        let title = xml::title(children.one("GruppeTitel")?)?;
        let administration = administration(children.one("GruppeAdministrativInfo")?)?;
        children.skip(&[
            "GruppeVejledning",
            "GruppeRetskildeReference",
            "GruppeFilter",
        ]);
        let subjects = children.many("Emne");
        children.finish()?;
        unique(&mut self.groups, node, number)?;
        self.groups.insert(
            number,
            Group {
                number,
                title,
                administration,
            },
        );
        for subject in subjects {
            self.subject(subject, number)?;
        }
        Ok(())
    }

    fn subject(&mut self, node: Node, group: KleNumber) -> Result<()> {
        let mut children = Children::of(node)?;
        let number = number(children.one("EmneNr")?, Level::Subject, Some(group))?;
        let title = xml::title(children.one("EmneTitel")?)?;
        let administration = administration(children.one("EmneAdministrativInfo")?)?;
        let archival = children
            .optional("BevaringJaevnfoerArkivloven")?
            .map(xml::text)
            .transpose()?
            .map_or(Archival::Unspecified, |code| Archival::parse(&code));
        let deletion_after = children
            .optional("SletningJaevnfoerPersondataloven")?
            .map(period)
            .transpose()?;
        children.skip(&["EmneVejledning", "EmneRetskildeReference", "EmneFilter"]);
        children.finish()?;
        unique(&mut self.subjects, node, number)?;
        self.subjects.insert(
            number,
            Subject {
                number,
                title,
                administration,
                retention: Retention {
                    deletion_after,
                    archival,
                },
            },
        );
        Ok(())
    }
}

fn unique<T>(map: &mut BTreeMap<KleNumber, T>, node: Node, number: KleNumber) -> Result<()> {
    if map.contains_key(&number) {
        return Err(KleRefusal::at(
            KleRefusalKind::Duplicate,
            node,
            format!("{number} occurs twice in the file"),
        ));
    }
    Ok(())
}

/// A number element's value: well-formed, of `level`, and below `parent`.
fn number(node: Node, level: Level, parent: Option<KleNumber>) -> Result<KleNumber> {
    let text = xml::text(node)?;
    let number: KleNumber = text.parse().map_err(|error: super::MalformedKleNumber| {
        KleRefusal::at(KleRefusalKind::InvalidValue, node, error.to_string())
    })?;
    if number.level() != level {
        return Err(KleRefusal::at(
            KleRefusalKind::InvalidValue,
            node,
            format!(
                "{number} is not the number of a {} ({})",
                level.element(),
                match level {
                    Level::MainGroup => "two digits, 00",
                    Level::Group => "two levels, 00.01",
                    Level::Subject => "three levels, 00.01.10",
                }
            ),
        ));
    }
    if let Some(parent) = parent
        && number.parent() != Some(parent)
    {
        return Err(KleRefusal::at(
            KleRefusalKind::WrongParent,
            node,
            format!(
                "{number} does not start with {parent}, the number of the {} it is in",
                parent.level().element()
            ),
        ));
    }
    Ok(number)
}

fn period(node: Node) -> Result<super::Period> {
    xml::text(node)?
        .parse()
        .map_err(|error: super::MalformedPeriod| {
            KleRefusal::at(KleRefusalKind::InvalidValue, node, error.to_string())
        })
}

/// `…AdministrativInfo`: `OprettetDato`, `RettetDato`?, `Historisk`?.
pub(super) fn administration(node: Node) -> Result<Administration> {
    let mut children = Children::of(node)?;
    let created = xml::date(children.one("OprettetDato")?)?;
    let corrected = children
        .optional("RettetDato")?
        .map(xml::date)
        .transpose()?;
    let history = children.optional("Historisk")?.map(history).transpose()?;
    children.finish()?;
    Ok(Administration {
        created,
        corrected,
        history,
    })
}

/// `Historisk`: exactly one of `UdgaaetDato` and `Flyttet` (`FlyttetDato`,
/// `AfloestAf`?).
fn history(node: Node) -> Result<History> {
    let mut children = Children::of(node)?;
    let retired = children.optional("UdgaaetDato")?;
    let moved = children.optional("Flyttet")?;
    children.finish()?;
    match (retired, moved) {
        (Some(on), None) => Ok(History::Retired { on: xml::date(on)? }),
        (None, Some(moved)) => {
            let mut children = Children::of(moved)?;
            let on = xml::date(children.one("FlyttetDato")?)?;
            let replaced_by = children
                .optional("AfloestAf")?
                .map(replacement)
                .transpose()?;
            children.finish()?;
            Ok(History::Moved { on, replaced_by })
        }
        (None, None) => Err(KleRefusal::at(
            KleRefusalKind::MissingElement,
            node,
            "Historisk holds UdgaaetDato or Flyttet",
        )),
        (Some(_), Some(moved)) => Err(KleRefusal::at(
            KleRefusalKind::UnexpectedElement,
            moved,
            "Historisk holds UdgaaetDato or Flyttet, not both",
        )),
    }
}

/// `AfloestAf`: exactly one of `EmneNr`, `GruppeNr`, `HovedgruppeNr`.
fn replacement(node: Node) -> Result<KleNumber> {
    let mut children = Children::of(node)?;
    let candidates = [
        ("EmneNr", Level::Subject),
        ("GruppeNr", Level::Group),
        ("HovedgruppeNr", Level::MainGroup),
    ];
    let mut found = Vec::new();
    for (name, level) in candidates {
        if let Some(child) = children.optional(name)? {
            found.push((child, level));
        }
    }
    children.finish()?;
    match found.as_slice() {
        [(child, level)] => number(*child, *level, None),
        [] => Err(KleRefusal::at(
            KleRefusalKind::MissingElement,
            node,
            "AfloestAf names one EmneNr, GruppeNr or HovedgruppeNr",
        )),
        [_, (second, _), ..] => Err(KleRefusal::at(
            KleRefusalKind::UnexpectedElement,
            *second,
            "AfloestAf names exactly one entry",
        )),
    }
}
