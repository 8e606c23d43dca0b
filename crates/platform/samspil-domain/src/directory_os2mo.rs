//! OS2mo's GraphQL answer (`org_units` and `employees` with their
//! validities, engagements and addresses) read as the same
//! [`DirectorySnapshot`] the JSON Lines import makes, so that the scheduled
//! sync and the file import end in one storage call.
//!
//! Only the fields samspil uses are modelled; the HTTP client deserialises
//! each page's `objects` into these types, and nothing here does I/O.

use serde::Deserialize;
use time::Date;

use crate::directory::{DirectoryRecord, DirectorySnapshot, EmployeeRecord, UnitRecord, Validity};
use crate::{Login, ValidationError};

/// OS2mo writes validities as date-times at local midnight
/// (`2021-03-01T00:00:00+01:00`); `to` is the last day, null when open.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Os2moValidity {
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Os2moValidity {
    fn checked(&self, uuid: &str) -> Result<Validity, ValidationError> {
        // The date part is the day in OS2mo's own time zone; converting the
        // instant to UTC would move every midnight to the day before.
        let day = |text: &str| {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            text.get(..10)
                .and_then(|day| Date::parse(day, &format).ok())
                .ok_or_else(|| {
                    ValidationError::new("validity", format!("{uuid}: '{text}' is not a date"))
                })
        };
        let from = match self.from.as_deref() {
            Some(text) => day(text)?,
            // OS2mo leaves `from` null for "since always".
            None => Date::MIN,
        };
        let to = self.to.as_deref().map(day).transpose()?;
        if to.is_some_and(|to| to < from) {
            return Err(ValidationError::new(
                "validity",
                format!("{uuid}: the validity ends before it starts"),
            ));
        }
        Ok(Validity { from, to })
    }
}

/// One `org_units.objects` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Os2moUnit {
    pub validities: Vec<Os2moUnitValidity>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Os2moUnitValidity {
    pub uuid: String,
    pub name: String,
    pub validity: Os2moValidity,
}

/// One `employees.objects` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Os2moEmployee {
    pub validities: Vec<Os2moEmployeeValidity>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Os2moEmployeeValidity {
    pub uuid: String,
    pub user_key: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    #[serde(default)]
    pub engagements: Vec<Os2moEngagement>,
    #[serde(default)]
    pub addresses: Vec<Os2moAddress>,
    pub validity: Os2moValidity,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Os2moEngagement {
    /// A list in OS2mo's schema, in practice of one unit.
    #[serde(default)]
    pub org_unit: Vec<Os2moUuid>,
    pub job_function: Option<Os2moClass>,
    pub validity: Os2moValidity,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Os2moUuid {
    pub uuid: String,
}

/// A facet class: a job function, or an address type whose `scope` says
/// what kind of address it is (`EMAIL`, `PHONE`, `DAR`, …).
#[derive(Debug, Clone, Deserialize)]
pub struct Os2moClass {
    pub name: Option<String>,
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Os2moAddress {
    pub address_type: Os2moClass,
    pub value: Option<String>,
    pub name: Option<String>,
    pub validity: Option<Os2moValidity>,
}

/// Of several validities, the one in force on `day` that began last (OS2mo's
/// validities do not overlap, but a source that lets them should not make
/// the choice depend on the order of the answer).
fn in_force<'a, T>(
    items: &'a [T],
    validity: impl Fn(&T) -> &Os2moValidity,
    uuid: &str,
    day: Date,
) -> Result<Option<(&'a T, Validity)>, ValidationError> {
    let mut chosen: Option<(&T, Validity)> = None;
    for item in items {
        let checked = validity(item).checked(uuid)?;
        if checked.holds_on(day) && chosen.is_none_or(|(_, best)| checked.from > best.from) {
            chosen = Some((item, checked));
        }
    }
    Ok(chosen)
}

fn address(
    employee: &Os2moEmployeeValidity,
    scope: &str,
    day: Date,
) -> Result<Option<String>, ValidationError> {
    for address in &employee.addresses {
        if address.address_type.scope.as_deref() != Some(scope) {
            continue;
        }
        if let Some(validity) = &address.validity
            && !validity.checked(&employee.uuid)?.holds_on(day)
        {
            continue;
        }
        let text = address
            .value
            .as_deref()
            .or(address.name.as_deref())
            .map(str::trim)
            .filter(|text| !text.is_empty());
        if let Some(text) = text {
            return Ok(Some(text.to_owned()));
        }
    }
    Ok(None)
}

fn employee_record(
    employee: &Os2moEmployeeValidity,
    validity: Validity,
    day: Date,
) -> Result<Option<EmployeeRecord>, ValidationError> {
    let uuid = employee.uuid.as_str();
    // A person is in the directory on a day only through an engagement in
    // force then: someone whose engagement ended has left, even though
    // OS2mo keeps the person.
    let engagement = match in_force(&employee.engagements, |e| &e.validity, uuid, day)? {
        Some((engagement, _)) => engagement,
        None => return Ok(None),
    };
    let named = |field: &'static str, problem: &str| {
        ValidationError::new(field, format!("employee {uuid}: {problem}"))
    };
    let user_key = employee
        .user_key
        .as_deref()
        .ok_or_else(|| named("user_key", "has no user_key (the login)"))?;
    let login = Login::parse(user_key)
        .map_err(|e| named("user_key", &format!("user_key '{user_key}': {}", e.problem)))?;
    let name = [employee.given_name.as_deref(), employee.surname.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        return Err(named("name", "the name must have 1 to 200 characters"));
    }
    let email = address(employee, "EMAIL", day)?;
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.starts_with('@') || e.ends_with('@'))
    {
        return Err(named("email", "the EMAIL address is not an e-mail address"));
    }
    let short = |value: Option<String>, max: usize| {
        value
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(max).collect::<String>())
    };
    Ok(Some(EmployeeRecord {
        uuid: uuid.to_owned(),
        login,
        name,
        email: short(email, 200),
        phone: short(address(employee, "PHONE", day)?, 40),
        job_title: short(
            engagement
                .job_function
                .as_ref()
                .and_then(|f| f.name.as_deref())
                .map(|n| n.trim().to_owned()),
            200,
        ),
        org_unit: engagement.org_unit.first().map(|u| u.uuid.clone()),
        access_role: None,
        user_type: None,
        validity,
    }))
}

/// What OS2mo says holds on `day`: the units in force, and the people with
/// an engagement in force, each in the unit of that engagement. A record
/// that does not fit refuses the whole answer, like a bad line in a file.
pub fn snapshot(
    units: &[Os2moUnit],
    employees: &[Os2moEmployee],
    day: Date,
) -> Result<DirectorySnapshot, ValidationError> {
    let mut records: Vec<DirectoryRecord> = Vec::new();
    for unit in units {
        let uuid = unit.validities.first().map_or("?", |v| v.uuid.as_str());
        if let Some((current, validity)) = in_force(&unit.validities, |v| &v.validity, uuid, day)? {
            let name = current.name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(ValidationError::new(
                    "name",
                    format!("org unit {uuid}: the name must have 1 to 200 characters"),
                ));
            }
            records.push(DirectoryRecord::OrgUnit(UnitRecord {
                uuid: current.uuid.clone(),
                name: name.to_owned(),
                validity,
            }));
        }
    }
    for employee in employees {
        let uuid = employee.validities.first().map_or("?", |v| v.uuid.as_str());
        if let Some((current, validity)) =
            in_force(&employee.validities, |v| &v.validity, uuid, day)?
            && let Some(record) = employee_record(current, validity, day)?
        {
            records.push(DirectoryRecord::Employee(record));
        }
    }
    let numbered: Vec<(usize, DirectoryRecord)> = records.into_iter().enumerate().collect();
    let uuids: Vec<String> = numbered.iter().map(|(_, r)| r.uuid().to_owned()).collect();
    DirectorySnapshot::new(numbered, day).map_err(|(index, error)| {
        let uuid = uuids.get(index).map_or("?", String::as_str);
        ValidationError::new(error.field, format!("{uuid}: {}", error.problem))
    })
}

/// The wait before the next try after `failures` failed syncs in a row:
/// one minute, then doubling, never longer than the regular interval (a
/// source that is down is tried at least as often as one that works).
pub fn retry_delay(failures: u32, interval: std::time::Duration) -> std::time::Duration {
    let minutes = 1u64 << failures.saturating_sub(1).min(20);
    std::time::Duration::from_secs(minutes * 60).min(interval)
}

/// Whether deactivating `would_deactivate` of the `active` people the
/// directory manages exceeds `max_percent`: a well-formed answer that is
/// truncated at the source looks like many people leaving at once.
pub fn too_many_leave(active: u64, would_deactivate: u64, max_percent: u8) -> bool {
    would_deactivate > 0 && would_deactivate * 100 > active * u64::from(max_percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const DAY: Date = date!(2026 - 11 - 23);

    fn units() -> Vec<Os2moUnit> {
        serde_json::from_value(serde_json::json!([
            {"validities": [
                {"uuid": "u1", "name": "Digitalisering (gammel)", "validity": {"from": "2015-01-01T00:00:00+01:00", "to": "2019-12-31T00:00:00+01:00"}},
                {"uuid": "u1", "name": "Digitalisering", "validity": {"from": "2020-01-01T00:00:00+01:00", "to": null}}
            ]},
            {"validities": [
                {"uuid": "u2", "name": "Nedlagt", "validity": {"from": "2015-01-01", "to": "2020-01-01"}}
            ]}
        ]))
        .expect("units")
    }

    fn employee(engagement_to: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"validities": [{
            "uuid": "e1", "user_key": "LHA", "given_name": "Lise", "surname": "Hansen",
            "engagements": [
                {"org_unit": [{"uuid": "u2"}], "job_function": {"name": "Tidligere job"},
                 "validity": {"from": "2015-01-01T00:00:00+01:00", "to": "2019-12-31T00:00:00+01:00"}},
                {"org_unit": [{"uuid": "u1"}], "job_function": {"name": "Digitaliseringskonsulent"},
                 "validity": {"from": "2020-01-01T00:00:00+01:00", "to": engagement_to}}
            ],
            "addresses": [
                {"address_type": {"scope": "DAR", "name": "Postadresse"}, "value": "0a3f50a0", "name": "Rådhuspladsen 2"},
                {"address_type": {"scope": "EMAIL", "name": "Email"}, "value": "old@aarhus.example", "name": null,
                 "validity": {"from": "2015-01-01", "to": "2020-01-01"}},
                {"address_type": {"scope": "EMAIL", "name": "Email"}, "value": "lha@aarhus.example", "name": null},
                {"address_type": {"scope": "PHONE", "name": "Telefon"}, "value": "+45 8940 2000", "name": null}
            ],
            "validity": {"from": "2015-01-01T00:00:00+01:00", "to": null}
        }]})
    }

    fn employees(values: Vec<serde_json::Value>) -> Vec<Os2moEmployee> {
        serde_json::from_value(serde_json::Value::Array(values)).expect("employees")
    }

    #[test]
    fn the_day_chooses_the_validity_the_engagement_and_the_addresses() {
        let snapshot = snapshot(
            &units(),
            &employees(vec![employee(serde_json::Value::Null)]),
            DAY,
        )
        .expect("fits");
        assert_eq!(snapshot.units.len(), 1, "the closed unit is not there");
        assert_eq!(snapshot.units[0].name, "Digitalisering");
        let person = &snapshot.employees[0];
        assert_eq!(person.login.as_str(), "lha");
        assert_eq!(person.name, "Lise Hansen");
        assert_eq!(person.email.as_deref(), Some("lha@aarhus.example"));
        assert_eq!(person.phone.as_deref(), Some("+45 8940 2000"));
        assert_eq!(
            person.job_title.as_deref(),
            Some("Digitaliseringskonsulent")
        );
        assert_eq!(person.org_unit.as_deref(), Some("u1"));
        assert_eq!(person.access_role, None, "OS2mo has no KLIK roles");
    }

    #[test]
    fn a_person_without_an_engagement_in_force_is_not_in_the_directory() {
        let ended = employee(serde_json::json!("2026-11-22T00:00:00+01:00"));
        let gone = snapshot(&units(), &employees(vec![ended]), DAY).expect("fits");
        assert!(gone.employees.is_empty());
        let last_day = employee(serde_json::json!("2026-11-23T00:00:00+01:00"));
        let there = snapshot(&units(), &employees(vec![last_day]), DAY).expect("fits");
        assert_eq!(there.employees.len(), 1, "the last day still counts");
    }

    #[test]
    fn a_record_that_does_not_fit_refuses_the_answer_and_names_the_uuid() {
        let mut bad_login = employee(serde_json::Value::Null);
        bad_login["validities"][0]["user_key"] = serde_json::json!("has space");
        let error = snapshot(&units(), &employees(vec![bad_login]), DAY).expect_err("login");
        assert_eq!(error.field, "user_key");
        assert!(error.problem.contains("e1"), "{}", error.problem);

        let mut orphan = employee(serde_json::Value::Null);
        orphan["validities"][0]["engagements"][1]["org_unit"][0]["uuid"] = serde_json::json!("u9");
        let error = snapshot(&units(), &employees(vec![orphan]), DAY).expect_err("unit");
        assert_eq!(error.field, "org_unit");
        assert!(error.problem.starts_with("e1: "), "{}", error.problem);

        let mut twice = employee(serde_json::Value::Null);
        twice["validities"][0]["uuid"] = serde_json::json!("e2");
        let error = snapshot(
            &units(),
            &employees(vec![employee(serde_json::Value::Null), twice]),
            DAY,
        )
        .expect_err("same login twice");
        assert_eq!(error.field, "user_key");

        let mut bad_date = employee(serde_json::Value::Null);
        bad_date["validities"][0]["validity"]["from"] = serde_json::json!("igår");
        let error = snapshot(&units(), &employees(vec![bad_date]), DAY).expect_err("date");
        assert_eq!(error.field, "validity");

        let mut bad_mail = employee(serde_json::Value::Null);
        bad_mail["validities"][0]["addresses"][2]["value"] = serde_json::json!("lha");
        let error = snapshot(&units(), &employees(vec![bad_mail]), DAY).expect_err("mail");
        assert_eq!(error.field, "email");
    }

    #[test]
    fn validities_read_the_local_day_and_an_open_start() {
        let v = Os2moValidity {
            from: None,
            to: Some("2026-11-23T00:00:00+01:00".to_owned()),
        };
        let checked = v.checked("x").expect("valid");
        assert!(checked.holds_on(date!(1900 - 01 - 01)));
        assert!(checked.holds_on(DAY));
        assert!(!checked.holds_on(date!(2026 - 11 - 24)));
        let backwards = Os2moValidity {
            from: Some("2026-01-02".to_owned()),
            to: Some("2026-01-01".to_owned()),
        };
        assert!(backwards.checked("x").is_err());
    }

    #[test]
    fn retries_back_off_up_to_the_interval() {
        let hour = std::time::Duration::from_secs(3600);
        let minutes: Vec<u64> = (1..=8)
            .map(|n| retry_delay(n, hour).as_secs() / 60)
            .collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(retry_delay(u32::MAX, hour), hour);
        let short = std::time::Duration::from_secs(120);
        assert_eq!(retry_delay(5, short), short);
    }

    #[test]
    fn the_safety_net_holds_at_the_configured_share() {
        assert!(!too_many_leave(100, 20, 20), "exactly the share is allowed");
        assert!(too_many_leave(100, 21, 20));
        assert!(!too_many_leave(0, 0, 20));
        assert!(too_many_leave(3, 1, 20), "one of three is a third");
        assert!(!too_many_leave(3, 3, 100));
        assert!(too_many_leave(10, 1, 0), "0 % allows no deactivation");
    }
}
