//! An incident's files (screenshots, logs): `POST
//! /vaerktoejer/haendelser/{id}/filer` adds one (multipart, the platform's
//! rules of name, size and kind), `GET …/filer/{file}` fetches one, always
//! as a download. Only the incident's parties and its reporter's
//! municipality reach them (the rules' `may_handle_files`); anyone else
//! gets the 404 the incident's other pages give. A refused file is shown at
//! the file field of the page it came from: the incident's or the
//! reporter's.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use samspil_domain::{OrgAccess, Principal};
use samspil_tools::incident::{self, Incident, IncidentId};
use samspil_tools_storage::NewIncidentFile;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{Refusal, Typed};
use samspil_web::i18n::Lang;
use samspil_web::routes::PageRoute;
use serde::Serialize;

use crate::incidents::{Parties, acting, shown, viewer};
use crate::{MOUNT, ToolsState};

/// The form's name on both pages.
pub(crate) const FORM: &str = "file";

#[derive(Serialize)]
pub(crate) struct FileView {
    id: i64,
    name: String,
    by: String,
    at: String,
    kilobytes: i64,
}

/// The files the pages list.
pub(crate) async fn files_view(
    state: &ToolsState,
    id: IncidentId,
) -> Result<Vec<FileView>, AppError> {
    Ok(state
        .storage
        .incident_files(id)
        .await?
        .into_iter()
        .map(|f| FileView {
            id: f.id,
            name: f.file_name,
            by: f.org_name,
            at: shown(f.uploaded_at),
            kilobytes: (f.size_bytes + 1023) / 1024,
        })
        .collect())
}

/// Who handles the incident's files, how: as a party that sees the
/// incident (back to its page), or as the reporter's municipality (back to
/// the reporter's page); else 404.
struct Handler {
    access: OrgAccess,
    party_view: bool,
}

async fn handler(
    state: &ToolsState,
    principal: &Principal,
    id: i64,
) -> Result<(Handler, Incident), AppError> {
    let parties = Parties::load(state).await?;
    let found = match state.storage.incident(IncidentId(id)).await {
        Ok(found) => found,
        Err(samspil_storage::StorageError::NotFound(_)) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let party = viewer(&parties, principal);
    let party = party.as_ref().map(|p| &p.party);
    if !incident::may_handle_files(party, principal.org_id(), &found) {
        return Err(AppError::NotFound);
    }
    let handler = match party.filter(|p| incident::may_see(p, &found)) {
        Some(party) => Handler {
            access: acting(principal, party)?,
            party_view: true,
        },
        None => Handler {
            access: principal
                .work_access(principal.org_id().ok_or(AppError::NotFound)?)
                .map_err(|denied| AppError::Forbidden(denied.to_string()))?,
            party_view: false,
        },
    };
    Ok((handler, found))
}

/// `POST /vaerktoejer/haendelser/{id}/filer`.
pub async fn upload(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (handler, _) = handler(&state, &signed_in.principal, id).await?;
    let (_, file) = samspil_web::files::read_upload(multipart).await?;
    let (file_name, content) = file.unwrap_or_default();
    let new = NewIncidentFile {
        sha256: samspil_auth::file_checksum(&content),
        file_name,
        content,
    };
    let back = match handler.party_view {
        true => format!("{MOUNT}/haendelser/{id}"),
        false => format!("{MOUNT}/haendelser/{id}/anmelder"),
    };
    match state
        .storage
        .add_incident_file(
            &handler.access,
            IncidentId(id),
            &new,
            samspil_storage::now(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{back}#filer")).into_response()),
        Err(samspil_storage::StorageError::Invalid(invalid)) => {
            // The platform's file rules name the field they broke: no file
            // (or an empty one), its name, its size, its kind.
            let message = lang.text(&format!("incidents-file-error-{}", invalid.field), &[]);
            let refusal = Refusal::new(FORM, Typed::default()).field("file", message);
            let page = match handler.party_view {
                true => {
                    crate::pages_incidents::render_incident(
                        &state,
                        lang,
                        &signed_in,
                        id,
                        Some(&refusal),
                    )
                    .await?
                }
                false => {
                    crate::pages_incidents::render_reporter(
                        &state,
                        lang,
                        &signed_in,
                        id,
                        Some(&refusal),
                    )
                    .await?
                }
            };
            Ok(Refusal::respond(page))
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /vaerktoejer/haendelser/{id}/filer/{file}`: always a download.
pub async fn download(
    State(state): State<ToolsState>,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    handler(&state, &signed_in.principal, id).await?;
    let (file, content) = state
        .storage
        .incident_file(IncidentId(id), file)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(samspil_web::files::download_response(
        &file.file_name,
        &file.content_type,
        content,
    ))
}

/// The files' routes (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        // The shell reads an upload's body up to its limit before the CSRF
        // check; a file a little too large reaches the handler and is
        // refused at the file field.
        PageRoute::post("/haendelser/{id}/filer", upload).with_handler(
            axum::routing::post(upload).layer(axum::extract::DefaultBodyLimit::max(
                samspil_web::auth::MAX_UPLOAD_BYTES,
            )),
        ),
        PageRoute::get("/haendelser/{id}/filer/{file}", download),
    ]
}
