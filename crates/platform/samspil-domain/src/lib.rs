//! The platform's shared kernel: organisations, people, access, audit and
//! validation, the plain types every context builds on, and the rules
//! that govern them. Each context's own rules live in its own crate
//! (`samspil-coordination`, `samspil-citizen`, `samspil-tools`).
//!
//! Nothing in this crate performs I/O. Every rule is written once here and
//! tested without a database; the storage and web layers only apply it.

pub mod access;
pub mod api_token;
pub mod audit;
pub mod collation;
pub mod danish_time;
pub mod directory;
pub mod directory_os2mo;
pub mod error;
pub mod federation;
pub mod files;
pub mod input;
pub mod money;
pub mod org;
pub mod return_path;
pub mod second_factor;
pub mod throttle;
pub mod user;

#[cfg(test)]
mod fuzz;

pub use access::{CommunityAccess, OrgAccess, Principal, Scope};
pub use error::{BrokenRule, ValidationError};
pub use org::{MunicipalityCode, OrgId, OrgKind, ReferenceOrganisation};
pub use user::{AccessRole, Language, Login, UserId, UserType};
