// The SQLite implementation of LeadStore (lead_store.h): its own connection
// to the registry database (OpenConfiguredDb), schema in schema_leads.cc.
//
// Thread-safety: one thread at a time per object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/lead_store.h"
#include "storage/sqlite/sqlite_db.h"

namespace zx::sqlite {

class SqliteLeadStore : public LeadStore {
 public:
  static Result<std::unique_ptr<SqliteLeadStore>> Open(const std::string& path);

  Result<ScreeningRun> ReplaceLeads(const DivisionScope& scope, const ScreeningRunInfo& info,
                                    const std::vector<Lead>& leads) override;
  Status ScanLeads(const DivisionScope& scope, int year,
                   const std::function<Status(const Lead&)>& visit) override;
  Result<std::optional<Lead>> GetLead(const DivisionScope& scope, int year,
                                      const std::string& household_number) override;
  Result<std::vector<ScreeningRun>> ListRuns(const DivisionScope& scope, int limit) override;

 private:
  explicit SqliteLeadStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace zx::sqlite
