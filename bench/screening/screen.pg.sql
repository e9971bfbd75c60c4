-- Monitoring screening (issue 3 item 6) written as one PostgreSQL 15 query: the second SQL
-- baseline for `zhenxing screen`. Same rules, same classification and same output as
-- screen.sqlite.sql (read that file's header for the semantics kept: integer fen, truncating
-- division, living members only, completed years at the reference date, enum codes).
--
-- psql variables (bench/screening/run.sh passes them with -v, computed from
-- data/policy/qinghai.toml by policy_params.py as MakeBindContext does):
--   :year  :line  :ref_year  :ref_mmdd  :oop_monitored  :oop_others  :schooling_cost
--
-- Output on stdout: CSV with header, household-number order (COLLATE "C": the byte order
-- zhenxing and SQLite use), every lead and every household counted in the summary.
\set ON_ERROR_STOP on
COPY (
WITH
cur AS (
  SELECT household_id, wage, business, production_cost, compliant_oop,
         wage + business + property + transfer - production_cost AS net
  FROM household_years WHERE year = :year
),
prev AS (
  SELECT household_id, wage + business + property + transfer - production_cost AS net
  FROM household_years WHERE year = :year - 1
),
person AS (
  SELECT household_id, NOT deceased AS alive, deceased, relation, health, disability_grade,
         labour_skill, schooling, migrant_work_months, medical_insurance,
         :ref_year - date_part('year', birth_date)::int
           - (date_part('month', birth_date) * 100 + date_part('day', birth_date) > :ref_mmdd)::int AS age
  FROM persons
),
mem AS (
  SELECT household_id,
         count(*) FILTER (WHERE alive)                                                AS living,
         bool_or(deceased AND relation = 1)                                           AS head_deceased,
         bool_or(alive AND health = 3)                                                AS any_serious,
         bool_or(alive AND health = 2)                                                AS any_chronic,
         bool_or(alive AND disability_grade BETWEEN 1 AND 2)                          AS any_severe_disability,
         count(*) FILTER (WHERE alive AND health = 4)                                 AS disabled,
         bool_or(alive AND labour_skill IN (1, 2))                                    AS any_labour,
         count(*) FILTER (WHERE alive AND labour_skill IN (1, 2) AND age BETWEEN 16 AND 59
                          AND schooling = 1)                                          AS workers,
         coalesce(sum(migrant_work_months) FILTER (WHERE alive), 0)                   AS work_months,
         count(*) FILTER (WHERE alive AND schooling IN (4, 5))                        AS students,
         bool_or(alive AND age BETWEEN 6 AND 15 AND schooling = 6)                    AS any_dropout,
         bool_or(alive AND NOT medical_insurance)                                     AS any_uninsured
  FROM person GROUP BY household_id
),
hh AS (
  SELECT h.household_number, h.village_code, h.village_code / 1000000 AS county_code,
         h.ex_poor, h.housing, h.food_clothing_secure AS food_ok,
         h.water_quantity_ok AS wq_ok, h.water_quality_ok AS wl_ok,
         h.water_convenience_ok AS wc_ok, h.water_reliability_ok AS wr_ok,
         c.household_id IS NOT NULL AS has_income,
         coalesce(c.wage, 0) AS wage, coalesce(c.business, 0) AS business,
         coalesce(c.production_cost, 0) AS production_cost, coalesce(c.compliant_oop, 0) AS oop,
         coalesce(c.net, 0) AS net,
         p.household_id IS NOT NULL AS has_prev, coalesce(p.net, 0) AS prev_net,
         coalesce(m.living, 0) AS living, coalesce(m.head_deceased, false) AS head_deceased,
         coalesce(m.any_serious, false) AS any_serious, coalesce(m.any_chronic, false) AS any_chronic,
         coalesce(m.any_severe_disability, false) AS any_severe_disability,
         coalesce(m.disabled, 0) AS disabled, coalesce(m.any_labour, false) AS any_labour,
         coalesce(m.workers, 0) AS workers, coalesce(m.work_months, 0) AS work_months,
         coalesce(m.students, 0) AS students, coalesce(m.any_dropout, false) AS any_dropout,
         coalesce(m.any_uninsured, false) AS any_uninsured
  FROM households h
  LEFT JOIN cur c ON c.household_id = h.id
  LEFT JOIN prev p ON p.household_id = h.id
  LEFT JOIN mem m ON m.household_id = h.id
),
calc AS (
  SELECT *, CASE WHEN living > 0 THEN net / living ELSE 0 END AS per_capita,   -- bigint / bigint truncates toward zero
         CASE WHEN living > 0 THEN (net - oop) / living ELSE 0 END AS after_oop
  FROM hh
),
fired AS (
  SELECT household_number, village_code, ex_poor, has_income, per_capita,
    has_income AND living > 0 AND per_capita < :line                                  AS in_range,
    has_income AND living > 0 AND per_capita >= :line AND after_oop < :line            AS hardship,
    -- risk rules, in file order (= attachment priority)
    ARRAY[
      CASE WHEN any_serious OR (any_chronic AND ((ex_poor AND oop > :oop_monitored)
                                                 OR (NOT ex_poor AND oop > :oop_others)))
           THEN '01' END,                                                                -- R01_ILLNESS
      CASE WHEN any_severe_disability OR (living > 0 AND disabled * 2 >= living)
           THEN '03' END,                                                                -- R03_DISABILITY
      CASE WHEN living > 0 AND NOT any_labour THEN '04' END,                             -- R04_NO_LABOUR
      CASE WHEN NOT (any_serious OR any_chronic) AND oop > :oop_others THEN '05' END,    -- R05_ACCIDENT
      CASE WHEN county_code IN (632221, 632222, 632223, 632224, 632323, 632324, 632521, 632522,
                                632524, 632525, 632621, 632622, 632623, 632624, 632625, 632626,
                                632701, 632722, 632723, 632724, 632725, 632726, 632821, 632822,
                                632823)
                AND has_prev AND prev_net > 0 AND business >= wage AND net * 10 < prev_net * 7
           THEN '0205' END,                                                              -- R0205_SNOW_DISASTER
      CASE WHEN production_cost > 0 AND production_cost > business THEN '06' END,       -- R06_BUSINESS_FAILURE
      CASE WHEN workers >= 1 AND work_months < 6 * workers AND wage < 800000 * workers
           THEN '07' END,                                                                -- R07_UNSTABLE_EMPLOYMENT
      CASE WHEN students >= 1 AND :schooling_cost::bigint * students * 5 > net
           THEN '09' END,                                                                -- R09_SCHOOLING
      CASE WHEN NOT food_ok OR any_dropout OR any_uninsured OR housing IN (3, 4)
                OR NOT wq_ok OR NOT wl_ok OR NOT wc_ok OR NOT wr_ok THEN '08' END,       -- R08_BASIC_NEEDS
      CASE WHEN head_deceased THEN '99' END                                              -- R99_HEAD_DECEASED
    ] AS risk_slots,
    concat_ws(';',
      CASE WHEN NOT food_ok THEN 'D_FOOD_CLOTHING' END,
      CASE WHEN any_dropout THEN 'D_DROPOUT' END,
      CASE WHEN any_uninsured THEN 'D_UNINSURED' END,
      CASE WHEN housing IN (3, 4) THEN 'D_HOUSING' END,
      CASE WHEN NOT wq_ok THEN 'D_WATER_QUANTITY' END,
      CASE WHEN NOT wl_ok THEN 'D_WATER_QUALITY' END,
      CASE WHEN NOT wc_ok THEN 'D_WATER_CONVENIENCE' END,
      CASE WHEN NOT wr_ok THEN 'D_WATER_RELIABILITY' END) AS deprivations
  FROM calc
),
candidates AS (
  -- The shipped risk codes are pairwise distinct, so "the first 5 distinct codes of the firing
  -- rules, in file order" is the first 5 non-null slots.
  SELECT *, (array_remove(risk_slots, NULL))[1:5] AS risks
  FROM fired
  WHERE NOT has_income OR in_range OR hardship
)
SELECT household_number, village_code,
  CASE WHEN NOT has_income THEN 'no_income'
       WHEN cardinality(risks) = 0 THEN CASE WHEN in_range THEN 'range_no_risk' ELSE 'hardship_no_risk' END
       ELSE 'lead' END AS category,
  CASE WHEN NOT has_income OR cardinality(risks) = 0 THEN ''
       WHEN in_range THEN CASE WHEN ex_poor THEN '100A03001' ELSE '100A03002' END
       ELSE '100A03003' END AS monitoring_type,
  array_to_string(risks, ';') AS risk_codes,
  deprivations,
  per_capita AS per_capita_fen
FROM candidates
ORDER BY household_number COLLATE "C"
) TO STDOUT WITH (FORMAT csv, HEADER);
