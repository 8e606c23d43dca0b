// `PriceStore`: prices per solution and populations, on both backends;
// included into the `prices` module of `shared.rs`.

type PriceRow = (i64, i64, i64, Date, Option<Date>, String);

fn price(row: PriceRow) -> PriceRecord {
    let (id, solution_id, ore_per_citizen, valid_from, valid_to, created_by) = row;
    PriceRecord {
        id,
        solution_id,
        ore_per_citizen,
        valid_from,
        valid_to,
        created_by,
    }
}

#[async_trait]
impl PriceStore for Store {
    async fn prices(&self) -> Result<Vec<PriceRecord>> {
        let rows: Vec<PriceRow> = sqlx::query_as(
            "SELECT id, solution_id, ore_per_citizen, valid_from, valid_to, created_by \
             FROM solution_prices ORDER BY solution_id, valid_from",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(price).collect())
    }

    async fn add_price(&self, access: &CommunityAccess, new: &NewPrice) -> Result<PriceRecord> {
        if new.ore_per_citizen < 0 {
            return Err(ValidationError::new("price", "a price cannot be negative").into());
        }
        let (valid_from, valid_to) = samspil_tools::prices::validity(new.valid_from, new.valid_to)?;
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO solution_prices (solution_id, ore_per_citizen, valid_from, valid_to, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.solution_id)
        .bind(new.ore_per_citizen)
        .bind(valid_from)
        .bind(valid_to)
        .bind(&access.actor().label)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => StorageError::Conflict(format!(
                "the solution has a price from {valid_from} already"
            )),
            other => other,
        })?;
        let added = PriceRecord {
            id,
            solution_id: new.solution_id,
            ore_per_citizen: new.ore_per_citizen,
            valid_from,
            valid_to,
            created_by: access.actor().label.clone(),
        };
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "price.create", "solution_price", id).after(
                serde_json::json!({
                    "solution_id": added.solution_id,
                    "ore_per_citizen": added.ore_per_citizen,
                    "valid_from": valid_from.to_string(),
                    "valid_to": valid_to.map(|d| d.to_string()),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn populations(&self, day: Date) -> Result<Vec<Population>> {
        let rows: Vec<(i64, i64, Date)> = sqlx::query_as(
            "SELECT p.org_id, p.population, p.as_of FROM populations p \
             WHERE p.as_of = (SELECT MAX(q.as_of) FROM populations q \
                              WHERE q.org_id = p.org_id AND q.as_of <= $1) \
             ORDER BY p.org_id",
        )
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(org, population, as_of)| Population {
                org_id: OrgId(org),
                population,
                as_of,
            })
            .collect())
    }

    async fn import_population(
        &self,
        access: &CommunityAccess,
        rows: &[samspil_tools::prices::PopulationRow],
    ) -> Result<usize> {
        let mut tx = begin_write(&self.pool).await?;
        let codes: Vec<(i64, Option<i32>)> =
            sqlx::query_as("SELECT id, code FROM organisations WHERE kind = 'municipality'")
                .fetch_all(&mut *tx)
                .await?;
        let org_of = |code: u16| {
            codes
                .iter()
                .find(|(_, c)| *c == Some(i32::from(code)))
                .map(|(id, _)| *id)
        };
        // Every code is checked before anything is written.
        let mut resolved = Vec::with_capacity(rows.len());
        for row in rows {
            let org = org_of(row.code).ok_or_else(|| {
                ValidationError::new("file", format!("{} is not a municipality's code", row.code))
            })?;
            if row.population < 0 {
                return Err(ValidationError::new("file", "a population cannot be negative").into());
            }
            resolved.push((org, row));
        }
        let at = now();
        for (org, row) in &resolved {
            sqlx::query(
                "INSERT INTO populations (org_id, as_of, population, imported_by, imported_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, as_of) DO UPDATE SET \
                 population = excluded.population, imported_by = excluded.imported_by, \
                 imported_at = excluded.imported_at",
            )
            .bind(org)
            .bind(row.as_of)
            .bind(row.population)
            .bind(&access.actor().label)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let days: std::collections::BTreeSet<String> =
            rows.iter().map(|r| r.as_of.to_string()).collect();
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "population.import",
                "population",
                rows.len(),
            )
            .after(serde_json::json!({
                "municipalities": resolved.len(),
                "total": rows.iter().map(|r| r.population).sum::<i64>(),
                "as_of": days,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(resolved.len())
    }
}
