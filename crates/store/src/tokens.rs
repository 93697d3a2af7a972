//! API tokens: only a hash is stored; a token can be listed and revoked by its owner.

use crate::sql::{Arg, Sql, instant, micros, opt_instant, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::{TokenId, UserId};
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// A token as listed (never its secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: parsed(row, "id")?,
        user_id: parsed(row, "user_id")?,
        name: text(row, "name")?,
        created_at: instant(row, "created_at")?,
        last_used_at: opt_instant(row, "last_used_at")?,
        revoked_at: opt_instant(row, "revoked_at")?,
    })
}

const SELECT: &str =
    "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE 1 = 1";

impl Db {
    /// The live token with this hash, for authenticating a request (there is no scope yet).
    pub async fn token_for_auth(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND revoked_at IS NULL AND token_hash = ")
            .bind(Arg::Text(token_hash.to_owned()));
        sql.query()
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    /// Records a token's use (not audited: it changes no data).
    pub async fn touch_token(&self, id: TokenId, now: OffsetDateTime) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(micros(now))
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The caller's own tokens, newest first.
    pub async fn own_tokens(&self, scope: &Scope) -> Result<Vec<ApiToken>> {
        let Some(user) = scope.user_id else {
            return Ok(Vec::new());
        };
        let mut sql = Sql::new(SELECT);
        sql.push(" AND user_id = ")
            .bind(Arg::Text(user.to_string()))
            .push(" ORDER BY created_at DESC");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(token_from_row)
            .collect()
    }
}

impl Write<'_> {
    /// Issues a token for `user` (at login through the API).
    pub async fn create_token(
        &mut self,
        user: UserId,
        unit_path: &str,
        token_hash: &str,
        name: &str,
    ) -> Result<ApiToken> {
        let token = ApiToken {
            id: TokenId::new(),
            user_id: user,
            name: name.to_owned(),
            created_at: self.now,
            last_used_at: None,
            revoked_at: None,
        };
        sqlx::query("INSERT INTO api_tokens (id, user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token.id.to_string())
            .bind(user.to_string())
            .bind(token_hash.to_owned())
            .bind(name.to_owned())
            .bind(micros(self.now))
            .execute(&mut *self.tx)
            .await?;
        self.audit(
            "create",
            "api_token",
            &token.id.to_string(),
            Some(unit_path),
            None::<&()>,
            Some(&token),
        )
        .await?;
        Ok(token)
    }

    /// Revokes one of the caller's own tokens.
    pub async fn revoke_own_token(&mut self, id: TokenId, unit_path: &str) -> Result<()> {
        let user = self.scope.user_id.ok_or(Error::NotFound)?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(micros(self.now))
            .bind(id.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.audit(
            "revoke",
            "api_token",
            &id.to_string(),
            Some(unit_path),
            None::<&()>,
            None::<&()>,
        )
        .await
    }
}
