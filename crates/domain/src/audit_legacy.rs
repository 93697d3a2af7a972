//! The audit log as written before keyed MACs (version 1, SHA-256 without a key): kept
//! read-only in `audit_log_v1` after the upgrade and still checked link by link.

use sha2::{Digest, Sha256};

/// One version-1 entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyEntry {
    pub seq: i64,
    pub fields: [Option<String>; 10],
    pub prev_hash: String,
    pub hash: String,
}

impl LegacyEntry {
    /// The hash this entry must carry (the version-1 rule: absent texts are hashed as an
    /// empty string, absent JSON as a NUL).
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        for (i, field) in self.fields.iter().enumerate() {
            let absent = if i >= 8 { "\u{0}" } else { "" };
            let field = field.as_deref().unwrap_or(absent);
            hasher.update((field.len() as u64).to_be_bytes());
            hasher.update(field.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// Checks version-1 entries in order: `Ok(n)`, or the first entry that does not verify.
pub fn verify(entries: &[LegacyEntry]) -> Result<i64, i64> {
    let mut prev = crate::audit::GENESIS_MAC.to_owned();
    for (i, entry) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if entry.seq != expected_seq
            || entry.prev_hash != prev
            || entry.compute_hash() != entry.hash
        {
            return Err(expected_seq.min(entry.seq));
        }
        prev.clone_from(&entry.hash);
    }
    Ok(entries.len() as i64)
}
