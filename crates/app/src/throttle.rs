//! Login throttling (ASVS 6.3.1). Failures count per account *and* client together, so
//! nobody can lock others out from another address; each attempt reserves its place
//! before the password is checked, in one atomic step, so parallel attempts cannot slip
//! past the limit. Beyond that, an account (from any client) and a client (for any account)
//! that keep failing get a growing delay — seconds, never a lock.

use std::collections::HashMap;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// The limits (ASVS 6.3.1; numbers of OWASP's authentication cheat sheet).
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRules {
    pub window: Duration,
    /// Failures of one account from one client within the window before it must wait.
    pub per_account_and_client: usize,
    /// Failures of one account from any client before each attempt waits a growing delay.
    pub account_delay_after: usize,
    /// Failures from one client for any account before each attempt waits a growing delay.
    pub client_delay_after: usize,
    /// The longest growing delay.
    pub max_delay: Duration,
}

impl Default for ThrottleRules {
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account_and_client: 5,
            account_delay_after: 10,
            client_delay_after: 30,
            max_delay: Duration::minutes(5),
        }
    }
}

#[derive(Debug, Default)]
struct Counter {
    failures: Vec<OffsetDateTime>,
    in_flight: usize,
}

impl Counter {
    fn recent(&mut self, now: OffsetDateTime, window: Duration) -> usize {
        self.failures.retain(|t| now - *t < window);
        self.failures.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair(String, String),
    Account(String),
    Client(String),
}

/// Recent failures and attempts in progress.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    rules: ThrottleRules,
    counters: Mutex<HashMap<Key, Counter>>,
}

/// A reserved attempt: report its outcome, or drop it (the reservation is released).
#[must_use]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    keys: [Key; 3],
    done: bool,
}

impl LoginThrottle {
    pub fn new(rules: ThrottleRules) -> Self {
        Self {
            rules,
            counters: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Counter>> {
        self.counters.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reserves an attempt for `account` from `client`, or says how many seconds to wait.
    pub fn reserve(
        &self,
        account: &str,
        client: &str,
        now: OffsetDateTime,
    ) -> Result<Attempt<'_>, u64> {
        let rules = self.rules;
        let keys = [
            Key::Pair(account.to_owned(), client.to_owned()),
            Key::Account(account.to_owned()),
            Key::Client(client.to_owned()),
        ];
        let mut map = self.lock();
        if map.len() > 100_000 {
            map.retain(|_, c| c.in_flight > 0 || c.recent(now, rules.window) > 0);
        }
        let mut wait = Duration::ZERO;
        for key in &keys {
            let counter = map.entry(key.clone()).or_default();
            let failures = counter.recent(now, rules.window);
            let pending = failures + counter.in_flight;
            let key_wait = match key {
                Key::Pair(..) if pending >= rules.per_account_and_client => {
                    // A place frees when the oldest counted failure leaves the window (or,
                    // while attempts are in progress, within a second).
                    let limit = rules.per_account_and_client;
                    match failures.checked_sub(limit) {
                        Some(i) => counter.failures[i] + rules.window - now,
                        None => Duration::seconds(1),
                    }
                }
                Key::Account(_) => growing(counter, now, rules.account_delay_after, rules),
                Key::Client(_) => growing(counter, now, rules.client_delay_after, rules),
                Key::Pair(..) => Duration::ZERO,
            };
            wait = wait.max(key_wait);
        }
        if wait > Duration::ZERO {
            return Err(wait.whole_seconds().max(1) as u64);
        }
        for key in &keys {
            map.entry(key.clone()).or_default().in_flight += 1;
        }
        Ok(Attempt {
            throttle: self,
            keys,
            done: false,
        })
    }
}

/// Past `after` failures (or attempts in progress beyond it), each further attempt waits
/// 2^(n − after) seconds after the last failure, up to the rules' maximum.
fn growing(counter: &Counter, now: OffsetDateTime, after: usize, rules: ThrottleRules) -> Duration {
    let n = counter.failures.len() + counter.in_flight;
    if n < after {
        return Duration::ZERO;
    }
    if counter.in_flight > 0 && counter.failures.len() >= after {
        return Duration::seconds(1);
    }
    let exponent = (n - after).min(20) as u32;
    let delay = Duration::seconds(1_i64 << exponent).min(rules.max_delay);
    let last = counter.failures.last().copied().unwrap_or(now);
    (last + delay - now).max(Duration::ZERO)
}

impl Attempt<'_> {
    fn finish(&mut self, failed: bool, now: OffsetDateTime) {
        let mut map = self.throttle.lock();
        for key in &self.keys {
            let counter = map.entry(key.clone()).or_default();
            counter.in_flight = counter.in_flight.saturating_sub(1);
            if failed {
                counter.failures.push(now);
            } else if matches!(key, Key::Pair(..)) {
                counter.failures.clear();
            }
        }
        self.done = true;
    }

    pub fn failed(mut self, now: OffsetDateTime) {
        self.finish(true, now);
    }

    /// A successful login clears the failures of this account from this client.
    pub fn succeeded(mut self, now: OffsetDateTime) {
        self.finish(false, now);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut map = self.throttle.lock();
            for key in &self.keys {
                if let Some(counter) = map.get_mut(key) {
                    counter.in_flight = counter.in_flight.saturating_sub(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

    #[test]
    fn five_failures_make_this_client_wait_but_not_another() {
        let t = LoginThrottle::default();
        for i in 0..5 {
            t.reserve("wang", "1.2.3.4", T0)
                .unwrap_or_else(|w| panic!("attempt {i} refused for {w}s"))
                .failed(T0);
        }
        let wait = t.reserve("wang", "1.2.3.4", T0).err().unwrap();
        assert_eq!(wait, 15 * 60);
        // Wang at school, behind another address, still signs in.
        t.reserve("wang", "5.6.7.8", T0).unwrap().succeeded(T0);
        assert!(t.reserve("li", "1.2.3.4", T0).is_ok());
        assert!(
            t.reserve("wang", "1.2.3.4", T0 + Duration::minutes(15))
                .is_ok()
        );
    }

    #[test]
    fn parallel_attempts_reserve_their_places_before_any_is_checked() {
        let t = LoginThrottle::default();
        let held: Vec<_> = (0..40)
            .filter_map(|_| t.reserve("wang", "1.2.3.4", T0).ok())
            .collect();
        assert_eq!(held.len(), 5, "only the limit is let through at once");
        for attempt in held {
            attempt.failed(T0);
        }
        assert!(t.reserve("wang", "1.2.3.4", T0).is_err());
    }

    #[test]
    fn a_dropped_attempt_gives_its_place_back() {
        let t = LoginThrottle::default();
        let held: Vec<_> = (0..5)
            .map(|_| t.reserve("wang", "a", T0).unwrap())
            .collect();
        assert!(t.reserve("wang", "a", T0).is_err());
        drop(held);
        assert!(t.reserve("wang", "a", T0).is_ok());
    }

    #[test]
    fn an_account_attacked_from_many_clients_gets_a_growing_delay_not_a_lock() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            t.reserve("wang", &format!("10.0.0.{i}"), T0)
                .unwrap()
                .failed(T0);
        }
        // The 11th failure anywhere: one second, then two, then four…
        let wait = t.reserve("wang", "192.0.2.1", T0).err().unwrap();
        assert_eq!(wait, 1);
        let later = T0 + Duration::seconds(1);
        t.reserve("wang", "192.0.2.1", later).unwrap().failed(later);
        assert_eq!(t.reserve("wang", "192.0.2.2", later).err(), Some(2));
        let much_later = later + Duration::minutes(16);
        assert!(t.reserve("wang", "192.0.2.2", much_later).is_ok());
    }
}
