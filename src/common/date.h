// Calendar dates (proleptic Gregorian), without time zones: birth dates,
// settlement dates, notice dates. Parsing accepts the forms that appear in
// Chinese spreadsheets: 2021-03-05, 2021/3/5, 20210305, 2021.3.5, 2021年3月5日.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zx {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  auto operator<=>(const Date&) const = default;

  /// "2021-03-05".
  std::string ToIso() const;
  /// "20210305", as inside resident IDs.
  std::string ToCompact() const;
  /// Days since 1970-01-01 (negative before).
  std::int64_t ToDays() const;
  static Date FromDays(std::int64_t days);
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
bool IsValidDate(int year, int month, int day);

/// Parses one of the accepted forms; checks the calendar (no 2021-02-30).
Result<Date> ParseDate(std::string_view text);

/// Completed years of age on `on`.
int AgeOn(const Date& birth, const Date& on);

}  // namespace zx
