// `NotificationStore`: events, fan-out, reminders and digests, on both
// backends; included into the `notifications` module of `shared.rs`, beside
// the helpers and rows of `notifications.rs` it uses.

#[async_trait]
impl NotificationStore for Store {
    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, Option<i64>, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT id, kind, task_id, payload, created_at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(id, kind, task_id, payload, created_at)| {
                Ok(EventRecord {
                    id,
                    kind,
                    task_id: task_id.map(TaskId),
                    payload: serde_json::from_str(&payload)
                        .map_err(|e| StorageError::Corrupt(format!("event {id} payload: {e}")))?,
                    created_at,
                })
            })
            .collect()
    }

    async fn fan_out_events(&self, limit: u32) -> Result<QueueReport> {
        let pool = &self.pool;
        let events: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, kind, task_id, payload FROM events WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        let mut report = QueueReport::default();
        for (id, event_kind, task_id, payload) in events {
            let at = now();
            let mut tx = begin_write(pool).await?;
            let payload: serde_json::Value = serde_json::from_str(&payload)
                .map_err(|e| StorageError::Corrupt(format!("event {id} payload: {e}")))?;
            let kind = NotificationKind::for_event(&event_kind);
            let facts = match task_id {
                Some(task) => task_facts(&mut tx, task).await?,
                None => None,
            };
            if let (Some(kind), Some(task), Some(facts)) = (kind, task_id, facts) {
                let [da, en] = [Language::Da, Language::En].map(|language| {
                    let detail = match event_kind.as_str() {
                        "task.changed" => change_detail(language, &payload),
                        "role.created" => payload["name"].as_str().unwrap_or("").to_owned(),
                        "task.comment" => comment_detail(language, &payload),
                        _ => String::new(),
                    };
                    task_text(language, kind, &event_kind, &facts, &detail)
                });
                let today = at.date();
                let recipients = match event_kind.as_str() {
                    "role.created" => Recipients::Administrators { task },
                    // A municipality's comment goes to staff; a staff reply
                    // to the people concerned in that municipality.
                    "task.comment" if payload["from_community"] != true => Recipients::Staff,
                    "task.comment" => Recipients::Concerned {
                        task,
                        org: payload["org_id"].as_i64(),
                        open_only: false,
                        assigned_only: false,
                        today,
                    },
                    "task.assigned" => Recipients::Concerned {
                        task,
                        org: payload["org_id"].as_i64(),
                        open_only: false,
                        assigned_only: true,
                        today,
                    },
                    // A change or the closing: everyone the task concerns.
                    "task.changed" | "task.closed" => Recipients::Changed { task, today },
                    _ => Recipients::Concerned {
                        task,
                        org: None,
                        open_only: false,
                        assigned_only: false,
                        today,
                    },
                };
                let source_key = format!("event:{id}");
                let link = format!("/opgaver/{task}");
                report.notifications += insert_notifications(
                    &mut tx,
                    &Notice {
                        kind,
                        source_key: &source_key,
                        message_id: None,
                        task_id: Some(task),
                        texts: Texts {
                            da: (&da.0, &da.1),
                            en: (&en.0, &en.1),
                        },
                        link: Some(&link),
                    },
                    &recipients,
                    at,
                )
                .await?;
                report.deliveries += queue_immediate(&mut tx, &source_key, None, at).await?;
            }
            sqlx::query("UPDATE events SET fanned_out_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            report.handled += 1;
        }
        Ok(report)
    }

    async fn queue_reminders(&self, today: time::Date) -> Result<QueueReport> {
        let pool = &self.pool;
        const JOB: &str = "task_reminders";
        let mut report = QueueReport::default();
        let mut tx = begin_write(pool).await?;
        let done: Option<(Date,)> = sqlx::query_as("SELECT done_on FROM job_days WHERE name = $1")
            .bind(JOB)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some_and(|(day,)| day >= today) {
            return Ok(report);
        }
        // Overdue reminders stop a year after the end date.
        let oldest = today.saturating_sub(time::Duration::days(365));
        let due = reminder_end_dates(today, oldest);
        let tasks: Vec<(i64, Option<String>, String, Date)> = sqlx::query_as(
            "SELECT id, code, title, end_date FROM tasks WHERE state = 'published' \
             AND end_date IS NOT NULL AND end_date >= $1 AND end_date <= $2 ORDER BY id",
        )
        .bind(oldest)
        .bind(today.saturating_add(time::Duration::days(7)))
        .fetch_all(&mut *tx)
        .await?;
        let at = now();
        for (task, code, title, end_date) in tasks {
            if !due.contains(&end_date) {
                continue;
            }
            let Some(reminder) = reminder_due(end_date, today) else {
                continue;
            };
            let facts = TaskFacts {
                code,
                title,
                end_date: Some(end_date),
            };
            let [da, en] = [Language::Da, Language::En].map(|language| {
                task_text(
                    language,
                    NotificationKind::TaskReminder,
                    "reminder",
                    &facts,
                    &reminder_sentence(language, reminder),
                )
            });
            let source_key = format!("reminder:{task}:{today}");
            let link = format!("/opgaver/{task}");
            report.notifications += insert_notifications(
                &mut tx,
                &Notice {
                    kind: NotificationKind::TaskReminder,
                    source_key: &source_key,
                    message_id: None,
                    task_id: Some(task),
                    texts: Texts {
                        da: (&da.0, &da.1),
                        en: (&en.0, &en.1),
                    },
                    link: Some(&link),
                },
                &Recipients::Concerned {
                    task,
                    org: None,
                    open_only: true,
                    assigned_only: false,
                    today,
                },
                at,
            )
            .await?;
            report.deliveries += queue_immediate(&mut tx, &source_key, None, at).await?;
            report.handled += 1;
        }
        sqlx::query(
            "INSERT INTO job_days (name, done_on) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET done_on = excluded.done_on",
        )
        .bind(JOB)
        .bind(today)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn queue_digests(&self, at: OffsetDateTime) -> Result<QueueReport> {
        let pool = &self.pool;
        let mut report = QueueReport::default();
        for frequency in [Frequency::Daily, Frequency::Weekly] {
            let Some(period) = digest_period(frequency, at) else {
                continue;
            };
            let users: Vec<(i64, String)> = sqlx::query_as(
                "SELECT DISTINCT n.user_id, u.language FROM notifications n \
                 JOIN users u ON u.id = n.user_id WHERE n.delivery_id IS NULL \
                 AND n.email_plan = $1 AND n.created_at < $2",
            )
            .bind(frequency.as_str())
            .bind(period.cutoff)
            .fetch_all(pool)
            .await?;
            for (user, language) in users {
                let mut tx = begin_write(pool).await?;
                let items: Vec<(String, String)> = sqlx::query_as(
                    "SELECT subject, body FROM notifications WHERE user_id = $1 AND delivery_id IS NULL \
                     AND email_plan = $2 AND created_at < $3 ORDER BY id",
                )
                .bind(user)
                .bind(frequency.as_str())
                .bind(period.cutoff)
                .fetch_all(&mut *tx)
                .await?;
                let items: Vec<DigestItem> = items
                    .into_iter()
                    .map(|(subject, body)| DigestItem { subject, body })
                    .collect();
                let (subject, body) =
                    digest_text(Language::from_code(&language), frequency, &items);
                let key = format!("digest:{}:{user}:{}", frequency.as_str(), period.period);
                let delivery: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, \
                     body, state, attempts, next_attempt_at, created_at) \
                     SELECT $1, u.org_id, u.id, u.email, $2, $3, 'queued', 0, $4, $4 \
                     FROM users u WHERE u.id = $5 AND u.email IS NOT NULL \
                     ON CONFLICT (delivery_key) DO NOTHING RETURNING id",
                )
                .bind(&key)
                .bind(&subject)
                .bind(&body)
                .bind(at)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
                // Without a new delivery (no address, or this period's digest
                // already went) the notifications wait for the next period.
                if let Some((delivery,)) = delivery {
                    sqlx::query(
                        "UPDATE notifications SET delivery_id = $1 WHERE user_id = $2 \
                         AND delivery_id IS NULL AND email_plan = $3 AND created_at < $4",
                    )
                    .bind(delivery)
                    .bind(user)
                    .bind(frequency.as_str())
                    .bind(period.cutoff)
                    .execute(&mut *tx)
                    .await?;
                    report.deliveries += 1;
                    report.notifications += items.len() as u64;
                }
                tx.commit().await?;
                report.handled += 1;
            }
        }
        Ok(report)
    }
}

/// Who wrote what, for a comment's notification, in the recipient's
/// language.
fn comment_detail(language: Language, payload: &serde_json::Value) -> String {
    samspil_coordination::notification::comment_detail(
        language,
        payload["author"].as_str().unwrap_or(""),
        (payload["from_community"] != true).then(|| payload["org_name"].as_str().unwrap_or("")),
        payload["body"].as_str().unwrap_or(""),
    )
}
