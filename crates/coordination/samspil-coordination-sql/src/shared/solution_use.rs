// `SolutionUseStore`: municipalities' IT solutions and their access, on both
// backends; included into the `roles` module of `shared.rs`, beside the
// helpers and rows of `roles.rs` it uses.

#[async_trait]
impl SolutionUseStore for Store {
    /// The projects (IT solutions) a municipality uses.
    async fn solutions_used(&self, access: &OrgAccess) -> Result<Vec<ProjectId>> {
        let pool = &self.pool;
        let org = access.org_id();
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT project_id FROM project_participants WHERE org_id = $1 ORDER BY project_id",
        )
        .bind(org.0)
        .fetch_all(pool)
        .await?;
        Ok(ids.into_iter().map(ProjectId).collect())
    }

    /// Records whether a municipality uses an IT solution. A new user gets the
    /// solution's open tasks; one that stops must have no progress, answers,
    /// comments or role holders there, since those would silently vanish.
    async fn set_solution_use(
        &self,
        access: &CommunityAccess,
        org: OrgId,
        project: ProjectId,
        uses: bool,
    ) -> Result<()> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let kind: Option<String> =
            sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_optional(&mut *tx)
                .await?;
        if kind.as_deref() != Some("municipality") {
            return Err(ValidationError::named(
                "org",
                "org-not-municipality",
                format!("organisation {} is not a municipality", org.0),
            )
            .into());
        }
        check_solution(&mut tx, Some(project)).await?;
        // In the lock order: the use, then the solution's tasks (their status
        // rows and counters change), then this municipality's status rows.
        let uses_now = lock_solution_use(&mut tx, org, project).await?;
        if uses_now == uses {
            return Ok(());
        }
        super::tasks::lock_project_tasks(&mut tx, project).await?;
        // Only the community's tasks: a municipality's local tasks in the same
        // project are its own, whoever else joins or leaves.
        if uses {
            // A use that did not exist cannot be locked: of two staff adding it
            // at once, the second finds it added and leaves it.
            let added = sqlx::query(
                "INSERT INTO project_participants (project_id, org_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(project.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                return Ok(());
            }
            // A task for chosen municipalities stays theirs: a newcomer gets
            // the tasks that go to every participant.
            sqlx::query(
                "INSERT INTO task_statuses (task_id, org_id, status) \
                 SELECT id, $2, 'not_started' FROM tasks WHERE project_id = $1 AND state = 'published' \
                 AND owner_org_id IS NULL AND chosen_municipalities = 0 \
                 AND NOT EXISTS (SELECT 1 FROM task_statuses s WHERE s.task_id = tasks.id AND s.org_id = $2)",
            )
            .bind(project.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        } else {
            // Progress, answers and comments are reported under the status row
            // lock (`tasks::lock_task_status`): wait for those under way, so
            // that the count below sees them.
            sqlx::query(concat!(
                "SELECT task_id FROM task_statuses WHERE org_id = $2 AND task_id IN \
                 (SELECT id FROM tasks WHERE project_id = $1 AND owner_org_id IS NULL) ORDER BY task_id",
                for_update!()
            ))
            .bind(project.0)
            .bind(org.0)
            .fetch_all(&mut *tx)
            .await?;
            let blockers: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM task_statuses s JOIN tasks t ON t.id = s.task_id \
                         WHERE t.project_id = $1 AND t.state = 'published' AND t.owner_org_id IS NULL \
                         AND s.org_id = $2 \
                         AND s.status <> 'not_started') \
                 + (SELECT COUNT(*) FROM task_answers a JOIN tasks t ON t.id = a.task_id \
                    WHERE t.project_id = $1 AND t.state = 'published' AND t.owner_org_id IS NULL \
                    AND a.org_id = $2) \
                 + (SELECT COUNT(*) FROM task_comments c JOIN tasks t ON t.id = c.task_id \
                    WHERE t.project_id = $1 AND t.state = 'published' AND t.owner_org_id IS NULL \
                    AND c.org_id = $2) \
                 + (SELECT COUNT(*) FROM role_assignments a JOIN roles r ON r.id = a.role_id \
                    WHERE r.project_id = $1 AND a.org_id = $2 AND (a.ends_on IS NULL OR a.ends_on >= $3))",
            )
            .bind(project.0)
            .bind(org.0)
            .bind(now().date())
            .fetch_one(&mut *tx)
            .await?;
            if blockers > 0 {
                return Err(ValidationError::named(
                    "uses",
                    "solution-use-in-progress",
                    "the municipality has progress, answers, comments or role holders in this IT \
                     solution's open tasks and roles; close the tasks or end the roles first",
                )
                .into());
            }
            sqlx::query(
                "DELETE FROM task_statuses WHERE org_id = $2 AND task_id IN \
                 (SELECT id FROM tasks WHERE project_id = $1 AND state = 'published' \
                 AND owner_org_id IS NULL)",
            )
            .bind(project.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM project_participants WHERE project_id = $1 AND org_id = $2")
                .bind(project.0)
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
        }
        super::tasks::recount_project(&mut tx, project).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(org),
                if uses {
                    "solution_use.add"
                } else {
                    "solution_use.remove"
                },
                "project",
                project.0,
            )
            .after(serde_json::json!({ "org_id": org.0, "project_id": project.0, "uses": uses })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn solution_access(&self, access: &OrgAccess) -> Result<Vec<SolutionAccess>> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, i64, String, OffsetDateTime, String)> = sqlx::query_as(
            "SELECT a.user_id, u.display_name, a.project_id, p.name, a.granted_at, a.granted_by \
             FROM solution_access a JOIN users u ON u.id = a.user_id JOIN projects p ON p.id = a.project_id \
             WHERE a.org_id = $1 ORDER BY u.display_name, p.name",
        )
        .bind(access.org_id().0)
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(user_id, user_name, project_id, solution_name, granted_at, granted_by)| {
                    SolutionAccess {
                        user_id: UserId(user_id),
                        user_name,
                        solution_id: ProjectId(project_id),
                        solution_name,
                        granted_at,
                        granted_by,
                    }
                },
            )
            .collect())
    }

    async fn grant_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        project: ProjectId,
    ) -> Result<()> {
        let pool = &self.pool;
        require_administer(access)?;
        let mut tx = begin_write(pool).await?;
        let person = own_user(&mut tx, access, user).await?;
        check_solution(&mut tx, Some(project)).await?;
        if !lock_solution_use(&mut tx, access.org_id(), project).await? {
            return Err(ValidationError::named(
                "solution",
                "solution-not-used",
                "the municipality does not use this IT solution",
            )
            .into());
        }
        let inserted = sqlx::query(
            "INSERT INTO solution_access (org_id, user_id, project_id, granted_at, granted_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(access.org_id().0)
        .bind(person.id.0)
        .bind(project.0)
        .bind(now())
        .bind(&access.actor().label)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted > 0 {
            append_audit(
                &mut tx,
                &AuditEntry::new(
                    access.actor(),
                    Some(access.org_id()),
                    "solution_access.grant",
                    "user",
                    person.id,
                )
                .after(serde_json::json!({ "project_id": project.0 })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn revoke_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        project: ProjectId,
    ) -> Result<()> {
        let pool = &self.pool;
        require_administer(access)?;
        let mut tx = begin_write(pool).await?;
        // Under the use's lock, which `assign_role` takes too: no holder of
        // the solution's roles can appear between this count and the delete.
        lock_solution_use(&mut tx, access.org_id(), project).await?;
        let person = own_user(&mut tx, access, user).await?;
        let holds: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM role_assignments a JOIN roles r ON r.id = a.role_id \
             WHERE a.org_id = $1 AND a.user_id = $2 AND r.project_id = $3 \
             AND (a.ends_on IS NULL OR a.ends_on >= $4)",
        )
        .bind(access.org_id().0)
        .bind(person.id.0)
        .bind(project.0)
        .bind(now().date())
        .fetch_one(&mut *tx)
        .await?;
        if holds > 0 {
            return Err(ValidationError::named(
                "holds_role",
                "solution-role-held",
                "the user holds a role of this IT solution; end the role first",
            )
            .into());
        }
        let deleted = sqlx::query(
            "DELETE FROM solution_access WHERE org_id = $1 AND user_id = $2 AND project_id = $3",
        )
        .bind(access.org_id().0)
        .bind(person.id.0)
        .bind(project.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if deleted > 0 {
            append_audit(
                &mut tx,
                &AuditEntry::new(
                    access.actor(),
                    Some(access.org_id()),
                    "solution_access.revoke",
                    "user",
                    person.id,
                )
                .before(serde_json::json!({ "project_id": project.0 })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
