//! The case (`Sag.xsd`, `SagOperationer.xsd`, namespace `sag:`), as the
//! index takes it: every attribute group, state and relation with its
//! `Virkning`, in registrations with their time.

use crate::common::{
    LokalUdvidelseListe, OffentlighedUndtaget, RegistreringFelter, Relation, RetInputFelter,
    SagDokObjekt, SoegIndeksFelter, Virkning,
};
use crate::ns::{GD, SAG, SD};
use crate::simple::{Base64Binary, Text, Uuid};
use crate::xml::{xml_enum, xml_struct};

xml_struct! {
    /// `sag:SagType`: a case with its sender-generated UUID and one or more
    /// registrations.
    pub struct Sag {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub registrering: Vec<Registrering> = many1(SAG, "Registrering"),
        pub uden_notifikation: Option<bool> = opt(SAG, "UdenNotifikation"),
    }
}

xml_struct! {
    /// `sag:RegistreringType`.
    pub struct Registrering {
        pub felter: RegistreringFelter = flatten(),
        pub attribut_liste: AttributListe = one(SAG, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(SAG, "TilstandListe"),
        pub relation_liste: RelationListe = one(SAG, "RelationListe"),
    }
}

xml_struct! {
    /// `sag:AttributListeType`. The case index's own properties (status
    /// text, sensitivity) come as `si:SagIndeksEgenskaber` in the local
    /// extension list.
    pub struct AttributListe {
        pub egenskaber: Vec<Egenskaber> = many(SAG, "Egenskaber"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `sag:TilstandListeType`: the progress history.
    pub struct TilstandListe {
        pub fremdrift: Vec<Fremdrift> = many(SAG, "Fremdrift"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `sag:RelationListeType`. The roles (owner, responsible unit, primary
    /// class, primary party, …) are told apart by each relation's `Rolle`.
    pub struct RelationListe {
        pub sagsaktoer: Vec<Relation> = many(SAG, "Sagsaktoer"),
        pub sagsklasse: Vec<Relation> = many(SAG, "Sagsklasse"),
        pub sagspart: Vec<Relation> = many(SAG, "Sagspart"),
        pub sagsrelation: Vec<Relation> = many(SAG, "Sagsrelation"),
        pub sagsgenstande: Vec<Relation> = many(SAG, "Sagsgenstande"),
        pub journalpost: Vec<JournalpostRelation> = many(SAG, "Journalpost"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `sag:EgenskaberType`: the case's properties for one validity period.
    /// `Sagsnummer` must equal `BrugervendtNoegle` (an anvisning rule the
    /// store checks).
    pub struct Egenskaber {
        pub virkning: Option<Virkning> = opt(SAG, "Virkning"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(SAG, "BrugervendtNoegle"),
        pub afleveret_indikator: Option<bool> = opt(SAG, "AfleveretIndikator"),
        pub beskrivelse: Option<Text<0, 4096>> = opt(SAG, "Beskrivelse"),
        pub hjemmel_specifikation: Option<Text<0, 1024>> = opt(SAG, "HjemmelSpecifikation"),
        pub kassationskode: Option<Text<0, 50>> = opt(SAG, "Kassationskode"),
        pub offentlighed_undtaget: Option<OffentlighedUndtaget> = opt(SAG, "OffentlighedUndtaget"),
        pub principiel_indikator: Option<bool> = opt(SAG, "PrincipielIndikator"),
        pub sagsnummer: Option<Text<1, 50>> = opt(SAG, "Sagsnummer"),
        pub titel: Option<Text<1, 255>> = opt(SAG, "Titel"),
    }
}

xml_enum! {
    /// `sag:FremdriftStatusKodeType`.
    pub enum FremdriftStatusKode {
        Opstaaet = "Opstaaet",
        Oplyst = "Oplyst",
        Afgjort = "Afgjort",
        Afsluttet = "Afsluttet",
    }
}

xml_struct! {
    /// `sag:FremdriftType`: one state of the progress history, with its
    /// validity.
    pub struct Fremdrift {
        pub virkning: Option<Virkning> = opt(SAG, "Virkning"),
        pub fremdrift_status_kode: Option<FremdriftStatusKode> = opt(SAG, "FremdriftStatusKode"),
    }
}

xml_struct! {
    /// `sag:JournalpostRelationType`: a document or journal note on the case.
    pub struct JournalpostRelation {
        pub relation: Relation = flatten(),
        pub journalpost_egenskaber: Option<JournalpostEgenskaber> = opt(SAG, "JournalpostEgenskaber"),
    }
}

xml_struct! {
    /// `sag:JournalpostEgenskaberType`.
    pub struct JournalpostEgenskaber {
        pub dokumenttitel: Option<Text<0, 255>> = opt(SAG, "Dokumenttitel"),
        pub offentlighed_undtaget: Option<OffentlighedUndtaget> = opt(SD, "OffentlighedUndtaget"),
        pub journalnotat_egenskaber: Option<JournalnotatEgenskaber> = opt(SAG, "JournalnotatEgenskaber"),
    }
}

xml_struct! {
    /// `sag:JournalnotatEgenskaberType`: a journal note. Its body is kept
    /// but never shown to citizens.
    pub struct JournalnotatEgenskaber {
        pub titel: Option<Text<1, 255>> = opt(SAG, "Titel"),
        pub notat: Option<Base64Binary> = opt(SAG, "Notat"),
        pub format: Option<Text<0, 50>> = opt(SAG, "Format"),
    }
}

xml_struct! {
    /// `sag:RetInputType`: the changes of an update (`opdater`).
    pub struct RetInput {
        pub ret: RetInputFelter = flatten(),
        pub attribut_liste: Option<AttributListe> = opt(SAG, "AttributListe"),
        pub tilstand_liste: Option<TilstandListe> = opt(SAG, "TilstandListe"),
        pub relation_liste: Option<RelationListe> = opt(SAG, "RelationListe"),
    }
}

xml_struct! {
    /// `sag:SoegInputType`: a search for cases (the lists hold the values
    /// searched for).
    pub struct SoegInput {
        pub felter: SoegIndeksFelter = flatten(),
        pub attribut_liste: AttributListe = one(SAG, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(SAG, "TilstandListe"),
        pub relation_liste: RelationListe = one(SAG, "RelationListe"),
    }
}

xml_struct! {
    /// `sag:FiltreretOejebliksbilledeType`: a case as `fremsoeg` answers it.
    pub struct FiltreretOejebliksbillede {
        pub objekt_type: SagDokObjekt = one(SAG, "ObjektType"),
        pub registrering: Vec<Registrering> = many(SAG, "Registrering"),
    }
}
