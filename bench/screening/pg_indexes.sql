-- What a DBA adds after the bulk load: the keys and uniqueness of zhenxing's SQLite schema, the
-- foreign keys, and an index on every foreign-key column, then fresh planner statistics.
ALTER TABLE households ADD PRIMARY KEY (id);
ALTER TABLE households ADD UNIQUE (household_number);
CREATE INDEX households_village ON households (village_code, household_number);
ALTER TABLE persons ADD PRIMARY KEY (id);
ALTER TABLE persons ADD UNIQUE (household_id, ordinal);   -- also the index for the foreign key
ALTER TABLE persons ADD UNIQUE (id_number);
ALTER TABLE persons ADD FOREIGN KEY (household_id) REFERENCES households (id) ON DELETE CASCADE;
ALTER TABLE household_years ADD PRIMARY KEY (household_id, year);
CREATE INDEX household_years_year ON household_years (year, household_id);
ALTER TABLE household_years ADD FOREIGN KEY (household_id) REFERENCES households (id) ON DELETE CASCADE;
VACUUM ANALYZE households;
VACUUM ANALYZE persons;
VACUUM ANALYZE household_years;
