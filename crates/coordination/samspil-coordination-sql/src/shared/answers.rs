// `AnswerStore`: questions, answers and comments, on both backends; included
// into the `tasks` module of `shared.rs`, beside the helpers and rows of
// `tasks.rs` it uses.

#[async_trait]
impl AnswerStore for Store {
    async fn add_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        spec: &QuestionSpec,
    ) -> Result<Question> {
        let pool = &self.pool;
        spec.check()?;
        let mut tx = begin_write(pool).await?;
        task_in_state(&mut tx, task, TaskState::Draft, "adding a question").await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM task_questions WHERE task_id = $1")
                .bind(task.0)
                .fetch_one(&mut *tx)
                .await?;
        let options = serde_json::to_string(&spec.options)
            .map_err(|e| StorageError::Corrupt(format!("question options: {e}")))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO task_questions (task_id, position, kind, prompt, options, required) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(task.0)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(spec.kind.as_str())
        .bind(spec.prompt.trim())
        .bind(options)
        .bind(spec.required)
        .fetch_one(&mut *tx)
        .await?;
        let question = Question {
            id: QuestionId(id),
            task_id: task,
            spec: QuestionSpec {
                prompt: spec.prompt.trim().to_owned(),
                ..spec.clone()
            },
        };
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "task_question.create",
                entity_type: "task",
                entity_id: task.0.to_string(),
                before: None,
                after: serde_json::to_value(&question).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(question)
    }

    async fn edit_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        question: QuestionId,
        spec: &QuestionSpec,
        reason: &str,
    ) -> Result<Question> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // The task's lock, then every municipality's status row: answers
        // are saved under the latter, so "answered" stays true or false
        // until this commits (the locks' order is the usual one).
        lock_task(&mut tx, task).await?;
        sqlx::query(concat!(
            "SELECT org_id FROM task_statuses WHERE task_id = $1 ORDER BY org_id",
            for_update!()
        ))
        .bind(task.0)
        .fetch_all(&mut *tx)
        .await?;
        let current = fetch_task(&mut tx, task)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        let before = questions(&mut tx, task)
            .await?
            .into_iter()
            .find(|q| q.id == question)
            .ok_or_else(|| {
                StorageError::Invalid(samspil_domain::ValidationError::named(
                    "question",
                    "question-unknown",
                    format!("the task has no question {}", question.0),
                ))
            })?;
        let reason = match current.state {
            TaskState::Published => Some(samspil_coordination::task::check_change_reason(reason)?),
            _ => None,
        };
        let answered: Option<i64> = sqlx::query_scalar(
            "SELECT question_id FROM task_answers WHERE question_id = $1 LIMIT 1",
        )
        .bind(question.0)
        .fetch_optional(&mut *tx)
        .await?;
        let after_spec = QuestionSpec {
            prompt: spec.prompt.trim().to_owned(),
            ..spec.clone()
        };
        samspil_coordination::task::check_question_edit(
            current.state,
            &before.spec,
            &after_spec,
            answered.is_some(),
        )?;
        if after_spec == before.spec {
            return Ok(before);
        }
        let options = serde_json::to_string(&after_spec.options)
            .map_err(|e| StorageError::Corrupt(format!("question options: {e}")))?;
        sqlx::query(
            "UPDATE task_questions SET kind = $2, prompt = $3, options = $4, required = $5 WHERE id = $1",
        )
        .bind(question.0)
        .bind(after_spec.kind.as_str())
        .bind(&after_spec.prompt)
        .bind(options)
        .bind(after_spec.required)
        .execute(&mut *tx)
        .await?;
        let after = Question {
            id: question,
            task_id: task,
            spec: after_spec,
        };
        if let Some(reason) = reason {
            record_change(
                &mut tx,
                task,
                access.actor(),
                "question",
                Some(history_excerpt(&before.spec.prompt)),
                Some(history_excerpt(&after.spec.prompt)),
                reason,
            )
            .await?;
            raise_event(
                &mut tx,
                "task.changed",
                task,
                serde_json::json!({ "task_id": task.0, "fields": ["question"], "reason": reason }),
            )
            .await?;
        }
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "task_question.edit",
                entity_type: "task",
                entity_id: task.0.to_string(),
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn questions(&self, task: TaskId) -> Result<Vec<Question>> {
        let mut conn = self.pool.acquire().await?;
        questions(&mut conn, task).await
    }

    async fn answers(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<AnswerRecord>> {
        answers(&self.pool, task, Some(access.org_id())).await
    }

    async fn all_answers(
        &self,
        _access: &CommunityAccess,
        task: TaskId,
    ) -> Result<Vec<AnswerRecord>> {
        answers(&self.pool, task, None).await
    }

    async fn save_answers(
        &self,
        access: &OrgAccess,
        task: TaskId,
        answers: &[(QuestionId, Vec<String>)],
    ) -> Result<Vec<AnswerRecord>> {
        require_work(access)?;
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        lock_task_status(&mut tx, access.org_id(), task).await?;
        let current = fetch_municipality_task(&mut tx, access, task)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        check_state(&current.task, TaskState::Published, "answering")?;
        let questions = questions(&mut tx, task).await?;
        let mut saved = Vec::new();
        for (question_id, values) in answers {
            let question = questions
                .iter()
                .find(|q| q.id == *question_id)
                .ok_or_else(|| {
                    samspil_domain::ValidationError::named(
                        "question",
                        "answer-unknown-question",
                        format!("question {} does not belong to this task", question_id.0),
                    )
                })?;
            let values = question.spec.answer(values)?;
            if question.spec.kind == samspil_coordination::question::QuestionKind::File
                && let Some(file) = values.first()
            {
                super::attachments::check_own_file(&mut tx, access, task, file).await?;
            }
            sqlx::query("DELETE FROM task_answers WHERE question_id = $1 AND org_id = $2")
                .bind(question_id.0)
                .bind(access.org_id().0)
                .execute(&mut *tx)
                .await?;
            if values.is_empty() {
                continue;
            }
            let answer = serde_json::to_string(&values)
                .map_err(|e| StorageError::Corrupt(format!("answer: {e}")))?;
            sqlx::query(
                "INSERT INTO task_answers (question_id, org_id, task_id, answer, answered_at, answered_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(question_id.0)
            .bind(access.org_id().0)
            .bind(task.0)
            .bind(answer)
            .bind(now())
            .bind(&access.actor().label)
            .execute(&mut *tx)
            .await?;
            saved.push(AnswerRecord {
                question_id: *question_id,
                org_id: access.org_id(),
                values,
            });
        }
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "task_answers.save",
                entity_type: "task",
                entity_id: task.0.to_string(),
                before: None,
                after: serde_json::to_value(&saved).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn add_comment(&self, access: &OrgAccess, task: TaskId, body: &str) -> Result<Comment> {
        require_work(access)?;
        let pool = &self.pool;
        let body = samspil_coordination::task::check_comment(body)?;
        let mut tx = begin_write(pool).await?;
        lock_task_status(&mut tx, access.org_id(), task).await?;
        let current = fetch_municipality_task(&mut tx, access, task)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        check_state(&current.task, TaskState::Published, "commenting")?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO task_comments (task_id, org_id, author_user_id, author_label, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(task.0)
        .bind(access.org_id().0)
        .bind(access.actor().user_id.map(|u| u.0))
        .bind(&access.actor().label)
        .bind(body)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        // Staff reply to the municipality; the municipality writes to staff.
        let from_community: bool = match access.actor().user_id {
            Some(user) => {
                sqlx::query_scalar("SELECT (role = 'staff') IS TRUE FROM users WHERE id = $1")
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or(false)
            }
            None => false,
        };
        let author: Option<String> = match access.actor().user_id {
            Some(user) => {
                sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        let org_name = current_org_name(&mut tx, access.org_id()).await?;
        raise_event(
            &mut tx,
            "task.comment",
            task,
            serde_json::json!({
                "org_id": access.org_id().0,
                "comment_id": id,
                "from_community": from_community,
                "author": author.unwrap_or_else(|| access.actor().label.clone()),
                "org_name": org_name,
                "body": body,
            }),
        )
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "task_comment.create",
                entity_type: "task_comment",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "task_id": task.0, "body": body })),
            },
        )
        .await?;
        tx.commit().await?;
        comments(pool, task, Some(access.org_id()))
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StorageError::NotFound("comment"))
    }

    async fn comments(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<Comment>> {
        comments(&self.pool, task, Some(access.org_id())).await
    }

    async fn all_comments(&self, _access: &CommunityAccess, task: TaskId) -> Result<Vec<Comment>> {
        comments(&self.pool, task, None).await
    }
}

async fn current_org_name(conn: &mut Connection, org: OrgId) -> Result<String> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT name FROM organisations WHERE id = $1")
            .bind(org.0)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default(),
    )
}
