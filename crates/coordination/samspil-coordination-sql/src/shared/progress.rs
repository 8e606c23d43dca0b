// `ProgressStore`: the national, regional and own progress, on both backends;
// included into the `tasks` module of `shared.rs`, beside the helpers and
// rows of `tasks.rs` it uses.

#[async_trait]
impl ProgressStore for Store {
    async fn project_progress(&self) -> Result<Vec<ProjectProgress>> {
        let pool = &self.pool;
        let rows: Vec<ProjectProgressRow> = sqlx::query_as(
            "SELECT p.id, p.name, \
             (SELECT COUNT(*) FROM project_participants pp WHERE pp.project_id = p.id) AS participants, \
             (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id AND t.state = 'published' \
              AND t.owner_org_id IS NULL) AS published_tasks, \
             (SELECT COUNT(DISTINCT s.org_id) FROM task_statuses s JOIN tasks t ON t.id = s.task_id \
              WHERE t.project_id = p.id AND t.state = 'published' AND t.owner_org_id IS NULL \
              AND s.status <> 'completed') \
             AS municipalities_not_done \
             FROM projects p ORDER BY p.name",
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ProjectProgress {
                project_id: ProjectId(row.id),
                name: row.name,
                participants: row.participants,
                published_tasks: row.published_tasks,
                municipalities_not_done: row.municipalities_not_done,
            })
            .collect())
    }

    async fn area_progress(&self) -> Result<Vec<samspil_coordination_storage::AreaProgress>> {
        let pool = &self.pool;
        let rows: Vec<AreaProgressRow> = sqlx::query_as(
            "SELECT t.project_id, p.name AS project_name, t.business_area AS area, \
             COUNT(DISTINCT t.id) AS published_tasks, \
             COUNT(DISTINCT CASE WHEN s.status <> 'completed' THEN s.org_id END) \
             AS municipalities_not_done \
             FROM tasks t JOIN projects p ON p.id = t.project_id \
             LEFT JOIN task_statuses s ON s.task_id = t.id \
             WHERE t.state = 'published' AND t.business_area IS NOT NULL AND t.owner_org_id IS NULL \
             GROUP BY t.project_id, p.name, t.business_area \
             ORDER BY p.name, t.business_area",
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| samspil_coordination_storage::AreaProgress {
                project_id: ProjectId(row.project_id),
                project_name: row.project_name,
                area: row.area,
                published_tasks: row.published_tasks,
                municipalities_not_done: row.municipalities_not_done,
            })
            .collect())
    }

    /// Counts among one region's municipalities, for at most a page of tasks
    /// (the placeholders are generated, the values bound).
    async fn region_counts(
        &self,
        region: &str,
        ids: &[TaskId],
    ) -> Result<Vec<(TaskId, samspil_coordination::task::StatusCounts)>> {
        let pool = &self.pool;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT s.task_id, s.status, COUNT(*) AS municipalities FROM task_statuses s \
             JOIN organisations o ON o.id = s.org_id \
             WHERE o.region = $1 AND s.task_id IN ({}) GROUP BY s.task_id, s.status",
            placeholders.join(", ")
        ));
        let mut query = sqlx::query_as::<_, RegionCountRow>(sql).bind(region);
        for id in ids {
            query = query.bind(id.0);
        }
        let rows = query.fetch_all(pool).await?;
        let mut counts: Vec<(TaskId, StatusCounts)> = ids
            .iter()
            .map(|id| (*id, StatusCounts::default()))
            .collect();
        for row in rows {
            let Some((_, c)) = counts.iter_mut().find(|(id, _)| id.0 == row.task_id) else {
                continue;
            };
            let n = u32::try_from(row.municipalities).unwrap_or(0);
            match TaskStatus::parse(&row.status)? {
                TaskStatus::Completed => c.completed = n,
                TaskStatus::Started => c.started = n,
                TaskStatus::NotStarted => c.not_started = n,
            }
        }
        Ok(counts)
    }

    async fn municipality_progress(
        &self,
        _access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<MunicipalityProgress>> {
        municipality_progress(&self.pool, None, today).await
    }

    async fn own_progress(
        &self,
        access: &OrgAccess,
        today: time::Date,
    ) -> Result<MunicipalityProgress> {
        municipality_progress(&self.pool, Some(access.org_id()), today)
            .await?
            .pop()
            .ok_or(StorageError::NotFound("organisation"))
    }
}
