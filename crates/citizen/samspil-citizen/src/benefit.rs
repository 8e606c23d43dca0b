//! Benefits as KOMBIT's benefit index defines them
//! (`../shared/reference/ydelsesindeks/schemas/`): a grant
//! (`BevillingIndeks`: the granted benefits with their KLE class and
//! payment plan, the grant's period, the case it belongs to, the
//! recipient) and its payments (`OekonomiskEffektueringIndeks`: gross
//! amount, after tax and ATP, sent for payment, paid, the disposition
//! date and the paying unit), in the JSON shape of the systems' door, and
//! the rules the index can check on one record. Money is integer øre
//! ([`Oere`]), read exactly from decimal text, never a float.
//!
//! A record is one registration, as with cases ([`crate::case`]): its
//! attribute groups and relations each with its validity (`virkning`),
//! kept beside every earlier registration (bitemporal); an update carries
//! the groups it changes. The violations, the validity and the relations
//! are the cases' own types, checked by the same helpers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::case::{
    self, MAX_CASE_NUMBER_CHARS, MAX_TITLE_CHARS, Relation, RoleRules, SENSITIVITIES,
    check_relation_list, check_relations_kept,
};
use crate::common::{
    Operation, Violation, Virkning, check_text, check_virkning, fatal, not_empty, violation,
};
use crate::system::ItSystemUuid;

/// `Begrundelse` (of a grant and of a granted benefit): at most 4,096.
pub const MAX_REASON_CHARS: usize = 4096;
/// A granted benefit's `Id`: 1 to 36 characters.
pub const MAX_BENEFIT_ID_CHARS: usize = 36;
/// `Beregningsfrekvens`, `Dispositionsdag`: at most 50.
pub const MAX_PLAN_TEXT_CHARS: usize = 50;

/// An amount of money in øre. As JSON (and in the index's XML) it is the
/// decimal text of kroner with at most two decimals (`"1234.56"` is
/// 123,456 øre), read exactly; a JSON number is refused, since a float
/// cannot carry øre exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Oere(pub i64);

/// Decimal text that is not an amount of whole øre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnAmount;

impl fmt::Display for NotAnAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an amount is kroner as decimal text with at most two decimals, e.g. \"1234.56\"",
        )
    }
}

impl std::error::Error for NotAnAmount {}

impl Oere {
    /// The amount `text` says in kroner (`-?[0-9]+(\.[0-9]{1,2})?`).
    pub fn from_kroner(text: &str) -> Result<Self, NotAnAmount> {
        let (sign, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text),
        };
        let (kroner, decimals) = unsigned.split_once('.').unwrap_or((unsigned, "00"));
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(kroner) || !digits(decimals) || decimals.len() > 2 {
            return Err(NotAnAmount);
        }
        // "5" after the point is fifty øre, not five.
        let oere_part: i64 = format!("{decimals:0<2}").parse().map_err(|_| NotAnAmount)?;
        kroner
            .parse::<i64>()
            .ok()
            .and_then(|k| k.checked_mul(100))
            .and_then(|o| o.checked_add(oere_part))
            .map(|o| Oere(sign * o))
            .ok_or(NotAnAmount)
    }

    /// The amount as decimal kroner with two decimals (`1234.50`).
    pub fn kroner(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Oere {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.kroner())
    }
}

impl<'de> Deserialize<'de> for Oere {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Oere::from_kroner(text.trim()).map_err(serde::de::Error::custom)
    }
}

/// `bi:EgenskaberType`: the grant's key, period, reason and sensitivity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrantProperties {
    pub brugervendt_noegle: String,
    #[serde(with = "time::serde::rfc3339")]
    pub startdato: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub slutdato: Option<OffsetDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub begrundelse: Option<String>,
    /// One of [`SENSITIVITIES`] (the cases' codes).
    pub foelsomhed: String,
    pub virkning: Virkning,
}

/// `bi:BevilgetYdelseType`: one granted benefit, with its KLE class
/// (`Ydelse/Klassifikation/BrugervendtNoegle`) and payment plans.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrantedBenefit {
    /// The benefit's id in the grant (`Id`), what payments refer to.
    pub id: String,
    /// The benefit's name (`Ydelse/Ydelsesnavn`), e.g. "Kontanthjælp".
    pub navn: String,
    /// Its KLE subject (`NN.NN.NN`).
    pub kle: String,
    #[serde(with = "time::serde::rfc3339")]
    pub startdato: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub slutdato: Option<OffsetDateTime>,
    #[serde(default)]
    pub tilbagebetalingspligtig: bool,
    #[serde(default)]
    pub plan: Vec<PaymentPlan>,
    pub virkning: Virkning,
}

/// `bi:OekonomiskEffektueringsplanType`: how a granted benefit is paid.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentPlan {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub startdato: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub slutdato: Option<OffsetDateTime>,
    /// `Beregningsfrekvens`, e.g. "Maanedlig".
    pub frekvens: String,
    /// `Forud` or `Bagud` (in advance or in arrears).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forud_bagud: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispositionsdag: Option<String>,
    /// The amount of each payment.
    pub ydelsesbeloeb: Oere,
    #[serde(default)]
    pub manuelt_godkendes: bool,
}

/// `ForudBagud`'s two codes.
pub const IN_ADVANCE_OR_ARREARS: [&str; 2] = ["Forud", "Bagud"];

/// What a grant's and a payment's relations are checked by.
const GRANT_RULES: RoleRules<'static> = RoleRules {
    roles: &GRANT_ROLES,
    section: "RelationListe",
    master_section: None,
    reference_fits,
};
const PAYMENT_RULES: RoleRules<'static> = RoleRules {
    roles: &PAYMENT_ROLES,
    section: "RelationListe",
    master_section: None,
    reference_fits,
};

/// A grant's relation roles, with the schema's element and how many must
/// hold open-ended (as [`case::ROLES`]).
pub const GRANT_ROLES: [(&str, &str, Option<usize>); 4] = [
    ("sag", "Bevillingssag", Some(1)),
    ("part", "Bevillingspart", Some(1)),
    ("ejer", "Bevillingsaktoer, ejer", Some(1)),
    ("ansvarlig", "Bevillingsaktoer, ansvarlig", None),
];

/// One registration of a grant, as a system delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrantRecord {
    /// The sender-generated UUID (`UUIDIdentifikator`).
    pub uuid: String,
    /// The municipality the grant is for (its code).
    pub kommune: u16,
    /// The registration's time at the sender: the order of its
    /// registrations.
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egenskaber: Option<Vec<GrantProperties>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ydelser: Option<Vec<GrantedBenefit>>,
    /// `sag` (the case's UUID), `part` (the recipient, CPR or CVR),
    /// `ejer` (the municipality's CVR), `ansvarlig` (an org unit's UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationer: Option<Vec<Relation>>,
}

/// `oef:EgenskaberType`: one payment's amounts, period and payer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brugervendt_noegle: Option<String>,
    /// The period the payment is for.
    #[serde(with = "time::serde::rfc3339")]
    pub startdato: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub slutdato: OffsetDateTime,
    /// `SamletBruttobeloeb`.
    pub bruttobeloeb: Oere,
    /// `BeloebEfterSkatATP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efter_skat_atp: Option<Oere>,
    /// `BeloebSendtTilUdbetaling`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sendt_til_udbetaling: Option<Oere>,
    /// `BeloebUdbetalt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udbetalt: Option<Oere>,
    #[serde(with = "time::serde::rfc3339")]
    pub dispositionsdato: OffsetDateTime,
    /// `Udbetalingsafdeling`: one of [`PAYING_UNITS`].
    pub udbetalingsafdeling: String,
    pub virkning: Virkning,
}

/// Who pays: the municipality itself or Udbetaling Danmark.
pub const PAYING_UNITS: [&str; 2] = ["Kommune", "Udbetaling Danmark"];

/// A payment's relation roles.
pub const PAYMENT_ROLES: [(&str, &str, Option<usize>); 4] = [
    (
        "bevilling",
        "OekonomiskYdelseEffektueringRelation, BevilgetYdelseRef",
        Some(1),
    ),
    ("part", "OekonomiskEffektueringPart", Some(1)),
    ("afsender", "ItSystem", None),
    ("aktoer", "Aktoer", None),
];

/// One registration of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecord {
    pub uuid: String,
    pub kommune: u16,
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egenskaber: Option<Vec<PaymentProperties>>,
    /// `bevilling` (`GRANT-UUID:BENEFIT-ID`, the granted benefit it pays),
    /// `part` (the recipient), `afsender` (the sending system's UUID),
    /// `aktoer` (an organisation by CVR or a unit by UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationer: Option<Vec<Relation>>,
}

/// One object of a benefit batch: a grant or a payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BenefitRecord {
    Bevilling(GrantRecord),
    Effektuering(PaymentRecord),
}

impl BenefitRecord {
    pub fn uuid(&self) -> &str {
        match self {
            BenefitRecord::Bevilling(g) => &g.uuid,
            BenefitRecord::Effektuering(p) => &p.uuid,
        }
    }

    pub fn kommune(&self) -> u16 {
        match self {
            BenefitRecord::Bevilling(g) => g.kommune,
            BenefitRecord::Effektuering(p) => p.kommune,
        }
    }

    pub fn registreret(&self) -> OffsetDateTime {
        match self {
            BenefitRecord::Bevilling(g) => g.registreret,
            BenefitRecord::Effektuering(p) => p.registreret,
        }
    }

    pub fn relationer(&self) -> Option<&[Relation]> {
        match self {
            BenefitRecord::Bevilling(g) => g.relationer.as_deref(),
            BenefitRecord::Effektuering(p) => p.relationer.as_deref(),
        }
    }

    /// `grant` or `payment`, as stored.
    pub fn object_type(&self) -> &'static str {
        match self {
            BenefitRecord::Bevilling(_) => GRANT,
            BenefitRecord::Effektuering(_) => PAYMENT,
        }
    }

    /// The record to store for an update: the groups it leaves out carried
    /// over from the registration it follows (of the same type).
    pub fn carried_over(&self, base: &BenefitRecord) -> BenefitRecord {
        match (self, base) {
            (BenefitRecord::Bevilling(u), BenefitRecord::Bevilling(b)) => {
                BenefitRecord::Bevilling(GrantRecord {
                    egenskaber: u.egenskaber.clone().or_else(|| b.egenskaber.clone()),
                    ydelser: u.ydelser.clone().or_else(|| b.ydelser.clone()),
                    relationer: u.relationer.clone().or_else(|| b.relationer.clone()),
                    ..u.clone()
                })
            }
            (BenefitRecord::Effektuering(u), BenefitRecord::Effektuering(b)) => {
                BenefitRecord::Effektuering(PaymentRecord {
                    egenskaber: u.egenskaber.clone().or_else(|| b.egenskaber.clone()),
                    relationer: u.relationer.clone().or_else(|| b.relationer.clone()),
                    ..u.clone()
                })
            }
            _ => self.clone(),
        }
    }
}

/// The stored object types.
pub const GRANT: &str = "grant";
pub const PAYMENT: &str = "payment";

const SECTION_ID: &str = "UUIDIdentifikator";
const SECTION_GRANT: &str = "BevillingIndeks, Egenskaber";
const SECTION_BENEFIT: &str = "BevillingIndeks, BevilgetYdelse";
const SECTION_PLAN: &str = "BevilgetYdelse, OekonomiskEffektueringsplan";
const SECTION_PAYMENT: &str = "OekonomiskEffektueringIndeks, Egenskaber";

/// The payment's reference to the granted benefit it pays:
/// `GRANT-UUID:BENEFIT-ID` (the schema's `BevilgetYdelseRef`).
pub fn granted_benefit_ref(reference: &str) -> Option<(&str, &str)> {
    let (uuid, id) = reference.trim().split_once(':')?;
    (ItSystemUuid::parse("bevilling", uuid).is_ok()
        && !id.is_empty()
        && id.chars().count() <= MAX_BENEFIT_ID_CHARS)
        .then_some((uuid, id))
}

fn reference_fits(role: &str, reference: &str) -> bool {
    match role {
        "part" => case::cpr(reference).is_some() || case::cvr(reference).is_some(),
        "ejer" => case::cvr(reference).is_some(),
        "aktoer" => {
            case::cvr(reference).is_some() || ItSystemUuid::parse("aktoer", reference).is_ok()
        }
        "bevilling" => granted_benefit_ref(reference).is_some(),
        _ => ItSystemUuid::parse("reference", reference).is_ok(),
    }
}

/// Every rule one record breaks that the record alone shows, and for an
/// update that no relation in force before (`previous`, the present
/// registration's) is dropped without its validity ending. Whether a
/// benefit's KLE subject is active, and whether a payment's grant is
/// there, the store decides (it holds the plan and the grants).
pub fn check(
    record: &BenefitRecord,
    operation: Operation,
    previous: Option<&[Relation]>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    if ItSystemUuid::parse("uuid", record.uuid()).is_err() {
        out.push(fatal(
            "/uuid".into(),
            "not_a_uuid",
            SECTION_ID,
            "the object's UUID is not a UUID".into(),
        ));
    }
    let import = operation == Operation::Import;
    let mut required = |name: &str, present: bool, section: &str| {
        if import && !present {
            out.push(violation(
                format!("/{name}"),
                "missing_on_import",
                section,
                format!("an import carries {name}"),
            ));
        }
    };
    match record {
        BenefitRecord::Bevilling(grant) => {
            required("egenskaber", grant.egenskaber.is_some(), SECTION_GRANT);
            required("ydelser", grant.ydelser.is_some(), SECTION_BENEFIT);
            required("relationer", grant.relationer.is_some(), "RelationListe");
            if let Some(properties) = &grant.egenskaber {
                check_grant_properties(&mut out, properties);
            }
            if let Some(benefits) = &grant.ydelser {
                check_benefits(&mut out, benefits);
            }
            if let Some(relations) = &grant.relationer {
                check_relation_list(&mut out, relations, &GRANT_RULES);
            }
        }
        BenefitRecord::Effektuering(payment) => {
            required("egenskaber", payment.egenskaber.is_some(), SECTION_PAYMENT);
            required("relationer", payment.relationer.is_some(), "RelationListe");
            if let Some(properties) = &payment.egenskaber {
                check_payment_properties(&mut out, properties);
            }
            if let Some(relations) = &payment.relationer {
                check_relation_list(&mut out, relations, &PAYMENT_RULES);
            }
        }
    }
    if let (Some(relations), Some(previous)) = (record.relationer(), previous) {
        check_relations_kept(&mut out, relations, previous, "RelationListe");
    }
    out
}

fn check_period(
    out: &mut Vec<Violation>,
    pointer: String,
    start: OffsetDateTime,
    end: Option<OffsetDateTime>,
    section: &str,
) {
    if end.is_some_and(|end| end < start) {
        out.push(violation(
            pointer,
            "period_reversed",
            section,
            "the period ends (slutdato) before it begins (startdato)".into(),
        ));
    }
}

fn check_grant_properties(out: &mut Vec<Violation>, properties: &[GrantProperties]) {
    not_empty(
        out,
        "egenskaber",
        properties,
        SECTION_GRANT,
        "the grant has no properties",
    );
    for (i, p) in properties.iter().enumerate() {
        let at = |field: &str| format!("/egenskaber/{i}/{field}");
        check_text(
            out,
            at("brugervendt_noegle"),
            &p.brugervendt_noegle,
            MAX_CASE_NUMBER_CHARS,
            SECTION_GRANT,
            true,
        );
        if let Some(reason) = &p.begrundelse {
            check_reason(out, at("begrundelse"), reason, SECTION_GRANT);
        }
        if !SENSITIVITIES.contains(&p.foelsomhed.as_str()) {
            out.push(violation(
                at("foelsomhed"),
                "unknown_sensitivity",
                SECTION_GRANT,
                format!(
                    "'{}' is not one of {}",
                    p.foelsomhed,
                    SENSITIVITIES.join(", ")
                ),
            ));
        }
        check_period(out, at("slutdato"), p.startdato, p.slutdato, SECTION_GRANT);
        check_virkning(out, at("virkning"), &p.virkning, SECTION_GRANT);
    }
}

/// A reason may run over several lines, but holds no other control
/// characters.
fn check_reason(out: &mut Vec<Violation>, pointer: String, reason: &str, section: &str) {
    let single_lines: String = reason.replace(['\n', '\r', '\t'], " ");
    check_text(
        out,
        pointer,
        &single_lines,
        MAX_REASON_CHARS,
        section,
        false,
    );
}

fn check_benefits(out: &mut Vec<Violation>, benefits: &[GrantedBenefit]) {
    not_empty(
        out,
        "ydelser",
        benefits,
        SECTION_BENEFIT,
        "the grant grants no benefit",
    );
    for (i, b) in benefits.iter().enumerate() {
        let at = |field: &str| format!("/ydelser/{i}/{field}");
        check_text(
            out,
            at("id"),
            &b.id,
            MAX_BENEFIT_ID_CHARS,
            SECTION_BENEFIT,
            true,
        );
        if benefits[..i]
            .iter()
            .any(|earlier| earlier.id.trim() == b.id.trim())
        {
            out.push(violation(
                at("id"),
                "duplicate_benefit_id",
                SECTION_BENEFIT,
                "two granted benefits of the grant have this id".into(),
            ));
        }
        check_text(
            out,
            at("navn"),
            &b.navn,
            MAX_TITLE_CHARS,
            SECTION_BENEFIT,
            true,
        );
        if !case::kle_subject(&b.kle) {
            out.push(violation(
                at("kle"),
                "not_a_kle_subject",
                SECTION_BENEFIT,
                "the benefit's class is a KLE subject number (NN.NN.NN)".into(),
            ));
        }
        check_period(
            out,
            at("slutdato"),
            b.startdato,
            b.slutdato,
            SECTION_BENEFIT,
        );
        check_virkning(out, at("virkning"), &b.virkning, SECTION_BENEFIT);
        for (j, plan) in b.plan.iter().enumerate() {
            check_plan(out, &format!("/ydelser/{i}/plan/{j}"), plan);
        }
    }
}

fn check_plan(out: &mut Vec<Violation>, base: &str, plan: &PaymentPlan) {
    let at = |field: &str| format!("{base}/{field}");
    check_text(
        out,
        at("frekvens"),
        &plan.frekvens,
        MAX_PLAN_TEXT_CHARS,
        SECTION_PLAN,
        true,
    );
    if let Some(day) = &plan.dispositionsdag {
        check_text(
            out,
            at("dispositionsdag"),
            day,
            MAX_PLAN_TEXT_CHARS,
            SECTION_PLAN,
            false,
        );
    }
    if let Some(code) = &plan.forud_bagud
        && !IN_ADVANCE_OR_ARREARS.contains(&code.as_str())
    {
        out.push(violation(
            at("forud_bagud"),
            "unknown_code",
            SECTION_PLAN,
            format!(
                "'{code}' is not one of {}",
                IN_ADVANCE_OR_ARREARS.join(", ")
            ),
        ));
    }
    if plan.ydelsesbeloeb.0 < 0 {
        out.push(negative(at("ydelsesbeloeb"), SECTION_PLAN));
    }
    check_period(
        out,
        at("slutdato"),
        plan.startdato,
        plan.slutdato,
        SECTION_PLAN,
    );
}

fn negative(pointer: String, section: &str) -> Violation {
    violation(
        pointer,
        "negative_amount",
        section,
        "an amount is not negative".into(),
    )
}

/// A payment's amounts: none negative, and each step of the way no more
/// than the one before it (gross ≥ after tax and ATP ≥ sent for payment
/// ≥ paid).
fn check_payment_properties(out: &mut Vec<Violation>, properties: &[PaymentProperties]) {
    not_empty(
        out,
        "egenskaber",
        properties,
        SECTION_PAYMENT,
        "the payment has no properties",
    );
    for (i, p) in properties.iter().enumerate() {
        let at = |field: &str| format!("/egenskaber/{i}/{field}");
        if let Some(key) = &p.brugervendt_noegle {
            check_text(
                out,
                at("brugervendt_noegle"),
                key,
                MAX_CASE_NUMBER_CHARS,
                SECTION_PAYMENT,
                false,
            );
        }
        let steps = [
            ("bruttobeloeb", Some(p.bruttobeloeb)),
            ("efter_skat_atp", p.efter_skat_atp),
            ("sendt_til_udbetaling", p.sendt_til_udbetaling),
            ("udbetalt", p.udbetalt),
        ];
        for (name, amount) in steps {
            if amount.is_some_and(|a| a.0 < 0) {
                out.push(negative(at(name), SECTION_PAYMENT));
            }
        }
        let mut before: Option<(&str, Oere)> = None;
        for (name, amount) in steps {
            let Some(amount) = amount else { continue };
            if let Some((larger, bound)) = before
                && amount > bound
            {
                out.push(violation(
                    at(name),
                    "amount_exceeds",
                    SECTION_PAYMENT,
                    format!("{name} is more than {larger}"),
                ));
            }
            before = Some((name, amount));
        }
        if !PAYING_UNITS.contains(&p.udbetalingsafdeling.as_str()) {
            out.push(violation(
                at("udbetalingsafdeling"),
                "unknown_paying_unit",
                SECTION_PAYMENT,
                format!("the paying unit is one of {}", PAYING_UNITS.join(", ")),
            ));
        }
        check_period(
            out,
            at("slutdato"),
            p.startdato,
            Some(p.slutdato),
            SECTION_PAYMENT,
        );
        check_virkning(out, at("virkning"), &p.virkning, SECTION_PAYMENT);
    }
}

/// The KLE subjects a grant's benefits name, with where each stands and
/// the day its class must be active (the benefit's validity begins), for
/// the store to check against the imported plan.
pub fn kle_classes(record: &BenefitRecord) -> Vec<(String, &str, time::Date)> {
    let BenefitRecord::Bevilling(grant) = record else {
        return Vec::new();
    };
    grant
        .ydelser
        .iter()
        .flatten()
        .enumerate()
        .filter(|(_, b)| b.virkning.til.is_none() && case::kle_subject(&b.kle))
        .map(|(i, b)| {
            (
                format!("/ydelser/{i}/kle"),
                b.kle.trim(),
                b.virkning.fra.date(),
            )
        })
        .collect()
}

/// The granted benefit a payment pays (grant UUID, benefit id) and where
/// its reference stands, for the store to check that the system has it.
pub fn paid_benefit(record: &BenefitRecord) -> Option<(String, (String, String))> {
    let BenefitRecord::Effektuering(payment) = record else {
        return None;
    };
    payment
        .relationer
        .iter()
        .flatten()
        .enumerate()
        .find(|(_, r)| r.rolle == "bevilling" && r.virkning.til.is_none())
        .and_then(|(i, r)| {
            let (uuid, id) = granted_benefit_ref(&r.reference)?;
            Some((
                format!("/relationer/{i}/reference"),
                (uuid.to_ascii_lowercase(), id.to_owned()),
            ))
        })
}

/// The violation of a payment whose granted benefit the system has not
/// delivered (not there, or the grant has no benefit by that id).
pub fn unknown_granted_benefit(pointer: String) -> Violation {
    violation(
        pointer,
        "unknown_granted_benefit",
        PAYMENT_ROLES[0].1,
        "the system has delivered no grant with this granted benefit".into(),
    )
}

#[cfg(test)]
mod tests;
