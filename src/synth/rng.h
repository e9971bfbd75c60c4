// Deterministic pseudo-random numbers for the synthetic province.
//
// The generator must give byte-identical output for a seed on every run and
// every platform we build on, so nothing here uses <random> distributions
// (their algorithms are implementation-defined). SplitMix64 derives
// independent streams from (seed, key...) and xoshiro256** draws from them.
//
// Thread-safety: value types; one thread per Rng.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace zx::synth {

/// One SplitMix64 step: advances `state` and returns a well-mixed word.
inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Mixes a list of keys into one 64-bit stream key (order matters).
inline std::uint64_t MixKeys(std::initializer_list<std::uint64_t> keys) {
  std::uint64_t state = 0x6A09E667F3BCC909ULL;
  std::uint64_t out = 0;
  for (std::uint64_t key : keys) {
    state ^= key;
    out = SplitMix64(state);
    state = out;
  }
  return out;
}

/// xoshiro256** seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (std::uint64_t& word : s_) word = SplitMix64(sm);
  }
  /// A stream for (keys...), e.g. Rng::For({seed, kHouseholdStream, index}).
  static Rng For(std::initializer_list<std::uint64_t> keys) { return Rng(MixKeys(keys)); }

  std::uint64_t NextU64() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1).
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  /// Uniform integer in [lo, hi] (inclusive); lo <= hi.
  int UniformInt(int lo, int hi) {
    std::uint64_t span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
    return lo + static_cast<int>(NextU64() % span);
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  /// Standard normal (Box–Muller, one value per call for simplicity).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  /// Index drawn with probability proportional to `weights` (non-negative,
  /// not all zero).
  size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double target = Uniform() * total;
    for (size_t idx = 0; idx < weights.size(); ++idx) {
      if (target < weights[idx]) return idx;
      target -= weights[idx];
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace zx::synth
