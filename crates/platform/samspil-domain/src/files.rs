//! The platform's rules for a kept file (a task's attachment, an
//! agreement's document): its name, its size and the kinds accepted. The
//! refusals are named rules (`rule-{key}` texts of the shell's).

use crate::ValidationError;

/// The keys of the file rules' refusals, each a `rule-{key}` text of the
/// shell's in Danish and English.
pub const REFUSALS: &[&str] = &[
    "attachment-none",
    "attachment-empty",
    "attachment-too-large",
    "attachment-kind",
];

/// The largest file samspil keeps: enough for the spreadsheets and PDFs the
/// seeds exchange, small enough to keep in the database.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file accepted, by extension, and the type they are served
/// as. Anything else is refused: samspil never serves a file a browser
/// would run (HTML, SVG, scripts).
const KINDS: [(&str, &str); 16] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("zip", "application/zip"),
    ("msg", "application/vnd.ms-outlook"),
    ("eml", "message/rfc822"),
];

/// A file as it may be kept: its name without any path, and the type it
/// is served as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Checks an uploaded file's name and size. A browser may send a full path
/// (old Internet Explorer did); only the last part is kept.
pub fn check_file(name: &str, size: usize) -> Result<CheckedFile, ValidationError> {
    let file_name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if file_name.is_empty() || file_name.chars().any(char::is_control) {
        return Err(ValidationError::named(
            "file",
            "attachment-none",
            "choose a file to upload",
        ));
    }
    if file_name.chars().count() > 200 {
        return Err(ValidationError::broke(
            "file_name",
            "a file name has at most 200 characters",
            crate::BrokenRule::TooLong { max: 200 },
        ));
    }
    if size == 0 {
        return Err(ValidationError::named(
            "file",
            "attachment-empty",
            "the file is empty",
        ));
    }
    if size > MAX_FILE_BYTES {
        return Err(ValidationError::named_with(
            "size",
            "attachment-too-large",
            vec![
                ("size", size.div_ceil(1024 * 1024).to_string()),
                ("max", (MAX_FILE_BYTES / (1024 * 1024)).to_string()),
            ],
            format!(
                "the file is {} MB; the limit is {} MB",
                size.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let content_type = KINDS
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map(|(_, content_type)| *content_type)
        .ok_or_else(|| {
            ValidationError::named_with(
                "kind",
                "attachment-kind",
                vec![
                    ("extension", extension.clone()),
                    ("accepted", accepted_extensions()),
                ],
                format!(
                    "files of type '.{extension}' are not accepted: use {}",
                    accepted_extensions()
                ),
            )
        })?;
    Ok(CheckedFile {
        file_name,
        content_type,
    })
}

/// The accepted extensions, for messages and the upload form's hint.
pub fn accepted_extensions() -> String {
    KINDS
        .iter()
        .map(|(ext, _)| *ext)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_is_kept_under_its_own_name() {
        let file = check_file("C:\\Users\\lise\\Fordringer 2023.XLSX", 2_000).expect("accepted");
        assert_eq!(file.file_name, "Fordringer 2023.XLSX");
        assert!(file.content_type.contains("spreadsheetml"));
        let file = check_file("../../etc/notes.txt", 10).expect("accepted");
        assert_eq!(file.file_name, "notes.txt");
    }

    #[test]
    fn files_a_browser_would_run_are_refused() {
        for name in ["side.html", "tegning.svg", "script.js", "uden-endelse"] {
            let refused = check_file(name, 10).expect_err(name);
            assert_eq!(refused.field, "kind", "{name}");
        }
    }

    #[test]
    fn the_size_limit_holds_to_the_byte() {
        assert!(check_file("a.pdf", MAX_FILE_BYTES).is_ok());
        let refused = check_file("a.pdf", MAX_FILE_BYTES + 1).expect_err("too large");
        assert_eq!(refused.field, "size");
        assert!(refused.problem.contains("10 MB"), "{}", refused.problem);
        assert_eq!(check_file("a.pdf", 0).expect_err("empty").field, "file");
        assert_eq!(check_file("  ", 5).expect_err("no name").field, "file");
    }
}
