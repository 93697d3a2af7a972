-- Audit chains with keyed MACs and row digests, one chain per top unit (issue 7, R-INC-2).
-- The version-1 log (SHA-256 without a key) is kept read-only as audit_log_v1.
ALTER TABLE audit_log RENAME TO audit_log_v1;
ALTER TABLE audit_head RENAME TO audit_head_v1;
ALTER INDEX audit_log_entity RENAME TO audit_log_v1_entity;
ALTER INDEX audit_log_unit_path RENAME TO audit_log_v1_unit_path;

CREATE TABLE audit_log (
    chain TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_path TEXT COLLATE "C",
    before_json TEXT,
    after_json TEXT,
    row_digest TEXT,
    prev_mac TEXT NOT NULL,
    mac TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_by_unit_path ON audit_log(unit_path);
CREATE INDEX audit_log_by_at ON audit_log(at);

CREATE TABLE audit_heads (
    chain TEXT COLLATE "C" PRIMARY KEY,
    seq BIGINT NOT NULL,
    mac TEXT NOT NULL
);

-- The audit log is append-only: the database refuses edits and deletions (the function
-- of 0001 serves both tables; audit_log_v1 keeps its trigger through the rename).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Work that one server of several does at a time (reminder runs, checkpoints).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_micros BIGINT NOT NULL
);
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
