// OpenCaseStore: picks the backend from the location string.
#include "storage/case_store.h"

#include <fmt/format.h>

#include "storage/sqlite/case_store_sqlite.h"
#include "storage/store.h"

namespace zx {

Result<std::unique_ptr<CaseStore>> OpenCaseStore(const std::string& location) {
  ASSIGN_OR_RETURN(StoreLocation parsed, ParseStoreLocation(location));
  if (parsed.backend == StoreLocation::Backend::kPostgres) {
    return FailedPrecondition(
        fmt::format("数据库地址 {}：PostgreSQL 后端尚未提供，目前只支持 SQLite 数据库文件", location));
  }
  ASSIGN_OR_RETURN(auto store, sqlite::SqliteCaseStore::Open(parsed.target));
  return std::unique_ptr<CaseStore>(std::move(store));
}

}  // namespace zx
