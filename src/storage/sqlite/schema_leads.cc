// Migration 2: screening runs and the leads they produced (lead_store.h).
//
// Lists inside a lead (risk codes, deprivations, explanations) are stored as
// text joined by a newline: none of their items can contain one (codes and
// rule ids are single tokens; explanations are single-line templates whose
// values never contain a newline — LeadStore refuses one that does).
#include "storage/sqlite/migrations.h"

namespace zx::sqlite {

const char* const kLeadsSchemaSql = R"sql(
CREATE TABLE screening_runs (
  id           INTEGER PRIMARY KEY,
  year         INTEGER NOT NULL,
  scope_lo     INTEGER NOT NULL,
  scope_hi     INTEGER NOT NULL,
  rules_digest TEXT    NOT NULL,
  run_by       TEXT    NOT NULL,
  run_at       TEXT    NOT NULL,
  households   INTEGER NOT NULL,
  leads        INTEGER NOT NULL
) STRICT;
CREATE INDEX screening_runs_year ON screening_runs (year, id);

CREATE TABLE leads (
  year                  INTEGER NOT NULL,
  household_number      TEXT    NOT NULL REFERENCES households (household_number),
  village_code          INTEGER NOT NULL,
  monitoring_type       TEXT    NOT NULL,
  risk_codes            TEXT    NOT NULL,
  deprivations          TEXT    NOT NULL,
  per_capita_net_income INTEGER NOT NULL,
  explanations          TEXT    NOT NULL,
  run_id                INTEGER NOT NULL REFERENCES screening_runs (id),
  PRIMARY KEY (year, household_number)
) STRICT, WITHOUT ROWID;
CREATE INDEX leads_village ON leads (year, village_code);
)sql";

}  // namespace zx::sqlite
