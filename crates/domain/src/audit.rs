//! The audit chains (R-INC-2): every change is an entry whose MAC, keyed with a secret kept
//! outside the database, covers the entry and the MAC before it. One chain per top unit
//! (a county bureau) so counties never wait on each other; signed checkpoints of each
//! chain's head, kept outside the database, catch a chain that was cut short or emptied.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// The MAC that stands before the first entry of every chain.
pub const GENESIS_MAC: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain of changes that belong to no unit (system settings, the policy of the whole
/// installation).
pub const SYSTEM_CHAIN: &str = "";

/// The secret key of the audit MACs: 32 random bytes, kept in a file apart from the
/// database and its backups. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Reads the key file's text: 64 hex characters (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text.trim()).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// HMAC-SHA256 over length-prefixed fields, in hex.
    fn mac(&self, domain: &str, fields: &[&str]) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            unreachable!("HMAC takes a key of any length")
        };
        mac.update(domain.as_bytes());
        for field in fields {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The chain a change belongs to: the top unit of its unit path (`/<top>/…` → `/<top>/`),
/// or the system chain.
pub fn chain_of(unit_path: Option<&str>) -> String {
    let Some(path) = unit_path else {
        return SYSTEM_CHAIN.to_owned();
    };
    match path.strip_prefix('/').and_then(|rest| rest.split_once('/')) {
        Some((top, _)) if !top.is_empty() => format!("/{top}/"),
        _ => SYSTEM_CHAIN.to_owned(),
    }
}

/// One audit entry as stored. `before` and `after` are JSON texts, covered as stored;
/// `row_digest` is the digest of the audited record's row as the change left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub chain: String,
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
    pub row_digest: Option<String>,
    pub prev_mac: String,
    pub mac: String,
}

impl AuditEntry {
    /// The MAC this entry must carry, computed from its content and `prev_mac`.
    pub fn compute_mac(&self, key: &AuditKey) -> String {
        key.mac(
            "xiaoan-audit-v2",
            &[
                &self.prev_mac,
                &self.chain,
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
                self.row_digest.as_deref().unwrap_or("\u{0}"),
            ],
        )
    }
}

/// A chain's head as it was at an instant, signed with the audit key. Written to a file
/// outside the database; a database whose chain no longer reaches it was cut or rewound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub chain: String,
    pub seq: i64,
    pub mac: String,
    pub at_micros: i64,
    pub signature: String,
}

impl Checkpoint {
    pub fn sign(key: &AuditKey, chain: &str, seq: i64, mac: &str, at_micros: i64) -> Self {
        let mut checkpoint = Self {
            chain: chain.to_owned(),
            seq,
            mac: mac.to_owned(),
            at_micros,
            signature: String::new(),
        };
        checkpoint.signature = checkpoint.expected_signature(key);
        checkpoint
    }

    fn expected_signature(&self, key: &AuditKey) -> String {
        key.mac(
            "xiaoan-checkpoint-v1",
            &[
                &self.chain,
                &self.seq.to_string(),
                &self.mac,
                &self.at_micros.to_string(),
            ],
        )
    }

    pub fn is_signed_by(&self, key: &AuditKey) -> bool {
        self.expected_signature(key) == self.signature
    }

    /// One line of the checkpoint file: `at seq mac signature chain` (the chain last: it
    /// may be empty).
    pub fn to_line(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.at_micros, self.seq, self.mac, self.signature, self.chain
        )
    }

    pub fn from_line(line: &str) -> Option<Self> {
        let mut parts = line.splitn(5, ' ');
        Some(Self {
            at_micros: parts.next()?.parse().ok()?,
            seq: parts.next()?.parse().ok()?,
            mac: parts.next()?.to_owned(),
            signature: parts.next()?.to_owned(),
            chain: parts.next().unwrap_or("").to_owned(),
        })
    }
}

/// Why a chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's content does not match its MAC: it was edited, or re-hashed without
    /// the key.
    Edited { chain: String, seq: i64 },
    /// The entry does not link to the one before: an entry before it was removed or replaced.
    Unlinked { chain: String, seq: i64 },
    /// A sequence number is missing before this entry.
    Gap {
        chain: String,
        seq: i64,
        expected: i64,
    },
    /// The last entry is not the recorded head: entries at the end were removed.
    Truncated {
        chain: String,
        head_seq: i64,
        last_seq: i64,
    },
    /// A signed checkpoint names an entry the chain no longer has, or has differently:
    /// entries were removed from the end (and the head rewound), or the chain rewritten.
    BehindCheckpoint {
        chain: String,
        checkpoint_seq: i64,
        last_seq: i64,
        at_micros: i64,
    },
    /// A checkpoint line whose signature does not verify: the file was edited.
    ForgedCheckpoint { line: usize },
}

/// How a chain is named in messages.
fn chain_name(chain: &str) -> String {
    if chain.is_empty() {
        "system chain".to_owned()
    } else {
        format!("chain {chain}")
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Edited { chain, seq } => write!(
                f,
                "{}: entry {seq} was changed after it was written",
                chain_name(chain)
            ),
            ChainBreak::Unlinked { chain, seq } => write!(
                f,
                "{}: entry {seq} does not follow the entry before it",
                chain_name(chain)
            ),
            ChainBreak::Gap {
                chain,
                seq,
                expected,
            } => write!(
                f,
                "{}: entry {expected} is missing (found {seq} next)",
                chain_name(chain)
            ),
            ChainBreak::Truncated {
                chain,
                head_seq,
                last_seq,
            } => write!(
                f,
                "{}: entries after {last_seq} are missing (the chain head says {head_seq})",
                chain_name(chain)
            ),
            ChainBreak::BehindCheckpoint {
                chain,
                checkpoint_seq,
                last_seq,
                at_micros,
            } => {
                let at =
                    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(*at_micros) * 1000)
                        .map_or_else(|_| at_micros.to_string(), |t| t.to_string());
                if last_seq < checkpoint_seq {
                    write!(
                        f,
                        "{}: entries from {} on are missing (a checkpoint of {at} saw entry {checkpoint_seq}; the database ends at {last_seq})",
                        chain_name(chain),
                        last_seq + 1
                    )
                } else {
                    write!(
                        f,
                        "{}: entry {checkpoint_seq} is not the one a checkpoint of {at} saw: the chain was rewritten up to it",
                        chain_name(chain)
                    )
                }
            }
            ChainBreak::ForgedCheckpoint { line } => write!(
                f,
                "checkpoint file line {line}: its signature does not verify (the file was edited)"
            ),
        }
    }
}

/// Checks one chain's entries in sequence order; returns the first break. Call `finish`
/// with the recorded head when every entry has been fed.
#[derive(Debug)]
pub struct ChainVerifier<'k> {
    key: &'k AuditKey,
    chain: String,
    prev_mac: String,
    next_seq: i64,
}

impl<'k> ChainVerifier<'k> {
    pub fn new(key: &'k AuditKey, chain: &str) -> Self {
        Self {
            key,
            chain: chain.to_owned(),
            prev_mac: GENESIS_MAC.to_owned(),
            next_seq: 1,
        }
    }

    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        let chain = self.chain.clone();
        if entry.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                chain,
                seq: entry.seq,
                expected: self.next_seq,
            });
        }
        if entry.chain != self.chain || entry.compute_mac(self.key) != entry.mac {
            return Err(ChainBreak::Edited {
                chain,
                seq: entry.seq,
            });
        }
        if entry.prev_mac != self.prev_mac {
            return Err(ChainBreak::Unlinked {
                chain,
                seq: entry.seq,
            });
        }
        self.prev_mac.clone_from(&entry.mac);
        self.next_seq += 1;
        Ok(())
    }

    /// The sequence number of the last entry that verified (0 before any).
    pub fn checked(&self) -> i64 {
        self.next_seq - 1
    }

    /// Compares the end of the chain with the recorded head (seq and MAC); `Ok(n)` with
    /// the number of entries checked.
    pub fn finish(self, head: Option<(i64, String)>) -> Result<i64, ChainBreak> {
        let last_seq = self.next_seq - 1;
        match head {
            Some((head_seq, _)) if head_seq != last_seq => Err(ChainBreak::Truncated {
                chain: self.chain,
                head_seq,
                last_seq,
            }),
            Some((head_seq, head_mac)) if head_mac != self.prev_mac => Err(ChainBreak::Edited {
                chain: self.chain,
                seq: head_seq,
            }),
            None if last_seq > 0 => Err(ChainBreak::Truncated {
                chain: self.chain,
                head_seq: 0,
                last_seq,
            }),
            _ => Ok(last_seq),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> AuditKey {
        AuditKey::from_bytes([7; 32])
    }

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_MAC.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    chain: "/a/".into(),
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
                    row_digest: Some("d".into()),
                    prev_mac: prev.clone(),
                    mac: String::new(),
                };
                e.mac = e.compute_mac(&key());
                prev = e.mac.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> Result<i64, ChainBreak> {
        let key = key();
        let mut v = ChainVerifier::new(&key, "/a/");
        for e in entries {
            v.check(e)?;
        }
        v.finish(head)
    }

    #[test]
    fn chains_are_named_by_their_top_unit() {
        assert_eq!(chain_of(Some("/a/b/c/")), "/a/");
        assert_eq!(chain_of(Some("/a/")), "/a/");
        assert_eq!(chain_of(Some("/")), SYSTEM_CHAIN);
        assert_eq!(chain_of(None), SYSTEM_CHAIN);
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let head = Some((5, c[4].mac.clone()));
        assert_eq!(verify(&c, head), Ok(5));
    }

    #[test]
    fn edits_deletions_truncation_and_rehashing_without_the_key_are_found() {
        let c = chain(5);
        let head = Some((5, c[4].mac.clone()));
        let mut edited = c.clone();
        edited[2].after = Some("{\"n\":99}".into());
        let a = "/a/".to_owned();
        assert_eq!(
            verify(&edited, head.clone()),
            Err(ChainBreak::Edited {
                chain: a.clone(),
                seq: 3
            })
        );
        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, head.clone()),
            Err(ChainBreak::Gap {
                chain: a.clone(),
                seq: 3,
                expected: 2
            })
        );
        assert_eq!(
            verify(&c[..4], head),
            Err(ChainBreak::Truncated {
                chain: a.clone(),
                head_seq: 5,
                last_seq: 4
            })
        );
        // Re-hashing with another key (the attacker does not have this one) still fails.
        let other = AuditKey::from_bytes([8; 32]);
        let mut rehashed = c.clone();
        rehashed[2].after = Some("{\"n\":99}".into());
        let mut prev = rehashed[1].mac.clone();
        for e in &mut rehashed[2..] {
            e.prev_mac = prev.clone();
            e.mac = e.compute_mac(&other);
            prev = e.mac.clone();
        }
        let head = Some((5, prev));
        assert_eq!(
            verify(&rehashed, head),
            Err(ChainBreak::Edited { chain: a, seq: 3 })
        );
    }

    #[test]
    fn checkpoints_round_trip_and_refuse_edits() {
        let k = key();
        let cp = Checkpoint::sign(&k, "", 12, "abc", 99);
        let back = Checkpoint::from_line(&cp.to_line()).unwrap();
        assert_eq!(back, cp);
        assert!(back.is_signed_by(&k));
        let mut edited = back.clone();
        edited.seq = 11;
        assert!(!edited.is_signed_by(&k));
        let named = Checkpoint::sign(&k, "/x/", 1, "m", 5);
        assert_eq!(Checkpoint::from_line(&named.to_line()).unwrap(), named);
    }

    #[test]
    fn the_key_file_text_round_trips_and_is_never_shown() {
        let k = key();
        assert_eq!(AuditKey::from_hex(&format!("{}\n", k.to_hex())), Some(k));
        assert_eq!(AuditKey::from_hex("abcd"), None);
        assert_eq!(format!("{:?}", key()), "AuditKey(…)");
    }
}
