//! A grant or payment between the SOAP codec's types
//! (`samspil_sf1470::bevilling`, `::effektuering`, `::ydelse`) and the
//! ingest's record (`samspil_citizen::benefit::BenefitRecord`), both ways,
//! as [`crate::soap_sag`] does for cases: a `Registrering` of
//! `importer` or an `OpdaterBevillingIndeks` / `Opdater
//! OekonomiskEffektueringIndeks` of `opdater` becomes the record the JSON
//! door would send, and a stored record the `Registrering` `fremsoeg`
//! answers with. The rules are checked afterwards on the record; here only
//! what the record cannot carry is refused, with its place.
//!
//! The schema tells most relations apart by their element (`Bevillingssag`,
//! `Bevillingspart`, `OekonomiskYdelseEffektueringRelation`, …); a grant's
//! `Bevillingsaktoer` is the owner or the responsible unit by its `Rolle`
//! UUID, the cases' ([`crate::soap_sag::ROLE_UUIDS`]). A benefit's KLE
//! class is `Ydelse/Klassifikation/BrugervendtNoegle`; a payment's grant is
//! its `BevilgetYdelseRef` (the grant's UUID and the benefit's `Id`).
//! Amounts are the codec's øre, exactly as sent.

use samspil_citizen::benefit::{
    BenefitRecord, GrantProperties, GrantRecord, GrantedBenefit, Oere, PaymentPlan,
    PaymentProperties, PaymentRecord,
};
use samspil_citizen::case::Relation;
use samspil_sf1470::common::{
    RegistreringFelter, Relation as SoapRelation, RetInputFelter, UnikId,
};
use samspil_sf1470::simple::{DateTime, Oere as SoapOere, Tekst, Text, Uuid};
use samspil_sf1470::{bevilling, effektuering, ydelse};
use time::{OffsetDateTime, UtcOffset};

use crate::soap_sag::{
    self, MappingError, Places, instant, soap_time, soap_virkning, unik_text, virkning,
};

/// Each record group's element under the registration, for a violation's
/// place.
pub const GRANT_GROUPS: &[(&str, &str)] = &[
    ("egenskaber", "bi:AttributListe/bi:Egenskaber"),
    ("ydelser", "bi:AttributListe/bi:BevilgetYdelse"),
];
pub const PAYMENT_GROUPS: &[(&str, &str)] = &[("egenskaber", "oef:AttributListe/oef:Egenskaber")];

fn missing(location: String, what: &str) -> MappingError {
    MappingError {
        location,
        message: format!("{what} is needed here"),
    }
}

fn text_of<const MIN: usize, const MAX: usize>(t: Option<&Text<MIN, MAX>>) -> String {
    t.map(|t| t.as_str().to_owned()).unwrap_or_default()
}

/// `Bevillingstartdato`/`slutdato` are plain strings in the schema: an
/// `xs:dateTime`, or an `xs:date` (the day's start, UTC).
fn date_text(text: &str, location: &str) -> Result<OffsetDateTime, MappingError> {
    let trimmed = text.trim();
    DateTime::parse(trimmed)
        .or_else(|_| DateTime::parse(&format!("{trimmed}T00:00:00Z")))
        .map(instant)
        .map_err(|_| MappingError {
            location: location.to_owned(),
            message: "a date (xs:date or xs:dateTime)".into(),
        })
}

fn when(
    at: Option<DateTime>,
    location: String,
    what: &str,
) -> Result<OffsetDateTime, MappingError> {
    at.map(instant).ok_or_else(|| missing(location, what))
}

fn relation(
    rolle: &str,
    reference: String,
    soap: &SoapRelation,
    place: String,
    places: &mut Vec<String>,
) -> Result<Relation, MappingError> {
    let out = Relation {
        rolle: rolle.to_owned(),
        reference,
        virkning: virkning(soap.virkning.as_ref(), &place)?,
    };
    places.push(place);
    Ok(out)
}

fn sent_reference(soap: &SoapRelation) -> String {
    soap.reference_id
        .as_ref()
        .map(unik_text)
        .unwrap_or_default()
}

fn grant_relations(
    list: &bevilling::RelationListe,
    base: &str,
    places: &mut Vec<String>,
) -> Result<Vec<Relation>, MappingError> {
    let mut out = Vec::new();
    let at = |element: &str, i: usize| format!("{base}/bi:RelationListe/bi:{element}[{}]", i + 1);
    for (i, r) in list.bevillingssag.iter().enumerate() {
        out.push(relation(
            "sag",
            sent_reference(&r.relation),
            &r.relation,
            at("Bevillingssag", i),
            places,
        )?);
    }
    for (i, r) in list.bevillingspart.iter().enumerate() {
        out.push(relation(
            "part",
            sent_reference(&r.relation),
            &r.relation,
            at("Bevillingspart", i),
            places,
        )?);
    }
    for (i, r) in list.bevillingsaktoer.iter().enumerate() {
        let rolle = soap_sag::role_of(&r.relation);
        let sent = sent_reference(&r.relation);
        let reference = match (&r.cvr_nr, rolle.as_str()) {
            (Some(cvr), "ejer") if !sent.starts_with("urn:oio:cvr-nr:") => {
                format!("urn:oio:cvr-nr:{}", cvr.as_str())
            }
            _ => sent,
        };
        out.push(relation(
            &rolle,
            reference,
            &r.relation,
            at("Bevillingsaktoer", i),
            places,
        )?);
    }
    Ok(out)
}

fn grant_properties(
    list: &[bevilling::Egenskaber],
    base: &str,
) -> Result<Vec<GrantProperties>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/bi:AttributListe/bi:Egenskaber[{}]", i + 1);
            let start = p.bevillingstartdato.as_ref().ok_or_else(|| {
                missing(
                    format!("{place}/bi:Bevillingstartdato"),
                    "the grant's start date",
                )
            })?;
            Ok(GrantProperties {
                brugervendt_noegle: text_of(p.brugervendt_noegle.as_ref()),
                startdato: date_text(start, &format!("{place}/bi:Bevillingstartdato"))?,
                slutdato: p
                    .bevillingslutdato
                    .as_ref()
                    .map(|end| date_text(end, &format!("{place}/bi:Bevillingslutdato")))
                    .transpose()?,
                begrundelse: p.begrundelse.as_ref().map(|b| b.as_str().to_owned()),
                foelsomhed: p
                    .foelsomhed
                    .map(soap_sag::sensitivity)
                    .unwrap_or_default()
                    .to_owned(),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

fn plans(
    list: &[bevilling::OekonomiskEffektueringsplan],
    base: &str,
) -> Result<Vec<PaymentPlan>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/bi:OekonomiskEffektueringsplan[{}]", i + 1);
            Ok(PaymentPlan {
                id: p.id.as_ref().map(|t| t.as_str().to_owned()),
                startdato: when(
                    p.startdato,
                    format!("{place}/bi:EffektueringsplanStartdato"),
                    "the plan's start",
                )?,
                slutdato: p.slutdato.map(instant),
                frekvens: text_of(p.beregningsfrekvens.as_ref()),
                forud_bagud: p.forud_bagud.map(|f| {
                    match f {
                        bevilling::ForudBagud::Forud => "Forud",
                        bevilling::ForudBagud::Bagud => "Bagud",
                    }
                    .to_owned()
                }),
                dispositionsdag: p.dispositionsdag.as_ref().map(|d| d.as_str().to_owned()),
                ydelsesbeloeb: p.ydelsesbeloeb.map(|a| Oere(a.0)).ok_or_else(|| {
                    missing(format!("{place}/bi:Ydelsesbeloeb"), "the plan's amount")
                })?,
                manuelt_godkendes: p.manuelt_godkendes.unwrap_or(false),
            })
        })
        .collect()
}

fn benefits(
    list: &[bevilling::BevilgetYdelse],
    base: &str,
) -> Result<Vec<GrantedBenefit>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, b)| {
            let place = format!("{base}/bi:AttributListe/bi:BevilgetYdelse[{}]", i + 1);
            let ydelse = b.ydelse.as_ref();
            Ok(GrantedBenefit {
                id: text_of(b.id.as_ref()),
                navn: ydelse
                    .and_then(|y| y.ydelsesnavn.as_ref())
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_else(|| text_of(b.navn.as_ref())),
                kle: text_of(
                    ydelse
                        .and_then(|y| y.klassifikation.as_ref())
                        .and_then(|k| k.brugervendt_noegle.as_ref()),
                ),
                startdato: when(
                    b.startdato,
                    format!("{place}/bi:BevilgetYdelseStartdato"),
                    "the benefit's start",
                )?,
                slutdato: b.slutdato.map(instant),
                tilbagebetalingspligtig: b.tilbagebetalingspligtig.unwrap_or(false),
                plan: plans(&b.oekonomisk_effektueringsplan, &place)?,
                virkning: virkning(b.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

fn payment_properties(
    list: &[effektuering::Egenskaber],
    base: &str,
) -> Result<Vec<PaymentProperties>, MappingError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = format!("{base}/oef:AttributListe/oef:Egenskaber[{}]", i + 1);
            let field = |name: &str| format!("{place}/oef:{name}");
            let amount = |a: Option<SoapOere>| a.map(|a| Oere(a.0));
            Ok(PaymentProperties {
                brugervendt_noegle: p.brugervendt_noegle.as_ref().map(|t| t.as_str().to_owned()),
                startdato: when(p.startdato, field("Startdato"), "the period's start")?,
                slutdato: when(p.slutdato, field("Slutdato"), "the period's end")?,
                bruttobeloeb: amount(p.samlet_bruttobeloeb)
                    .ok_or_else(|| missing(field("SamletBruttobeloeb"), "the gross amount"))?,
                efter_skat_atp: amount(p.beloeb_efter_skat_atp),
                sendt_til_udbetaling: amount(p.beloeb_sendt_til_udbetaling),
                udbetalt: amount(p.beloeb_udbetalt),
                dispositionsdato: when(
                    p.dispositionsdato,
                    field("Dispositionsdato"),
                    "the disposition date",
                )?,
                udbetalingsafdeling: text_of(p.udbetalingsafdeling.as_ref()),
                virkning: virkning(p.virkning.as_ref(), &place)?,
            })
        })
        .collect()
}

fn payment_relations(
    list: &effektuering::RelationListe,
    base: &str,
    places: &mut Vec<String>,
) -> Result<Vec<Relation>, MappingError> {
    let mut out = Vec::new();
    let at = |element: &str, i: usize| format!("{base}/oef:RelationListe/oef:{element}[{}]", i + 1);
    for (i, r) in list
        .oekonomisk_ydelse_effektuering_relation
        .iter()
        .enumerate()
    {
        let reference = r
            .bevilget_ydelse_ref
            .as_ref()
            .map(|b| format!("{}:{}", b.uuid.normalized(), b.bevilget_ydelse_id.as_str()))
            .unwrap_or_default();
        out.push(relation(
            "bevilling",
            reference,
            &r.relation,
            at("OekonomiskYdelseEffektueringRelation", i),
            places,
        )?);
    }
    for (i, r) in list.oekonomisk_effektuering_part.iter().enumerate() {
        out.push(relation(
            "part",
            sent_reference(&r.relation),
            &r.relation,
            at("OekonomiskEffektueringPart", i),
            places,
        )?);
    }
    for (i, r) in list.it_system.iter().enumerate() {
        out.push(relation(
            "afsender",
            sent_reference(&r.relation),
            &r.relation,
            at("ItSystem", i),
            places,
        )?);
    }
    for (i, r) in list.aktoer.iter().enumerate() {
        let reference = match &r.cvr_nr {
            Some(cvr) => format!("urn:oio:cvr-nr:{}", cvr.as_str()),
            None => sent_reference(&r.relation),
        };
        out.push(relation(
            "aktoer",
            reference,
            &r.relation,
            at("Aktoer", i),
            places,
        )?);
    }
    Ok(out)
}

fn places(base: &str, groups: &'static [(&'static str, &'static str)]) -> Places {
    Places {
        base: base.to_owned(),
        relations: Vec::new(),
        groups,
    }
}

fn one_registration<'a, T>(
    list: &'a [T],
    base: &str,
    element: &str,
) -> Result<&'a T, MappingError> {
    match list {
        [one] => Ok(one),
        _ => Err(MappingError {
            location: format!("{base}/{element}[2]"),
            message: "an import carries one registration, the object as it is now; later \
                      registrations come with opdater"
                .into(),
        }),
    }
}

fn registered(felter: &RegistreringFelter, base: &str) -> Result<OffsetDateTime, MappingError> {
    felter.tidspunkt.map(instant).ok_or_else(|| MappingError {
        location: base.to_owned(),
        message: "the registration has its time (sd:Tidspunkt)".into(),
    })
}

/// An imported grant (`BevillingIndeks` at `base`) as the record the
/// ingest takes, for municipality `kommune`.
pub fn grant_imported(
    grant: &bevilling::BevillingIndeks,
    kommune: u16,
    base: &str,
) -> Result<(BenefitRecord, Places), MappingError> {
    let registration = one_registration(&grant.registrering, base, "bi:Registrering")?;
    let base = format!("{base}/bi:Registrering");
    let mut at = places(&base, GRANT_GROUPS);
    let record = GrantRecord {
        uuid: grant.uuid.normalized(),
        kommune,
        registreret: registered(&registration.felter, &base)?,
        egenskaber: Some(grant_properties(
            &registration.attribut_liste.egenskaber,
            &base,
        )?),
        ydelser: Some(benefits(
            &registration.attribut_liste.bevilget_ydelse,
            &base,
        )?),
        relationer: Some(grant_relations(
            &registration.relation_liste,
            &base,
            &mut at.relations,
        )?),
    };
    Ok((BenefitRecord::Bevilling(record), at))
}

/// An update of a grant (`OpdaterBevillingIndeks` at `base`): the groups
/// it sends, registered at its `Tidspunkt`.
pub fn grant_updated(
    update: &ydelse::OpdaterBevillingIndeks,
    kommune: u16,
    base: &str,
) -> Result<(BenefitRecord, Places), MappingError> {
    let ret = &update.ret;
    let mut at = places(base, GRANT_GROUPS);
    let attributes = ret.attribut_liste.as_ref();
    let record = GrantRecord {
        uuid: ret.ret.uuid.normalized(),
        kommune,
        registreret: instant(update.tidspunkt),
        egenskaber: attributes
            .filter(|a| !a.egenskaber.is_empty())
            .map(|a| grant_properties(&a.egenskaber, base))
            .transpose()?,
        ydelser: attributes
            .filter(|a| !a.bevilget_ydelse.is_empty())
            .map(|a| benefits(&a.bevilget_ydelse, base))
            .transpose()?,
        relationer: ret
            .relation_liste
            .as_ref()
            .map(|r| grant_relations(r, base, &mut at.relations))
            .transpose()?,
    };
    Ok((BenefitRecord::Bevilling(record), at))
}

/// An imported payment (`OekonomiskEffektueringIndeks` at `base`).
pub fn payment_imported(
    payment: &effektuering::OekonomiskEffektueringIndeks,
    kommune: u16,
    base: &str,
) -> Result<(BenefitRecord, Places), MappingError> {
    let registration = one_registration(&payment.registrering, base, "oef:Registrering")?;
    let base = format!("{base}/oef:Registrering");
    let mut at = places(&base, PAYMENT_GROUPS);
    let record = PaymentRecord {
        uuid: payment.uuid.normalized(),
        kommune,
        registreret: registered(&registration.felter, &base)?,
        egenskaber: Some(payment_properties(
            &registration.attribut_liste.egenskaber,
            &base,
        )?),
        relationer: Some(payment_relations(
            &registration.relation_liste,
            &base,
            &mut at.relations,
        )?),
    };
    Ok((BenefitRecord::Effektuering(record), at))
}

/// An update of a payment (`OpdaterOekonomiskEffektueringIndeks`).
pub fn payment_updated(
    update: &ydelse::OpdaterOekonomiskEffektueringIndeks,
    kommune: u16,
    base: &str,
) -> Result<(BenefitRecord, Places), MappingError> {
    let ret = &update.ret;
    let mut at = places(base, PAYMENT_GROUPS);
    let record = PaymentRecord {
        uuid: ret.ret.uuid.normalized(),
        kommune,
        registreret: instant(update.tidspunkt),
        egenskaber: ret
            .attribut_liste
            .as_ref()
            .filter(|a| !a.egenskaber.is_empty())
            .map(|a| payment_properties(&a.egenskaber, base))
            .transpose()?,
        relationer: ret
            .relation_liste
            .as_ref()
            .map(|r| payment_relations(r, base, &mut at.relations))
            .transpose()?,
    };
    Ok((BenefitRecord::Effektuering(record), at))
}

// ---- back: a stored record as `fremsoeg` answers it (and a client sends it) ----

fn text<const MIN: usize, const MAX: usize>(value: &str) -> Option<Text<MIN, MAX>> {
    Text::new(value).ok()
}

fn amount(value: Oere) -> SoapOere {
    SoapOere(value.0)
}

fn soap_relation(r: &Relation, index: usize, role_uuid: Option<&str>) -> SoapRelation {
    SoapRelation {
        virkning: Some(soap_virkning(&r.virkning)),
        rolle: role_uuid.and_then(|u| Uuid::new(u).ok()).map(UnikId::Uuid),
        type_: None,
        indeks: text(&(index + 1).to_string()),
        reference_id: Some(soap_sag::reference(&r.reference)),
        lokal_udvidelse_liste: None,
    }
}

fn day_text(at: OffsetDateTime) -> Tekst {
    Tekst::new(
        at.to_offset(UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    )
    .unwrap_or_default()
}

/// A stored grant's registration as `fremsoeg` answers it.
pub fn grant_registration(record: &GrantRecord) -> bevilling::Registrering {
    let mut out = bevilling::Registrering {
        felter: RegistreringFelter {
            tidspunkt: Some(soap_time(record.registreret)),
            livscyklus_kode: Some(samspil_sf1470::common::LivscyklusKode::Importeret),
            ..Default::default()
        },
        ..Default::default()
    };
    for p in record.egenskaber.iter().flatten() {
        out.attribut_liste.egenskaber.push(bevilling::Egenskaber {
            virkning: Some(soap_virkning(&p.virkning)),
            brugervendt_noegle: text(&p.brugervendt_noegle),
            bevillingstartdato: Some(day_text(p.startdato)),
            bevillingslutdato: p.slutdato.map(day_text),
            begrundelse: p.begrundelse.as_deref().and_then(text),
            foelsomhed: soap_sag::sensitivity_code(&p.foelsomhed),
        });
    }
    for b in record.ydelser.iter().flatten() {
        out.attribut_liste
            .bevilget_ydelse
            .push(bevilling::BevilgetYdelse {
                virkning: Some(soap_virkning(&b.virkning)),
                id: text(&b.id),
                navn: text(&b.navn),
                startdato: Some(soap_time(b.startdato)),
                slutdato: b.slutdato.map(soap_time),
                tilbagebetalingspligtig: Some(b.tilbagebetalingspligtig),
                ydelse: Some(bevilling::YdelseRelation {
                    ydelsesnavn: text(&b.navn),
                    klassifikation: Some(bevilling::BevillingsklasseRelation {
                        brugervendt_noegle: text(&b.kle),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                oekonomisk_effektueringsplan: b
                    .plan
                    .iter()
                    .map(|p| bevilling::OekonomiskEffektueringsplan {
                        id: p.id.as_deref().and_then(text),
                        startdato: Some(soap_time(p.startdato)),
                        slutdato: p.slutdato.map(soap_time),
                        beregningsfrekvens: text(&p.frekvens),
                        forud_bagud: match p.forud_bagud.as_deref() {
                            Some("Forud") => Some(bevilling::ForudBagud::Forud),
                            Some("Bagud") => Some(bevilling::ForudBagud::Bagud),
                            _ => None,
                        },
                        dispositionsdag: p.dispositionsdag.as_deref().and_then(text),
                        ydelsesbeloeb: Some(amount(p.ydelsesbeloeb)),
                        manuelt_godkendes: Some(p.manuelt_godkendes),
                    })
                    .collect(),
                ..Default::default()
            });
    }
    let list = &mut out.relation_liste;
    for (i, r) in record.relationer.iter().flatten().enumerate() {
        match r.rolle.as_str() {
            "sag" => list.bevillingssag.push(bevilling::SagRelation {
                relation: soap_relation(r, i, None),
                ..Default::default()
            }),
            "part" => list.bevillingspart.push(bevilling::PartRelation {
                relation: soap_relation(r, i, None),
                ..Default::default()
            }),
            role => list.bevillingsaktoer.push(bevilling::AktoerRelation {
                relation: soap_relation(r, i, soap_sag::role_uuid(role)),
                cvr_nr: samspil_citizen::case::cvr(&r.reference)
                    .and_then(|cvr| samspil_sf1470::simple::Cvr::new(cvr).ok()),
                ..Default::default()
            }),
        }
    }
    out
}

/// A stored payment's registration as `fremsoeg` answers it.
pub fn payment_registration(record: &PaymentRecord) -> effektuering::Registrering {
    let mut out = effektuering::Registrering {
        felter: RegistreringFelter {
            tidspunkt: Some(soap_time(record.registreret)),
            livscyklus_kode: Some(samspil_sf1470::common::LivscyklusKode::Importeret),
            ..Default::default()
        },
        ..Default::default()
    };
    for p in record.egenskaber.iter().flatten() {
        out.attribut_liste
            .egenskaber
            .push(effektuering::Egenskaber {
                virkning: Some(soap_virkning(&p.virkning)),
                brugervendt_noegle: p.brugervendt_noegle.as_deref().and_then(text),
                startdato: Some(soap_time(p.startdato)),
                slutdato: Some(soap_time(p.slutdato)),
                samlet_bruttobeloeb: Some(amount(p.bruttobeloeb)),
                dispositionsdato: Some(soap_time(p.dispositionsdato)),
                beloeb_efter_skat_atp: p.efter_skat_atp.map(amount),
                beloeb_sendt_til_udbetaling: p.sendt_til_udbetaling.map(amount),
                beloeb_udbetalt: p.udbetalt.map(amount),
                udbetalingsafdeling: text(&p.udbetalingsafdeling),
                ..Default::default()
            });
    }
    let list = &mut out.relation_liste;
    for (i, r) in record.relationer.iter().flatten().enumerate() {
        let relation = soap_relation(r, i, None);
        match r.rolle.as_str() {
            "bevilling" => {
                let reference = samspil_citizen::benefit::granted_benefit_ref(&r.reference);
                list.oekonomisk_ydelse_effektuering_relation.push(
                    effektuering::OekonomiskYdelseEffektueringRelation {
                        relation: SoapRelation {
                            reference_id: None,
                            ..relation
                        },
                        bevilget_ydelse_ref: reference.map(|(uuid, id)| {
                            effektuering::BevilgetYdelseRef {
                                uuid: Uuid::new(uuid).unwrap_or_default(),
                                bevilget_ydelse_id: Tekst::new(id).unwrap_or_default(),
                            }
                        }),
                        ..Default::default()
                    },
                );
            }
            "part" => list
                .oekonomisk_effektuering_part
                .push(effektuering::PartRelation {
                    relation,
                    ..Default::default()
                }),
            "afsender" => list.it_system.push(effektuering::ItSystemRelation {
                relation,
                ..Default::default()
            }),
            _ => list.aktoer.push(effektuering::AktoerRelation {
                relation,
                ..Default::default()
            }),
        }
    }
    out
}

/// A whole grant (one registration) as a client imports it.
pub fn grant(record: &GrantRecord) -> bevilling::BevillingIndeks {
    bevilling::BevillingIndeks {
        uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
        registrering: vec![grant_registration(record)],
        uden_notifikation: None,
    }
}

/// A whole payment as a client imports it.
pub fn payment(record: &PaymentRecord) -> effektuering::OekonomiskEffektueringIndeks {
    effektuering::OekonomiskEffektueringIndeks {
        uuid: Uuid::new(record.uuid.clone()).unwrap_or_default(),
        registrering: vec![payment_registration(record)],
    }
}

fn ret(uuid: &str) -> RetInputFelter {
    RetInputFelter {
        uuid: Uuid::new(uuid).unwrap_or_default(),
        note_tekst: None,
    }
}

/// An update of a grant (the groups the record carries) as a client
/// sends it.
pub fn grant_update(record: &GrantRecord) -> ydelse::OpdaterBevillingIndeks {
    let whole = grant_registration(record);
    ydelse::OpdaterBevillingIndeks {
        ret: bevilling::RetInput {
            ret: ret(&record.uuid),
            attribut_liste: (record.egenskaber.is_some() || record.ydelser.is_some())
                .then_some(whole.attribut_liste),
            tilstand_liste: None,
            relation_liste: record.relationer.is_some().then_some(whole.relation_liste),
        },
        tidspunkt: soap_time(record.registreret),
        uden_notifikation: None,
    }
}

/// An update of a payment as a client sends it.
pub fn payment_update(record: &PaymentRecord) -> ydelse::OpdaterOekonomiskEffektueringIndeks {
    let whole = payment_registration(record);
    ydelse::OpdaterOekonomiskEffektueringIndeks {
        ret: effektuering::RetInput {
            ret: ret(&record.uuid),
            attribut_liste: record.egenskaber.is_some().then_some(whole.attribut_liste),
            tilstand_liste: None,
            relation_liste: record.relationer.is_some().then_some(whole.relation_liste),
        },
        tidspunkt: soap_time(record.registreret),
    }
}
