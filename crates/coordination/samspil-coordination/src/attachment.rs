//! Files attached to a task: by the community for every municipality the
//! task reaches, or by a municipality for itself (and as the answer to a
//! question that asks for a file). The rules for a kept file are the
//! platform's (`samspil_domain::files`).

pub use samspil_domain::files::{
    CheckedFile, MAX_FILE_BYTES as MAX_ATTACHMENT_BYTES, accepted_extensions, check_file,
};
