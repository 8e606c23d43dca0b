//! The XSD simple types the schemas use, each checked as the schema
//! restricts it: texts with their length facets, UUIDs and CVR numbers by
//! their patterns, `xs:dateTime`, `xs:date`, `xs:integer`, `xs:boolean`,
//! `xs:base64Binary`, and `gd:BeloebType` as integer øre.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::Node;
use time::{Month, PrimitiveDateTime, UtcOffset};

use crate::refusal::{Refusal, RefusalKind};
use crate::xml::{Result, Writer, XmlValue, simple_text};

fn invalid(node: Node, message: impl Into<String>) -> Refusal {
    Refusal::at(RefusalKind::InvalidValue, node, message)
}

/// `xs:string` restricted by `minLength`/`maxLength` (counted in characters,
/// as XSD counts them). Whitespace is kept as sent (`xs:string` preserves
/// it). `MAX = usize::MAX` is an unrestricted string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Text<const MIN: usize, const MAX: usize>(String);

/// `xs:string` without facets.
pub type Tekst = Text<0, { usize::MAX }>;

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    /// The text if its length fits the facets and every character is one XML
    /// can carry.
    pub fn new(text: impl Into<String>) -> std::result::Result<Self, String> {
        let text = text.into();
        let length = text.chars().count();
        if length < MIN {
            return Err(format!("must be at least {MIN} characters"));
        }
        if length > MAX {
            return Err(format!("must be at most {MAX} characters"));
        }
        if !text.chars().all(crate::xml::is_xml_char) {
            return Err("contains a character XML cannot carry".into());
        }
        Ok(Text(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<const MIN: usize, const MAX: usize> std::ops::Deref for Text<MIN, MAX> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize> fmt::Debug for Text<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<const MIN: usize, const MAX: usize> XmlValue for Text<MIN, MAX> {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        Text::new(text.into_owned()).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.0);
    }
}

/// `sd:UUIDIdentifikator`: the pattern
/// `[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`.
/// Kept as sent; [`Uuid::normalized`] gives the lower-case form to compare by.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(String);

impl Uuid {
    pub fn new(text: impl Into<String>) -> std::result::Result<Self, String> {
        let text = text.into();
        let bytes = text.as_bytes();
        let groups = [8usize, 4, 4, 4, 12];
        let mut at = 0;
        for (i, length) in groups.iter().enumerate() {
            let group = bytes.get(at..at + length).ok_or_else(uuid_reason)?;
            if !group.iter().all(u8::is_ascii_hexdigit) {
                return Err(uuid_reason());
            }
            at += length;
            if i < groups.len() - 1 {
                if bytes.get(at) != Some(&b'-') {
                    return Err(uuid_reason());
                }
                at += 1;
            }
        }
        if at != bytes.len() {
            return Err(uuid_reason());
        }
        Ok(Uuid(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn normalized(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl Default for Uuid {
    /// The nil UUID: only ever a placeholder in a `Default` value.
    fn default() -> Self {
        Uuid("00000000-0000-0000-0000-000000000000".into())
    }
}

fn uuid_reason() -> String {
    "must be a UUID (8-4-4-4-12 hexadecimal digits)".into()
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({})", self.0)
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl XmlValue for Uuid {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        Uuid::new(text.into_owned()).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.0);
    }
}

/// A CVR number: the schemas' pattern `[0-9]{8}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cvr(String);

impl Cvr {
    pub fn new(text: impl Into<String>) -> std::result::Result<Self, String> {
        let text = text.into();
        if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Cvr(text))
        } else {
            Err("must be a CVR number of 8 digits".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl XmlValue for Cvr {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        Cvr::new(text.into_owned()).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.0);
    }
}

impl XmlValue for bool {
    fn read(node: Node) -> Result<Self> {
        match simple_text(node)?.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(invalid(node, "must be an xs:boolean (true, false, 1 or 0)")),
        }
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, if *self { "true" } else { "false" });
    }
}

/// `xs:integer`, within `i64` (larger values are refused: none of the
/// schema's counts, versions or positions comes near).
impl XmlValue for i64 {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        let text = text.trim();
        let digits = text.strip_prefix('+').unwrap_or(text);
        let unsigned = digits.strip_prefix('-').unwrap_or(digits);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(node, "must be an xs:integer"));
        }
        digits
            .parse()
            .map_err(|_| invalid(node, "is an integer too large to accept"))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.to_string());
    }
}

/// `gd:BeloebType` (pattern `-?[0-9]+(\.[0-9]+)?`, in kroner) as integer øre.
/// Read exactly from the decimal text, never through a float: digits after
/// the second decimal must be zeros, since a fraction of an øre cannot be
/// kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Oere(pub i64);

impl Oere {
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let pattern = || "must be an amount in kroner matching -?[0-9]+(\\.[0-9]+)?".to_string();
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match rest.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (rest, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(pattern());
        }
        let fraction = fraction.unwrap_or("");
        if text.contains('.') && fraction.is_empty() {
            return Err(pattern());
        }
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(pattern());
        }
        if fraction.bytes().skip(2).any(|b| b != b'0') {
            return Err("has more decimals than whole øre".into());
        }
        let too_large = || "is an amount too large to accept".to_string();
        let kroner: i128 = whole.parse().map_err(|_| too_large())?;
        let mut oere_digits = fraction.bytes().take(2).map(|b| i128::from(b - b'0'));
        let tenths = oere_digits.next().unwrap_or(0);
        let hundredths = oere_digits.next().unwrap_or(0);
        let magnitude = kroner
            .checked_mul(100)
            .and_then(|o| o.checked_add(tenths * 10 + hundredths))
            .ok_or_else(too_large)?;
        let signed = if negative { -magnitude } else { magnitude };
        i64::try_from(signed).map(Oere).map_err(|_| too_large())
    }

    /// The amount as `gd:BeloebType` text with two decimals: `1234.50`.
    pub fn to_beloeb(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
    }
}

impl XmlValue for Oere {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        Oere::parse(&text).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.to_beloeb());
    }
}

/// `xs:dateTime`: a date and time, with the time zone if the sender gave one
/// (`xs:dateTime` allows leaving it out; [`DateTime::assume_offset`] decides
/// then). Years 0001 to 9999, fractions of a second to the nanosecond;
/// `24:00:00` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub local: PrimitiveDateTime,
    pub offset: Option<UtcOffset>,
}

impl DateTime {
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let reason = || "must be an xs:dateTime like 2024-03-23T14:54:23.234+01:00".to_string();
        let (date_text, rest) = text.split_once('T').ok_or_else(reason)?;
        let date = parse_date(date_text).ok_or_else(reason)?;
        let (time_text, offset) = split_offset(rest).ok_or_else(reason)?;
        let time = parse_time(time_text).ok_or_else(reason)?;
        Ok(DateTime {
            local: PrimitiveDateTime::new(date, time),
            offset,
        })
    }

    /// The instant, taking `default` as the offset when the sender gave none.
    pub fn assume_offset(self, default: UtcOffset) -> time::OffsetDateTime {
        self.local.assume_offset(self.offset.unwrap_or(default))
    }

    pub fn to_xsd(self) -> String {
        let mut out = format_date(self.local.date());
        let t = self.local.time();
        out.push_str(&format!(
            "T{:02}:{:02}:{:02}",
            t.hour(),
            t.minute(),
            t.second()
        ));
        let nanos = t.nanosecond();
        if nanos > 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        push_offset(&mut out, self.offset);
        out
    }
}

impl Default for DateTime {
    /// The Unix epoch in UTC: only ever a placeholder in a `Default` value.
    fn default() -> Self {
        let epoch = time::OffsetDateTime::UNIX_EPOCH;
        DateTime {
            local: PrimitiveDateTime::new(epoch.date(), epoch.time()),
            offset: Some(UtcOffset::UTC),
        }
    }
}

impl XmlValue for DateTime {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        DateTime::parse(text.trim()).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.to_xsd());
    }
}

/// `xs:date`, with the time zone if given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub date: time::Date,
    pub offset: Option<UtcOffset>,
}

impl Date {
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let reason = || "must be an xs:date like 2024-03-23".to_string();
        // The date part is fixed width (four-digit years only), so whatever
        // follows it is the time zone.
        let (date_text, zone) = if text.len() >= 10 && text.is_char_boundary(10) {
            text.split_at(10)
        } else {
            return Err(reason());
        };
        let date = parse_date(date_text).ok_or_else(reason)?;
        let offset = if zone.is_empty() {
            None
        } else {
            Some(parse_offset(zone).ok_or_else(reason)?)
        };
        Ok(Date { date, offset })
    }

    pub fn to_xsd(self) -> String {
        let mut out = format_date(self.date);
        push_offset(&mut out, self.offset);
        out
    }
}

impl XmlValue for Date {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        Date::parse(text.trim()).map_err(|reason| invalid(node, reason))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &self.to_xsd());
    }
}

/// `xs:base64Binary` (a journal note's body). Whitespace inside is allowed,
/// as the type's whitespace facet collapses it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Base64Binary(pub Vec<u8>);

impl fmt::Debug for Base64Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Binary({} bytes)", self.0.len())
    }
}

impl XmlValue for Base64Binary {
    fn read(node: Node) -> Result<Self> {
        let text = simple_text(node)?;
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
            .collect();
        STANDARD
            .decode(compact.as_bytes())
            .map(Base64Binary)
            .map_err(|_| invalid(node, "must be xs:base64Binary"))
    }
    fn write(&self, w: &mut Writer, ns: &'static str, name: &'static str) {
        w.text_element(ns, name, &STANDARD.encode(&self.0));
    }
}

fn two_digits(text: &str) -> Option<u8> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn parse_date(text: &str) -> Option<time::Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    if year == 0 {
        return None;
    }
    let month = Month::try_from(two_digits(month)?).ok()?;
    time::Date::from_calendar_date(year, month, two_digits(day)?).ok()
}

fn parse_time(text: &str) -> Option<time::Time> {
    let (clock, fraction) = match text.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    let mut parts = clock.split(':');
    let (hour, minute, second) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse().ok()?
        }
        Some(_) => return None,
    };
    time::Time::from_hms_nano(
        two_digits(hour)?,
        two_digits(minute)?,
        two_digits(second)?,
        nanos,
    )
    .ok()
}

/// Splits `hh:mm:ss(.f)?(Z|±hh:mm)?` into the clock and the offset.
fn split_offset(text: &str) -> Option<(&str, Option<UtcOffset>)> {
    if let Some(clock) = text.strip_suffix('Z') {
        return Some((clock, Some(UtcOffset::UTC)));
    }
    if text.len() > 6 {
        let (clock, zone) = text.split_at(text.len() - 6);
        if zone.starts_with('+') || zone.starts_with('-') {
            return Some((clock, Some(parse_offset(zone)?)));
        }
    }
    Some((text, None))
}

fn parse_offset(zone: &str) -> Option<UtcOffset> {
    if zone == "Z" {
        return Some(UtcOffset::UTC);
    }
    let sign = match zone.get(..1)? {
        "+" => 1i8,
        "-" => -1,
        _ => return None,
    };
    let (hours, minutes) = zone.get(1..)?.split_once(':')?;
    let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
    if minutes > 59 || hours > 14 || (hours == 14 && minutes > 0) {
        return None;
    }
    UtcOffset::from_hms(sign * hours as i8, sign * minutes as i8, 0).ok()
}

fn format_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn push_offset(out: &mut String, offset: Option<UtcOffset>) {
    match offset {
        None => {}
        Some(offset) if offset.is_utc() => out.push('Z'),
        Some(offset) => {
            let (hours, minutes, _) = offset.as_hms();
            let sign = if offset.is_negative() { '-' } else { '+' };
            out.push_str(&format!(
                "{sign}{:02}:{:02}",
                hours.unsigned_abs(),
                minutes.unsigned_abs()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_exactly_into_oere() {
        assert_eq!(Oere::parse("1234.5"), Ok(Oere(123_450)));
        assert_eq!(Oere::parse("-0.05"), Ok(Oere(-5)));
        assert_eq!(Oere::parse("7"), Ok(Oere(700)));
        assert_eq!(Oere::parse("10.2500"), Ok(Oere(1025)));
        assert!(Oere::parse("10.255").is_err());
        assert!(Oere::parse("1e3").is_err());
        assert!(Oere::parse("+1").is_err());
        assert!(Oere::parse(" 1").is_err());
        assert!(Oere::parse("1.").is_err());
        assert!(Oere::parse(".5").is_err());
        assert!(Oere::parse("99999999999999999999").is_err());
        assert_eq!(Oere(-5).to_beloeb(), "-0.05");
        assert_eq!(Oere(123_450).to_beloeb(), "1234.50");
    }

    #[test]
    fn date_times_keep_their_zone_or_its_absence() {
        let with = DateTime::parse("2019-05-12T08:30:00.250+02:00").expect("valid");
        assert_eq!(with.offset, UtcOffset::from_hms(2, 0, 0).ok());
        assert_eq!(with.to_xsd(), "2019-05-12T08:30:00.25+02:00");
        let without = DateTime::parse("2019-05-12T08:30:00").expect("valid");
        assert_eq!(without.offset, None);
        assert_eq!(without.to_xsd(), "2019-05-12T08:30:00");
        assert_eq!(
            DateTime::parse("2019-05-12T08:30:00Z").map(|d| d.to_xsd()),
            Ok("2019-05-12T08:30:00Z".into())
        );
        for bad in [
            "2019-02-30T00:00:00",
            "2019-05-12",
            "2019-05-12T24:00:00",
            "2019-05-12T08:30",
            "12-05-2019T08:30:00",
            "2019-05-12T08:30:00+15:00",
            "2019-05-12T08:30:00.1234567891Z",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn uuids_follow_the_schema_pattern() {
        assert!(Uuid::new("1111aaaa-11aa-22bb-33cc-111111AAAAAA").is_ok());
        assert!(Uuid::new("1111aaaa-11aa-22bb-33cc-111111aaaaa").is_err());
        assert!(Uuid::new("1111aaaa11aa-22bb-33cc-111111aaaaaa0").is_err());
        assert!(Uuid::new("urn:oio:cpr-nr:0101010000").is_err());
    }
}
