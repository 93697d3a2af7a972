//! Managing logins: create one for a person, reset a password (forcing a change at next
//! login), disable or enable; and each user's own language.

use crate::auth::hash_blocking;
use crate::{App, Error, Result, require};
use domain::Invalid;
use domain::account::{NewPassword, Username};
use domain::ids::{PersonId, UserId};
use domain::role::Permission;
use domain::scope::Scope;
use store::{NewUser, User};

/// Gives a person a login with a temporary password they must change at first login.
#[tracing::instrument(skip_all, fields(person_id = %person_id))]
pub async fn create_login(
    app: &App,
    scope: &Scope,
    person_id: PersonId,
    username: &str,
    password: &str,
) -> Result<User> {
    let person = app.db.person(scope, person_id).await?;
    let unit = app.db.unit(scope, person.unit_id).await?;
    require(scope, Permission::ManageUsers, &unit.path)?;
    if app.db.user_of_person(scope, person_id).await?.is_some() {
        return Err(Error::Conflict("error.person_has_login"));
    }
    let mut errors = Invalid::default();
    let username = errors.take(Username::parse(username));
    let password = errors.take(NewPassword::parse(
        password,
        username.as_ref().map_or("", |u| u.as_str()),
    ));
    errors.into_result()?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(Error::NotFound);
    };
    let new = NewUser {
        username: username.as_str().to_owned(),
        password_hash: hash_blocking(password.expose()).await,
        must_change_password: true,
    };
    let mut write = app.db.write(scope, app.now()).await?;
    let user = write.create_user(&person, &unit.path, &new).await?;
    write.commit().await?;
    Ok(user)
}

/// Sets a temporary password; the user must change it at next login.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn reset_password(
    app: &App,
    scope: &Scope,
    user_id: UserId,
    password: &str,
) -> Result<()> {
    let user = app.db.user(scope, user_id).await?;
    require(scope, Permission::ManageUsers, &user.unit_path)?;
    let password = NewPassword::parse(password, &user.username)?;
    let hash = hash_blocking(password.expose()).await;
    let mut write = app.db.write(scope, app.now()).await?;
    write.set_password(&user, &hash, true).await?;
    write.commit().await?;
    Ok(())
}

/// Disables or enables a login. Nobody disables their own.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn set_disabled(
    app: &App,
    scope: &Scope,
    user_id: UserId,
    disabled: bool,
) -> Result<User> {
    let user = app.db.user(scope, user_id).await?;
    require(scope, Permission::ManageUsers, &user.unit_path)?;
    if scope.user_id == Some(user.id) && disabled {
        return Err(Error::Conflict("error.cannot_disable_self"));
    }
    let mut write = app.db.write(scope, app.now()).await?;
    write.set_disabled(&user, disabled).await?;
    write.commit().await?;
    Ok(User { disabled, ..user })
}

/// Sets the caller's own language.
#[tracing::instrument(skip_all)]
pub async fn set_own_locale(app: &App, scope: &Scope, user: &User, locale: &str) -> Result<()> {
    let mut write = app.db.write(scope, app.now()).await?;
    write.set_locale(user, locale).await?;
    write.commit().await?;
    Ok(())
}
