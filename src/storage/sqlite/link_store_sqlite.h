// The SQLite implementation of LinkStore (storage/link_store.h): its own
// connection to the registry database file (WAL, opened with
// OpenConfiguredDb), schema migrations 4 and 7 (schema_feeds.cc).
//
// Thread-safety: one thread at a time per SqliteLinkStore.
#pragma once

#include <memory>
#include <string>

#include "storage/link_store.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/sqlite_store.h"

namespace zx::sqlite {

/// SQL of migration 4 (department feeds and links).
const char* FeedsSchemaSql();
/// SQL of migration 7 (links in binary chunks).
const char* FeedLinkChunksSchemaSql();

class SqliteLinkStore : public LinkStore {
 public:
  static Result<std::unique_ptr<SqliteLinkStore>> Open(const std::string& path,
                                                       const SqliteStoreOptions& options = {});

  Status ScanLinkPersons(const DivisionScope& scope,
                         const std::function<void(const LinkPersonView&)>& visit) override;
  Result<std::optional<FeedUpload>> FindUpload(const DivisionScope& scope, const std::string& feed,
                                               const std::string& file_sha256) override;
  Result<SaveOutcome> SaveComparison(const FeedUpload& upload, const FeedLinkSource& links,
                                     const std::vector<FeedReject>& rejects,
                                     const std::vector<FeedFinding>& alerts,
                                     const std::vector<FeedFinding>& review_items) override;
  Result<SaveOutcome> SaveComparisonCompact(const FeedUpload& upload, const CompactLinks& links,
                                            const std::vector<FeedReject>& rejects,
                                            const std::vector<FeedFinding>& alerts,
                                            const std::vector<FeedFinding>& review_items) override;
  Result<std::vector<FeedFinding>> ListAlerts(const DivisionScope& scope, std::int64_t upload_id) override;
  Result<std::vector<FeedFinding>> ListReviewItems(const DivisionScope& scope,
                                                   std::int64_t upload_id) override;
  Result<std::vector<FeedLink>> ListLinks(const DivisionScope& scope, std::int64_t upload_id) override;
  Result<std::vector<FeedReject>> ListRejects(std::int64_t upload_id) override;

 private:
  explicit SqliteLinkStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  // Writes the upload, rejects and findings, and the links through
  // `write_links(upload_id)`, in one transaction.
  Result<SaveOutcome> Save(const FeedUpload& upload,
                           const std::function<Status(std::int64_t upload_id)>& write_links,
                           const std::vector<FeedReject>& rejects, const std::vector<FeedFinding>& alerts,
                           const std::vector<FeedFinding>& review_items);
  Status WriteLinkRows(const FeedUpload& upload, std::int64_t upload_id, const FeedLinkSource& links);
  Status WriteLinkChunks(const FeedUpload& upload, std::int64_t upload_id, const CompactLinks& links);
  Result<std::vector<FeedFinding>> ListFindings(const char* sql_all, const char* sql_one,
                                                const DivisionScope& scope, std::int64_t upload_id);

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace zx::sqlite
