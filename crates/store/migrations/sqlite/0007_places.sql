-- A school's places and safety equipment (R-HZD-5, R-SEC-1).
CREATE TABLE places (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (school_id, name)
);

CREATE TABLE equipment (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT NOT NULL,
    place TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    serviced_on TEXT,
    expires_on TEXT,
    checked_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX equipment_school ON equipment(school_path);
