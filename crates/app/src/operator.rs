//! What the server's operator does from the command line (`xiaoan user …`): as the
//! system, through the same audited writes as every other change.

use crate::App;
use domain::account::{NewPassword, Username};
use domain::role::Role;
use domain::scope::Scope;
use store::NewUser;

fn operator() -> Scope {
    Scope::system("xiaoan user")
}

/// A login made or reset by the operator.
pub struct Issued {
    pub unit_name: String,
    /// The temporary password when none was given (to be changed at the first login).
    pub generated: Option<String>,
}

/// The operator reads what went wrong in the terminal.
type Result<T> = std::result::Result<T, String>;

fn refused(field: &str, e: impl std::fmt::Display) -> String {
    format!("{field}: {e}")
}

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Adds a person with `role` at unit `unit` (the first unit when none), and their login.
pub async fn add_user(
    app: &App,
    username: &str,
    name: &str,
    role: &str,
    unit: Option<&str>,
    password: Option<String>,
) -> Result<Issued> {
    let scope = operator();
    let username = Username::parse(username).map_err(|e| refused("username", e))?;
    let role = Role::parse(role).ok_or_else(|| format!("unknown role {role:?}"))?;
    let units = app.db.units(&scope).await.map_err(failed)?;
    let unit = match unit {
        Some(id) => units
            .into_iter()
            .find(|u| u.id.to_string() == id)
            .ok_or_else(|| format!("no unit {id}"))?,
        None => units.into_iter().next().ok_or_else(|| {
            "there is no unit yet: run `xiaoan demo` or create the bureau first".to_owned()
        })?,
    };
    let generated = password.is_none();
    let password = password.unwrap_or_else(crate::auth::generate_password);
    NewPassword::parse(&password, username.as_str()).map_err(|e| refused("password", e))?;
    let hash = crate::auth::hash_blocking(&password).await;
    let person_name = domain::person::parse_person_name(name).map_err(|e| refused("name", e))?;
    let mut write = app.db.write(&scope, app.now()).await.map_err(failed)?;
    let person = write
        .create_person(&unit, &person_name, None)
        .await
        .map_err(failed)?;
    write
        .assign_role(&person, role, &unit)
        .await
        .map_err(failed)?;
    let new = NewUser {
        username: username.as_str().to_owned(),
        password_hash: hash,
        must_change_password: generated,
    };
    write
        .create_user(&person, &unit.path, &new)
        .await
        .map_err(failed)?;
    write.commit().await.map_err(failed)?;
    Ok(Issued {
        unit_name: unit.name,
        generated: generated.then_some(password),
    })
}

/// The account signing in as `username`, or the message that there is none.
async fn named(app: &App, username: &str) -> Result<store::User> {
    app.db
        .user_for_login(username)
        .await
        .map_err(failed)?
        .ok_or_else(|| format!("no user {username}"))
}

/// Sets `username`'s password (generated when none is given); it must be changed at the
/// next login.
pub async fn set_password(app: &App, username: &str, password: Option<String>) -> Result<Issued> {
    let user = named(app, username).await?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(crate::auth::generate_password);
    NewPassword::parse(&password, &user.username).map_err(|e| refused("password", e))?;
    let hash = crate::auth::hash_blocking(&password).await;
    let scope = operator();
    let mut write = app.db.write(&scope, app.now()).await.map_err(failed)?;
    write
        .set_password(&user, &hash, true)
        .await
        .map_err(failed)?;
    write.commit().await.map_err(failed)?;
    Ok(Issued {
        unit_name: String::new(),
        generated: generated.then_some(password),
    })
}

/// Disables `username`: its sessions and tokens end.
pub async fn disable(app: &App, username: &str) -> Result<()> {
    let user = named(app, username).await?;
    let scope = operator();
    let mut write = app.db.write(&scope, app.now()).await.map_err(failed)?;
    write.set_disabled(&user, true).await.map_err(failed)?;
    write.commit().await.map_err(failed)?;
    Ok(())
}
