//! Use-case errors: what the caller did wrong (invalid, forbidden, not found, conflict)
//! or what failed underneath (the store).

use domain::Invalid;

/// A use case's failure.
#[derive(Debug)]
pub enum Error {
    /// The input did not parse; each field says why.
    Invalid(Invalid),
    /// The caller may see this but not do this.
    Forbidden,
    /// No such record in the caller's scope.
    NotFound,
    /// The change collides with existing data (an i18n key).
    Conflict(&'static str),
    /// Wrong username or password, or the account cannot sign in; deliberately vague.
    BadCredentials,
    /// Too many failed logins; try again after this many seconds.
    Throttled(u64),
    /// Too many requests wait for the same scarce resource (password hashing); try again
    /// after this many seconds.
    Busy(u64),
    /// The store failed.
    Store(store::Error),
    /// A file outside the database (the file store, the checkpoint file) failed.
    Io(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<store::Error> for Error {
    fn from(e: store::Error) -> Self {
        match e {
            store::Error::NotFound => Error::NotFound,
            store::Error::Forbidden => Error::Forbidden,
            store::Error::Conflict(what) => Error::Conflict(what),
            other => Error::Store(other),
        }
    }
}

/// A read where "no such record" is an answer, not a failure: `Ok(None)` when not found,
/// and every other failure (the store's included) stays an error — never swallowed.
pub fn optional<T>(read: Result<T>) -> Result<Option<T>> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(Error::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Invalid(e) => write!(f, "invalid: {e}"),
            Error::Forbidden => f.write_str("forbidden"),
            Error::NotFound => f.write_str("not found"),
            Error::Conflict(what) => write!(f, "conflict: {what}"),
            Error::BadCredentials => f.write_str("bad credentials"),
            Error::Throttled(s) => write!(f, "throttled for {s}s"),
            Error::Busy(s) => write!(f, "busy, retry in {s}s"),
            Error::Store(e) => write!(f, "store: {e}"),
            Error::Io(e) => write!(f, "file: {e}"),
        }
    }
}

impl std::error::Error for Error {}
