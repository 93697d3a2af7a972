//! The audit chain: every change is an entry whose hash covers the previous entry's hash,
//! so an edited, inserted or deleted entry breaks the chain (R-INC-2).

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash that stands before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored. `before` and `after` are JSON texts, hashed as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_micros: i64,
    pub actor_user_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub unit_path: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry must carry, computed from its content and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let fields: [&str; 10] = [
            &self.seq.to_string(),
            &self.at_micros.to_string(),
            self.actor_user_id.as_deref().unwrap_or(""),
            &self.actor_name,
            &self.action,
            &self.entity,
            &self.entity_id,
            self.unit_path.as_deref().unwrap_or(""),
            self.before.as_deref().unwrap_or("\u{0}"),
            self.after.as_deref().unwrap_or("\u{0}"),
        ];
        hasher.update(self.prev_hash.as_bytes());
        for field in fields {
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's content does not match its hash: it was edited.
    Edited { seq: i64 },
    /// The entry does not link to the one before: an entry before it was removed or replaced.
    Unlinked { seq: i64 },
    /// A sequence number is missing before this entry.
    Gap { seq: i64, expected: i64 },
    /// The last entry is not the recorded head: entries at the end were removed.
    Truncated { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Edited { seq } => write!(f, "entry {seq} was changed after it was written"),
            ChainBreak::Unlinked { seq } => {
                write!(f, "entry {seq} does not follow the entry before it")
            }
            ChainBreak::Gap { seq, expected } => {
                write!(f, "entry {expected} is missing (found {seq} next)")
            }
            ChainBreak::Truncated { head_seq, last_seq } => {
                write!(
                    f,
                    "entries after {last_seq} are missing (the chain head says {head_seq})"
                )
            }
        }
    }
}

/// Checks entries in sequence order; returns the first break. Call `finish` with the
/// recorded head when every entry has been fed.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev_hash: GENESIS_HASH.to_owned(),
            next_seq: 1,
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                seq: entry.seq,
                expected: self.next_seq,
            });
        }
        if entry.compute_hash() != entry.hash {
            return Err(ChainBreak::Edited { seq: entry.seq });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: entry.seq });
        }
        self.prev_hash.clone_from(&entry.hash);
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// Compares the end of the chain with the recorded head (seq and hash).
    pub fn finish(self, head: Option<(i64, String)>) -> Result<u64, ChainBreak> {
        let last_seq = self.next_seq - 1;
        match head {
            Some((head_seq, _)) if head_seq != last_seq => {
                Err(ChainBreak::Truncated { head_seq, last_seq })
            }
            Some((head_seq, head_hash)) if head_hash != self.prev_hash => {
                Err(ChainBreak::Edited { seq: head_seq })
            }
            _ => Ok(self.checked),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at_micros: seq * 1000,
                    actor_user_id: None,
                    actor_name: "cli".into(),
                    action: "create".into(),
                    entity: "org_unit".into(),
                    entity_id: format!("id{seq}"),
                    unit_path: Some("/a/".into()),
                    before: None,
                    after: Some(format!("{{\"n\":{seq}}}")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        assert_eq!(verify(&c, head), Ok(5));
    }

    #[test]
    fn edits_deletions_and_truncation_are_found() {
        let c = chain(5);
        let head = Some((5, c[4].hash.clone()));
        let mut edited = c.clone();
        edited[2].after = Some("{\"n\":99}".into());
        assert_eq!(
            verify(&edited, head.clone()),
            Err(ChainBreak::Edited { seq: 3 })
        );
        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, head.clone()),
            Err(ChainBreak::Gap {
                seq: 3,
                expected: 2
            })
        );
        assert_eq!(
            verify(&c[..4], head),
            Err(ChainBreak::Truncated {
                head_seq: 5,
                last_seq: 4
            })
        );
    }
}
