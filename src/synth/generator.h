// The deterministic synthetic province (DOMAIN.md §1, §3, §8, §10): rural
// households in the real villages, with members, resident IDs and a
// 2020–2025 income panel, streamed one household at a time.
//
// Determinism: household k is drawn from its own random stream
// Rng::For({seed, k}); the only state carried between households (the
// resident-ID sequence counters) evolves in household order. So a seed gives
// the same households whatever the caller's batching or buffer reuse, and
// different seeds give different provinces.
//
// Households are emitted ordered by household number (village code + 4-digit
// sequence). Memory: the village allocation (one entry per rural village) and
// the ID counters (a few MB); nothing grows with the number of households.
//
// Thread-safety: one thread per generator; the DivisionTable must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "storage/store.h"
#include "synth/profiles.h"
#include "synth/rng.h"

namespace zx {

struct GeneratorOptions {
  std::int64_t households = 20000;
  std::uint64_t seed = 1;
};

/// Stored in the demo database's meta table; bump when output changes.
inline constexpr std::string_view kGeneratorVersion = "zx-synth-1";
/// Ages, schooling and health describe the household on this date.
inline constexpr Date kSynthReferenceDate{2025, 6, 30};

/// The latent events behind one generated household (not part of the
/// registry; for reports and tests). Index 0 is 2020.
struct HouseholdShocks {
  std::array<bool, 6> illness{};    // serious-illness shock
  std::array<bool, 6> disaster{};   // snow, drought or hail loss
  std::array<bool, 6> job_loss{};   // a migrant member lost the job
  bool transfer_dependent = false;  // the fat lower tail
  bool herder = false;
};

class ProvinceGenerator : public HouseholdSource {
 public:
  /// Uses the profiles under the build's data directory. A setup failure
  /// (missing profile file, no rural village, too many households for the
  /// villages) is reported by status() and by the first Next().
  ProvinceGenerator(const DivisionTable& divisions, GeneratorOptions options);
  ProvinceGenerator(const DivisionTable& divisions, GeneratorOptions options, synth::SynthProfiles profiles);
  ~ProvinceGenerator() override;

  ProvinceGenerator(const ProvinceGenerator&) = delete;
  ProvinceGenerator& operator=(const ProvinceGenerator&) = delete;

  const Status& status() const { return status_; }
  Result<bool> Next(HouseholdRecord* out) override;
  std::int64_t SizeHint() const override { return options_.households; }
  /// Households produced so far.
  std::int64_t produced() const { return next_index_; }

  /// Latent events of the household last returned by Next().
  const HouseholdShocks& last_shocks() const { return last_shocks_; }

  /// Number of rural villages households are spread over.
  size_t village_count() const { return villages_.size(); }

 private:
  struct County;
  struct Village {
    DivisionCode code = 0;
    int county = 0;  // index into counties_
    std::int64_t first_household = 0;
    std::int32_t households = 0;
  };
  class IdAllocator;

  Status Setup();
  void Generate(std::int64_t household_idx, const Village& village, HouseholdRecord* out);

  const DivisionTable& divisions_;
  GeneratorOptions options_;
  synth::SynthProfiles profiles_;
  Status status_;
  std::vector<County> counties_;
  std::vector<Village> villages_;
  std::unique_ptr<IdAllocator> ids_;
  HouseholdShocks last_shocks_;
  std::int64_t next_index_ = 0;
  size_t village_cursor_ = 0;
};

}  // namespace zx
