#include "matching/name_normalizer.h"

#include <fmt/format.h>
#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "common/text.h"

namespace zx::matching {
namespace {

bool IsDotVariant(char32_t cp) {
  switch (cp) {
    case 0x00B7:
    case 0x2027:
    case 0x30FB:
    case 0xFF65:
    case 0x2022:
    case 0x22C5:
    case U'.':
    case 0xFF0E:
    case 0x2219:
    case 0x0387:
      return true;
    default:
      return false;
  }
}

bool IsSpace(char32_t cp) { return cp == U' ' || cp == U'\t' || cp == 0x3000 || cp == 0x00A0; }

// Splits at "·".
std::vector<std::u32string> Segments(const std::u32string& name) {
  std::vector<std::u32string> out(1);
  for (char32_t cp : name) {
    if (cp == 0x00B7) {
      out.emplace_back();
    } else {
      out.back().push_back(cp);
    }
  }
  return out;
}

}  // namespace

std::u32string ToCodePoints(std::string_view text) {
  std::u32string out;
  size_t pos = 0;
  while (pos < text.size()) out.push_back(DecodeUtf8(text, pos));
  return out;
}

std::string FromCodePoints(std::u32string_view text) {
  std::string out;
  for (char32_t cp : text) AppendUtf8(cp, out);
  return out;
}

std::string DefaultNameVariantsPath() { return std::string(ZX_DATA_DIR) + "/feeds/name_variants.tsv"; }

Result<std::unique_ptr<NameNormalizer>> NameNormalizer::CreateDefault() {
  return Create(DefaultNameVariantsPath());
}

Result<std::unique_ptr<NameNormalizer>> NameNormalizer::Create(const std::string& variants_path) {
  std::unique_ptr<NameNormalizer> normalizer(new NameNormalizer());
  std::ifstream in(variants_path, std::ios::binary);
  if (!in) return Unavailable(fmt::format("无法读取姓名易混字表：{}", variants_path));
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    const std::string kind = line.substr(0, tab);
    if (tab == std::string::npos || (kind != "homophone" && kind != "lookalike")) {
      return InvalidArgument(
          fmt::format("{} 第 {} 行：应为“homophone 或 lookalike<制表符>汉字”", variants_path, line_number));
    }
    const std::u32string group = ToCodePoints(line.substr(tab + 1));
    if (group.size() < 2) {
      return InvalidArgument(fmt::format("{} 第 {} 行：一组至少两个字", variants_path, line_number));
    }
    for (char32_t cp : group) {
      normalizer->key_.emplace(cp, group[0]);
      std::u32string& members = normalizer->groups_[cp];
      for (char32_t other : group) {
        if (other != cp && members.find(other) == std::u32string::npos) members.push_back(other);
      }
    }
  }
  RETURN_IF_ERROR(normalizer->OpenEngines());
  return normalizer;
}

Result<std::unique_ptr<NameNormalizer>> NameNormalizer::Clone() const {
  std::unique_ptr<NameNormalizer> copy(new NameNormalizer());
  copy->key_ = key_;
  copy->groups_ = groups_;
  RETURN_IF_ERROR(copy->OpenEngines());
  return copy;
}

Status NameNormalizer::OpenEngines() {
  opencc_t opencc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
  if (opencc == reinterpret_cast<opencc_t>(-1)) {
    return FailedPrecondition(
        fmt::format("无法加载繁简转换配置 {}（OpenCC：{}）；请安装 libopencc-data（scripts/install-deps.sh）",
                    OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP, opencc_error()));
  }
  opencc_ = opencc;
  UErrorCode status = U_ZERO_ERROR;
  nfkc_ = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return FailedPrecondition("无法加载 Unicode NFKC 规范化数据（ICU）");
  return Status::Ok();
}

NameNormalizer::~NameNormalizer() {
  if (opencc_ != nullptr) opencc_close(static_cast<opencc_t>(opencc_));
}

std::string NameNormalizer::ToSimplified(std::string_view text) {
  char* converted = opencc_convert_utf8(static_cast<opencc_t>(opencc_), text.data(), text.size());
  if (converted == nullptr) return std::string(text);
  std::string out(converted);
  opencc_convert_utf8_free(converted);
  return out;
}

std::string NameNormalizer::Normalize(std::string_view raw) {
  // NFKC first (compatibility ideographs, full-width forms, ligatures).
  std::string nfkc;
  bool ascii_or_plain = true;
  for (char c : raw) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii_or_plain = false;
  }
  if (ascii_or_plain) {
    nfkc.assign(raw);
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), raw.size()));
    const icu::UnicodeString normalized =
        static_cast<const icu::Normalizer2*>(nfkc_)->normalize(input, status);
    if (U_FAILURE(status)) {
      nfkc.assign(raw);
    } else {
      normalized.toUTF8String(nfkc);
    }
  }
  // Dots and spaces.
  std::string unified;
  unified.reserve(nfkc.size());
  size_t pos = 0;
  while (pos < nfkc.size()) {
    const char32_t cp = DecodeUtf8(nfkc, pos);
    if (IsSpace(cp)) continue;
    if (IsDotVariant(cp)) {
      if (!unified.empty() && !unified.ends_with("\u00B7")) AppendUtf8(0x00B7, unified);
      continue;
    }
    AppendUtf8(cp, unified);
  }
  while (unified.ends_with("\u00B7")) unified.resize(unified.size() - 2);
  if (ascii_or_plain) return unified;
  return ToSimplified(unified);
}

std::string NameNormalizer::VariantKey(std::string_view normalized) const {
  std::string out;
  out.reserve(normalized.size());
  size_t pos = 0;
  while (pos < normalized.size()) {
    char32_t cp = DecodeUtf8(normalized, pos);
    auto found = key_.find(cp);
    if (found != key_.end()) cp = found->second;
    AppendUtf8(cp, out);
  }
  return out;
}

bool NameNormalizer::SameVariant(char32_t a, char32_t b) const {
  if (a == b) return true;
  auto found_a = key_.find(a);
  auto found_b = key_.find(b);
  return found_a != key_.end() && found_b != key_.end() && found_a->second == found_b->second;
}

std::uint64_t NameSignature(std::string_view variant_key) {
  std::uint64_t signature = 0;
  std::size_t pos = 0;
  while (pos < variant_key.size()) {
    const std::uint64_t cp = DecodeUtf8(variant_key, pos);
    signature |= std::uint64_t{1} << ((cp * 0x9E3779B97F4A7C15ULL) >> 58);
  }
  return signature;
}

NameAgreement CompareNames(std::string_view a, std::string_view b, const NameNormalizer& normalizer) {
  if (a.empty() || b.empty()) return NameAgreement::kDisagree;
  if (a == b) return NameAgreement::kExact;
  const std::u32string left = ToCodePoints(a);
  const std::u32string right = ToCodePoints(b);
  if (left.size() == right.size()) {
    bool variant = true;
    int differences = 0;
    for (size_t idx = 0; idx < left.size(); ++idx) {
      if (left[idx] == right[idx]) continue;
      ++differences;
      if (!normalizer.SameVariant(left[idx], right[idx])) variant = false;
    }
    if (variant) return NameAgreement::kVariant;
    if (differences == 1 && left.size() >= 3) return NameAgreement::kPartial;
  }
  const std::u32string& longer = left.size() >= right.size() ? left : right;
  const std::u32string& shorter = left.size() >= right.size() ? right : left;
  // Dropped segment of a "·" name: every segment of the shorter one is a
  // segment of the longer one (compared by variant).
  const std::vector<std::u32string> long_segments = Segments(longer);
  const std::vector<std::u32string> short_segments = Segments(shorter);
  auto same = [&](const std::u32string& x, const std::u32string& y) {
    if (x.size() != y.size()) return false;
    for (size_t idx = 0; idx < x.size(); ++idx) {
      if (!normalizer.SameVariant(x[idx], y[idx])) return false;
    }
    return true;
  };
  if (long_segments.size() > 1 && short_segments.size() < long_segments.size()) {
    bool all_found = true;
    for (const std::u32string& segment : short_segments) {
      bool found = false;
      for (const std::u32string& candidate : long_segments) found |= same(segment, candidate);
      all_found &= found;
    }
    if (all_found) return NameAgreement::kPartial;
  }
  // A two-character part of a four-character name without surname (才让卓玛 → 卓玛).
  if (long_segments.size() == 1 && short_segments.size() == 1 && longer.size() == 4 && shorter.size() == 2) {
    if (same(shorter, longer.substr(0, 2)) || same(shorter, longer.substr(2, 2)))
      return NameAgreement::kPartial;
  }
  return NameAgreement::kDisagree;
}

}  // namespace zx::matching
