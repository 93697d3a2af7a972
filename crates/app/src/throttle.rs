//! Login throttling (ASVS 6.3.1): failures counted per account and per address in a
//! sliding window; past the limit, attempts are refused without checking the password.

use std::collections::HashMap;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_PER_ACCOUNT: usize = 5;
pub const MAX_PER_ADDRESS: usize = 30;

/// Recent failures by key (`user:<name>` or `addr:<ip>`).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
}

impl LoginThrottle {
    /// Seconds to wait before another attempt for this account and address, if any.
    pub fn blocked_for(&self, username: &str, address: &str, now: OffsetDateTime) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for (key, max) in [
            (format!("user:{username}"), MAX_PER_ACCOUNT),
            (format!("addr:{address}"), MAX_PER_ADDRESS),
        ] {
            if let Some(times) = map.get_mut(&key) {
                times.retain(|t| now - *t < WINDOW);
                if times.len() >= max {
                    let oldest = times[times.len() - max];
                    let secs = (oldest + WINDOW - now).whole_seconds().max(1) as u64;
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, username: &str, address: &str, now: OffsetDateTime) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now - *t < WINDOW));
        }
        map.entry(format!("user:{username}")).or_default().push(now);
        map.entry(format!("addr:{address}")).or_default().push(now);
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&format!("user:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_and_unlocks_after_the_window() {
        let t = LoginThrottle::default();
        let now = OffsetDateTime::UNIX_EPOCH;
        for i in 0..MAX_PER_ACCOUNT {
            assert_eq!(t.blocked_for("wang", "1.2.3.4", now), None, "attempt {i}");
            t.record_failure("wang", "1.2.3.4", now);
        }
        assert!(t.blocked_for("wang", "5.6.7.8", now).is_some());
        assert_eq!(t.blocked_for("li", "5.6.7.8", now), None);
        assert_eq!(t.blocked_for("wang", "5.6.7.8", now + WINDOW), None);
    }
}
