// `NsisAssessmentStore`: assessments, their versions and approvals, on both
// backends; included into the `nsis_assessments` module of `shared.rs`.
//
// Every write locks the assessment's row first (`for_update!()`), so that
// of two staff adding a version at once the second gets the next number,
// and an approval and a new version never cross: an approval is of the
// newest version as it stands under the lock.

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: i64,
    assessment_id: i64,
    version: i64,
    project_leader: String,
    phase: String,
    assessors: String,
    assessed_on: Date,
    matrix_version: i64,
    risk_score: i64,
    control_sum: i64,
    control_count: i64,
    level: String,
    author: String,
    created_at: OffsetDateTime,
    approved_by: Option<String>,
    approved_at: Option<OffsetDateTime>,
}

macro_rules! version_select {
    () => {
        "SELECT v.id, v.assessment_id, v.version, v.project_leader, \
     v.phase, v.assessors, v.assessed_on, v.matrix_version, v.risk_score, v.control_sum, \
     v.control_count, v.level, v.author, v.created_at, v.approved_by, v.approved_at \
     FROM nsis_assessment_versions v "
    };
}

fn stored_count(value: i64, what: &str) -> Result<u32> {
    u32::try_from(value).map_err(|_| StorageError::Corrupt(format!("{what} {value}")))
}

impl VersionRow {
    fn into_version(self, scores: Vec<ScoreRecord>) -> Result<AssessmentVersion> {
        Ok(AssessmentVersion {
            version: self.version,
            project_leader: self.project_leader,
            phase: self.phase,
            assessors: self
                .assessors
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            assessed_on: self.assessed_on,
            matrix_version: self.matrix_version,
            risk_score: u8::try_from(self.risk_score)
                .map_err(|_| StorageError::Corrupt(format!("risk score {}", self.risk_score)))?,
            control: ControlScore {
                sum: stored_count(self.control_sum, "control sum")?,
                count: stored_count(self.control_count, "control count")?,
            },
            level: stored_level(&self.level)?,
            author: self.author,
            created_at: self.created_at,
            approved_by: self.approved_by,
            approved_at: self.approved_at,
            scores,
        })
    }
}

/// The assessments' own rows, with their newest version and the newest
/// approved one's number and level.
async fn assessments(pool: &sqlx::Pool<Db>, only: Option<i64>) -> Result<Vec<Assessment>> {
    let heads: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, solution_id, user_type FROM nsis_assessments \
         WHERE ($1 IS NULL OR id = $1) ORDER BY solution_id, user_type",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    let latest: Vec<VersionRow> = sqlx::query_as(concat!(
        version_select!(),
        "WHERE ($1 IS NULL OR v.assessment_id = $1) AND v.version = \
         (SELECT MAX(w.version) FROM nsis_assessment_versions w WHERE w.assessment_id = v.assessment_id)"
    ))
    .bind(only)
    .fetch_all(pool)
    .await?;
    let approved: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT v.assessment_id, v.version, v.level FROM nsis_assessment_versions v \
         WHERE ($1 IS NULL OR v.assessment_id = $1) AND v.version = \
         (SELECT MAX(w.version) FROM nsis_assessment_versions w \
          WHERE w.assessment_id = v.assessment_id AND w.approved_at IS NOT NULL)",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    let mut latest: std::collections::HashMap<i64, VersionRow> =
        latest.into_iter().map(|v| (v.assessment_id, v)).collect();
    let approved: std::collections::HashMap<i64, (i64, String)> = approved
        .into_iter()
        .map(|(id, version, level)| (id, (version, level)))
        .collect();
    heads
        .into_iter()
        .map(|(id, solution_id, user_type)| {
            let newest = latest.remove(&id).ok_or_else(|| {
                StorageError::Corrupt(format!("NSIS assessment {id} has no version"))
            })?;
            let (approved_version, approved_level) = match approved.get(&id) {
                Some((version, level)) => (Some(*version), Some(stored_level(level)?)),
                None => (None, None),
            };
            Ok(Assessment {
                id,
                solution_id,
                user_type,
                latest: newest.into_version(Vec::new())?,
                approved_version,
                approved_level,
            })
        })
        .collect()
}

async fn detail(pool: &sqlx::Pool<Db>, id: i64) -> Result<Option<AssessmentDetail>> {
    let Some(assessment) = assessments(pool, Some(id)).await?.into_iter().next() else {
        return Ok(None);
    };
    let rows: Vec<VersionRow> = sqlx::query_as(concat!(
        version_select!(),
        "WHERE v.assessment_id = $1 ORDER BY v.version DESC"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    let scores: Vec<(i64, i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT s.version_id, s.element_id, e.name, e.kind, s.score, s.rationale \
         FROM nsis_scores s JOIN nsis_elements e ON e.id = s.element_id \
         JOIN nsis_assessment_versions v ON v.id = s.version_id \
         WHERE v.assessment_id = $1 \
         ORDER BY CASE e.kind WHEN 'risk' THEN 0 ELSE 1 END, e.name, e.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut by_version: std::collections::HashMap<i64, Vec<ScoreRecord>> = Default::default();
    for (version_id, element_id, element_name, kind, score, rationale) in scores {
        by_version.entry(version_id).or_default().push(ScoreRecord {
            element_id,
            element_name,
            kind: stored_kind(&kind)?,
            score: u8::try_from(score)
                .map_err(|_| StorageError::Corrupt(format!("NSIS score {score}")))?,
            rationale,
        });
    }
    let versions = rows
        .into_iter()
        .map(|row| {
            let scores = by_version.remove(&row.id).unwrap_or_default();
            row.into_version(scores)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(AssessmentDetail {
        assessment,
        versions,
    }))
}

fn header_text(field: &'static str, text: &str, required: bool) -> Result<String> {
    let text = samspil_domain::input::free_text(field, text, 200)?;
    match (text, required) {
        (Some(text), _) => Ok(text.to_owned()),
        (None, false) => Ok(String::new()),
        (None, true) => Err(ValidationError::new(field, "required").into()),
    }
}

/// Checks a version as typed and writes it as number `version` of the
/// assessment, evaluated against the current matrix, in the caller's
/// transaction; returns what the audit entry records.
async fn insert_version(
    conn: &mut <Db as sqlx::Database>::Connection,
    access: &CommunityAccess,
    assessment_id: i64,
    version: i64,
    input: &VersionInput,
) -> Result<serde_json::Value> {
    let project_leader = header_text("project_leader", &input.project_leader, true)?;
    let phase = header_text("phase", &input.phase, false)?;
    let assessors = nsis::assessors(&input.assessors)?;
    let elements: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT id, kind, name, active FROM nsis_elements ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut scored: Vec<(i64, ElementKind, nsis::Score, String)> = Vec::new();
    for typed in &input.scores {
        let Some((_, kind, name, active)) = elements.iter().find(|e| e.0 == typed.element_id)
        else {
            return Err(ValidationError::new(
                "scores",
                format!("element {} is not in the catalogue", typed.element_id),
            )
            .into());
        };
        if !active {
            return Err(
                ValidationError::new("scores", format!("'{name}' is no longer in use")).into(),
            );
        }
        if scored.iter().any(|s| s.0 == typed.element_id) {
            return Err(ValidationError::new("scores", format!("'{name}' is scored twice")).into());
        }
        let score = nsis::Score::new(typed.score)
            .map_err(|e| ValidationError::new("score", format!("{name}: {}", e.problem)))?;
        let rationale = nsis::rationale(&typed.rationale)
            .map_err(|e| ValidationError::new("rationale", format!("{name}: {}", e.problem)))?;
        scored.push((typed.element_id, stored_kind(kind)?, score, rationale));
    }
    if let Some((_, _, name, _)) = elements
        .iter()
        .find(|e| e.3 && !scored.iter().any(|s| s.0 == e.0))
    {
        return Err(ValidationError::new(
            "scores",
            format!("score every element in use: '{name}' has no score"),
        )
        .into());
    }
    let matrix = super::nsis_matrix::current(&mut *conn).await?;
    let pairs: Vec<_> = scored.iter().map(|s| (s.1, s.2)).collect();
    let evaluation = nsis::evaluate(&matrix.matrix, &pairs)?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO nsis_assessment_versions (assessment_id, version, project_leader, phase, \
         assessors, assessed_on, matrix_version, risk_score, control_sum, control_count, level, \
         author_user_id, author, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(assessment_id)
    .bind(version)
    .bind(&project_leader)
    .bind(&phase)
    .bind(assessors.join(","))
    .bind(input.assessed_on)
    .bind(matrix.version)
    .bind(i64::from(evaluation.risk))
    .bind(i64::from(evaluation.control.sum))
    .bind(i64::from(evaluation.control.count))
    .bind(evaluation.level.code())
    .bind(access.actor().user_id.map(|u| u.0))
    .bind(&access.actor().label)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    for (element_id, _, score, rationale) in &scored {
        sqlx::query(
            "INSERT INTO nsis_scores (version_id, element_id, score, rationale) VALUES ($1, $2, $3, $4)",
        )
        .bind(version_id)
        .bind(element_id)
        .bind(i64::from(score.get()))
        .bind(rationale)
        .execute(&mut *conn)
        .await?;
    }
    Ok(serde_json::json!({
        "version": version,
        "project_leader": project_leader,
        "phase": phase,
        "assessors": assessors,
        "assessed_on": input.assessed_on.to_string(),
        "matrix_version": matrix.version,
        "risk_score": evaluation.risk,
        "control_score": evaluation.control.rounded(),
        "level": evaluation.level.as_str(),
        "scores": scored.iter().map(|(id, _, score, rationale)| serde_json::json!({
            "element_id": id, "score": score.get(), "rationale": rationale,
        })).collect::<Vec<_>>(),
    }))
}

/// Locks an assessment's row, or it does not exist.
async fn lock_assessment(conn: &mut <Db as sqlx::Database>::Connection, id: i64) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT id FROM nsis_assessments WHERE id = $1",
        for_update!()
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    found
        .map(|_| ())
        .ok_or(StorageError::NotFound("NSIS assessment"))
}

async fn read_back(pool: &sqlx::Pool<Db>, id: i64) -> Result<AssessmentDetail> {
    detail(pool, id)
        .await?
        .ok_or(StorageError::NotFound("NSIS assessment"))
}

#[async_trait]
impl NsisAssessmentStore for Store {
    async fn nsis_assessments(&self) -> Result<Vec<Assessment>> {
        assessments(&self.pool, None).await
    }

    async fn nsis_assessment(&self, id: i64) -> Result<Option<AssessmentDetail>> {
        detail(&self.pool, id).await
    }

    async fn create_nsis_assessment(
        &self,
        access: &CommunityAccess,
        solution_id: i64,
        user_type: &str,
        first: &VersionInput,
    ) -> Result<AssessmentDetail> {
        let user_type = nsis::user_type(user_type)?;
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO nsis_assessments (solution_id, user_type, created_at) \
             VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(solution_id)
        .bind(user_type)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => StorageError::Conflict(format!(
                "this IT solution has an assessment for {user_type} already; add a version to it"
            )),
            other => other,
        })?;
        let version = insert_version(&mut tx, access, id, 1, first).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_assessment.create",
                "nsis_assessment",
                id,
            )
            .after(serde_json::json!({
                "solution_id": solution_id, "user_type": user_type, "first_version": version,
            })),
        )
        .await?;
        tx.commit().await?;
        read_back(&self.pool, id).await
    }

    async fn add_nsis_version(
        &self,
        access: &CommunityAccess,
        id: i64,
        input: &VersionInput,
    ) -> Result<AssessmentDetail> {
        let mut tx = begin_write(&self.pool).await?;
        lock_assessment(&mut tx, id).await?;
        let newest: i64 = sqlx::query_scalar(
            "SELECT MAX(version) FROM nsis_assessment_versions WHERE assessment_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let version = insert_version(&mut tx, access, id, newest + 1, input).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_assessment.version",
                "nsis_assessment",
                id,
            )
            .after(version),
        )
        .await?;
        tx.commit().await?;
        read_back(&self.pool, id).await
    }

    async fn approve_nsis_version(
        &self,
        access: &CommunityAccess,
        id: i64,
        version: i64,
    ) -> Result<AssessmentDetail> {
        let mut tx = begin_write(&self.pool).await?;
        lock_assessment(&mut tx, id).await?;
        let newest: (i64, String, Option<String>, String) = sqlx::query_as(
            "SELECT version, author, approved_by, level FROM nsis_assessment_versions \
             WHERE assessment_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let (newest, author, approved_by, level) = newest;
        if version < 1 || version > newest {
            return Err(StorageError::NotFound("NSIS assessment version"));
        }
        if version != newest {
            return Err(ValidationError::new(
                "version",
                format!("only the newest version ({newest}) can be approved"),
            )
            .into());
        }
        if let Some(approver) = approved_by {
            return Err(StorageError::Conflict(format!(
                "version {version} was approved by {approver} already"
            )));
        }
        if author == access.actor().label {
            return Err(ValidationError::new(
                "approver",
                "a version is approved by someone other than its author",
            )
            .into());
        }
        sqlx::query(
            "UPDATE nsis_assessment_versions SET approved_by = $3, approved_by_user_id = $4, \
             approved_at = $5 WHERE assessment_id = $1 AND version = $2 AND approved_at IS NULL",
        )
        .bind(id)
        .bind(version)
        .bind(&access.actor().label)
        .bind(access.actor().user_id.map(|u| u.0))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "nsis_assessment.approve",
                "nsis_assessment",
                id,
            )
            .after(
                serde_json::json!({ "version": version, "level": stored_level(&level)?.as_str() }),
            ),
        )
        .await?;
        tx.commit().await?;
        read_back(&self.pool, id).await
    }

    async fn nsis_requirements(&self) -> Result<Vec<Requirement>> {
        Ok(assessments(&self.pool, None)
            .await?
            .into_iter()
            .filter_map(|a| {
                Some(Requirement {
                    assessment_id: a.id,
                    solution_id: a.solution_id,
                    user_type: a.user_type,
                    version: a.approved_version?,
                    level: a.approved_level?,
                })
            })
            .collect())
    }
}
