//! Login accounts: one per person at most. Lookups for login and session loading happen
//! before a scope exists; everything else is scoped by the person's unit.

use crate::sql::{Arg, Sql, flag, instant, micros, opt_text, parsed, text};
use crate::{Db, Error, Result, Write};
use domain::ids::{PersonId, UserId};
use domain::person::Person;
use domain::scope::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// A stored account (the password hash is never serialised).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub unit_path: String,
    #[serde(skip)]
    pub password_hash: String,
    pub locale: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub password_changed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl User {
    /// Whether the password is still the one the account was created with (a new
    /// account's first sign-in, not a reset).
    pub fn has_first_password(&self) -> bool {
        self.password_changed_at == self.created_at
    }
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub must_change_password: bool,
}

const SELECT: &str = "SELECT u.id, u.username, u.person_id, p.name AS person_name, p.unit_path, u.password_hash, \
     u.locale, u.disabled, u.must_change_password, u.password_changed_at, u.created_at FROM users u JOIN people p ON p.id = u.person_id WHERE 1 = 1";

fn user_from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: parsed(row, "id")?,
        username: text(row, "username")?,
        person_id: parsed(row, "person_id")?,
        person_name: text(row, "person_name")?,
        unit_path: text(row, "unit_path")?,
        password_hash: text(row, "password_hash")?,
        locale: opt_text(row, "locale")?,
        disabled: flag(row, "disabled")?,
        must_change_password: flag(row, "must_change_password")?,
        password_changed_at: instant(row, "password_changed_at")?,
        created_at: instant(row, "created_at")?,
    })
}

/// An audit-safe view of a user: no hash.
#[derive(Serialize)]
struct AuditedUser<'a> {
    username: &'a str,
    person_id: PersonId,
    disabled: bool,
    must_change_password: bool,
    locale: Option<&'a str>,
}

impl<'a> From<&'a User> for AuditedUser<'a> {
    fn from(u: &'a User) -> Self {
        Self {
            username: &u.username,
            person_id: u.person_id,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            locale: u.locale.as_deref(),
        }
    }
}

impl Db {
    /// The enabled accounts holding one of `roles` at one of the units `unit_ids` (who to
    /// alert: the central school's staff above a school, say). For the system only.
    pub async fn users_holding(
        &self,
        scope: &domain::scope::Scope,
        roles: &[domain::role::Role],
        unit_ids: &[&str],
    ) -> Result<Vec<User>> {
        if !scope.is_system() || roles.is_empty() || unit_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(SELECT);
        sql.push(" AND u.disabled = 0 AND u.person_id IN (SELECT person_id FROM role_assignments WHERE role IN (");
        for (i, role) in roles.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(role.code().to_owned()));
        }
        sql.push(") AND unit_id IN (");
        for (i, id) in unit_ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text((*id).to_owned()));
        }
        sql.push("))");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from_row)
            .collect()
    }

    /// The account with this login name, for signing in (there is no scope yet).
    pub async fn user_for_login(&self, username: &str) -> Result<Option<User>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND u.username = ")
            .bind(Arg::Text(username.to_lowercase()));
        sql.query()
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// The account behind a session or token (there is no scope yet).
    pub async fn user_for_session(&self, id: UserId) -> Result<Option<User>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND u.id = ").bind(Arg::Text(id.to_string()));
        sql.query()
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// One account, if the scope sees its person.
    pub async fn user(&self, scope: &Scope, id: UserId) -> Result<User> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND u.id = ")
            .bind(Arg::Text(id.to_string()))
            .and_in_scope(scope, "p.unit_path");
        let row = sql
            .query()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        user_from_row(&row)
    }

    /// The account of a person, if they have one and the scope sees them.
    pub async fn user_of_person(&self, scope: &Scope, person: PersonId) -> Result<Option<User>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" AND u.person_id = ")
            .bind(Arg::Text(person.to_string()))
            .and_in_scope(scope, "p.unit_path");
        sql.query()
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// Every account the scope sees, by login name.
    pub async fn users(&self, scope: &Scope) -> Result<Vec<User>> {
        let mut sql = Sql::new(SELECT);
        sql.and_in_scope(scope, "p.unit_path")
            .push(" ORDER BY u.username");
        sql.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from_row)
            .collect()
    }
}

impl Write<'_> {
    /// Gives `person` (in `unit_path`) a login.
    pub async fn create_user(
        &mut self,
        person: &Person,
        unit_path: &str,
        new: &NewUser,
    ) -> Result<User> {
        if !self.scope.sees(unit_path) {
            return Err(Error::NotFound);
        }
        let user = User {
            id: UserId::new(),
            username: new.username.clone(),
            person_id: person.id,
            person_name: person.name.clone(),
            unit_path: unit_path.to_owned(),
            password_hash: new.password_hash.clone(),
            locale: None,
            disabled: false,
            must_change_password: new.must_change_password,
            password_changed_at: self.now,
            created_at: self.now,
        };
        sqlx::query(
            "INSERT INTO users (id, username, person_id, password_hash, locale, disabled, must_change_password, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, NULL, 0, $5, $6, $6)",
        )
        .bind(user.id.to_string())
        .bind(user.username.clone())
        .bind(person.id.to_string())
        .bind(user.password_hash.clone())
        .bind(i64::from(user.must_change_password))
        .bind(micros(self.now))
        .execute(&mut *self.tx)
        .await
        .map_err(|e| {
            crate::error::conflict_on_unique(e, "error.username_taken")
        })?;
        self.audit(
            "create",
            "user",
            &user.id.to_string(),
            Some(unit_path),
            None::<&()>,
            Some(&AuditedUser::from(&user)),
        )
        .await?;
        Ok(user)
    }

    /// Sets a new password hash; `must_change` forces a change at next login (an admin
    /// reset). Ends every session and token of the account.
    pub async fn set_password(
        &mut self,
        user: &User,
        password_hash: &str,
        must_change: bool,
    ) -> Result<()> {
        if !self.scope.sees(&user.unit_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3 WHERE id = $4")
            .bind(password_hash.to_owned())
            .bind(i64::from(must_change))
            .bind(micros(self.now))
            .bind(user.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.end_sessions_of(user).await?;
        let after = User {
            must_change_password: must_change,
            ..user.clone()
        };
        let action = if must_change {
            "password_reset"
        } else {
            "password_change"
        };
        self.audit(
            action,
            "user",
            &user.id.to_string(),
            Some(&user.unit_path),
            Some(&AuditedUser::from(user)),
            Some(&AuditedUser::from(&after)),
        )
        .await
    }

    /// Disables or re-enables an account; disabling ends its sessions and tokens.
    pub async fn set_disabled(&mut self, user: &User, disabled: bool) -> Result<()> {
        if !self.scope.sees(&user.unit_path) {
            return Err(Error::NotFound);
        }
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        if disabled {
            self.end_sessions_of(user).await?;
        }
        let after = User {
            disabled,
            ..user.clone()
        };
        self.audit(
            if disabled { "disable" } else { "enable" },
            "user",
            &user.id.to_string(),
            Some(&user.unit_path),
            Some(&AuditedUser::from(user)),
            Some(&AuditedUser::from(&after)),
        )
        .await
    }

    /// Sets the account's language.
    pub async fn set_locale(&mut self, user: &User, locale: &str) -> Result<()> {
        sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
            .bind(locale.to_owned())
            .bind(user.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        let after = User {
            locale: Some(locale.to_owned()),
            ..user.clone()
        };
        self.audit(
            "update",
            "user",
            &user.id.to_string(),
            Some(&user.unit_path),
            Some(&AuditedUser::from(user)),
            Some(&AuditedUser::from(&after)),
        )
        .await
    }

    async fn end_sessions_of(&mut self, user: &User) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.id.to_string())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(micros(self.now))
        .bind(user.id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
