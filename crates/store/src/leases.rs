//! Leases: work that one server of several does at a time (the reminder run, audit
//! checkpoints). A lease is held until an instant; another server takes it only after.

use crate::Result;
use crate::db::Db;
use crate::sql::micros;
use time::{Duration, OffsetDateTime};

impl Db {
    /// Takes (or renews) the lease `name` for `holder` until `now + hold`; false when
    /// another holder has it.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        hold: Duration,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, until_micros) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_micros = excluded.until_micros \
             WHERE leases.until_micros < $4 OR leases.holder = excluded.holder",
        )
        .bind(name.to_owned())
        .bind(holder.to_owned())
        .bind(micros(now + hold))
        .bind(micros(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
