//! The two migration folders stay in step: same names, same order.

#[test]
fn sqlite_and_postgres_migrations_match() {
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
