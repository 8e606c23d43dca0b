// The citizen store's SQL that SQLite and PostgreSQL both accept, written
// once, as `samspil-sql`'s `shared.rs` is: each backend module
// (`sqlite.rs`, `postgres.rs`) includes it into a module that defines `Db`
// (its sqlx database type), `Store` (its store, with a `pool`),
// `begin_write` (SQLite: `BEGIN IMMEDIATE`) and `for_update!()` (the
// clause that locks what a transaction decides on; PostgreSQL `FOR NO KEY
// UPDATE`, SQLite none). The citizen store is its own database, so these
// are its own, not the main store's.

use samspil_citizen_storage::{Result, StorageError};
use samspil_domain::access::Actor;
use time::OffsetDateTime;

/// A connection of this backend.
pub type Connection = <Db as sqlx::Database>::Connection;

// Instants compared as text on SQLite have the one shape `now()` gives.
use samspil_storage::stored_instant;

/// Writes a row of the citizen store's audit log on the connection of the
/// change it describes (in its transaction).
async fn append_citizen_audit(
    conn: &mut Connection,
    actor: &Actor,
    action: &str,
    system_id: Option<i64>,
    municipality_code: Option<u16>,
    detail: Option<serde_json::Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO citizen_audit (at, actor_user_id, actor_label, action, system_id, \
         municipality_code, detail_json) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(samspil_storage::now())
    .bind(actor.user_id.map(|id| id.0))
    .bind(&actor.label)
    .bind(action)
    .bind(system_id)
    .bind(municipality_code.map(i32::from))
    .bind(detail.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored municipality code, which must be three digits.
fn stored_code(code: i32) -> Result<u16> {
    u16::try_from(code)
        .ok()
        .filter(|code| (100..=999).contains(code))
        .ok_or_else(|| StorageError::Corrupt(format!("municipality code {code}")))
}

mod systems {
    use super::*;
    include!("shared/systems.rs");
}

mod cases {
    use super::*;
    include!("shared/cases.rs");
}

mod documents {
    use super::*;
    include!("shared/documents.rs");
}

mod benefits {
    use super::*;
    include!("shared/benefits.rs");
}

mod kle {
    use super::*;
    include!("shared/kle.rs");
}

mod retention {
    use super::*;
    include!("shared/retention.rs");
}

mod debts {
    use super::*;
    include!("shared/debts.rs");
}

mod claim_types {
    use super::*;
    include!("shared/claim_types.rs");
}

mod appointments {
    use super::*;
    include!("shared/appointments.rs");
}

mod compliance {
    use super::*;
    include!("shared/compliance.rs");
}
