-- The time zone a bureau keeps its dates in (issue 8): an IANA name; NULL keeps the
-- default, Asia/Shanghai. Only a bureau has one.
ALTER TABLE org_units ADD COLUMN time_zone TEXT;
