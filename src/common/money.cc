#include "common/money.h"

#include <limits>

namespace zx {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status BadAmount(std::string_view text, std::string_view why) {
  std::string msg = "金额“";
  msg += text;
  msg += "”无效：";
  msg += why;
  return InvalidArgument(std::move(msg));
}

}  // namespace

Result<Fen> ParseYuan(std::string_view text) {
  std::string_view s = Trim(text);
  constexpr std::string_view kYuanSuffix = "元";
  if (s.size() >= kYuanSuffix.size() && s.substr(s.size() - kYuanSuffix.size()) == kYuanSuffix) {
    s = Trim(s.substr(0, s.size() - kYuanSuffix.size()));
  }
  if (s.empty()) return BadAmount(text, "为空");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return BadAmount(text, "缺少数字");

  constexpr Fen kMax = std::numeric_limits<Fen>::max() / 1000;
  Fen whole = 0;
  int digits = 0;
  size_t pos = 0;
  int last_group = -1;  // digits since the last thousands separator, -1 if none seen
  for (; pos < s.size() && s[pos] != '.'; ++pos) {
    char c = s[pos];
    if (c == ',') {
      if (digits == 0 || (last_group >= 0 && last_group != 3)) return BadAmount(text, "千位分隔符位置不对");
      last_group = 0;
      continue;
    }
    if (c < '0' || c > '9') return BadAmount(text, "含有非数字字符");
    whole = whole * 10 + (c - '0');
    if (whole > kMax) return BadAmount(text, "数值过大");
    ++digits;
    if (last_group >= 0) ++last_group;
  }
  if (last_group >= 0 && last_group != 3) return BadAmount(text, "千位分隔符位置不对");
  Fen fraction = 0;
  if (pos < s.size()) {  // s[pos] == '.'
    ++pos;
    int decimals = 0;
    for (; pos < s.size(); ++pos) {
      char c = s[pos];
      if (c < '0' || c > '9') return BadAmount(text, "含有非数字字符");
      if (++decimals > 2) return BadAmount(text, "最多保留两位小数（到分）");
      fraction = fraction * 10 + (c - '0');
    }
    if (decimals == 1) fraction *= 10;
    if (decimals == 0 && digits == 0) return BadAmount(text, "缺少数字");
  } else if (digits == 0) {
    return BadAmount(text, "缺少数字");
  }
  Fen fen = whole * kFenPerYuan + fraction;
  return negative ? -fen : fen;
}

std::string FormatYuan(Fen fen) {
  bool negative = fen < 0;
  // Avoid overflow on negation of the minimum value by working in unsigned.
  unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  unsigned cents = static_cast<unsigned>(magnitude % 100);
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

std::string FormatYuanGrouped(Fen fen) {
  std::string plain = FormatYuan(fen);
  size_t start = plain[0] == '-' ? 1 : 0;
  size_t dot = plain.find('.');
  std::string out = plain.substr(0, start);
  std::string_view whole(plain.data() + start, dot - start);
  for (size_t idx = 0; idx < whole.size(); ++idx) {
    if (idx > 0 && (whole.size() - idx) % 3 == 0) out += ',';
    out += whole[idx];
  }
  out += plain.substr(dot);
  return out;
}

}  // namespace zx
