//! An agreement's document versions (staff upload each with a note;
//! everyone signed in lists and downloads them, newest first) and a
//! municipality's signed document (a PDF, with its signature; staff and
//! that municipality only). The file rules are the platform's
//! (`samspil_domain::files`), the upload and download the shell's
//! (`samspil_web::files`).

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samspil_domain::OrgId;
use samspil_tools_storage::{KeptFile, NewFile};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::files::{download_response, read_upload};
use samspil_web::i18n::Lang;
use samspil_web::routes::PageRoute;
use serde::Serialize;

use crate::ToolsState;
use crate::nsis::rfc3339;

// The shell reads an upload's body up to its limit before the CSRF check;
// a file and its form must fit.
const _: () = assert!(
    samspil_domain::files::MAX_FILE_BYTES + 64 * 1024 <= samspil_web::auth::MAX_UPLOAD_BYTES
);

/// A kept file as the pages list it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileView {
    pub id: i64,
    /// The version number (document versions).
    pub version: i64,
    pub note: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    /// RFC 3339.
    pub uploaded_at: String,
}

impl From<KeptFile> for FileView {
    fn from(f: KeptFile) -> Self {
        FileView {
            id: f.id,
            version: f.version,
            note: f.note,
            file_name: f.file_name,
            size_bytes: f.size_bytes,
            uploaded_by: f.uploaded_by,
            uploaded_at: rfc3339(f.uploaded_at),
        }
    }
}

/// An agreement's document versions, newest first.
pub async fn versions(state: &ToolsState, agreement: i64) -> Result<Vec<FileView>, AppError> {
    Ok(state
        .storage
        .document_versions(agreement)
        .await?
        .into_iter()
        .map(FileView::from)
        .collect())
}

/// A municipality's signed documents of an agreement, newest first.
pub async fn signed(
    state: &ToolsState,
    agreement: i64,
    org: OrgId,
) -> Result<Vec<FileView>, AppError> {
    Ok(state
        .storage
        .signed_documents(agreement, org)
        .await?
        .into_iter()
        .map(FileView::from)
        .collect())
}

fn new_file(file: Option<(String, Vec<u8>)>) -> Result<NewFile, AppError> {
    let (file_name, content) = file.ok_or_else(|| {
        AppError::Rule(samspil_domain::ValidationError::named(
            "file",
            "attachment-none",
            "choose a file to upload",
        ))
    })?;
    Ok(NewFile {
        sha256: samspil_auth::file_checksum(&content),
        file_name,
        content,
    })
}

/// `POST /vaerktoejer/aftaler/{id}/dokumenter`: a new document version
/// with a note (staff).
pub async fn upload_version(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let found = crate::pages_agreements::find(&state, id).await?;
    let (fields, file) = read_upload(multipart).await?;
    let note = fields
        .iter()
        .find(|(k, _)| k == "note")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let outcome = async {
        let file = new_file(file)?;
        state
            .storage
            .add_document_version(&access, id, note, &file)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{}/aftaler/{id}", crate::MOUNT)).into_response()),
        Err(error) => {
            let message = error.form_refusal(lang, "agreements-error")?;
            crate::pages_agreements::render_agreement(
                &state,
                lang,
                &signed_in,
                found,
                samspil_storage::now().date(),
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `/vaerktoejer/aftaler/{id}/dokumenter/{doc}`: a version, as a download
/// (anyone signed in: the municipalities read what they sign).
pub async fn download_version(
    State(state): State<ToolsState>,
    _signed_in: SignedIn,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (file, content) = state
        .storage
        .document_content(id, doc)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(download_response(
        &file.file_name,
        &file.content_type,
        content,
    ))
}

/// `POST /vaerktoejer/aftaler/{id}/kommuner/{org}/underskrevet`: the
/// signed document of the municipality's signature (its administrators,
/// or staff).
pub async fn upload_signed(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, org)): Path<(i64, i64)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let access = signed_in
        .principal
        .admin_access(OrgId(org))
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let (_, file) = read_upload(multipart).await?;
    let outcome = async {
        let file = new_file(file)?;
        state
            .storage
            .add_signed_document(&access, id, &file)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("{}/aftaler/{id}/kommuner/{org}", crate::MOUNT)).into_response(),
        ),
        Err(error) => {
            let message = error.form_refusal(lang, "agreements-error")?;
            crate::pages_agreements::render_history(
                &state,
                lang,
                &signed_in,
                id,
                OrgId(org),
                Some(message),
            )
            .await
        }
    }
}

/// `/vaerktoejer/aftaler/{id}/kommuner/{org}/underskrevet/{doc}`: a signed
/// document, as a download (staff, or that municipality's people).
pub async fn download_signed(
    State(state): State<ToolsState>,
    signed_in: SignedIn,
    Path((id, org, doc)): Path<(i64, i64, i64)>,
) -> Result<Response, AppError> {
    signed_in
        .principal
        .read_access(OrgId(org))
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let (file, content) = state
        .storage
        .signed_document_content(id, OrgId(org), doc)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(download_response(
        &file.file_name,
        &file.content_type,
        content,
    ))
}

/// The document pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::post("/aftaler/{id}/dokumenter", upload_version).with_handler(
            axum::routing::post(upload_version).layer(axum::extract::DefaultBodyLimit::max(
                samspil_web::auth::MAX_UPLOAD_BYTES,
            )),
        ),
        PageRoute::get("/aftaler/{id}/dokumenter/{doc}", download_version),
        PageRoute::post("/aftaler/{id}/kommuner/{org}/underskrevet", upload_signed).with_handler(
            axum::routing::post(upload_signed).layer(axum::extract::DefaultBodyLimit::max(
                samspil_web::auth::MAX_UPLOAD_BYTES,
            )),
        ),
        PageRoute::get(
            "/aftaler/{id}/kommuner/{org}/underskrevet/{doc}",
            download_signed,
        ),
    ]
}
