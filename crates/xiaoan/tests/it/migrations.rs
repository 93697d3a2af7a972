//! The two migration folders stay in step (issue 8, guards by construction): same names in
//! the same order, and the same statements once the dialect differences named below are
//! normalised. Any other difference — a column, an index, a default, a statement one side
//! lacks — fails.
//!
//! The allowed differences, each one named:
//! 1. `COLLATE "C"` on PostgreSQL's text keys and paths (SQLite compares bytes already), so
//!    that `path >= '/a/' AND path < '/a0'` ranges and ordering agree on both.
//! 2. Append-only guards: SQLite writes one `CREATE TRIGGER … BEGIN SELECT RAISE(ABORT, …);
//!    END` per refused operation; PostgreSQL a PL/pgSQL function that raises and a trigger
//!    `BEFORE UPDATE OR DELETE … EXECUTE FUNCTION`. They are compared by what they protect:
//!    after every migration the same tables refuse the same operations.
//! 3. `TRUNCATE` in those guards is PostgreSQL only (SQLite has no TRUNCATE).
//! 4. `DROP TRIGGER` in SQLite where a guard is re-created under a new name (compared through
//!    difference 2).
//! 5. `ALTER INDEX … RENAME TO …` in PostgreSQL only (SQLite cannot rename an index; index
//!    names do not change what a query does).

use std::collections::{BTreeMap, BTreeSet};

#[test]
fn sqlite_and_postgres_migrations_have_the_same_names() {
    let sqlite: Vec<&str> = store::MIGRATIONS_SQLITE.iter().map(|m| m.name).collect();
    let postgres: Vec<&str> = store::MIGRATIONS_POSTGRES.iter().map(|m| m.name).collect();
    assert_eq!(sqlite, postgres);
    let dir = |backend: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../store/migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".sql")
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(dir("sqlite"), dir("postgres"));
    assert_eq!(dir("sqlite"), sqlite);
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_statements() {
    let mut sqlite_guards = Guards::default();
    let mut postgres_guards = Guards::default();
    for (lite, pg) in store::MIGRATIONS_SQLITE
        .iter()
        .zip(store::MIGRATIONS_POSTGRES)
    {
        let lite_statements = normalise(lite.sql, Dialect::Sqlite, &mut sqlite_guards);
        let pg_statements = normalise(pg.sql, Dialect::Postgres, &mut postgres_guards);
        assert_eq!(
            lite_statements, pg_statements,
            "{}: the statements differ beyond the named dialect differences",
            lite.name
        );
        assert_eq!(
            sqlite_guards.protected(),
            postgres_guards.protected(),
            "{}: the append-only guards protect different tables or operations",
            lite.name
        );
    }
    assert!(
        !sqlite_guards.protected().is_empty(),
        "the audit log is append-only on both databases"
    );
}

#[test]
fn a_difference_not_named_fails() {
    let (mut a, mut b) = (Guards::default(), Guards::default());
    let lite = "CREATE TABLE t (id TEXT PRIMARY KEY, path TEXT NOT NULL);";
    let same = "CREATE TABLE t (id TEXT PRIMARY KEY, path TEXT COLLATE \"C\" NOT NULL);";
    let other = "CREATE TABLE t (id TEXT PRIMARY KEY, path TEXT);";
    assert_eq!(
        normalise(lite, Dialect::Sqlite, &mut a),
        normalise(same, Dialect::Postgres, &mut b)
    );
    assert_ne!(
        normalise(lite, Dialect::Sqlite, &mut a),
        normalise(other, Dialect::Postgres, &mut b)
    );
    // A guard on one side only is a difference too.
    let (mut a, mut b) = (Guards::default(), Guards::default());
    normalise(
        "CREATE TRIGGER t_no_delete BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;",
        Dialect::Sqlite,
        &mut a,
    );
    normalise(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END; $$;\
         CREATE TRIGGER t_no_update BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION refuse();",
        Dialect::Postgres,
        &mut b,
    );
    assert_ne!(a.protected(), b.protected());
}

#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Sqlite,
    Postgres,
}

/// The append-only triggers in force.
#[derive(Default)]
struct Guards {
    triggers: Vec<Trigger>,
    /// PostgreSQL functions whose whole body is `RAISE EXCEPTION`.
    refusing: BTreeSet<String>,
}

/// One trigger (SQLite names triggers per database, PostgreSQL per table).
struct Trigger {
    name: String,
    table: String,
    /// The operations it refuses.
    ops: BTreeSet<String>,
}

impl Guards {
    /// Table → the operations refused on it (difference 3: TRUNCATE left out).
    fn protected(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for Trigger { table, ops, .. } in &self.triggers {
            tables
                .entry(table.clone())
                .or_default()
                .extend(ops.iter().filter(|op| *op != "TRUNCATE").cloned());
        }
        tables
    }

    /// Reads one statement as a guard (differences 2 and 4); false when it is not one.
    fn take(&mut self, statement: &str, dialect: Dialect) -> bool {
        let words: Vec<&str> = statement.split(' ').collect();
        match (dialect, words.as_slice()) {
            (
                Dialect::Sqlite,
                [
                    "CREATE",
                    "TRIGGER",
                    name,
                    "BEFORE",
                    op,
                    "ON",
                    table,
                    rest @ ..,
                ],
            ) if rest.first() == Some(&"BEGIN")
                && rest.get(1..3) == Some(&["SELECT", "RAISE(ABORT,"][..])
                && statement.ends_with("); END") =>
            {
                self.triggers.push(Trigger {
                    name: (*name).to_owned(),
                    table: (*table).to_owned(),
                    ops: BTreeSet::from([(*op).to_owned()]),
                });
                true
            }
            (Dialect::Sqlite, ["DROP", "TRIGGER", name]) => {
                let before = self.triggers.len();
                self.triggers.retain(|t| t.name != *name);
                self.triggers.len() < before
            }
            (Dialect::Postgres, ["CREATE", "FUNCTION", function, "RETURNS", "trigger", ..])
                if statement.contains("AS $$ BEGIN RAISE EXCEPTION '")
                    && statement.ends_with("'; END; $$") =>
            {
                self.refusing
                    .insert(function.trim_end_matches("()").to_owned());
                true
            }
            (Dialect::Postgres, ["CREATE", "TRIGGER", name, "BEFORE", rest @ ..]) => {
                let Some(on) = rest.iter().position(|w| *w == "ON") else {
                    return false;
                };
                let ops: BTreeSet<String> = rest[..on]
                    .iter()
                    .filter(|w| **w != "OR")
                    .map(|w| (*w).to_owned())
                    .collect();
                let (Some(table), Some(function)) = (rest.get(on + 1), rest.last()) else {
                    return false;
                };
                let each = rest.get(on + 2..on + 6);
                let known = matches!(each, Some(["FOR", "EACH", "ROW" | "STATEMENT", "EXECUTE"]))
                    && self.refusing.contains(function.trim_end_matches("()"));
                if known {
                    self.triggers.push(Trigger {
                        name: (*name).to_owned(),
                        table: (*table).to_owned(),
                        ops,
                    });
                }
                known
            }
            _ => false,
        }
    }

    /// `ALTER TABLE a RENAME TO b`: the triggers follow their table on both databases.
    fn follow_rename(&mut self, statement: &str) {
        if let ["ALTER", "TABLE", from, "RENAME", "TO", to] =
            statement.split(' ').collect::<Vec<_>>().as_slice()
        {
            for trigger in &mut self.triggers {
                if trigger.table == *from {
                    trigger.table = (*to).to_owned();
                }
            }
        }
    }
}

/// The statements of one migration file, comments gone, white space collapsed, with the
/// named dialect differences taken out (guards go to `guards`).
fn normalise(sql: &str, dialect: Dialect, guards: &mut Guards) -> Vec<String> {
    let mut kept = Vec::new();
    for statement in statements(sql) {
        let statement = match dialect {
            // Difference 1.
            Dialect::Postgres => statement.replace(" COLLATE \"C\"", ""),
            Dialect::Sqlite => statement,
        };
        guards.follow_rename(&statement);
        if guards.take(&statement, dialect) {
            continue;
        }
        // Difference 5.
        if dialect == Dialect::Postgres
            && statement.starts_with("ALTER INDEX ")
            && statement.contains(" RENAME TO ")
        {
            continue;
        }
        kept.push(statement);
    }
    kept
}

/// Splits a file into statements: `--` comments dropped, white space collapsed, `;` inside
/// a `$$` body or a SQLite trigger's `BEGIN … END` kept.
fn statements(sql: &str) -> Vec<String> {
    let text: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_body = false;
    for piece in text.split_inclusive([';', '$']) {
        current.push_str(piece);
        if piece.ends_with('$') && current.ends_with("$$") {
            in_body = !in_body;
        }
        if !piece.ends_with(';') || in_body {
            continue;
        }
        let collapsed = collapse(&current);
        let open_trigger = collapsed.starts_with("CREATE TRIGGER")
            && collapsed.contains(" BEGIN ")
            && !collapsed.ends_with("END;");
        if open_trigger {
            continue;
        }
        let statement = collapsed.trim_end_matches(';').trim().to_owned();
        if !statement.is_empty() {
            out.push(statement);
        }
        current.clear();
    }
    assert!(
        collapse(&current).is_empty(),
        "a statement without its `;`: {current}"
    );
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}
