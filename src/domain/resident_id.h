// Resident identity numbers (居民身份证号码, GB 11643-1999; DOMAIN.md §11).
//
// 18 characters: 6-digit address code + YYYYMMDD + 3-digit sequence (odd =
// male) + check character. Legacy 15-digit numbers have a 2-digit year and no
// check character. Inputs arrive with full-width digits, lowercase x and
// spaces; Normalize fixes those, Parse validates.
//
// Thread-safety: pure functions; the DivisionTable is read-only.
#pragma once

#include <string>
#include <string_view>

#include "common/date.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/registry.h"

namespace zx {

/// Why an ID is invalid. Stable: tests assert these, not message wording.
enum class ResidentIdError {
  kNone = 0,
  kEmpty,
  kBadLength,       // not 15 or 18 characters after normalisation
  kBadCharacter,    // a non-digit (other than a final X on 18 digits)
  kBadDate,         // the birth date is not a calendar date, or is in the future / before 1880
  kBadChecksum,     // the 18th character does not match
  kUnknownAddress,  // the address code is not a current or historical code (only with a table, only for
                    // prefix 63)
  kBadProvince,     // the first two digits are not a province code
};

/// Chinese message for an error kind.
std::string_view ResidentIdErrorMessage(ResidentIdError error);

struct ResidentIdInfo {
  std::string normalized;  // 18 characters, uppercase X
  bool upgraded = false;   // came in as 15 digits
  int address_code = 0;    // first 6 digits
  Date birth_date;
  Sex sex = Sex::kMale;
};

/// Full-width digits and letters to ASCII, lowercase x to X, removes spaces
/// (ASCII, U+3000, U+00A0) and hyphens. Does not validate.
std::string NormalizeResidentId(std::string_view raw);

/// GB 11643 check character for the first 17 digits (which must be digits).
char ResidentIdCheckChar(std::string_view first17);

/// Upgrades a 15-digit ID to 18 (inserts "19", appends the check character).
/// The input must be 15 digits.
std::string UpgradeResidentId15(std::string_view id15);

/// Normalises and validates. On failure `*error` says why (if non-null).
/// With `divisions`, Qinghai address codes (prefix 63) are also checked
/// against the current and historical code lists. `today` bounds birth dates.
Result<ResidentIdInfo> ParseResidentId(std::string_view raw, const DivisionTable* divisions = nullptr,
                                       ResidentIdError* error = nullptr,
                                       const Date& today = Date{2100, 1, 1});

/// "6301**********123X": first 4 and last 4 kept.
std::string MaskResidentId(std::string_view id);

}  // namespace zx
