// `AgreementDocumentStore`: an agreement's document versions and the
// municipalities' signed documents, on both backends; included into the
// `agreement_documents` module of `shared.rs`.

use samspil_domain::files::check_file;
use samspil_tools_storage::{AgreementDocumentStore, KeptFile, NewFile};

type FileRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    OffsetDateTime,
);

fn kept(row: FileRow) -> KeptFile {
    let (id, agreement_id, version, note, file_name, content_type, size_bytes, sha256, by, at) =
        row;
    KeptFile {
        id,
        agreement_id,
        version,
        note,
        file_name,
        content_type,
        size_bytes,
        sha256,
        uploaded_by: by,
        uploaded_at: at,
    }
}

const DOCUMENT_COLUMNS: &str = "SELECT id, agreement_id, CAST(version AS BIGINT), note, file_name, \
     content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM agreement_documents";

const SIGNED_COLUMNS: &str = "SELECT id, agreement_id, answer_id, '' AS note, file_name, \
     content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM agreement_signed_documents";

fn too_large(size: usize) -> Result<i64> {
    i64::try_from(size).map_err(|_| StorageError::Invalid(ValidationError::new("size", "too large")))
}

#[async_trait]
impl AgreementDocumentStore for Store {
    async fn add_document_version(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        note: &str,
        file: &NewFile,
    ) -> Result<KeptFile> {
        let checked = check_file(&file.file_name, file.content.len())?;
        let note = samspil_domain::input::free_text("note", note, 2_000)?
            .ok_or_else(|| ValidationError::new("note", "say what changed in this version"))?
            .to_owned();
        let size = too_large(file.content.len())?;
        let mut tx = begin_write(&self.pool).await?;
        // Locked, so that two uploads at once take two numbers.
        lock_agreement(&mut tx, agreement).await?;
        let version: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM agreement_documents \
             WHERE agreement_id = $1",
        )
        .bind(agreement)
        .fetch_one(&mut *tx)
        .await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agreement_documents (agreement_id, version, note, file_name, content_type, \
             size_bytes, sha256, content, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(agreement)
        .bind(i32::try_from(version).unwrap_or(i32::MAX))
        .bind(&note)
        .bind(&checked.file_name)
        .bind(checked.content_type)
        .bind(size)
        .bind(&file.sha256)
        .bind(&file.content)
        .bind(&access.actor().label)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "agreement.document.add",
                "agreement",
                agreement,
            )
            .after(serde_json::json!({
                "document_id": id, "version": version, "note": note,
                "file_name": checked.file_name, "size_bytes": size, "sha256": file.sha256,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(KeptFile {
            id,
            agreement_id: agreement,
            version,
            note,
            file_name: checked.file_name,
            content_type: checked.content_type.to_owned(),
            size_bytes: size,
            sha256: file.sha256.clone(),
            uploaded_by: access.actor().label.clone(),
            uploaded_at: at,
        })
    }

    async fn document_versions(&self, agreement: i64) -> Result<Vec<KeptFile>> {
        let sql = format!("{DOCUMENT_COLUMNS} WHERE agreement_id = $1 ORDER BY version DESC");
        let rows: Vec<FileRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(agreement)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(kept).collect())
    }

    async fn document_content(
        &self,
        agreement: i64,
        id: i64,
    ) -> Result<Option<(KeptFile, Vec<u8>)>> {
        let sql = format!("{DOCUMENT_COLUMNS} WHERE agreement_id = $1 AND id = $2");
        let row: Option<FileRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(agreement)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let content: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM agreement_documents WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Some((kept(row), content)))
    }

    async fn add_signed_document(
        &self,
        access: &OrgAccess,
        agreement: i64,
        file: &NewFile,
    ) -> Result<KeptFile> {
        require_administer(access)?;
        let checked = check_file(&file.file_name, file.content.len())?;
        // A signature is a PDF: by its name and by its first bytes.
        if checked.content_type != "application/pdf" || !file.content.starts_with(b"%PDF-") {
            return Err(ValidationError::new("file", "the signed document is a PDF file").into());
        }
        let size = too_large(file.content.len())?;
        let org = access.org_id();
        let mut tx = begin_write(&self.pool).await?;
        // Locked: an answer given meanwhile waits, so the document goes with
        // the answer that stands.
        lock_agreement(&mut tx, agreement).await?;
        let current: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, state FROM agreement_answer_history WHERE agreement_id = $1 AND org_id = $2 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(agreement)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        let answer_id = match current {
            Some((id, state)) if state == "signed" || state == "signed_with_reservation" => id,
            _ => {
                return Err(ValidationError::new(
                    "answer",
                    "a signed document goes with a signature: answer signed first",
                )
                .into());
            }
        };
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agreement_signed_documents (agreement_id, org_id, answer_id, file_name, \
             content_type, size_bytes, sha256, content, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(agreement)
        .bind(org.0)
        .bind(answer_id)
        .bind(&checked.file_name)
        .bind(checked.content_type)
        .bind(size)
        .bind(&file.sha256)
        .bind(&file.content)
        .bind(&access.actor().label)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(org),
                "agreement.signed_document.add",
                "agreement",
                agreement,
            )
            .after(serde_json::json!({
                "document_id": id, "answer_id": answer_id, "file_name": checked.file_name,
                "size_bytes": size, "sha256": file.sha256,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(KeptFile {
            id,
            agreement_id: agreement,
            version: answer_id,
            note: String::new(),
            file_name: checked.file_name,
            content_type: checked.content_type.to_owned(),
            size_bytes: size,
            sha256: file.sha256.clone(),
            uploaded_by: access.actor().label.clone(),
            uploaded_at: at,
        })
    }

    async fn signed_documents(&self, agreement: i64, org: OrgId) -> Result<Vec<KeptFile>> {
        let sql = format!("{SIGNED_COLUMNS} WHERE agreement_id = $1 AND org_id = $2 ORDER BY id DESC");
        let rows: Vec<FileRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(agreement)
            .bind(org.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(kept).collect())
    }

    async fn signed_document_content(
        &self,
        agreement: i64,
        org: OrgId,
        id: i64,
    ) -> Result<Option<(KeptFile, Vec<u8>)>> {
        let sql = format!("{SIGNED_COLUMNS} WHERE agreement_id = $1 AND org_id = $2 AND id = $3");
        let row: Option<FileRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(agreement)
            .bind(org.0)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let content: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM agreement_signed_documents WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Some((kept(row), content)))
    }
}
