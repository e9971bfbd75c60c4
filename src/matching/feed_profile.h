// Department feed profiles (DOMAIN.md §7, docs/formats/feeds.md): for each
// department export, the canonical fields it carries, the Chinese headers
// (with aliases) that name them, and which signal its rows raise. Profiles
// are data (data/feeds/profiles.toml), not code.
//
// Invariants of loaded profiles: kinds unique; every profile has a name and
// an id_number column and an event_date column; a header alias belongs to
// one field per profile; the signal is one of the known kinds.
//
// Thread-safety: immutable after loading.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zx::matching {

/// The canonical fields of a feed row.
enum class FeedField {
  kName = 0,
  kIdNumber,
  kSex,
  kBirthDate,
  kAreaCode,
  kEventDate,
  kAmount,
  kTotalCost,
  kCategory,
  kDetail,
};
inline constexpr int kFeedFieldCount = 10;

/// "name", "id_number", ... (the names used in profiles.toml).
std::string_view FeedFieldId(FeedField field);
/// Chinese label ("姓名", "身份证号码", ...).
std::string_view FeedFieldLabel(FeedField field);

/// What a feed's rows signal (closed set; thresholds are policy data).
enum class SignalKind {
  kMedicalOutOfPocket,  // sum of out-of-pocket over 12 months per person; one stay's total cost
  kPerRowAlert,         // every (matching) row is an alert for screening
  kDangerousHouse,      // housing rated C/D
  kDeath,               // deaths (and other register changes); deceased-yet-active review items
  kEligibilityReview,   // business / car / public payroll of a monitored household: review item
};

struct FeedColumn {
  FeedField field = FeedField::kName;
  bool required = false;
  std::vector<std::string> headers;  // first = documented header, others aliases
};

struct FeedProfile {
  std::string kind;        // "medical"
  std::string name;        // "医保结算"
  std::string department;  // "医疗保障局"
  SignalKind signal = SignalKind::kPerRowAlert;
  std::string alert_kind;  // stored with every alert / review item
  std::vector<std::string> alert_categories;
  std::vector<FeedColumn> columns;

  const FeedColumn* Column(FeedField field) const;
  /// Whether a row's category raises the signal (always when no categories are listed).
  bool CategoryRaisesSignal(std::string_view category) const;
};

struct FeedProfiles {
  std::string path;
  std::vector<FeedProfile> feeds;

  /// The profile of `kind`, or NotFound listing the known kinds (Chinese).
  Result<const FeedProfile*> Find(std::string_view kind) const;
};

/// Parses profiles text; `path` is used in messages. Errors name line and column.
Result<FeedProfiles> ParseFeedProfiles(std::string_view text, const std::string& path);
Result<FeedProfiles> LoadFeedProfiles(const std::string& path);
/// ZX_DATA_DIR "/feeds/profiles.toml".
std::string DefaultFeedProfilesPath();
Result<FeedProfiles> LoadDefaultFeedProfiles();

/// Header text as compared with aliases: width-normalised, spaces, "*" and a
/// trailing parenthesised unit ("（元）", "(元)") removed.
std::string NormalizeHeader(std::string_view header);

}  // namespace zx::matching
