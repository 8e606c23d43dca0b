// A role's task (»Udfyld rollen …«, `ROLLE-N`) completes itself for a
// municipality when the role is filled there; included into the `roles`
// module of `shared.rs`.

/// Marks the role's task completed for the assigning municipality when the
/// new assignment holds today, in the assignment's transaction. It takes
/// the task's lock and then the status row's, as a status change does, so
/// that the counters move from the status read here: a status change of
/// the municipality's own at the same moment waits for it (or it for that)
/// and never counts twice. The step rule does not apply: the role being
/// filled is the fact the task asks for.
pub(super) async fn complete_role_task(
    conn: &mut Connection,
    access: &OrgAccess,
    role: samspil_coordination::role::RoleId,
    period: &samspil_coordination::role::AssignmentPeriod,
) -> Result<()> {
    if !period.holds_on(now().date()) {
        return Ok(());
    }
    let task: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM tasks WHERE code = $1 AND owner_org_id IS NULL AND state = 'published'",
    )
    .bind(samspil_coordination::role::role_task_code(role))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(task) = task.map(TaskId) else {
        return Ok(());
    };
    let org = access.org_id();
    super::tasks::lock_task(conn, task).await?;
    super::tasks::lock_task_status(conn, org, task).await?;
    let current: Option<String> =
        sqlx::query_scalar("SELECT status FROM task_statuses WHERE task_id = $1 AND org_id = $2")
            .bind(task.0)
            .bind(org.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(current) = current.as_deref().map(TaskStatus::parse).transpose()? else {
        // Not published to this municipality.
        return Ok(());
    };
    if current == TaskStatus::Completed {
        return Ok(());
    }
    let reason = "Rollen er udfyldt i rollegalleriet.";
    sqlx::query(
        "UPDATE task_statuses SET status = $3, reason = $4, changed_at = $5, changed_by = $6 \
         WHERE task_id = $1 AND org_id = $2",
    )
    .bind(task.0)
    .bind(org.0)
    .bind(TaskStatus::Completed.as_str())
    .bind(reason)
    .bind(now())
    .bind(&access.actor().label)
    .execute(&mut *conn)
    .await?;
    super::tasks::record_status_change(
        conn,
        task,
        org,
        access.actor(),
        Some(current),
        TaskStatus::Completed,
        Some(reason),
    )
    .await?;
    let counters = sqlx::AssertSqlSafe(format!(
        "UPDATE tasks SET {from} = {from} - 1, {to} = {to} + 1 WHERE id = $1",
        from = super::tasks::counter_column(current),
        to = super::tasks::counter_column(TaskStatus::Completed),
    ));
    sqlx::query(counters).bind(task.0).execute(&mut *conn).await?;
    append_audit(
        conn,
        &AuditEntry {
            actor: access.actor().clone(),
            org_id: Some(org),
            action: "task_status.change",
            entity_type: "task",
            entity_id: task.0.to_string(),
            before: Some(serde_json::json!({ "status": current.as_str() })),
            after: Some(serde_json::json!({ "status": "completed", "reason": reason, "by": "role_filled" })),
        },
    )
    .await?;
    Ok(())
}
