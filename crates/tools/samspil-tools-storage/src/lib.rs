//! The tools context's storage API: a small capability trait per file,
//! with its records beside it (`nsis_assessments.rs`:
//! [`NsisAssessmentStore`], [`Assessment`], [`VersionInput`], …), and
//! [`ToolsStorage`], their composition, which the binary hands the tools
//! router. The errors are the platform's ([`samspil_storage::StorageError`]);
//! `samspil-tools-sql` implements the traits on SQLite and on PostgreSQL.
//!
//! What the tools need of another context (which IT solutions there are,
//! and which municipalities use each: coordination's role gallery) comes
//! through [`SolutionCatalogue`], who holds a role through
//! [`RoleHolders`] and the sending of operational messages through
//! [`OperationalMessages`], which the binary implements over that
//! context's store; the tools' SQL never reads another context's tables.

mod agreement_documents;
mod agreements;
mod idp_levels;
mod incident_files;
mod incidents;
mod nsis_assessments;
mod nsis_elements;
mod nsis_matrix;
mod operational_messages;
mod prices;
mod role_holders;
mod solutions;

pub use agreement_documents::{AgreementDocumentStore, KeptFile, NewFile};
pub use agreements::{
    Addressee, AgreementRecord, AgreementStore, AnnexRecord, AnswerRecord, NewAgreement,
    ReminderRecord,
};
pub use idp_levels::{IdpLevel, IdpLevelStore};
pub use incident_files::{IncidentFile, IncidentFileStore, NewIncidentFile};
pub use incidents::{
    ChainAgreement, IncidentChange, IncidentStore, IncidentSummary, NewParty, PartyRecord, refusal,
};
pub use nsis_assessments::{
    Assessment, AssessmentDetail, AssessmentVersion, NsisAssessmentStore, Requirement, ScoreInput,
    ScoreRecord, VersionInput,
};
pub use nsis_elements::{NewNsisElement, NsisElement, NsisElementChange, NsisElementStore};
pub use nsis_matrix::{MatrixVersion, NsisMatrixStore};
pub use operational_messages::{IncidentMessageStore, OperationalMessages, SentOperationalMessage};
pub use prices::{NewPrice, Population, PriceRecord, PriceStore};
pub use role_holders::{Holder, RoleHolders, addressees};
pub use solutions::{SolutionCatalogue, SolutionRef, SolutionUsers};

/// Everything the tools keep: the composition of their capability traits,
/// with no methods of its own (a new method goes into its capability's
/// trait).
pub trait ToolsStorage:
    NsisElementStore
    + NsisMatrixStore
    + NsisAssessmentStore
    + IdpLevelStore
    + PriceStore
    + AgreementStore
    + AgreementDocumentStore
    + IncidentStore
    + IncidentFileStore
    + IncidentMessageStore
    + Send
    + Sync
    + 'static
{
}

impl<T> ToolsStorage for T where
    T: NsisElementStore
        + NsisMatrixStore
        + NsisAssessmentStore
        + IdpLevelStore
        + PriceStore
        + AgreementStore
        + AgreementDocumentStore
        + IncidentStore
        + IncidentFileStore
        + IncidentMessageStore
        + Send
        + Sync
        + 'static
{
}
