// `MeetingEvaluationStore`: a meeting's survey, its responses and the
// input to a coming meeting, on both backends; included into the
// `meetings` module of `shared.rs` beside `meetings.rs`, whose
// `lock_meeting` every write takes first. An answer and a change of the
// survey both decide under that lock (whether anyone has answered, whether
// this person has), and the responses' primary key (meeting, person) with
// `ON CONFLICT DO NOTHING` keeps one response per person even so.

use samspil_coordination::meeting::{
    Question, Response, Survey, check_input, check_response, results,
};
use samspil_coordination_storage::{MeetingEvaluationStore, MeetingInput, SurveyResults};

async fn fetch_survey(conn: &mut Connection, id: MeetingId) -> Result<Option<Survey>> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT questions FROM meeting_surveys WHERE meeting_id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    stored
        .map(|json| {
            let questions: Vec<Question> = serde_json::from_str(&json)
                .map_err(|e| StorageError::Corrupt(format!("survey of meeting {}: {e}", id.0)))?;
            Survey::new(questions)
                .map_err(|e| StorageError::Corrupt(format!("survey of meeting {}: {e}", id.0)))
        })
        .transpose()
}

async fn response_count(conn: &mut Connection, id: MeetingId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM meeting_survey_responses WHERE meeting_id = $1")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?,
    )
}

#[async_trait]
impl MeetingEvaluationStore for Store {
    async fn set_survey(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        survey: &Survey,
    ) -> Result<()> {
        let questions = serde_json::to_string(survey.questions())
            .map_err(|e| StorageError::Corrupt(format!("survey: {e}")))?;
        let mut tx = begin_write(&self.pool).await?;
        lock_meeting(&mut tx, id).await?;
        if response_count(&mut tx, id).await? > 0 {
            return Err(meeting_refusal(&MeetingError::SurveyAnswered, "questions"));
        }
        let before = fetch_survey(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO meeting_surveys (meeting_id, questions, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (meeting_id) DO UPDATE SET questions = excluded.questions, \
             updated_at = excluded.updated_at",
        )
        .bind(id.0)
        .bind(&questions)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.survey", "meeting", id.0)
                .before(serde_json::to_value(&before).unwrap_or_default())
                .after(serde_json::to_value(survey).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn survey(&self, id: MeetingId) -> Result<Option<Survey>> {
        let mut conn = self.pool.acquire().await?;
        fetch_survey(&mut conn, id).await
    }

    async fn answer_survey(
        &self,
        principal: &Principal,
        id: MeetingId,
        response: &Response,
    ) -> Result<()> {
        let user = person_of(principal)?;
        let org = principal
            .org_id()
            .ok_or(StorageError::NotFound("organisation"))?;
        let mut tx = begin_write(&self.pool).await?;
        // The lock first: whether this person has answered is read only
        // after every earlier answer to this meeting has committed.
        let meeting = lock_meeting(&mut tx, id).await?;
        let survey = fetch_survey(&mut tx, id)
            .await?
            .ok_or_else(|| meeting_refusal(&MeetingError::NoSurvey, "survey"))?;
        if meeting.cancelled_at.is_some() {
            return Err(meeting_refusal(&MeetingError::Cancelled, "survey"));
        }
        if !meeting.meeting.has_started(now()) {
            return Err(meeting_refusal(&MeetingError::SurveyNotOpen, "survey"));
        }
        check_response(&survey, response).map_err(|e| meeting_refusal(&e, "answers"))?;
        let answers = serde_json::to_string(response)
            .map_err(|e| StorageError::Corrupt(format!("survey response: {e}")))?;
        let kept = sqlx::query(
            "INSERT INTO meeting_survey_responses (meeting_id, user_id, answers, answered_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, user_id) DO NOTHING",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(&answers)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if kept == 0 {
            return Err(meeting_refusal(&MeetingError::AlreadyAnswered, "survey"));
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                &principal.actor(),
                Some(org),
                "meeting.survey_answer",
                "meeting",
                id.0,
            )
            .after(serde_json::json!({ "user_id": user.0 })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn has_answered(&self, user: UserId, id: MeetingId) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM meeting_survey_responses WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn survey_results(
        &self,
        _access: &CommunityAccess,
        id: MeetingId,
    ) -> Result<SurveyResults> {
        let mut conn = self.pool.acquire().await?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        found.ok_or(StorageError::NotFound("meeting"))?;
        let survey = fetch_survey(&mut conn, id).await?;
        let stored: Vec<String> = sqlx::query_scalar(
            "SELECT answers FROM meeting_survey_responses WHERE meeting_id = $1 \
             ORDER BY answered_at, user_id",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
        let responses = stored
            .iter()
            .map(|json| {
                serde_json::from_str::<Response>(json)
                    .map_err(|e| StorageError::Corrupt(format!("survey response: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let per_question = survey
            .as_ref()
            .map(|s| results(s, &responses))
            .unwrap_or_default();
        Ok(SurveyResults {
            survey,
            responses: responses.len(),
            results: per_question,
        })
    }

    async fn send_input(
        &self,
        principal: &Principal,
        id: MeetingId,
        text: &str,
    ) -> Result<MeetingInput> {
        let user = person_of(principal)?;
        let org = principal
            .org_id()
            .ok_or(StorageError::NotFound("organisation"))?;
        let text = check_input(text).map_err(|e| meeting_refusal(&e, "text"))?;
        let mut tx = begin_write(&self.pool).await?;
        let meeting = lock_meeting(&mut tx, id).await?;
        if meeting.cancelled_at.is_some() {
            return Err(meeting_refusal(&MeetingError::Cancelled, "text"));
        }
        if meeting.meeting.has_started(now()) {
            return Err(meeting_refusal(&MeetingError::InputClosed, "text"));
        }
        let at = now();
        let input_id: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_inputs (meeting_id, user_id, org_id, body, sent_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(org.0)
        .bind(&text)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                &principal.actor(),
                Some(org),
                "meeting.input",
                "meeting",
                id.0,
            )
            .after(serde_json::json!({ "input_id": input_id, "user_id": user.0 })),
        )
        .await?;
        let input = fetch_inputs(&mut tx, id, Some(input_id))
            .await?
            .into_iter()
            .next()
            .ok_or(StorageError::NotFound("input"))?;
        tx.commit().await?;
        Ok(input)
    }

    async fn inputs(&self, _access: &CommunityAccess, id: MeetingId) -> Result<Vec<MeetingInput>> {
        let mut conn = self.pool.acquire().await?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        found.ok_or(StorageError::NotFound("meeting"))?;
        fetch_inputs(&mut conn, id, None).await
    }
}

#[derive(sqlx::FromRow)]
struct InputRow {
    id: i64,
    user_id: i64,
    display_name: String,
    org_id: i64,
    organisation: String,
    body: String,
    sent_at: OffsetDateTime,
}

async fn fetch_inputs(
    conn: &mut Connection,
    id: MeetingId,
    only: Option<i64>,
) -> Result<Vec<MeetingInput>> {
    let rows: Vec<InputRow> = sqlx::query_as(
        "SELECT i.id, i.user_id, u.display_name, i.org_id, o.name AS organisation, i.body, \
         i.sent_at FROM meeting_inputs i JOIN users u ON u.id = i.user_id \
         JOIN organisations o ON o.id = i.org_id \
         WHERE i.meeting_id = $1 AND ($2 IS NULL OR i.id = $2) ORDER BY i.id",
    )
    .bind(id.0)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MeetingInput {
            id: r.id,
            user_id: UserId(r.user_id),
            name: r.display_name,
            org_id: OrgId(r.org_id),
            organisation: r.organisation,
            text: r.body,
            sent_at: r.sent_at,
        })
        .collect())
}
