// Multidimensional poverty (Alkire–Foster, DOMAIN.md §9) over the registry.
//
// For one year, each household i gets a deprivation vector g_ij over the
// policy's indicators j (data/policy/qinghai.toml [mpi]): income,
// food_clothing, education, medical_insurance, housing, water (definitions in
// docs/formats/mpi.md). Its living members inherit it. A person's score is
// c_i = Σ_j w_j g_ij; the person is poor when c_i ≥ k. Then H = q/n,
// A = mean score of the poor, MPI = H × A = Σ_j w_j h_j(k), where h_j(k) is
// the censored headcount ratio; indicator contribution w_j h_j(k) / MPI and
// subgroup contribution (n_s/n) MPI_s / MPI.
//
// Exactness: weights such as 1/6 are doubles, so a sum of six of them is not
// exactly 1. The poverty test is c_i ≥ k − kMpiTolerance (1e-9): no genuine
// score lies that close below k when weights are fractions with small
// denominators, and rounding error of a ≤ 32-term sum is ~1e-15.
//
// Streaming: MpiCalculator keeps only a tally per subgroup — the number of
// living persons per deprivation profile (bit mask) — which is the
// sufficient statistic of every Alkire–Foster quantity. All counts are exact
// integers; only the final ratios are doubles. ComputeMpi streams households
// with Store::ScanHouseholds, so the province is never held in memory.
//
// Invariants of a computed MpiMeasures (checked in ComputeMeasures, an
// Internal error otherwise): H, A, MPI in [0, 1]; H × A and Σ_j w_j h_j(k)
// both equal MPI within 1e-9; indicator contributions sum to 1 when MPI > 0.
//
// Thread-safety: value types; an MpiCalculator is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/policy.h"
#include "domain/registry.h"
#include "storage/store.h"

namespace zx {

/// Tolerance of the poverty cut-off comparison c_i ≥ k.
inline constexpr double kMpiTolerance = 1e-9;

/// The indicators with an implementation (ids as in KnownMpiIndicatorIds()).
enum class MpiIndicatorKind : std::uint8_t {
  kIncome,            // per-capita net income below the year's monitoring line
  kFoodClothing,      // !food_clothing_secure
  kEducation,         // a living child aged 6–15 at the reference date has dropped out
  kMedicalInsurance,  // a living member without basic medical insurance
  kHousing,           // dwelling rated C or D
  kWater,             // any of the four water criteria fails
};

/// The measure resolved for one year: indicators, weights, cut-off, line.
struct MpiSpec {
  int year = 0;
  Fen monitoring_line = 0;
  bool monitoring_line_official = false;
  Date reference_date;
  double k = 0;
  std::string k_text;
  std::vector<MpiIndicator> indicators;  // policy order
  std::vector<MpiIndicatorKind> kinds;   // parallel to indicators
};

/// Parses a cut-off written as a fraction ("1/3") or a decimal ("0.25").
/// InvalidArgument (Chinese) when malformed or outside (0, 1].
Result<double> ParseMpiCutoff(std::string_view text);

/// Builds the spec for `year` from `policy`. `k_text` overrides the policy's k
/// when not empty. Errors: NotFound when the year is not in the policy;
/// InvalidArgument when k is outside (0, 1], when an indicator id has no
/// implementation, or when there are more than 32 indicators.
Result<MpiSpec> MakeMpiSpec(const Policy& policy, int year, std::string_view k_text = "");

/// Bit j is set when the household is deprived in spec.indicators[j].
using DeprivationMask = std::uint32_t;

/// The household's deprivations. `income_missing` (optional) is set when the
/// household has no income for the year or no living member; such a
/// household is not counted as income-deprived.
DeprivationMask HouseholdDeprivations(const MpiSpec& spec, const HouseholdRecord& record,
                                      bool* income_missing = nullptr);

/// c = Σ_j w_j g_j.
double DeprivationScore(const MpiSpec& spec, DeprivationMask mask);

/// c ≥ k − kMpiTolerance.
bool IsMpiPoor(const MpiSpec& spec, DeprivationMask mask);

/// Living persons per deprivation profile, plus household counts.
struct MpiTally {
  std::int64_t households = 0;                 // with at least one living member
  std::int64_t households_without_income = 0;  // of those, without income for the year
  std::map<DeprivationMask, std::int64_t> persons_by_mask;

  /// Adds a household with `living_persons` (> 0) living members.
  void Add(DeprivationMask mask, std::int64_t living_persons, bool income_missing);
  void Merge(const MpiTally& other);
  std::int64_t Persons() const;
};

struct MpiIndicatorResult {
  std::string id;
  std::string name;
  double weight = 0;
  std::string weight_text;
  std::int64_t uncensored_persons = 0;  // deprived persons, poor or not
  double uncensored_ratio = 0;
  std::int64_t censored_persons = 0;  // deprived persons among the poor
  double censored_ratio = 0;          // h_j(k)
  /// w_j h_j(k) / MPI; nullopt when MPI is 0.
  std::optional<double> contribution;
};

struct MpiMeasures {
  std::int64_t households = 0;
  std::int64_t households_without_income = 0;
  std::int64_t persons = 0;       // n
  std::int64_t poor_persons = 0;  // q
  double headcount_ratio = 0;     // H = q/n (0 when n = 0)
  double intensity = 0;           // A (0 when q = 0)
  double mpi = 0;                 // H × A
  std::vector<MpiIndicatorResult> indicators;
};

/// All measures of one tally. Internal when the two MPI formulas disagree.
Result<MpiMeasures> ComputeMeasures(const MpiSpec& spec, const MpiTally& tally);

enum class MpiGrouping : std::uint8_t { kNone, kPrefecture, kCounty };

/// "prefecture" / "county" / "" (none); InvalidArgument otherwise.
Result<MpiGrouping> ParseMpiGrouping(std::string_view text);

/// The 12-digit code of the prefecture or county containing `village_code`.
DivisionCode MpiGroupCode(MpiGrouping by, DivisionCode village_code);

struct MpiSubgroupResult {
  DivisionCode code = 0;
  std::string name;
  MpiMeasures measures;
  /// (n_s/n) MPI_s / MPI; nullopt when the overall MPI is 0.
  std::optional<double> contribution;
};

struct MpiResult {
  MpiSpec spec;
  MpiGrouping by = MpiGrouping::kNone;
  MpiMeasures total;
  std::vector<MpiSubgroupResult> subgroups;  // ascending code; only groups with persons
};

/// Streaming calculator: Add each household once, then Finish.
class MpiCalculator {
 public:
  MpiCalculator(MpiSpec spec, MpiGrouping by) : spec_(std::move(spec)), by_(by) {}

  void Add(const HouseholdRecord& record);

  /// The result; `names` maps group codes to division names (a missing name
  /// is shown as the code).
  Result<MpiResult> Finish(const std::map<DivisionCode, std::string>& names = {}) const;

 private:
  MpiSpec spec_;
  MpiGrouping by_;
  MpiTally total_;
  std::map<DivisionCode, MpiTally> groups_;
};

/// Streams every household in `scope` from `store` through an MpiCalculator;
/// subgroup names come from the store's division table.
Result<MpiResult> ComputeMpi(Store& store, const DivisionScope& scope, const MpiSpec& spec, MpiGrouping by);

}  // namespace zx
