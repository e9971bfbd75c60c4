// Record linkage of department rows to registry persons (issue 4 §3).
//
// Deterministic stage, per row:
//   1. the ID normalised (full-width digits, lowercase x, spaces, hyphens)
//      and, when it has 18 characters with a correct check character, looked
//      up: found → kExact; a valid ID that is not in the registry (in scope)
//      → kUnmatched (another person's valid ID is never "repaired");
//   2. 15 digits → upgraded to 18 (GB 11643) and looked up: found → kUpgraded;
//   3. 18 characters failing the checksum → every single substitution and
//      every adjacent transposition that yields a valid ID of a registry
//      person is a candidate; exactly one candidate whose name agrees
//      (exactly or by variant characters) and whose birth date and sex agree
//      with the row's (when the row has them) → kRepaired;
//   4. otherwise (no ID, unrepairable, ambiguous) the row goes to the
//      probabilistic stage.
// Probabilistic stage (Fellegi–Sunter), over all such rows at once:
// blocking on (birth date, county), (name variant key, county) and (name
// variant key, birth year); comparison of name (exact / variant / partial /
// disagree), birth date (exact / one of year, month, day differs / disagree),
// sex and county; u estimated from random row–person pairs, m and the match
// prior by EM over the blocked pairs (conditional independence); the
// exact-name u replaced by the name's frequency in the registry (term
// frequency). A row links to its best candidate when the posterior is at
// least LinkerOptions::accept_probability and the runner-up trails by at
// least ambiguity_margin_bits, the names agree at least partly and the birth
// dates differ in at most one of year, month and day (guards against the
// independence assumption: a namesake with another birth date is not a
// typo) — exactly equal when the row carried an unusable ID (a damaged ID
// of a person outside the registry must not find a namesake); otherwise it
// is kUnmatched with the reason.
//
// Thread-safety: a Linker is used by one thread (NameNormalizer caches).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "matching/name_normalizer.h"
#include "matching/person_index.h"

namespace zx::matching {

enum class MatchClass : std::uint8_t { kExact = 0, kUpgraded, kRepaired, kProbabilistic, kUnmatched };
inline constexpr int kMatchClassCount = 5;

/// "exact", "upgraded", "repaired", "probabilistic", "unmatched".
std::string_view MatchClassId(MatchClass match_class);
/// Chinese label.
std::string_view MatchClassLabel(MatchClass match_class);

/// Reasons of the ID stages (shared with compare.cc's fast path).
inline constexpr std::string_view kReasonSameId = "身份证号码一致";
inline constexpr std::string_view kReasonNormalizedId = "身份证号码规范化（全角、小写 x、空格）后一致";
inline constexpr std::string_view kReasonNotInRegistry = "身份证号码有效，但登记库（本范围）中没有此人";
inline constexpr std::string_view kReasonUpgradedId = "15 位身份证号码升级为 18 位后一致";
inline constexpr std::string_view kReasonIdOfAnotherPerson =
    "身份证号码属于登记库中另一人（姓名不符），未关联";

/// The ID stages without the index: the key of a row's ID after
/// normalisation (full-width digits, lowercase x, spaces) when that is a
/// valid 18-character ID, or of its 18-digit upgrade when it has 15 digits
/// (`upgraded` set); 0 otherwise (repair or probabilistic linking decide).
std::uint64_t NormalizedIdKey(std::string_view raw_id, bool* upgraded, bool* changed);

/// What the linker needs from a row.
struct LinkInput {
  std::string_view id_number;  // raw
  std::string_view name;       // raw
  bool has_birth_date = false;
  Date birth_date;
  int sex = 0;     // 0 unknown, 1 male, 2 female
  int county = 0;  // 6-digit county code, 0 unknown
};

struct LinkOutcome {
  MatchClass match_class = MatchClass::kUnmatched;
  std::int32_t person = -1;
  double score = 0;
  std::string reason;  // Chinese
  bool needs_probabilistic = false;
};

/// A row waiting for the probabilistic stage.
struct ProbabilisticRecord {
  std::size_t row_index = 0;  // the caller's position
  std::string name;           // normalised
  std::uint64_t name_key_hash = 0;
  std::uint64_t name_signature = 0;     // NameSignature of the variant key
  std::int32_t birth_days = INT32_MIN;  // INT32_MIN: unknown
  int sex = 0;
  int county = 0;
  std::string why;      // why the deterministic stage did not decide
  bool had_id = false;  // the row carried an ID that could not be used
};

struct LinkerOptions {
  /// Only the ID stages (exact after normalisation, 15 → 18 upgrade): rows
  /// that would need checksum repair or probabilistic linking end unmatched
  /// with the reason. The benchmark's "same job" as the SQL baselines.
  bool id_only = false;
  double accept_probability = 0.9;
  double ambiguity_margin_bits = 4.0;
  std::size_t max_block_size = 200;  // a larger block (a very common name) carries no evidence
  int em_iterations = 40;
  std::size_t u_sample_pairs = 200000;
  std::uint64_t seed = 20240601;
  /// Threads for the blocked comparisons and the scoring (the result does
  /// not depend on it).
  int threads = 2;
};

/// Fellegi–Sunter parameters as estimated (fields: name, birth date, sex, county).
struct FsParameters {
  static constexpr int kFields = 4;
  static constexpr int kLevels = 4;
  std::array<std::array<double, kLevels>, kFields> m{};
  std::array<std::array<double, kLevels>, kFields> u{};
  double prior = 0;  // share of blocked pairs that are matches
  std::int64_t blocked_pairs = 0;
  int iterations = 0;
};

class Linker {
 public:
  Linker(const PersonIndex& index, NameNormalizer& normalizer, LinkerOptions options = {});

  /// The deterministic stage. When it does not decide, returns
  /// needs_probabilistic = true and fills `record` (row_index left to the caller).
  LinkOutcome LinkDeterministic(const LinkInput& input, ProbabilisticRecord* record);

  /// The probabilistic stage over all records (BuildBlocks is called on the
  /// index if needed, so the index must be mutable once). Outcomes in record order.
  std::vector<LinkOutcome> LinkProbabilistic(PersonIndex& index,
                                             const std::vector<ProbabilisticRecord>& records,
                                             FsParameters* parameters);

 private:
  LinkOutcome TryRepair(const std::string& normalized, const LinkInput& input, const std::string& name);
  void FillRecord(const LinkInput& input, const std::string& normalized_id, std::string name,
                  ProbabilisticRecord* record);

  const PersonIndex& index_;
  NameNormalizer& normalizer_;
  LinkerOptions options_;
};

}  // namespace zx::matching
