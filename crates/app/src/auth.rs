//! Signing in and out: password hashing (argon2id), sessions, API tokens, and the
//! `Scope` each request is given.

use crate::secret::{constant_time_eq, hash_secret, random_token};
use crate::{App, Error, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use domain::account::NewPassword;
use domain::scope::Scope;
use std::sync::OnceLock;
use store::User;
use time::Duration;

/// Session lifetimes (ASVS 7.3): idle and absolute.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(60),
            absolute: Duration::hours(12),
        }
    }
}

/// A signed-in caller: the account, its scope, and (for browser sessions) the CSRF token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub scope: Scope,
    pub csrf_token: Option<String>,
}

/// The argon2id cost: 7 MiB and 5 passes, one of the equivalent settings of OWASP's
/// Password Storage Cheat Sheet (with 19 MiB × 2, 12 MiB × 3, 9 MiB × 4) — the one that
/// keeps each password worker's memory smallest. Hashes made with other settings still
/// verify: a hash carries its own.
fn argon2id() -> Argon2<'static> {
    let params = argon2::Params::new(7 * 1024, 5, 1, None)
        .unwrap_or_else(|e| panic!("argon2 parameters: {e}"));
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Hashes a password with argon2id (see `argon2id`).
pub fn hash_password(password: &str) -> String {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt)
        .unwrap_or_else(|e| panic!("the operating system has no randomness: {e}"));
    let salt = SaltString::encode_b64(&salt).unwrap_or_else(|e| panic!("salt encoding: {e}"));
    argon2id()
        .hash_password(password.as_bytes(), &salt)
        .unwrap_or_else(|e| panic!("argon2 failed: {e}"))
        .to_string()
}

std::thread_local! {
    /// Each password worker's argon2 memory (7 MiB), allocated once and reused: freeing
    /// and allocating it per check made the allocator keep a new copy every time.
    static ARGON2_MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Checks a password against its PHC string, in constant time, with the worker's memory.
fn verify_password(hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0_u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0_u8; expected.len()];
    let computed = ARGON2_MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        memory.resize(blocks, argon2::Block::default());
        argon.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
    });
    computed.is_ok()
        && argon2::password_hash::Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A hash to verify against when the account does not exist, so that the answer takes
/// as long as for a real account (no user enumeration by timing).
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that no account has"))
}

/// Builds the scope of an account from its role assignments.
pub async fn scope_of(app: &App, user: &User) -> Result<Scope> {
    let grants = app.db.grants_for_session(user.person_id).await?;
    Ok(Scope::for_user(
        user.id,
        Some(user.person_id),
        user.person_name.clone(),
        grants,
    ))
}

/// Checks a username and password. The attempt first reserves its place with the
/// throttle (per account and client; `Throttled` past the limit), then waits its turn for a
/// password worker (`Busy` when the queue is full) — so no burst checks more passwords than
/// the limit allows, or holds more memory than the workers use.
#[tracing::instrument(skip_all)]
pub async fn check_credentials(
    app: &App,
    username: &str,
    password: &str,
    client: &str,
) -> Result<User> {
    let username = username.trim().to_lowercase();
    let attempt = app
        .throttle
        .reserve(&username, client, app.now())
        .map_err(Error::Throttled)?;
    let user = app.db.user_for_login(&username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let password = password.to_owned();
    // A full queue drops the attempt: it counts as neither success nor failure.
    let matches = app
        .hasher
        .run(move || match &hash {
            Some(hash) => verify_password(hash, &password),
            None => verify_password(decoy_hash(), &password),
        })
        .await?;
    match user {
        Some(user) if matches && !user.disabled => {
            attempt.succeeded(app.now());
            Ok(user)
        }
        _ => {
            attempt.failed(app.now());
            Err(Error::BadCredentials)
        }
    }
}

/// Opens a browser session: returns the cookie value (a new id at every login). An
/// account with no language of its own keeps `lang`, the one it signed in with, so that
/// reminders reach the person in the language they read (issue 8).
#[tracing::instrument(skip_all)]
pub async fn start_session(app: &App, user: &User, address: &str, lang: &str) -> Result<String> {
    let scope = scope_of(app, user).await?;
    let session_id = random_token();
    let mut write = app.db.write(&scope, app.now()).await?;
    if user.locale.is_none() {
        write.set_locale(user, lang).await?;
    }
    write
        .create_session(&hash_secret(&session_id), user.id, &random_token())
        .await?;
    let detail = serde_json::json!({ "via": "browser", "address": address });
    write
        .audit(
            "login",
            "user",
            &user.id.to_string(),
            Some(&user.unit_path),
            None::<&()>,
            Some(&detail),
        )
        .await?;
    write.commit().await?;
    Ok(session_id)
}

/// The caller behind a session cookie, if the session is alive; ends it when it timed out.
pub async fn session_caller(
    app: &App,
    session_id: &str,
    policy: SessionPolicy,
) -> Result<Option<Caller>> {
    let id_hash = hash_secret(session_id);
    let Some(session) = app.db.session(&id_hash).await? else {
        return Ok(None);
    };
    let now = app.now();
    if now - session.last_seen_at > policy.idle || now - session.created_at > policy.absolute {
        app.db.end_session(&id_hash).await?;
        return Ok(None);
    }
    let Some(user) = app.db.user_for_session(session.user_id).await? else {
        return Ok(None);
    };
    if user.disabled {
        app.db.end_session(&id_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > Duration::seconds(30) {
        app.db.touch_session(&id_hash, now).await?;
    }
    let scope = scope_of(app, &user).await?;
    Ok(Some(Caller {
        user,
        scope,
        csrf_token: Some(session.csrf_token),
    }))
}

/// Whether a submitted CSRF token matches the session's.
pub fn csrf_matches(caller: &Caller, submitted: &str) -> bool {
    caller
        .csrf_token
        .as_deref()
        .is_some_and(|expected| constant_time_eq(expected, submitted))
}

/// Ends a browser session.
#[tracing::instrument(skip_all)]
pub async fn end_session(app: &App, session_id: &str) -> Result<()> {
    app.db.end_session(&hash_secret(session_id)).await?;
    Ok(())
}

/// Issues an API token after a successful login; the secret is returned once.
#[tracing::instrument(skip_all)]
pub async fn issue_token(app: &App, user: &User, name: &str, address: &str) -> Result<String> {
    let scope = scope_of(app, user).await?;
    let secret = format!("xa_{}", random_token());
    let mut write = app.db.write(&scope, app.now()).await?;
    write
        .create_token(user.id, &user.unit_path, &hash_secret(&secret), name)
        .await?;
    let detail = serde_json::json!({ "via": "api", "address": address });
    write
        .audit(
            "login",
            "user",
            &user.id.to_string(),
            Some(&user.unit_path),
            None::<&()>,
            Some(&detail),
        )
        .await?;
    write.commit().await?;
    Ok(secret)
}

/// The caller behind a bearer token, if it is live and its account enabled.
pub async fn token_caller(app: &App, secret: &str) -> Result<Option<Caller>> {
    let Some(token) = app.db.token_for_auth(&hash_secret(secret)).await? else {
        return Ok(None);
    };
    let Some(user) = app.db.user_for_session(token.user_id).await? else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    let now = app.now();
    if token
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        app.db.touch_token(token.id, now).await?;
    }
    let scope = scope_of(app, &user).await?;
    Ok(Some(Caller {
        user,
        scope,
        csrf_token: None,
    }))
}

/// Ends the sessions idle or open for longer than the policy allows.
pub async fn purge_sessions(app: &App, policy: SessionPolicy) -> Result<()> {
    let now = app.now();
    app.db
        .purge_sessions(now - policy.idle, now - policy.absolute)
        .await?;
    Ok(())
}

/// The caller's own API tokens (never their secrets).
pub async fn own_tokens(app: &App, scope: &Scope) -> Result<Vec<store::ApiToken>> {
    Ok(app.db.own_tokens(scope).await?)
}

/// Revokes one of the caller's tokens.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn revoke_token(app: &App, caller: &Caller, id: domain::ids::TokenId) -> Result<()> {
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.revoke_own_token(id, &caller.user.unit_path).await?;
    write.commit().await?;
    Ok(())
}

/// Changes the caller's own password after checking the current one. Ends every session.
#[tracing::instrument(skip_all)]
pub async fn change_own_password(
    app: &App,
    caller: &Caller,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    let mut errors = domain::Invalid::default();
    let current_ok = {
        let hash = caller.user.password_hash.clone();
        let current = current.to_owned();
        app.hasher
            .run(move || verify_password(&hash, &current))
            .await?
    };
    if !current_ok {
        errors.push("current", "error.current_password_wrong");
    }
    let new_password = errors.take(NewPassword::parse(new, &caller.user.username));
    if new != confirm {
        errors.push("confirm", "error.passwords_differ");
    }
    if new == current && current_ok {
        errors.push("password", "error.password_unchanged");
    }
    errors.clone().into_result()?;
    let Some(new_password) = new_password else {
        return Err(Error::Invalid(errors));
    };
    let hash = hash_blocking(new_password.expose()).await;
    let mut write = app.db.write(&caller.scope, app.now()).await?;
    write.set_password(&caller.user, &hash, false).await?;
    write.commit().await?;
    Ok(())
}

/// A random password for a new account or a reset, to be changed at first login.
pub fn generate_password() -> String {
    random_token()[..14].to_owned()
}

/// Hashes off the async threads (argon2 takes tens of milliseconds by design).
pub async fn hash_blocking(password: &str) -> String {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .unwrap_or_else(|e| panic!("hashing task failed: {e}"))
}
