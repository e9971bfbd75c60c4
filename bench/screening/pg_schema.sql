-- PostgreSQL 15 tables for the screening baseline: the columns of zhenxing's SQLite schema
-- (src/storage/sqlite/migrations.cc) with the types a DBA would choose (booleans as boolean,
-- birth dates as date, money as bigint fen). Created without constraints or indexes so that COPY
-- loads fast; pg_indexes.sql adds them afterwards. Column order = the CSV export order in run.sh.
DROP TABLE IF EXISTS persons, household_years, households;

CREATE TABLE households (
  id                   integer  NOT NULL,
  household_number     text     NOT NULL,
  village_code         bigint   NOT NULL,
  ex_poor              boolean  NOT NULL,
  poverty_exit_year    smallint NOT NULL,
  safety_net           boolean  NOT NULL,
  relocated            boolean  NOT NULL,
  housing              smallint NOT NULL,
  food_clothing_secure boolean  NOT NULL,
  water_quantity_ok    boolean  NOT NULL,
  water_quality_ok     boolean  NOT NULL,
  water_convenience_ok boolean  NOT NULL,
  water_reliability_ok boolean  NOT NULL,
  phone                text     NOT NULL,
  living_size          integer  NOT NULL,
  content_hash         bigint   NOT NULL,
  row_version          integer  NOT NULL,
  updated_at           text     NOT NULL
);

CREATE TABLE persons (
  id                       integer  NOT NULL,
  household_id             integer  NOT NULL,
  ordinal                  integer  NOT NULL,
  name                     text     NOT NULL,
  id_number                text     NOT NULL,
  sex                      smallint NOT NULL,
  birth_date               date     NOT NULL,
  relation                 smallint NOT NULL,
  ethnicity                smallint NOT NULL,
  education                smallint NOT NULL,
  schooling                smallint NOT NULL,
  health                   smallint NOT NULL,
  disability_grade         smallint NOT NULL,
  labour_skill             smallint NOT NULL,
  migrant_work_months      smallint NOT NULL,
  medical_insurance        boolean  NOT NULL,
  minimum_living_allowance boolean  NOT NULL,
  extreme_hardship         boolean  NOT NULL,
  deceased                 boolean  NOT NULL
);

CREATE TABLE household_years (
  household_id    integer  NOT NULL,
  year            smallint NOT NULL,
  wage            bigint   NOT NULL,
  business        bigint   NOT NULL,
  property        bigint   NOT NULL,
  transfer        bigint   NOT NULL,
  production_cost bigint   NOT NULL,
  compliant_oop   bigint   NOT NULL
);
