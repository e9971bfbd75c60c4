// Distribution report over generated households: the figures that
// docs/synthetic-data.md compares with its DOMAIN.md targets, and that
// generator_test.cc checks within tolerances. Streaming: Add() one
// household at a time, memory independent of the number of households.
//
// Thread-safety: one thread per report.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "common/money.h"
#include "domain/division.h"
#include "domain/registry.h"
#include "synth/generator.h"

namespace zx::synth {

class SynthReport {
 public:
  /// `lines` maps year → monitoring line (fen per person per year).
  SynthReport(const DivisionTable& divisions, std::map<int, Fen> lines);

  void Add(const HouseholdRecord& record, const HouseholdShocks& shocks);

  std::int64_t households() const { return households_; }
  std::int64_t persons() const { return persons_; }  // living
  double MeanHouseholdSize() const { return Ratio(persons_, households_); }
  double ExPoorPersonShare() const { return Ratio(ex_poor_persons_, persons_); }
  double DeceasedShare() const { return Ratio(deceased_, persons_ + deceased_); }
  /// Share of living persons of `ethnicity` in a prefecture (6-digit code).
  double EthnicShare(int prefecture6, Ethnicity ethnicity) const;
  /// Households below the line in `year`, as a share of households.
  double BelowLineShare(int year) const;
  /// Ex-poor households below the line in at least one panel year.
  double ExPoorFallBackShare() const { return Ratio(ex_poor_fell_back_, ex_poor_households_); }
  double IllnessShare() const { return Ratio(illness_years_, households_ * 6); }
  double DisabledShare() const { return Ratio(disabled_, persons_); }
  double PastoralDeprivationShare() const { return Ratio(deprived_[1], households_by_type_[1]); }
  double FarmingDeprivationShare() const { return Ratio(deprived_[0], households_by_type_[0]); }

  /// A multi-line Chinese summary of every figure.
  std::string Format() const;

 private:
  static double Ratio(double a, double b) { return b > 0 ? a / b : 0; }
  bool Pastoral(DivisionCode village) const;

  const DivisionTable& divisions_;
  std::map<int, Fen> lines_;
  std::map<int, bool> pastoral_by_county_;
  std::int64_t households_ = 0;
  std::int64_t persons_ = 0;
  std::int64_t deceased_ = 0;
  std::int64_t ex_poor_households_ = 0;
  std::int64_t ex_poor_persons_ = 0;
  std::int64_t ex_poor_fell_back_ = 0;
  std::int64_t disabled_ = 0;
  std::int64_t insured_ = 0;
  std::int64_t minimum_living_ = 0;
  std::int64_t extreme_hardship_ = 0;
  std::int64_t safety_net_households_ = 0;
  std::int64_t relocated_ = 0;
  std::int64_t children_6_15_ = 0;
  std::int64_t dropouts_ = 0;
  std::int64_t illness_years_ = 0;
  std::int64_t disaster_years_ = 0;
  std::int64_t transfer_dependent_ = 0;
  std::int64_t migrants_ = 0;
  std::int64_t migrant_job_losses_ = 0;               // household-years with a job loss
  std::array<std::int64_t, 2> households_by_type_{};  // farming, pastoral
  std::array<std::int64_t, 2> deprived_{};            // any non-income deprivation
  std::array<std::int64_t, 2> housing_cd_{};
  std::array<std::int64_t, 2> water_fail_{};
  std::array<std::int64_t, 2> food_insecure_{};
  std::map<int, std::map<Ethnicity, std::int64_t>> ethnic_by_prefecture_;
  std::map<int, std::int64_t> persons_by_prefecture_;
  std::map<int, std::int64_t> below_line_;
  std::map<int, std::int64_t> below_line_ex_poor_;
  std::map<int, double> income_sum_;  // per-capita net income × persons, yuan
  std::map<int, double> income_sum_ex_poor_;
  std::map<int, double> income_2022_by_prefecture_;
  std::array<std::int64_t, 9> size_histogram_{};
};

}  // namespace zx::synth
