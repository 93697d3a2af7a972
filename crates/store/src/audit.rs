//! Reading the audit log: a filtered, scoped page for people, and every chain for
//! `xiaoan audit verify` — MACs, heads, signed checkpoints and record drift.

use crate::drift::Drift;
use crate::sql::{Arg, Sql, int, opt_text, text};
use crate::{Db, Result};
use domain::audit::{AuditEntry, ChainBreak, ChainVerifier, Checkpoint};
use domain::audit_legacy::LegacyEntry;
use domain::scope::Scope;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, HashMap};

/// What to show of the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub from_micros: Option<i64>,
    pub to_micros: Option<i64>,
    /// Show the entries after this one in the page order (paging back in time).
    pub before: Option<AuditCursor>,
    pub limit: i64,
}

/// A place in the log's page order (newest first, then by chain, then by sequence
/// downwards): unique, so a page edge never falls between two entries of one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    pub at_micros: i64,
    pub chain: String,
    pub seq: i64,
}

impl AuditCursor {
    fn of(entry: &AuditEntry) -> Self {
        Self {
            at_micros: entry.at_micros,
            chain: entry.chain.clone(),
            seq: entry.seq,
        }
    }

    /// As written in a link: `at.seq.chain` (the chain last: it may be empty).
    pub fn token(&self) -> String {
        format!("{}.{}.{}", self.at_micros, self.seq, self.chain)
    }

    pub fn parse(token: &str) -> Option<Self> {
        let mut parts = token.splitn(3, '.');
        Some(Self {
            at_micros: parts.next()?.parse().ok()?,
            seq: parts.next()?.parse().ok()?,
            chain: parts.next()?.to_owned(),
        })
    }
}

/// One page of entries, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Where the next (older) page starts, when there is more.
    pub next_before: Option<AuditCursor>,
}

/// A chain's head as the database has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub chain: String,
    pub seq: i64,
    pub mac: String,
}

/// What `xiaoan audit verify` found.
#[derive(Debug, Default)]
pub struct AuditReport {
    /// Entries verified, by chain.
    pub chains: BTreeMap<String, i64>,
    /// Entries of the version-1 log verified by their hash chain.
    pub legacy_entries: i64,
    pub breaks: Vec<ChainBreak>,
    pub drift: Vec<Drift>,
}

impl AuditReport {
    pub fn intact(&self) -> bool {
        self.breaks.is_empty() && self.drift.is_empty()
    }
}

fn entry_from_row(row: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        chain: text(row, "chain")?,
        seq: int(row, "seq")?,
        at_micros: int(row, "at")?,
        actor_user_id: opt_text(row, "actor_user_id")?,
        actor_name: text(row, "actor_name")?,
        action: text(row, "action")?,
        entity: text(row, "entity")?,
        entity_id: text(row, "entity_id")?,
        unit_path: opt_text(row, "unit_path")?,
        before: opt_text(row, "before_json")?,
        after: opt_text(row, "after_json")?,
        row_digest: opt_text(row, "row_digest")?,
        prev_mac: text(row, "prev_mac")?,
        mac: text(row, "mac")?,
    })
}

const SELECT: &str = "SELECT chain, seq, at, actor_user_id, actor_name, action, entity, entity_id, unit_path, \
     before_json, after_json, row_digest, prev_mac, mac FROM audit_log WHERE 1 = 1";

impl Db {
    /// A page of the entries the scope sees, newest first.
    pub async fn audit_page(&self, scope: &Scope, filter: &AuditFilter) -> Result<AuditPage> {
        let mut sql = Sql::new(SELECT);
        sql.and_in_scope(scope, "unit_path");
        if let Some(entity) = &filter.entity {
            sql.push(" AND entity = ").bind(Arg::Text(entity.clone()));
        }
        if let Some(action) = &filter.action {
            sql.push(" AND action = ").bind(Arg::Text(action.clone()));
        }
        if let Some(actor) = &filter.actor {
            sql.push(" AND actor_name = ")
                .bind(Arg::Text(actor.clone()));
        }
        if let Some(from) = filter.from_micros {
            sql.push(" AND at >= ").bind(Arg::Int(from));
        }
        if let Some(to) = filter.to_micros {
            sql.push(" AND at < ").bind(Arg::Int(to));
        }
        if let Some(c) = &filter.before {
            // After the cursor in the order below: older, or as old and further on.
            sql.push(" AND (at < ")
                .bind(Arg::Int(c.at_micros))
                .push(" OR (at = ")
                .bind(Arg::Int(c.at_micros))
                .push(" AND (chain > ")
                .bind(Arg::Text(c.chain.clone()))
                .push(" OR (chain = ")
                .bind(Arg::Text(c.chain.clone()))
                .push(" AND seq < ")
                .bind(Arg::Int(c.seq))
                .push("))))");
        }
        let limit = filter.limit.clamp(1, 500);
        sql.push(" ORDER BY at DESC, chain, seq DESC LIMIT ")
            .bind(Arg::Int(limit + 1));
        let rows = sql.query().fetch_all(&self.pool).await?;
        let mut entries: Vec<AuditEntry> =
            rows.iter().map(entry_from_row).collect::<Result<_>>()?;
        let next_before = if entries.len() as i64 > limit {
            entries.truncate(limit as usize);
            entries.last().map(AuditCursor::of)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            next_before,
        })
    }

    /// Whether the newest entry of every chain carries a MAC under this database's key
    /// (true for an empty log): a key file that was lost or replaced is caught at start.
    pub async fn newest_entry_verifies(&self) -> Result<bool> {
        for head in self.audit_heads().await? {
            let mut sql = Sql::new(SELECT);
            sql.push(" AND chain = ")
                .bind(Arg::Text(head.chain.clone()))
                .push(" AND seq = ")
                .bind(Arg::Int(head.seq));
            if let Some(row) = sql.query().fetch_optional(&self.pool).await? {
                let entry = entry_from_row(&row)?;
                if entry.compute_mac(self.audit_key()) != entry.mac {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Every chain's head.
    pub async fn audit_heads(&self) -> Result<Vec<ChainHead>> {
        let rows = sqlx::query("SELECT chain, seq, mac FROM audit_heads ORDER BY chain")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ChainHead {
                    chain: text(row, "chain")?,
                    seq: int(row, "seq")?,
                    mac: text(row, "mac")?,
                })
            })
            .collect()
    }

    /// A checkpoint of `head` at `at_micros`, signed with the audit key.
    pub fn sign_checkpoint(&self, head: &ChainHead, at_micros: i64) -> Checkpoint {
        Checkpoint::sign(
            self.audit_key(),
            &head.chain,
            head.seq,
            &head.mac,
            at_micros,
        )
    }

    /// Checks every chain against its MACs, its head and the signed `checkpoints` (with
    /// their line numbers in the checkpoint file), the version-1 log by its hashes, and
    /// every audited record against its last audited row.
    pub async fn verify_audit(&self, checkpoints: &[(usize, Checkpoint)]) -> Result<AuditReport> {
        let mut report = AuditReport::default();
        let key = self.audit_key();
        let heads: HashMap<String, (i64, String)> = self
            .audit_heads()
            .await?
            .into_iter()
            .map(|h| (h.chain, (h.seq, h.mac)))
            .collect();
        // Per chain: the MAC of every entry a checkpoint names, to compare afterwards.
        let mut wanted: HashMap<(String, i64), Option<String>> = HashMap::new();
        for (line, checkpoint) in checkpoints {
            if checkpoint.is_signed_by(key) {
                wanted.insert((checkpoint.chain.clone(), checkpoint.seq), None);
            } else {
                report
                    .breaks
                    .push(ChainBreak::ForgedCheckpoint { line: *line });
            }
        }
        let mut last_digest: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut verifiers: BTreeMap<String, (ChainVerifier<'_>, bool)> = BTreeMap::new();
        let (mut after_chain, mut after_seq) = (String::new(), 0_i64);
        loop {
            let mut sql = Sql::new(SELECT);
            sql.push(" AND (chain > ")
                .bind(Arg::Text(after_chain.clone()))
                .push(" OR (chain = ")
                .bind(Arg::Text(after_chain.clone()))
                .push(" AND seq > ")
                .bind(Arg::Int(after_seq))
                .push(")) ORDER BY chain, seq LIMIT 2000");
            let rows = sql.query().fetch_all(&self.pool).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let entry = entry_from_row(row)?;
                let (verifier, broken) = verifiers
                    .entry(entry.chain.clone())
                    .or_insert_with(|| (ChainVerifier::new(key, &entry.chain), false));
                if !*broken && let Err(e) = verifier.check(&entry) {
                    report.breaks.push(e);
                    *broken = true;
                }
                if let Some(seen) = wanted.get_mut(&(entry.chain.clone(), entry.seq)) {
                    *seen = Some(entry.mac.clone());
                }
                if let Some(digest) = entry.row_digest {
                    last_digest
                        .entry(entry.entity)
                        .or_default()
                        .insert(entry.entity_id, digest);
                }
                after_chain = entry.chain;
                after_seq = entry.seq;
            }
        }
        for chain in heads.keys() {
            verifiers
                .entry(chain.clone())
                .or_insert_with(|| (ChainVerifier::new(key, chain), false));
        }
        for (_, checkpoint) in checkpoints {
            verifiers
                .entry(checkpoint.chain.clone())
                .or_insert_with(|| (ChainVerifier::new(key, &checkpoint.chain), false));
        }
        let mut last_seqs: HashMap<String, i64> = HashMap::new();
        for (chain, (verifier, broken)) in verifiers {
            let last_seq = verifier.checked();
            last_seqs.insert(chain.clone(), last_seq);
            let head = heads.get(&chain).cloned();
            match verifier.finish(head) {
                Ok(n) => {
                    report.chains.insert(chain, n);
                }
                Err(e) if !broken => report.breaks.push(e),
                Err(_) => {}
            }
        }
        for (_, checkpoint) in checkpoints {
            let Some(seen) = wanted.get(&(checkpoint.chain.clone(), checkpoint.seq)) else {
                continue;
            };
            if seen.as_deref() != Some(checkpoint.mac.as_str()) {
                let last_seq = last_seqs.get(&checkpoint.chain).copied().unwrap_or(0);
                let already = report.breaks.iter().any(|b| {
                    matches!(b, ChainBreak::BehindCheckpoint { chain, .. } if *chain == checkpoint.chain)
                });
                if !already {
                    report.breaks.push(ChainBreak::BehindCheckpoint {
                        chain: checkpoint.chain.clone(),
                        checkpoint_seq: checkpoint.seq,
                        last_seq,
                        at_micros: checkpoint.at_micros,
                    });
                }
            }
        }
        match self.verify_legacy().await? {
            Ok(n) => report.legacy_entries = n,
            Err(seq) => report.breaks.push(ChainBreak::Edited {
                chain: "audit_log_v1".into(),
                seq,
            }),
        }
        report.drift = self.drift(&last_digest).await?;
        Ok(report)
    }

    /// The version-1 log (before keyed MACs), checked by its SHA-256 chain and head.
    async fn verify_legacy(&self) -> Result<Result<i64, i64>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor_user_id, actor_name, action, entity, entity_id, unit_path, \
             before_json, after_json, prev_hash, hash FROM audit_log_v1 ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in &rows {
            let seq = int(row, "seq")?;
            entries.push(LegacyEntry {
                seq,
                fields: [
                    Some(seq.to_string()),
                    Some(int(row, "at")?.to_string()),
                    opt_text(row, "actor_user_id")?,
                    Some(text(row, "actor_name")?),
                    Some(text(row, "action")?),
                    Some(text(row, "entity")?),
                    Some(text(row, "entity_id")?),
                    opt_text(row, "unit_path")?,
                    opt_text(row, "before_json")?,
                    opt_text(row, "after_json")?,
                ],
                prev_hash: text(row, "prev_hash")?,
                hash: text(row, "hash")?,
            });
        }
        let verified = domain::audit_legacy::verify(&entries);
        let head = sqlx::query("SELECT seq, hash FROM audit_head_v1 WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        if let (Ok(n), Some(head)) = (&verified, head) {
            let head_seq: i64 = head.try_get("seq")?;
            let head_hash: String = head.try_get("hash")?;
            let last = entries.last().map(|e| e.hash.clone()).unwrap_or_default();
            if head_seq != *n || head_hash != last {
                return Ok(Err(n + 1));
            }
        }
        Ok(verified)
    }
}
