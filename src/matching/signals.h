// Department signals (DOMAIN.md §7) from linked rows: alerts for screening
// and eligibility anomalies as review items (never automatic changes).
//
// Threshold signals are rules of data/rules/signals.rules (the rule language
// in its feed-person scope, docs/formats/rules.md): per person linked in the
// file the accumulator keeps the out-of-pocket sum of the 12 months ending on
// the as-of date (default: the latest event date in the file), the largest
// one-row total cost and amount and the row count; Finish compiles the rules
// for the as-of year and evaluates them over those persons. A rule's `kind`
// is the alert kind, and fixes which feeds it applies to and what the
// finding's value, threshold and row are:
//
//   kind                    feeds                   value / row
//   medical_out_of_pocket   signal medical_...      out_of_pocket_12m / latest row in the window
//   hospital_stay           signal medical_...      max_total_cost / the row of that cost
//   schooling_cost          profile kind education  max_amount / the row of that amount
//
// (threshold: policy.medical_oop_*, policy.hospital_stay_* by ex_poor, and
// policy.schooling_cost; the latest row among equal maxima). One finding per
// person and kind; of several rules of one kind, the first in the file that
// fires gives the explanation.
//
// Category lists stay per-row signals of the profile (profiles.toml):
//   * per_row_alert: every linked row whose category matches the profile;
//   * dangerous_house: a C/D rating;
//   * death: a register change; a death of a person the registry holds as
//     living is also a review item "deceased_active";
//   * eligibility_review: a business, car or public-payroll job of a person
//     of an ex-poor household is a review item.
// One finding per person and kind (the latest row wins).
//
// Cost: 40 bytes per person of the index for the medical and education
// feeds (allocated by the first row, zero pages until touched); per row one
// update of the person's slot. Finish evaluates the rules on two threads
// for indexes of 65,536 persons or more.
// Thread-safety: one thread per accumulator (Merge combines them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bulk_array.h"
#include "common/date.h"
#include "common/money.h"
#include "domain/policy.h"
#include "matching/feed_profile.h"
#include "matching/person_index.h"
#include "storage/link_store.h"

namespace zx::matching {

/// The part of a linked row the signals need.
struct SignalRow {
  std::int64_t row = 0;
  std::int32_t person = -1;
  bool has_event_date = false;
  std::int32_t event_days = 0;  // Date::ToDays of the event date
  Fen amount = 0;
  bool has_amount = false;
  Fen total_cost = 0;
  bool has_total_cost = false;
  std::string_view category;
};

struct SignalResult {
  std::vector<FeedFinding> alerts;
  std::vector<FeedFinding> review_items;
  Date as_of;
  std::map<std::string, std::int64_t> alerts_by_kind;
  std::map<std::string, std::int64_t> review_items_by_kind;
};

/// ZX_DATA_DIR "/rules/signals.rules".
std::string DefaultSignalRulesPath();

class SignalAccumulator {
 public:
  SignalAccumulator(const FeedProfile& profile, const Policy& policy, const PersonIndex& index);
  /// The signal rule file Finish reads (default DefaultSignalRulesPath()).
  void SetSignalRulesPath(std::string path);
  /// Rule text to use instead of a file; `origin` names it in messages.
  void SetSignalRulesText(std::string text, std::string origin = "（预警规则文本）");
  /// Fixes the as-of date before the rows come: the 12-month sums are then
  /// kept per person in a flat array instead of one event per row (what
  /// RunCompare does; it knows the date after linking). Finish must then be
  /// given the same date or none.
  void FixAsOf(const Date& as_of);
  /// Feeds one linked row (rows without a person are ignored).
  void Add(const SignalRow& row);
  /// Takes over what `later` accumulated from the rows that follow this
  /// one's (so two threads can each feed one half of a file); the result is
  /// the same as feeding all rows to one accumulator. Both must have the
  /// same profile, policy, index and fixed as-of date (or none).
  void Merge(SignalAccumulator&& later);
  /// Evaluates the accumulated rows. `as_of` overrides the latest event date.
  /// The signal rules are read and compiled here: a missing or invalid rule
  /// file is an error naming the file (and line and column).
  Result<SignalResult> Finish(const Date* as_of = nullptr);

 private:
  struct MedicalEvent {
    std::int32_t person;
    std::int32_t days;
    Fen amount;
    std::int64_t row;
  };
  // What the feed-person scope sees of one person, accumulated row by row.
  // All zero is a person without rows, so the array is anonymous memory
  // that is never written before the rows come. Maxima are kept "biased"
  // (the value with its sign bit flipped, an order-preserving map onto
  // unsigned numbers) so that 0 means "no row with a value". 40 bytes; row
  // numbers are kept in 32 bits.
  struct PersonTotals {
    Fen window_sum;                // with FixAsOf: amounts in the window
    std::uint64_t max_total_cost;  // biased; 0: no row with a total cost
    std::uint64_t max_amount;      // biased; 0: no row with an amount
    std::uint32_t last_window_row;
    std::uint32_t max_total_cost_row;
    std::uint32_t max_amount_row;
    std::uint32_t rows;
  };
  static std::uint64_t Biased(Fen value) { return static_cast<std::uint64_t>(value) ^ (1ULL << 63); }
  static Fen Unbiased(std::uint64_t biased) {
    return biased == 0 ? 0 : static_cast<Fen>(biased ^ (1ULL << 63));
  }
  // Whether rules of `kind` apply to this profile's rows.
  bool KindApplies(std::string_view kind) const;
  // Compiles the signal rules and turns those that fire into alerts.
  Status EvaluateRules(const Date& as_of);
  FeedFinding MakeFinding(const std::string& kind, std::int32_t person, Fen value, Fen threshold,
                          std::string detail, std::int64_t row) const;
  // Findings, one per (kind, person): a later Put replaces an earlier one.
  class Findings {
   public:
    void Put(FeedFinding finding, std::int32_t person);
    /// Takes `later`'s findings (from later rows: they win).
    void Merge(Findings&& later);
    /// The findings, in no particular order.
    std::vector<FeedFinding> Take();

   private:
    std::uint64_t Key(const std::string& kind, std::int32_t person);
    std::vector<std::string> kinds_;
    std::unordered_map<std::uint64_t, std::size_t> slots_;
    std::vector<FeedFinding> items_;
    std::vector<std::int32_t> persons_;  // of items_
  };
  void Put(Findings* findings, FeedFinding finding, std::int32_t person) {
    findings->Put(std::move(finding), person);
  }

  const FeedProfile& profile_;
  const Policy& policy_;
  const PersonIndex& index_;
  std::string rules_path_;
  std::optional<std::string> rules_text_;
  std::string rules_origin_;  // of rules_text_
  // Whether this profile has threshold rules (medical or education feed).
  bool aggregates_ = false;
  std::vector<MedicalEvent> medical_;  // without FixAsOf
  std::int32_t latest_days_ = INT32_MIN;
  // With FixAsOf: the window (start, end] in days.
  bool as_of_fixed_ = false;
  Date fixed_as_of_;
  std::int32_t window_start_ = 0;
  std::int32_t window_end_ = 0;
  // One PersonTotals per person of the index, zero-filled (allocating it
  // writes nothing; only the pages of persons with rows are touched), once
  // a row came.
  BulkArray<PersonTotals> totals_;
  Findings alerts_;
  Findings review_items_;
};

}  // namespace zx::matching
