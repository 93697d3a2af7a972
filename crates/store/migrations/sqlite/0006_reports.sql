-- Monthly reports to the central school (R-HZD-2): every version kept.
CREATE TABLE monthly_reports (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES org_units(id),
    school_path TEXT NOT NULL,
    month TEXT NOT NULL,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    inspections BIGINT NOT NULL,
    hazards_found BIGINT NOT NULL,
    hazards_closed BIGINT NOT NULL,
    hazards_open BIGINT NOT NULL,
    summary TEXT,
    prepared_by TEXT NOT NULL,
    prepared_on TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_on TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (school_id, month, version)
);
CREATE INDEX monthly_reports_school ON monthly_reports(school_path, month);
