#include "http/clock.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace zx::http {

std::int64_t SystemClockSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> ParseClockOffset(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return 0;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 12) return std::nullopt;  // ±31,000 years is plenty
  std::int64_t value = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return negative ? -value : value;
}

std::function<std::int64_t()> OffsetClockFromFile(std::string path) {
  auto warned = std::make_shared<std::atomic<bool>>(false);
  return [path = std::move(path), warned]() -> std::int64_t {
    std::ifstream in(path);
    std::int64_t offset = 0;
    if (in) {
      std::ostringstream content;
      content << in.rdbuf();
      std::optional<std::int64_t> parsed = ParseClockOffset(content.str());
      if (parsed) {
        offset = *parsed;
      } else if (!warned->exchange(true)) {
        std::cerr << "WARNING test clock file " << path << " does not hold a number of seconds; offset 0\n";
      }
    }
    return SystemClockSeconds() + offset;
  };
}

}  // namespace zx::http
