#include "synth/income_model.h"

#include <algorithm>
#include <cmath>

namespace zx::synth {
namespace {

// Qinghai rural per-capita income 2022 and ex-poor per-capita income 2022
// (DOMAIN.md §8): ex-poor households sit at 13,035 / 14,456 of the level.
constexpr double kProvinceRural2022 = 14456;
constexpr double kExPoor2022 = 13035;
// Ordinary households sit slightly above the prefecture mean so that the
// mix with ≈21% ex-poor households averages to it.
constexpr double kOrdinaryUplift = 1.02;
// Share of income that is market income (wages + business + property net of
// costs); the rest comes from transfers (Qinghai's rural transfers are large).
constexpr double kMarketShare = 0.86;
// Mean of (labour units / household size) across households, so that the
// labour factor averages ≈1.
constexpr double kTypicalLabourRatio = 0.52;
constexpr double kTransitorySd = 0.30;   // DOMAIN.md §10: 0.3–0.4
constexpr double kTransitoryRho = 0.45;  // persistence of the transitory part
// Transfers (yuan per year), examples of the policy amounts.
constexpr double kPensionMonthly2020 = 175;  // basic pension for rural residents aged 60+
constexpr double kPensionMonthlyStep = 15;   // yearly increase
constexpr double kGrasslandPerPerson = 900;  // grassland ecological compensation, herders
constexpr double kRemittanceShare = 0.06;    // remittances from absent members, share of level
constexpr double kSevereDisabilitySubsidy = 1440;
constexpr double kExPoorDividendPerPerson = 300;  // assistance-project dividends (property income)
constexpr double kExtremeHardshipFactor = 1.3;    // 特困 support = 1.3 × 低保 standard

double Clamp(double v, double lo, double hi) { return std::min(std::max(v, lo), hi); }

Fen ToFen(double yuan) { return yuan <= 0 ? 0 : static_cast<Fen>(std::llround(yuan * 100.0)); }

double LabourFactor(double worker_units, int living_size) {
  if (living_size <= 0) return 0;
  if (worker_units <= 0.01) return 0.06;  // a small plot or a few animals
  // Land and herd do not scale with the number of hands, so income grows
  // less than proportionally with the share of workers.
  return Clamp(std::sqrt(worker_units / living_size / kTypicalLabourRatio), 0.3, 1.6);
}

}  // namespace

double TargetPerCapitaYuan(const IncomeFacts& facts, const YearIndex& year) {
  if (facts.ex_poor)
    return facts.prefecture_income_2022_yuan * (kExPoor2022 / kProvinceRural2022) * year.ex_poor;
  return facts.prefecture_income_2022_yuan * kOrdinaryUplift * year.rural;
}

double ExpectedMarketPerCapitaYuan(const IncomeFacts& facts, const YearIndex& year) {
  const int year_idx = year.year - kFirstPanelYear;
  double market = TargetPerCapitaYuan(facts, year) * kMarketShare *
                  LabourFactor(facts.worker_units[static_cast<size_t>(year_idx)], facts.living_size) *
                  std::exp(facts.permanent_z);
  if (facts.transfer_dependent) market *= 0.35;
  return market;
}

void GenerateIncomePanel(const IncomeFacts& facts, const SynthProfiles& profiles, Rng& rng,
                         std::vector<HouseholdYear>* years) {
  years->clear();
  const double n = std::max(facts.living_size, 1);
  // Household-specific component shares.
  double wage_share = facts.herder ? 0.22 : 0.50;
  double cost_ratio = facts.herder ? 0.30 : 0.40;  // production costs / gross business income
  double property_share = 0.03;
  wage_share = Clamp(wage_share + rng.Normal(0, 0.10), 0.02, 0.85);
  double transitory = rng.Normal(0, kTransitorySd);
  double remittance_noise = std::exp(rng.Normal(-0.125, 0.5));
  double previous_loss = 0;
  bool previous_illness = false;
  for (int year_idx = 0; year_idx < kPanelYears; ++year_idx) {
    const YearIndex& year = profiles.years[static_cast<size_t>(year_idx)];
    const size_t yi = static_cast<size_t>(year_idx);
    if (year_idx > 0) {
      transitory = kTransitoryRho * transitory +
                   std::sqrt(1 - kTransitoryRho * kTransitoryRho) * rng.Normal(0, kTransitorySd);
    }
    const double level = TargetPerCapitaYuan(facts, year);
    // z is drawn centred at -σ_p²/2 by the generator; centring u the same
    // way keeps the mean of exp(z + u) at 1.
    const double noise = std::exp(facts.permanent_z + transitory - 0.5 * kTransitorySd * kTransitorySd);
    double market =
        level * kMarketShare * n * LabourFactor(facts.worker_units[yi], facts.living_size) * noise;
    if (facts.transfer_dependent) market *= 0.35;
    if (facts.illness[yi])
      market *= 0.75;  // the patient and a carer stop working
    else if (previous_illness)
      market *= 0.90;  // slow recovery

    double wage = market * wage_share;
    if (facts.worker_units[yi] > 0 && facts.migrant_units[yi] > 0) {
      // Migrant wages are a larger part of the wage income.
      wage *= 1.0 + 0.5 * facts.migrant_units[yi] / facts.worker_units[yi];
    }
    if (facts.job_loss_units[yi] > 0 && facts.worker_units[yi] > 0) {
      double lost_share = Clamp(facts.job_loss_units[yi] / facts.worker_units[yi], 0, 1);
      wage *= 1.0 - lost_share * rng.Uniform(0.5, 1.0);
    }
    double property = market * property_share;
    double business_net = std::max(market - wage - property, market * 0.05);
    double business_gross = business_net / (1 - cost_ratio);
    double cost = business_gross - business_net;
    // Snow, drought or hail: the lost herd or crop takes its gross income;
    // feed and inputs are still bought. The next year the herd is rebuilt.
    double loss = facts.disaster_loss[yi] + 0.5 * previous_loss;
    if (loss > 0) {
      loss = Clamp(loss, 0, 0.9);
      business_gross *= 1 - loss;
      cost *= 1 - 0.4 * loss;
      cost = std::min(cost, business_gross);
    }
    if (facts.ex_poor) property += kExPoorDividendPerPerson * n;

    double pension_monthly = kPensionMonthly2020 + kPensionMonthlyStep * year_idx;
    // Households without market income are supported more by absent
    // children (remittances count as transfers).
    double remittance_share = facts.transfer_dependent ? 2.5 * kRemittanceShare : kRemittanceShare;
    double transfer = facts.elderly * pension_monthly * 12 + level * remittance_share * n * remittance_noise +
                      facts.severely_disabled * kSevereDisabilitySubsidy;
    if (facts.herder) transfer += kGrasslandPerPerson * n;
    double standard = static_cast<double>(year.minimum_living_standard) / 100.0;
    if (facts.minimum_living) {
      // The 低保 top-up is set from assessed (expected) income, so a bad
      // year can still leave the household below the monitoring line.
      double assessed = ExpectedMarketPerCapitaYuan(facts, year);
      transfer += n * std::max(0.35 * standard, standard - assessed);
    }
    transfer += facts.extreme_hardship * kExtremeHardshipFactor * standard;

    HouseholdYear out;
    out.year = year.year;
    out.wage_income = ToFen(wage);
    out.business_income = ToFen(business_gross);
    out.property_income = ToFen(property);
    out.transfer_income = ToFen(transfer);
    out.production_cost = std::min(ToFen(cost), out.business_income);
    // Compliant out-of-pocket medical spending: routine amounts, and about
    // 40% of the capacity to pay in a serious-illness year.
    double net = static_cast<double>(out.NetIncome()) / 100.0;
    double oop = rng.Bernoulli(0.6) ? n * rng.Uniform(80, 500) : 0;
    if (facts.illness[yi]) {
      double capacity = std::max(net - n * 0.5 * standard, 0.2 * std::max(net, 0.0));
      oop += 0.40 * capacity * std::exp(rng.Normal(-0.08, 0.4));
    }
    out.compliant_out_of_pocket = ToFen(oop);
    years->push_back(out);
    previous_loss = facts.disaster_loss[yi];
    previous_illness = facts.illness[yi];
  }
}

}  // namespace zx::synth
