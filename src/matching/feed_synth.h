// The corrupter (issue 4 §5): derives a department file from the registry
// with known truth, using a Chinese error model, and scores links against
// that truth.
//
// Each row is a registry person (uniformly drawn) or, with probability
// outsider_share, a made-up person who is not in the registry (realistic
// name drawn from the registry, random birth date, an unused valid ID). The
// ID cell then gets at most one of: full-width digits / lowercase x /
// spaces (→ still exact), the legacy 15-digit form (→ upgraded), one digit
// substituted or two adjacent digits swapped (→ repaired), or no ID at all
// (→ probabilistic). Independently the name may get a homophone or
// look-alike character, traditional characters (OpenCC s2t), a dot variant
// or a dropped segment of a minority name; the birth-date column may be
// wrong in one of year, month or day.
//
// Truth CSV: row,true_id_number,expected_class,id_error,name_error,birth_error
// (true_id_number empty for outsiders).
//
// Thread-safety: functions are independent; a NameNormalizer is per thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "matching/feed_profile.h"
#include "matching/linker.h"
#include "matching/name_normalizer.h"
#include "storage/link_store.h"

namespace zx::matching {

struct SynthOptions {
  std::int64_t rows = 10000;
  std::uint64_t seed = 1;
  bool gb18030 = false;         // write GB18030 (a superset of GBK) instead of UTF-8
  Date end_date{2024, 12, 31};  // event dates fall in the 18 months before
  double outsider_share = 0.08;
  // ID error shares (the rest are clean).
  double format_share = 0.06;
  double legacy15_share = 0.05;
  double substitution_share = 0.04;
  double transposition_share = 0.03;
  double missing_share = 0.08;
  // Name and birth-date error shares.
  double name_variant_share = 0.04;
  double traditional_share = 0.03;
  double dot_variant_share = 0.5;  // of names with "·"
  double dropped_segment_share = 0.03;
  double wrong_birth_share = 0.03;
};

struct SynthStats {
  std::int64_t rows = 0;
  std::map<std::string, std::int64_t> by_expected_class;
  std::map<std::string, std::int64_t> by_id_error;
  std::map<std::string, std::int64_t> by_name_error;
};

/// Writes `out_path` (the profile's documented headers) and `truth_path`.
Result<SynthStats> SynthesizeFeed(LinkStore& store, const DivisionScope& scope, const FeedProfile& profile,
                                  const NameNormalizer& normalizer, const SynthOptions& options,
                                  const std::string& out_path, const std::string& truth_path);

struct ClassAccuracy {
  std::int64_t assigned = 0;          // rows the linker put in this class
  std::int64_t assigned_correct = 0;  // ... whose person is the true one (unmatched: truly absent)
  std::int64_t expected = 0;          // rows the truth puts in this class
  std::int64_t expected_found = 0;    // ... linked to the true person (unmatched: left unmatched)
};

struct GroupAccuracy {
  std::int64_t rows = 0;
  std::int64_t linkable = 0;  // true person in the registry
  std::int64_t linked = 0;
  std::int64_t correct = 0;
  double precision() const {
    return linked == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(linked);
  }
  double recall() const {
    return linkable == 0 ? 1.0 : static_cast<double>(correct) / static_cast<double>(linkable);
  }
};

struct AccuracyReport {
  std::array<ClassAccuracy, kMatchClassCount> classes{};
  GroupAccuracy with_id;     // the row has an ID (valid, legacy or repairable)
  GroupAccuracy without_id;  // no ID
  std::int64_t rows = 0;
  /// Targets of issue 4: with ID precision ≥ 0.999 and recall ≥ 0.995;
  /// without ID precision ≥ 0.98 at recall ≥ 0.90.
  bool MeetsTargets() const;
  std::string Format() const;  // Chinese table
};

/// Scores links.csv (header row,id_number,match_class,score,...) against a truth file.
Result<AccuracyReport> EvaluateAccuracy(const std::string& links_path, const std::string& truth_path);

}  // namespace zx::matching
