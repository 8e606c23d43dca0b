//! A document between the SOAP codec's types (`samspil_sf1470::dokument`)
//! and the ingest's record (`samspil_citizen::document::DocumentRecord`),
//! both ways, as [`crate::soap_sag`] does for cases (and with its
//! helpers): a `DokumentIndeks` of `importer` or an
//! `OpdaterDokumentIndeks` of `opdater` becomes the record the JSON door
//! would send; a stored record becomes the `Registrering` `fremsoeg`
//! answers with.
//!
//! The XSD's document has no relation to a case: SF1470 attaches a
//! document to a case on the case (`Sag/Journalpost`). A document over
//! SOAP therefore carries no `journalposter`; the JSON door takes them
//! from a document system that is not the case's master.

use samspil_citizen::case::Relation;
use samspil_citizen::document::{DocumentProgress, DocumentProperties, DocumentRecord};
use samspil_sf1470::common::{
    DokumentaktoerLokalUdvidelse, DokumentitsystemRelation, DokumentklasseLokalUdvidelse,
    LivscyklusKode, LokalUdvidelse, LokalUdvidelseListe, OffentlighedUndtaget, RegistreringFelter,
    Relation as SoapRelation, RetInputFelter, UnikId,
};
use samspil_sf1470::dokument::{self, DokumentType, FremdriftStatusKode};
use samspil_sf1470::sagdok::OpdaterDokumentIndeks;
use samspil_sf1470::simple::{Text, Uuid};

use crate::soap_sag::{
    MappingError, Places, RelationReading, TYPE_AKTOER, TYPE_ITSYSTEM, TYPE_KLASSE, TYPE_PART,
    instant, reference, sensitivity, sensitivity_code, soap_time, soap_virkning, text, virkning,
};

/// The `Rolle` UUIDs of a document's relations (the roles of
/// `samspil_citizen::document::DOCUMENT_ROLES`; a role a case has too has
/// the case's UUID), and the element each is sent in.
pub const DOCUMENT_ROLE_UUIDS: [(&str, &str, &str); 7] = [
    (
        "ejer",
        "0a1b2c3d-0001-4000-8000-000000000001",
        "Dokumentaktoer",
    ),
    (
        "ansvarlig",
        "0a1b2c3d-0001-4000-8000-000000000002",
        "Dokumentaktoer",
    ),
    (
        "primaer_klasse",
        "0a1b2c3d-0001-4000-8000-000000000003",
        "Dokumentklasse",
    ),
    (
        "master",
        "0a1b2c3d-0001-4000-8000-000000000007",
        "DokumentitsystemRelation",
    ),
    (
        "afsender",
        "0a1b2c3d-0001-4000-8000-000000000008",
        "DokumentitsystemRelation",
    ),
    (
        "part",
        "0a1b2c3d-0001-4000-8000-000000000010",
        "Dokumentpart",
    ),
    (
        "kopipart",
        "0a1b2c3d-0001-4000-8000-000000000011",
        "Dokumentpart",
    ),
];

const TYPES: [(DokumentType, &str); 10] = [
    (DokumentType::BrevIndgaaende, "Brev, indgaaende"),
    (DokumentType::BrevUdgaaende, "Brev, udgaaende"),
    (DokumentType::Brev, "Brev"),
    (DokumentType::Dagsorden, "Dagsorden"),
    (DokumentType::EksterntNotat, "Eksternt Notat"),
    (DokumentType::Faktura, "Faktura"),
    (DokumentType::InterntNotat, "Internt Notat"),
    (DokumentType::Rapport, "Rapport"),
    (DokumentType::Plan, "Plan"),
    (DokumentType::Andet, "Andet"),
];

const PROGRESS: [(FremdriftStatusKode, &str); 7] = [
    (FremdriftStatusKode::Modtaget, "Modtaget"),
    (FremdriftStatusKode::Fordelt, "Fordelt"),
    (FremdriftStatusKode::Underudarbejdelse, "Underudarbejdelse"),
    (FremdriftStatusKode::Underreview, "Underreview"),
    (FremdriftStatusKode::Publiceret, "Publiceret"),
    (FremdriftStatusKode::Endeligt, "Endeligt"),
    (FremdriftStatusKode::Afleveret, "Afleveret"),
];

const DOCUMENT_RELATIONS: RelationReading = RelationReading {
    roles: &DOCUMENT_ROLE_UUIDS,
    classes: &["primaer_klasse"],
    owner_cvr: |e| match e {
        LokalUdvidelse::DokumentaktoerLokalUdvidelse(a) => a.cvr_nr.as_ref(),
        _ => None,
    },
    class_key: |e| match e {
        LokalUdvidelse::DokumentklasseLokalUdvidelse(k) => k.brugervendt_noegle.as_ref(),
        _ => None,
    },
};

fn relations(
    list: &dokument::RelationListe,
    base: &str,
    places: &mut Vec<String>,
) -> Result<Vec<Relation>, MappingError> {
    let systems = list
        .lokal_udvidelse_liste
        .iter()
        .flat_map(|l| l.udvidelser.iter())
        .filter_map(|e| match e {
            LokalUdvidelse::DokumentitsystemRelation(s) => Some(&s.relation),
            _ => None,
        })
        .collect();
    let at = |element: &str| format!("{base}/di:RelationListe/{element}");
    DOCUMENT_RELATIONS.read(
        [
            (
                at("di:Dokumentaktoer"),
                list.dokumentaktoer.iter().collect(),
            ),
            (at("di:Dokumentpart"), list.dokumentpart.iter().collect()),
            (
                at("di:Dokumentklasse"),
                list.dokumentklasse.iter().collect(),
            ),
            (
                at("gd:LokalUdvidelseListe/di:DokumentitsystemRelation"),
                systems,
            ),
        ],
        places,
    )
}

fn properties(
    list: &[dokument::Egenskaber],
    base: &str,
) -> Result<Vec<DocumentProperties>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/di:AttributListe/di:Egenskaber[{}]", i + 1);
            let text = |t: Option<&str>| t.unwrap_or_default().to_owned();
            Ok(DocumentProperties {
                brugervendt_noegle: text(p.brugervendt_noegle.as_deref()),
                dokumentnummer: text(p.dokumentnummer.as_deref()),
                titel: text(p.titel.as_deref()),
                dokumenttype: p
                    .type_
                    .and_then(|t| TYPES.iter().find(|(k, _)| *k == t))
                    .map(|(_, name)| (*name).to_owned())
                    .unwrap_or_default(),
                brevdato: p.brev_dato.map(|d| d.date),
                foelsomhed: p
                    .foelsomhed
                    .map(|f| sensitivity(f).to_owned())
                    .unwrap_or_default(),
                offentlighed_undtaget: p.offentlighed_undtaget.is_some(),
                titel_alternativ_tekst: p
                    .offentlighed_undtaget
                    .as_ref()
                    .map(|o| o.titel_alternativ_tekst.as_str().to_owned()),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

fn progress(
    list: &dokument::TilstandListe,
    base: &str,
) -> Result<Vec<DocumentProgress>, MappingError> {
    list.fremdrift
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/di:TilstandListe/di:Fremdrift[{}]", i + 1);
            Ok(DocumentProgress {
                status: p
                    .fremdrift_status_kode
                    .and_then(|c| PROGRESS.iter().find(|(k, _)| *k == c))
                    .map(|(_, name)| (*name).to_owned())
                    .unwrap_or_default(),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

/// A document's groups and the elements they come from.
const DOCUMENT_GROUPS: &[(&str, &str)] = &[
    ("egenskaber", "di:AttributListe/di:Egenskaber"),
    ("fremdrift", "di:TilstandListe/di:Fremdrift"),
];

fn places(base: &str) -> Places {
    Places {
        base: base.to_owned(),
        relations: Vec::new(),
        groups: DOCUMENT_GROUPS,
    }
}

/// An imported document (`DokumentIndeks` at `base`) as the record the
/// ingest takes: its one registration, whole, for municipality `kommune`.
pub fn imported(
    document: &dokument::DokumentIndeks,
    kommune: u16,
    base: &str,
) -> Result<(DocumentRecord, Places), MappingError> {
    let [registration] = document.registrering.as_slice() else {
        return Err(MappingError {
            location: format!("{base}/di:Registrering[2]"),
            message: "an import carries one registration, the document as it is now; later \
                      registrations come with opdater"
                .into(),
        });
    };
    let base = format!("{base}/di:Registrering");
    let registreret = registration.felter.tidspunkt.ok_or_else(|| MappingError {
        location: base.clone(),
        message: "the registration has its time (sd:Tidspunkt)".into(),
    })?;
    let mut places = places(&base);
    let record = DocumentRecord {
        uuid: document.uuid.normalized(),
        kommune,
        registreret: instant(registreret),
        egenskaber: Some(properties(&registration.attribut_liste.egenskaber, &base)?),
        fremdrift: Some(progress(&registration.tilstand_liste, &base)?),
        relationer: Some(relations(
            &registration.relation_liste,
            &base,
            &mut places.relations,
        )?),
        journalposter: None,
    };
    Ok((record, places))
}

/// An update (`OpdaterDokumentIndeks` at `base`) as the record the
/// ingest takes: the groups it sends, registered at its `Tidspunkt`.
pub fn updated(
    update: &OpdaterDokumentIndeks,
    kommune: u16,
    base: &str,
) -> Result<(DocumentRecord, Places), MappingError> {
    let ret = &update.ret;
    let mut places = places(base);
    let record = DocumentRecord {
        uuid: ret.ret.uuid.normalized(),
        kommune,
        registreret: instant(update.tidspunkt),
        egenskaber: ret
            .attribut_liste
            .as_ref()
            .filter(|a| !a.egenskaber.is_empty())
            .map(|a| properties(&a.egenskaber, base))
            .transpose()?,
        fremdrift: ret
            .tilstand_liste
            .as_ref()
            .filter(|t| !t.fremdrift.is_empty())
            .map(|t| progress(t, base))
            .transpose()?,
        relationer: ret
            .relation_liste
            .as_ref()
            .map(|r| relations(r, base, &mut places.relations))
            .transpose()?,
        journalposter: None,
    };
    Ok((record, places))
}

// ---- back: a stored record as `fremsoeg` answers it ----

fn soap_relation(r: &Relation, index: usize) -> (SoapRelation, &'static str) {
    let (_, role_uuid, element) = DOCUMENT_ROLE_UUIDS
        .iter()
        .find(|(role, ..)| *role == r.rolle)
        .copied()
        .unwrap_or(("", "00000000-0000-0000-0000-000000000000", "Dokumentaktoer"));
    let type_uuid = match element {
        "Dokumentklasse" => TYPE_KLASSE,
        "Dokumentpart" => TYPE_PART,
        "DokumentitsystemRelation" => TYPE_ITSYSTEM,
        _ => TYPE_AKTOER,
    };
    let extension = match (element, r.rolle.as_str()) {
        ("Dokumentklasse", _) => Some(LokalUdvidelse::DokumentklasseLokalUdvidelse(
            DokumentklasseLokalUdvidelse {
                brugervendt_noegle: text(&r.reference),
                ..Default::default()
            },
        )),
        (_, "ejer") => samspil_citizen::case::cvr(&r.reference).map(|cvr| {
            LokalUdvidelse::DokumentaktoerLokalUdvidelse(DokumentaktoerLokalUdvidelse {
                cvr_nr: samspil_sf1470::simple::Cvr::new(cvr).ok(),
                ..Default::default()
            })
        }),
        _ => None,
    };
    let relation = SoapRelation {
        virkning: Some(soap_virkning(&r.virkning)),
        rolle: Uuid::new(role_uuid).ok().map(UnikId::Uuid),
        type_: Uuid::new(type_uuid).ok().map(UnikId::Uuid),
        indeks: text(&(index + 1).to_string()),
        reference_id: Some(reference(&r.reference)),
        lokal_udvidelse_liste: extension.map(|e| {
            Box::new(LokalUdvidelseListe {
                udvidelser: vec![e],
                senest_aendret_tidspunkt: None,
            })
        }),
    };
    (relation, element)
}

/// A stored registration as `fremsoeg` answers it (and as a client sends
/// it).
pub fn registration(record: &DocumentRecord) -> dokument::Registrering {
    let mut out = dokument::Registrering {
        felter: RegistreringFelter {
            tidspunkt: Some(soap_time(record.registreret)),
            livscyklus_kode: Some(LivscyklusKode::Importeret),
            ..Default::default()
        },
        ..Default::default()
    };
    for p in record.egenskaber.iter().flatten() {
        out.attribut_liste.egenskaber.push(dokument::Egenskaber {
            virkning: Some(soap_virkning(&p.virkning)),
            brugervendt_noegle: text(&p.brugervendt_noegle),
            dokumentnummer: text(&p.dokumentnummer),
            titel: text(&p.titel),
            brev_dato: p
                .brevdato
                .map(|date| samspil_sf1470::simple::Date { date, offset: None }),
            offentlighed_undtaget: p.offentlighed_undtaget.then(|| OffentlighedUndtaget {
                titel_alternativ_tekst: p
                    .titel_alternativ_tekst
                    .as_deref()
                    .and_then(text)
                    .unwrap_or_default(),
                hjemmel_tekst: Text::default(),
            }),
            foelsomhed: sensitivity_code(&p.foelsomhed),
            type_: TYPES
                .iter()
                .find(|(_, name)| *name == p.dokumenttype)
                .map(|(t, _)| *t),
            ..Default::default()
        });
    }
    for p in record.fremdrift.iter().flatten() {
        out.tilstand_liste.fremdrift.push(dokument::Fremdrift {
            virkning: Some(soap_virkning(&p.virkning)),
            fremdrift_status_kode: PROGRESS
                .iter()
                .find(|(_, name)| *name == p.status)
                .map(|(k, _)| *k),
        });
    }
    let mut systems = Vec::new();
    for (i, r) in record.relationer.iter().flatten().enumerate() {
        let (relation, element) = soap_relation(r, i);
        let list = &mut out.relation_liste;
        match element {
            "Dokumentklasse" => list.dokumentklasse.push(relation),
            "Dokumentpart" => list.dokumentpart.push(relation),
            "DokumentitsystemRelation" => systems.push(LokalUdvidelse::DokumentitsystemRelation(
                DokumentitsystemRelation {
                    relation,
                    system_navn: None,
                    system_uri: None,
                },
            )),
            _ => list.dokumentaktoer.push(relation),
        }
    }
    if !systems.is_empty() {
        out.relation_liste.lokal_udvidelse_liste = Some(LokalUdvidelseListe {
            udvidelser: systems,
            senest_aendret_tidspunkt: None,
        });
    }
    out
}

/// A whole document (one registration) as a client imports it.
pub fn document(record: &DocumentRecord) -> dokument::DokumentIndeks {
    dokument::DokumentIndeks {
        uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
        registrering: vec![registration(record)],
    }
}

/// An update of a document (the groups the record carries) as a client
/// sends it.
pub fn update(record: &DocumentRecord) -> OpdaterDokumentIndeks {
    let whole = registration(record);
    OpdaterDokumentIndeks {
        ret: dokument::RetInput {
            ret: RetInputFelter {
                uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
                note_tekst: None,
            },
            attribut_liste: record.egenskaber.is_some().then_some(whole.attribut_liste),
            tilstand_liste: record.fremdrift.is_some().then_some(whole.tilstand_liste),
            relation_liste: record.relationer.is_some().then_some(whole.relation_liste),
        },
        tidspunkt: soap_time(record.registreret),
    }
}

#[cfg(test)]
mod tests {
    use samspil_citizen::case::Virkning;

    use super::*;

    #[test]
    fn a_document_reads_back_through_the_soap_shape_as_it_was() {
        let at = time::macros::datetime!(2026-01-05 09:00 UTC);
        let open = Virkning { fra: at, til: None };
        let record = DocumentRecord {
            uuid: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b".into(),
            kommune: 751,
            registreret: at,
            egenskaber: Some(vec![DocumentProperties {
                brugervendt_noegle: "D-1".into(),
                dokumentnummer: "D-1".into(),
                titel: "Lægeattest".into(),
                dokumenttype: "Brev, indgaaende".into(),
                brevdato: Some(time::macros::date!(2026 - 01 - 04)),
                foelsomhed: "FOELSOMME_PERSONOPLYSNINGER".into(),
                offentlighed_undtaget: false,
                titel_alternativ_tekst: None,
                virkning: open,
            }]),
            fremdrift: Some(vec![DocumentProgress {
                status: "Modtaget".into(),
                virkning: open,
            }]),
            relationer: Some(
                [
                    ("ejer", "urn:oio:cvr-nr:55133018"),
                    ("ansvarlig", "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"),
                    ("part", "urn:oio:cpr-nr:0101901234"),
                    ("primaer_klasse", "32.18.10"),
                    ("master", "7d2e4f60-1b3c-4d5e-8f9a-0b1c2d3e4f50"),
                    ("afsender", "7d2e4f60-1b3c-4d5e-8f9a-0b1c2d3e4f50"),
                ]
                .into_iter()
                .map(|(rolle, reference)| Relation {
                    rolle: rolle.into(),
                    reference: reference.into(),
                    virkning: open,
                })
                .collect(),
            ),
            journalposter: None,
        };
        let (back, places) = imported(&document(&record), 751, "/x").expect("maps");
        let mut expected = record.clone();
        // Relations come back grouped by element: actors, parts, classes,
        // systems.
        let order = [
            "ejer",
            "ansvarlig",
            "part",
            "primaer_klasse",
            "master",
            "afsender",
        ];
        expected
            .relationer
            .as_mut()
            .expect("given")
            .sort_by_key(|r| order.iter().position(|o| *o == r.rolle));
        assert_eq!(back, expected);
        assert_eq!(
            places.of("/egenskaber/0/titel"),
            "/x/di:Registrering/di:AttributListe/di:Egenskaber[1]"
        );
    }
}
