// The claim types a municipality shows (`ClaimTypeStore`). Included by
// `shared.rs` as the module `claim_types`.
//
// A change is a read-decide-write: the state row of the municipality's
// claim type is made if missing (`ON CONFLICT DO NOTHING`, so two first
// changes at once make one), then locked (`for_update!()`; SQLite's
// `begin_write` holds the file), the rule decided in the rules crate
// (`ClaimTypeAction::apply`, `debt::effective_from`), and the change
// written with its history row and audit row in the same transaction. A
// second change waits for the first and decides on what it wrote: "open"
// never passes a claim type that is not verified.

use async_trait::async_trait;
use samspil_citizen::debt::{self, CLAIM_TYPES, ClaimTypeAction, ClaimTypeRefusal, ClaimTypeState};
use samspil_citizen_storage::{ClaimTypeChange, ClaimTypeOutcome, ClaimTypeStatus, ClaimTypeStore};
use samspil_storage::now;
use time::Date;

#[async_trait]
impl ClaimTypeStore for Store {
    async fn claim_types(&self, municipality: u16) -> Result<Vec<ClaimTypeStatus>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            claim_type: String,
            state: String,
            effective_from: Date,
            at: OffsetDateTime,
            actor_label: String,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT claim_type, state, effective_from, at, actor_label FROM claim_type_changes \
             WHERE municipality_code = $1 ORDER BY id",
        )
        .bind(i32::from(municipality))
        .fetch_all(&self.pool)
        .await?;
        let today = now().date();
        let mut out = Vec::with_capacity(CLAIM_TYPES.len());
        for claim_type in CLAIM_TYPES {
            let mut history = Vec::new();
            for row in rows.iter().filter(|r| r.claim_type == claim_type) {
                history.push(ClaimTypeChange {
                    claim_type: row.claim_type.clone(),
                    state: ClaimTypeState::parse(&row.state).ok_or_else(|| {
                        StorageError::Corrupt(format!("claim type state {}", row.state))
                    })?,
                    effective_from: row.effective_from,
                    at: row.at,
                    actor_label: row.actor_label.clone(),
                });
            }
            let days: Vec<(ClaimTypeState, Date)> = history
                .iter()
                .map(|c| (c.state, c.effective_from))
                .collect();
            out.push(ClaimTypeStatus {
                claim_type: claim_type.to_owned(),
                state: debt::state_on(&days, today),
                history,
            });
        }
        Ok(out)
    }

    async fn change_claim_type(
        &self,
        municipality: u16,
        claim_type: &str,
        action: ClaimTypeAction,
        effective_from: Option<Date>,
        actor: &Actor,
    ) -> Result<ClaimTypeOutcome> {
        if !CLAIM_TYPES.contains(&claim_type) {
            return Ok(ClaimTypeOutcome::Refused(
                ClaimTypeRefusal::UnknownClaimType,
            ));
        }
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO claim_type_states (municipality_code, claim_type, state) \
             VALUES ($1, $2, 'unconfigured') ON CONFLICT (municipality_code, claim_type) DO NOTHING",
        )
        .bind(i32::from(municipality))
        .bind(claim_type)
        .execute(&mut *tx)
        .await?;
        let (state, last_from): (String, Option<Date>) =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT state, effective_from FROM claim_type_states \
                 WHERE municipality_code = $1 AND claim_type = $2{}",
                for_update!()
            )))
            .bind(i32::from(municipality))
            .bind(claim_type)
            .fetch_one(&mut *tx)
            .await?;
        let state = ClaimTypeState::parse(&state)
            .ok_or_else(|| StorageError::Corrupt(format!("claim type state {state}")))?;
        let decided = debt::effective_from(effective_from, now().date(), last_from)
            .and_then(|from| action.apply(state).map(|next| (next, from)));
        let (next, from) = match decided {
            Ok(decided) => decided,
            Err(refused) => {
                tx.rollback().await?;
                return Ok(ClaimTypeOutcome::Refused(refused));
            }
        };
        sqlx::query(
            "UPDATE claim_type_states SET state = $3, effective_from = $4 \
             WHERE municipality_code = $1 AND claim_type = $2",
        )
        .bind(i32::from(municipality))
        .bind(claim_type)
        .bind(next.as_str())
        .bind(from)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO claim_type_changes (municipality_code, claim_type, state, \
             effective_from, at, actor_user_id, actor_label) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(i32::from(municipality))
        .bind(claim_type)
        .bind(next.as_str())
        .bind(from)
        .bind(now())
        .bind(actor.user_id.map(|id| id.0))
        .bind(&actor.label)
        .execute(&mut *tx)
        .await?;
        append_citizen_audit(
            &mut tx,
            actor,
            &format!("claim_type.{}", action.as_str()),
            None,
            Some(municipality),
            Some(serde_json::json!({
                "claim_type": claim_type,
                "from": state.as_str(),
                "to": next.as_str(),
                "effective_from": from.to_string(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(ClaimTypeOutcome::Changed(next))
    }
}
