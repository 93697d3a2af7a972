//! The audit log: browsing it where the caller holds `ViewAudit`; its key file, signed
//! checkpoints outside the database, and the full verification (issue 7, R-INC-2).

use crate::{App, Error, Result};
use domain::audit::{AuditKey, Checkpoint};
use domain::role::Permission;
use domain::scope::Scope;
use std::io::Write as _;
use std::path::Path;
use store::{AuditFilter, AuditPage, AuditReport};

/// A page of audit entries within the units where the caller may view the audit log.
#[tracing::instrument(skip_all)]
pub async fn browse(app: &App, scope: &Scope, filter: &AuditFilter) -> Result<AuditPage> {
    if !scope.can_somewhere(Permission::ViewAudit) {
        return Err(Error::Forbidden);
    }
    Ok(app
        .db
        .audit_page(&scope.narrowed_to(Permission::ViewAudit), filter)
        .await?)
}

/// The audit key file: read it, or create it (32 random bytes, hex, readable by the owner
/// only) when it does not exist yet. Keep it apart from database backups: whoever holds
/// both can rewrite the log undetected.
pub fn load_or_create_key(path: &Path) -> std::result::Result<AuditKey, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => AuditKey::from_hex(&text).ok_or_else(|| {
            format!(
                "{}: not an audit key (64 hexadecimal characters expected)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0_u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
            let key = AuditKey::from_bytes(bytes);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(|e| format!("cannot create the audit key {}: {e}", path.display()))?;
            file.write_all(format!("{}\n", key.to_hex()).as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write the audit key {}: {e}", path.display()))?;
            tracing::info!(path = %path.display(), "created the audit key (keep it apart from database backups)");
            Ok(key)
        }
        Err(e) => Err(format!("cannot read the audit key {}: {e}", path.display())),
    }
}

/// Refuses a key that did not sign the log already in the database (a lost or replaced
/// key file), before anything new is written with it.
pub async fn check_key(app: &App) -> std::result::Result<(), String> {
    match app.db.newest_entry_verifies().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(
            "the audit key does not match the audit log in this database: restore the key file \
             this database was written with (--audit-key-file)"
                .to_owned(),
        ),
        Err(e) => Err(format!("cannot read the audit log: {e}")),
    }
}

/// Appends a signed checkpoint of every chain's head to the checkpoint file (fsynced).
/// Returns how many chains were written.
#[tracing::instrument(skip_all)]
pub async fn checkpoint(app: &App) -> Result<usize> {
    let heads = app.db.audit_heads().await?;
    let at = (app.now().unix_timestamp_nanos() / 1000) as i64;
    let mut text = String::new();
    for head in &heads {
        text.push_str(&app.db.sign_checkpoint(head, at).to_line());
        text.push('\n');
    }
    let path = app.audit_checkpoints.clone();
    tokio::task::spawn_blocking(move || append_synced(&path, &text))
        .await
        .map_err(|e| Error::Io(e.to_string()))?
        .map_err(|e| Error::Io(format!("checkpoint file: {e}")))?;
    Ok(heads.len())
}

fn append_synced(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// The checkpoints kept so far, each with its line number; a line that cannot be read is
/// kept as a checkpoint that will not verify.
pub fn read_checkpoints(path: &Path) -> std::result::Result<Vec<(usize, Checkpoint)>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let checkpoint = Checkpoint::from_line(line).unwrap_or(Checkpoint {
                chain: String::new(),
                seq: 0,
                mac: String::new(),
                at_micros: 0,
                signature: String::new(),
            });
            (i + 1, checkpoint)
        })
        .collect())
}

/// Everything `xiaoan audit verify` checks: chains, heads, checkpoints, record drift.
#[tracing::instrument(skip_all)]
pub async fn verify(app: &App) -> std::result::Result<AuditReport, String> {
    let checkpoints = read_checkpoints(&app.audit_checkpoints)?;
    app.db
        .verify_audit(&checkpoints)
        .await
        .map_err(|e| format!("cannot read the audit log: {e}"))
}

/// Who receives the daily copy of a chain's head: each bureau administrator of the top
/// unit the chain belongs to, with their reminder channels.
pub struct CheckpointRecipient {
    pub unit: domain::org::OrgUnit,
    pub head: store::ChainHead,
    pub user: store::User,
    pub settings: store::ReminderSettings,
}

/// The bureau administrators of every top unit whose chain has entries.
#[tracing::instrument(skip_all)]
pub async fn checkpoint_recipients(app: &App) -> Result<Vec<CheckpointRecipient>> {
    let system = Scope::system("audit checkpoint");
    let heads = app.db.audit_heads().await?;
    let tops: Vec<domain::org::OrgUnit> = app
        .db
        .units(&system)
        .await?
        .into_iter()
        .filter(|u| u.parent_id.is_none())
        .collect();
    let mut recipients = Vec::new();
    for user in app.db.users(&system).await? {
        if user.disabled {
            continue;
        }
        for grant in app.db.grants_for_session(user.person_id).await? {
            if grant.role != domain::role::Role::BureauAdmin {
                continue;
            }
            let Some(unit) = tops.iter().find(|u| u.path == grant.unit_path) else {
                continue;
            };
            let chain = domain::audit::chain_of(Some(&unit.path));
            let Some(head) = heads.iter().find(|h| h.chain == chain) else {
                continue;
            };
            recipients.push(CheckpointRecipient {
                unit: unit.clone(),
                head: head.clone(),
                settings: app.db.reminder_settings(&system, &user).await?,
                user: user.clone(),
            });
        }
    }
    Ok(recipients)
}
