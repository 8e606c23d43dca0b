//! A meeting's material files (issue 20): `POST /moeder/{id}/materialer/fil`
//! staff upload a file (the shared rules `samspil_domain::files` check its
//! name, size and kind) with a title and kind; `GET
//! /moeder/{id}/materialer/{file}` everyone signed in downloads it, as they
//! read the meeting.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samspil_coordination::meeting::MaterialKind;
use samspil_coordination_storage::{MaterialFile, MeetingId};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::files::{download_response, read_upload};
use samspil_web::form::{Refusal, Typed};
use samspil_web::i18n::Lang;
use samspil_web::routes::PageRoute;

use crate::CoordinationState;
use crate::pages_meetings::refused_detail_page;

const FORM: &str = "material";

/// `POST /moeder/{id}/materialer/fil` (staff).
pub async fn upload(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (fields, file) = read_upload(multipart).await?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let kind = match field("kind").as_str() {
        "slides" => MaterialKind::Slides,
        "recording" => MaterialKind::Recording,
        _ => MaterialKind::Other,
    };
    let title = field("title");
    let (file_name, content) = file.unwrap_or_default();
    let upload = MaterialFile {
        sha256: samspil_auth::file_checksum(&content),
        file_name,
        content,
    };
    match state
        .storage
        .add_material_file(&access, MeetingId(id), &title, kind, &upload)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/moeder/{id}#materialer")).into_response()),
        Err(samspil_storage::StorageError::Invalid(invalid)) => {
            // The file rules name the part they broke (no file, its name,
            // size or kind); the material's title has its own field.
            let (at, message) = match invalid.field {
                "file" | "file_name" | "size" | "kind" => (
                    "file",
                    lang.text(&format!("meeting-file-error-{}", invalid.field), &[]),
                ),
                _ => ("title", lang.refusal("meeting-error", &invalid)),
            };
            let mut typed = Typed::default();
            typed.push("title", title);
            let refusal = Refusal::new(FORM, typed).field(at, message);
            refused_detail_page(&state, lang, &signed_in, id, refusal).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /moeder/{id}/materialer/{file}`: always a download.
pub async fn download(
    State(state): State<CoordinationState>,
    _signed_in: SignedIn,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (name, content_type, content) = state
        .storage
        .material_file(MeetingId(id), file)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(download_response(&name, &content_type, content))
}

pub(crate) fn routes() -> Vec<PageRoute<CoordinationState>> {
    vec![
        PageRoute::post("/moeder/{id}/materialer/fil", upload),
        PageRoute::get("/moeder/{id}/materialer/{file}", download),
    ]
}
