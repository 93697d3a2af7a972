-- Checklist libraries published by a bureau for its county or by a school for itself
-- (issue 4): each a TOML document in the shipped library's format, kept as published.
CREATE TABLE checklist_libraries (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    source TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX checklist_libraries_unit ON checklist_libraries(unit_id, created_at);
