//! Kept files over HTTP, for every context: an upload read from a
//! `multipart/form-data` form, and a kept file served as a download.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// A form's fields and its one file (the `file` field: the name as the
/// browser sent it, and the content), or `None` when no file was chosen
/// (the browser then sends an empty part).
pub async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), AppError> {
    let mut fields = Vec::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            if !(file_name.is_empty() && bytes.is_empty()) {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            fields.push((name, text));
        }
    }
    Ok((fields, file))
}

/// A kept file as a download: never shown inline, so a file cannot act as
/// a page of this site.
pub fn download_response(file_name: &str, content_type: &str, content: Vec<u8>) -> Response {
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    encoded.replace('+', "%20")
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        content,
    )
        .into_response()
}
