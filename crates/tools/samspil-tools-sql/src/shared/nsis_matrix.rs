// `NsisMatrixStore`: the versions of the matrix from scores to level, on
// both backends; included into the `nsis_matrix` module of `shared.rs`.

type MatrixRow = (i64, String, String, String, OffsetDateTime);

fn matrix_version(row: MatrixRow) -> Result<MatrixVersion> {
    let (version, rows_json, note, created_by, created_at) = row;
    let matrix: Matrix = serde_json::from_str(&rows_json)
        .map_err(|e| StorageError::Corrupt(format!("NSIS matrix version {version}: {e}")))?;
    Ok(MatrixVersion {
        version,
        matrix,
        note,
        created_by,
        created_at,
    })
}

macro_rules! matrix_select {
    () => {
        "SELECT version, rows_json, note, created_by, created_at FROM nsis_matrix_versions "
    };
}

/// The newest matrix version, read in a transaction (assessment versions
/// are evaluated against it).
pub(super) async fn current(
    conn: &mut <Db as sqlx::Database>::Connection,
) -> Result<MatrixVersion> {
    let row: MatrixRow = sqlx::query_as(concat!(matrix_select!(), "ORDER BY version DESC LIMIT 1"))
        .fetch_one(&mut *conn)
        .await?;
    matrix_version(row)
}

#[async_trait]
impl NsisMatrixStore for Store {
    async fn nsis_matrix_versions(&self) -> Result<Vec<MatrixVersion>> {
        let rows: Vec<MatrixRow> =
            sqlx::query_as(concat!(matrix_select!(), "ORDER BY version DESC"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(matrix_version).collect()
    }

    async fn current_nsis_matrix(&self) -> Result<MatrixVersion> {
        let mut conn = self.pool.acquire().await?;
        current(&mut conn).await
    }

    async fn publish_nsis_matrix(
        &self,
        access: &CommunityAccess,
        matrix: &Matrix,
        note: &str,
    ) -> Result<MatrixVersion> {
        let note = samspil_domain::input::free_text("note", note, nsis::MAX_RATIONALE_CHARS)?
            .unwrap_or_default()
            .to_owned();
        let rows_json = serde_json::to_string(matrix)
            .map_err(|e| StorageError::Corrupt(format!("NSIS matrix: {e}")))?;
        let mut tx = begin_write(&self.pool).await?;
        // The newest version, locked: two staff publishing at once get
        // versions one after the other (the primary key backs it up).
        let newest: i64 = sqlx::query_scalar(concat!(
            "SELECT version FROM nsis_matrix_versions ORDER BY version DESC LIMIT 1",
            for_update!()
        ))
        .fetch_one(&mut *tx)
        .await?;
        let version = newest + 1;
        let created_at = now();
        sqlx::query(
            "INSERT INTO nsis_matrix_versions (version, rows_json, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version)
        .bind(&rows_json)
        .bind(&note)
        .bind(&access.actor().label)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        let published = MatrixVersion {
            version,
            matrix: matrix.clone(),
            note,
            created_by: access.actor().label.clone(),
            created_at,
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_matrix.publish",
                "nsis_matrix",
                version,
            )
            .after(serde_json::to_value(&published).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }
}
