-- Monitoring screening (issue 3 item 6) written as one SQLite query: the SQL baseline for
-- `zhenxing screen`. It implements data/rules/qinghai.rules (every rule, in file order) and the
-- classification of src/screening/screening.h on zhenxing's own database, read-only
-- (`sqlite3 -readonly`), with no index added: the schema is src/storage/sqlite/migrations.cc.
--
-- Parameters (bound by bench/screening/run.sh with `.parameter set`, computed from
-- data/policy/qinghai.toml by policy_params.py exactly as MakeBindContext does):
--   @year             screening year                                        e.g. 2025
--   @line             policy.monitoring_line, fen                           e.g. 780000
--   @ref_year         year of policy.reference_date                         e.g. 2025
--   @ref_mmdd         month * 100 + day of policy.reference_date            e.g. 1231
--   @oop_monitored    policy.medical_oop_monitored, fen                     e.g. 810000
--   @oop_others       policy.medical_oop_others, fen                        e.g. 1620000
--   @schooling_cost   policy.schooling_cost, fen                            e.g. 1000000
-- Literal thresholds below (30 %, 6 months, 8,000 yuan, 20 %, the pastoral counties) are part of
-- the rules themselves, copied from the rule file.
--
-- Semantics kept exactly (docs/formats/rules.md):
--   * money is INTEGER fen; `net / living` and `(net - oop) / living` are integer divisions that
--     truncate toward zero, as in SQLite (and in the rule language); per-capita is 0 with no
--     living member;
--   * deceased members count only in member_count / deceased_members / head_deceased; every
--     person aggregate is over living members;
--   * age = completed years at the reference date (born 29 Feb: completed on 1 Mar);
--   * enum labels are the stored codes of src/domain/registry.h: health 2 长期慢性病, 3 患有大病,
--     4 残疾; labour_skill 1 技能劳动力, 2 普通劳动力; schooling 1 非在校生, 4 高中或中职在校,
--     5 高等教育在校, 6 辍学; housing 3 C级, 4 D级; relation 1 户主.
--
-- Output (CSV with header, household-number order): every household that is a lead or that the
-- screening counts in its summary (no income record, in range without risk, hardship without
-- risk). `category` is lead | no_income | range_no_risk | hardship_no_risk.
-- (No `PRAGMA temp_store` here: changing it drops the TEMP schema, which holds the parameters.)
.output /dev/null
PRAGMA cache_size = -262144;     -- 256 MiB page cache, as zhenxing's store uses
PRAGMA mmap_size = 1073741824;   -- 1 GiB memory map, as zhenxing's store uses
.output
.headers on
.mode csv
WITH
cur AS (
  SELECT household_id, wage, business, production_cost, compliant_oop,
         wage + business + property + transfer - production_cost AS net
  FROM household_years WHERE year = @year
),
prev AS (
  SELECT household_id, wage + business + property + transfer - production_cost AS net
  FROM household_years WHERE year = @year - 1
),
person AS (
  SELECT household_id, deceased = 0 AS alive, deceased, relation, health, disability_grade,
         labour_skill, schooling, migrant_work_months, medical_insurance,
         @ref_year - CAST(substr(birth_date, 1, 4) AS INTEGER)
           - (CAST(substr(birth_date, 6, 2) || substr(birth_date, 9, 2) AS INTEGER) > @ref_mmdd) AS age
  FROM persons
),
mem AS (
  SELECT household_id,
         count(*)                                                        AS member_count,
         sum(deceased <> 0)                                              AS deceased_members,
         max(deceased <> 0 AND relation = 1)                             AS head_deceased,
         sum(alive)                                                      AS living,
         max(alive AND health = 3)                                       AS any_serious,
         max(alive AND health = 2)                                       AS any_chronic,
         max(alive AND disability_grade >= 1 AND disability_grade <= 2)  AS any_severe_disability,
         sum(alive AND health = 4)                                       AS disabled,
         max(alive AND labour_skill IN (1, 2))                           AS any_labour,
         sum(alive AND labour_skill IN (1, 2) AND age >= 16 AND age <= 59
             AND schooling = 1)                                          AS workers,
         sum(CASE WHEN alive THEN migrant_work_months ELSE 0 END)        AS work_months,
         sum(alive AND schooling IN (4, 5))                              AS students,
         max(alive AND age >= 6 AND age <= 15 AND schooling = 6)         AS any_dropout,
         max(alive AND medical_insurance = 0)                            AS any_uninsured
  FROM person GROUP BY household_id
),
hh AS (
  SELECT h.household_number, h.village_code, h.village_code / 1000000 AS county_code,
         h.ex_poor <> 0 AS ex_poor, h.housing,
         h.food_clothing_secure <> 0 AS food_ok, h.water_quantity_ok <> 0 AS wq_ok,
         h.water_quality_ok <> 0 AS wl_ok, h.water_convenience_ok <> 0 AS wc_ok,
         h.water_reliability_ok <> 0 AS wr_ok,
         c.household_id IS NOT NULL AS has_income,
         coalesce(c.wage, 0) AS wage, coalesce(c.business, 0) AS business,
         coalesce(c.production_cost, 0) AS production_cost, coalesce(c.compliant_oop, 0) AS oop,
         coalesce(c.net, 0) AS net,
         p.household_id IS NOT NULL AS has_prev, coalesce(p.net, 0) AS prev_net,
         coalesce(m.living, 0) AS living, coalesce(m.head_deceased, 0) AS head_deceased,
         coalesce(m.any_serious, 0) AS any_serious, coalesce(m.any_chronic, 0) AS any_chronic,
         coalesce(m.any_severe_disability, 0) AS any_severe_disability,
         coalesce(m.disabled, 0) AS disabled, coalesce(m.any_labour, 0) AS any_labour,
         coalesce(m.workers, 0) AS workers, coalesce(m.work_months, 0) AS work_months,
         coalesce(m.students, 0) AS students, coalesce(m.any_dropout, 0) AS any_dropout,
         coalesce(m.any_uninsured, 0) AS any_uninsured
  FROM households h
  LEFT JOIN cur c ON c.household_id = h.id
  LEFT JOIN prev p ON p.household_id = h.id
  LEFT JOIN mem m ON m.household_id = h.id
),
calc AS (
  SELECT *, CASE WHEN living > 0 THEN net / living ELSE 0 END AS per_capita,
         CASE WHEN living > 0 THEN (net - oop) / living ELSE 0 END AS after_oop
  FROM hh
),
fired AS (
  SELECT household_number, village_code, ex_poor, has_income, per_capita,
    -- IN_RANGE (kind range)
    has_income AND living > 0 AND per_capita < @line AS in_range,
    -- HARDSHIP (kind hardship)
    has_income AND living > 0 AND per_capita >= @line AND after_oop < @line AS hardship,
    -- R01_ILLNESS "01"
    any_serious OR (any_chronic AND ((ex_poor AND oop > @oop_monitored)
                                     OR (NOT ex_poor AND oop > @oop_others))) AS r01,
    -- R03_DISABILITY "03"
    any_severe_disability OR (living > 0 AND disabled * 2 >= living) AS r03,
    -- R04_NO_LABOUR "04"
    living > 0 AND NOT any_labour AS r04,
    -- R05_ACCIDENT "05"
    NOT (any_serious OR any_chronic) AND oop > @oop_others AS r05,
    -- R0205_SNOW_DISASTER "0205"
    county_code IN (632221, 632222, 632223, 632224, 632323, 632324, 632521, 632522, 632524, 632525,
                    632621, 632622, 632623, 632624, 632625, 632626, 632701, 632722, 632723, 632724,
                    632725, 632726, 632821, 632822, 632823)
      AND has_prev AND prev_net > 0 AND business >= wage AND net * 10 < prev_net * 7 AS r0205,
    -- R06_BUSINESS_FAILURE "06"
    production_cost > 0 AND production_cost > business AS r06,
    -- R07_UNSTABLE_EMPLOYMENT "07"
    workers >= 1 AND work_months < 6 * workers AND wage < 800000 * workers AS r07,
    -- R09_SCHOOLING "09"
    students >= 1 AND @schooling_cost * students * 5 > net AS r09,
    -- R08_BASIC_NEEDS "08"
    NOT food_ok OR any_dropout OR any_uninsured OR housing IN (3, 4)
      OR NOT wq_ok OR NOT wl_ok OR NOT wc_ok OR NOT wr_ok AS r08,
    -- R99_HEAD_DECEASED "99"
    head_deceased AS r99,
    -- deprivations, in file order
    NOT food_ok AS d_food_clothing,
    any_dropout AS d_dropout,
    any_uninsured AS d_uninsured,
    housing IN (3, 4) AS d_housing,
    NOT wq_ok AS d_water_quantity,
    NOT wl_ok AS d_water_quality,
    NOT wc_ok AS d_water_convenience,
    NOT wr_ok AS d_water_reliability
  FROM calc
),
-- The risk codes of the shipped file are pairwise distinct, so "the first 5 distinct codes of the
-- firing risk rules, in file order" is "the firing rules whose running count is at most 5".
ranked AS (
  SELECT *,
    r01 AS n01,
    r01 + r03 AS n03,
    r01 + r03 + r04 AS n04,
    r01 + r03 + r04 + r05 AS n05,
    r01 + r03 + r04 + r05 + r0205 AS n0205,
    r01 + r03 + r04 + r05 + r0205 + r06 AS n06,
    r01 + r03 + r04 + r05 + r0205 + r06 + r07 AS n07,
    r01 + r03 + r04 + r05 + r0205 + r06 + r07 + r09 AS n09,
    r01 + r03 + r04 + r05 + r0205 + r06 + r07 + r09 + r08 AS n08,
    r01 + r03 + r04 + r05 + r0205 + r06 + r07 + r09 + r08 + r99 AS n99
  FROM fired
  WHERE NOT has_income OR in_range OR hardship
)
SELECT household_number, village_code,
  CASE WHEN NOT has_income THEN 'no_income'
       WHEN n99 = 0 THEN CASE WHEN in_range THEN 'range_no_risk' ELSE 'hardship_no_risk' END
       ELSE 'lead' END AS category,
  CASE WHEN NOT has_income OR n99 = 0 THEN ''
       WHEN in_range THEN CASE WHEN ex_poor THEN '100A03001' ELSE '100A03002' END
       ELSE '100A03003' END AS monitoring_type,
  substr(  CASE WHEN r01 AND n01 <= 5 THEN ';01' ELSE '' END
        || CASE WHEN r03 AND n03 <= 5 THEN ';03' ELSE '' END
        || CASE WHEN r04 AND n04 <= 5 THEN ';04' ELSE '' END
        || CASE WHEN r05 AND n05 <= 5 THEN ';05' ELSE '' END
        || CASE WHEN r0205 AND n0205 <= 5 THEN ';0205' ELSE '' END
        || CASE WHEN r06 AND n06 <= 5 THEN ';06' ELSE '' END
        || CASE WHEN r07 AND n07 <= 5 THEN ';07' ELSE '' END
        || CASE WHEN r09 AND n09 <= 5 THEN ';09' ELSE '' END
        || CASE WHEN r08 AND n08 <= 5 THEN ';08' ELSE '' END
        || CASE WHEN r99 AND n99 <= 5 THEN ';99' ELSE '' END, 2) AS risk_codes,
  substr(  CASE WHEN d_food_clothing THEN ';D_FOOD_CLOTHING' ELSE '' END
        || CASE WHEN d_dropout THEN ';D_DROPOUT' ELSE '' END
        || CASE WHEN d_uninsured THEN ';D_UNINSURED' ELSE '' END
        || CASE WHEN d_housing THEN ';D_HOUSING' ELSE '' END
        || CASE WHEN d_water_quantity THEN ';D_WATER_QUANTITY' ELSE '' END
        || CASE WHEN d_water_quality THEN ';D_WATER_QUALITY' ELSE '' END
        || CASE WHEN d_water_convenience THEN ';D_WATER_CONVENIENCE' ELSE '' END
        || CASE WHEN d_water_reliability THEN ';D_WATER_RELIABILITY' ELSE '' END, 2) AS deprivations,
  per_capita AS per_capita_fen
FROM ranked
ORDER BY household_number;
