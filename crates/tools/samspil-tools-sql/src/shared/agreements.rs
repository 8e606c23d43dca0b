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

type HistoryRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<Date>,
    Date,
    String,
    OffsetDateTime,
);

fn answer_record(row: HistoryRow) -> Result<AnswerRecord> {
    let (org, state, reservation, signed_by, signed_on, answered_on, answered_by, answered_at) =
        row;
    Ok(AnswerRecord {
        org_id: OrgId(org),
        state: samspil_tools::agreements::AgreementState::parse(&state)
            .map_err(|_| StorageError::Corrupt(format!("agreement state '{state}'")))?,
        reservation,
        signed_by,
        signed_on,
        answered_on,
        answered_by,
        answered_at,
    })
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

    async fn agreement_answers(&self, agreement: i64, as_of: Date) -> Result<Vec<AnswerRecord>> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            // Each municipality's last answer given on or before the day,
            // from the history, so a later change leaves the day's totals.
            "SELECT h.org_id, h.state, h.reservation, h.signed_by, h.signed_on, h.answered_on, \
             h.answered_by, h.answered_at FROM agreement_answer_history h WHERE h.agreement_id = $1 \
             AND h.id = (SELECT l.id FROM agreement_answer_history l \
             WHERE l.agreement_id = h.agreement_id AND l.org_id = h.org_id AND l.answered_on <= $2 \
             ORDER BY l.answered_on DESC, l.id DESC LIMIT 1) ORDER BY h.org_id",
        )
        .bind(agreement)
        .bind(as_of)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(answer_record).collect()
    }

    async fn answer_history(
        &self,
        agreement: i64,
        only: Option<OrgId>,
    ) -> Result<Vec<AnswerRecord>> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            // The id orders the answers as they were written: each answer
            // is written under the agreement's row lock.
            "SELECT org_id, state, reservation, signed_by, signed_on, answered_on, answered_by, \
             answered_at FROM agreement_answer_history WHERE agreement_id = $1 \
             AND ($2 IS NULL OR org_id = $2) ORDER BY org_id, id",
        )
        .bind(agreement)
        .bind(only.map(|o| o.0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(answer_record).collect()
    }

    async fn publish_annex(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        title: &str,
        body: &str,
        addressees: &[Addressee],
    ) -> Result<AnnexRecord> {
        self.publish_annex_impl(access, agreement, title, body, addressees)
            .await
    }

    async fn annexes(&self, agreement: i64) -> Result<Vec<AnnexRecord>> {
        self.annexes_of(agreement).await
    }

    async fn acknowledge_annex(&self, access: &OrgAccess, annex: i64) -> Result<()> {
        self.acknowledge_annex_impl(access, annex).await
    }

    async fn remind_annex(
        &self,
        access: &CommunityAccess,
        annex: i64,
        day: Date,
        addressees: &[Addressee],
    ) -> Result<u64> {
        self.remind_annex_impl(access, annex, day, addressees).await
    }

    async fn remind_unanswered(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        day: Date,
        addressees: &[Addressee],
    ) -> Result<ReminderRecord> {
        let mut tx = begin_write(&self.pool).await?;
        // Locked: the municipalities that have not answered are decided on
        // the answers as they stand.
        let name = lock_agreement(&mut tx, agreement).await?;
        let orgs: Vec<i64> = sqlx::query_scalar(
            "SELECT o.id FROM organisations o LEFT JOIN agreement_answers a \
             ON a.org_id = o.id AND a.agreement_id = $1 WHERE o.kind = 'municipality' \
             AND (a.state IS NULL OR a.state IN ('considering', 'not_asked')) ORDER BY o.id",
        )
        .bind(agreement)
        .fetch_all(&mut *tx)
        .await?;
        let at = now();
        // The conditional write: the day's reminder exists already, or this
        // is it.
        let written = sqlx::query(
            "INSERT INTO agreement_reminders (agreement_id, sent_on, sent_by, sent_at, \
             municipalities, emails) VALUES ($1, $2, $3, $4, $5, 0) \
             ON CONFLICT (agreement_id, sent_on) DO NOTHING",
        )
        .bind(agreement)
        .bind(day)
        .bind(&access.actor().label)
        .bind(at)
        .bind(i64::try_from(orgs.len()).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if written == 0 {
            return Err(ValidationError::new(
                "reminder",
                "a reminder was sent today already; one a day",
            )
            .into());
        }
        let emails = queue_agreement_mail(
            &mut tx,
            &Mail {
                key: &format!("agreement-reminder:{agreement}:{day}"),
                subject: &format!("Påmindelse / Reminder: {name}"),
                body: "Kommunen har endnu ikke svaret på aftalen. Svar i samspil under Aftaler. / The municipality has not answered the agreement yet. Answer in samspil under Agreements.",
            },
            &orgs,
            addressees,
        )
        .await?;
        let emails = i64::try_from(emails).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE agreement_reminders SET emails = $3 WHERE agreement_id = $1 AND sent_on = $2",
        )
        .bind(agreement)
        .bind(day)
        .bind(emails)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "agreement.remind",
                "agreement",
                agreement,
            )
            .after(serde_json::json!({
                "day": day.to_string(), "municipalities": orgs.len(), "emails": emails,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(ReminderRecord {
            sent_on: day,
            sent_by: access.actor().label.clone(),
            sent_at: at,
            municipalities: i64::try_from(orgs.len()).unwrap_or(i64::MAX),
            emails,
        })
    }

    async fn reminders(&self, agreement: i64) -> Result<Vec<ReminderRecord>> {
        let rows: Vec<(Date, String, OffsetDateTime, i64, i64)> = sqlx::query_as(
            "SELECT sent_on, sent_by, sent_at, municipalities, emails FROM agreement_reminders \
             WHERE agreement_id = $1 ORDER BY sent_on DESC",
        )
        .bind(agreement)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(sent_on, sent_by, sent_at, municipalities, emails)| ReminderRecord {
                    sent_on,
                    sent_by,
                    sent_at,
                    municipalities,
                    emails,
                },
            )
            .collect())
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
        // The history keeps the answer just written, copied from its row so
        // that the two cannot differ.
        sqlx::query(
            "INSERT INTO agreement_answer_history (agreement_id, org_id, state, reservation, \
             signed_by, signed_on, answered_on, answered_by, answered_at) \
             SELECT agreement_id, org_id, state, reservation, signed_by, signed_on, answered_on, \
             answered_by, answered_at FROM agreement_answers WHERE agreement_id = $1 AND org_id = $2",
        )
        .bind(agreement)
        .bind(org.0)
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

/// Queues an e-mail to each active administrator with an address of the
/// municipalities the query's `org_id`s name, under one key per person
/// (`{key}:{user}`), so that running it twice queues nothing more.
macro_rules! queue_to_admins {
    ($orgs:expr) => {
        concat!(
            "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, body, state, \
             attempts, next_attempt_at, created_at) \
             SELECT $1 || ':' || CAST(u.id AS TEXT), u.org_id, u.id, u.email, $2, $3, 'queued', 0, $4, $4 \
             FROM users u WHERE u.role = 'admin' AND u.active AND u.email IS NOT NULL \
             AND u.org_id IN (",
            $orgs,
            ") ON CONFLICT (delivery_key) DO NOTHING"
        )
    };
}

/// The mail of an agreement (an annex, a reminder) as one e-mail per
/// person: `key`, subject, body.
struct Mail<'a> {
    key: &'a str,
    subject: &'a str,
    body: &'a str,
}

/// Queues `mail` to each of `orgs`: to its addressees, or, where it has
/// none, to its active administrators with an address; one key per person
/// (`{key}:{user}`), so that queuing it twice queues nothing more. The
/// number of e-mails queued.
async fn queue_agreement_mail(
    conn: &mut <Db as sqlx::Database>::Connection,
    mail: &Mail<'_>,
    orgs: &[i64],
    addressees: &[Addressee],
) -> Result<u64> {
    let at = now();
    let mut queued = 0;
    for org in orgs {
        let people: Vec<&Addressee> = addressees.iter().filter(|a| a.org_id.0 == *org).collect();
        if people.is_empty() {
            queued += sqlx::query(queue_to_admins!("SELECT CAST($5 AS BIGINT)"))
                .bind(mail.key)
                .bind(mail.subject)
                .bind(mail.body)
                .bind(at)
                .bind(*org)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
        for person in people {
            queued += sqlx::query(
                "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, body, \
                 state, attempts, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7) \
                 ON CONFLICT (delivery_key) DO NOTHING",
            )
            .bind(format!("{}:{}", mail.key, person.user_id))
            .bind(*org)
            .bind(person.user_id)
            .bind(&person.email)
            .bind(mail.subject)
            .bind(mail.body)
            .bind(at)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        }
    }
    Ok(queued)
}

pub(super) async fn lock_agreement(
    conn: &mut <Db as sqlx::Database>::Connection,
    id: i64,
) -> Result<String> {
    let name: Option<String> = sqlx::query_scalar(concat!(
        "SELECT name FROM agreements WHERE id = $1",
        for_update!()
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    name.ok_or(StorageError::NotFound("agreement"))
}

impl Store {
    pub(crate) async fn publish_annex_impl(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        title: &str,
        body: &str,
        addressees: &[Addressee],
    ) -> Result<AnnexRecord> {
        let title = samspil_domain::input::free_text("title", title, 200)?
            .ok_or_else(|| ValidationError::new("title", "an annex needs a title"))?
            .to_owned();
        let body = samspil_domain::input::free_text("body", body, 20_000)?
            .unwrap_or_default()
            .to_owned();
        let mut tx = begin_write(&self.pool).await?;
        // Locked: an answer given meanwhile waits, so the recipients are the
        // signatories as they stand.
        let name = lock_agreement(&mut tx, agreement).await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agreement_annexes (agreement_id, title, body, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(agreement)
        .bind(&title)
        .bind(&body)
        .bind(&access.actor().label)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO annex_recipients (annex_id, org_id) SELECT $1, org_id FROM agreement_answers \
             WHERE agreement_id = $2 AND state IN ('signed', 'signed_with_reservation')",
        )
        .bind(id)
        .bind(agreement)
        .execute(&mut *tx)
        .await?;
        let orgs: Vec<i64> =
            sqlx::query_scalar("SELECT org_id FROM annex_recipients WHERE annex_id = $1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
        let queued = queue_agreement_mail(
            &mut tx,
            &Mail {
                key: &format!("annex:{id}"),
                subject: &format!("{name}: {title}"),
                body: &format!(
                    "{body}\n\nKvittér for modtagelsen i samspil under Aftaler / Acknowledge receipt in samspil under Agreements."
                ),
            },
            &orgs,
            addressees,
        )
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "agreement.annex.publish",
                "agreement",
                agreement,
            )
            .after(serde_json::json!({ "annex_id": id, "title": title, "emails": queued })),
        )
        .await?;
        tx.commit().await?;
        self.annexes_of(agreement)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StorageError::NotFound("annex"))
    }

    pub(crate) async fn annexes_of(&self, agreement: i64) -> Result<Vec<AnnexRecord>> {
        let rows: Vec<(i64, String, String, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT id, title, body, published_by, published_at FROM agreement_annexes \
             WHERE agreement_id = $1 ORDER BY id DESC",
        )
        .bind(agreement)
        .fetch_all(&self.pool)
        .await?;
        let recipients: Vec<(i64, i64, bool)> = sqlx::query_as(
            "SELECT r.annex_id, r.org_id, r.acknowledged_at IS NOT NULL FROM annex_recipients r \
             JOIN agreement_annexes a ON a.id = r.annex_id WHERE a.agreement_id = $1 \
             ORDER BY r.org_id",
        )
        .bind(agreement)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, title, body, published_by, published_at)| AnnexRecord {
                    id,
                    agreement_id: agreement,
                    title,
                    body,
                    published_by,
                    published_at,
                    recipients: recipients
                        .iter()
                        .filter(|r| r.0 == id)
                        .map(|r| OrgId(r.1))
                        .collect(),
                    acknowledged: recipients
                        .iter()
                        .filter(|r| r.0 == id && r.2)
                        .map(|r| OrgId(r.1))
                        .collect(),
                },
            )
            .collect())
    }

    pub(crate) async fn acknowledge_annex_impl(
        &self,
        access: &OrgAccess,
        annex: i64,
    ) -> Result<()> {
        require_administer(access)?;
        let org = access.org_id();
        let mut tx = begin_write(&self.pool).await?;
        let owed: Option<Option<OffsetDateTime>> = sqlx::query_scalar(concat!(
            "SELECT acknowledged_at FROM annex_recipients WHERE annex_id = $1 AND org_id = $2",
            for_update!()
        ))
        .bind(annex)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        match owed {
            None => return Err(StorageError::NotFound("annex sent to this municipality")),
            Some(Some(_)) => return Ok(()),
            Some(None) => {}
        }
        sqlx::query(
            "UPDATE annex_recipients SET acknowledged_by = $3, acknowledged_at = $4 \
             WHERE annex_id = $1 AND org_id = $2 AND acknowledged_at IS NULL",
        )
        .bind(annex)
        .bind(org.0)
        .bind(&access.actor().label)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(org),
                "agreement.annex.acknowledge",
                "annex",
                annex,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn remind_annex_impl(
        &self,
        access: &CommunityAccess,
        annex: i64,
        day: Date,
        addressees: &[Addressee],
    ) -> Result<u64> {
        let mut tx = begin_write(&self.pool).await?;
        let found: Option<(String, String)> = sqlx::query_as(
            "SELECT g.name, a.title FROM agreement_annexes a JOIN agreements g ON g.id = a.agreement_id \
             WHERE a.id = $1",
        )
        .bind(annex)
        .fetch_optional(&mut *tx)
        .await?;
        let (name, title) = found.ok_or(StorageError::NotFound("annex"))?;
        let orgs: Vec<i64> = sqlx::query_scalar(
            "SELECT org_id FROM annex_recipients WHERE annex_id = $1 AND acknowledged_at IS NULL",
        )
        .bind(annex)
        .fetch_all(&mut *tx)
        .await?;
        let queued = queue_agreement_mail(
            &mut tx,
            &Mail {
                key: &format!("annex-reminder:{annex}:{day}"),
                subject: &format!("Påmindelse / Reminder: {name}: {title}"),
                body: "Kvittér venligst for modtagelsen af bilaget i samspil under Aftaler. / Please acknowledge receipt of the annex in samspil under Agreements.",
            },
            &orgs,
            addressees,
        )
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "agreement.annex.remind",
                "annex",
                annex,
            )
            .after(serde_json::json!({ "day": day.to_string(), "emails": queued })),
        )
        .await?;
        tx.commit().await?;
        Ok(queued)
    }
}
