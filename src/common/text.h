// UTF-8 text utilities and the normalisation applied to every field that
// comes from outside (CSV, XLSX, forms): full-width ASCII to half-width,
// ideographic space to space, the many middle-dot variants to U+00B7, trimming.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zx {

/// True if `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

/// Decodes the code point at `pos` and advances `pos`; returns U+FFFD and
/// advances one byte on malformed input.
char32_t DecodeUtf8(std::string_view s, size_t& pos);
void AppendUtf8(char32_t code_point, std::string& out);

/// Number of code points (malformed bytes count one each).
size_t Utf8Length(std::string_view s);

/// Trims ASCII whitespace, U+3000 and U+00A0 at both ends.
std::string_view TrimText(std::string_view s);

/// Full-width forms U+FF01..U+FF5E to ASCII, U+3000 to ' '.
std::string NormalizeWidth(std::string_view s);

/// Every middle-dot variant (U+00B7, U+2027, U+30FB, U+FF65, U+2022, U+22C5,
/// '.', U+FF0E) between name parts becomes U+00B7 "·".
std::string NormalizeNameDots(std::string_view s);

/// What an imported cell goes through: width-normalised, then trimmed.
std::string NormalizeField(std::string_view s);

}  // namespace zx
