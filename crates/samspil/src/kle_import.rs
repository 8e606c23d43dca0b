//! `samspil import kle FILE`: KL's KLE subject plan (`KLE-Emneplan`, XML
//! format version 2.0) into the citizen store. The whole file is read and
//! checked by the plan's parser (`samspil_citizen::kle`: no DTD, size,
//! depth and node limits, every number and date) before anything is
//! written; the import is one transaction, and a second run of the same
//! file changes nothing.

use std::path::Path;

use anyhow::Context;
use samspil_citizen::kle::{KleSubject, parse_subject_plan};
use samspil_citizen_storage::{CitizenStore, KleImportReport};
use samspil_domain::Principal;

/// Imports the plan in `file`; says what changed.
pub async fn import_kle_file(
    citizen: &dyn CitizenStore,
    file: &Path,
) -> anyhow::Result<KleImportReport> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    // Refused before the file is read into memory; the parser checks the
    // same limit again on the bytes.
    if size > samspil_citizen::kle::MAX_FILE_BYTES as u64 {
        anyhow::bail!(
            "{} is larger than {} bytes",
            file.display(),
            samspil_citizen::kle::MAX_FILE_BYTES
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let plan = parse_subject_plan(&bytes)
        .with_context(|| format!("{} is not a KLE subject plan", file.display()))?;
    let subjects: Vec<KleSubject> = plan.subjects().map(KleSubject::from).collect();
    if subjects.is_empty() {
        anyhow::bail!("the plan has no subjects");
    }
    Ok(citizen
        .import_kle(&subjects, &Principal::operator().actor())
        .await?)
}
