// The 2020–2025 household income panel of the synthetic province
// (DOMAIN.md §3, §8, §10).
//
// Per-capita net income of a household in year t is built as
//   market income:  prefecture level × income index(t) × labour factor
//                   × exp(permanent z + AR(1) transitory u_t) × shocks
//   + transfers:    pensions, grassland compensation, remittances,
//                   disability subsidies, 低保 top-up, 特困 support
// then split into the national components (wages, production/business
// income, property income, transfers, production costs). Shocks at their
// DOMAIN.md §10 frequencies are decided by the generator and passed in:
// serious illness (income loss + compliant out-of-pocket spending ≈40% of
// capacity to pay), disability onset (through the labour units), snow or
// drought (business income drop by the herd/crop loss), migrant job loss
// (wage drop). All amounts are integer fen.
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <vector>

#include "domain/registry.h"
#include "synth/profiles.h"
#include "synth/rng.h"

namespace zx::synth {

inline constexpr int kPanelYears = kLastPanelYear - kFirstPanelYear + 1;

/// What the income model needs to know about one household.
struct IncomeFacts {
  double prefecture_income_2022_yuan = 14456;  // mean rural per-capita income of the prefecture
  bool ex_poor = false;
  bool herder = false;  // livestock is the main business (pastoral shares and costs)
  int living_size = 1;
  int elderly = 0;                                   // living members aged 60+
  int severely_disabled = 0;                         // disability grade 1–2
  int extreme_hardship = 0;                          // members supported as 特困
  bool minimum_living = false;                       // 低保 household
  bool transfer_dependent = false;                   // the ≈10% fat lower tail: little market income
  double permanent_z = 0;                            // household log-productivity, mean ≈ 0
  std::array<double, kPanelYears> worker_units{};    // effective labour per year
  std::array<double, kPanelYears> migrant_units{};   // migrant-worker labour per year
  std::array<bool, kPanelYears> illness{};           // serious-illness shock in that year
  std::array<double, kPanelYears> disaster_loss{};   // share of herd/crop lost (0..1)
  std::array<double, kPanelYears> job_loss_units{};  // migrant labour lost to job loss
};

/// Mean per-capita net income (yuan) the model targets for `year`
/// (ordinary or ex-poor household of this prefecture).
double TargetPerCapitaYuan(const IncomeFacts& facts, const YearIndex& year);

/// Expected per-capita market income (yuan, no transitory noise or shocks)
/// in `year`; the generator uses it to decide 低保 eligibility.
double ExpectedMarketPerCapitaYuan(const IncomeFacts& facts, const YearIndex& year);

/// Standard deviation of the permanent household log-productivity z.
inline constexpr double kPermanentSd = 0.30;

/// Fills `years` with one HouseholdYear per panel year (2020–2025).
void GenerateIncomePanel(const IncomeFacts& facts, const SynthProfiles& profiles, Rng& rng,
                         std::vector<HouseholdYear>* years);

}  // namespace zx::synth
