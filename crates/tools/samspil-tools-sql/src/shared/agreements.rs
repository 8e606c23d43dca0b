// `AgreementStore`: agreements and the municipalities' answers, on both
// backends; included into the `agreements` module of `shared.rs`.

type AgreementRow = (i64, i64, String, String, Option<Date>);

fn agreement(row: AgreementRow) -> AgreementRecord {
    let (id, solution_id, kind, name, deadline) = row;
    AgreementRecord {
        id,
        solution_id,
        kind,
        name,
        deadline,
    }
}

#[async_trait]
impl AgreementStore for Store {
    async fn agreements(&self) -> Result<Vec<AgreementRecord>> {
        let rows: Vec<AgreementRow> = sqlx::query_as(
            "SELECT id, solution_id, kind, name, deadline FROM agreements ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(agreement).collect())
    }

    async fn create_agreement(
        &self,
        access: &CommunityAccess,
        new: &NewAgreement,
    ) -> Result<AgreementRecord> {
        let kind = samspil_tools::agreements::kind(&new.kind)?;
        let name = samspil_domain::input::free_text("name", &new.name, 200)?
            .ok_or_else(|| ValidationError::new("name", "an agreement needs a name"))?
            .to_owned();
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agreements (solution_id, kind, name, deadline, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.solution_id)
        .bind(kind)
        .bind(&name)
        .bind(new.deadline)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Conflict(format!("an agreement named '{name}' exists already"))
            }
            other => other,
        })?;
        let created = AgreementRecord {
            id,
            solution_id: new.solution_id,
            kind: kind.to_owned(),
            name,
            deadline: new.deadline,
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "agreement.create", "agreement", id).after(
                serde_json::json!({
                    "solution_id": created.solution_id, "kind": created.kind,
                    "name": created.name, "deadline": created.deadline.map(|d| d.to_string()),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn agreement_answers(&self, agreement: i64) -> Result<Vec<AnswerRecord>> {
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<Date>,
            Date,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT org_id, state, reservation, signed_by, signed_on, answered_on, answered_by \
             FROM agreement_answers WHERE agreement_id = $1 ORDER BY org_id",
        )
        .bind(agreement)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(org, state, reservation, signed_by, signed_on, answered_on, answered_by)| {
                    Ok(AnswerRecord {
                        org_id: OrgId(org),
                        state: samspil_tools::agreements::AgreementState::parse(&state).map_err(
                            |_| StorageError::Corrupt(format!("agreement state '{state}'")),
                        )?,
                        reservation,
                        signed_by,
                        signed_on,
                        answered_on,
                        answered_by,
                    })
                },
            )
            .collect()
    }

    async fn answer_agreement(
        &self,
        access: &OrgAccess,
        agreement: i64,
        answer: &samspil_tools::agreements::Answer,
        day: Date,
    ) -> Result<()> {
        require_administer(access)?;
        let org = access.org_id();
        let mut tx = begin_write(&self.pool).await?;
        let exists: Option<i64> = sqlx::query_scalar(concat!(
            "SELECT id FROM agreements WHERE id = $1",
            for_update!()
        ))
        .bind(agreement)
        .fetch_optional(&mut *tx)
        .await?;
        exists.ok_or(StorageError::NotFound("agreement"))?;
        let kind: Option<String> =
            sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_optional(&mut *tx)
                .await?;
        if kind.as_deref() != Some("municipality") {
            return Err(ValidationError::new("org", "the answer is a municipality's").into());
        }
        let before: Option<String> = sqlx::query_scalar(
            "SELECT state FROM agreement_answers WHERE agreement_id = $1 AND org_id = $2",
        )
        .bind(agreement)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO agreement_answers (agreement_id, org_id, state, reservation, signed_by, \
             signed_on, answered_on, answered_by, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (agreement_id, org_id) DO UPDATE SET \
             state = excluded.state, reservation = excluded.reservation, \
             signed_by = excluded.signed_by, signed_on = excluded.signed_on, \
             answered_on = excluded.answered_on, answered_by = excluded.answered_by, \
             answered_at = excluded.answered_at",
        )
        .bind(agreement)
        .bind(org.0)
        .bind(answer.state.code())
        .bind(&answer.reservation)
        .bind(&answer.signed_by)
        .bind(answer.signed_on)
        .bind(day)
        .bind(&access.actor().label)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(org),
                "agreement.answer",
                "agreement",
                agreement,
            )
            .before(serde_json::json!({ "state": before }))
            .after(serde_json::json!({
                "state": answer.state.code(), "reservation": answer.reservation,
                "signed_by": answer.signed_by,
                "signed_on": answer.signed_on.map(|d| d.to_string()),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
