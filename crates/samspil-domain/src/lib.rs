//! The domain of samspil: plain types and the rules that govern them.
//!
//! Nothing in this crate performs I/O. Every rule is written once here and
//! tested without a database; the storage and web layers only apply it.

pub mod access;
pub mod api_token;
pub mod attachment;
pub mod audit;
pub mod directory;
pub mod directory_os2mo;
pub mod error;
pub mod federation;
pub mod input;
pub mod notification;
pub mod org;
pub mod question;
pub mod return_path;
pub mod role;
pub mod second_factor;
pub mod task;
pub mod throttle;
pub mod user;

#[cfg(test)]
mod fuzz;

pub use access::{CommunityAccess, OrgAccess, Principal, Scope};
pub use error::{BrokenRule, ValidationError};
pub use org::{MunicipalityCode, OrgId, OrgKind, ReferenceOrganisation};
pub use user::{AccessRole, Login, UserId, UserType};
