//! A kept file as a download, the one way every context serves one: never
//! shown inline (`attachment`, with its name in ASCII and in UTF-8), so a
//! file cannot act as a page of this site, and never cached.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub fn download(file_name: &str, content_type: &str, content: Vec<u8>) -> Response {
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
