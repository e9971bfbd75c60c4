-- Monitoring screening as PostgreSQL 15 SQL, CANDIDATES FIRST: the variant a DBA would write once
-- they notice that only households within the range or meeting the hardship condition (about
-- 6.5 % of the province) can become leads or be counted. Same rules, parameters, semantics and
-- output as screen.pg.sql; the differences (as in screen_prefilter.sqlite.sql):
--   * the household size is the stored column households.living_size (maintained by zhenxing's
--     store: the living members) instead of a count over persons;
--   * the person aggregates are computed only for the candidates, through the
--     (household_id, ordinal) index.
-- Its output must be identical, row for row, to screen.pg.sql's (run.sh checks it).
--
-- psql variables: :year  :line  :ref_year  :ref_mmdd  :oop_monitored  :oop_others  :schooling_cost
\set ON_ERROR_STOP on
COPY (
WITH
cand AS MATERIALIZED (
  SELECT h.id, h.household_number, h.village_code, h.village_code / 1000000 AS county_code,
         h.ex_poor, h.housing, h.food_clothing_secure AS food_ok,
         h.water_quantity_ok AS wq_ok, h.water_quality_ok AS wl_ok,
         h.water_convenience_ok AS wc_ok, h.water_reliability_ok AS wr_ok,
         h.living_size AS living,
         c.household_id IS NOT NULL AS has_income,
         coalesce(c.wage, 0) AS wage, coalesce(c.business, 0) AS business,
         coalesce(c.production_cost, 0) AS production_cost, coalesce(c.compliant_oop, 0) AS oop,
         x.net,
         CASE WHEN h.living_size > 0 THEN x.net / h.living_size ELSE 0 END AS per_capita,
         CASE WHEN h.living_size > 0 THEN (x.net - coalesce(c.compliant_oop, 0)) / h.living_size
              ELSE 0 END AS after_oop
  FROM households h
  LEFT JOIN household_years c ON c.household_id = h.id AND c.year = :year
  CROSS JOIN LATERAL (SELECT coalesce(c.wage + c.business + c.property + c.transfer
                                      - c.production_cost, 0)::bigint AS net) x
  WHERE c.household_id IS NULL
     OR (h.living_size > 0 AND (x.net / h.living_size < :line
                                OR (x.net - c.compliant_oop) / h.living_size < :line))
),
calc AS (
  SELECT k.*, pr.net IS NOT NULL AS has_prev, coalesce(pr.net, 0) AS prev_net,
         coalesce(m.head_deceased, false) AS head_deceased,
         coalesce(m.any_serious, false) AS any_serious, coalesce(m.any_chronic, false) AS any_chronic,
         coalesce(m.any_severe_disability, false) AS any_severe_disability,
         coalesce(m.disabled, 0) AS disabled, coalesce(m.any_labour, false) AS any_labour,
         coalesce(m.workers, 0) AS workers, coalesce(m.work_months, 0) AS work_months,
         coalesce(m.students, 0) AS students, coalesce(m.any_dropout, false) AS any_dropout,
         coalesce(m.any_uninsured, false) AS any_uninsured
  FROM cand k
  -- Last year's record by primary key, one lookup per candidate (LATERAL, as below).
  LEFT JOIN LATERAL (
    SELECT y.wage + y.business + y.property + y.transfer - y.production_cost AS net
    FROM household_years y WHERE y.household_id = k.id AND y.year = :year - 1
    OFFSET 0  -- keeps the subquery from being flattened into a hash join over the whole year
  ) pr ON true
  -- One index lookup of (household_id, ordinal) per candidate: LATERAL keeps the planner from
  -- hashing the whole persons table (it cannot estimate how few candidates there are).
  CROSS JOIN LATERAL (
    SELECT bool_or(p.deceased AND p.relation = 1)                                 AS head_deceased,
           bool_or(NOT p.deceased AND p.health = 3)                               AS any_serious,
           bool_or(NOT p.deceased AND p.health = 2)                               AS any_chronic,
           bool_or(NOT p.deceased AND p.disability_grade BETWEEN 1 AND 2)         AS any_severe_disability,
           count(*) FILTER (WHERE NOT p.deceased AND p.health = 4)                AS disabled,
           bool_or(NOT p.deceased AND p.labour_skill IN (1, 2))                   AS any_labour,
           count(*) FILTER (WHERE NOT p.deceased AND p.labour_skill IN (1, 2) AND p.schooling = 1
                            AND a.age BETWEEN 16 AND 59)                          AS workers,
           coalesce(sum(p.migrant_work_months) FILTER (WHERE NOT p.deceased), 0)  AS work_months,
           count(*) FILTER (WHERE NOT p.deceased AND p.schooling IN (4, 5))       AS students,
           bool_or(NOT p.deceased AND a.age BETWEEN 6 AND 15 AND p.schooling = 6) AS any_dropout,
           bool_or(NOT p.deceased AND NOT p.medical_insurance)                    AS any_uninsured
    FROM persons p
    CROSS JOIN LATERAL (SELECT :ref_year - date_part('year', p.birth_date)::int
        - (date_part('month', p.birth_date) * 100 + date_part('day', p.birth_date) > :ref_mmdd)::int AS age) a
    WHERE p.household_id = k.id
  ) m
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
