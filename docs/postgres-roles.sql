-- PostgreSQL roles for 校安 Xiao'an (issue 7): the servers run as a role that may add to
-- the audit log but never change or remove an entry. Run this as the owner of the
-- database — the role that runs `xiaoan migrate` and owns the tables and triggers — after
-- the first `xiaoan migrate`. Replace the password. Then start every `xiaoan serve` with
-- the application role:  --database-url postgres://xiaoan_app:…@host/xiaoan
CREATE ROLE xiaoan_app LOGIN PASSWORD 'change-me';
GRANT CONNECT ON DATABASE xiaoan TO xiaoan_app;
GRANT USAGE ON SCHEMA public TO xiaoan_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO xiaoan_app;
-- The audit log is append-only for the application: no UPDATE, DELETE or TRUNCATE, and
-- (not being the owner) it cannot drop or disable the triggers that say so.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_log_v1, audit_head_v1 FROM xiaoan_app;
-- Tables that later migrations create (run by the owner) are granted the same way.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO xiaoan_app;
