-- What kind of hazard (issue 8, R-HZD-4): buildings, fire, food, traffic, surroundings or
-- other; NULL for hazards found by an inspection or recorded before categories existed.
ALTER TABLE hazards ADD COLUMN category TEXT;
CREATE INDEX hazards_category ON hazards(category, reported_on);
