//! KLE's action facets (`KLE-Handlingsfacetter`): what was done in a case
//! (SF1470's `Handlingsfacet` relation), published by KL in a file of its
//! own beside the subject plan.
//!
//! The file: `UdgivelsesDato`, then categories (`HandlingsfacetKategori`:
//! `HandlingsfacetKategoriNr`, one capital letter; `…Titel`; `…Vejledning`;
//! `…AdministrativInfo`), each with its facets (`Handlingsfacet`:
//! `HandlingsfacetNr`, the category's letter and two digits, `G01`;
//! `HandlingsfacetTitel`; `BevaringJaevnfoerArkivloven`;
//! `HandlingsfacetVejledning`; `HandlingsfacetAdministrativInfo`, the same
//! administrative info as the plan's entries). The element names follow
//! the format's schema as other KLE importers read it; the 2015 fixture
//! has no facets file, so the tests here use a small synthetic one.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use roxmltree::Node;
use time::Date;

use super::parse::{KleRefusal, KleRefusalKind, administration, expect_root};
use super::xml::{self, Children, Result};
use super::{Activity, Administration, Archival};

/// A facet category's number (`G`) or a facet's (`G01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FacetNumber {
    category: u8,
    facet: Option<u8>,
}

impl FacetNumber {
    /// The category a facet belongs to (itself for a category).
    pub fn category(self) -> FacetNumber {
        FacetNumber {
            category: self.category,
            facet: None,
        }
    }

    pub fn is_category(self) -> bool {
        self.facet.is_none()
    }
}

impl fmt::Display for FacetNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", char::from(self.category))?;
        if let Some(facet) = self.facet {
            write!(f, "{facet:02}")?;
        }
        Ok(())
    }
}

/// Not a facet number (a capital letter, or a capital letter and two
/// digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedFacetNumber;

impl fmt::Display for MalformedFacetNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an action facet's number is a capital letter and two digits (G01), a category's the letter alone (G)",
        )
    }
}

impl std::error::Error for MalformedFacetNumber {}

impl FromStr for FacetNumber {
    type Err = MalformedFacetNumber;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        match text.as_bytes() {
            [letter @ b'A'..=b'Z'] => Ok(FacetNumber {
                category: *letter,
                facet: None,
            }),
            [letter @ b'A'..=b'Z', tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Ok(FacetNumber {
                category: *letter,
                facet: Some((tens - b'0') * 10 + (ones - b'0')),
            }),
            _ => Err(MalformedFacetNumber),
        }
    }
}

/// A facet category (`HandlingsfacetKategori`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCategory {
    pub number: FacetNumber,
    pub title: String,
    pub administration: Administration,
}

/// An action facet (`Handlingsfacet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFacet {
    pub number: FacetNumber,
    pub title: String,
    pub administration: Administration,
    pub archival: Archival,
}

/// One edition of the action facets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFacets {
    pub published: Date,
    pub categories: BTreeMap<FacetNumber, FacetCategory>,
    pub facets: BTreeMap<FacetNumber, ActionFacet>,
}

impl ActionFacets {
    /// The facet with this number (`G01`).
    pub fn facet(&self, number: &str) -> Option<&ActionFacet> {
        self.facets.get(&number.parse().ok()?)
    }

    /// Whether the facet `number` is in use on `date` (its category too),
    /// and if not why, as [`super::SubjectPlan::activity_at`] says it for
    /// the plan (a moved facet's replacement is not modelled: facets are
    /// only retired).
    pub fn activity_at(&self, number: &str, date: Date) -> Activity {
        let Ok(number) = number.parse::<FacetNumber>() else {
            return Activity::Malformed;
        };
        let Some(facet) = self.facets.get(&number) else {
            return Activity::Unknown;
        };
        if let Some(ended) = super::ended_on(&facet.administration, date) {
            return ended;
        }
        match self.categories.get(&number.category()) {
            Some(category) if category.administration.in_use_on(date) => Activity::Active,
            _ => Activity::CategoryEnded {
                category: number.category(),
            },
        }
    }

    pub fn is_active_at(&self, number: &str, date: Date) -> bool {
        self.activity_at(number, date).is_active()
    }
}

/// Reads a `KLE-Handlingsfacetter` file with the same guards as
/// [`super::parse_subject_plan`].
pub fn parse_action_facets(bytes: &[u8]) -> std::result::Result<ActionFacets, KleRefusal> {
    let document = xml::document(bytes)?;
    let root = document.root_element();
    expect_root(root, "KLE-Handlingsfacetter")?;
    let mut children = Children::of(root)?;
    let published = xml::date(children.one("UdgivelsesDato")?)?;
    let category_nodes = children.many("HandlingsfacetKategori");
    children.finish()?;
    let mut facets = ActionFacets {
        published,
        categories: BTreeMap::new(),
        facets: BTreeMap::new(),
    };
    for node in category_nodes {
        let mut children = Children::of(node)?;
        let number = facet_number(children.one("HandlingsfacetKategoriNr")?, None)?;
        let title = xml::title(children.one("HandlingsfacetKategoriTitel")?)?;
        let administration =
            administration(children.one("HandlingsfacetKategoriAdministrativInfo")?)?;
        children.skip(&["HandlingsfacetKategoriVejledning"]);
        let facet_nodes = children.many("Handlingsfacet");
        children.finish()?;
        if facets.categories.contains_key(&number) {
            return Err(duplicate(node, number));
        }
        facets.categories.insert(
            number,
            FacetCategory {
                number,
                title,
                administration,
            },
        );
        for node in facet_nodes {
            let facet = facet(node, number)?;
            if facets.facets.contains_key(&facet.number) {
                return Err(duplicate(node, facet.number));
            }
            facets.facets.insert(facet.number, facet);
        }
    }
    Ok(facets)
}

fn facet(node: Node, category: FacetNumber) -> Result<ActionFacet> {
    let mut children = Children::of(node)?;
    let number = facet_number(children.one("HandlingsfacetNr")?, Some(category))?;
    let title = xml::title(children.one("HandlingsfacetTitel")?)?;
    let administration = administration(children.one("HandlingsfacetAdministrativInfo")?)?;
    let archival = children
        .optional("BevaringJaevnfoerArkivloven")?
        .map(xml::text)
        .transpose()?
        .map_or(Archival::Unspecified, |code| Archival::parse(&code));
    children.skip(&["HandlingsfacetVejledning"]);
    children.finish()?;
    Ok(ActionFacet {
        number,
        title,
        administration,
        archival,
    })
}

fn duplicate(node: Node, number: FacetNumber) -> KleRefusal {
    KleRefusal::at(
        KleRefusalKind::Duplicate,
        node,
        format!("{number} occurs twice in the file"),
    )
}

/// A category's number (`category` none) or a facet's within `category`.
fn facet_number(node: Node, category: Option<FacetNumber>) -> Result<FacetNumber> {
    let number: FacetNumber = xml::text(node)?
        .parse()
        .map_err(|error: MalformedFacetNumber| {
            KleRefusal::at(KleRefusalKind::InvalidValue, node, error.to_string())
        })?;
    match category {
        None if !number.is_category() => Err(KleRefusal::at(
            KleRefusalKind::InvalidValue,
            node,
            format!("{number} is a facet's number; a category's is one capital letter"),
        )),
        Some(_) if number.is_category() => Err(KleRefusal::at(
            KleRefusalKind::InvalidValue,
            node,
            format!("{number} is a category's number; a facet's is the letter and two digits"),
        )),
        Some(category) if number.category() != category => Err(KleRefusal::at(
            KleRefusalKind::WrongParent,
            node,
            format!("{number} does not start with {category}, the category it is in"),
        )),
        _ => Ok(number),
    }
}
