//! Accounts: usernames and the password policy (OWASP ASVS 5.0 level 2).

use crate::error::Invalid;

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A login name: 3 to 32 of `a-z 0-9 . _ -`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim().to_lowercase();
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if name.is_empty() {
            return Err(Invalid::one("username", "error.required"));
        }
        if !valid_chars || !(3..=32).contains(&name.len()) {
            return Err(Invalid::one("username", "error.username"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Passwords that appear at the top of every breach list, in the forms people use here;
/// a full breached-password service is not reachable from a county intranet.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1111111111",
    "0000000000",
    "1234512345",
    "qwertyuiop",
    "password123",
    "password1234",
    "passw0rd123",
    "iloveyou123",
    "abc1234567",
    "abcd123456",
    "a123456789",
    "qwerty1234",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "zaq12wsxcde",
    "woaini1314",
    "woaini520",
    "5201314520",
    "1314520520",
    "aa12345678",
    "admin12345",
    "administrator",
    "xiaoan12345",
    "changeme123",
    "welcome123",
    "88888888888",
    "6666666666",
    "9876543210",
    "147258369",
    "1472583690",
    "asdfghjkl1",
    "qazwsxedc123",
];

/// Words anyone attacking a county's school accounts would try first: the product, the
/// demo county, and the words of the trade, with the username.
const CONTEXT_WORDS: &[&str] = &[
    "xiaoan",
    "qingshan",
    "anquan",
    "xuexiao",
    "school",
    "safety",
    "jiaoyu",
    "jiaoyuju",
    "zhongxin",
    "xiaozhang",
    "laoshi",
    "teacher",
    "principal",
    "admin",
];

/// Whether zxcvbn (Dropbox's estimator) rates the password below "safely unguessable"
/// (score 3: about 10^8 guesses), counting the username and the context words as known.
fn guessable(raw: &str, username: &str) -> bool {
    let mut inputs: Vec<&str> = CONTEXT_WORDS.to_vec();
    if !username.is_empty() {
        inputs.push(username);
    }
    let score: u8 = zxcvbn::zxcvbn(raw, &inputs).score().into();
    score < 3
}

/// A new password that meets the policy: length, not the username, not a known-breached one.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, username: &str) -> Result<Self, Invalid> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(Invalid::one("password", "error.password_short"));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(Invalid::one("password", "error.too_long"));
        }
        let lower = raw.to_lowercase();
        if lower.contains(&username.to_lowercase()) && !username.is_empty() {
            return Err(Invalid::one("password", "error.password_contains_username"));
        }
        if COMMON_PASSWORDS.contains(&lower.as_str()) || raw.chars().all(|c| raw.starts_with(c)) {
            return Err(Invalid::one("password", "error.password_common"));
        }
        if guessable(raw, username) {
            return Err(Invalid::one("password", "error.password_guessable"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("王校長").is_err());
    }

    #[test]
    fn password_policy() {
        assert!(NewPassword::parse("short", "u").is_err());
        assert!(NewPassword::parse("1234567890", "u").is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaa", "u").is_err());
        assert!(NewPassword::parse("wang.li-2026x", "wang.li").is_err());
        assert!(NewPassword::parse("安全第一 school 2026", "wang").is_ok());
        // Issue 7: a county name with a year, and a run of letters, are guessed at once.
        for weak in [
            "Qingshan2026",
            "abcdefghij",
            "Password2026!",
            "qingshan123456",
        ] {
            let refused = NewPassword::parse(weak, "wang").unwrap_err();
            assert!(
                refused.0[0].message == "error.password_guessable"
                    || refused.0[0].message == "error.password_common",
                "{weak}"
            );
        }
        assert!(NewPassword::parse("correct horse battery staple", "wang").is_ok());
        assert!(NewPassword::parse("綠色操場上的紅色風箏", "wang").is_ok());
    }
}
