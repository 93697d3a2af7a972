-- Calendar, policy versions, activity records, attachments and evidence
-- (R-CAL-1, R-POL-1, R-POL-2, R-MTG-1, R-EDU-1..4, R-EXT-1, R-PAC-1).
CREATE TABLE terms (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    school_year BIGINT NOT NULL,
    number BIGINT NOT NULL,
    starts TEXT NOT NULL,
    mid TEXT NOT NULL,
    ends TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (unit_id, school_year, number)
);
CREATE INDEX terms_unit ON terms(unit_id);

CREATE TABLE holidays (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX holidays_unit ON holidays(unit_id);

CREATE TABLE policy_versions (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    effective_from TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (unit_id, effective_from)
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    subtype TEXT,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT,
    participants TEXT,
    content TEXT,
    decisions TEXT,
    follow_ups TEXT,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_school ON activities(school_path, held_on);

-- Files kept with any record: `owner` names it (`activities/<id>`, `hazards/<id>/events/<n>`).
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    school_path TEXT COLLATE "C" NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner);

-- One row per record that may satisfy obligations, written by each module with its record.
CREATE TABLE evidence (
    record TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    subtype TEXT,
    on_date TEXT NOT NULL,
    about TEXT,
    title TEXT NOT NULL
);
CREATE INDEX evidence_school ON evidence(school_path, on_date);
