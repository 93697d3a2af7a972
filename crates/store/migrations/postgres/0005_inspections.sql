-- Inspections by checklist (R-HZD-1, R-ASM-1): the inspection and each item's answer.
CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT COLLATE "C" NOT NULL,
    template_code TEXT NOT NULL,
    template_version BIGINT NOT NULL,
    evidence_kind TEXT NOT NULL,
    evidence_subtype TEXT,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    inspected_on TEXT NOT NULL,
    inspector TEXT NOT NULL,
    score BIGINT NOT NULL,
    max_score BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX inspections_school ON inspections(school_path, inspected_on);

CREATE TABLE inspection_answers (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    item_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    value TEXT,
    failed BIGINT NOT NULL,
    note TEXT,
    PRIMARY KEY (inspection_id, item_id)
);
