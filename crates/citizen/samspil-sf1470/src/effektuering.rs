//! The payment (`OekonomiskEffektueringIndeks.xsd`,
//! `OekonomiskEffektueringIndeksOperationer.xsd`, namespace `oef:`): gross
//! amount, amount after tax and ATP, sent for payment, paid, disposition
//! date and paying unit, all amounts in øre.

use crate::common::{
    LokalUdvidelseListe, RegistreringFelter, Relation, RetInputFelter, SagDokObjekt,
    SoegBeloebInterval, SoegIndeksFelter, SoegTidInterval, Virkning,
};
use crate::ns::{GD, OEF, SD};
use crate::simple::{Cvr, DateTime, Oere, Tekst, Text, Uuid};
use crate::xml::xml_struct;

xml_struct! {
    /// `oef:OekonomiskEffektueringIndeksType`.
    pub struct OekonomiskEffektueringIndeks {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub registrering: Vec<Registrering> = many1(OEF, "Registrering"),
    }
}

xml_struct! {
    /// `oef:RegistreringType`.
    pub struct Registrering {
        pub felter: RegistreringFelter = flatten(),
        pub attribut_liste: AttributListe = one(OEF, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(OEF, "TilstandListe"),
        pub relation_liste: RelationListe = one(OEF, "RelationListe"),
    }
}

xml_struct! {
    /// `oef:AttributListeType`.
    pub struct AttributListe {
        pub egenskaber: Vec<Egenskaber> = many(OEF, "Egenskaber"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `oef:TilstandListeType`.
    pub struct TilstandListe {
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `oef:RelationListeType`.
    pub struct RelationListe {
        pub oekonomisk_ydelse_effektuering_relation: Vec<OekonomiskYdelseEffektueringRelation> = many(OEF, "OekonomiskYdelseEffektueringRelation"),
        pub aktoer: Vec<AktoerRelation> = many(OEF, "Aktoer"),
        pub it_system: Vec<ItSystemRelation> = many(OEF, "ItSystem"),
        pub oekonomisk_effektuering_part: Vec<PartRelation> = many(OEF, "OekonomiskEffektueringPart"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `oef:OekonomiskYdelseEffektueringRelationType`: what the payment
    /// pays, for which period, and which granted benefit
    /// (`BevilgetYdelseRef`) it effects.
    pub struct OekonomiskYdelseEffektueringRelation {
        pub relation: Relation = flatten(),
        pub ydelsesperiode_startdato: Option<DateTime> = opt(OEF, "YdelsesperiodeStartdato"),
        pub ydelsesperiode_slutdato: Option<DateTime> = opt(OEF, "YdelsesperiodeSlutdato"),
        pub ydelsesbeloeb: Option<Oere> = opt(OEF, "Ydelsesbeloeb"),
        pub klassifikationsbeskrivelse: Option<Text<0, 255>> = opt(OEF, "Klassifikationsbeskrivelse"),
        pub bevilget_ydelse_ref: Option<BevilgetYdelseRef> = opt(OEF, "BevilgetYdelseRef"),
    }
}

xml_struct! {
    /// `oef:BevilgetYdelseRefType`: the grant's UUID and the benefit's id.
    pub struct BevilgetYdelseRef {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub bevilget_ydelse_id: Tekst = one(OEF, "BevilgetYdelseId"),
    }
}

xml_struct! {
    /// `oef:OekonomiskEffektueringIndeksAktoerRelationType`.
    pub struct AktoerRelation {
        pub relation: Relation = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(OEF, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(OEF, "FuldtNavn"),
        pub cvr_nr: Option<Cvr> = opt(OEF, "CVR-nr"),
    }
}

xml_struct! {
    /// `oef:ItSystemRelationType`: the sending system.
    pub struct ItSystemRelation {
        pub relation: Relation = flatten(),
        pub system_navn: Option<Tekst> = opt(OEF, "SystemNavn"),
        pub system_uri: Option<Tekst> = opt(OEF, "SystemURI"),
    }
}

xml_struct! {
    /// `oef:OekonomiskEffektueringIndeksPartRelationType`: the recipient.
    pub struct PartRelation {
        pub relation: Relation = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(OEF, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(OEF, "FuldtNavn"),
    }
}

xml_struct! {
    /// `oef:EgenskaberType`: the payment's amounts (øre) and dates.
    /// `Udbetalingsafdeling` is the paying unit (the municipality or
    /// Udbetaling Danmark).
    pub struct Egenskaber {
        pub virkning: Option<Virkning> = opt(OEF, "Virkning"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(OEF, "BrugervendtNoegle"),
        pub startdato: Option<DateTime> = opt(OEF, "Startdato"),
        pub slutdato: Option<DateTime> = opt(OEF, "Slutdato"),
        pub samlet_bruttobeloeb: Option<Oere> = opt(OEF, "SamletBruttobeloeb"),
        pub dispositionsdato: Option<DateTime> = opt(OEF, "Dispositionsdato"),
        pub beloeb_efter_skat_atp: Option<Oere> = opt(OEF, "BeloebEfterSkatATP"),
        pub beloeb_sendt_til_udbetaling: Option<Oere> = opt(OEF, "BeloebSendtTilUdbetaling"),
        pub beloeb_udbetalt: Option<Oere> = opt(OEF, "BeloebUdbetalt"),
        pub udbetalingsafdeling: Option<Text<1, 255>> = opt(OEF, "Udbetalingsafdeling"),
        pub sendt_til_udbetaling_tekst: Option<Text<0, 255>> = opt(OEF, "SendtTilUdbetalingTekst"),
        pub udbetalt_tekst: Option<Text<0, 255>> = opt(OEF, "UdbetaltTekst"),
    }
}

xml_struct! {
    /// `oef:ImportInputType`: one payment to import.
    pub struct ImportInput {
        pub oekonomisk_effektuering_indeks: OekonomiskEffektueringIndeks = one(OEF, "OekonomiskEffektueringIndeks"),
    }
}

xml_struct! {
    /// `oef:RetInputType`.
    pub struct RetInput {
        pub ret: RetInputFelter = flatten(),
        pub attribut_liste: Option<AttributListe> = opt(OEF, "AttributListe"),
        pub tilstand_liste: Option<TilstandListe> = opt(OEF, "TilstandListe"),
        pub relation_liste: Option<RelationListe> = opt(OEF, "RelationListe"),
    }
}

xml_struct! {
    /// `oef:SoegInputType`.
    pub struct SoegInput {
        pub felter: SoegIndeksFelter = flatten(),
        pub attribut_liste: AttributListe = one(OEF, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(OEF, "TilstandListe"),
        pub relation_liste: RelationListe = one(OEF, "RelationListe"),
    }
}

xml_struct! {
    /// `oef:FiltreretOejebliksbilledeType`.
    pub struct FiltreretOejebliksbillede {
        pub objekt_type: SagDokObjekt = one(OEF, "ObjektType"),
        pub registrering: Vec<Registrering> = many(OEF, "Registrering"),
    }
}

xml_struct! {
    /// `oef:SoegEgenskaberLokalUdvidelseType`.
    pub struct SoegEgenskaberLokalUdvidelse {
        pub start_dato_interval: Option<SoegTidInterval> = opt(OEF, "StartDatoInterval"),
        pub slut_dato_interval: Option<SoegTidInterval> = opt(OEF, "SlutDatoInterval"),
        pub dispositions_dato_interval: Option<SoegTidInterval> = opt(OEF, "DispositionsDatoInterval"),
        pub samlet_brutto_beloeb_interval: Option<SoegBeloebInterval> = opt(OEF, "SamletBruttoBeloebInterval"),
        pub beloeb_udbetalt_interval: Option<SoegBeloebInterval> = opt(OEF, "BeloebUdbetaltInterval"),
        pub beloeb_efter_skat_atp_interval: Option<SoegBeloebInterval> = opt(OEF, "BeloebEfterSkatATPInterval"),
        pub beloeb_sendt_til_udbetaling_interval: Option<SoegBeloebInterval> = opt(OEF, "BeloebSendtTilUdbetalingInterval"),
    }
}

xml_struct! {
    /// `oef:SoegOekonomiskYdelseEffektueringRelationLokalUdvidelseType`.
    pub struct SoegRelationLokalUdvidelse {
        pub ydelsesperiode_start_dato_interval: Option<SoegTidInterval> = opt(OEF, "YdelsesperiodeStartDatoInterval"),
        pub ydelsesperiode_slut_dato_interval: Option<SoegTidInterval> = opt(OEF, "YdelsesperiodeSlutDatoInterval"),
        pub ydelses_beloeb_interval: Option<SoegBeloebInterval> = opt(OEF, "YdelsesBeloebInterval"),
    }
}
