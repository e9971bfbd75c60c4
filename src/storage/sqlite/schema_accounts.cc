// Migration 3: accounts, sessions and the access audit (account_store.h).
//
// Times are INTEGER Unix seconds (lockout windows and idle expiry compare
// them arithmetically). Roles are their numeric codes (Role in
// account_store.h); division_level is copied from the division table when a
// user is created or moved so a user's scope needs no join. Sessions keep
// only the SHA-256 of the token. The audit stores action codes as text so
// the table reads well in any SQL tool.
#include "storage/sqlite/migrations.h"

namespace zx::sqlite {

const char* const kAccountsSchemaSql = R"sql(
CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT    NOT NULL UNIQUE,
  display_name         TEXT    NOT NULL,
  role                 INTEGER NOT NULL CHECK (role BETWEEN 1 AND 7),
  division_code        INTEGER NOT NULL
                       REFERENCES divisions (code) DEFERRABLE INITIALLY DEFERRED,
  division_level       INTEGER NOT NULL CHECK (division_level BETWEEN 1 AND 5),
  password_hash        TEXT    NOT NULL,
  must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
  disabled             INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  failed_logins        INTEGER NOT NULL DEFAULT 0,
  first_failure_at     INTEGER NOT NULL DEFAULT 0,
  locked_until         INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX users_division ON users (division_code, username);

CREATE TABLE sessions (
  token_sha256 TEXT    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

CREATE TABLE access_audit (
  id              INTEGER PRIMARY KEY,
  at              INTEGER NOT NULL,
  actor           TEXT    NOT NULL,
  actor_division  INTEGER NOT NULL,
  action          TEXT    NOT NULL,
  target          TEXT    NOT NULL,
  target_division INTEGER NOT NULL,
  detail          TEXT    NOT NULL,
  remote_address  TEXT    NOT NULL
) STRICT;
CREATE INDEX access_audit_actor_division ON access_audit (actor_division, id);
CREATE INDEX access_audit_target_division ON access_audit (target_division, id);
)sql";

}  // namespace zx::sqlite
