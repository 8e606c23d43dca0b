//! The messages of the benefit index (`YdelseIndeksOperationer.xsd`,
//! namespace `yi:`): `importer`, `opdater` and `fremsoeg` for grants and
//! payments. Each object's `fjern` has its own service
//! (`BevillingIndeks.wsdl`, `OekonomiskEffektueringIndeks.wsdl`) and takes
//! an [`crate::common::UuidNoteInput`].

use crate::common::{Paginering, StandardRetur};
use crate::ns::{SD, YI};
use crate::simple::{DateTime, Tekst};
use crate::xml::{xml_choice, xml_enum, xml_struct};
use crate::{bevilling, effektuering};

xml_struct! {
    /// `yi:ImporterYdelseIndeksInput`.
    pub struct ImporterInput {
        pub objekter: Vec<ImporterObjekt> = choice_many(),
    }
}

xml_choice! {
    pub enum ImporterObjekt {
        Bevilling(bevilling::ImportInput) = (YI, "BevillingIndeks"),
        Effektuering(effektuering::ImportInput) = (YI, "OekonomiskEffektueringIndeks"),
    }
}

xml_struct! {
    /// `yi:OpdaterYdelseIndeksInput`.
    pub struct OpdaterInput {
        pub objekter: Vec<OpdaterObjekt> = choice_many(),
    }
}

xml_choice! {
    pub enum OpdaterObjekt {
        Bevilling(OpdaterBevillingIndeks) = (YI, "OpdaterBevillingIndeks"),
        Effektuering(OpdaterOekonomiskEffektueringIndeks) = (YI, "OpdaterOekonomiskEffektueringIndeks"),
    }
}

xml_struct! {
    /// `yi:OpdaterBevillingIndeksInputType`.
    pub struct OpdaterBevillingIndeks {
        pub ret: bevilling::RetInput = flatten(),
        pub tidspunkt: DateTime = one(YI, "Tidspunkt"),
        pub uden_notifikation: Option<bool> = opt(YI, "UdenNotifikation"),
    }
}

xml_struct! {
    /// `yi:OpdaterOekonomiskEffektueringIndeksInputType`.
    pub struct OpdaterOekonomiskEffektueringIndeks {
        pub ret: effektuering::RetInput = flatten(),
        pub tidspunkt: DateTime = one(YI, "Tidspunkt"),
    }
}

xml_struct! {
    /// `yi:FremsoegYdelseIndeksInputType` (its `SoegUdtryk` is required).
    pub struct FremsoegInput {
        pub bevilling_uuid: Vec<Tekst> = many(YI, "BevillingUuid"),
        pub oekonomisk_effektuering_uuid: Vec<Tekst> = many(YI, "OekonomiskEffektueringUuid"),
        pub soeg_udtryk: SoegUdtryk = one(YI, "SoegUdtryk"),
        pub filter: Option<FremsoegFilter> = opt(YI, "Filter"),
        pub sortering: Option<FremsoegSortering> = opt(YI, "Sortering"),
    }
}

xml_enum! {
    pub enum AndOr {
        And = "AND",
        Or = "OR",
    }
}

xml_struct! {
    /// `yi:SoegUdtrykType`.
    pub struct SoegUdtryk {
        pub operation: Option<AndOr> = opt(YI, "operation"),
        /// The schema's choice is `minOccurs="1"` over particles that may
        /// each occur zero times, so an empty expression is valid XSD.
        pub led: Vec<SoegLed> = choice_many(),
    }
}

xml_choice! {
    pub enum SoegLed {
        SoegBevillingIndeks(bevilling::SoegInput) = (YI, "SoegBevillingIndeks"),
        SoegOekonomiskEffektueringIndeks(effektuering::SoegInput) = (YI, "SoegOekonomiskEffektueringIndeks"),
        Not(Box<SoegUdtryk>) = (YI, "NOT"),
        SoegUdtryk(Box<SoegUdtryk>) = (YI, "SoegUdtryk"),
    }
}

xml_enum! {
    pub enum AntalElement {
        Bevillinger = "bevillinger",
        Ydelser = "ydelser",
        Effektueringer = "effektueringer",
    }
}

xml_struct! {
    /// `yi:AntalType`.
    pub struct Antal {
        pub element: AntalElement = one(YI, "Element"),
        pub antal: i64 = one(YI, "Antal"),
        pub paginering: Option<Paginering> = opt(YI, "Paginering"),
    }
}

xml_enum! {
    pub enum BevillingVisFilter {
        Egenskaber = "egenskaber",
        Egenskaberlokaludvidelse = "egenskaberlokaludvidelse",
        Bevilgetydelse = "bevilgetydelse",
        Sag = "sag",
        Part = "part",
        AktoerEjer = "aktoer-ejer",
        AktoerAnsvarlig = "aktoer-ansvarlig",
        Sikkerhedsprofil = "sikkerhedsprofil",
    }
}

xml_enum! {
    pub enum OekonomiskEffektueringVisFilter {
        Egenskaber = "egenskaber",
        Aktoer = "aktoer",
        Oekonomiskeydelseeffektueringer = "oekonomiskeydelseeffektueringer",
        Itsystem = "itsystem",
    }
}

xml_enum! {
    pub enum BevillingInkluderFilter {
        Bevilgetydelse = "bevilgetydelse",
    }
}

xml_enum! {
    pub enum OekonomiskEffektueringInkluderFilter {
        Oekonomiskeydelseeffektueringer = "oekonomiskeydelseeffektueringer",
    }
}

xml_struct! {
    pub struct BevillingVis {
        pub vis: BevillingVisFilter = one(YI, "Vis"),
    }
}

xml_struct! {
    pub struct OekonomiskEffektueringVis {
        pub vis: OekonomiskEffektueringVisFilter = one(YI, "Vis"),
    }
}

xml_struct! {
    /// `yi:FremsoegFilterYdelseIndeksInputType`.
    pub struct FremsoegFilter {
        pub filtre: Vec<Filter> = choice_many(),
    }
}

xml_choice! {
    pub enum Filter {
        BevillingVis(BevillingVis) = (YI, "BevillingVis"),
        OekonomiskEffektueringVis(OekonomiskEffektueringVis) = (YI, "OekonomiskEffektueringVis"),
        BevillingInkluder(BevillingInkluderFilter) = (YI, "BevillingInkluder"),
        OekonomiskEffektueringInkluder(OekonomiskEffektueringInkluderFilter) = (YI, "OekonomiskEffektueringInkluder"),
    }
}

xml_enum! {
    pub enum Retning {
        Stigende = "Stigende",
        Faldende = "Faldende",
    }
}

xml_enum! {
    pub enum BevillingSorteringFilter {
        FuldtNavn = "FuldtNavn",
        Ydelsesnavn = "Ydelsesnavn",
    }
}

xml_enum! {
    pub enum OekonomiskEffektueringSorteringFilter {
        Dispositionsdato = "Dispositionsdato",
    }
}

xml_struct! {
    pub struct BevillingSortering {
        pub element: BevillingSorteringFilter = one(YI, "Element"),
        pub retning: Retning = one(YI, "Retning"),
        pub sekvens: i64 = one(YI, "Sekvens"),
    }
}

xml_struct! {
    pub struct OekonomiskEffektueringSortering {
        pub element: OekonomiskEffektueringSorteringFilter = one(YI, "Element"),
        pub retning: Retning = one(YI, "Retning"),
        pub sekvens: i64 = one(YI, "Sekvens"),
    }
}

xml_struct! {
    /// `yi:FremsoegSorteringYdelseIndeksInputType`.
    pub struct FremsoegSortering {
        pub sorteringer: Vec<Sortering> = choice_many(),
    }
}

xml_choice! {
    pub enum Sortering {
        BevillingSortering(BevillingSortering) = (YI, "BevillingSortering"),
        OekonomiskEffektueringSortering(OekonomiskEffektueringSortering) = (YI, "OekonomiskEffektueringSortering"),
    }
}

xml_struct! {
    /// `yi:FremsoegYdelseIndeksOutputType`.
    pub struct FremsoegOutput {
        pub standard_retur: StandardRetur = one(SD, "StandardRetur"),
        pub antal: Vec<Antal> = many(YI, "Antal"),
        pub bevilling: Vec<bevilling::FiltreretOejebliksbillede> = many(YI, "BevillingFiltreretOejebliksbillede"),
        pub effektuering: Vec<effektuering::FiltreretOejebliksbillede> = many(YI, "OekonomiskEffektueringFiltreretOejebliksbillede"),
    }
}
