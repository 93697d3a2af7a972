-- Reminders (issue 3): each person's choice of channels, the reminders already sent (so a
-- restart sends none twice), and the in-app notifications.
CREATE TABLE reminder_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    unit_path TEXT NOT NULL,
    in_app BIGINT NOT NULL DEFAULT 1,
    email TEXT,
    webhook_kind TEXT,
    webhook_url TEXT,
    days_before BIGINT NOT NULL DEFAULT 3,
    updated_at BIGINT NOT NULL
);

CREATE TABLE reminders_sent (
    key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    school_id TEXT NOT NULL REFERENCES org_units(id),
    obligation TEXT NOT NULL,
    kind TEXT NOT NULL,
    deadline TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    unit_path TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);
