use samspil_domain::ValidationError;
use samspil_domain::access::AccessDenied;
use thiserror::Error;

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum StorageError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique value (a login, a unit name) is taken already.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The database does not answer (refused, timed out, shut down).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// A stored value that the program cannot read back: a bug or a hand edit.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StorageError::Conflict(db.message().to_owned())
            }
            // PostgreSQL refuses a NUL character in text (SQLite keeps it):
            // what a client sent, not a fault of ours.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("22021") => {
                StorageError::Invalid(samspil_domain::ValidationError::new(
                    "text",
                    "text may not contain the NUL character",
                ))
            }
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                StorageError::Unavailable(error)
            }
            _ => StorageError::Database(error),
        }
    }
}
