-- Edge cases for the agreement check. The synthetic province has no deceased head, no household
-- without living members, no missing income year and few values exactly at a threshold, so the
-- 600,000-household run alone would not show whether zhenxing and the SQL baselines agree there.
-- run.sh applies this script to a COPY of a small generated database (never to the benchmark
-- database) and compares the three engines on it; nothing is timed.
--
-- Households are picked by id modulo different primes, so the edits overlap in many
-- combinations. Parameters (same binding as screen.sqlite.sql): @year, @line, @ref_year.
-- The edited rows stay valid for zhenxing's reader (codes in range, dates well formed); resident
-- ID numbers are not rewritten (the screening does not read them).
BEGIN;

-- Deceased heads (rule R99_HEAD_DECEASED), and households whose members have all died
-- (living_size 0: per-capita 0, neither in range nor hardship).
UPDATE persons SET deceased = 1 WHERE relation = 1 AND household_id % 7 = 3;
UPDATE persons SET deceased = 1 WHERE household_id % 97 = 5;
UPDATE households SET living_size =
  (SELECT count(*) FROM persons p WHERE p.household_id = households.id AND p.deceased = 0);

-- Missing income records: this year (not classified) and last year (no snow-disaster proxy).
DELETE FROM household_years WHERE year = @year AND household_id % 53 = 1;
DELETE FROM household_years WHERE year = @year - 1 AND household_id % 11 = 2;

-- Per-capita net income exactly at the line, one fen below, one fen above; with a large
-- out-of-pocket cost for some (hardship boundary).
UPDATE household_years
SET wage = @line * (SELECT max(living_size, 1) FROM households h WHERE h.id = household_id)
           + (household_id % 3) - 1,
    business = 0, property = 0, transfer = 0, production_cost = 0,
    compliant_oop = CASE WHEN household_id % 2 = 0 THEN 0 ELSE 300000 * (household_id % 5) END
WHERE year = @year AND household_id % 13 = 4;

-- Hardship exactly at the line after out-of-pocket costs.
UPDATE household_years
SET wage = 2 * @line * (SELECT max(living_size, 1) FROM households h WHERE h.id = household_id),
    business = 0, property = 0, transfer = 0, production_cost = 0,
    compliant_oop = @line * (SELECT max(living_size, 1) FROM households h WHERE h.id = household_id)
                    + (household_id % 3) - 1
WHERE year = @year AND household_id % 17 = 6;

-- Negative net income (losses): truncating division of negative amounts, R06 business failure.
UPDATE household_years
SET production_cost = wage + business + property + transfer + 12345 + household_id % 7
WHERE year = @year AND household_id % 19 = 8;

-- Business income equal to wages, net income at exactly 70 % of last year and just below
-- (snow-disaster proxy boundaries; only pastoral counties can fire).
UPDATE household_years
SET wage = 100000, business = 100000, property = 0, transfer = 0, production_cost = 0
WHERE year = @year - 1 AND household_id % 23 = 9;
UPDATE household_years
SET wage = 70000, business = 70000 - (household_id % 2), property = 0, transfer = 0, production_cost = 0
WHERE year = @year AND household_id % 23 = 9;
UPDATE household_years
SET wage = 0, business = 140000 - (household_id % 3), property = 0, transfer = 0, production_cost = 0
WHERE year = @year AND household_id % 29 = 10;
UPDATE household_years
SET wage = 0, business = 200000, property = 0, transfer = 0, production_cost = 0
WHERE year = @year - 1 AND household_id % 29 = 10;

-- Ages on the boundaries at the reference date (6, 15/16, 59/60), including 29 February.
UPDATE persons SET birth_date = printf('%04d-12-31', @ref_year - 16) WHERE id % 31 = 1;
UPDATE persons SET birth_date = printf('%04d-01-01', @ref_year - 15) WHERE id % 31 = 2;
UPDATE persons SET birth_date = printf('%04d-12-31', @ref_year - 60) WHERE id % 31 = 3;
UPDATE persons SET birth_date = printf('%04d-01-01', @ref_year - 59) WHERE id % 31 = 4;
UPDATE persons SET birth_date = printf('%04d-12-31', @ref_year - 6) WHERE id % 31 = 5;
UPDATE persons SET birth_date = printf('%04d-01-01', @ref_year - 5) WHERE id % 31 = 6;
UPDATE persons SET birth_date = '2008-02-29' WHERE id % 31 = 7;
UPDATE persons SET birth_date = '1964-02-29' WHERE id % 31 = 8;
UPDATE persons SET birth_date = '2016-02-29' WHERE id % 31 = 9;

-- Dropouts, students, workers, migrant months and insurance across those ages.
UPDATE persons SET schooling = 6 WHERE id % 37 IN (1, 2, 5, 6);
UPDATE persons SET schooling = 4 + id % 2 WHERE id % 41 = 7;
UPDATE persons SET schooling = 1, labour_skill = 1 + id % 2, migrant_work_months = id % 13
WHERE id % 43 IN (1, 2, 3, 4, 8);
UPDATE persons SET medical_insurance = 0 WHERE id % 47 = 9;

-- Health and disability: serious illness, chronic illness, disability grades 1–4, all disabled.
UPDATE persons SET health = 3 WHERE id % 59 = 11;
UPDATE persons SET health = 2 WHERE id % 61 = 12;
UPDATE persons SET disability_grade = 1 + id % 4, health = 4 WHERE id % 67 = 13;
UPDATE persons SET health = 4 WHERE household_id % 71 = 14;
UPDATE persons SET labour_skill = 3 + id % 3 WHERE household_id % 73 = 15;

-- Out-of-pocket exactly at and around the medical thresholds is left to the generator's spread;
-- ex-poor and ordinary households swapped so both thresholds apply to more combinations.
UPDATE households SET ex_poor = 1 - ex_poor WHERE id % 79 = 16;

-- Households and deprivations: every housing grade, each water flag, food and clothing.
UPDATE households SET housing = 1 + id % 4 WHERE id % 83 = 17;
UPDATE households SET food_clothing_secure = 0 WHERE id % 89 = 18;
UPDATE households SET water_quantity_ok = 0, water_quality_ok = id % 2 WHERE id % 101 = 19;
UPDATE households SET water_convenience_ok = 0, water_reliability_ok = id % 2 WHERE id % 103 = 20;

-- A few households where every risk fires at once (more than 5 distinct codes: the first 5 in
-- file order are kept): serious illness, grade-1 disability, no labour, losses, students,
-- no insurance, deceased head, and (in pastoral counties, a third of the villages) income down
-- on last year.
UPDATE persons SET health = 3, disability_grade = 1,
                   labour_skill = 4, medical_insurance = 0,
                   schooling = CASE WHEN relation = 1 THEN 1 ELSE 4 END,
                   deceased = CASE WHEN relation = 1 THEN 1 ELSE 0 END
WHERE household_id % 211 = 21;
UPDATE households SET living_size =
  (SELECT count(*) FROM persons p WHERE p.household_id = households.id AND p.deceased = 0);
UPDATE household_years SET wage = 0, business = 50000, property = 0, transfer = 0,
                           production_cost = 60000, compliant_oop = 0
WHERE year = @year AND household_id % 211 = 21;
UPDATE household_years SET wage = 0, business = 900000, property = 0, transfer = 0,
                           production_cost = 0
WHERE year = @year - 1 AND household_id % 211 = 21;
COMMIT;
