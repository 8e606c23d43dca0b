//! The types every object shares, from `SagDokObjekt.xsd` (sd),
//! `GenerelleDefinitioner.xsd` (gd) and `GenerelleOperationer.xsd` (go):
//! time points, `Virkning`, references, relations, the registration's own
//! fields, local extensions, search inputs and the standard return.

use roxmltree::Node;

use crate::ns::{DI, GD, GO, SD, SI};
use crate::refusal::{Refusal, RefusalKind};
use crate::simple::{Cvr, DateTime, Oere, Tekst, Text, Uuid};
use crate::xml::{Result, Writer, XmlValue, simple_text, xml_choice, xml_enum, xml_struct};

/// `sd:GraenseIndikator`: boolean fixed to `true`, "infinity" in a
/// `TilTidspunkt` (or, refused by the anvisninger but allowed by the
/// schema, a `FraTidspunkt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GraenseIndikator;

impl XmlValue for GraenseIndikator {
    fn read(node: Node) -> Result<Self> {
        match simple_text(node)?.trim() {
            "true" | "1" => Ok(GraenseIndikator),
            _ => Err(Refusal::at(
                RefusalKind::InvalidValue,
                node,
                "GraenseIndikator is fixed to true",
            )),
        }
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, "true");
    }
}

xml_choice! {
    /// `sd:TidspunktType`: a time stamp, or the limit (infinity).
    pub enum Tidspunkt {
        Tidsstempel(DateTime) = (SD, "TidsstempelDatoTid"),
        Graense(GraenseIndikator) = (SD, "GraenseIndikator"),
    }
}

impl Tidspunkt {
    pub const UENDELIG: Tidspunkt = Tidspunkt::Graense(GraenseIndikator);

    pub fn tidsstempel(&self) -> Option<DateTime> {
        match self {
            Tidspunkt::Tidsstempel(at) => Some(*at),
            Tidspunkt::Graense(_) => None,
        }
    }
}

xml_choice! {
    /// `sd:UnikIdType`: a UUID, or a URN such as `urn:oio:cpr-nr:…` for a
    /// person or `urn:oio:cvr-nr:…` for a company.
    pub enum UnikId {
        Uuid(Uuid) = (SD, "UUIDIdentifikator"),
        Urn(Text<0, 255>) = (SD, "URNIdentifikator"),
    }
}

impl UnikId {
    pub fn urn(&self) -> Option<&str> {
        match self {
            UnikId::Urn(urn) => Some(urn.as_str()),
            UnikId::Uuid(_) => None,
        }
    }

    /// The CPR number of a `urn:oio:cpr-nr:` reference. Keep it out of logs.
    pub fn cpr(&self) -> Option<&str> {
        self.urn()?.strip_prefix("urn:oio:cpr-nr:")
    }

    /// The CVR number of a `urn:oio:cvr-nr:` reference.
    pub fn cvr(&self) -> Option<&str> {
        self.urn()?.strip_prefix("urn:oio:cvr-nr:")
    }
}

xml_enum! {
    /// `sd:AktoerTypeKodeType`. The anvisninger allow only `Bruger` and
    /// `ItSystem` today; the others occur in older data.
    pub enum AktoerTypeKode {
        Organisation = "Organisation",
        OrganisationEnhed = "OrganisationEnhed",
        OrganisationFunktion = "OrganisationFunktion",
        Bruger = "Bruger",
        ItSystem = "ItSystem",
        Interessefaellesskab = "Interessefaellesskab",
    }
}

xml_enum! {
    /// `sd:LivscyklusKodeType`: the registration's life cycle.
    pub enum LivscyklusKode {
        Opstaaet = "Opstaaet",
        Importeret = "Importeret",
        Passiveret = "Passiveret",
        Slettet = "Slettet",
    }
}

xml_enum! {
    /// The sensitivity of a case, document or grant (the same enumeration in
    /// `si:`, `di:` and `bi:FoelsomhedType`).
    pub enum Foelsomhed {
        IkkeFortroligeData = "IKKE_FORTROLIGE_DATA",
        FortroligePersonoplysninger = "FORTROLIGE_PERSONOPLYSNINGER",
        FoelsommePersonoplysninger = "FOELSOMME_PERSONOPLYSNINGER",
        VipSager = "VIP_SAGER",
    }
}

xml_struct! {
    /// `sd:VirkningType`: when the data is valid (the business time of the
    /// bitemporal model), who changed it, and why.
    pub struct Virkning {
        pub fra_tidspunkt: Option<Tidspunkt> = opt(SD, "FraTidspunkt"),
        pub til_tidspunkt: Option<Tidspunkt> = opt(SD, "TilTidspunkt"),
        pub aktoer_ref: Option<UnikId> = opt(SD, "AktoerRef"),
        pub aktoer_type_kode: Option<AktoerTypeKode> = opt(SD, "AktoerTypeKode"),
        pub note_tekst: Option<Text<0, 1024>> = opt(SD, "NoteTekst"),
    }
}

xml_struct! {
    /// `sd:OffentlighedUndtagetType`: exempt from public access, with the
    /// alternative title and the legal basis.
    pub struct OffentlighedUndtaget {
        pub titel_alternativ_tekst: Text<0, 255> = one(SD, "TitelAlternativTekst"),
        pub hjemmel_tekst: Text<0, 1024> = one(SD, "OffentlighedUndtagetHjemmelTekst"),
    }
}

xml_struct! {
    /// The fields of `gd:RegistreringType` (extending `sd:RegistreringType`)
    /// that every object's registration starts with: the registration's
    /// time (`Tidspunkt`, the system time of the bitemporal model), its life
    /// cycle, who registered it, and the index's own time stamp.
    pub struct RegistreringFelter {
        pub note_tekst: Option<Text<0, 1024>> = opt(SD, "NoteTekst"),
        pub tidspunkt: Option<DateTime> = opt(SD, "Tidspunkt"),
        pub livscyklus_kode: Option<LivscyklusKode> = opt(SD, "LivscyklusKode"),
        pub bruger_ref: Option<UnikId> = opt(SD, "BrugerRef"),
        pub sts_tidspunkt: Option<DateTime> = opt(GD, "StsTidspunkt"),
    }
}

xml_struct! {
    /// `gd:RelationType`: a relation with its own validity, role, type, index
    /// (unique per type and role) and the referenced object.
    pub struct Relation {
        pub virkning: Option<Virkning> = opt(GD, "Virkning"),
        pub rolle: Option<UnikId> = opt(GD, "Rolle"),
        pub type_: Option<UnikId> = opt(GD, "Type"),
        pub indeks: Option<Text<0, 36>> = opt(GD, "Indeks"),
        pub reference_id: Option<UnikId> = opt(GD, "ReferenceID"),
        pub lokal_udvidelse_liste: Option<Box<LokalUdvidelseListe>> = opt(GD, "LokalUdvidelseListe"),
    }
}

impl<T: XmlValue> XmlValue for Box<T> {
    fn read(node: Node) -> Result<Self> {
        T::read(node).map(Box::new)
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        (**self).write(w, ns, name);
    }
}

xml_struct! {
    /// `gd:LokalUdvidelseListeType`: `xs:any namespace="##other"
    /// processContents="strict"`, then `SenestAendretTidspunkt`. Strict
    /// means every element must be one the schemas declare, so the known
    /// extension elements are read into [`LokalUdvidelse`] and any other
    /// element is refused.
    pub struct LokalUdvidelseListe {
        pub udvidelser: Vec<LokalUdvidelse> = choice_many(),
        pub senest_aendret_tidspunkt: Option<DateTime> = opt(GD, "SenestAendretTidspunkt"),
    }
}

xml_choice! {
    /// The global elements the index schemas declare for local extension
    /// lists. The schemas' comments say where each belongs (e.g.
    /// `SagsaktoerLokalUdvidelse` in a `Sagsaktoer` relation); the schema
    /// itself admits any of them in any list, and so does the parser, so the
    /// store decides what it takes from where.
    pub enum LokalUdvidelse {
        /// `si:SagIndeksEgenskaber`, in the case's `AttributListe`.
        SagIndeksEgenskaber(SagIndeksEgenskaber) = (SI, "SagIndeksEgenskaber"),
        SagsaktoerLokalUdvidelse(SagsaktoerLokalUdvidelse) = (SI, "SagsaktoerLokalUdvidelse"),
        SagsklasseLokalUdvidelse(SagsklasseLokalUdvidelse) = (SI, "SagsklasseLokalUdvidelse"),
        SagspartLokalUdvidelse(SagspartLokalUdvidelse) = (SI, "SagspartLokalUdvidelse"),
        SagsgenstandeLokalUdvidelse(SagsgenstandeLokalUdvidelse) = (SI, "SagsgenstandeLokalUdvidelse"),
        /// `si:Sikkerhedsprofil`: a relation added to the case.
        SagSikkerhedsprofil(Relation) = (SI, "Sikkerhedsprofil"),
        /// `si:SagsitsystemRelation`: the case's master and sending IT systems.
        SagsitsystemRelation(SagsitsystemRelation) = (SI, "SagsitsystemRelation"),
        SagSoegEgenskaber(SagSoegEgenskaberLokalUdvidelse) = (SI, "SoegEgenskaberLokalUdvidelse"),
        DokumentaktoerLokalUdvidelse(DokumentaktoerLokalUdvidelse) = (DI, "DokumentaktoerLokalUdvidelse"),
        DokumentpartLokalUdvidelse(DokumentpartLokalUdvidelse) = (DI, "DokumentpartLokalUdvidelse"),
        DokumentklasseLokalUdvidelse(DokumentklasseLokalUdvidelse) = (DI, "DokumentklasseLokalUdvidelse"),
        DokumentSikkerhedsprofil(Relation) = (DI, "Sikkerhedsprofil"),
        DokumentitsystemRelation(DokumentitsystemRelation) = (DI, "DokumentitsystemRelation"),
        DokumentSoegEgenskaber(DokumentSoegEgenskaberLokalUdvidelse) = (DI, "SoegEgenskaberLokalUdvidelse"),
        BevillingSikkerhedsprofil(Relation) = (crate::ns::BI, "Sikkerhedsprofil"),
        BevillingItSystemRelation(crate::bevilling::ItSystemRelationUdenVirkning) = (crate::ns::BI, "ItSystemRelation"),
        BevillingSoegEgenskaber(crate::bevilling::SoegEgenskaberLokalUdvidelse) = (crate::ns::BI, "SoegEgenskaberLokalUdvidelse"),
        SoegBevilgetYdelse(crate::bevilling::SoegBevilgetYdelseLokalUdvidelse) = (crate::ns::BI, "SoegBevilgetYdelseLokalUdvidelse"),
        EffektueringItSystemRelation(crate::effektuering::ItSystemRelation) = (crate::ns::OEF, "ItSystemRelation"),
        EffektueringSoegEgenskaber(crate::effektuering::SoegEgenskaberLokalUdvidelse) = (crate::ns::OEF, "SoegEgenskaberLokalUdvidelse"),
        SoegOekonomiskYdelseEffektueringRelation(crate::effektuering::SoegRelationLokalUdvidelse) = (crate::ns::OEF, "SoegOekonomiskYdelseEffektueringRelationLokalUdvidelse"),
    }
}

xml_struct! {
    /// `si:EgenskaberType` (extends `gd:LokalUdvidelseType`): the case
    /// index's own properties, among them the source's status text and the
    /// sensitivity.
    pub struct SagIndeksEgenskaber {
        pub virkning: Option<Virkning> = opt(GD, "Virkning"),
        pub sagsstatus: Option<Text<0, 255>> = opt(SI, "Sagsstatus"),
        pub sagskategori: Option<Text<0, 255>> = opt(SI, "Sagskategori"),
        pub foelsomhed: Option<Foelsomhed> = opt(SI, "Foelsomhed"),
        pub lokation: Option<Text<0, 255>> = opt(SI, "Lokation"),
        pub oprettet_tidspunkt: Option<DateTime> = opt(SI, "OprettetTidspunkt"),
    }
}

xml_struct! {
    /// `si:SagsaktoerLokalUdvidelseType`: the actor's key, name and CVR.
    pub struct SagsaktoerLokalUdvidelse {
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(SI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(SI, "FuldtNavn"),
        pub cvr_nummer: Option<Cvr> = opt(SI, "CVR-Nummer"),
    }
}

xml_struct! {
    /// `si:SoegeordType`.
    pub struct SagSoegeord {
        pub soegeord_identifikator: Option<Tekst> = opt(SI, "SoegeordIdentifikator"),
        pub beskrivelse_tekst: Option<Text<0, 4096>> = opt(SD, "BeskrivelseTekst"),
        pub soegeord_kategori_tekst: Option<Tekst> = opt(SI, "SoegeordKategoriTekst"),
    }
}

xml_struct! {
    /// `si:SagsklasseLokalUdvidelseType`: for the primary class, the KLE
    /// number is the `BrugervendtNoegle`.
    pub struct SagsklasseLokalUdvidelse {
        pub facettitel: Option<Text<0, 255>> = opt(SI, "Facettitel"),
        pub klassetitel: Option<Text<0, 255>> = opt(SI, "Klassetitel"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(SI, "BrugervendtNoegle"),
        pub soegeord: Vec<SagSoegeord> = many(SI, "Soegeord"),
    }
}

xml_struct! {
    /// `si:SagspartLokalUdvidelseType`.
    pub struct SagspartLokalUdvidelse {
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(SI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(SI, "FuldtNavn"),
    }
}

xml_struct! {
    /// `si:SagsgenstandeLokalUdvidelseType`.
    pub struct SagsgenstandeLokalUdvidelse {
        pub tekstfelt: Option<Text<0, 1024>> = opt(SI, "Tekstfelt"),
    }
}

xml_struct! {
    /// `si:SagsitsystemRelationType`: a relation to the case's master or
    /// sending IT system, with its name and URI.
    pub struct SagsitsystemRelation {
        pub relation: Relation = flatten(),
        pub system_navn: Option<Text<1, 255>> = opt(SI, "SystemNavn"),
        pub system_uri: Option<Text<0, 255>> = opt(SI, "SystemURI"),
    }
}

xml_struct! {
    /// `di:DokumentitsystemRelationType`.
    pub struct DokumentitsystemRelation {
        pub relation: Relation = flatten(),
        pub system_navn: Option<Tekst> = opt(DI, "SystemNavn"),
        pub system_uri: Option<Tekst> = opt(DI, "SystemURI"),
    }
}

xml_struct! {
    /// `go:OprettetTidspunktIntervalType` and `go:SenestAendretIntervalType`.
    pub struct TidspunktInterval {
        pub fra_tidspunkt: Option<Tidspunkt> = opt(GO, "FraTidspunkt"),
        pub til_tidspunkt: Option<Tidspunkt> = opt(GO, "TilTidspunkt"),
    }
}

xml_struct! {
    /// `go:SoegTidIntervalType`.
    pub struct SoegTidInterval {
        pub fra_tidspunkt: Tidspunkt = one(GO, "FraTidspunkt"),
        pub til_tidspunkt: Tidspunkt = one(GO, "TilTidspunkt"),
    }
}

impl Default for Tidspunkt {
    fn default() -> Self {
        Tidspunkt::UENDELIG
    }
}

impl Default for UnikId {
    fn default() -> Self {
        UnikId::Urn(Text::default())
    }
}

xml_struct! {
    /// `go:SoegBeloebIntervalType`, in øre.
    pub struct SoegBeloebInterval {
        pub fra_beloeb: Oere = one(GO, "FraBeloeb"),
        pub til_beloeb: Oere = one(GO, "TilBeloeb"),
    }
}

xml_struct! {
    /// `si:SoegEgenskaberLokalUdvidelseType`.
    pub struct SagSoegEgenskaberLokalUdvidelse {
        pub oprettet_tidspunkt_interval: Option<TidspunktInterval> = opt(SI, "OprettetTidspunktInterval"),
        pub senest_aendret_interval: Option<TidspunktInterval> = opt(SI, "SenestAendretInterval"),
    }
}

xml_struct! {
    /// `di:DokumentaktoerLokalUdvidelseType`.
    pub struct DokumentaktoerLokalUdvidelse {
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(DI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(DI, "FuldtNavn"),
        pub cvr_nr: Option<Cvr> = opt(DI, "CVR-Nr"),
    }
}

xml_struct! {
    /// `di:DokumentpartLokalUdvidelseType`.
    pub struct DokumentpartLokalUdvidelse {
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(DI, "BrugervendtNoegle"),
        pub fuldt_navn: Option<Text<0, 255>> = opt(DI, "FuldtNavn"),
    }
}

xml_struct! {
    /// `di:SoegeordType`.
    pub struct DokumentSoegeord {
        pub soegeord_identifikator: Option<Tekst> = opt(DI, "SoegeordIdentifikator"),
        pub beskrivelse: Option<Tekst> = opt(DI, "Beskrivelse"),
        pub soegeord_kategori: Option<Tekst> = opt(DI, "SoegeordKategori"),
    }
}

xml_struct! {
    /// `di:DokumentklasseLokalUdvidelseType`.
    pub struct DokumentklasseLokalUdvidelse {
        pub klassetitel: Option<Text<0, 255>> = opt(DI, "Klassetitel"),
        pub brugervendt_noegle: Option<Text<0, 50>> = opt(DI, "BrugervendtNoegle"),
        pub soegeord: Vec<DokumentSoegeord> = many(DI, "Soegeord"),
    }
}

xml_struct! {
    /// `di:SoegEgenskaberLokalUdvidelseType`.
    pub struct DokumentSoegEgenskaberLokalUdvidelse {
        pub brev_dato_interval: Option<SoegTidInterval> = opt(DI, "BrevDatoInterval"),
    }
}

xml_struct! {
    /// `sd:SoegRegistreringType`: which registrations a search looks at.
    pub struct SoegRegistrering {
        pub fra_tidspunkt: Option<Tidspunkt> = opt(SD, "FraTidspunkt"),
        pub til_tidspunkt: Option<Tidspunkt> = opt(SD, "TilTidspunkt"),
        pub livscyklus_kode: Option<LivscyklusKode> = opt(SD, "LivscyklusKode"),
        pub bruger_ref: Option<UnikId> = opt(SD, "BrugerRef"),
    }
}

xml_struct! {
    /// The fields of `go:SoegIndeksInputType` (extending `sd:SoegInputType`)
    /// that every object's search input starts with.
    pub struct SoegIndeksFelter {
        pub foerste_resultat_reference: Option<i64> = opt(SD, "FoersteResultatReference"),
        pub maksimal_antal_kvantitet: Option<i64> = opt(SD, "MaksimalAntalKvantitet"),
        pub soeg_registrering: Option<SoegRegistrering> = opt(SD, "SoegRegistrering"),
        /// `sd:SoegVirkning` has the shape of `sd:VirkningType`.
        pub soeg_virkning: Option<Virkning> = opt(SD, "SoegVirkning"),
        pub soeg_sts_fra_tidspunkt: Option<Tidspunkt> = opt(GO, "SoegStsFraTidspunkt"),
        pub soeg_sts_til_tidspunkt: Option<Tidspunkt> = opt(GO, "SoegStsTilTidspunkt"),
    }
}

xml_struct! {
    /// `go:PagineringType`.
    pub struct Paginering {
        pub foerste_resultat_reference: Option<i64> = opt(SD, "FoersteResultatReference"),
        pub maksimal_antal_kvantitet: Option<i64> = opt(SD, "MaksimalAntalKvantitet"),
    }
}

xml_struct! {
    /// `sd:UuidNoteInputType`: the input of the benefit index's `fjern`.
    pub struct UuidNoteInput {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub note_tekst: Option<Text<0, 1024>> = opt(SD, "NoteTekst"),
    }
}

xml_struct! {
    /// The fields of `sd:RetInputType` that every update starts with.
    pub struct RetInputFelter {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
        pub note_tekst: Option<Text<0, 1024>> = opt(SD, "NoteTekst"),
    }
}

xml_struct! {
    /// `sd:StandardReturType`: the status of an operation or of one object.
    pub struct StandardRetur {
        pub status_kode: StatusKode = one(SD, "StatusKode"),
        pub fejlbesked_tekst: Option<Tekst> = opt(SD, "FejlbeskedTekst"),
        pub detaljeret_fejlbesked: Option<Tekst> = opt(SD, "DetaljeretFejlbesked"),
    }
}

/// The values of `sd:StatusKode` this index answers with. The XSD types
/// `StatusKode` as `xs:integer`, and neither the vendored schemas nor the
/// anvisninger list its values: these follow the convention of KOMBIT's STS
/// services as given to this project (20, 40, 44, 49, 50), to be checked
/// against the index's service contract. Any other integer read back is
/// kept as [`StatusKode::Anden`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatusKode {
    /// 20: the operation was carried out.
    #[default]
    Ok,
    /// 40: the input is not valid (schema or business rule).
    Inputfejl,
    /// 44: the object was not found.
    IkkeFundet,
    /// 49: the request conflicts with what the index holds (e.g. another
    /// system's object under the same UUID).
    Konflikt,
    /// 50: the index failed; the request may be retried.
    Serverfejl,
    /// Any other code, as read.
    Anden(i64),
}

impl StatusKode {
    pub fn code(self) -> i64 {
        match self {
            StatusKode::Ok => 20,
            StatusKode::Inputfejl => 40,
            StatusKode::IkkeFundet => 44,
            StatusKode::Konflikt => 49,
            StatusKode::Serverfejl => 50,
            StatusKode::Anden(code) => code,
        }
    }

    pub fn from_code(code: i64) -> Self {
        match code {
            20 => StatusKode::Ok,
            40 => StatusKode::Inputfejl,
            44 => StatusKode::IkkeFundet,
            49 => StatusKode::Konflikt,
            50 => StatusKode::Serverfejl,
            other => StatusKode::Anden(other),
        }
    }
}

impl XmlValue for StatusKode {
    fn read(node: Node) -> Result<Self> {
        i64::read(node).map(StatusKode::from_code)
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        self.code().write(w, ns, name);
    }
}

xml_struct! {
    /// `sd:UnikReturType`: the status of one object by its type and UUID.
    pub struct UnikRetur {
        pub retur: StandardRetur = flatten(),
        pub type_: Tekst = one(SD, "Type"),
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
    }
}

/// `sd:MultipleOutputType`: the output of `importer`, `opdater` and `fjern`
/// of SagDokumentIndeks and of the benefit index's `importer` and
/// `opdater`. The schema's choice is between a list of `UnikRetur` (a status
/// per object) and a list of `StandardRetur` (a status for the request), so
/// the two never mix. An empty output reads back as an empty `Standard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipleOutput {
    Unik(Vec<UnikRetur>),
    Standard(Vec<StandardRetur>),
}

impl Default for MultipleOutput {
    fn default() -> Self {
        MultipleOutput::Standard(Vec::new())
    }
}

impl crate::xml::XmlContent for MultipleOutput {
    fn read_content(seq: &mut crate::xml::Seq) -> Result<Self> {
        let unik: Vec<UnikRetur> = crate::xml::card::many::read(seq, SD, "UnikRetur")?;
        if !unik.is_empty() {
            return Ok(MultipleOutput::Unik(unik));
        }
        crate::xml::card::many::read(seq, SD, "StandardRetur").map(MultipleOutput::Standard)
    }
    fn write_content(&self, w: &mut Writer) {
        match self {
            MultipleOutput::Unik(list) => crate::xml::card::many::write(w, list, SD, "UnikRetur"),
            MultipleOutput::Standard(list) => {
                crate::xml::card::many::write(w, list, SD, "StandardRetur")
            }
        }
    }
}

impl XmlValue for MultipleOutput {
    fn read(node: Node) -> Result<Self> {
        crate::xml::read_complex(node)
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.start(ns, name);
        crate::xml::XmlContent::write_content(self, w);
        w.end(ns, name);
    }
}

xml_struct! {
    /// `sd:BasicOutputType`.
    pub struct BasicOutput {
        pub standard_retur: StandardRetur = one(SD, "StandardRetur"),
    }
}

xml_struct! {
    /// `sd:SagDokObjektType` as the `ObjektType` of a filtered snapshot.
    pub struct SagDokObjekt {
        pub uuid: Uuid = one(SD, "UUIDIdentifikator"),
    }
}
