// Department signals (DOMAIN.md §7) from linked rows: alerts for screening
// and eligibility anomalies as review items (never automatic changes).
//
//   * medical_out_of_pocket: per person, the out-of-pocket sum of the 12
//     months ending on the as-of date (default: the latest settlement date in
//     the file) above the policy's percentage of the previous year's
//     provincial rural per-capita income (monitored = ex-poor household: 50%
//     by default; others 100%); one row's total cost above the hospital-stay
//     threshold is an alert too;
//   * per_row_alert: every linked row whose category matches the profile;
//     education rows whose cost exceeds the non-compulsory schooling threshold;
//   * dangerous_house: a C/D rating;
//   * death: a register change; a death of a person the registry holds as
//     living is also a review item "deceased_active";
//   * eligibility_review: a business, car or public-payroll job of a person
//     of an ex-poor household is a review item.
// One finding per person and kind (the latest row wins).
//
// Thread-safety: one thread per accumulator (Merge combines them).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

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

class SignalAccumulator {
 public:
  SignalAccumulator(const FeedProfile& profile, const Policy& policy, const PersonIndex& index);
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
  Result<SignalResult> Finish(const Date* as_of = nullptr);

 private:
  struct MedicalEvent {
    std::int32_t person;
    std::int32_t days;
    Fen amount;
    std::int64_t row;
  };
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
  std::vector<MedicalEvent> medical_;
  std::int32_t latest_days_ = INT32_MIN;
  // With FixAsOf: the window (start, end] in days and the per-person sums.
  bool as_of_fixed_ = false;
  Date fixed_as_of_;
  std::int32_t window_start_ = 0;
  std::int32_t window_end_ = 0;
  std::vector<Fen> sums_;
  std::vector<std::int64_t> last_row_;
  // Rows whose total cost exceeds the hospital-stay threshold, in order; the
  // findings (the latest row per person) are made in Finish.
  struct StayHit {
    std::int32_t person;
    Fen cost;
    Fen threshold;
    std::int64_t row;
  };
  std::vector<StayHit> stay_hits_;
  Findings alerts_;
  Findings review_items_;
};

}  // namespace zx::matching
