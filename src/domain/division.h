// Administrative divisions of Qinghai (GB/T 2260 + the statistical
// township/village codes), as committed under data/divisions/.
//
// Codes are stored as 12-digit integers at every level: 630000000000 is the
// province, 630100000000 Xining, 630121000000 Datong county, 630121100000 a
// township, 630121100201 a village. A subtree is therefore a contiguous code
// range, which is how DivisionScope restricts every storage query.
//
// Thread-safety: DivisionTable is immutable after Load and safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/registry.h"

namespace zx {

enum class DivisionLevel : std::uint8_t {
  kProvince = 1,
  kPrefecture = 2,
  kCounty = 3,
  kTownship = 4,
  kVillage = 5,
};

/// Key-assistance status of a county (configuration, data/divisions/counties.csv).
enum class KeyAssistance : std::uint8_t { kNone = 0, kNational = 1, kProvincial = 2 };

struct Division {
  DivisionCode code = 0;
  std::string name;
  DivisionLevel level = DivisionLevel::kVillage;
  DivisionCode parent_code = 0;  // 0 for the province
  /// Village level: a rural village or herder committee (村委会/牧委会), not
  /// an urban community. Higher levels: true.
  bool rural = true;
  /// County level and below: the county is mainly pastoral (牧区).
  bool pastoral = false;
  KeyAssistance key_assistance = KeyAssistance::kNone;  // county level and below

  bool operator==(const Division&) const = default;
};

/// The code range [lo, hi] of a division's subtree. Every storage read and
/// write takes one; the province scope admits everything.
struct DivisionScope {
  DivisionCode lo = 0;
  DivisionCode hi = 999999999999;

  static DivisionScope All() { return {}; }
  static DivisionScope Of(DivisionCode code, DivisionLevel level);
  bool Contains(DivisionCode code) const { return code >= lo && code <= hi; }
  bool operator==(const DivisionScope&) const = default;
};

/// Number of digits of a 12-digit code that identify a division of `level`
/// (2, 4, 6, 9, 12).
int SignificantDigits(DivisionLevel level);

/// A former county-level address code that still appears in resident IDs
/// (e.g. 632121 平安县, now 630203 平安区).
struct HistoricalCountyCode {
  int old_code = 0;  // 6 digits
  std::string old_name;
  int current_code = 0;      // 6 digits, the county it became part of
  int valid_from_year = 0;   // first year the old code was in use (0 = long before)
  int valid_until_year = 0;  // last year the old code was assigned
};

class DivisionTable {
 public:
  /// Loads data_dir/divisions/qinghai_divisions.csv, counties.csv and
  /// historical_codes.csv. Fails with file, line and reason.
  static Result<DivisionTable> Load(const std::string& data_dir);
  /// The table from the build's data directory (ZX_DATA_DIR).
  static Result<DivisionTable> LoadDefault();
  /// Builds a table from rows already in memory (tests, storage reload).
  /// Fails if a parent is missing or a code is duplicated.
  static Result<DivisionTable> FromDivisions(std::vector<Division> divisions,
                                             std::vector<HistoricalCountyCode> historical = {});

  const std::vector<Division>& all() const { return divisions_; }
  const Division* Find(DivisionCode code) const;
  std::vector<const Division*> Children(DivisionCode code) const;
  std::vector<const Division*> AtLevel(DivisionLevel level) const;
  /// "青海省 西宁市 大通回族土族自治县 …" from the province down to `code`.
  std::string FullName(DivisionCode code) const;
  /// The county containing `code` (any level at or below county).
  const Division* CountyOf(DivisionCode code) const;

  /// Name of a 6-digit address code as used in resident IDs: a current
  /// county, prefecture or province code, or a historical one. Empty when
  /// unknown (codes outside Qinghai are not listed here).
  std::string AddressCodeName(int six_digit_code) const;
  /// Whether a 6-digit address code is a current or historical code of
  /// Qinghai (prefix 63).
  bool IsKnownAddressCode(int six_digit_code) const;
  const std::vector<HistoricalCountyCode>& historical_codes() const { return historical_; }

 private:
  std::vector<Division> divisions_;
  std::unordered_map<DivisionCode, size_t> index_;
  std::unordered_map<DivisionCode, std::vector<size_t>> children_;
  std::vector<HistoricalCountyCode> historical_;
};

}  // namespace zx
