// One department file compared end to end (issue 4 §4): read the file
// against its feed profile, load the registry persons in scope, link every
// row, raise signals, write links.csv, store the result with provenance.
//
// Pipeline (two cores): the SHA-256 of the file (only when the result is
// stored) and the person index (read from its snapshot when the registry is
// unchanged, person_index.h) are computed on background threads while the
// file is parsed into compact
// rows — a plain UTF-8 CSV in parallel chunks cut at line ends, anything
// else row by row; then the exact-ID hash join, the deterministic repair
// stage, the probabilistic stage (one batch), signals (12-month sums in a
// per-person array), output, storage (links as compact chunks).
// A file already stored for this feed and scope (same SHA-256) is not
// linked again: the stored summary is returned and nothing changes.
//
// Thread-safety: RunCompare uses its own store connections.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "matching/feed_profile.h"
#include "matching/feed_reader.h"
#include "matching/linker.h"
#include "matching/name_normalizer.h"
#include "matching/signals.h"

namespace zx::matching {

struct CompareOptions {
  std::string db;    // database location (as for OpenStore)
  std::string file;  // department file (.csv/.txt/.xlsx)
  std::string out;   // links.csv to write; empty: none
  std::string uploader;
  DivisionScope scope;
  bool store = true;  // false: a dry run, nothing is written to the database
  std::optional<Date> as_of;
  LinkerOptions linker;
  CsvReadOptions csv;
  /// Called with the fraction of the file read, from the main thread.
  std::function<void(double)> progress;
  /// Threads parsing a plain UTF-8 CSV in chunks (1: row by row).
  int parse_threads = 2;
  /// When set, receives the alerts and review items (also in a dry run).
  SignalResult* signals_out = nullptr;
  /// Free the row and person tables on a detached thread instead of before
  /// returning (the command line: the process can print and exit meanwhile).
  bool release_in_background = false;
};

struct CompareSummary {
  std::string feed;
  std::string file_sha256;  // empty in a dry run (nothing stored, no provenance needed)
  std::string encoding;
  std::vector<std::string> ignored_headers;
  std::int64_t rows_read = 0;
  std::int64_t rows_rejected = 0;
  std::array<std::int64_t, kMatchClassCount> by_class{};
  std::int64_t issue_count = 0;
  std::vector<RowIssue> issues;  // every issue (rejected rows and cell notes)
  std::map<std::string, std::int64_t> alerts_by_kind;
  std::map<std::string, std::int64_t> review_items_by_kind;
  Date as_of;
  std::int64_t registry_persons = 0;
  FsParameters fs;
  bool already_stored = false;
  std::int64_t upload_id = 0;
  bool parallel_parse = false;       // the file was parsed in parallel chunks
  bool index_from_snapshot = false;  // the person index came from its snapshot
  std::int64_t name_checks = 0;      // linked rows whose name differs from the holder's as written
  // Wall-clock seconds.
  double seconds_total = 0;
  double seconds_read = 0;   // parse (overlapping the index load and the hash)
  double seconds_index = 0;  // person index load
  double seconds_link = 0;
  double seconds_signals = 0;
  double seconds_output = 0;
  double seconds_store = 0;

  /// The summary as stored with the upload (JSON object).
  std::string ToJson() const;
  /// Reads what ToJson wrote (counts only).
  static Result<CompareSummary> FromJson(const std::string& json);
};

/// Runs the comparison. Errors: the file refused (header, encoding), the
/// database missing, the policy lacking the year's income.
Result<CompareSummary> RunCompare(const CompareOptions& options, const FeedProfile& profile,
                                  const Policy& policy, NameNormalizer& normalizer);

/// SHA-256 of a file as lowercase hex.
Result<std::string> FileSha256(const std::string& path);

}  // namespace zx::matching
