// `MunicipalityTaskStore`: a municipality's own view of its tasks, on both
// backends; included into the `tasks` module of `shared.rs`, beside the
// helpers and rows of `tasks.rs` it uses.

#[async_trait]
impl MunicipalityTaskStore for Store {
    /// The tasks published to one municipality, with its own status.
    async fn municipality_tasks(
        &self,
        access: &OrgAccess,
        filter: &TaskFilter,
    ) -> Result<Vec<MunicipalityTask>> {
        let pool = &self.pool;
        let patterns = search_patterns(filter.words.as_deref())?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{}WHERE s.org_id = $13 AND {}\
             AND ($14 IS NULL OR ta.user_id = $14 OR ta.role_id IN (SELECT ra.role_id FROM role_assignments ra \
                  WHERE ra.org_id = s.org_id AND ra.user_id = $14 AND ra.starts_on <= $15 \
                  AND (ra.ends_on IS NULL OR ra.ends_on >= $15))) \
             AND ($16 IS NULL OR s.status = $16) AND ($17 IS NULL OR t.state = $17) \
             {} LIMIT $11 OFFSET $12",
            municipality_task_select!(),
            task_filter!(),
            task_order(filter, StatusOrder::Municipality)
        ));
        let [w1, w2, w3, w4, w5] = patterns;
        sqlx::query_as::<_, MunicipalityTaskRow>(sql)
            .bind(filter.project_id.map(|p| p.0))
            .bind(filter.task_type.map(|t| t.as_str()))
            .bind(w1)
            .bind(w2)
            .bind(w3)
            .bind(w4)
            .bind(w5)
            .bind(filter.from)
            .bind(filter.to)
            .bind(false)
            .bind(page_size(filter))
            .bind(i64::from(filter.offset))
            .bind(access.org_id().0)
            .bind(filter.assigned_to.map(|u| u.0))
            .bind(now().date())
            .bind(filter.status.map(TaskStatus::as_str))
            .bind(filter.state.map(TaskState::as_str))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(MunicipalityTask::try_from)
            .collect()
    }

    async fn municipality_task(
        &self,
        access: &OrgAccess,
        id: TaskId,
    ) -> Result<Option<MunicipalityTask>> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        fetch_municipality_task(&mut conn, access, id).await
    }

    /// Sets a municipality's status on a task by the domain's rule, keeps the
    /// task's counters in step, and audits the change — all in one transaction.
    async fn set_task_status(
        &self,
        access: &OrgAccess,
        id: TaskId,
        to: TaskStatus,
        reason: Option<&str>,
    ) -> Result<MunicipalityTask> {
        require_work(access)?;
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // The counters move by the status read here, so that read must be the
        // one this change replaces: the task first (other municipalities'
        // changes queue there), then this municipality's row (its answers).
        lock_task(&mut tx, id).await?;
        lock_task_status(&mut tx, access.org_id(), id).await?;
        let current = fetch_municipality_task(&mut tx, access, id)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        check_state(&current.task, TaskState::Published, "a status change")?;
        let unanswered_required: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM task_questions q WHERE q.task_id = $1 AND q.required = TRUE \
             AND NOT EXISTS (SELECT 1 FROM task_answers a WHERE a.question_id = q.id AND a.org_id = $2)",
        )
        .bind(id.0)
        .bind(access.org_id().0)
        .fetch_one(&mut *tx)
        .await?;
        let unanswered_required = usize::try_from(unanswered_required).unwrap_or(usize::MAX);
        check_status_change(current.status, to, reason, unanswered_required)?;
        if current.status == to {
            return Ok(current);
        }
        // A pipeline's step: its gate, under the pipeline's lock.
        check_step_gate(&mut tx, access.org_id(), id, to).await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        sqlx::query(
            "UPDATE task_statuses SET status = $3, reason = $4, changed_at = $5, changed_by = $6 \
             WHERE task_id = $1 AND org_id = $2",
        )
        .bind(id.0)
        .bind(access.org_id().0)
        .bind(to.as_str())
        .bind(reason)
        .bind(now())
        .bind(&access.actor().label)
        .execute(&mut *tx)
        .await?;
        record_status_change(
            &mut tx,
            id,
            access.org_id(),
            access.actor(),
            Some(current.status),
            to,
            reason,
        )
        .await?;
        let counters = sqlx::AssertSqlSafe(format!(
            "UPDATE tasks SET {from} = {from} - 1, {to} = {to} + 1 WHERE id = $1",
            from = counter_column(current.status),
            to = counter_column(to),
        ));
        sqlx::query(counters).bind(id.0).execute(&mut *tx).await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "task_status.change",
                entity_type: "task",
                entity_id: id.0.to_string(),
                before: Some(serde_json::json!({ "status": current.status.as_str() })),
                after: Some(serde_json::json!({ "status": to.as_str(), "reason": reason })),
            },
        )
        .await?;
        let updated = fetch_municipality_task(&mut tx, access, id)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        tx.commit().await?;
        Ok(updated)
    }

    /// A municipality's own task: published at once to it alone.
    async fn create_local_task(
        &self,
        access: &OrgAccess,
        task: &NewTask,
    ) -> Result<MunicipalityTask> {
        require_work(access)?;
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        check_task_roles(&mut tx, task).await?;
        let id = insert_task_row(&mut tx, task, Some(access.org_id())).await?;
        sqlx::query(
            "INSERT INTO task_statuses (task_id, org_id, status) VALUES ($1, $2, 'not_started')",
        )
        .bind(id.0)
        .bind(access.org_id().0)
        .execute(&mut *tx)
        .await?;
        let created = fetch_municipality_task(&mut tx, access, id)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(access.org_id()),
                "task.create_local",
                "task",
                id.0,
            )
            .after(serde_json::to_value(&created.task).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }
}
