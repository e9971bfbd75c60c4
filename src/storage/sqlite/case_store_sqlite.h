// The SQLite implementation of CaseStore (storage/case_store.h): its own
// connection to the registry database (OpenConfiguredDb), schema migration 6
// (schema_cases.cc).
//
// Every write is one BEGIN IMMEDIATE transaction: the case row (optimistic
// version check in the UPDATE's WHERE clause), its child rows, the event
// (seq = head + 1, chained to the head's hash) and the head record. Writers
// on other connections wait on the busy timeout. Reads are restricted to the
// scope in SQL (village_code BETWEEN lo AND hi).
//
// Thread-safety: one thread at a time per object; open one per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/case_store.h"
#include "storage/sqlite/sqlite_db.h"

namespace zx::sqlite {

class SqliteCaseStore : public CaseStore {
 public:
  static Result<std::unique_ptr<SqliteCaseStore>> Open(const std::string& path);

  Result<Case> CreateCase(const DivisionScope& scope, const Case& draft, const CaseEvent& event) override;
  Result<std::optional<Case>> GetCase(const DivisionScope& scope, std::int64_t id) override;
  Result<std::optional<Case>> GetOpenCase(const DivisionScope& scope,
                                          const std::string& household_number) override;
  Result<std::vector<Case>> HouseholdCases(const DivisionScope& scope,
                                           const std::string& household_number) override;
  Result<CasePage> ListCases(const DivisionScope& scope, const CaseQuery& query) override;
  Status ScanCases(const DivisionScope& scope, const std::function<Status(const Case&)>& visit) override;
  Result<Case> UpdateCase(const DivisionScope& scope, const Case& updated, std::int64_t expected_version,
                          const CaseEvent& event) override;
  Result<std::vector<CaseEvent>> ListEvents(const DivisionScope& scope, std::int64_t case_id) override;
  Result<std::vector<CaseStageCount>> CountOpenByStage(const DivisionScope& scope) override;
  Result<ChainReport> VerifyEventChain() override;
  Result<ChainReport> VerifyEventChainWithProgress(const ChainProgressFn& progress) override;
  Result<ChainHead> EventHead() override;
  Result<std::optional<CaseEvent>> EventAt(std::int64_t seq) override;

 private:
  explicit SqliteCaseStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  /// Reads the case `id` (with children) without a scope check.
  Result<std::optional<Case>> LoadCase(std::int64_t id);
  /// Fills measures, visits and objections of `c`.
  Status LoadChildren(Case* c);
  /// Replaces the child rows of case `c.id` by those of `c`, assigning ids
  /// to new ones (written back into `c`).
  Status WriteChildren(Case* c);
  Status WriteCaseColumns(const Case& c, std::int64_t expected_version, bool insert, std::int64_t* id);
  /// Appends `event` (seq, hashes filled here) and moves the head.
  Status AppendEvent(CaseEvent event);

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace zx::sqlite
