//! `samspil import kle FILE`: KL's KLE subject plan (`KLE-Emneplan`, XML
//! format version 2.0) into the citizen store. The whole file is read
//! before anything is written; the import is one transaction, and a
//! second run of the same file changes nothing. roxmltree refuses a DTD
//! (and so entities), as for SAML.

use std::path::Path;

use anyhow::Context;
use samspil_citizen::kle::KleSubject;
use samspil_citizen_storage::{CitizenStore, KleImportReport};
use samspil_domain::Principal;
use time::Date;

/// The largest plan file read (the 2015 edition is 3.4 MB).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn text(node: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn date(
    node: Option<roxmltree::Node<'_, '_>>,
    name: &str,
    number: &str,
) -> anyhow::Result<Option<Date>> {
    let Some(value) = node.and_then(|n| text(n, name)) else {
        return Ok(None);
    };
    Date::parse(
        &value,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .with_context(|| format!("subject {number}: {name} '{value}' is not a date"))
}

/// The subjects of a plan (its `Emne` elements).
pub fn parse_plan(xml: &str) -> anyhow::Result<Vec<KleSubject>> {
    let document = roxmltree::Document::parse(xml).context("the file is not well-formed XML")?;
    let root = document.root_element();
    if !root.has_tag_name("KLE-Emneplan") {
        anyhow::bail!("the file is not a KLE-Emneplan");
    }
    let mut subjects = Vec::new();
    for emne in root.descendants().filter(|n| n.has_tag_name("Emne")) {
        let number = text(emne, "EmneNr").context("a subject (Emne) without EmneNr")?;
        if !samspil_citizen::case::kle_subject(&number) {
            anyhow::bail!("'{number}' is not a KLE subject number (NN.NN.NN)");
        }
        let title =
            text(emne, "EmneTitel").with_context(|| format!("subject {number} has no title"))?;
        let info = child(emne, "EmneAdministrativInfo");
        let historic = info.and_then(|i| child(i, "Historisk"));
        let replaced_by = historic
            .and_then(|h| child(h, "Flyttet"))
            .and_then(|f| child(f, "AfloestAf"))
            .and_then(|a| text(a, "EmneNr"));
        subjects.push(KleSubject {
            created_on: date(info, "OprettetDato", &number)?,
            expired_on: date(historic, "UdgaaetDato", &number)?,
            replaced_by,
            deletion_rule: text(emne, "SletningJaevnfoerPersondataloven"),
            title,
            number,
        });
    }
    if subjects.is_empty() {
        anyhow::bail!("the plan has no subjects");
    }
    Ok(subjects)
}

/// Imports the plan in `file`; says what changed.
pub async fn import_kle_file(
    citizen: &dyn CitizenStore,
    file: &Path,
) -> anyhow::Result<KleImportReport> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        anyhow::bail!("{} is larger than {MAX_FILE_BYTES} bytes", file.display());
    }
    let xml =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let subjects = parse_plan(&xml)?;
    Ok(citizen
        .import_kle(&subjects, &Principal::operator().actor())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_gives_its_subjects_with_expiry_replacement_and_deletion_rule() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<KLE-Emneplan><Hovedgruppe><HovedgruppeNr>32</HovedgruppeNr><Gruppe><GruppeNr>32.18</GruppeNr>
<Emne><EmneNr>32.18.04</EmneNr><EmneTitel>Merudgiftsydelse</EmneTitel>
<EmneAdministrativInfo><OprettetDato>2011-01-01</OprettetDato></EmneAdministrativInfo>
<SletningJaevnfoerPersondataloven>P1800D</SletningJaevnfoerPersondataloven></Emne>
<Emne><EmneNr>32.18.01</EmneNr><EmneTitel>Gammel [udgået]</EmneTitel>
<EmneAdministrativInfo><OprettetDato>1990-01-01</OprettetDato><Historisk><UdgaaetDato>2011-01-01</UdgaaetDato>
<Flyttet><FlyttetDato>2011-01-01</FlyttetDato><AfloestAf><EmneNr>32.18.04</EmneNr></AfloestAf></Flyttet></Historisk></EmneAdministrativInfo></Emne>
</Gruppe></Hovedgruppe></KLE-Emneplan>"#;
        let subjects = parse_plan(xml).expect("parses");
        assert_eq!(subjects.len(), 2, "an AfloestAf's EmneNr is no subject");
        assert_eq!(subjects[0].number, "32.18.04");
        assert_eq!(subjects[0].deletion_rule.as_deref(), Some("P1800D"));
        assert_eq!(subjects[0].expired_on, None);
        assert_eq!(
            subjects[1].expired_on,
            Some(time::macros::date!(2011 - 01 - 01))
        );
        assert_eq!(subjects[1].replaced_by.as_deref(), Some("32.18.04"));
    }

    #[test]
    fn a_dtd_or_another_document_is_refused() {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><KLE-Emneplan>&e;</KLE-Emneplan>"#;
        assert!(parse_plan(dtd).is_err());
        assert!(parse_plan("<Other/>").is_err());
        assert!(parse_plan("<KLE-Emneplan/>").is_err());
        let bad = "<KLE-Emneplan><Emne><EmneNr>32.18</EmneNr><EmneTitel>x</EmneTitel></Emne></KLE-Emneplan>";
        assert!(parse_plan(bad).is_err());
    }
}
