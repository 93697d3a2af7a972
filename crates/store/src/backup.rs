//! Online backup: a consistent snapshot of the SQLite database while it serves.

use crate::db::{Backend, Db};
use crate::{Error, Result};
use std::path::Path;

impl Db {
    /// Writes a consistent copy of the SQLite database to `target` (which must not exist).
    pub async fn backup_sqlite(&self, target: &Path) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(Error::Conflict("error.backup_sqlite_only"));
        }
        if target.exists() {
            return Err(Error::Conflict("error.backup_target_exists"));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
