// Organisations, org units and people (`OrganisationStore`): SQL both
// backends accept, compiled into each backend beside `shared.rs` (see
// the note at the top of that file). Included as the module `organisations`.

macro_rules! org_select {
    () => {
        "SELECT id, key, kind, name, official_name, code, region FROM organisations "
    };
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    key: String,
    kind: String,
    name: String,
    official_name: String,
    code: Option<i32>,
    region: Option<String>,
}

impl TryFrom<OrgRow> for Organisation {
    type Error = StorageError;

    fn try_from(row: OrgRow) -> Result<Self> {
        let kind = OrgKind::parse(&row.kind)
            .ok_or_else(|| StorageError::Corrupt(format!("organisation kind '{}'", row.kind)))?;
        let code = municipality_code(row.code)?;
        Ok(Organisation {
            id: OrgId(row.id),
            key: row.key,
            kind,
            name: row.name,
            official_name: row.official_name,
            code,
            region: row.region,
        })
    }
}

fn org_json(org: &ReferenceOrganisation) -> serde_json::Value {
    serde_json::json!({
        "key": org.key,
        "kind": org.kind.as_str(),
        "name": org.name,
        "official_name": org.official_name,
        "code": org.code.map(|c| c.get()),
        "region": org.region,
    })
}

fn user_json(user: &User) -> serde_json::Value {
    serde_json::json!({
        "login": user.login.as_str(),
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.as_str(),
        "user_type": user.user_type.as_str(),
        "org_unit_id": user.org_unit_id.map(|id| id.0),
        "active": user.active,
    })
}

#[async_trait]
impl OrganisationStore for Store {
    async fn sync_reference_organisations(
        &self,
        orgs: &[ReferenceOrganisation],
        actor: &Actor,
    ) -> Result<SyncReport> {
        let mut tx = begin_write(&self.pool).await?;
        let mut report = SyncReport::default();
        for org in orgs {
            let existing = sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE key = $1"))
                .bind(&org.key)
                .fetch_optional(&mut *tx)
                .await?;
            let code = org.code.map(|c| i32::from(c.get()));
            let (id, action, before) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO organisations (key, kind, name, official_name, code, region, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(&org.key)
                    .bind(org.kind.as_str())
                    .bind(&org.name)
                    .bind(&org.official_name)
                    .bind(code)
                    .bind(&org.region)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await?;
                    report.created += 1;
                    (id, "organisation.create", None)
                }
                Some(row) => {
                    let current = Organisation::try_from(row)?;
                    let unchanged = current.kind == org.kind
                        && current.name == org.name
                        && current.official_name == org.official_name
                        && current.code == org.code
                        && current.region == org.region;
                    if unchanged {
                        report.unchanged += 1;
                        continue;
                    }
                    sqlx::query(
                        "UPDATE organisations SET kind = $2, name = $3, official_name = $4, code = $5, \
                         region = $6 WHERE id = $1",
                    )
                    .bind(current.id.0)
                    .bind(org.kind.as_str())
                    .bind(&org.name)
                    .bind(&org.official_name)
                    .bind(code)
                    .bind(&org.region)
                    .execute(&mut *tx)
                    .await?;
                    report.updated += 1;
                    let before = ReferenceOrganisation {
                        key: current.key,
                        kind: current.kind,
                        name: current.name,
                        official_name: current.official_name,
                        code: current.code,
                        region: current.region,
                    };
                    (current.id.0, "organisation.update", Some(org_json(&before)))
                }
            };
            append_audit(
                &mut tx,
                &AuditEntry {
                    actor: actor.clone(),
                    org_id: Some(OrgId(id)),
                    action,
                    entity_type: "organisation",
                    entity_id: id.to_string(),
                    before,
                    after: Some(org_json(org)),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        // Community first, then KL, then the municipalities by code.
        sqlx::query_as::<_, OrgRow>(
            concat!(
                org_select!(),
                "ORDER BY CASE kind WHEN 'community' THEN 0 WHEN 'association' THEN 1 ELSE 2 END, code, name"
            ),
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Organisation::try_from)
        .collect()
    }

    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>> {
        sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn organisation_by_key(&self, key: &str) -> Result<Option<Organisation>> {
        sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn org_units(&self, access: &OrgAccess) -> Result<Vec<OrgUnit>> {
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT ou.id, ou.org_id, ou.name, \
             (SELECT COUNT(*) FROM users u WHERE u.org_unit_id = ou.id) AS user_count \
             FROM org_units ou WHERE ou.org_id = $1 ORDER BY ou.name",
        )
        .bind(access.org_id().0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, org_id, name, user_count)| OrgUnit {
                id: OrgUnitId(id),
                org_id: OrgId(org_id),
                name,
                user_count,
            })
            .collect())
    }

    async fn directory_unit_uuids(&self, org_id: OrgId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT external_id FROM org_units WHERE org_id = $1 AND external_id IS NOT NULL \
             ORDER BY external_id",
        )
        .bind(org_id.0)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn create_org_unit(&self, access: &OrgAccess, name: &str) -> Result<OrgUnit> {
        require_administer(access)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(
                samspil_domain::ValidationError::new("name", "an org unit needs a name").into(),
            );
        }
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_units (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(access.org_id().0)
        .bind(name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Conflict(format!("an org unit named '{name}' exists already"))
            }
            other => other,
        })?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "org_unit.create",
                entity_type: "org_unit",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "name": name })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(OrgUnit {
            id: OrgUnitId(id),
            org_id: access.org_id(),
            name: name.to_owned(),
            user_count: 0,
        })
    }

    async fn users(&self, access: &OrgAccess) -> Result<Vec<User>> {
        sqlx::query_as::<_, UserRow>(concat!(
            user_select!(),
            "WHERE u.org_id = $1 ORDER BY u.display_name, u.login"
        ))
        .bind(access.org_id().0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
    }

    async fn create_user(&self, access: &OrgAccess, user: &NewUser) -> Result<User> {
        require_administer(access)?;
        let mut tx = begin_write(&self.pool).await?;
        let org = sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE id = $1"))
            .bind(access.org_id().0)
            .fetch_optional(&mut *tx)
            .await?
            .map(Organisation::try_from)
            .transpose()?
            .ok_or(StorageError::NotFound("organisation"))?;
        samspil_domain::user::check_role_fits_organisation(user.role, org.kind)?;
        if let Some(unit) = user.org_unit_id {
            let unit_org: Option<i64> =
                sqlx::query_scalar("SELECT org_id FROM org_units WHERE id = $1")
                    .bind(unit.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if unit_org != Some(org.id.0) {
                return Err(samspil_domain::ValidationError::new(
                    "org_unit",
                    format!("org unit {} does not belong to {}", unit.0, org.name),
                )
                .into());
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (org_id, org_unit_id, login, display_name, email, phone, job_title, \
             role, user_type, active, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $11) RETURNING id",
        )
        .bind(org.id.0)
        .bind(user.org_unit_id.map(|u| u.0))
        .bind(user.login.as_str())
        .bind(&user.display_name)
        .bind(&user.email)
        .bind(&user.phone)
        .bind(&user.job_title)
        .bind(user.role.as_str())
        .bind(user.user_type.as_str())
        .bind(&user.password_hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Conflict(format!("the login '{}' is taken already", user.login))
            }
            other => other,
        })?;
        let created = fetch_user(&mut tx, UserId(id))
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(org.id),
                action: "user.create",
                entity_type: "user",
                entity_id: id.to_string(),
                before: None,
                after: Some(user_json(&created)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        fetch_user(&mut conn, id).await
    }

    async fn set_user_type(
        &self,
        access: &OrgAccess,
        user: UserId,
        seen: UserType,
        wanted: UserType,
    ) -> Result<User> {
        require_administer(access)?;
        let mut tx = begin_write(&self.pool).await?;
        let before = fetch_user(&mut tx, user)
            .await?
            .filter(|u| u.org_id == access.org_id())
            .ok_or(StorageError::NotFound("user"))?;
        if !samspil_domain::user::check_user_type_change(
            access.actor().user_id,
            user,
            seen,
            before.user_type,
            wanted,
        )? {
            return Ok(before);
        }
        // Conditional on the type read above: of two changes at once, the
        // second finds no row to change (on PostgreSQL it waits for the
        // first's commit and reads its type) and is refused as changed
        // meanwhile, instead of overwriting a decision it never saw.
        let changed = sqlx::query(
            "UPDATE users SET user_type = $4 WHERE id = $1 AND org_id = $2 AND user_type = $3",
        )
        .bind(user.0)
        .bind(access.org_id().0)
        .bind(before.user_type.as_str())
        .bind(wanted.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            drop(tx);
            let now = self
                .user(user)
                .await?
                .ok_or(StorageError::NotFound("user"))?;
            samspil_domain::user::check_user_type_change(
                access.actor().user_id,
                user,
                seen,
                now.user_type,
                wanted,
            )?;
            return Ok(now);
        }
        let after = fetch_user(&mut tx, user)
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "user.user_type",
                entity_type: "user",
                entity_id: user.0.to_string(),
                before: Some(serde_json::json!({ "user_type": before.user_type.as_str() })),
                after: Some(serde_json::json!({ "user_type": after.user_type.as_str() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn set_language(&self, user: UserId, language: samspil_domain::Language) -> Result<()> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.code())
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
