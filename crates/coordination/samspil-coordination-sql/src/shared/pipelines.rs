// `PipelineStore`: onboarding pipelines on both backends; included into the
// `tasks` module of `shared.rs`, beside the task helpers it uses (a step is
// a task: `insert_draft`, `publish_to`). The gate is checked by
// `set_task_status` (`municipality_tasks.rs`) through `check_step_gate`,
// after the task's and the status row's locks, under the pipeline row's
// lock: every status change on one pipeline's steps by one municipality
// reads the others' statuses only after the earlier change committed.

use samspil_coordination::pipeline::{
    AreaWindow, ClaimCatalogue, ClaimType, Pipeline, Statuses, StepActor, StepKey, Timeline,
    check_can_move_back, check_can_start, check_ticked,
};
use samspil_coordination_storage::{
    ClaimTicks, NewPipeline, PipelineId, PipelineMember, PipelineRecord, PipelineStep,
    PipelineStore,
};

#[derive(sqlx::FromRow)]
struct PipelineRow {
    id: i64,
    project_id: i64,
    project_name: String,
    area: String,
    supplementary_months: i32,
    claim_step: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PipelineStepRow {
    pipeline_id: i64,
    step_key: String,
    title: String,
    actor: String,
    depends_on: String,
    task_id: i64,
}

fn step_actor(value: &str) -> Result<StepActor> {
    Ok(match value {
        "municipality" => StepActor::Municipality,
        "vendor" => StepActor::Vendor,
        "agency" => StepActor::Agency,
        "community" => StepActor::Community,
        other => {
            return Err(StorageError::Corrupt(format!(
                "pipeline step actor {other}"
            )));
        }
    })
}

fn pipeline_refusal(error: &samspil_coordination::pipeline::PipelineError) -> StorageError {
    error.refusal("pipeline").into()
}

/// The pipelines (one, or all), with their steps and catalogues.
async fn fetch_pipelines(conn: &mut Connection, only: Option<i64>) -> Result<Vec<PipelineRecord>> {
    let rows: Vec<PipelineRow> = sqlx::query_as(
        "SELECT p.id, p.project_id, pr.name AS project_name, p.area, p.supplementary_months, \
         p.claim_step FROM pipelines p JOIN projects pr ON pr.id = p.project_id \
         WHERE ($1 IS NULL OR p.id = $1) ORDER BY pr.name, p.id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<PipelineStepRow> = sqlx::query_as(
        "SELECT pipeline_id, step_key, title, actor, depends_on, task_id FROM pipeline_steps \
         WHERE ($1 IS NULL OR pipeline_id = $1) ORDER BY pipeline_id, position",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT pipeline_id, code, name FROM pipeline_claim_types \
         WHERE ($1 IS NULL OR pipeline_id = $1) ORDER BY pipeline_id, position",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let steps = steps
                .iter()
                .filter(|s| s.pipeline_id == row.id)
                .map(|s| {
                    Ok(PipelineStep {
                        key: s.step_key.clone(),
                        title: s.title.clone(),
                        actor: step_actor(&s.actor)?,
                        depends_on: serde_json::from_str(&s.depends_on).map_err(|e| {
                            StorageError::Corrupt(format!("pipeline step dependencies: {e}"))
                        })?,
                        task_id: TaskId(s.task_id),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(PipelineRecord {
                id: PipelineId(row.id),
                project_id: samspil_coordination::task::ProjectId(row.project_id),
                project_name: row.project_name,
                area: row.area,
                supplementary_months: u8::try_from(row.supplementary_months).unwrap_or(0),
                steps,
                catalogue: types
                    .iter()
                    .filter(|t| t.0 == row.id)
                    .map(|t| ClaimType {
                        code: t.1.clone(),
                        name: t.2.clone(),
                    })
                    .collect(),
                claim_step: row.claim_step,
            })
        })
        .collect()
}

fn checked_rules(record: &PipelineRecord) -> Result<Pipeline> {
    record
        .rules()
        .map_err(|e| StorageError::Corrupt(format!("pipeline {}: {e}", record.id.0)))
}

#[derive(sqlx::FromRow)]
struct MemberStatusRow {
    org_id: i64,
    name: String,
    code: Option<i32>,
    step_key: String,
    status: String,
    changed_at: Option<OffsetDateTime>,
}

/// One member being read: its id, name, code, statuses and completion days.
type MemberEntry = (
    i64,
    String,
    Option<i32>,
    BTreeMap<String, TaskStatus>,
    BTreeMap<String, time::Date>,
);

/// The members of a pipeline (or one of them) from its step tasks' status
/// rows, by municipality code.
async fn fetch_members(
    conn: &mut Connection,
    record: &PipelineRecord,
    only: Option<OrgId>,
) -> Result<Vec<PipelineMember>> {
    let rules = checked_rules(record)?;
    let rows: Vec<MemberStatusRow> = sqlx::query_as(
        "SELECT s.org_id, o.name, o.code, ps.step_key, s.status, s.changed_at \
         FROM pipeline_steps ps JOIN task_statuses s ON s.task_id = ps.task_id \
         JOIN organisations o ON o.id = s.org_id \
         WHERE ps.pipeline_id = $1 AND ($2 IS NULL OR s.org_id = $2) ORDER BY o.code, o.id",
    )
    .bind(record.id.0)
    .bind(only.map(|o| o.0))
    .fetch_all(&mut *conn)
    .await?;
    let mut members: Vec<PipelineMember> = Vec::new();
    let mut current: Option<MemberEntry> = None;
    let finish = |entry: Option<MemberEntry>, members: &mut Vec<PipelineMember>| -> Result<()> {
        if let Some((org, name, code, statuses, completed_on)) = entry {
            members.push(PipelineMember::derive(
                &rules,
                record.supplementary_months,
                OrgId(org),
                name,
                municipality_code(code)?,
                statuses,
                completed_on,
            ));
        }
        Ok(())
    };
    for row in rows {
        if current.as_ref().is_none_or(|c| c.0 != row.org_id) {
            finish(current.take(), &mut members)?;
            current = Some((
                row.org_id,
                row.name.clone(),
                row.code,
                BTreeMap::new(),
                BTreeMap::new(),
            ));
        }
        if let Some(entry) = current.as_mut() {
            let status = TaskStatus::parse(&row.status)?;
            if status == TaskStatus::Completed
                && let Some(at) = row.changed_at
            {
                entry.4.insert(row.step_key.clone(), at.date());
            }
            entry.3.insert(row.step_key, status);
        }
    }
    finish(current.take(), &mut members)?;
    Ok(members)
}

/// The gate of a status change on a step task, for `set_task_status`: a
/// task that is no step passes. Locks the pipeline's row, then reads the
/// municipality's statuses on the other steps.
pub(super) async fn check_step_gate(
    conn: &mut Connection,
    org: OrgId,
    task: TaskId,
    to: TaskStatus,
) -> Result<()> {
    let step: Option<(i64, String)> =
        sqlx::query_as("SELECT pipeline_id, step_key FROM pipeline_steps WHERE task_id = $1")
            .bind(task.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((pipeline_id, key)) = step else {
        return Ok(());
    };
    sqlx::query(concat!(
        "SELECT id FROM pipelines WHERE id = $1",
        for_update!()
    ))
    .bind(pipeline_id)
    .fetch_optional(&mut *conn)
    .await?;
    let record = fetch_pipelines(conn, Some(pipeline_id))
        .await?
        .into_iter()
        .next()
        .ok_or(StorageError::NotFound("pipeline"))?;
    let rules = checked_rules(&record)?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT ps.step_key, s.status FROM pipeline_steps ps \
         JOIN task_statuses s ON s.task_id = ps.task_id AND s.org_id = $2 \
         WHERE ps.pipeline_id = $1",
    )
    .bind(pipeline_id)
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut statuses = Statuses::new();
    for (step_key, status) in rows {
        if let Ok(k) = StepKey::new(&step_key) {
            statuses.insert(k, TaskStatus::parse(&status)?);
        }
    }
    check_can_start(&rules, &key, to, &statuses).map_err(|e| pipeline_refusal(&e))?;
    check_can_move_back(&rules, &key, to, &statuses).map_err(|e| pipeline_refusal(&e))?;
    Ok(())
}

/// The code of a ticked option: the text before " – " ("KTTIBAK – Tilbage…"),
/// or the whole of it.
fn ticked_code(value: &str) -> &str {
    value
        .split_once(" – ")
        .map_or(value, |(code, _)| code)
        .trim()
}

#[async_trait]
impl PipelineStore for Store {
    async fn create_pipeline(
        &self,
        access: &CommunityAccess,
        new: &NewPipeline,
    ) -> Result<PipelineRecord> {
        let specs: Vec<_> = new.steps.iter().map(|s| s.spec.clone()).collect();
        let rules = Pipeline::new(&new.area, specs).map_err(|e| pipeline_refusal(&e))?;
        samspil_coordination::pipeline::stop_dates(now().date(), new.supplementary_months)
            .map_err(|e| pipeline_refusal(&e))?;
        ClaimCatalogue::new(rules.area(), new.catalogue.clone())
            .map_err(|e| pipeline_refusal(&e))?;
        if let Some(step) = &new.claim_step {
            rules.step(step).map_err(|e| pipeline_refusal(&e))?;
        }
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let project: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(new.project_id.0)
            .fetch_optional(&mut *tx)
            .await?;
        if project.is_none() {
            return Err(samspil_domain::ValidationError::named(
                "project",
                "project-unknown",
                format!("there is no project {}", new.project_id.0),
            )
            .into());
        }
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM pipelines WHERE project_id = $1 AND area = $2")
                .bind(new.project_id.0)
                .bind(rules.area())
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(samspil_domain::ValidationError::named_with(
                "area",
                "pipeline-area-taken",
                vec![("name", rules.area().to_owned())],
                format!("the project has a pipeline for {} already", rules.area()),
            )
            .into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pipelines (project_id, area, supplementary_months, claim_step, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.project_id.0)
        .bind(rules.area())
        .bind(i32::from(new.supplementary_months))
        .bind(&new.claim_step)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        for (position, step) in rules.steps().iter().enumerate() {
            let given = new
                .steps
                .iter()
                .find(|s| s.spec.key == step.key.as_str())
                .and_then(|s| s.task_id);
            let task_id = match given {
                Some(task) => {
                    let fits: Option<i64> = sqlx::query_scalar(
                        "SELECT t.id FROM tasks t WHERE t.id = $1 AND t.project_id = $2 \
                         AND t.owner_org_id IS NULL AND t.state = 'published' \
                         AND NOT EXISTS (SELECT 1 FROM pipeline_steps ps WHERE ps.task_id = t.id)",
                    )
                    .bind(task.0)
                    .bind(new.project_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if fits.is_none() {
                        return Err(samspil_domain::ValidationError::named_with(
                            "steps",
                            "pipeline-task-not-in-project",
                            vec![("name", step.key.to_string())],
                            format!(
                                "task {} is no published task of the project outside a pipeline",
                                task.0
                            ),
                        )
                        .into());
                    }
                    task
                }
                None => {
                    let task = NewTask {
                        project_id: new.project_id,
                        code: Some(step.key.to_string()),
                        title: step.title.clone(),
                        description: String::new(),
                        task_type: samspil_coordination::task::TaskType::Mandatory,
                        schedule: Default::default(),
                        executor_role: None,
                        involved_roles: None,
                        business_area: Some(rules.area().to_owned()),
                        guidance: Default::default(),
                    };
                    let draft = insert_draft(&mut tx, access, &task).await?;
                    if new.claim_step.as_deref() == Some(step.key.as_str())
                        && !new.catalogue.is_empty()
                    {
                        let options: Vec<String> = new
                            .catalogue
                            .iter()
                            .map(|c| format!("{} – {}", c.code, c.name))
                            .collect();
                        sqlx::query(
                            "INSERT INTO task_questions (task_id, position, kind, prompt, options, required) \
                             VALUES ($1, 0, 'multiple_choice', $2, $3, TRUE)",
                        )
                        .bind(draft.id.0)
                        .bind("Hvilke fordringstyper er relevante for kommunen?")
                        .bind(serde_json::to_string(&options).map_err(|e| {
                            StorageError::Corrupt(format!("question options: {e}"))
                        })?)
                        .execute(&mut *tx)
                        .await?;
                    }
                    publish_to(&mut tx, access, &draft, Some(new.project_id)).await?;
                    draft.id
                }
            };
            let depends_on: Vec<&str> = step.depends_on.iter().map(StepKey::as_str).collect();
            sqlx::query(
                "INSERT INTO pipeline_steps (pipeline_id, position, step_key, title, actor, depends_on, task_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(step.key.as_str())
            .bind(&step.title)
            .bind(step.actor.as_str())
            .bind(serde_json::to_string(&depends_on).unwrap_or_else(|_| "[]".into()))
            .bind(task_id.0)
            .execute(&mut *tx)
            .await?;
        }
        for (position, t) in new.catalogue.iter().enumerate() {
            sqlx::query(
                "INSERT INTO pipeline_claim_types (pipeline_id, position, code, name) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(&t.code)
            .bind(t.name.trim())
            .execute(&mut *tx)
            .await?;
        }
        let created = fetch_pipelines(&mut tx, Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StorageError::NotFound("pipeline"))?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "pipeline.create", "pipeline", id)
                .after(serde_json::to_value(&created).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn pipelines(&self) -> Result<Vec<PipelineRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_pipelines(&mut conn, None).await
    }

    async fn pipeline(&self, id: PipelineId) -> Result<Option<PipelineRecord>> {
        let mut conn = self.pool.acquire().await?;
        Ok(fetch_pipelines(&mut conn, Some(id.0))
            .await?
            .into_iter()
            .next())
    }

    async fn pipeline_members(
        &self,
        _access: &CommunityAccess,
        id: PipelineId,
    ) -> Result<Vec<PipelineMember>> {
        let mut conn = self.pool.acquire().await?;
        let record = fetch_pipelines(&mut conn, Some(id.0))
            .await?
            .into_iter()
            .next()
            .ok_or(StorageError::NotFound("pipeline"))?;
        fetch_members(&mut conn, &record, None).await
    }

    async fn municipality_pipelines(
        &self,
        access: &OrgAccess,
    ) -> Result<Vec<(PipelineRecord, PipelineMember)>> {
        let mut conn = self.pool.acquire().await?;
        let mut mine = Vec::new();
        for record in fetch_pipelines(&mut conn, None).await? {
            let member = fetch_members(&mut conn, &record, Some(access.org_id()))
                .await?
                .into_iter()
                .next();
            if let Some(member) = member {
                mine.push((record, member));
            }
        }
        Ok(mine)
    }

    async fn claim_type_ticks(
        &self,
        _access: &CommunityAccess,
        id: PipelineId,
    ) -> Result<Vec<ClaimTicks>> {
        let mut conn = self.pool.acquire().await?;
        let record = fetch_pipelines(&mut conn, Some(id.0))
            .await?
            .into_iter()
            .next()
            .ok_or(StorageError::NotFound("pipeline"))?;
        let Some(step) = record
            .claim_step
            .as_ref()
            .and_then(|k| record.steps.iter().find(|s| &s.key == k))
        else {
            return Ok(Vec::new());
        };
        let catalogue = ClaimCatalogue::new(&record.area, record.catalogue.clone())
            .map_err(|e| StorageError::Corrupt(format!("pipeline {}: {e}", id.0)))?;
        let rows: Vec<(i64, String, Option<i32>, String)> = sqlx::query_as(
            "SELECT a.org_id, o.name, o.code, a.answer FROM task_answers a \
             JOIN task_questions q ON q.id = a.question_id AND q.kind = 'multiple_choice' \
             JOIN organisations o ON o.id = a.org_id \
             WHERE a.task_id = $1 ORDER BY o.code, a.org_id, q.position",
        )
        .bind(step.task_id.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut ticks: Vec<ClaimTicks> = Vec::new();
        for (org, name, code, answer) in rows {
            let Some(code) = municipality_code(code)? else {
                continue;
            };
            let values: Vec<String> = serde_json::from_str(&answer)
                .map_err(|e| StorageError::Corrupt(format!("answer of {org}: {e}")))?;
            let codes: Vec<&str> = values.iter().map(|v| ticked_code(v)).collect();
            // Answers to another question of the step (not of claim
            // types) are not ticks.
            let Ok(types) = check_ticked(&catalogue, &codes) else {
                continue;
            };
            if ticks.iter().any(|t| t.org_id.0 == org) {
                continue;
            }
            ticks.push(ClaimTicks {
                org_id: OrgId(org),
                name,
                code,
                types: types.into_iter().cloned().collect(),
            });
        }
        Ok(ticks)
    }

    async fn set_timeline(&self, access: &CommunityAccess, windows: &[AreaWindow]) -> Result<()> {
        let timeline = Timeline::new(windows.to_vec()).map_err(|e| pipeline_refusal(&e))?;
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let before = fetch_windows(&mut tx).await?;
        sqlx::query("DELETE FROM pipeline_windows")
            .execute(&mut *tx)
            .await?;
        for w in timeline.windows() {
            sqlx::query(
                "INSERT INTO pipeline_windows (area, system, opens_on, closes_on) VALUES ($1, $2, $3, $4)",
            )
            .bind(&w.area)
            .bind(&w.system)
            .bind(w.from)
            .bind(w.to)
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "pipeline_timeline.replace",
                entity_type: "pipeline_timeline",
                entity_id: "timeline".into(),
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(timeline.windows()).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn timeline(&self) -> Result<Vec<AreaWindow>> {
        let mut conn = self.pool.acquire().await?;
        fetch_windows(&mut conn).await
    }
}

async fn fetch_windows(conn: &mut Connection) -> Result<Vec<AreaWindow>> {
    let rows: Vec<(String, String, time::Date, time::Date)> = sqlx::query_as(
        "SELECT area, system, opens_on, closes_on FROM pipeline_windows \
         ORDER BY opens_on, area, system",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(area, system, from, to)| AreaWindow {
            area,
            system,
            from,
            to,
        })
        .collect())
}
