//! Browser sessions: only a hash of the cookie value is stored. Session bookkeeping
//! (creation at login, last-seen) is recorded through the login's audit entry.

use crate::sql::{Arg, Sql, instant, micros, parsed, text};
use crate::{Db, Result, Write};
use domain::ids::UserId;
use time::OffsetDateTime;

/// A stored session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

impl Db {
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        let mut sql = Sql::new(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id_hash = ",
        );
        sql.bind(Arg::Text(id_hash.to_owned()));
        let Some(row) = sql.query().fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        Ok(Some(SessionRecord {
            user_id: parsed(&row, "user_id")?,
            csrf_token: text(&row, "csrf_token")?,
            created_at: instant(&row, "created_at")?,
            last_seen_at: instant(&row, "last_seen_at")?,
        }))
    }

    /// Records activity on a session (not audited: it changes no data).
    pub async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(micros(now))
            .bind(id_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a session (logout or timeout).
    pub async fn end_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or started before `started_before`.
    pub async fn purge_sessions(
        &self,
        idle_before: OffsetDateTime,
        started_before: OffsetDateTime,
    ) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(micros(idle_before))
            .bind(micros(started_before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

impl Write<'_> {
    /// Opens a session for `user` in the same change as the login's audit entry.
    pub async fn create_session(
        &mut self,
        id_hash: &str,
        user: UserId,
        csrf_token: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(id_hash.to_owned())
            .bind(user.to_string())
            .bind(csrf_token.to_owned())
            .bind(micros(self.now))
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
