// `IncidentFileStore`: an incident's files on both backends; included into
// the `incidents` module of `shared.rs` after `incidents.rs`, whose
// helpers (`party_of`, `rule`) it uses.

use samspil_domain::files::check_file;
use samspil_tools_storage::{IncidentFile, IncidentFileStore, NewIncidentFile};

type FileRow = (i64, i64, String, String, String, i64, OffsetDateTime);

macro_rules! file_select {
    ($rest:literal) => {
        concat!(
            "SELECT f.id, f.incident_id, o.name, f.file_name, f.content_type, f.size_bytes, \
             f.uploaded_at FROM incident_files f JOIN organisations o ON o.id = f.org_id ",
            $rest
        )
    };
}

fn file_record(row: FileRow) -> IncidentFile {
    let (id, incident, org_name, file_name, content_type, size_bytes, uploaded_at) = row;
    IncidentFile {
        id,
        incident: IncidentId(incident),
        org_name,
        file_name,
        content_type,
        size_bytes,
        uploaded_at,
    }
}

#[async_trait]
impl IncidentFileStore for Store {
    async fn add_incident_file(
        &self,
        access: &OrgAccess,
        id: IncidentId,
        file: &NewIncidentFile,
        at: OffsetDateTime,
    ) -> Result<i64> {
        let checked = check_file(&file.file_name, file.content.len())?;
        let mut tx = begin_write(&self.pool).await?;
        let parts: Option<String> = sqlx::query_scalar("SELECT parts FROM incidents WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let incident = from_json(&parts.ok_or(StorageError::NotFound("incident"))?)?;
        let party = party_of(&mut tx, access.org_id()).await?;
        if !samspil_tools::incident::may_handle_files(
            party.as_ref().map(|p| &p.party),
            Some(access.org_id()),
            &incident,
        ) {
            // Its existence is not told.
            return Err(StorageError::NotFound("incident"));
        }
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO incident_files (incident_id, org_id, user_id, file_name, content_type, \
             size_bytes, sha256, content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(id.0)
        .bind(access.org_id().0)
        .bind(access.actor().user_id.map(|u| u.0))
        .bind(&checked.file_name)
        .bind(checked.content_type)
        .bind(file.content.len() as i64)
        .bind(&file.sha256)
        .bind(&file.content)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(access.org_id()),
                "incident.file.add",
                "incident",
                id.0,
            )
            .after(serde_json::json!({
                "file": file_id, "file_name": checked.file_name,
                "size_bytes": file.content.len(), "sha256": file.sha256,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(file_id)
    }

    async fn incident_files(&self, id: IncidentId) -> Result<Vec<IncidentFile>> {
        let rows: Vec<FileRow> = sqlx::query_as(file_select!("WHERE f.incident_id = $1 ORDER BY f.id"))
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(file_record).collect())
    }

    async fn incident_file(
        &self,
        id: IncidentId,
        file: i64,
    ) -> Result<Option<(IncidentFile, Vec<u8>)>> {
        let row: Option<FileRow> =
            sqlx::query_as(file_select!("WHERE f.incident_id = $1 AND f.id = $2"))
                .bind(id.0)
                .bind(file)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let content: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM incident_files WHERE id = $1")
                .bind(file)
                .fetch_one(&self.pool)
                .await?;
        Ok(Some((file_record(row), content)))
    }
}
