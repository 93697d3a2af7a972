-- Audit chains with keyed MACs and row digests, one chain per top unit (issue 7, R-INC-2).
-- The version-1 log (SHA-256 without a key) is kept read-only as audit_log_v1.
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
ALTER TABLE audit_log RENAME TO audit_log_v1;
ALTER TABLE audit_head RENAME TO audit_head_v1;
CREATE TRIGGER audit_log_v1_no_update BEFORE UPDATE ON audit_log_v1
BEGIN SELECT RAISE(ABORT, 'audit_log_v1 is append-only'); END;
CREATE TRIGGER audit_log_v1_no_delete BEFORE DELETE ON audit_log_v1
BEGIN SELECT RAISE(ABORT, 'audit_log_v1 is append-only'); END;

CREATE TABLE audit_log (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_path TEXT,
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
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    mac TEXT NOT NULL
);

-- The audit log is append-only: the database refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Work that one server of several does at a time (reminder runs, checkpoints).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_micros BIGINT NOT NULL
);
