// Migration 6: monitoring cases (storage/case_store.h) and their append-only,
// hash-chained event log (docs/formats/audit-chain.md).
//
//   * cases: one row per case; enumerations as their numeric codes
//     (domain/case.h), times as Unix seconds, risk_codes joined by "\n"
//     (codes are single tokens). A partial UNIQUE index allows at most one
//     open case (stage not 12 eliminated / 13 rejected) per household;
//   * case_measures / case_visits / case_objections: the case's child rows,
//     ids from their own INTEGER PRIMARY KEY (unique across cases, hence
//     within a case); dates as ISO "YYYY-MM-DD", "" for none;
//   * case_events: seq is the INTEGER PRIMARY KEY, assigned by the writer as
//     head + 1 inside its write transaction (BEGIN IMMEDIATE serialises
//     writers, so no AUTOINCREMENT is needed); never updated or deleted by
//     the program;
//   * case_event_head: exactly one row with the newest seq and hash, written
//     in the same transaction as the event, so a deleted tail shows.
#include "storage/sqlite/migrations.h"

namespace zx::sqlite {

const char* const kCasesSchemaSql = R"sql(
CREATE TABLE cases (
  id                      INTEGER PRIMARY KEY,
  household_number        TEXT    NOT NULL REFERENCES households (household_number),
  village_code            INTEGER NOT NULL,
  source                  INTEGER NOT NULL,
  source_detail           TEXT    NOT NULL,
  stage                   INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 13),
  version                 INTEGER NOT NULL CHECK (version >= 1),
  opened_at               INTEGER NOT NULL,
  due_at                  INTEGER NOT NULL,
  decided_at              INTEGER NOT NULL,
  authorization_signed    INTEGER NOT NULL CHECK (authorization_signed IN (0, 1)),
  verification_note       TEXT    NOT NULL,
  comparison_note         TEXT    NOT NULL,
  appraisal_for           INTEGER NOT NULL,
  appraisal_against       INTEGER NOT NULL,
  notice_started_at       INTEGER NOT NULL,
  notice_ends_at          INTEGER NOT NULL,
  monitoring_type         TEXT    NOT NULL,
  risk_codes              TEXT    NOT NULL,
  monitored_since         INTEGER NOT NULL,
  elimination_kind        INTEGER NOT NULL,
  elimination_proposed_at INTEGER NOT NULL,
  closed_at               INTEGER NOT NULL,
  closed_reason           TEXT    NOT NULL,
  updated_at              INTEGER NOT NULL,
  updated_by              TEXT    NOT NULL
) STRICT;
CREATE INDEX cases_household ON cases (household_number, id);
CREATE INDEX cases_village ON cases (village_code, id);
CREATE INDEX cases_stage ON cases (stage, village_code);
CREATE INDEX cases_due ON cases (due_at, village_code);
CREATE UNIQUE INDEX cases_one_open ON cases (household_number) WHERE stage NOT IN (12, 13);

CREATE TABLE case_measures (
  id                INTEGER PRIMARY KEY,
  case_id           INTEGER NOT NULL REFERENCES cases (id),
  category_code     TEXT    NOT NULL,
  description       TEXT    NOT NULL,
  responsible_cadre TEXT    NOT NULL,
  amount            INTEGER NOT NULL,
  start_date        TEXT    NOT NULL,
  end_date          TEXT    NOT NULL,
  recorded_at       INTEGER NOT NULL,
  recorded_by       TEXT    NOT NULL
) STRICT;
CREATE INDEX case_measures_case ON case_measures (case_id, id);

CREATE TABLE case_visits (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases (id),
  visit_date         TEXT    NOT NULL,
  per_capita_income  INTEGER NOT NULL,
  guarantees_secured INTEGER NOT NULL CHECK (guarantees_secured IN (0, 1)),
  note               TEXT    NOT NULL,
  visited_by         TEXT    NOT NULL
) STRICT;
CREATE INDEX case_visits_case ON case_visits (case_id, id);

CREATE TABLE case_objections (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  raised_at   INTEGER NOT NULL,
  summary     TEXT    NOT NULL,
  resolved    INTEGER NOT NULL CHECK (resolved IN (0, 1)),
  upheld      INTEGER NOT NULL CHECK (upheld IN (0, 1)),
  resolution  TEXT    NOT NULL,
  resolved_by TEXT    NOT NULL,
  resolved_at INTEGER NOT NULL
) STRICT;
CREATE INDEX case_objections_case ON case_objections (case_id, id);

CREATE TABLE case_events (
  seq          INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  actor        TEXT    NOT NULL,
  actor_role   TEXT    NOT NULL,
  division     INTEGER NOT NULL,
  action       INTEGER NOT NULL,
  from_stage   INTEGER NOT NULL,
  to_stage     INTEGER NOT NULL,
  case_version INTEGER NOT NULL,
  reason       TEXT    NOT NULL,
  detail_json  TEXT    NOT NULL,
  prev_hash    TEXT    NOT NULL,
  hash         TEXT    NOT NULL
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, seq);

CREATE TABLE case_event_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT    NOT NULL
) STRICT;
INSERT INTO case_event_head (id, seq, hash) VALUES (1, 0, '');
)sql";

}  // namespace zx::sqlite
