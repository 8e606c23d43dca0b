//! A case between the SOAP codec's types (`samspil_sf1470::sag`) and the
//! ingest's record (`samspil_citizen::case::CaseRecord`), both ways: a
//! `Registrering` of `importer` or an `OpdaterSagIndeks` of `opdater`
//! becomes the one record the JSON door would send, and a stored record
//! becomes the `Registrering` `fremsoeg` answers with. The rules are
//! checked afterwards on the record, by the same `check` as for JSON; here
//! only what the record cannot carry is refused (a validity beginning at
//! infinity, a registration without its time), with its XPath-like place.
//!
//! A relation's role is told by its `Rolle` UUID ([`ROLE_UUIDS`]): the
//! anvisninger name the roles but leave their UUIDs to Fælleskommunalt
//! Klassifikationssystem, which the vendored material does not hold, so
//! samspil publishes its own until the index reads KOMBIT's. A relation
//! whose role is none of them is kept as an unknown role, which the rules
//! refuse at its place.

use samspil_citizen::case::{CaseRecord, Egenskaber, Fremdrift, Indeks, Relation, Virkning};
use samspil_sf1470::common::{
    Foelsomhed, LokalUdvidelse, LokalUdvidelseListe, OffentlighedUndtaget,
    Relation as SoapRelation, SagIndeksEgenskaber, SagsaktoerLokalUdvidelse, SagsitsystemRelation,
    SagsklasseLokalUdvidelse, Tidspunkt, UnikId, Virkning as SoapVirkning,
};
use samspil_sf1470::sag;
use samspil_sf1470::simple::{Cvr, DateTime, Text, Uuid};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The `Rolle` UUIDs the SOAP door reads each relation role by (the roles
/// of `samspil_citizen::case::ROLES`), and the element each is sent in.
pub const ROLE_UUIDS: [(&str, &str, &str); 8] = [
    ("ejer", "0a1b2c3d-0001-4000-8000-000000000001", "Sagsaktoer"),
    (
        "ansvarlig",
        "0a1b2c3d-0001-4000-8000-000000000002",
        "Sagsaktoer",
    ),
    (
        "primaer_klasse",
        "0a1b2c3d-0001-4000-8000-000000000003",
        "Sagsklasse",
    ),
    (
        "handlingsklasse",
        "0a1b2c3d-0001-4000-8000-000000000004",
        "Sagsklasse",
    ),
    (
        "primaer_part",
        "0a1b2c3d-0001-4000-8000-000000000005",
        "Sagspart",
    ),
    (
        "master",
        "0a1b2c3d-0001-4000-8000-000000000007",
        "SagsitsystemRelation",
    ),
    (
        "afsender",
        "0a1b2c3d-0001-4000-8000-000000000008",
        "SagsitsystemRelation",
    ),
    (
        "sekundaer_part",
        "0a1b2c3d-0001-4000-8000-000000000009",
        "Sagspart",
    ),
];

/// The `Type` UUIDs written with each kind of relation (read back, not
/// checked: the role tells a relation apart).
pub(crate) const TYPE_AKTOER: &str = "0a1b2c3d-0002-4000-8000-000000000001";
pub(crate) const TYPE_KLASSE: &str = "0a1b2c3d-0002-4000-8000-000000000003";
pub(crate) const TYPE_PART: &str = "0a1b2c3d-0002-4000-8000-000000000005";
pub(crate) const TYPE_ITSYSTEM: &str = "0a1b2c3d-0002-4000-8000-000000000007";

/// What the record cannot carry, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    pub location: String,
    pub message: String,
}

/// Where in the SOAP object each part of the record came from, to name a
/// violation's JSON pointer by the place the sender knows.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub base: String,
    pub relations: Vec<String>,
    /// Each attribute group's element path under `base`, by the record's
    /// group name (a case's [`CASE_GROUPS`]; a grant's or payment's in
    /// `soap_ydelse`).
    pub groups: &'static [(&'static str, &'static str)],
}

/// A case's groups and the elements they come from.
pub const CASE_GROUPS: &[(&str, &str)] = &[
    ("egenskaber", "sag:AttributListe/sag:Egenskaber"),
    ("fremdrift", "sag:TilstandListe/sag:Fremdrift"),
    (
        "indeks",
        "sag:AttributListe/gd:LokalUdvidelseListe/si:SagIndeksEgenskaber",
    ),
];

impl Places {
    /// The XPath-like place of a record's JSON pointer.
    pub fn of(&self, pointer: &str) -> String {
        let mut parts = pointer.trim_start_matches('/').split('/');
        let group = parts.next().unwrap_or_default();
        let index: Option<usize> = parts.next().and_then(|i| i.parse().ok());
        let at = |path: &str| match index {
            Some(i) => format!("{}/{path}[{}]", self.base, i + 1),
            None => format!("{}/{path}", self.base),
        };
        let prefix = self
            .groups
            .first()
            .and_then(|(_, path)| path.split(':').next())
            .unwrap_or("sag");
        match group {
            "relationer" => match index.and_then(|i| self.relations.get(i)) {
                Some(place) => place.clone(),
                None => format!("{}/{prefix}:RelationListe", self.base),
            },
            "registreret" => format!("{}/sd:Tidspunkt", self.base),
            _ => match self.groups.iter().find(|(name, _)| *name == group) {
                Some((_, path)) => at(path),
                None => self.base.clone(),
            },
        }
    }
}

pub(crate) fn instant(at: DateTime) -> OffsetDateTime {
    at.assume_offset(UtcOffset::UTC)
}

pub(crate) fn virkning(v: Option<&SoapVirkning>, location: &str) -> Result<Virkning, MappingError> {
    let err = |message: &str| MappingError {
        location: format!("{location}/Virkning"),
        message: message.into(),
    };
    let v = v.ok_or_else(|| err("every period and relation has its Virkning"))?;
    let fra = match &v.fra_tidspunkt {
        Some(Tidspunkt::Tidsstempel(at)) => instant(*at),
        _ => {
            return Err(err(
                "FraTidspunkt is a time (TidsstempelDatoTid), never infinity",
            ));
        }
    };
    let til = match &v.til_tidspunkt {
        Some(Tidspunkt::Tidsstempel(at)) => Some(instant(*at)),
        _ => None,
    };
    Ok(Virkning { fra, til })
}

pub(crate) fn unik_text(id: &UnikId) -> String {
    match id {
        UnikId::Uuid(uuid) => uuid.as_str().to_owned(),
        UnikId::Urn(urn) => urn.as_str().to_owned(),
    }
}

/// The `Rolle` UUID samspil reads a case's role by.
pub(crate) fn role_uuid(role: &str) -> Option<&'static str> {
    ROLE_UUIDS
        .iter()
        .find(|(name, ..)| *name == role)
        .map(|(_, uuid, _)| *uuid)
}

/// The role a relation's `Rolle` UUID names by the cases' roles
/// (`unknown` when none).
pub(crate) fn role_of(relation: &SoapRelation) -> String {
    CASE_RELATIONS.role_of(relation)
}

/// How one kind of object's relations read: its `Rolle` UUIDs, and
/// where its extensions carry an owner's CVR number and a class's key.
pub(crate) struct RelationReading {
    pub roles: &'static [(&'static str, &'static str, &'static str)],
    /// The roles that are classes (their reference is the class's key).
    pub classes: &'static [&'static str],
    pub owner_cvr: fn(&LokalUdvidelse) -> Option<&Cvr>,
    pub class_key: fn(&LokalUdvidelse) -> Option<&Text<0, 50>>,
}

const CASE_RELATIONS: RelationReading = RelationReading {
    roles: &ROLE_UUIDS,
    classes: &["primaer_klasse", "handlingsklasse"],
    owner_cvr: |e| match e {
        LokalUdvidelse::SagsaktoerLokalUdvidelse(a) => a.cvr_nummer.as_ref(),
        _ => None,
    },
    class_key: |e| match e {
        LokalUdvidelse::SagsklasseLokalUdvidelse(k) => k.brugervendt_noegle.as_ref(),
        _ => None,
    },
};

impl RelationReading {
    /// A relation's role by its `Rolle` UUID (`unknown` when none).
    fn role_of(&self, relation: &SoapRelation) -> String {
        let Some(UnikId::Uuid(uuid)) = &relation.rolle else {
            return "unknown".into();
        };
        let uuid = uuid.normalized();
        self.roles
            .iter()
            .find(|(_, role_uuid, _)| *role_uuid == uuid)
            .map(|(role, ..)| (*role).to_owned())
            .unwrap_or_else(|| "unknown".into())
    }

    /// The reference a relation of `role` gives the record: a CVR as
    /// `urn:oio:cvr-nr:…` for the owner (from the URN, or the actor's CVR
    /// number when the reference is the organisation's UUID), the KLE
    /// number or facet (`BrugervendtNoegle`) for a class, else the
    /// reference as sent.
    fn reference_of(&self, role: &str, relation: &SoapRelation) -> String {
        let sent = relation
            .reference_id
            .as_ref()
            .map(unik_text)
            .unwrap_or_default();
        let mut extensions = relation
            .lokal_udvidelse_liste
            .iter()
            .flat_map(|list| list.udvidelser.iter());
        if role == "ejer" && !sent.starts_with("urn:oio:cvr-nr:") {
            extensions
                .find_map(self.owner_cvr)
                .map(|cvr| format!("urn:oio:cvr-nr:{}", cvr.as_str()))
                .unwrap_or(sent)
        } else if self.classes.contains(&role) {
            extensions
                .find_map(self.class_key)
                .map(|key| key.as_str().to_owned())
                .filter(|key| !key.trim().is_empty())
                .unwrap_or(sent)
        } else {
            sent
        }
    }

    /// The relations of each group (the place of its element, its
    /// relations) as the record's, each place noted in `places`.
    pub(crate) fn read<'a>(
        &self,
        groups: impl IntoIterator<Item = (String, Vec<&'a SoapRelation>)>,
        places: &mut Vec<String>,
    ) -> Result<Vec<Relation>, MappingError> {
        let mut out = Vec::new();
        for (element, group) in groups {
            for (i, relation) in group.into_iter().enumerate() {
                let place = format!("{element}[{}]", i + 1);
                let rolle = self.role_of(relation);
                out.push(Relation {
                    reference: self.reference_of(&rolle, relation),
                    virkning: virkning(relation.virkning.as_ref(), &place)?,
                    rolle,
                });
                places.push(place);
            }
        }
        Ok(out)
    }
}

fn relations(
    list: &sag::RelationListe,
    base: &str,
    places: &mut Vec<String>,
) -> Result<Vec<Relation>, MappingError> {
    let systems = list
        .lokal_udvidelse_liste
        .iter()
        .flat_map(|l| l.udvidelser.iter())
        .filter_map(|e| match e {
            LokalUdvidelse::SagsitsystemRelation(s) => Some(&s.relation),
            _ => None,
        })
        .collect();
    let at = |element: &str| format!("{base}/sag:RelationListe/{element}");
    CASE_RELATIONS.read(
        [
            (at("sag:Sagsaktoer"), list.sagsaktoer.iter().collect()),
            (at("sag:Sagsklasse"), list.sagsklasse.iter().collect()),
            (at("sag:Sagspart"), list.sagspart.iter().collect()),
            (
                at("gd:LokalUdvidelseListe/si:SagsitsystemRelation"),
                systems,
            ),
        ],
        places,
    )
}

fn properties(list: &[sag::Egenskaber], base: &str) -> Result<Vec<Egenskaber>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/sag:AttributListe/sag:Egenskaber[{}]", i + 1);
            let text = |t: Option<&str>| t.unwrap_or_default().to_owned();
            Ok(Egenskaber {
                brugervendt_noegle: text(p.brugervendt_noegle.as_deref()),
                sagsnummer: text(p.sagsnummer.as_deref()),
                titel: text(p.titel.as_deref()),
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

fn index_properties(
    list: Option<&LokalUdvidelseListe>,
    base: &str,
) -> Result<Vec<Indeks>, MappingError> {
    list.iter()
        .flat_map(|l| l.udvidelser.iter())
        .filter_map(|e| match e {
            LokalUdvidelse::SagIndeksEgenskaber(p) => Some(p),
            _ => None,
        })
        .enumerate()
        .map(|(i, p)| {
            let place = format!(
                "{base}/sag:AttributListe/gd:LokalUdvidelseListe/si:SagIndeksEgenskaber[{}]",
                i + 1
            );
            Ok(Indeks {
                sagsstatus: p.sagsstatus.as_ref().map(|s| s.as_str().to_owned()),
                foelsomhed: p
                    .foelsomhed
                    .map(|f| sensitivity(f).to_owned())
                    .unwrap_or_default(),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

/// The sensitivity codes as the schema's enumeration and as the record
/// names them (the cases', the documents' and the grants' alike).
pub(crate) const SENSITIVITY_CODES: [(Foelsomhed, &str); 4] = [
    (Foelsomhed::IkkeFortroligeData, "IKKE_FORTROLIGE_DATA"),
    (
        Foelsomhed::FortroligePersonoplysninger,
        "FORTROLIGE_PERSONOPLYSNINGER",
    ),
    (
        Foelsomhed::FoelsommePersonoplysninger,
        "FOELSOMME_PERSONOPLYSNINGER",
    ),
    (Foelsomhed::VipSager, "VIP_SAGER"),
];

/// The codec's sensitivity of a record's code (`None` for an unknown one).
pub(crate) fn sensitivity_code(code: &str) -> Option<Foelsomhed> {
    SENSITIVITY_CODES
        .iter()
        .find(|(_, name)| *name == code)
        .map(|(f, _)| *f)
}

pub(crate) fn sensitivity(f: Foelsomhed) -> &'static str {
    SENSITIVITY_CODES
        .iter()
        .find(|(code, _)| *code == f)
        .map(|(_, name)| *name)
        .unwrap_or_default()
}

fn progress(list: &sag::TilstandListe, base: &str) -> Result<Vec<Fremdrift>, MappingError> {
    list.fremdrift
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/sag:TilstandListe/sag:Fremdrift[{}]", i + 1);
            Ok(Fremdrift {
                status: p
                    .fremdrift_status_kode
                    .map(|code| progress_code(code).to_owned())
                    .unwrap_or_default(),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

fn progress_code(code: sag::FremdriftStatusKode) -> &'static str {
    match code {
        sag::FremdriftStatusKode::Opstaaet => "Opstaaet",
        sag::FremdriftStatusKode::Oplyst => "Oplyst",
        sag::FremdriftStatusKode::Afgjort => "Afgjort",
        sag::FremdriftStatusKode::Afsluttet => "Afsluttet",
    }
}

/// An imported case (`SagIndeks` at `base`) as the record the ingest
/// takes: its one registration, whole, for municipality `kommune`.
pub fn imported(
    case: &sag::Sag,
    kommune: u16,
    base: &str,
) -> Result<(CaseRecord, Places), MappingError> {
    let [registration] = case.registrering.as_slice() else {
        return Err(MappingError {
            location: format!("{base}/sag:Registrering[2]"),
            message: "an import carries one registration, the case as it is now with its whole \
                      history; later registrations come with opdater"
                .into(),
        });
    };
    let base = format!("{base}/sag:Registrering");
    let registreret = registration.felter.tidspunkt.ok_or_else(|| MappingError {
        location: base.clone(),
        message: "the registration has its time (sd:Tidspunkt)".into(),
    })?;
    let mut places = Places {
        base: base.clone(),
        relations: Vec::new(),
        groups: CASE_GROUPS,
    };
    let record = CaseRecord {
        uuid: case.uuid.normalized(),
        kommune,
        registreret: instant(registreret),
        egenskaber: Some(properties(&registration.attribut_liste.egenskaber, &base)?),
        fremdrift: Some(progress(&registration.tilstand_liste, &base)?),
        indeks: Some(index_properties(
            registration.attribut_liste.lokal_udvidelse_liste.as_ref(),
            &base,
        )?),
        relationer: Some(relations(
            &registration.relation_liste,
            &base,
            &mut places.relations,
        )?),
    };
    Ok((record, places))
}

/// An update (`OpdaterSagIndeks` at `base`) as the record the ingest
/// takes: the groups it sends, registered at its `Tidspunkt`.
pub fn updated(
    update: &samspil_sf1470::sagdok::OpdaterSagIndeks,
    kommune: u16,
    base: &str,
) -> Result<(CaseRecord, Places), MappingError> {
    let ret = &update.ret;
    let mut places = Places {
        base: base.to_owned(),
        relations: Vec::new(),
        groups: CASE_GROUPS,
    };
    let attributes = ret.attribut_liste.as_ref();
    let egenskaber = attributes
        .filter(|a| !a.egenskaber.is_empty())
        .map(|a| properties(&a.egenskaber, base))
        .transpose()?;
    let indeks = attributes
        .map(|a| index_properties(a.lokal_udvidelse_liste.as_ref(), base))
        .transpose()?
        .filter(|list| !list.is_empty());
    let record = CaseRecord {
        uuid: ret.ret.uuid.normalized(),
        kommune,
        registreret: instant(update.tidspunkt),
        egenskaber,
        fremdrift: ret
            .tilstand_liste
            .as_ref()
            .filter(|t| !t.fremdrift.is_empty())
            .map(|t| progress(t, base))
            .transpose()?,
        indeks,
        relationer: ret
            .relation_liste
            .as_ref()
            .map(|r| relations(r, base, &mut places.relations))
            .transpose()?,
    };
    Ok((record, places))
}

// ---- back: a stored record as `fremsoeg` answers it ----

pub(crate) fn soap_time(at: OffsetDateTime) -> DateTime {
    DateTime {
        local: PrimitiveDateTime::new(at.date(), at.time()),
        offset: Some(at.offset()),
    }
}

pub(crate) fn soap_virkning(v: &Virkning) -> SoapVirkning {
    SoapVirkning {
        fra_tidspunkt: Some(Tidspunkt::Tidsstempel(soap_time(v.fra))),
        til_tidspunkt: Some(match v.til {
            Some(til) => Tidspunkt::Tidsstempel(soap_time(til)),
            None => Tidspunkt::UENDELIG,
        }),
        ..Default::default()
    }
}

pub(crate) fn text<const MIN: usize, const MAX: usize>(value: &str) -> Option<Text<MIN, MAX>> {
    Text::new(value).ok()
}

pub(crate) fn reference(value: &str) -> UnikId {
    match Uuid::new(value) {
        Ok(uuid) => UnikId::Uuid(uuid),
        Err(_) => UnikId::Urn(Text::new(value).unwrap_or_default()),
    }
}

fn soap_relation(r: &Relation, index: usize) -> (SoapRelation, &'static str) {
    let (_, role_uuid, element) = ROLE_UUIDS
        .iter()
        .find(|(role, ..)| *role == r.rolle)
        .copied()
        .unwrap_or(("", "00000000-0000-0000-0000-000000000000", "Sagsaktoer"));
    let type_uuid = match element {
        "Sagsklasse" => TYPE_KLASSE,
        "Sagspart" => TYPE_PART,
        "SagsitsystemRelation" => TYPE_ITSYSTEM,
        _ => TYPE_AKTOER,
    };
    let mut relation = SoapRelation {
        virkning: Some(soap_virkning(&r.virkning)),
        rolle: Uuid::new(role_uuid).ok().map(UnikId::Uuid),
        type_: Uuid::new(type_uuid).ok().map(UnikId::Uuid),
        indeks: text(&(index + 1).to_string()),
        reference_id: Some(reference(&r.reference)),
        lokal_udvidelse_liste: None,
    };
    if element == "Sagsklasse" {
        relation.lokal_udvidelse_liste = Some(Box::new(LokalUdvidelseListe {
            udvidelser: vec![LokalUdvidelse::SagsklasseLokalUdvidelse(
                SagsklasseLokalUdvidelse {
                    brugervendt_noegle: text(&r.reference),
                    ..Default::default()
                },
            )],
            senest_aendret_tidspunkt: None,
        }));
    }
    if r.rolle == "ejer"
        && let Some(cvr) = samspil_citizen::case::cvr(&r.reference)
    {
        relation.lokal_udvidelse_liste = Some(Box::new(LokalUdvidelseListe {
            udvidelser: vec![LokalUdvidelse::SagsaktoerLokalUdvidelse(
                SagsaktoerLokalUdvidelse {
                    cvr_nummer: samspil_sf1470::simple::Cvr::new(cvr).ok(),
                    ..Default::default()
                },
            )],
            senest_aendret_tidspunkt: None,
        }));
    }
    (relation, element)
}

/// A stored registration as `fremsoeg` answers it (and as a client sends
/// it: the demo's and the tests' vendors write imports with it).
pub fn registration(record: &CaseRecord) -> sag::Registrering {
    let mut out = sag::Registrering {
        felter: samspil_sf1470::common::RegistreringFelter {
            tidspunkt: Some(soap_time(record.registreret)),
            livscyklus_kode: Some(samspil_sf1470::common::LivscyklusKode::Importeret),
            ..Default::default()
        },
        ..Default::default()
    };
    for p in record.egenskaber.iter().flatten() {
        out.attribut_liste.egenskaber.push(sag::Egenskaber {
            virkning: Some(soap_virkning(&p.virkning)),
            brugervendt_noegle: text(&p.brugervendt_noegle),
            sagsnummer: text(&p.sagsnummer),
            titel: text(&p.titel),
            offentlighed_undtaget: p.offentlighed_undtaget.then(|| OffentlighedUndtaget {
                titel_alternativ_tekst: p
                    .titel_alternativ_tekst
                    .as_deref()
                    .and_then(text)
                    .unwrap_or_default(),
                hjemmel_tekst: Text::default(),
            }),
            ..Default::default()
        });
    }
    let index: Vec<LokalUdvidelse> = record
        .indeks
        .iter()
        .flatten()
        .map(|i| {
            LokalUdvidelse::SagIndeksEgenskaber(SagIndeksEgenskaber {
                virkning: Some(soap_virkning(&i.virkning)),
                sagsstatus: i.sagsstatus.as_deref().and_then(text),
                foelsomhed: sensitivity_code(&i.foelsomhed),
                ..Default::default()
            })
        })
        .collect();
    if !index.is_empty() {
        out.attribut_liste.lokal_udvidelse_liste = Some(LokalUdvidelseListe {
            udvidelser: index,
            senest_aendret_tidspunkt: None,
        });
    }
    for p in record.fremdrift.iter().flatten() {
        let code = [
            sag::FremdriftStatusKode::Opstaaet,
            sag::FremdriftStatusKode::Oplyst,
            sag::FremdriftStatusKode::Afgjort,
            sag::FremdriftStatusKode::Afsluttet,
        ]
        .into_iter()
        .find(|c| progress_code(*c) == p.status);
        out.tilstand_liste.fremdrift.push(sag::Fremdrift {
            virkning: Some(soap_virkning(&p.virkning)),
            fremdrift_status_kode: code,
        });
    }
    let mut systems = Vec::new();
    for (i, r) in record.relationer.iter().flatten().enumerate() {
        let (relation, element) = soap_relation(r, i);
        let list = &mut out.relation_liste;
        match element {
            "Sagsklasse" => list.sagsklasse.push(relation),
            "Sagspart" => list.sagspart.push(relation),
            "SagsitsystemRelation" => {
                systems.push(LokalUdvidelse::SagsitsystemRelation(SagsitsystemRelation {
                    relation,
                    system_navn: None,
                    system_uri: None,
                }))
            }
            _ => list.sagsaktoer.push(relation),
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

/// A whole case (one registration) as a client imports it.
pub fn case(record: &CaseRecord) -> sag::Sag {
    sag::Sag {
        uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
        registrering: vec![registration(record)],
        uden_notifikation: None,
    }
}

/// An update of a case (the groups the record carries) as a client sends
/// it.
pub fn update(record: &CaseRecord) -> samspil_sf1470::sagdok::OpdaterSagIndeks {
    let whole = registration(record);
    samspil_sf1470::sagdok::OpdaterSagIndeks {
        ret: sag::RetInput {
            ret: samspil_sf1470::common::RetInputFelter {
                uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
                note_tekst: None,
            },
            attribut_liste: (record.egenskaber.is_some() || record.indeks.is_some())
                .then_some(whole.attribut_liste),
            tilstand_liste: record.fremdrift.is_some().then_some(whole.tilstand_liste),
            relation_liste: record.relationer.is_some().then_some(whole.relation_liste),
        },
        tidspunkt: soap_time(record.registreret),
        uden_notifikation: None,
    }
}
