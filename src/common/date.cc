#include "common/date.h"

#include <cstdio>

namespace zx {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

std::string Date::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::ToCompact() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return buf;
}

// Howard Hinnant's days_from_civil.
std::int64_t Date::ToDays() const {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::FromDays(std::int64_t days) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

namespace {

Status BadDate(std::string_view text, std::string_view why) {
  std::string msg = "日期“";
  msg += text;
  msg += "”无效：";
  msg += why;
  return InvalidArgument(std::move(msg));
}

// Reads up to `max_digits` digits at `pos`; returns -1 if none.
int ReadNumber(std::string_view s, size_t& pos, int max_digits) {
  int value = 0;
  int count = 0;
  while (pos < s.size() && count < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    value = value * 10 + (s[pos] - '0');
    ++pos;
    ++count;
  }
  return count == 0 ? -1 : value;
}

bool ConsumeSeparator(std::string_view s, size_t& pos, std::string_view chinese) {
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '/' || s[pos] == '.')) {
    ++pos;
    return true;
  }
  if (!chinese.empty() && s.substr(pos, chinese.size()) == chinese) {
    pos += chinese.size();
    return true;
  }
  return false;
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return BadDate(text, "为空");

  int year = 0, month = 0, day = 0;
  bool all_digits = true;
  for (char c : s) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    if (s.size() != 8) return BadDate(text, "应为8位数字（如 20210305）");
    year = std::stoi(std::string(s.substr(0, 4)));
    month = std::stoi(std::string(s.substr(4, 2)));
    day = std::stoi(std::string(s.substr(6, 2)));
  } else {
    size_t pos = 0;
    year = ReadNumber(s, pos, 4);
    if (year < 0 || pos != 4) return BadDate(text, "年份应为4位数字");
    if (!ConsumeSeparator(s, pos, "年")) return BadDate(text, "格式应为 年-月-日");
    month = ReadNumber(s, pos, 2);
    if (month < 0 || !ConsumeSeparator(s, pos, "月")) return BadDate(text, "格式应为 年-月-日");
    day = ReadNumber(s, pos, 2);
    if (day < 0) return BadDate(text, "格式应为 年-月-日");
    if (s.substr(pos) == "日") pos = s.size();
    if (pos != s.size()) return BadDate(text, "末尾有多余字符");
  }
  if (!IsValidDate(year, month, day)) return BadDate(text, "日历上不存在这一天");
  return Date{year, month, day};
}

int AgeOn(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

}  // namespace zx
