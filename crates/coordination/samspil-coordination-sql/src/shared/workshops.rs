// `WorkshopStore`: applications for a workshop's seats and staff's choice,
// on both backends; included into the `meetings` module of `shared.rs`
// beside `meetings.rs`. An application and the choice both decide under
// the meeting row's lock (`lock_meeting`): an application arriving while
// staff choose waits and then finds the seats given; two choices at once
// are taken one after the other, and the second finds the first.

use samspil_coordination::meeting::{Applicant, Profile, check_choice};
use samspil_coordination_storage::{
    ChoiceReport, Decision, WorkshopApplication, WorkshopStore,
};

/// The longest motivation of an application.
const MAX_MOTIVATION: usize = 2_000;

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    user_id: i64,
    display_name: String,
    org_id: i64,
    organisation: String,
    code: Option<i32>,
    region: Option<String>,
    motivation: String,
    applied_at: OffsetDateTime,
    decision: Option<String>,
    email: Option<String>,
    user_type: String,
    active: bool,
}

fn decision_of(value: Option<&str>) -> Result<Decision> {
    match value {
        None => Ok(Decision::Pending),
        Some("chosen") => Ok(Decision::Chosen),
        Some("not_chosen") => Ok(Decision::NotChosen),
        Some(other) => Err(corrupt("application decision", other)),
    }
}

async fn application_rows(conn: &mut Connection, id: MeetingId) -> Result<Vec<ApplicationRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.user_id, u.display_name, a.org_id, o.name AS organisation, o.code, \
         o.region, a.motivation, a.applied_at, a.decision, u.email, u.user_type, u.active \
         FROM workshop_applications a JOIN users u ON u.id = a.user_id \
         JOIN organisations o ON o.id = a.org_id WHERE a.meeting_id = $1 ORDER BY a.id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?)
}

/// Whether staff have chosen (any application decided).
async fn decided(conn: &mut Connection, id: MeetingId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_applications WHERE meeting_id = $1 \
         AND decision IS NOT NULL",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

#[async_trait]
impl WorkshopStore for Store {
    async fn apply_for_workshop(
        &self,
        principal: &Principal,
        id: MeetingId,
        motivation: &str,
    ) -> Result<()> {
        let user = person_of(principal)?;
        let org = principal
            .org_id()
            .ok_or(StorageError::NotFound("organisation"))?;
        let motivation = motivation.trim();
        if motivation.chars().count() > MAX_MOTIVATION {
            return Err(meeting_refusal(
                &MeetingError::TooLong {
                    field: "motivation",
                    max: MAX_MOTIVATION,
                },
                "motivation",
            ));
        }
        if motivation
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(meeting_refusal(
                &MeetingError::ControlCharacter {
                    field: "motivation",
                },
                "motivation",
            ));
        }
        let mut tx = begin_write(&self.pool).await?;
        let meeting = lock_meeting(&mut tx, id).await?;
        let refuse = |e: MeetingError| Err(meeting_refusal(&e, "application"));
        if meeting.kind != MeetingKind::Workshop {
            return refuse(MeetingError::NotAWorkshop);
        }
        if meeting.cancelled_at.is_some() {
            return refuse(MeetingError::Cancelled);
        }
        if meeting.meeting.has_started(now()) {
            return refuse(MeetingError::RegistrationClosed);
        }
        if decided(&mut tx, id).await? {
            return refuse(MeetingError::WorkshopDecided);
        }
        let kept = sqlx::query(
            "INSERT INTO workshop_applications (meeting_id, user_id, org_id, motivation, \
             applied_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, user_id) DO NOTHING",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(org.0)
        .bind(motivation)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if kept == 0 {
            return refuse(MeetingError::AlreadyApplied);
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                &principal.actor(),
                Some(org),
                "meeting.workshop_apply",
                "meeting",
                id.0,
            )
            .after(serde_json::json!({ "user_id": user.0 })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn application_of(&self, user: UserId, id: MeetingId) -> Result<Option<Decision>> {
        let found: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT id, decision FROM workshop_applications WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        found.map(|(_, d)| decision_of(d.as_deref())).transpose()
    }

    async fn workshop_applications(
        &self,
        _access: &CommunityAccess,
        id: MeetingId,
        today: time::Date,
    ) -> Result<Vec<WorkshopApplication>> {
        let mut conn = self.pool.acquire().await?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        found.ok_or(StorageError::NotFound("meeting"))?;
        let rows = application_rows(&mut conn, id).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM roles WHERE mandatory")
            .fetch_one(&mut *conn)
            .await?;
        let filled: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ra.org_id, COUNT(DISTINCT ra.role_id) FROM role_assignments ra \
             JOIN roles r ON r.id = ra.role_id WHERE r.mandatory AND ra.starts_on <= $1 \
             AND (ra.ends_on IS NULL OR ra.ends_on >= $1) GROUP BY ra.org_id",
        )
        .bind(today)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(WorkshopApplication {
                    id: r.id,
                    user_id: UserId(r.user_id),
                    name: r.display_name,
                    org_id: OrgId(r.org_id),
                    organisation: r.organisation,
                    municipality: municipality_code(r.code)?,
                    region: r.region,
                    roles_filled: filled
                        .iter()
                        .find(|(org, _)| *org == r.org_id)
                        .map_or(0, |(_, n)| count(*n)),
                    roles_total: count(total),
                    motivation: r.motivation,
                    applied_at: r.applied_at,
                    decision: decision_of(r.decision.as_deref())?,
                })
            })
            .collect()
    }

    async fn choose_applicants(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        chosen: &[i64],
        chosen_mail: &MeetingMail,
        not_chosen_mail: &MeetingMail,
    ) -> Result<ChoiceReport> {
        let mut tx = begin_write(&self.pool).await?;
        // The lock first: the registrations and decisions below are read
        // only after any other choice or registration has committed.
        let meeting = lock_meeting(&mut tx, id).await?;
        let refuse = |e: MeetingError| Err(meeting_refusal(&e, "choice"));
        if meeting.kind != MeetingKind::Workshop {
            return refuse(MeetingError::NotAWorkshop);
        }
        if meeting.cancelled_at.is_some() {
            return refuse(MeetingError::Cancelled);
        }
        if decided(&mut tx, id).await? {
            return refuse(MeetingError::WorkshopDecided);
        }
        let rows = application_rows(&mut tx, id).await?;
        let applicants: Vec<Applicant> = rows
            .iter()
            .filter_map(|r| {
                Some(Applicant {
                    id: u64::try_from(r.id).ok()?,
                    municipality: municipality_code(r.code).ok()??,
                    profile: Profile {
                        population: 0,
                        region: r.region.clone().unwrap_or_default(),
                        roles_filled: 0,
                        roles_total: 0,
                    },
                })
            })
            .collect();
        let chosen_ids: Vec<u64> = chosen
            .iter()
            .map(|c| u64::try_from(*c).unwrap_or(u64::MAX))
            .collect();
        // The seats left: those not taken by people registered otherwise
        // (an applicant registered already takes no second seat).
        let seats = meeting.seats.unwrap_or(0);
        let registered: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM meeting_registrations WHERE meeting_id = $1")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await?;
        let chosen_users: Vec<i64> = rows
            .iter()
            .filter(|r| chosen.contains(&r.id))
            .map(|r| r.user_id)
            .collect();
        let others = registered
            .iter()
            .filter(|u| !chosen_users.contains(u))
            .count();
        let left = u32::try_from(seats as usize - others.min(seats as usize)).unwrap_or(0);
        if left == 0 && !chosen.is_empty() {
            return Err(meeting_refusal(&MeetingError::Full { seats }, "choice"));
        }
        check_choice(left.max(1), &chosen_ids, &applicants)
            .map_err(|e| meeting_refusal(&e, "choice"))?;
        let at = now();
        let mut queued = 0;
        for row in &rows {
            let is_chosen = chosen.contains(&row.id);
            sqlx::query(
                "UPDATE workshop_applications SET decision = $2, decided_at = $3 WHERE id = $1",
            )
            .bind(row.id)
            .bind(if is_chosen { "chosen" } else { "not_chosen" })
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if is_chosen {
                sqlx::query(
                    "INSERT INTO meeting_registrations (meeting_id, user_id, registered_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (meeting_id, user_id) DO NOTHING",
                )
                .bind(id.0)
                .bind(row.user_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            let mailed = row.active
                && UserType::parse(&row.user_type)
                    .is_some_and(samspil_coordination::role::receives_notifications);
            let email = row.email.as_deref().unwrap_or_default().trim();
            if mailed && !email.is_empty() {
                let mail = if is_chosen { chosen_mail } else { not_chosen_mail };
                let key = format!("meeting:{}:workshop:{}", id.0, row.user_id);
                if queue_mail(
                    &mut tx,
                    &key,
                    row.org_id,
                    row.user_id,
                    email,
                    &mail.subject,
                    &mail.body,
                    None,
                )
                .await?
                {
                    queued += 1;
                }
            }
        }
        let report = ChoiceReport {
            chosen: chosen.len(),
            not_chosen: rows.len() - chosen.len(),
            queued,
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.workshop_choice", "meeting", id.0)
                .after(serde_json::json!({ "chosen": chosen, "report": report })),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}
