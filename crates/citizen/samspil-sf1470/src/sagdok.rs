//! The messages of SagDokumentIndeksService 6
//! (`SagDokumentIndeksOperationer.xsd`, namespace `sdi:`): `importer`,
//! `opdater`, `fjern` and `fremsoeg` for cases and documents.

use crate::common::{Paginering, StandardRetur, UnikId};
use crate::ns::{SD, SDI};
use crate::simple::{DateTime, Tekst};
use crate::xml::{xml_choice, xml_enum, xml_struct};
use crate::{dokument, sag};

xml_struct! {
    /// `sdi:ImporterSagDokumentIndeksInput`: cases and documents to import,
    /// in the order sent.
    pub struct ImporterInput {
        pub objekter: Vec<ImporterObjekt> = choice_many(),
    }
}

xml_choice! {
    pub enum ImporterObjekt {
        Dokument(dokument::DokumentIndeks) = (SDI, "DokumentIndeks"),
        Sag(sag::Sag) = (SDI, "SagIndeks"),
    }
}

xml_struct! {
    /// `sdi:OpdaterSagDokumentIndeksInput`: updates, in the order sent.
    pub struct OpdaterInput {
        pub objekter: Vec<OpdaterObjekt> = choice_many(),
    }
}

xml_choice! {
    pub enum OpdaterObjekt {
        Dokument(OpdaterDokumentIndeks) = (SDI, "OpdaterDokumentIndeks"),
        Sag(OpdaterSagIndeks) = (SDI, "OpdaterSagIndeks"),
    }
}

xml_struct! {
    /// `sdi:OpdaterDokumentIndeksInputType`: a document update, registered
    /// at `Tidspunkt`.
    pub struct OpdaterDokumentIndeks {
        pub ret: dokument::RetInput = flatten(),
        pub tidspunkt: DateTime = one(SDI, "Tidspunkt"),
    }
}

xml_struct! {
    /// `sdi:OpdaterSagIndeksInputType`: a case update, registered at
    /// `Tidspunkt`.
    pub struct OpdaterSagIndeks {
        pub ret: sag::RetInput = flatten(),
        pub tidspunkt: DateTime = one(SDI, "Tidspunkt"),
        pub uden_notifikation: Option<bool> = opt(SDI, "UdenNotifikation"),
    }
}

xml_struct! {
    /// `sdi:FjernSagDokumentIndeksInput`: cases to remove (by UUID or by a
    /// search), optionally leaving their documents.
    pub struct FjernInput {
        pub sag_uuid: Vec<UnikId> = many(SDI, "SagUuid"),
        pub soeg_udtryk: Option<SoegUdtryk> = opt(SDI, "SoegUdtryk"),
        pub efterlad_sagsloese_dokumenter: Option<bool> = opt(SDI, "EfterladSagsloeseDokumenter"),
        pub fjern_ogsaa_ydelse: Option<bool> = opt(SDI, "FjernOgsaaYdelse"),
    }
}

xml_struct! {
    /// `sdi:FremsoegSagDokumentIndeksInput`. The schema types the UUIDs
    /// searched for as plain strings.
    pub struct FremsoegInput {
        pub sag_uuid: Vec<Tekst> = many(SDI, "SagUuid"),
        pub dokument_uuid: Vec<Tekst> = many(SDI, "DokumentUuid"),
        pub soeg_udtryk: Option<SoegUdtryk> = opt(SDI, "SoegUdtryk"),
        pub filter: Option<FremsoegFilter> = opt(SDI, "Filter"),
        pub sortering: Option<FremsoegSortering> = opt(SDI, "Sortering"),
    }
}

xml_enum! {
    /// `sdi:AndOrType`; no operation means AND.
    pub enum AndOr {
        And = "AND",
        Or = "OR",
    }
}

xml_struct! {
    /// `sdi:SoegUdtrykType`: a search expression (recursive through `NOT`
    /// and nested `SoegUdtryk`; the depth limit bounds it).
    pub struct SoegUdtryk {
        pub operation: Option<AndOr> = opt(SDI, "operation"),
        /// The schema's choice is `minOccurs="1"` over particles that may
        /// each occur zero times, so an empty expression is valid XSD.
        pub led: Vec<SoegLed> = choice_many(),
    }
}

xml_choice! {
    pub enum SoegLed {
        SoegDokument(dokument::SoegInput) = (SDI, "SoegDokument"),
        SoegSag(sag::SoegInput) = (SDI, "SoegSag"),
        Not(Box<SoegUdtryk>) = (SDI, "NOT"),
        SoegUdtryk(Box<SoegUdtryk>) = (SDI, "SoegUdtryk"),
        SoegSagsloeseDokumenter(dokument::SoegInput) = (SDI, "SoegSagsloeseDokumenter"),
    }
}

xml_enum! {
    pub enum AntalElement {
        Sager = "sager",
        Dokumenter = "dokumenter",
        Journalnotater = "journalnotater",
    }
}

xml_struct! {
    /// `sdi:AntalType`: how many of a kind a search found.
    pub struct Antal {
        pub element: AntalElement = one(SDI, "Element"),
        pub antal: i64 = one(SDI, "Antal"),
        pub paginering: Option<Paginering> = opt(SDI, "Paginering"),
    }
}

xml_enum! {
    pub enum DokumentVisFilter {
        Egenskaber = "egenskaber",
        Fremdrift = "fremdrift",
        Dokument = "dokument",
        Klasse = "klasse",
        Aktoer = "aktoer",
        Part = "part",
        Itsystem = "itsystem",
        Sikkerhedsprofil = "sikkerhedsprofil",
    }
}

xml_enum! {
    pub enum SagVisFilter {
        Egenskaber = "egenskaber",
        Fremdrift = "fremdrift",
        Sagsklasse = "sagsklasse",
        Sagsaktoer = "sagsaktoer",
        Sagspart = "sagspart",
        Sagsrelation = "sagsrelation",
        Sagsgenstand = "sagsgenstand",
        Journalpost = "journalpost",
        JournalpostJournalnote = "journalpost-journalnote",
        Itsystem = "itsystem",
        Sikkerhedsprofil = "sikkerhedsprofil",
    }
}

xml_enum! {
    pub enum DokumentInkluderFilter {
        Dokument = "dokument",
    }
}

xml_enum! {
    pub enum SagInkluderFilter {
        Sagsrelation = "sagsrelation",
        Journalpost = "journalpost",
    }
}

xml_struct! {
    pub struct DokumentVis {
        pub vis: DokumentVisFilter = one(SDI, "Vis"),
    }
}

xml_struct! {
    pub struct SagVis {
        pub vis: SagVisFilter = one(SDI, "Vis"),
    }
}

xml_struct! {
    /// `sdi:FremsoegFilterSagDokumentIndeksInputType`: what to answer with
    /// (an empty filter answers no data).
    pub struct FremsoegFilter {
        pub filtre: Vec<Filter> = choice_many(),
    }
}

xml_choice! {
    pub enum Filter {
        DokumentVis(DokumentVis) = (SDI, "DokumentVis"),
        SagVis(SagVis) = (SDI, "SagVis"),
        DokumentInkluder(DokumentInkluderFilter) = (SDI, "DokumentInkluder"),
        SagInkluder(SagInkluderFilter) = (SDI, "SagInkluder"),
    }
}

xml_enum! {
    pub enum Retning {
        Stigende = "Stigende",
        Faldende = "Faldende",
    }
}

xml_enum! {
    pub enum SagSorteringFilter {
        Bruger = "Bruger",
        StsRegistreringstidspunkt = "StsRegistreringstidspunkt",
        Registreringstidspunkt = "Registreringstidspunkt",
        BrugervendtNoegle = "BrugervendtNoegle",
        ItSystemSystemnavn = "ItSystem-Systemnavn",
        Fremdrift = "Fremdrift",
        Titel = "Titel",
        Foelsomhed = "Foelsomhed",
        SagklasseBrugervendtNoegle = "Sagklasse-BrugervendtNoegle",
        Livscyklus = "Livscyklus",
    }
}

xml_enum! {
    pub enum DokumentSorteringFilter {
        Bruger = "Bruger",
        StsRegistreringstidspunkt = "StsRegistreringstidspunkt",
        Registreringstidspunkt = "Registreringstidspunkt",
        BrugervendtNoegle = "BrugervendtNoegle",
        ItSystemSystemnavn = "ItSystem-Systemnavn",
        Fremdrift = "Fremdrift",
        Titel = "Titel",
        Foelsomhed = "Foelsomhed",
        Major = "Major",
        Minor = "Minor",
    }
}

xml_struct! {
    pub struct SagSortering {
        pub element: SagSorteringFilter = one(SDI, "Element"),
        pub retning: Retning = one(SDI, "Retning"),
        pub prioritet: i64 = one(SDI, "Prioritet"),
    }
}

xml_struct! {
    pub struct DokumentSortering {
        pub element: DokumentSorteringFilter = one(SDI, "Element"),
        pub retning: Retning = one(SDI, "Retning"),
        pub prioritet: i64 = one(SDI, "Prioritet"),
    }
}

xml_struct! {
    /// `sdi:FremsoegSorteringSagDokumentIndeksInputType`.
    pub struct FremsoegSortering {
        pub sorteringer: Vec<Sortering> = choice_many(),
    }
}

xml_choice! {
    pub enum Sortering {
        SagSortering(SagSortering) = (SDI, "SagSortering"),
        DokumentSortering(DokumentSortering) = (SDI, "DokumentSortering"),
    }
}

xml_struct! {
    /// `sdi:FremsoegSagDokumentIndeksOutputType`.
    pub struct FremsoegOutput {
        pub standard_retur: StandardRetur = one(SD, "StandardRetur"),
        pub antal: Vec<Antal> = many(SDI, "Antal"),
        pub sag: Vec<sag::FiltreretOejebliksbillede> = many(SDI, "SagFiltreretOejebliksbillede"),
        pub dokument: Vec<dokument::FiltreretOejebliksbillede> = many(SDI, "DokumentFiltreretOejebliksbillede"),
    }
}
