//! The document (`DokumentIndeks.xsd`, `DokumentIndeksOperationer.xsd`,
//! namespace `di:`).

use crate::common::Foelsomhed;
use crate::common::{
    LokalUdvidelseListe, OffentlighedUndtaget, RegistreringFelter, Relation, RetInputFelter,
    SagDokObjekt, SoegIndeksFelter, Virkning,
};
use crate::ns::{DI, GD, SD};
use crate::simple::{Date, Text, Uuid};
use crate::xml::{xml_enum, xml_struct};

xml_struct! {
    /// `di:DokumentIndeksType`.
    pub struct DokumentIndeks {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub registrering: Vec<Registrering> = many1(DI, "Registrering"),
    }
}

xml_struct! {
    /// `di:RegistreringType`.
    pub struct Registrering {
        pub felter: RegistreringFelter = flatten(),
        pub attribut_liste: AttributListe = one(DI, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(DI, "TilstandListe"),
        pub relation_liste: RelationListe = one(DI, "RelationListe"),
    }
}

xml_struct! {
    /// `di:AttributListeType`.
    pub struct AttributListe {
        pub egenskaber: Vec<Egenskaber> = many(DI, "Egenskaber"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `di:TilstandListeType`: the document's progress.
    pub struct TilstandListe {
        pub fremdrift: Vec<Fremdrift> = many(DI, "Fremdrift"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `di:RelationListeType`.
    pub struct RelationListe {
        pub dokumentrelation: Vec<Relation> = many(DI, "Dokumentrelation"),
        pub dokumentaktoer: Vec<Relation> = many(DI, "Dokumentaktoer"),
        pub dokumentpart: Vec<Relation> = many(DI, "Dokumentpart"),
        pub dokumentklasse: Vec<Relation> = many(DI, "Dokumentklasse"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_enum! {
    /// `di:Type`: the kind of document.
    pub enum DokumentType {
        Faktura = "Faktura",
        BrevIndgaaende = "Brev, indgaaende",
        BrevUdgaaende = "Brev, udgaaende",
        Brev = "Brev",
        InterntNotat = "Internt Notat",
        EksterntNotat = "Eksternt Notat",
        Rapport = "Rapport",
        Dagsorden = "Dagsorden",
        Plan = "Plan",
        Andet = "Andet",
    }
}

xml_struct! {
    /// `di:EgenskaberType`.
    pub struct Egenskaber {
        pub virkning: Option<Virkning> = opt(DI, "Virkning"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(DI, "BrugervendtNoegle"),
        pub titel: Option<Text<1, 255>> = opt(DI, "Titel"),
        pub beskrivelse: Option<Text<0, 4096>> = opt(DI, "Beskrivelse"),
        pub brev_dato: Option<Date> = opt(DI, "BrevDato"),
        pub offentlighed_undtaget: Option<OffentlighedUndtaget> = opt(DI, "OffentlighedUndtaget"),
        pub version_identifikator: Option<i64> = opt(DI, "VersionIdentifikator"),
        pub underversion_identifikator: Option<i64> = opt(DI, "UnderversionIdentifikator"),
        pub kassationskode: Option<Text<0, 50>> = opt(DI, "Kassationskode"),
        pub dokumentnummer: Option<Text<1, 50>> = opt(DI, "Dokumentnummer"),
        pub foelsomhed: Option<Foelsomhed> = opt(DI, "Foelsomhed"),
        pub type_: Option<DokumentType> = opt(DI, "Type"),
    }
}

xml_enum! {
    /// `di:FremdriftStatusKodeType`.
    pub enum FremdriftStatusKode {
        Modtaget = "Modtaget",
        Fordelt = "Fordelt",
        Underudarbejdelse = "Underudarbejdelse",
        Underreview = "Underreview",
        Publiceret = "Publiceret",
        Endeligt = "Endeligt",
        Afleveret = "Afleveret",
    }
}

xml_struct! {
    /// `di:FremdriftType`.
    pub struct Fremdrift {
        pub virkning: Option<Virkning> = opt(DI, "Virkning"),
        pub fremdrift_status_kode: Option<FremdriftStatusKode> = opt(DI, "FremdriftStatusKode"),
    }
}

xml_struct! {
    /// `di:RetInputType`.
    pub struct RetInput {
        pub ret: RetInputFelter = flatten(),
        pub attribut_liste: Option<AttributListe> = opt(DI, "AttributListe"),
        pub tilstand_liste: Option<TilstandListe> = opt(DI, "TilstandListe"),
        pub relation_liste: Option<RelationListe> = opt(DI, "RelationListe"),
    }
}

xml_struct! {
    /// `di:SoegInputType`.
    pub struct SoegInput {
        pub felter: SoegIndeksFelter = flatten(),
        pub attribut_liste: AttributListe = one(DI, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(DI, "TilstandListe"),
        pub relation_liste: RelationListe = one(DI, "RelationListe"),
    }
}

xml_struct! {
    /// `di:FiltreretOejebliksbilledeType`.
    pub struct FiltreretOejebliksbillede {
        pub objekt_type: SagDokObjekt = one(DI, "ObjektType"),
        pub registrering: Vec<Registrering> = many(DI, "Registrering"),
    }
}
