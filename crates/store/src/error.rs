//! Store errors: not found (or not in scope), a conflict a person can resolve, or a
//! database failure — never confused with one another.

/// A store failure.
#[derive(Debug)]
pub enum Error {
    /// No such record, or not visible to the caller's scope.
    NotFound,
    /// The change collides with existing data; the text names what (an i18n key).
    Conflict(&'static str),
    /// The caller's scope does not allow this change.
    Forbidden,
    /// The database failed.
    Database(sqlx::Error),
    /// A stored value could not be read back.
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotFound => f.write_str("not found"),
            Error::Conflict(what) => write!(f, "conflict: {what}"),
            Error::Forbidden => f.write_str("forbidden"),
            Error::Database(e) => write!(f, "database: {e}"),
            Error::Corrupt(what) => write!(f, "corrupt stored value: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound,
            _ => Error::Database(e),
        }
    }
}

/// Maps a unique-constraint violation to a conflict with the given message key.
pub(crate) fn conflict_on_unique(e: sqlx::Error, message: &'static str) -> Error {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return Error::Conflict(message);
    }
    Error::from(e)
}
