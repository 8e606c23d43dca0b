//! The grant (`BevillingIndeks.xsd`, `BevillingIndeksOperationer.xsd`,
//! namespace `bi:`): the granted benefits, their period, classification
//! (KLE), the case they belong to, the recipient, and the payment plan.

use crate::common::{
    Foelsomhed, LokalUdvidelseListe, RegistreringFelter, Relation, RetInputFelter, SagDokObjekt,
    SoegBeloebInterval, SoegIndeksFelter, SoegTidInterval, UnikId, Virkning,
};
use crate::ns::{BI, GD, SD};
use crate::simple::{Cvr, DateTime, Oere, Tekst, Text, Uuid};
use crate::xml::{xml_enum, xml_struct};

xml_struct! {
    /// `bi:BevillingIndeksType`.
    pub struct BevillingIndeks {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub registrering: Vec<Registrering> = many1(BI, "Registrering"),
        pub uden_notifikation: Option<bool> = opt(BI, "UdenNotifikation"),
    }
}

xml_struct! {
    /// `bi:RegistreringType`.
    pub struct Registrering {
        pub felter: RegistreringFelter = flatten(),
        pub attribut_liste: AttributListe = one(BI, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(BI, "TilstandListe"),
        pub relation_liste: RelationListe = one(BI, "RelationListe"),
    }
}

xml_struct! {
    /// `bi:AttributListeType`.
    pub struct AttributListe {
        pub egenskaber: Vec<Egenskaber> = many(BI, "Egenskaber"),
        pub bevilget_ydelse: Vec<BevilgetYdelse> = many(BI, "BevilgetYdelse"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `bi:TilstandListeType` (a grant has no states of its own).
    pub struct TilstandListe {
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `bi:RelationListeType`.
    pub struct RelationListe {
        pub bevillingssag: Vec<SagRelation> = many(BI, "Bevillingssag"),
        pub bevillingspart: Vec<PartRelation> = many(BI, "Bevillingspart"),
        pub bevillingsaktoer: Vec<AktoerRelation> = many(BI, "Bevillingsaktoer"),
        pub sikkerhedsprofil: Vec<Relation> = many(BI, "Sikkerhedsprofil"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(GD, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `bi:BevillingIndeksSagRelationType`: the case the grant belongs to.
    pub struct SagRelation {
        pub relation: Relation = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(BI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(BI, "FuldtNavn"),
    }
}

xml_struct! {
    /// `bi:BevillingIndeksPartRelationType`: the recipient.
    pub struct PartRelation {
        pub relation: Relation = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(BI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(BI, "FuldtNavn"),
    }
}

xml_struct! {
    /// `bi:BevillingIndeksAktoerRelationType`: owner or responsible unit.
    pub struct AktoerRelation {
        pub relation: Relation = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(BI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(BI, "FuldtNavn"),
        pub cvr_nr: Option<Cvr> = opt(BI, "CVR-nr"),
    }
}

xml_struct! {
    /// `bi:EgenskaberType`. The schema types the start and end dates as
    /// plain `xs:string`; they are kept as sent.
    pub struct Egenskaber {
        pub virkning: Option<Virkning> = opt(BI, "Virkning"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(BI, "BrugervendtNoegle"),
        pub bevillingstartdato: Option<Tekst> = opt(BI, "Bevillingstartdato"),
        pub bevillingslutdato: Option<Tekst> = opt(BI, "Bevillingslutdato"),
        pub begrundelse: Option<Text<0, 4096>> = opt(BI, "Begrundelse"),
        pub foelsomhed: Option<Foelsomhed> = opt(BI, "Foelsomhed"),
    }
}

xml_struct! {
    /// `bi:BevilgetYdelseType`: one granted benefit, with its payment plans.
    pub struct BevilgetYdelse {
        pub virkning: Option<Virkning> = opt(BI, "Virkning"),
        pub id: Option<Text<1, 36>> = opt(BI, "Id"),
        pub navn: Option<Tekst> = opt(BI, "Navn"),
        pub startdato: Option<DateTime> = opt(BI, "BevilgetYdelseStartdato"),
        pub slutdato: Option<DateTime> = opt(BI, "BevilgetYdelseSlutdato"),
        pub begrundelse: Option<Text<0, 4096>> = opt(BI, "Begrundelse"),
        pub tilbagebetalingspligtig: Option<bool> = opt(BI, "Tilbagebetalingspligtig"),
        pub meddelelse: Option<Tekst> = opt(BI, "Meddelelse"),
        /// At most two (`maxOccurs="2"`).
        pub it_system: Vec<ItSystemRelationUdenVirkning> = many_max(BI, "ItSystem", 2),
        pub ydelse: Option<YdelseRelation> = opt(BI, "Ydelse"),
        pub oekonomisk_effektueringsplan: Vec<OekonomiskEffektueringsplan> = many(BI, "OekonomiskEffektueringsplan"),
    }
}

xml_struct! {
    /// `bi:RelationUdenVirkningType`: the relations of a granted benefit,
    /// which have no validity of their own.
    pub struct RelationUdenVirkning {
        pub rolle: Option<UnikId> = opt(BI, "Rolle"),
        pub type_: Option<UnikId> = opt(BI, "Type"),
        pub indeks: Option<Tekst> = opt(BI, "Indeks"),
        pub reference_id: Option<UnikId> = opt(BI, "ReferenceID"),
        pub lokal_udvidelse_liste: Option<LokalUdvidelseListe> = opt(BI, "LokalUdvidelseListe"),
    }
}

xml_struct! {
    /// `bi:ItSystemRelationType`.
    pub struct ItSystemRelationUdenVirkning {
        pub relation: RelationUdenVirkning = flatten(),
        pub system_navn: Option<Tekst> = opt(BI, "SystemNavn"),
        pub system_uri: Option<Text<0, 255>> = opt(BI, "SystemURI"),
    }
}

xml_struct! {
    /// `bi:YdelseRelationType`: which benefit, and its classification.
    pub struct YdelseRelation {
        pub relation: RelationUdenVirkning = flatten(),
        pub ydelsesnavn: Option<Text<1, 255>> = opt(BI, "Ydelsesnavn"),
        pub klassifikation: Option<BevillingsklasseRelation> = opt(BI, "Klassifikation"),
    }
}

xml_struct! {
    /// `bi:BevillingsklasseRelationType`: the KLE class of the benefit.
    pub struct BevillingsklasseRelation {
        pub relation: RelationUdenVirkning = flatten(),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(BI, "BrugervendtNoegle"),
        pub klassetitel: Option<Text<0, 255>> = opt(BI, "Klassetitel"),
    }
}

xml_enum! {
    /// Whether a benefit is paid in advance or in arrears.
    pub enum ForudBagud {
        Forud = "Forud",
        Bagud = "Bagud",
    }
}

xml_struct! {
    /// `bi:OekonomiskEffektueringsplanType`: the payment plan.
    pub struct OekonomiskEffektueringsplan {
        pub id: Option<Tekst> = opt(BI, "Id"),
        pub startdato: Option<DateTime> = opt(BI, "EffektueringsplanStartdato"),
        pub slutdato: Option<DateTime> = opt(BI, "EffektueringsplanSlutdato"),
        pub beregningsfrekvens: Option<Text<1, 50>> = opt(BI, "Beregningsfrekvens"),
        pub forud_bagud: Option<ForudBagud> = opt(BI, "ForudBagud"),
        pub dispositionsdag: Option<Text<0, 50>> = opt(BI, "Dispositionsdag"),
        pub ydelsesbeloeb: Option<Oere> = opt(BI, "Ydelsesbeloeb"),
        pub manuelt_godkendes: Option<bool> = opt(BI, "ManueltGodkendes"),
    }
}

xml_struct! {
    /// `bi:ImportInputType`: one grant to import.
    pub struct ImportInput {
        pub bevilling_indeks: BevillingIndeks = one(BI, "BevillingIndeks"),
    }
}

xml_struct! {
    /// `bi:RetInputType`.
    pub struct RetInput {
        pub ret: RetInputFelter = flatten(),
        pub attribut_liste: Option<AttributListe> = opt(BI, "AttributListe"),
        pub tilstand_liste: Option<TilstandListe> = opt(BI, "TilstandListe"),
        pub relation_liste: Option<RelationListe> = opt(BI, "RelationListe"),
    }
}

xml_struct! {
    /// `bi:SoegInputType`.
    pub struct SoegInput {
        pub felter: SoegIndeksFelter = flatten(),
        pub attribut_liste: AttributListe = one(BI, "AttributListe"),
        pub tilstand_liste: TilstandListe = one(BI, "TilstandListe"),
        pub relation_liste: RelationListe = one(BI, "RelationListe"),
    }
}

xml_struct! {
    /// `bi:FiltreretOejebliksbilledeType`.
    pub struct FiltreretOejebliksbillede {
        pub objekt_type: SagDokObjekt = one(BI, "ObjektType"),
        pub registrering: Vec<Registrering> = many(BI, "Registrering"),
    }
}

xml_struct! {
    /// `bi:SoegEgenskaberLokalUdvidelseType`.
    pub struct SoegEgenskaberLokalUdvidelse {
        pub bevilling_start_dato_interval: Option<SoegTidInterval> = opt(BI, "BevillingStartDatoInterval"),
        pub bevilling_slut_dato_interval: Option<SoegTidInterval> = opt(BI, "BevillingSlutDatoInterval"),
    }
}

xml_struct! {
    /// `bi:SoegBevilgetYdelseLokalUdvidelseType`.
    pub struct SoegBevilgetYdelseLokalUdvidelse {
        pub bevilget_ydelse_start_dato_interval: Option<SoegTidInterval> = opt(BI, "BevilgetYdelseStartDatoInterval"),
        pub bevilget_ydelse_slut_dato_interval: Option<SoegTidInterval> = opt(BI, "BevilgetYdelseSlutDatoInterval"),
        pub effektueringsplan_start_dato_interval: Option<SoegTidInterval> = opt(BI, "EffektueringsplanStartDatoInterval"),
        pub effektueringsplan_slut_dato_interval: Option<SoegTidInterval> = opt(BI, "EffektueringsplanSlutDatoInterval"),
        pub ydelse_beloeb_interval: Option<SoegBeloebInterval> = opt(BI, "YdelseBeloebInterval"),
    }
}
