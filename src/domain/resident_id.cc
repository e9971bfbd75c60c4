#include "domain/resident_id.h"

#include <array>
#include <vector>

namespace zx {

namespace {

// Decodes one UTF-8 code point at `pos`, advancing it. Malformed or
// truncated sequences yield U+FFFD and advance one byte.
char32_t NextCodePoint(std::string_view text, size_t& pos) {
  const auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  int length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    minimum = 0x10000;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + length > text.size()) {
    ++pos;
    return 0xFFFD;
  }
  for (int byte_idx = 1; byte_idx < length; ++byte_idx) {
    const unsigned char next = byte(pos + byte_idx);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    ++pos;
    return 0xFFFD;
  }
  pos += length;
  return value;
}

bool IsIgnorable(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '\v':
    case '\f':
    case 0x00A0:  // no-break space
    case 0x3000:  // ideographic space
    case 0x200B:  // zero-width space
    case 0xFEFF:  // byte-order mark / zero-width no-break space
    case '-':
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:  // hyphens, dashes
    case 0x2212:  // minus sign
    case 0xFE63:  // small hyphen-minus
    case 0xFF0D:  // full-width hyphen-minus
      return true;
    default:
      return false;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The 34 province-level codes (GB/T 2260): 31 provinces, Taiwan, Hong Kong, Macao.
bool IsProvinceCode(int code) {
  static constexpr std::array<int, 34> kProvinces = {
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
      43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
  };
  for (int province : kProvinces) {
    if (province == code) return true;
  }
  return false;
}

int DigitsToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

Status Fail(ResidentIdError kind, ResidentIdError* error, std::string detail = {}) {
  if (error != nullptr) *error = kind;
  std::string message(ResidentIdErrorMessage(kind));
  if (!detail.empty()) message += "（" + detail + "）";
  return InvalidArgument(std::move(message));
}

}  // namespace

std::string_view ResidentIdErrorMessage(ResidentIdError error) {
  switch (error) {
    case ResidentIdError::kNone:
      return "身份证号码有效";
    case ResidentIdError::kEmpty:
      return "身份证号码为空";
    case ResidentIdError::kBadLength:
      return "身份证号码位数不对：应为18位（旧版为15位）";
    case ResidentIdError::kBadCharacter:
      return "身份证号码含有非法字符：只能是数字，18位号码的最后一位可以是X";
    case ResidentIdError::kBadDate:
      return "身份证号码中的出生日期无效";
    case ResidentIdError::kBadChecksum:
      return "身份证号码校验位错误，号码可能抄错了";
    case ResidentIdError::kUnknownAddress:
      return "身份证号码的地址码不是青海省现行或历史上的行政区划代码";
    case ResidentIdError::kBadProvince:
      return "身份证号码前两位不是有效的省级行政区划代码";
  }
  return "身份证号码无效";
}

std::string NormalizeResidentId(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t start = pos;
    const char32_t cp = NextCodePoint(raw, pos);
    if (IsIgnorable(cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII forms
      char ascii = static_cast<char>(cp - 0xFF01 + 0x21);
      out += ascii == 'x' ? 'X' : ascii;
    } else if (cp == 'x') {
      out += 'X';
    } else {
      out.append(raw.substr(start, pos - start));  // keep the original bytes
    }
  }
  return out;
}

char ResidentIdCheckChar(std::string_view first17) {
  int sum = 0;
  for (size_t digit_idx = 0; digit_idx < 17 && digit_idx < first17.size(); ++digit_idx) {
    sum += (first17[digit_idx] - '0') * kWeights[digit_idx];
  }
  return kCheckChars[static_cast<size_t>(sum % 11)];
}

std::string UpgradeResidentId15(std::string_view id15) {
  std::string id18;
  id18.reserve(18);
  id18.append(id15.substr(0, 6));
  id18.append("19");
  id18.append(id15.substr(6, 9));
  id18 += ResidentIdCheckChar(id18);
  return id18;
}

Result<ResidentIdInfo> ParseResidentId(std::string_view raw, const DivisionTable* divisions,
                                       ResidentIdError* error, const Date& today) {
  if (error != nullptr) *error = ResidentIdError::kNone;
  const std::string id = NormalizeResidentId(raw);
  if (id.empty()) return Fail(ResidentIdError::kEmpty, error);

  // Length in characters, so that stray multi-byte characters count once.
  size_t length = 0;
  bool ascii = true;
  for (size_t pos = 0; pos < id.size(); ++length) {
    if (static_cast<unsigned char>(id[pos]) >= 0x80) ascii = false;
    NextCodePoint(id, pos);
  }
  if (length != 15 && length != 18) {
    return Fail(ResidentIdError::kBadLength, error, "实际为 " + std::to_string(length) + " 位");
  }
  if (!ascii) return Fail(ResidentIdError::kBadCharacter, error);
  const size_t digit_count = length == 18 ? 17 : 15;
  for (size_t char_idx = 0; char_idx < digit_count; ++char_idx) {
    if (!IsDigit(id[char_idx])) {
      return Fail(ResidentIdError::kBadCharacter, error, "第 " + std::to_string(char_idx + 1) + " 位");
    }
  }
  if (length == 18 && !IsDigit(id[17]) && id[17] != 'X') {
    return Fail(ResidentIdError::kBadCharacter, error, "第 18 位");
  }

  if (!IsProvinceCode(DigitsToInt(std::string_view(id).substr(0, 2)))) {
    return Fail(ResidentIdError::kBadProvince, error, "前两位为 " + id.substr(0, 2));
  }

  ResidentIdInfo info;
  info.upgraded = length == 15;
  std::string_view birth = std::string_view(id).substr(6, info.upgraded ? 6 : 8);
  const int year = info.upgraded ? 1900 + DigitsToInt(birth.substr(0, 2)) : DigitsToInt(birth.substr(0, 4));
  const int month = DigitsToInt(birth.substr(info.upgraded ? 2 : 4, 2));
  const int day = DigitsToInt(birth.substr(info.upgraded ? 4 : 6, 2));
  const std::string shown_date =
      std::to_string(year) + "年" + std::to_string(month) + "月" + std::to_string(day) + "日";
  if (!IsValidDate(year, month, day)) {
    return Fail(ResidentIdError::kBadDate, error, shown_date + " 不是日历上的日期");
  }
  info.birth_date = Date{year, month, day};
  if (year < 1880) return Fail(ResidentIdError::kBadDate, error, shown_date + " 早于1880年");
  if (info.birth_date > today) return Fail(ResidentIdError::kBadDate, error, shown_date + " 晚于今天");

  if (info.upgraded) {
    info.normalized = UpgradeResidentId15(id);
  } else {
    const char expected = ResidentIdCheckChar(id);
    if (id[17] != expected) {
      return Fail(ResidentIdError::kBadChecksum, error);
    }
    info.normalized = id;
  }

  info.address_code = DigitsToInt(std::string_view(info.normalized).substr(0, 6));
  if (divisions != nullptr && info.address_code / 10000 == 63 &&
      !divisions->IsKnownAddressCode(info.address_code)) {
    return Fail(ResidentIdError::kUnknownAddress, error, "地址码 " + info.normalized.substr(0, 6));
  }
  info.sex = (info.normalized[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return info;
}

std::string MaskResidentId(std::string_view id) {
  // Work on code points so that a stray multi-byte character is never cut.
  std::vector<std::string_view> chars;
  for (size_t pos = 0; pos < id.size();) {
    const size_t start = pos;
    NextCodePoint(id, pos);
    chars.push_back(id.substr(start, pos - start));
  }
  std::string masked;
  const size_t count = chars.size();
  for (size_t char_idx = 0; char_idx < count; ++char_idx) {
    const bool keep = count > 8 && (char_idx < 4 || char_idx >= count - 4);
    if (keep) {
      masked.append(chars[char_idx]);
    } else {
      masked += '*';
    }
  }
  return masked;
}

}  // namespace zx
