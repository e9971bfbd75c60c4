// RegistryView: an immutable, in-memory read model of the registry for the
// web server's list and dashboard pages. One row per household, sorted by
// (village_code, household_number) so any division's subtree is one
// contiguous range; per-year per-capita income, monitoring type and risk
// codes (from the stored screening leads); head name and ID for the list.
// About 60 bytes per household: 36 MB at the 600,000-household province.
//
// Why: a paged, filtered, sorted list or a dashboard over 600,000 households
// must answer in about a millisecond of CPU for the 64-connection targets
// (issue 5); SQL over the row store cannot. The view is rebuilt when the
// registry generation or the newest screening run changes (the server checks
// both, see http/registry_controller.cc).
//
// Scoping: every query takes a DivisionScope and touches only that range.
// Thread-safety: immutable after Build; share it through shared_ptr<const>.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/lead_store.h"
#include "storage/store.h"

namespace zx::analytics {

inline constexpr Fen kNoIncome = INT64_MIN;

struct ViewFilter {
  DivisionScope scope;
  int year = 0;
  std::string monitoring_type;    // "" any, "none" not monitored, or a code
  std::string risk;               // "" any, or a risk code
  std::optional<Fen> income_min;  // per-capita, inclusive
  std::optional<Fen> income_max;  // per-capita, inclusive
  std::optional<bool> ex_poor;
  std::string keyword;  // household number prefix, or a head name substring
};

enum class ViewSort { kHouseholdNumber, kPerCapita, kSize };

struct ViewPage {
  std::vector<std::uint32_t> rows;  // the page, in order
  std::int64_t total = 0;           // every match
};

struct DashboardFigures {
  std::int64_t households = 0;
  std::int64_t persons = 0;  // living members
  std::int64_t ex_poor_households = 0;
  std::int64_t ex_poor_persons = 0;
  std::int64_t monitored_households = 0;
  std::map<std::string, std::int64_t> by_type;  // monitoring-type code → households
  std::map<std::string, std::int64_t> by_risk;  // risk code → households carrying it
  /// Households per per-capita income bin; bin edges in HistogramEdges().
  std::vector<std::int64_t> income_histogram;
  struct Year {
    int year = 0;
    Fen line = 0;
    bool line_is_example = false;
    std::int64_t below_line_households = 0;
    std::int64_t monitored_households = 0;
    Fen mean_per_capita = 0;  // over households with an income record
  };
  std::vector<Year> trend;
  struct Child {
    DivisionCode code = 0;
    std::int64_t households = 0;
    std::int64_t monitored_households = 0;
    std::int64_t below_line_households = 0;
  };
  std::vector<Child> children;
};

class RegistryView {
 public:
  /// Reads every household and every stored lead of `years` (whole registry).
  static Result<std::shared_ptr<const RegistryView>> Build(Store& store, LeadStore& leads,
                                                           const Policy& policy);

  std::size_t size() const { return household_number_.size(); }
  const std::vector<int>& years() const { return years_; }

  ViewPage List(const ViewFilter& filter, ViewSort sort, bool descending, std::int64_t offset,
                std::int64_t limit) const;
  /// Every match (exports), in household order.
  std::vector<std::uint32_t> All(const ViewFilter& filter) const;

  /// Figures of `scope` for `year`; `children` are the next-level divisions
  /// whose subtotals are wanted (the map), each with its scope.
  DashboardFigures Dashboard(const DivisionScope& scope, int year,
                             const std::vector<std::pair<DivisionCode, DivisionScope>>& children) const;

  /// Lower edges of the histogram bins in fen (the last bin is open).
  static const std::vector<Fen>& HistogramEdges();

  // Row accessors.
  const std::string& household_number(std::uint32_t row) const { return household_number_[row]; }
  DivisionCode village_code(std::uint32_t row) const { return village_code_[row]; }
  bool ex_poor(std::uint32_t row) const { return ex_poor_[row] != 0; }
  int living_size(std::uint32_t row) const { return living_size_[row]; }
  const std::string& head_name(std::uint32_t row) const { return head_name_[row]; }
  const std::string& head_id_number(std::uint32_t row) const { return head_id_[row]; }
  /// kNoIncome when the household has no income record for `year`.
  Fen per_capita(std::uint32_t row, int year) const;
  /// "" when not monitored in `year`.
  std::string monitoring_type(std::uint32_t row, int year) const;
  std::vector<std::string> risk_codes(std::uint32_t row, int year) const;

 private:
  RegistryView() = default;
  int YearIndex(int year) const;  // -1 when not a view year
  std::pair<std::uint32_t, std::uint32_t> Range(const DivisionScope& scope) const;

  std::vector<int> years_;
  std::vector<Fen> lines_;  // per year
  std::vector<bool> line_is_example_;
  std::vector<std::string> type_codes_;  // index + 1 = stored type code
  std::vector<std::string> risk_codes_;  // slot value - 1 → risk code

  std::vector<std::string> household_number_;
  std::vector<DivisionCode> village_code_;
  std::vector<std::uint8_t> ex_poor_;
  std::vector<std::uint8_t> living_size_;
  std::vector<std::string> head_name_;
  std::vector<std::string> head_id_;
  // Per year (index of years_), per row.
  std::vector<std::vector<Fen>> per_capita_;
  std::vector<std::vector<std::uint8_t>> type_;  // 0 none, else index into type_codes_ + 1
  // Up to 8 risk slots of 8 bits each, in the lead's order: index into
  // risk_codes_ + 1, 0 = empty slot.
  std::vector<std::vector<std::uint64_t>> risk_slots_;
  std::vector<std::vector<std::uint32_t>> by_income_;  // rows sorted by per-capita income
};

}  // namespace zx::analytics
