// `ContactListStore`: the community's contact lists, on both backends;
// included into the `roles` module of `shared.rs`, beside the helpers and
// rows of `roles.rs` it uses.

#[async_trait]
impl ContactListStore for Store {
    async fn contact_lists(&self, _access: &CommunityAccess) -> Result<Vec<ContactList>> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT l.id, l.name, l.description, \
             (SELECT COUNT(*) FROM contact_entries e WHERE e.list_id = l.id) \
             FROM contact_lists l ORDER BY l.name",
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, entry_count)| ContactList {
                id,
                name,
                description,
                entry_count,
            })
            .collect())
    }

    async fn create_contact_list(
        &self,
        access: &CommunityAccess,
        name: &str,
        description: &str,
    ) -> Result<ContactList> {
        let pool = &self.pool;
        let name = checked_text("name", name, 1, 200)?;
        let description = checked_text("description", description, 0, 2_000)?;
        let mut tx = begin_write(pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_lists (name, description, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&name)
        .bind(&description)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Invalid(samspil_domain::ValidationError::named_with(
                    "name",
                    "contact-list-name-taken",
                    vec![("name", name.to_owned())],
                    format!("a contact list named '{name}' exists already"),
                ))
            }
            other => other,
        })?;
        let list = ContactList {
            id,
            name,
            description,
            entry_count: 0,
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "contact_list.create",
                "contact_list",
                id,
            )
            .after(serde_json::to_value(&list).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    async fn contact_entries(
        &self,
        _access: &CommunityAccess,
        list: i64,
    ) -> Result<Vec<ContactEntry>> {
        contact_entries(&self.pool, list).await
    }

    async fn add_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: &NewContactEntry,
    ) -> Result<ContactEntry> {
        let pool = &self.pool;
        let checked = CheckedEntry::of(entry)?;
        let mut tx = begin_write(pool).await?;
        checked.check_references(&mut tx, list).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contact_entries (list_id, org_id, name, email, phone, role_title, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(list)
        .bind(checked.org_id.map(|o| o.0))
        .bind(&checked.name)
        .bind(&checked.email)
        .bind(&checked.phone)
        .bind(&checked.function)
        .bind(&checked.note)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                checked.org_id,
                "contact_entry.create",
                "contact_entry",
                id,
            )
            .after(checked.audited(list)),
        )
        .await?;
        tx.commit().await?;
        find_contact_entry(pool, list, id).await
    }

    async fn update_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        id: i64,
        changed: &NewContactEntry,
    ) -> Result<ContactEntry> {
        let pool = &self.pool;
        let checked = CheckedEntry::of(changed)?;
        let mut tx = begin_write(pool).await?;
        checked.check_references(&mut tx, list).await?;
        // The entry as it was, read under the row's lock, goes into the
        // audit entry beside what replaced it.
        let before: Option<(
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
        )> = sqlx::query_as(concat!(
            "SELECT org_id, name, email, phone, role_title, note FROM contact_entries \
                 WHERE list_id = $1 AND id = $2",
            for_update!()
        ))
        .bind(list)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((org_id, name, email, phone, function, note)) = before else {
            return Err(StorageError::NotFound("contact entry"));
        };
        sqlx::query(
            "UPDATE contact_entries SET org_id = $1, name = $2, email = $3, phone = $4, \
             role_title = $5, note = $6 WHERE list_id = $7 AND id = $8",
        )
        .bind(checked.org_id.map(|o| o.0))
        .bind(&checked.name)
        .bind(&checked.email)
        .bind(&checked.phone)
        .bind(&checked.function)
        .bind(&checked.note)
        .bind(list)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                checked.org_id,
                "contact_entry.update",
                "contact_entry",
                id,
            )
            .before(serde_json::json!({
                "list_id": list, "org_id": org_id, "name": name, "email": email,
                "phone": phone, "function": function, "note": note,
            }))
            .after(checked.audited(list)),
        )
        .await?;
        tx.commit().await?;
        find_contact_entry(pool, list, id).await
    }

    async fn delete_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        id: i64,
    ) -> Result<()> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let deleted = sqlx::query("DELETE FROM contact_entries WHERE list_id = $1 AND id = $2")
            .bind(list)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Err(StorageError::NotFound("contact entry"));
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "contact_entry.delete",
                "contact_entry",
                id,
            )
            .before(serde_json::json!({ "list_id": list })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An entry's fields as the lists keep them: trimmed, within their
/// lengths, the e-mail address shaped like one. Adding and changing an
/// entry check the same way.
struct CheckedEntry {
    org_id: Option<OrgId>,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    function: String,
    note: String,
}

impl CheckedEntry {
    fn of(entry: &NewContactEntry) -> Result<Self> {
        let name = checked_text("name", &entry.name, 1, 200)?;
        let email = optional_text("email", entry.email.as_deref(), 254)?;
        if email.as_deref().is_some_and(|e| {
            !e.contains('@')
                || e.starts_with('@')
                || e.ends_with('@')
                || e.contains(char::is_whitespace)
        }) {
            return Err(
                ValidationError::named("email", "not-an-email", "not an e-mail address").into(),
            );
        }
        Ok(CheckedEntry {
            org_id: entry.org_id,
            name,
            email,
            phone: optional_text("phone", entry.phone.as_deref(), 40)?,
            function: checked_text("function", &entry.function, 0, 200)?,
            note: checked_text("note", &entry.note, 0, 1_000)?,
        })
    }

    /// The list and the organisation the entry names must exist.
    async fn check_references(&self, conn: &mut Connection, list: i64) -> Result<()> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM contact_lists WHERE id = $1")
            .bind(list)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(StorageError::NotFound("contact list"));
        }
        if let Some(org) = self.org_id {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1")
                    .bind(org.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            if found.is_none() {
                return Err(ValidationError::named(
                    "org",
                    "org-unknown",
                    format!("there is no organisation {}", org.0),
                )
                .into());
            }
        }
        Ok(())
    }

    fn audited(&self, list: i64) -> serde_json::Value {
        serde_json::json!({ "list_id": list, "name": self.name, "email": self.email })
    }
}

async fn find_contact_entry(pool: &sqlx::Pool<Db>, list: i64, id: i64) -> Result<ContactEntry> {
    contact_entries(pool, list)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(StorageError::NotFound("contact entry"))
}
