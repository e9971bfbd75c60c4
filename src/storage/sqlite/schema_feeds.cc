// Migration 4: department feeds and links (src/matching, issue 4).
//
// Notes:
//   * feed_uploads is the provenance of one compared file; (feed,
//     file_sha256, scope) is unique, which is what makes re-running the same
//     file a no-op;
//   * feed_links has one row per input data row (unmatched rows too, with an
//     empty id_number and village_code 0); the reason text is stored only for
//     rows that are not plain exact matches;
//   * alerts and review items carry the matched household's village so that
//     scope filters are index range scans, as everywhere else;
//   * score_milli is the link score in thousandths (an integer, like money);
//   * review items start 'open' and are never applied to the registry.
//
// Migration 7: links in binary chunks. A 5-million-row file took minutes as
// one feed_links row per input row (B-tree inserts of ~60 bytes plus the
// person index); feed_link_chunks holds them as a few blobs per upload
// (link_store_sqlite.cc describes the encoding): chunk 0 is the upload's
// dictionary (matched households, reason texts), chunks 1.. hold up to
// 2^20 consecutive rows each. Uploads stored before keep their feed_links
// rows; ListLinks reads both.
#include "storage/sqlite/link_store_sqlite.h"

namespace zx::sqlite {

const char* FeedsSchemaSql() {
  return R"sql(
CREATE TABLE feed_uploads (
  id            INTEGER PRIMARY KEY,
  feed          TEXT    NOT NULL,
  file_name     TEXT    NOT NULL,
  file_sha256   TEXT    NOT NULL,
  uploaded_at   TEXT    NOT NULL,
  uploader      TEXT    NOT NULL,
  scope_lo      INTEGER NOT NULL,
  scope_hi      INTEGER NOT NULL,
  rows_read     INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  summary_json  TEXT    NOT NULL,
  UNIQUE (feed, file_sha256, scope_lo, scope_hi)
) STRICT;

CREATE TABLE feed_links (
  upload_id        INTEGER NOT NULL REFERENCES feed_uploads (id) ON DELETE CASCADE,
  row              INTEGER NOT NULL,
  id_number        TEXT    NOT NULL,
  household_number TEXT    NOT NULL,
  village_code     INTEGER NOT NULL,
  match_class      TEXT    NOT NULL
                   CHECK (match_class IN ('exact', 'upgraded', 'repaired', 'probabilistic', 'unmatched')),
  score_milli      INTEGER NOT NULL,
  reason           TEXT    NOT NULL,
  PRIMARY KEY (upload_id, row)
) STRICT, WITHOUT ROWID;
CREATE INDEX feed_links_person ON feed_links (id_number) WHERE id_number <> '';

CREATE TABLE feed_rejects (
  upload_id   INTEGER NOT NULL REFERENCES feed_uploads (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  column_name TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  PRIMARY KEY (upload_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE feed_alerts (
  id               INTEGER PRIMARY KEY,
  upload_id        INTEGER NOT NULL REFERENCES feed_uploads (id) ON DELETE CASCADE,
  kind             TEXT    NOT NULL,
  id_number        TEXT    NOT NULL,
  household_number TEXT    NOT NULL,
  village_code     INTEGER NOT NULL,
  value            INTEGER NOT NULL,
  threshold        INTEGER NOT NULL,
  detail           TEXT    NOT NULL,
  row              INTEGER NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'used', 'dismissed'))
) STRICT;
CREATE INDEX feed_alerts_village ON feed_alerts (village_code, household_number);
CREATE INDEX feed_alerts_upload ON feed_alerts (upload_id);

CREATE TABLE feed_review_items (
  id               INTEGER PRIMARY KEY,
  upload_id        INTEGER NOT NULL REFERENCES feed_uploads (id) ON DELETE CASCADE,
  kind             TEXT    NOT NULL,
  id_number        TEXT    NOT NULL,
  household_number TEXT    NOT NULL,
  village_code     INTEGER NOT NULL,
  value            INTEGER NOT NULL,
  threshold        INTEGER NOT NULL,
  detail           TEXT    NOT NULL,
  row              INTEGER NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed'))
) STRICT;
CREATE INDEX feed_review_items_village ON feed_review_items (village_code, household_number);
CREATE INDEX feed_review_items_upload ON feed_review_items (upload_id);
)sql";
}

}  // namespace zx::sqlite

namespace zx::sqlite {

const char* FeedLinkChunksSchemaSql() {
  return R"sql(
CREATE TABLE feed_link_chunks (
  upload_id INTEGER NOT NULL REFERENCES feed_uploads (id) ON DELETE CASCADE,
  chunk     INTEGER NOT NULL,
  first_row INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  data      BLOB    NOT NULL,
  UNIQUE (upload_id, chunk)
) STRICT;
)sql";
}

}  // namespace zx::sqlite
