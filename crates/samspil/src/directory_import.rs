//! `samspil import directory`: a municipality's organisation directory
//! file (JSON Lines, see `docs/DIRECTORY_IMPORT.md`) into samspil.

use std::path::Path;

use anyhow::Context;
use samspil_domain::directory::{DirectoryRecord, DirectorySnapshot, parse_line};
use samspil_domain::{MunicipalityCode, Principal};
use samspil_storage::{DirectoryReport, Storage, StorageError};
use time::Date;

/// Reads the whole file first, so that a malformed record anywhere stops
/// the import before anything is written; `progress` hears (lines read,
/// lines in all).
pub async fn import_directory_file(
    storage: &dyn Storage,
    file: &Path,
    municipality: &str,
    as_of: Date,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<DirectoryReport> {
    let code = municipality
        .trim()
        .parse::<u16>()
        .ok()
        .and_then(|n| MunicipalityCode::new(n).ok())
        .with_context(|| format!("--municipality {municipality}: not a municipality code"))?;
    let org = storage
        .organisations()
        .await?
        .into_iter()
        .find(|o| o.code == Some(code))
        .with_context(|| format!("there is no municipality with code {municipality}"))?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let total = text.lines().count();
    let mut records: Vec<(usize, DirectoryRecord)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(record) = parse_line(line).map_err(|e| {
            anyhow::anyhow!("{}:{number}: {}: {}", file.display(), e.field, e.problem)
        })? {
            records.push((number, record));
        }
        if number % 500 == 0 || number == total {
            progress(number, total);
        }
    }
    let snapshot = DirectorySnapshot::new(records, as_of).map_err(|(line, e)| {
        anyhow::anyhow!("{}:{line}: {}: {}", file.display(), e.field, e.problem)
    })?;
    let access = Principal::operator().admin_access(org.id)?;
    match storage.import_directory(&access, &snapshot).await {
        Ok(report) => Ok(report),
        Err(StorageError::Invalid(invalid)) => Err(anyhow::anyhow!(
            "{}: {}: {} (nothing was imported)",
            file.display(),
            invalid.field,
            invalid.problem
        )),
        Err(other) => Err(other.into()),
    }
}
