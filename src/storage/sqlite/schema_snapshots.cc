// Migration 5: the registry generation and derived column snapshots
// (Store::RegistryGeneration / PutSnapshot / GetSnapshot).
#include "storage/sqlite/migrations.h"

namespace zx::sqlite {

const char* const kSnapshotsSchemaSql = R"sql(
CREATE TABLE registry_generation (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
) STRICT;
INSERT INTO registry_generation (id, generation) VALUES (1, 0);

CREATE TABLE column_snapshots (
  key        TEXT    PRIMARY KEY,
  generation INTEGER NOT NULL,
  data       BLOB    NOT NULL,
  created_at TEXT    NOT NULL
) STRICT;
)sql";

}  // namespace zx::sqlite
