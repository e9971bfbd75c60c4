// A stable 64-bit fingerprint of a HouseholdRecord, used by storage to tell
// an unchanged household from a changed one without comparing every row
// (importing the same file twice must change nothing, not even row versions).
//
// The hash is over a canonical byte serialisation: a format tag, then every
// field of the household, each member and each income year in order, with
// integers as fixed-width little-endian and strings length-prefixed, so no two
// different records serialise to the same bytes. It is stable across runs,
// platforms and compilers (no std::hash); it is stored in databases, so the
// serialisation must not change without bumping kContentHashFormat and
// accepting that every household will be rewritten once.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "domain/registry.h"

namespace zx {

/// Version tag mixed into every hash; bump when the serialisation changes.
constexpr std::uint8_t kContentHashFormat = 1;

/// Appends the canonical serialisation of `record` to `out`.
void AppendCanonicalHousehold(const HouseholdRecord& record, std::string* out);

/// 64-bit hash (FNV-1a over the canonical bytes, then a SplitMix64 finaliser
/// for avalanche). Member order and year order are significant.
std::uint64_t HouseholdContentHash(const HouseholdRecord& record);

}  // namespace zx
