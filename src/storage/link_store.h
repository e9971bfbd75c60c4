// Storage of department-feed comparisons (issue 4, migrations 4 and 7): the compact
// person read that linking needs, and the results of one compared file —
// its provenance (feed, file SHA-256, upload time, uploader), a link per
// input row, rejected rows, alerts for screening and review items.
//
// Contract (every backend):
//   * every read and write is restricted to a DivisionScope in the storage
//     layer: persons by their household's village, links/alerts/review
//     items by the matched household's village (unmatched rows belong to
//     the upload, which records the scope it was compared in);
//   * SaveComparison writes everything of one file in ONE transaction;
//     links are stored in binary chunks (migration 7), not a row per link;
//   * a file already stored for the same feed and scope (same SHA-256)
//     is not stored again: SaveComparison returns the existing upload and
//     changes nothing;
//   * review items are never applied to the registry: they only record
//     what a person must check.
// Thread-safety: one thread at a time per LinkStore; open one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/registry.h"

namespace zx {

/// One registry person as linking sees it. Views are valid only during the
/// visit callback.
struct LinkPersonView {
  std::string_view id_number;  // 18 characters
  std::string_view name;
  Date birth_date;
  Sex sex = Sex::kMale;
  DivisionCode village_code = 0;
  std::string_view household_number;
  bool deceased = false;
  bool ex_poor = false;
};

/// Provenance of one compared file.
struct FeedUpload {
  std::int64_t id = 0;  // assigned by the store
  std::string feed;     // profile kind, e.g. "medical"
  std::string file_name;
  std::string file_sha256;  // lowercase hex
  std::string uploaded_at;  // ISO-8601 UTC, assigned by the store when empty
  std::string uploader;
  DivisionScope scope;
  std::int64_t rows_read = 0;
  std::int64_t rows_rejected = 0;
  /// Rows per match class, signals etc. as a JSON object (the CLI summary).
  std::string summary_json;
};

/// The link of one input row.
struct FeedLink {
  std::int64_t row = 0;   // 1-based data row
  std::string id_number;  // matched person; empty when unmatched
  std::string household_number;
  DivisionCode village_code = 0;  // of the matched household; 0 when unmatched
  std::string match_class;        // exact, upgraded, repaired, probabilistic, unmatched
  double score = 0;
  std::string reason;
};

struct FeedReject {
  std::int64_t row = 0;
  std::string column;
  std::string reason;
};

/// A signal for screening (alert) or an eligibility anomaly (review item).
struct FeedFinding {
  std::string kind;  // profile alert_kind or a review kind such as "deceased_active"
  std::string id_number;
  std::string household_number;
  DivisionCode village_code = 0;
  Fen value = 0;         // amount behind the finding (0 when none)
  Fen threshold = 0;     // threshold exceeded (0 when none)
  std::string detail;    // Chinese explanation
  std::int64_t row = 0;  // the (last) input row behind it
  bool operator==(const FeedFinding&) const = default;
};

/// Pull-based stream of links (a 5-million-row file is not held twice).
using FeedLinkSource = std::function<Result<bool>(FeedLink* out)>;

/// Match classes in the order of matching::MatchClass; CompactLinks::Row
/// stores the index.
inline constexpr std::string_view kFeedMatchClasses[] = {"exact", "upgraded", "repaired", "probabilistic",
                                                         "unmatched"};

/// Every link of one file in compact form (SaveComparisonCompact): row r
/// (1-based) is rows[r - 1]. Households and texts are tables the rows index,
/// so a 5-million-row file costs ~24 bytes a row here and ~14 bytes stored.
struct CompactLinks {
  struct Household {
    std::string number;
    DivisionCode village_code = 0;
  };
  struct Row {
    /// The matched person's ID as its 17-digit body (the check character is
    /// recomputed on reading); 0 with id_text for an ID stored as text, 0
    /// with id_text 0 when unmatched.
    std::uint64_t id_body = 0;
    std::int32_t id_text = 0;     // index into texts; 0 = none
    std::int32_t household = -1;  // index into households; -1 when unmatched
    std::int32_t reason = 0;      // index into texts; 0 = no reason
    std::int32_t score_milli = 0;
    std::uint8_t match_class = 0;  // index into kFeedMatchClasses
  };
  std::vector<Household> households;
  std::vector<std::string> texts{std::string()};  // texts[0] is the empty string
  std::vector<Row> rows;
};

struct SaveOutcome {
  std::int64_t upload_id = 0;
  bool already_stored = false;  // same feed, file hash and scope: nothing written
};

class LinkStore {
 public:
  virtual ~LinkStore() = default;

  /// Visits every person (living or not) whose household is in scope.
  virtual Status ScanLinkPersons(const DivisionScope& scope,
                                 const std::function<void(const LinkPersonView&)>& visit) = 0;

  /// The upload of this feed and file hash compared in exactly this scope.
  virtual Result<std::optional<FeedUpload>> FindUpload(const DivisionScope& scope, const std::string& feed,
                                                       const std::string& file_sha256) = 0;

  /// Stores a compared file in one transaction (see the contract above).
  /// Findings outside `upload.scope` fail the whole write (PermissionDenied).
  virtual Result<SaveOutcome> SaveComparison(const FeedUpload& upload, const FeedLinkSource& links,
                                             const std::vector<FeedReject>& rejects,
                                             const std::vector<FeedFinding>& alerts,
                                             const std::vector<FeedFinding>& review_items) = 0;

  /// The same as SaveComparison for links in compact form: the links are
  /// stored as a few binary chunks per upload instead of one table row each
  /// (same provenance, same reads through ListLinks).
  virtual Result<SaveOutcome> SaveComparisonCompact(const FeedUpload& upload, const CompactLinks& links,
                                                    const std::vector<FeedReject>& rejects,
                                                    const std::vector<FeedFinding>& alerts,
                                                    const std::vector<FeedFinding>& review_items) = 0;

  /// Alerts / review items of one upload (or all uploads when 0) in scope, by id.
  virtual Result<std::vector<FeedFinding>> ListAlerts(const DivisionScope& scope, std::int64_t upload_id) = 0;
  virtual Result<std::vector<FeedFinding>> ListReviewItems(const DivisionScope& scope,
                                                           std::int64_t upload_id) = 0;
  /// Links of one upload in scope (matched rows in the scope), by row.
  virtual Result<std::vector<FeedLink>> ListLinks(const DivisionScope& scope, std::int64_t upload_id) = 0;
  virtual Result<std::vector<FeedReject>> ListRejects(std::int64_t upload_id) = 0;
};

/// Opens the link store of the database at `location` (same values as
/// OpenStore: a path, "sqlite:PATH"; PostgreSQL is refused until it exists).
/// Runs pending migrations.
Result<std::unique_ptr<LinkStore>> OpenLinkStore(const std::string& location);

}  // namespace zx
