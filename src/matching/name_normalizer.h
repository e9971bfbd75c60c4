// Person-name normalisation and comparison for linking (DOMAIN.md §10, §11).
//
// Normalize(): Unicode NFKC (ICU), then the dot variants NFKC leaves alone
// (U+2027, U+30FB, U+FF65, U+2022, U+22C5, ".", U+FF0E, U+00B7) unified to
// "·", traditional → simplified characters (OpenCC t2s), whitespace removed.
// VariantKey(): every character of a look-alike or homophone group
// (data/feeds/name_variants.tsv) replaced by its group key, so 卓玛 and 桌马
// share a key. CompareNames() grades two normalised names: exact, variant
// (equal keys), partial (a dropped segment of a "·" name, a two-character
// part of a four-character Tibetan name, or one substituted character in a
// name of three or more characters), or disagree.
//
// OpenCC's configuration files are looked up in its installed data directory
// (/usr/share/opencc); Create() fails with a Chinese message if they are
// missing rather than silently skipping the conversion.
//
// Thread-safety: Normalize() is not thread-safe (OpenCC handle and caches);
// the other functions are const. Clone() gives a second thread its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace zx::matching {

enum class NameAgreement : std::uint8_t { kExact = 0, kVariant = 1, kPartial = 2, kDisagree = 3 };
inline constexpr int kNameAgreementLevels = 4;

class NameNormalizer {
 public:
  /// Loads the variant table and opens OpenCC (t2s.json) and ICU NFKC.
  static Result<std::unique_ptr<NameNormalizer>> Create(const std::string& variants_path);
  /// Create(DefaultNameVariantsPath()).
  static Result<std::unique_ptr<NameNormalizer>> CreateDefault();
  /// An independent normaliser with the same tables (its own OpenCC
  /// handle), for a second thread.
  Result<std::unique_ptr<NameNormalizer>> Clone() const;
  ~NameNormalizer();
  NameNormalizer(const NameNormalizer&) = delete;
  NameNormalizer& operator=(const NameNormalizer&) = delete;

  /// See the header comment. Names of ASCII only skip ICU and OpenCC.
  std::string Normalize(std::string_view raw);
  /// Variant key of a normalised name.
  std::string VariantKey(std::string_view normalized) const;
  /// Whether two characters belong to one variant group (or are equal).
  bool SameVariant(char32_t a, char32_t b) const;
  /// The group members of every character (for the corrupter).
  const std::unordered_map<char32_t, std::u32string>& groups() const { return groups_; }

  /// Traditional → simplified only (exposed for tests).
  std::string ToSimplified(std::string_view text);

 private:
  NameNormalizer() = default;
  Status OpenEngines();
  void* opencc_ = nullptr;      // opencc_t
  const void* nfkc_ = nullptr;  // const UNormalizer2*
  std::unordered_map<char32_t, char32_t> key_;
  std::unordered_map<char32_t, std::u32string> groups_;
};

/// ZX_DATA_DIR "/feeds/name_variants.tsv".
std::string DefaultNameVariantsPath();

/// The set of characters of a variant key as 64 bits (bit = a hash of the
/// code point). When two names' signatures share no bit, the names have no
/// character in common even by variant, and CompareNames says kDisagree:
/// every other grade needs at least one character in common.
std::uint64_t NameSignature(std::string_view variant_key);

/// Grades two normalised names (see header comment).
NameAgreement CompareNames(std::string_view a, std::string_view b, const NameNormalizer& normalizer);

/// Splits a normalised name into code points.
std::u32string ToCodePoints(std::string_view text);
std::string FromCodePoints(std::u32string_view text);

}  // namespace zx::matching
