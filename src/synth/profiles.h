// Parameters of the synthetic province that are facts or approximations
// rather than code: county profiles (household weights, ethnic composition,
// former poor county), prefecture income levels and the yearly income index.
// Loaded from data/synth/*.csv; see docs/synthetic-data.md for sources.
//
// Thread-safety: immutable after Load; safe to share.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/status.h"
#include "domain/registry.h"

namespace zx::synth {

/// Order of the ethnic columns in county_profiles.csv.
inline constexpr std::array<Ethnicity, 7> kProfileEthnicities = {
    Ethnicity::kHan,   Ethnicity::kTibetan, Ethnicity::kHui,  Ethnicity::kTu,
    Ethnicity::kSalar, Ethnicity::kMongol,  Ethnicity::kOther};

struct CountyProfile {
  int county_code = 0;  // 6 digits
  std::string name;
  double rural_households = 0;             // relative weight
  std::array<double, 7> ethnic_percent{};  // in kProfileEthnicities order
  bool former_poor_county = true;
};

struct PrefectureIncome {
  int prefecture_code = 0;  // 6 digits, e.g. 632800
  std::string name;
  double income_2022_yuan = 0;
};

struct YearIndex {
  int year = 0;
  double rural = 1;                 // rural per-capita income, 2022 = 1
  double ex_poor = 1;               // ex-poor per-capita income, 2022 = 1
  Fen minimum_living_standard = 0;  // example 低保 standard per person per year
};

struct SynthProfiles {
  std::vector<CountyProfile> counties;
  std::vector<PrefectureIncome> prefectures;
  std::vector<YearIndex> years;  // exactly kFirstPanelYear..kLastPanelYear

  /// Reads data_dir/synth/{county_profiles,prefecture_income,income_index}.csv.
  /// Fails with file, line and reason (in Chinese).
  static Result<SynthProfiles> Load(const std::string& data_dir);
  /// From the build's data directory (ZX_DATA_DIR).
  static Result<SynthProfiles> LoadDefault();

  const CountyProfile* FindCounty(int county_code) const;
  const PrefectureIncome* FindPrefecture(int prefecture_code) const;
  const YearIndex& Year(int year) const { return years[static_cast<size_t>(year - kFirstPanelYear)]; }
};

}  // namespace zx::synth
