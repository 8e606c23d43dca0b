// The tools' SQL that SQLite and PostgreSQL both accept, written once.
//
// Each backend module (`sqlite.rs`, `postgres.rs`) includes this file into
// a module that defines `Db` (its sqlx database type) and `Store` (its
// tools store, with a `pool`), and brings in the platform's helpers for
// that backend (`begin_write`, with which every writing transaction
// begins; `append_audit`, which writes the audit entry in the same
// transaction; the access check) and `for_update!()`, the clause that
// locks the rows a transaction decides on.

use async_trait::async_trait;
use samspil_domain::audit::AuditEntry;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId, ValidationError};
use samspil_storage::{Result, StorageError, now};
use samspil_tools::AssuranceLevel;
use samspil_tools::nsis::{self, ControlScore, ElementKind, Matrix};
use samspil_tools_storage::{
    Addressee, AgreementRecord, AgreementStore, AnnexRecord, AnswerRecord, Assessment,
    AssessmentDetail, AssessmentVersion, IdpLevel, IdpLevelStore, MatrixVersion, NewAgreement,
    NewNsisElement, NewPrice, NsisAssessmentStore, NsisElement, NsisElementChange,
    NsisElementStore, NsisMatrixStore, Population, PriceRecord, PriceStore, ReminderRecord,
    Requirement, ScoreRecord, VersionInput,
};
use time::{Date, OffsetDateTime};

/// A level as stored, or the stored value is corrupt.
fn stored_level(code: &str) -> Result<AssuranceLevel> {
    AssuranceLevel::parse(code)
        .ok_or_else(|| StorageError::Corrupt(format!("assurance level '{code}'")))
}

fn stored_kind(code: &str) -> Result<ElementKind> {
    ElementKind::parse(code).map_err(|_| StorageError::Corrupt(format!("element kind '{code}'")))
}

mod nsis_elements {
    use super::*;
    include!("shared/nsis_elements.rs");
}

mod nsis_matrix {
    use super::*;
    include!("shared/nsis_matrix.rs");
}

mod nsis_assessments {
    use super::*;
    include!("shared/nsis_assessments.rs");
}

mod idp_levels {
    use super::*;
    include!("shared/idp_levels.rs");
}

mod prices {
    use super::*;
    include!("shared/prices.rs");
}

mod agreements {
    use super::*;
    include!("shared/agreements.rs");
}

mod agreement_documents {
    use super::agreements::lock_agreement;
    use super::*;
    include!("shared/agreement_documents.rs");
}

mod incidents {
    use super::*;
    include!("shared/incidents.rs");
    include!("shared/incident_files.rs");
    include!("shared/incident_messages.rs");
}
