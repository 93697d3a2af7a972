-- Foundation: organisation, people, accounts, sessions, tokens, audit (R-ORG-1, R-ORG-2, R-ORG-5).
CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES org_units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT COLLATE "C" NOT NULL UNIQUE,
    school_kind TEXT,
    boarding BIGINT NOT NULL DEFAULT 0,
    has_canteen BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    phone TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX people_unit_path ON people(unit_path);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    person_id TEXT REFERENCES people(id),
    password_hash TEXT NOT NULL,
    locale TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);
CREATE INDEX users_person ON users(person_id);

CREATE TABLE role_assignments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (person_id, role, unit_id)
);
CREATE INDEX role_assignments_unit_path ON role_assignments(unit_path);

CREATE TABLE leadership_members (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT COLLATE "C" NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    position TEXT NOT NULL,
    duty TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (school_id, person_id)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_path TEXT COLLATE "C",
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_unit_path ON audit_log(unit_path);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- The audit log is append-only: the database refuses edits and deletions.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
