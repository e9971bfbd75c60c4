// Money in Zhenxing is always an integer number of fen (1 yuan = 100 fen).
// Parsing accepts what officials type in Excel ("1,234.5", "1234元", "-20");
// formatting gives yuan with exactly two decimals. No floating point is used
// for amounts anywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zx {

using Fen = std::int64_t;

constexpr Fen kFenPerYuan = 100;
constexpr Fen Yuan(std::int64_t yuan) { return yuan * kFenPerYuan; }

/// Parses a yuan amount: optional sign, digits with optional thousands
/// separators, at most two decimals, optional trailing "元". Surrounding
/// spaces are ignored. Full-width digits must be normalised beforehand
/// (see text.h). Fails with kInvalidArgument and a Chinese message.
Result<Fen> ParseYuan(std::string_view text);

/// "1234.50" (no separators), for files that must round-trip.
std::string FormatYuan(Fen fen);

/// "1,234.50", for people.
std::string FormatYuanGrouped(Fen fen);

}  // namespace zx
