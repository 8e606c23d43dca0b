//! The municipality's organisation directory as samspil reads it: org
//! units and employees with time-bounded validity, in the shape of OS2mo /
//! FK Organisation, one JSON record per line (JSON Lines), so that a
//! malformed record can be named by its line and a large file read as a
//! stream. The format is documented in `docs/DIRECTORY_IMPORT.md`.

use serde::Deserialize;
use time::Date;

use crate::{AccessRole, Login, UserType, ValidationError};

/// From when to when a record holds; `to` is the last day, open when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub from: Date,
    pub to: Option<Date>,
}

/// The validity as written: ISO dates, `to` null or absent when open.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidity {
    from: String,
    #[serde(default)]
    to: Option<String>,
}

impl RawValidity {
    fn checked(self) -> Result<Validity, ValidationError> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let day = |text: &str| {
            Date::parse(text.trim(), &format).map_err(|_| {
                ValidationError::new("validity", format!("'{text}' is not a date (YYYY-MM-DD)"))
            })
        };
        let validity = Validity {
            from: day(&self.from)?,
            to: self.to.as_deref().map(day).transpose()?,
        };
        match validity.to {
            Some(to) if to < validity.from => Err(ValidationError::new(
                "validity",
                format!("ends ({to}) before it starts ({})", validity.from),
            )),
            _ => Ok(validity),
        }
    }
}

impl Validity {
    pub fn holds_on(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub uuid: String,
    pub name: String,
    pub validity: Validity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeRecord {
    pub uuid: String,
    pub login: Login,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    /// The uuid of the employee's org unit.
    pub org_unit: Option<String>,
    /// `user` or `admin`: the directory never makes community staff.
    /// `None` when the source has no such notion (OS2mo): samspil keeps
    /// what the person has, and a new person is a user.
    pub access_role: Option<AccessRole>,
    /// `None` like `access_role`: kept, and ordinary for a new person.
    pub user_type: Option<UserType>,
    pub validity: Validity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryRecord {
    OrgUnit(UnitRecord),
    Employee(EmployeeRecord),
}

impl DirectoryRecord {
    pub fn uuid(&self) -> &str {
        match self {
            DirectoryRecord::OrgUnit(unit) => &unit.uuid,
            DirectoryRecord::Employee(employee) => &employee.uuid,
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum RawRecord {
    OrgUnit {
        uuid: String,
        name: String,
        validity: RawValidity,
    },
    Employee {
        uuid: String,
        user_key: String,
        name: String,
        email: Option<String>,
        phone: Option<String>,
        job_title: Option<String>,
        org_unit: Option<String>,
        #[serde(default = "default_access_role")]
        access_role: String,
        #[serde(default = "default_user_type")]
        user_type: String,
        validity: RawValidity,
    },
}

fn default_access_role() -> String {
    "user".to_owned()
}

fn default_user_type() -> String {
    "ordinary".to_owned()
}

fn text(field: &'static str, value: String, max: usize) -> Result<String, ValidationError> {
    let value = value.trim().to_owned();
    if value.is_empty() || value.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("{field} must have 1 to {max} characters"),
        ));
    }
    Ok(value)
}

fn optional(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) => text(field, v, max).map(Some),
        None => Ok(None),
    }
}

/// One line of a directory file: a record, or `None` for a blank line.
pub fn parse_line(line: &str) -> Result<Option<DirectoryRecord>, ValidationError> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let raw: RawRecord = serde_json::from_str(line)
        .map_err(|e| ValidationError::new("record", format!("not a directory record: {e}")))?;
    let record = match raw {
        RawRecord::OrgUnit {
            uuid,
            name,
            validity,
        } => DirectoryRecord::OrgUnit(UnitRecord {
            uuid: text("uuid", uuid, 64)?,
            name: text("name", name, 200)?,
            validity: validity.checked()?,
        }),
        RawRecord::Employee {
            uuid,
            user_key,
            name,
            email,
            phone,
            job_title,
            org_unit,
            access_role,
            user_type,
            validity,
        } => {
            let email = optional("email", email, 200)?;
            if email
                .as_deref()
                .is_some_and(|e| !e.contains('@') || e.starts_with('@') || e.ends_with('@'))
            {
                return Err(ValidationError::new("email", "not an e-mail address"));
            }
            let access_role = match AccessRole::parse(&access_role) {
                Some(role @ (AccessRole::User | AccessRole::Admin)) => role,
                _ => {
                    return Err(ValidationError::new(
                        "access_role",
                        format!("'{access_role}' is not user or admin"),
                    ));
                }
            };
            let user_type = UserType::parse(&user_type).ok_or_else(|| {
                ValidationError::new(
                    "user_type",
                    format!("'{user_type}' is not ordinary, light or reader"),
                )
            })?;
            DirectoryRecord::Employee(EmployeeRecord {
                uuid: text("uuid", uuid, 64)?,
                login: Login::parse(&user_key)?,
                name: text("name", name, 200)?,
                email,
                phone: optional("phone", phone, 40)?,
                job_title: optional("job_title", job_title, 200)?,
                org_unit: optional("org_unit", org_unit, 64)?,
                access_role: Some(access_role),
                user_type: Some(user_type),
                validity: validity.checked()?,
            })
        }
    };
    Ok(Some(record))
}

/// What the directory says holds on one day: the units and employees
/// valid then, each once, every employee's unit among the units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectorySnapshot {
    pub as_of: Date,
    pub units: Vec<UnitRecord>,
    pub employees: Vec<EmployeeRecord>,
}

impl DirectorySnapshot {
    /// `records` with the line each came from, for the message that names
    /// the line of a record that does not fit.
    pub fn new(
        records: Vec<(usize, DirectoryRecord)>,
        as_of: Date,
    ) -> Result<Self, (usize, ValidationError)> {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (line, record) in &records {
            if let Some((_, first)) = seen.iter().find(|(uuid, _)| *uuid == record.uuid()) {
                return Err((
                    *line,
                    ValidationError::new(
                        "uuid",
                        format!("uuid {} is also on line {first}", record.uuid()),
                    ),
                ));
            }
            seen.push((record.uuid(), *line));
        }
        let mut units = Vec::new();
        let mut employees: Vec<(usize, EmployeeRecord)> = Vec::new();
        for (line, record) in records {
            match record {
                DirectoryRecord::OrgUnit(unit) if unit.validity.holds_on(as_of) => units.push(unit),
                DirectoryRecord::Employee(employee) if employee.validity.holds_on(as_of) => {
                    employees.push((line, employee))
                }
                _ => {}
            }
        }
        for (line, employee) in &employees {
            if let Some(unit) = &employee.org_unit
                && !units.iter().any(|u| &u.uuid == unit)
            {
                return Err((
                    *line,
                    ValidationError::new(
                        "org_unit",
                        format!(
                            "org unit {unit} is not in the directory (or not valid on {as_of})"
                        ),
                    ),
                ));
            }
            if let Some((other, _)) = employees
                .iter()
                .find(|(l, e)| l != line && e.login == employee.login)
            {
                return Err((
                    *line,
                    ValidationError::new(
                        "user_key",
                        format!("login {} is also on line {other}", employee.login),
                    ),
                ));
            }
        }
        Ok(DirectorySnapshot {
            as_of,
            units,
            employees: employees.into_iter().map(|(_, e)| e).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const UNIT: &str = r#"{"kind":"org_unit","uuid":"u1","name":"Digitalisering","validity":{"from":"2020-01-01","to":null}}"#;

    fn employee(uuid: &str, login: &str, to: &str) -> String {
        format!(
            r#"{{"kind":"employee","uuid":"{uuid}","user_key":"{login}","name":"Lise Hansen","email":"lh@aarhus.example","org_unit":"u1","validity":{{"from":"2021-03-01","to":{to}}}}}"#
        )
    }

    #[test]
    fn a_line_becomes_a_record_and_blank_lines_nothing() {
        assert_eq!(parse_line("  ").expect("blank"), None);
        let Some(DirectoryRecord::Employee(e)) =
            parse_line(&employee("e1", "LHA", "null")).expect("parses")
        else {
            panic!("an employee");
        };
        assert_eq!(e.login.as_str(), "lha");
        assert_eq!(e.access_role, Some(AccessRole::User));
        assert_eq!(e.user_type, Some(UserType::Ordinary));
    }

    #[test]
    fn malformed_records_say_what_is_wrong() {
        let staff = employee("e1", "lha", "null")
            .replace(r#""org_unit""#, r#""access_role":"staff","org_unit""#);
        assert_eq!(parse_line(&staff).expect_err("staff").field, "access_role");
        assert_eq!(parse_line("{not json").expect_err("json").field, "record");
        let backwards = employee("e1", "lha", r#""2020-01-01""#);
        assert_eq!(parse_line(&backwards).expect_err("dates").field, "validity");
        let unknown = UNIT.replace("\"name\"", "\"nmae\"");
        assert_eq!(parse_line(&unknown).expect_err("field").field, "record");
    }

    #[test]
    fn the_snapshot_keeps_what_holds_on_the_day_and_names_the_line_of_a_misfit() {
        let lines = [
            UNIT.to_owned(),
            employee("e1", "lha", "null"),
            employee("e2", "old", r#""2022-12-31""#),
        ];
        let records: Vec<(usize, DirectoryRecord)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, parse_line(l).expect("ok").expect("record")))
            .collect();
        let snapshot =
            DirectorySnapshot::new(records.clone(), date!(2026 - 11 - 23)).expect("fits");
        assert_eq!(snapshot.units.len(), 1);
        let logins: Vec<&str> = snapshot
            .employees
            .iter()
            .map(|e| e.login.as_str())
            .collect();
        assert_eq!(logins, vec!["lha"], "the employee who left is not present");

        let mut twice = records.clone();
        twice.push((
            4,
            parse_line(&employee("e1", "other", "null"))
                .expect("ok")
                .expect("r"),
        ));
        let (line, error) = DirectorySnapshot::new(twice, date!(2026 - 11 - 23)).expect_err("dup");
        assert_eq!((line, error.field), (4, "uuid"));

        let orphan = employee("e3", "lone", "null").replace("\"u1\"", "\"u9\"");
        let mut orphaned = records;
        orphaned.push((7, parse_line(&orphan).expect("ok").expect("r")));
        let (line, error) =
            DirectorySnapshot::new(orphaned, date!(2026 - 11 - 23)).expect_err("unit");
        assert_eq!((line, error.field), (7, "org_unit"));
    }
}
