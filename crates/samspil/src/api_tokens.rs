//! The operator's side of API tokens: `samspil token create`, `list` and
//! `revoke`. People see and revoke their own on the account page
//! (`samspil-web`); both end in the same storage methods.

use anyhow::{Context, bail};
use samspil_domain::api_token::{TokenState, expires_at};
use samspil_domain::{Login, Principal};
use samspil_storage::{ApiToken, Revocation, Storage, User};
use time::OffsetDateTime;

async fn user(storage: &dyn Storage, login: &str) -> anyhow::Result<User> {
    let login = Login::parse(login).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(storage
        .credentials(&login)
        .await?
        .with_context(|| format!("there is no user with the login '{login}'"))?
        .user)
}

/// Issues a bearer token for a user, valid for `expires_in_days` days (1
/// to 365) or until revoked, and returns it (shown once, stored only as a
/// digest).
pub async fn create(
    storage: &dyn Storage,
    login: &str,
    label: &str,
    expires_in_days: Option<u32>,
) -> anyhow::Result<String> {
    let user = user(storage, login).await?;
    if !user.active {
        bail!("the user '{login}' is deactivated");
    }
    let expires_at = expires_in_days
        .map(|days| expires_at(samspil_storage::now(), days))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--expires-in-days: {}", e.problem))?;
    let token = samspil_auth::new_api_token();
    storage
        .create_api_token(
            &samspil_storage::NewApiToken {
                user_id: user.id,
                token_hash: samspil_auth::digest(&token),
                label: label.to_owned(),
                expires_at,
            },
            &Principal::operator().actor(),
        )
        .await?;
    Ok(token)
}

/// A person's tokens as a table for the terminal (instants in UTC).
pub async fn list(storage: &dyn Storage, login: &str) -> anyhow::Result<String> {
    let user = user(storage, login).await?;
    let tokens = storage.api_tokens(user.id).await?;
    if tokens.is_empty() {
        return Ok(format!("{} has no API tokens.", user.login));
    }
    Ok(table(&tokens, samspil_storage::now()))
}

/// Revokes a token by its id (as `list` shows it), whoever's it is, and
/// says what happened.
pub async fn revoke(storage: &dyn Storage, id: i64) -> anyhow::Result<String> {
    let revocation = match storage
        .revoke_api_token(id, None, &Principal::operator().actor())
        .await
    {
        Err(samspil_storage::StorageError::NotFound(_)) => {
            bail!("there is no API token with the id {id}")
        }
        other => other?,
    };
    let (Revocation::Revoked(token) | Revocation::AlreadyRevoked(token)) = &revocation;
    let owner = storage.user(token.user_id).await?.map_or_else(
        || format!("user {}", token.user_id.0),
        |u| u.login.to_string(),
    );
    Ok(match revocation {
        Revocation::Revoked(_) => format!(
            "Token {id} ({}) of {owner} is revoked; the API refuses it from the next request.",
            token.label
        ),
        Revocation::AlreadyRevoked(_) => format!(
            "Token {id} ({}) of {owner} was revoked already; nothing changed.",
            token.label
        ),
    })
}

fn instant(at: Option<OffsetDateTime>) -> String {
    match at {
        Some(at) => {
            let at = at.to_offset(time::UtcOffset::UTC);
            format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
        }
        None => "-".to_owned(),
    }
}

/// One line per token under a header, columns padded to their widest value.
fn table(tokens: &[ApiToken], now: OffsetDateTime) -> String {
    let header = [
        "ID",
        "LABEL",
        "CREATED (UTC)",
        "EXPIRES",
        "LAST USED",
        "STATE",
    ];
    let rows: Vec<[String; 6]> = tokens
        .iter()
        .map(|token| {
            let state = match token.state(now) {
                TokenState::Revoked => format!("revoked {}", instant(token.revoked_at)),
                other => other.as_str().to_owned(),
            };
            [
                token.id.to_string(),
                token.label.clone(),
                instant(Some(token.created_at)),
                match token.expires_at {
                    Some(_) => instant(token.expires_at),
                    None => "never".to_owned(),
                },
                match token.last_used_at {
                    Some(_) => instant(token.last_used_at),
                    None => "never".to_owned(),
                },
                state,
            ]
        })
        .collect();
    crate::text_table::text_table(header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use samspil_domain::UserId;
    use time::macros::datetime;

    fn token(id: i64, label: &str) -> ApiToken {
        ApiToken {
            id,
            user_id: UserId(7),
            label: label.to_owned(),
            created_at: datetime!(2024-05-01 10:00 UTC),
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn the_table_shows_each_tokens_state_in_aligned_columns() {
        let now = datetime!(2024-06-01 12:00 UTC);
        let tokens = [
            ApiToken {
                revoked_at: Some(datetime!(2024-05-20 08:30 UTC)),
                ..token(12, "CI")
            },
            ApiToken {
                expires_at: Some(datetime!(2024-05-31 10:00 UTC)),
                last_used_at: Some(datetime!(2024-05-30 09:15 UTC)),
                ..token(3, "rapportering")
            },
            token(1, "command line"),
        ];
        assert_eq!(
            table(&tokens, now),
            "\
ID  LABEL         CREATED (UTC)     EXPIRES           LAST USED         STATE
12  CI            2024-05-01 10:00  never             never             revoked 2024-05-20 08:30
3   rapportering  2024-05-01 10:00  2024-05-31 10:00  2024-05-30 09:15  expired
1   command line  2024-05-01 10:00  never             never             active"
        );
    }
}
