#include "common/text.h"

#include <algorithm>
#include <cstring>

#include "common/text_internal.h"

namespace zx {
namespace {

// Length of the sequence introduced by a lead byte, 0 if it cannot lead.
inline int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

inline bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes one well-formed sequence at `pos`; returns its length, or 0 if the
// bytes there are malformed (overlong, surrogate, out of range, truncated).
inline int DecodeOne(const unsigned char* p, size_t available, char32_t* code_point) {
  const unsigned char lead = p[0];
  const int length = SequenceLength(lead);
  if (length == 0 || static_cast<size_t>(length) > available) return 0;
  switch (length) {
    case 1:
      *code_point = lead;
      return 1;
    case 2:
      if (!IsContinuation(p[1])) return 0;
      *code_point = (static_cast<char32_t>(lead & 0x1F) << 6) | (p[1] & 0x3F);
      return 2;
    case 3: {
      if (!IsContinuation(p[1]) || !IsContinuation(p[2])) return 0;
      if (lead == 0xE0 && p[1] < 0xA0) return 0;   // overlong
      if (lead == 0xED && p[1] >= 0xA0) return 0;  // surrogates
      *code_point = (static_cast<char32_t>(lead & 0x0F) << 12) | (static_cast<char32_t>(p[1] & 0x3F) << 6) |
                    (p[2] & 0x3F);
      return 3;
    }
    default: {
      if (!IsContinuation(p[1]) || !IsContinuation(p[2]) || !IsContinuation(p[3])) return 0;
      if (lead == 0xF0 && p[1] < 0x90) return 0;   // overlong
      if (lead == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
      *code_point = (static_cast<char32_t>(lead & 0x07) << 18) | (static_cast<char32_t>(p[1] & 0x3F) << 12) |
                    (static_cast<char32_t>(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      return 4;
    }
  }
}

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Byte length of a trimmable character at the start of `s`, 0 if none.
inline size_t LeadingSpaceLength(std::string_view s) {
  if (s.empty()) return 0;
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (IsAsciiSpace(c0)) return 1;
  if (c0 == 0xC2 && s.size() >= 2 && static_cast<unsigned char>(s[1]) == 0xA0) return 2;
  if (c0 == 0xE3 && s.size() >= 3 && static_cast<unsigned char>(s[1]) == 0x80 &&
      static_cast<unsigned char>(s[2]) == 0x80) {
    return 3;
  }
  return 0;
}

// Byte length of a trimmable character at the end of `s`, 0 if none.
inline size_t TrailingSpaceLength(std::string_view s) {
  if (s.empty()) return 0;
  const size_t n = s.size();
  if (IsAsciiSpace(static_cast<unsigned char>(s[n - 1]))) return 1;
  if (n >= 2 && static_cast<unsigned char>(s[n - 2]) == 0xC2 &&
      static_cast<unsigned char>(s[n - 1]) == 0xA0) {
    return 2;
  }
  if (n >= 3 && static_cast<unsigned char>(s[n - 3]) == 0xE3 &&
      static_cast<unsigned char>(s[n - 2]) == 0x80 && static_cast<unsigned char>(s[n - 1]) == 0x80) {
    return 3;
  }
  return 0;
}

inline bool IsDotVariant(char32_t c) {
  return c == U'\u00B7' || c == U'\u2027' || c == U'\u30FB' || c == U'\uFF65' || c == U'\u2022' ||
         c == U'\u22C5' || c == U'.' || c == U'\uFF0E';
}

inline bool IsNameSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u00A0'; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  bool truncated = false;
  return Utf8ValidPrefix(s.data(), s.size(), &truncated) == s.size();
}

size_t Utf8ValidPrefix(const char* data, size_t size, bool* truncated) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  *truncated = false;
  size_t pos = 0;
  while (pos < size) {
    const unsigned char lead = p[pos];
    if (lead < 0x80) {
      // ASCII: skip eight bytes at a time while they stay ASCII.
      ++pos;
      while (pos + 8 <= size) {
        std::uint64_t word;
        std::memcpy(&word, p + pos, 8);
        if ((word & 0x8080808080808080ULL) != 0) break;
        pos += 8;
      }
      continue;
    }
    // Fast path for the common three-byte sequences (all of CJK): leads
    // E1..EC and EE..EF need no range check on the second byte.
    if (((lead >= 0xE1 && lead <= 0xEC) || lead >= 0xEE) && lead <= 0xEF && pos + 2 < size &&
        IsContinuation(p[pos + 1]) && IsContinuation(p[pos + 2])) {
      pos += 3;
      continue;
    }
    char32_t code_point;
    const int length = DecodeOne(p + pos, size - pos, &code_point);
    if (length == 0) {
      const int needed = SequenceLength(lead);
      const size_t available = size - pos;
      if (needed > 0 && available < static_cast<size_t>(needed)) {
        // Could the available bytes start a valid sequence?
        bool plausible = true;
        for (size_t idx = 1; idx < available; ++idx) plausible = plausible && IsContinuation(p[pos + idx]);
        if (plausible && available >= 2) {
          const unsigned char second = p[pos + 1];
          if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second >= 0xA0) ||
              (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second >= 0x90)) {
            plausible = false;
          }
        }
        *truncated = plausible;
      }
      return pos;
    }
    pos += static_cast<size_t>(length);
  }
  return pos;
}

char32_t DecodeUtf8(std::string_view s, size_t& pos) {
  if (pos >= s.size()) return U'\uFFFD';
  char32_t code_point;
  const int length =
      DecodeOne(reinterpret_cast<const unsigned char*>(s.data()) + pos, s.size() - pos, &code_point);
  if (length == 0) {
    ++pos;
    return U'\uFFFD';
  }
  pos += static_cast<size_t>(length);
  return code_point;
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) code_point = 0xFFFD;
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
    } else {
      DecodeUtf8(s, pos);
    }
    ++count;
  }
  return count;
}

std::string_view TrimText(std::string_view s) {
  for (size_t length = LeadingSpaceLength(s); length != 0; length = LeadingSpaceLength(s)) {
    s.remove_prefix(length);
  }
  for (size_t length = TrailingSpaceLength(s); length != 0; length = TrailingSpaceLength(s)) {
    s.remove_suffix(length);
  }
  return s;
}

std::string NormalizeWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    const auto byte = static_cast<unsigned char>(s[pos]);
    // Full-width forms and U+3000 are all three-byte sequences led by EF or E3.
    if (byte != 0xEF && byte != 0xE3) {
      out.push_back(s[pos]);
      ++pos;
      continue;
    }
    const size_t start = pos;
    const char32_t c = DecodeUtf8(s, pos);
    if (c >= 0xFF01 && c <= 0xFF5E) {
      out.push_back(static_cast<char>(c - 0xFEE0));
    } else if (c == 0x3000) {
      out.push_back(' ');
    } else {
      out.append(s.data() + start, pos - start);  // malformed bytes are kept as they are
    }
  }
  return out;
}

std::string NormalizeNameDots(std::string_view s) {
  // A run of dot variants, possibly with spaces around them, that sits
  // between two name parts becomes one "·". Dots at either end of the text
  // are not "between name parts" and are left alone (validation reports them).
  std::string out;
  out.reserve(s.size() + 2);
  size_t pos = 0;
  bool seen_name_part = false;
  while (pos < s.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(s, pos);
    if (!IsDotVariant(c) && !IsNameSpace(c)) {
      out.append(s.data() + start, pos - start);
      seen_name_part = true;
      continue;
    }
    // Scan the whole run of dots and spaces.
    size_t run_end = pos;
    bool has_dot = IsDotVariant(c);
    while (run_end < s.size()) {
      size_t next = run_end;
      const char32_t d = DecodeUtf8(s, next);
      if (!IsDotVariant(d) && !IsNameSpace(d)) break;
      has_dot = has_dot || IsDotVariant(d);
      run_end = next;
    }
    if (has_dot && seen_name_part && run_end < s.size()) {
      out.append("\u00B7");
    } else {
      out.append(s.data() + start, run_end - start);
    }
    pos = run_end;
  }
  return out;
}

std::string NormalizeField(std::string_view s) {
  const std::string widened = NormalizeWidth(s);
  return std::string(TrimText(widened));
}

}  // namespace zx
