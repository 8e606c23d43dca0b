// The organisation directory import. Included by `shared.rs` as the
// module `directory`.

use samspil_domain::ValidationError;
use samspil_domain::directory::{DirectorySnapshot, EmployeeRecord};
use samspil_storage::DirectoryReport;

#[derive(sqlx::FromRow)]
struct KnownUser {
    id: i64,
    org_id: i64,
    login: String,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    job_title: Option<String>,
    org_unit_id: Option<i64>,
    role: String,
    user_type: String,
    active: bool,
    external_id: Option<String>,
}

const KNOWN_USER: &str = "SELECT id, org_id, login, display_name, email, phone, job_title, \
     org_unit_id, role, user_type, active, external_id FROM users ";

impl KnownUser {
    fn as_json(&self) -> serde_json::Value {
        serde_json::json!({
            "org_id": self.org_id, "login": self.login, "name": self.display_name,
            "email": self.email, "phone": self.phone, "job_title": self.job_title,
            "org_unit_id": self.org_unit_id, "role": self.role, "user_type": self.user_type,
            "active": self.active,
        })
    }

    fn differs_from(&self, e: &EmployeeRecord, unit: Option<i64>, org: i64) -> bool {
        let (role, user_type) = kept_or_given(e, Some(self), org);
        self.org_id != org
            || self.login != e.login.as_str()
            || self.display_name != e.name
            || self.email != e.email
            || self.phone != e.phone
            || self.job_title != e.job_title
            || self.org_unit_id != unit
            || self.role != role
            || self.user_type != user_type
            || !self.active
    }
}

/// The access role and user type a person gets: the directory's when it
/// has them; otherwise what the person has in this municipality (a source
/// without the notion must not demote an administrator at every sync), and
/// a plain ordinary user for someone new here.
fn kept_or_given<'a>(
    e: &EmployeeRecord,
    known: Option<&'a KnownUser>,
    org: i64,
) -> (&'a str, &'a str) {
    let here = known.filter(|user| user.org_id == org);
    let role = match (e.access_role, here) {
        (Some(role), _) => role.as_str(),
        (None, Some(user)) => user.role.as_str(),
        (None, None) => samspil_domain::AccessRole::User.as_str(),
    };
    let user_type = match (e.user_type, here) {
        (Some(user_type), _) => user_type.as_str(),
        (None, Some(user)) => user.user_type.as_str(),
        (None, None) => samspil_domain::UserType::Ordinary.as_str(),
    };
    (role, user_type)
}

fn employee_json(
    e: &EmployeeRecord,
    known: Option<&KnownUser>,
    unit: Option<i64>,
    org: i64,
) -> serde_json::Value {
    let (role, user_type) = kept_or_given(e, known, org);
    serde_json::json!({
        "org_id": org, "login": e.login.as_str(), "name": e.name, "email": e.email,
        "phone": e.phone, "job_title": e.job_title, "org_unit_id": unit,
        "role": role, "user_type": user_type, "active": true,
    })
}

/// The people the directory no longer has: active, managed by the
/// directory, absent from the snapshot; with how many active people the
/// directory manages. The import deactivates exactly these, and the
/// preview counts them, so the sync's safety net judges the same rule.
async fn gone(
    conn: &mut Connection,
    org: i64,
    snapshot: &DirectorySnapshot,
) -> Result<(u64, Vec<KnownUser>)> {
    let present: std::collections::HashSet<&str> =
        snapshot.employees.iter().map(|e| e.uuid.as_str()).collect();
    let active: Vec<KnownUser> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{KNOWN_USER}WHERE org_id = $1 AND external_id IS NOT NULL AND active"
    )))
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let count = active.len() as u64;
    let gone = active
        .into_iter()
        .filter(|u| !present.contains(u.external_id.as_deref().unwrap_or_default()))
        .collect();
    Ok((count, gone))
}

/// A person who moved here from another municipality keeps their history
/// but not the old municipality's roles, access or tasks; the old
/// municipality's administrators see it in their audit log.
async fn move_out(
    tx: &mut Connection,
    access: &OrgAccess,
    user: &KnownUser,
    as_of: time::Date,
) -> Result<()> {
    let last_day = as_of.previous_day().unwrap_or(as_of);
    sqlx::query(
        "DELETE FROM role_assignments WHERE user_id = $1 AND org_id = $2 AND starts_on >= $3",
    )
    .bind(user.id)
    .bind(user.org_id)
    .bind(as_of)
    .execute(&mut *tx)
    .await?;
    let ended = sqlx::query(
        "UPDATE role_assignments SET ends_on = $3 WHERE user_id = $1 AND org_id = $2 \
         AND (ends_on IS NULL OR ends_on > $3)",
    )
    .bind(user.id)
    .bind(user.org_id)
    .bind(last_day)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let revoked = sqlx::query("DELETE FROM solution_access WHERE user_id = $1 AND org_id = $2")
        .bind(user.id)
        .bind(user.org_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM task_assignments WHERE user_id = $1 AND org_id = $2")
        .bind(user.id)
        .bind(user.org_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    append_audit(
        tx,
        &AuditEntry::new(
            access.actor(),
            Some(OrgId(user.org_id)),
            "user.moved_out",
            "user",
            user.id,
        )
        .before(user.as_json())
        .after(serde_json::json!({
            "moved_to": access.org_id().0,
            "role_assignments_ended": ended,
            "solution_access_revoked": revoked,
        })),
    )
    .await
}

#[async_trait]
impl DirectoryImportStore for Store {
    async fn import_directory(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<DirectoryReport> {
        let pool = &self.pool;
        let org = access.org_id().0;
        let actor = access.actor();
        let mut report = DirectoryReport::default();
        let mut tx = begin_write(pool).await?;
        // One import of a municipality at a time (a file import beside the
        // scheduled sync): each decides on the people and units it finds, so a
        // second one waits here and then finds the first one's.
        sqlx::query(concat!(
            "SELECT id FROM organisations WHERE id = $1",
            for_update!()
        ))
        .bind(org)
        .fetch_optional(&mut *tx)
        .await?;

        if snapshot.employees.is_empty() {
            let known: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE org_id = $1 AND external_id IS NOT NULL AND active",
            )
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
            if known > 0 {
                return Err(ValidationError::new(
                    "employees",
                    format!(
                        "the directory has no employees valid on {}; an empty answer never \
                         deactivates everyone, so nothing was changed",
                        snapshot.as_of
                    ),
                )
                .into());
            }
        }

        // Units first: employees point at them.
        let mut unit_ids: Vec<(&str, i64)> = Vec::new();
        for unit in &snapshot.units {
            let known: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, name FROM org_units WHERE org_id = $1 \
                 AND (external_id = $2 OR (external_id IS NULL AND name = $3)) \
                 ORDER BY external_id IS NULL LIMIT 1",
            )
            .bind(org)
            .bind(&unit.uuid)
            .bind(&unit.name)
            .fetch_optional(&mut *tx)
            .await?;
            let taken: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM org_units WHERE org_id = $1 AND name = $2 \
                 AND external_id IS NOT NULL AND external_id <> $3",
            )
            .bind(org)
            .bind(&unit.name)
            .bind(&unit.uuid)
            .fetch_optional(&mut *tx)
            .await?;
            let clash = match &known {
                Some((id, _)) => {
                    sqlx::query_scalar::<_, i64>(
                        "SELECT id FROM org_units WHERE org_id = $1 AND name = $2 AND id <> $3",
                    )
                    .bind(org)
                    .bind(&unit.name)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                None => taken,
            };
            if clash.is_some() {
                return Err(ValidationError::new(
                    "name",
                    format!(
                        "{}: another org unit in samspil is already called '{}'",
                        unit.uuid, unit.name
                    ),
                )
                .into());
            }
            let id = match known {
                Some((id, name)) => {
                    let changed = sqlx::query(
                        "UPDATE org_units SET name = $2, external_id = $3 WHERE id = $1 \
                         AND (name <> $2 OR external_id IS NULL OR external_id <> $3)",
                    )
                    .bind(id)
                    .bind(&unit.name)
                    .bind(&unit.uuid)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if changed > 0 {
                        report.units_updated += 1;
                        append_audit(
                            &mut tx,
                            &AuditEntry::new(
                                actor,
                                Some(access.org_id()),
                                "org_unit.update",
                                "org_unit",
                                id,
                            )
                            .before(serde_json::json!({ "name": name }))
                            .after(serde_json::json!({ "name": unit.name, "uuid": unit.uuid })),
                        )
                        .await?;
                    }
                    id
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO org_units (org_id, name, created_at, external_id) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(org)
                    .bind(&unit.name)
                    .bind(now())
                    .bind(&unit.uuid)
                    .fetch_one(&mut *tx)
                    .await?;
                    report.units_created += 1;
                    append_audit(
                        &mut tx,
                        &AuditEntry::new(
                            actor,
                            Some(access.org_id()),
                            "org_unit.create",
                            "org_unit",
                            id,
                        )
                        .after(serde_json::json!({ "name": unit.name, "uuid": unit.uuid })),
                    )
                    .await?;
                    id
                }
            };
            unit_ids.push((&unit.uuid, id));
        }

        for employee in &snapshot.employees {
            let unit = employee.org_unit.as_deref().and_then(|u| {
                unit_ids
                    .iter()
                    .find(|(uuid, _)| *uuid == u)
                    .map(|(_, id)| *id)
            });
            let by_uuid: Option<KnownUser> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{KNOWN_USER}WHERE external_id = $1"
            )))
            .bind(&employee.uuid)
            .fetch_optional(&mut *tx)
            .await?;
            let known = match by_uuid {
                Some(user) => Some(user),
                None => {
                    let by_login: Option<KnownUser> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "{KNOWN_USER}WHERE login = $1"
                    )))
                    .bind(employee.login.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                    match by_login {
                        // A person made by hand before the directory came: adopted.
                        Some(user)
                            if user.org_id == org
                                && user.external_id.is_none()
                                && user.role != "staff" =>
                        {
                            Some(user)
                        }
                        Some(_) => {
                            return Err(ValidationError::new(
                                "user_key",
                                format!(
                                    "{}: the login {} belongs to someone else in samspil",
                                    employee.uuid, employee.login
                                ),
                            )
                            .into());
                        }
                        None => None,
                    }
                }
            };
            match known {
                None => {
                    let (role, user_type) = kept_or_given(employee, None, org);
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (org_id, org_unit_id, login, display_name, email, phone, \
                         job_title, role, user_type, active, created_at, external_id) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $11) RETURNING id",
                    )
                    .bind(org)
                    .bind(unit)
                    .bind(employee.login.as_str())
                    .bind(&employee.name)
                    .bind(&employee.email)
                    .bind(&employee.phone)
                    .bind(&employee.job_title)
                    .bind(role)
                    .bind(user_type)
                    .bind(now())
                    .bind(&employee.uuid)
                    .fetch_one(&mut *tx)
                    .await?;
                    report.users_created += 1;
                    append_audit(
                        &mut tx,
                        &AuditEntry::new(actor, Some(access.org_id()), "user.create", "user", id)
                            .after(employee_json(employee, None, unit, org)),
                    )
                    .await?;
                }
                Some(user)
                    if user.differs_from(employee, unit, org) || user.external_id.is_none() =>
                {
                    let (role, user_type) = kept_or_given(employee, Some(&user), org);
                    if user.org_id != org {
                        move_out(&mut tx, access, &user, snapshot.as_of).await?;
                        report.users_moved.push(user.login.clone());
                    }
                    sqlx::query(
                        "UPDATE users SET org_id = $2, org_unit_id = $3, login = $4, display_name = $5, \
                         email = $6, phone = $7, job_title = $8, role = $9, user_type = $10, \
                         active = TRUE, external_id = $11 WHERE id = $1",
                    )
                    .bind(user.id)
                    .bind(org)
                    .bind(unit)
                    .bind(employee.login.as_str())
                    .bind(&employee.name)
                    .bind(&employee.email)
                    .bind(&employee.phone)
                    .bind(&employee.job_title)
                    .bind(role)
                    .bind(user_type)
                    .bind(&employee.uuid)
                    .execute(&mut *tx)
                    .await?;
                    report.users_updated += 1;
                    append_audit(
                        &mut tx,
                        &AuditEntry::new(
                            actor,
                            Some(access.org_id()),
                            "user.update",
                            "user",
                            user.id,
                        )
                        .before(user.as_json())
                        .after(employee_json(
                            employee,
                            Some(&user),
                            unit,
                            org,
                        )),
                    )
                    .await?;
                }
                Some(_) => {}
            }
        }

        // Whoever the directory no longer has is deactivated (kept, with their
        // history; the role gallery shows their roles as held by a disabled
        // account until someone else takes them).
        let (_, gone) = gone(&mut tx, org, snapshot).await?;
        for user in gone {
            sqlx::query("UPDATE users SET active = FALSE WHERE id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            report.users_deactivated += 1;
            append_audit(
                &mut tx,
                &AuditEntry::new(
                    actor,
                    Some(access.org_id()),
                    "user.deactivate",
                    "user",
                    user.id,
                )
                .before(user.as_json()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn preview_directory_deactivations(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<samspil_storage::DeactivationPreview> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        let (active, gone) = gone(&mut conn, access.org_id().0, snapshot).await?;
        Ok(samspil_storage::DeactivationPreview {
            active,
            would_deactivate: gone.len() as u64,
        })
    }
}
