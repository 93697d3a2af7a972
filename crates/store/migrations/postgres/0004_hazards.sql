-- Hazards and their rectification (R-HZD-3): the hazard as it stands, and every step.
CREATE TABLE hazards (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT COLLATE "C" NOT NULL,
    place TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL,
    responsible_id TEXT REFERENCES people(id),
    responsible_name TEXT,
    deadline TEXT,
    submitted_by TEXT,
    source TEXT,
    reported_by TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    closed_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX hazards_school ON hazards(school_path, reported_on);
-- The ledger shows the newest first and the trend counts by month: both read by date.
CREATE INDEX hazards_reported ON hazards(reported_on, created_at);
CREATE INDEX hazards_closed ON hazards(closed_on);

CREATE TABLE hazard_events (
    id TEXT PRIMARY KEY,
    hazard_id TEXT NOT NULL REFERENCES hazards(id),
    school_path TEXT COLLATE "C" NOT NULL,
    action TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    note TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id, at);
