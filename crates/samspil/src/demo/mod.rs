//! Demo data: a staff member of the community, and in each municipality
//! three org units, an administrator `admin-NNN` and a user `user-NNN`.
//!
//! Loading is idempotent: what exists already is left alone, so `samspil
//! demo` can run any number of times.

pub mod agreements;
pub mod citizen_population;
pub mod citizen_systems;
pub mod incidents;
pub mod meetings;
pub mod messages;
pub mod nsis;
pub mod pipelines;
pub mod prices;
pub mod roles;
pub mod tasks;

use anyhow::Context;
use samspil_domain::{AccessRole, Login, OrgKind, Principal, UserType};
use samspil_storage::{NewUser, OrgUnitId, Organisation, Storage};

/// The one password of every demo login (printed by `samspil demo`).
pub const DEMO_PASSWORD: &str = "samspil-demo";

/// The TOTP secret of the demo staff account, published like the password
/// so that the demo can be entered: `oathtool --totp -b SECRET` (or any
/// authenticator app) gives the code. Never a secret of a real account.
pub const DEMO_TOTP_SECRET: &str = "SAMSPILDEMOSTAFFTOTPSECRET234567";

/// A demo staff member without a second factor: logging in shows the
/// enrolment. Only in the full demo, not in the tests' smaller one.
pub const DEMO_NEW_STAFF: &str = "staff-ny";

const UNITS: [&str; 3] = ["Digitalisering og IT", "Borgerservice", "Økonomi"];
const FIRST_NAMES: [&str; 12] = [
    "Anne", "Mette", "Lars", "Søren", "Hanne", "Jens", "Kirsten", "Peter", "Louise", "Mads",
    "Camilla", "Rasmus",
];
const LAST_NAMES: [&str; 10] = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
];

/// Which municipalities get demo people.
#[derive(Debug, Clone, Copy)]
pub enum DemoScope<'a> {
    All,
    /// Only these municipality codes (tests use a few to stay quick).
    Municipalities(&'a [u16]),
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoReport {
    pub users_created: usize,
    pub org_units_created: usize,
}

pub async fn load(storage: &dyn Storage, scope: DemoScope<'_>) -> anyhow::Result<DemoReport> {
    // One hash for all demo logins: they share a published password, and
    // hashing it ~200 times would only slow the start down.
    let password_hash = samspil_auth::hash_password(DEMO_PASSWORD)?;
    let operator = Principal::operator();
    let mut report = DemoReport::default();
    let organisations = storage.organisations().await?;

    let community = organisations
        .iter()
        .find(|o| o.kind == OrgKind::Community)
        .context("the community organisation is missing: run `samspil migrate`")?;
    ensure_person(
        storage,
        &operator,
        community,
        None,
        Person {
            login: "staff",
            display_name: "Karen Implementering".into(),
            job_title: "Implementeringskonsulent",
            role: AccessRole::Staff,
        },
        &password_hash,
        &mut report,
    )
    .await?;
    enrol_demo_staff(storage, &operator).await?;
    if matches!(scope, DemoScope::All) {
        // A colleague who has not set up an authenticator app yet: their
        // login shows the enrolment that staff go through once.
        ensure_person(
            storage,
            &operator,
            community,
            None,
            Person {
                login: DEMO_NEW_STAFF,
                display_name: "Niels Nyansat".into(),
                job_title: "Implementeringskonsulent",
                role: AccessRole::Staff,
            },
            &password_hash,
            &mut report,
        )
        .await?;
    }

    for (index, org) in organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .enumerate()
    {
        let Some(code) = org.code else { continue };
        if let DemoScope::Municipalities(codes) = scope
            && !codes.contains(&code.get())
        {
            continue;
        }
        let access = operator.admin_access(org.id)?;
        let mut units = storage.org_units(&access).await?;
        for name in UNITS {
            if !units.iter().any(|u| u.name == name) {
                units.push(storage.create_org_unit(&access, name).await?);
                report.org_units_created += 1;
            }
        }
        let it_unit = units.iter().find(|u| u.name == UNITS[0]).map(|u| u.id);
        let admin = Person {
            login: &format!("admin-{code}"),
            display_name: demo_name(index, 0),
            job_title: "KLIK-administrator",
            role: AccessRole::Admin,
        };
        ensure_person(
            storage,
            &operator,
            org,
            it_unit,
            admin,
            &password_hash,
            &mut report,
        )
        .await?;
        let user = Person {
            login: &format!("user-{code}"),
            display_name: demo_name(index, 1),
            job_title: "Programleder",
            role: AccessRole::User,
        };
        ensure_person(
            storage,
            &operator,
            org,
            it_unit,
            user,
            &password_hash,
            &mut report,
        )
        .await?;
    }
    Ok(report)
}

/// Staff must have a second factor; the demo's has the published one.
async fn enrol_demo_staff(storage: &dyn Storage, operator: &Principal) -> anyhow::Result<()> {
    let staff = storage
        .credentials(&Login::parse("staff")?)
        .await?
        .context("the demo staff account is missing")?
        .user;
    if storage.totp_enrolment(staff.id).await?.is_none() {
        storage
            .enrol_totp(staff.id, DEMO_TOTP_SECRET, None, &operator.actor())
            .await?;
    }
    Ok(())
}

struct Person<'a> {
    login: &'a str,
    display_name: String,
    job_title: &'a str,
    role: AccessRole,
}

async fn ensure_person(
    storage: &dyn Storage,
    operator: &Principal,
    org: &Organisation,
    unit: Option<OrgUnitId>,
    person: Person<'_>,
    password_hash: &str,
    report: &mut DemoReport,
) -> anyhow::Result<()> {
    let login = Login::parse(person.login)?;
    if storage.credentials(&login).await?.is_some() {
        return Ok(());
    }
    let domain = mail_domain(&org.name);
    storage
        .create_user(
            &operator.admin_access(org.id)?,
            &NewUser {
                email: Some(format!("{login}@{domain}")),
                phone: org.code.map(|code| format!("+45 70 10 0{code}")),
                login,
                display_name: person.display_name,
                job_title: Some(person.job_title.to_owned()),
                org_unit_id: unit,
                role: person.role,
                user_type: UserType::Ordinary,
                password_hash: Some(password_hash.to_owned()),
            },
        )
        .await?;
    report.users_created += 1;
    Ok(())
}

fn demo_name(index: usize, offset: usize) -> String {
    let first = FIRST_NAMES[(index * 2 + offset) % FIRST_NAMES.len()];
    let last = LAST_NAMES[(index * 3 + offset * 7) % LAST_NAMES.len()];
    format!("{first} {last}")
}

/// A mail domain under `.example` (reserved, never delivered) per organisation.
fn mail_domain(org_name: &str) -> String {
    let ascii: String = org_name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => "ae".to_owned(),
            'ø' => "oe".to_owned(),
            'å' => "aa".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        })
        .collect();
    format!("{ascii}.kommune.example")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_totp_secret_is_a_full_size_base32_secret() {
        let key = samspil_auth::totp::base32_decode(DEMO_TOTP_SECRET).expect("base32");
        assert_eq!(key.len(), samspil_auth::totp::SECRET_BYTES);
    }

    #[test]
    fn mail_domains_are_ascii() {
        assert_eq!(
            mail_domain("Høje-Taastrup"),
            "hoeje-taastrup.kommune.example"
        );
        assert_eq!(mail_domain("Ærø"), "aeroe.kommune.example");
    }
}
