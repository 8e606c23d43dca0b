//! The one municipality picker staff use wherever a page is about one
//! municipality (`?kommune=…`): a text field with a `<datalist>` of the
//! 98 names in Danish alphabetical order (`_municipality_field.html`,
//! inside its own form in `_municipality_picker.html`). It accepts what a
//! person would type: a name (»Aarhus«, »Aarhus Kommune«), a part of a
//! name only one municipality has (»hus« is not enough, »Aarh« is), a
//! municipality code (751) or the id the app's own links carry. Text that
//! names none, or more than one, is told at the field in the person's
//! language, through the page kit's [`Refusal`].

use samspil_domain::collation::danish_key;
use samspil_domain::{OrgId, OrgKind};
use samspil_storage::Organisation;
use serde::Serialize;

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::{Refusal, Typed};
use crate::i18n::Lang;

/// The form name of the picker's field: its id is `picker-kommune`.
pub const PICKER_FORM: &str = "picker";

/// What `?kommune=` named.
#[derive(Debug, PartialEq, Eq)]
pub enum Picked<'a> {
    /// Nothing typed.
    Nothing,
    One(&'a Organisation),
    /// No municipality goes by it.
    Unknown,
    /// Several do (their names, in Danish order).
    Several(Vec<&'a str>),
}

/// The municipality `typed` names among `organisations` (only
/// municipalities count). A number is first the id of the app's links,
/// then a municipality code; a text is first a whole name (the short or
/// the official one, case aside), then a part of one name.
pub fn pick<'a>(organisations: &'a [Organisation], typed: &str) -> Picked<'a> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Picked::Nothing;
    }
    let municipalities: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();
    if let Ok(number) = typed.parse::<i64>() {
        let by_id = municipalities.iter().find(|o| o.id.0 == number);
        let by_code = || {
            municipalities
                .iter()
                .find(|o| o.code.is_some_and(|c| i64::from(c.get()) == number))
        };
        return by_id
            .or_else(by_code)
            .map_or(Picked::Unknown, |o| Picked::One(o));
    }
    let wanted = typed.to_lowercase();
    if let Some(whole) = municipalities
        .iter()
        .find(|o| o.name.to_lowercase() == wanted || o.official_name.to_lowercase() == wanted)
    {
        return Picked::One(whole);
    }
    let mut parts: Vec<&Organisation> = municipalities
        .into_iter()
        .filter(|o| o.name.to_lowercase().contains(&wanted))
        .collect();
    parts.sort_by_key(|o| danish_key(&o.name));
    match parts.as_slice() {
        [] => Picked::Unknown,
        [one] => Picked::One(one),
        several => Picked::Several(several.iter().map(|o| o.name.as_str()).collect()),
    }
}

/// One name of the datalist.
#[derive(Debug, Serialize)]
pub struct PickerOption {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
}

/// What the picker's templates get as `picker`: the names in Danish order
/// and the field's text (the chosen municipality's name, or what was typed
/// when it named none).
#[derive(Debug, Serialize)]
pub struct MunicipalityPicker {
    pub options: Vec<PickerOption>,
    pub typed: String,
    /// The chosen municipality's id, for the page's links.
    pub chosen: Option<i64>,
}

/// The picker for what `?kommune=` says, the municipality it names, and
/// the refusal to show at the field when it names none or several (the
/// page is shown without a municipality then).
pub fn municipality_picker(
    lang: Lang,
    organisations: &[Organisation],
    typed: Option<&str>,
) -> (MunicipalityPicker, Option<Organisation>, Option<Refusal>) {
    let typed = typed.unwrap_or_default();
    let mut options: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();
    options.sort_by_key(|o| danish_key(&o.name));
    let options = options
        .into_iter()
        .map(|o| PickerOption {
            id: o.id.0,
            name: o.name.clone(),
            code: o.code.map(|c| c.to_string()),
        })
        .collect();
    let refusal = |message: String| {
        let mut kept = Typed::default();
        kept.push("kommune", typed.to_owned());
        Some(Refusal::new(PICKER_FORM, kept).field("kommune", message))
    };
    let (chosen, refused) = match pick(organisations, typed) {
        Picked::Nothing => (None, None),
        Picked::One(org) => (Some(org.clone()), None),
        Picked::Unknown => (
            None,
            refusal(lang.text("picker-unknown", &[("typed", typed.trim().to_owned())])),
        ),
        Picked::Several(names) => (
            None,
            refusal(lang.text(
                "picker-several",
                &[
                    ("typed", typed.trim().to_owned()),
                    ("names", names.join(", ")),
                ],
            )),
        ),
    };
    let picker = MunicipalityPicker {
        options,
        typed: chosen
            .as_ref()
            .map_or_else(|| typed.trim().to_owned(), |o| o.name.clone()),
        chosen: chosen.as_ref().map(|o| o.id.0),
    };
    (picker, chosen, refused)
}

/// The municipality a page is about, or the picker to choose it with.
pub enum Chosen {
    One(OrgId),
    /// Staff have not chosen one yet, or typed what names none (the
    /// refusal, to show at the field).
    Picking(MunicipalityPicker, Option<Refusal>),
}

/// The municipality a page about one municipality shows (`?kommune=`):
/// for staff the one they picked; for a municipality's people their own
/// unless the address names another, which their access then refuses (a
/// text that names no municipality is a bad address for them: they have
/// no picker).
pub fn chosen_municipality(
    lang: Lang,
    organisations: &[Organisation],
    signed_in: &SignedIn,
    typed: Option<&str>,
) -> Result<Chosen, AppError> {
    if signed_in.principal.is_staff() {
        let (picker, chosen, refused) = municipality_picker(lang, organisations, typed);
        return Ok(match chosen {
            Some(org) => Chosen::One(org.id),
            None => Chosen::Picking(picker, refused),
        });
    }
    match pick(organisations, typed.unwrap_or_default()) {
        Picked::Nothing => Ok(Chosen::One(signed_in.user.org_id)),
        Picked::One(org) => Ok(Chosen::One(org.id)),
        Picked::Unknown | Picked::Several(_) => Err(AppError::NotFound),
    }
}

/// The picker showing the municipality a page is about, for staff (a
/// municipality's people get none).
pub fn picker_for(
    lang: Lang,
    organisations: &[Organisation],
    signed_in: &SignedIn,
    org: OrgId,
) -> Option<MunicipalityPicker> {
    signed_in
        .principal
        .is_staff()
        .then(|| municipality_picker(lang, organisations, Some(&org.0.to_string())).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use samspil_domain::MunicipalityCode;

    fn org(id: i64, name: &str, code: Option<u16>) -> Organisation {
        Organisation {
            id: OrgId(id),
            key: format!("org-{id}"),
            kind: match code {
                Some(_) => OrgKind::Municipality,
                None => OrgKind::Community,
            },
            name: name.to_owned(),
            official_name: format!("{name} Kommune"),
            code: code.map(|c| MunicipalityCode::new(c).expect("a code")),
            region: None,
        }
    }

    fn orgs() -> Vec<Organisation> {
        vec![
            org(1, "Aarhus", Some(751)),
            org(2, "Aabenraa", Some(580)),
            org(3, "Ærø", Some(492)),
            org(4, "Albertslund", Some(165)),
            org(5, "Høje-Taastrup", Some(169)),
            org(6, "KL", None),
        ]
    }

    fn name(picked: Picked<'_>) -> Option<String> {
        match picked {
            Picked::One(o) => Some(o.name.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_name_a_unique_part_a_code_or_an_id_picks_one() {
        let all = orgs();
        assert_eq!(name(pick(&all, "aarhus")), Some("Aarhus".into()));
        assert_eq!(name(pick(&all, "Aarhus Kommune")), Some("Aarhus".into()));
        assert_eq!(name(pick(&all, " taastrup ")), Some("Høje-Taastrup".into()));
        assert_eq!(name(pick(&all, "751")), Some("Aarhus".into()));
        assert_eq!(name(pick(&all, "3")), Some("Ærø".into()));
        assert_eq!(pick(&all, ""), Picked::Nothing);
    }

    #[test]
    fn text_naming_none_or_several_is_said_so() {
        let all = orgs();
        assert_eq!(pick(&all, "Atlantis"), Picked::Unknown);
        assert_eq!(pick(&all, "999"), Picked::Unknown);
        // Not a municipality.
        assert_eq!(pick(&all, "KL"), Picked::Unknown);
        assert_eq!(pick(&all, "6"), Picked::Unknown);
        assert_eq!(
            pick(&all, "aa"),
            Picked::Several(vec!["Høje-Taastrup", "Aabenraa", "Aarhus"])
        );
    }

    #[test]
    fn the_list_is_in_danish_order_and_an_unknown_text_is_kept_at_the_field() {
        let all = orgs();
        let (picker, chosen, refused) = municipality_picker(Lang::Da, &all, Some("Atlantis"));
        let names: Vec<&str> = picker.options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            ["Albertslund", "Høje-Taastrup", "Ærø", "Aabenraa", "Aarhus"]
        );
        assert!(chosen.is_none());
        assert_eq!(picker.typed, "Atlantis");
        let refused = refused.expect("refused");
        let message: Vec<&str> = refused.messages().collect();
        assert!(message[0].contains("Atlantis"), "{message:?}");
        let (picker, chosen, refused) = municipality_picker(Lang::Da, &all, Some("751"));
        assert_eq!(chosen.map(|o| o.id), Some(OrgId(1)));
        assert_eq!(picker.typed, "Aarhus");
        assert!(refused.is_none());
    }
}
