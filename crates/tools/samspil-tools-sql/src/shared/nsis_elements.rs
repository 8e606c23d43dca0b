// `NsisElementStore`: the catalogue of risk and control elements, on both
// backends; included into the `nsis_elements` module of `shared.rs`.

type ElementRow = (i64, String, String, String, bool);

fn element(row: ElementRow) -> Result<NsisElement> {
    let (id, kind, name, description, active) = row;
    Ok(NsisElement {
        id,
        kind: stored_kind(&kind)?,
        name,
        description,
        active,
    })
}

fn description(text: &str) -> Result<String> {
    Ok(
        samspil_domain::input::free_text("description", text, nsis::MAX_RATIONALE_CHARS)?
            .unwrap_or_default()
            .to_owned(),
    )
}

fn name_taken(name: &str) -> impl Fn(sqlx::Error) -> StorageError + '_ {
    move |e| match StorageError::from(e) {
        StorageError::Conflict(_) => StorageError::Conflict(format!(
            "an element of that kind named '{name}' exists already"
        )),
        other => other,
    }
}

#[async_trait]
impl NsisElementStore for Store {
    async fn nsis_elements(&self) -> Result<Vec<NsisElement>> {
        let rows: Vec<ElementRow> = sqlx::query_as(
            "SELECT id, kind, name, description, active FROM nsis_elements \
             ORDER BY CASE kind WHEN 'risk' THEN 0 ELSE 1 END, name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(element).collect()
    }

    async fn add_nsis_element(
        &self,
        access: &CommunityAccess,
        new: &NewNsisElement,
    ) -> Result<NsisElement> {
        let name = nsis::element_name(&new.name)?;
        let description = description(&new.description)?;
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO nsis_elements (kind, name, description, active, created_at) \
             VALUES ($1, $2, $3, TRUE, $4) RETURNING id",
        )
        .bind(new.kind.code())
        .bind(&name)
        .bind(&description)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken(&name))?;
        let added = NsisElement {
            id,
            kind: new.kind,
            name,
            description,
            active: true,
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_element.create",
                "nsis_element",
                id,
            )
            .after(serde_json::to_value(&added).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn change_nsis_element(
        &self,
        access: &CommunityAccess,
        id: i64,
        change: &NsisElementChange,
    ) -> Result<NsisElement> {
        let name = nsis::element_name(&change.name)?;
        let description = description(&change.description)?;
        let mut tx = begin_write(&self.pool).await?;
        let before: Option<ElementRow> = sqlx::query_as(concat!(
            "SELECT id, kind, name, description, active FROM nsis_elements WHERE id = $1",
            for_update!()
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let before = element(before.ok_or(StorageError::NotFound("NSIS element"))?)?;
        sqlx::query(
            "UPDATE nsis_elements SET name = $2, description = $3, active = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(&name)
        .bind(&description)
        .bind(change.active)
        .execute(&mut *tx)
        .await
        .map_err(name_taken(&name))?;
        let after = NsisElement {
            name,
            description,
            active: change.active,
            ..before.clone()
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_element.change",
                "nsis_element",
                id,
            )
            .before(serde_json::to_value(&before).unwrap_or_default())
            .after(serde_json::to_value(&after).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
